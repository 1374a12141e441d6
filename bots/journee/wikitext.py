"""The wikitext the bot writes: landing page, category, preload and fact-sheet templates, topic
stubs, the live board, the report, the archive notice and the album.

Owns the ``Day`` (names of every page of one wiki-journée, derived from theme and date) and
the marked blocks (``<!-- journee:NAME -->`` … ``<!-- /journee:NAME -->``) that the bot
replaces on re-runs, so that what the participants wrote around them is kept. No I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .topics import Topic

ROOT = "Projet:Wiki-journées"
FACTSHEET = "Modèle:Fiche wiki-journée"


@dataclass
class Day:
    theme: str
    date: str
    place: str = ""
    root: str = ROOT
    preload: str = ""
    landing_title: str = ""
    factsheet: str = FACTSHEET

    def __post_init__(self) -> None:
        self.landing_title = self.landing_title or f"{self.root}/{self.date} {self.theme}"
        self.preload = self.preload or f"Modèle:Wiki-journée {self.theme}/Nouvelle page"

    @property
    def landing(self) -> str:
        return self.landing_title

    @property
    def category(self) -> str:
        return f"Catégorie:Wiki-journée {self.date} {self.theme}"

    @property
    def report(self) -> str:
        return f"{self.landing}/Bilan"

    @property
    def album(self) -> str:
        return f"{self.root}/Album {self.theme}"

    def chart(self, kind: str) -> str:
        return f"Fichier:Wiki-journée {self.date} {self.theme} {kind}.svg"


def block(name: str, body: str) -> str:
    return f"<!-- journee:{name} -->\n{body.strip()}\n<!-- /journee:{name} -->"


def replace_block(text: str, name: str, body: str, *, after: str = "") -> str:
    """``text`` with block ``name`` replaced (or added at the end, or after block ``after``)."""
    new = block(name, body)
    pattern = re.compile(rf"<!-- journee:{re.escape(name)} -->.*?<!-- /journee:{re.escape(name)} -->", re.S)
    if pattern.search(text):
        return pattern.sub(lambda _m: new, text, count=1)
    if after:
        end = f"<!-- /journee:{after} -->"
        if end in text:
            return text.replace(end, end + "\n\n" + new, 1)
    return (text.rstrip() + "\n\n" + new).lstrip() + "\n"


def read_block(text: str, name: str) -> str:
    m = re.search(rf"<!-- journee:{re.escape(name)} -->\n?(.*?)\n?<!-- /journee:{re.escape(name)} -->", text, re.S)
    return m.group(1) if m else ""


def topics_from_landing(text: str) -> list[str]:
    """The topic titles listed on the landing page (facilitators may add lines by hand)."""
    return [m.group(1).strip() for m in re.finditer(r"^\*\s*\[\[([^\]|#]+)", read_block(text, "sujets"), re.M)]


def esc(value: str) -> str:
    """A value safe inside a template parameter."""
    return value.replace("|", "{{!}}").replace("{{", "&#123;&#123;").replace("}}", "&#125;&#125;") \
        if "{{!}}" not in value else value


def landing(day: Day, topics: list[str], old: str = "") -> str:
    """The landing page: every bot block refreshed, anything else written by people kept."""
    place = f" à {day.place}" if day.place else ""
    text = old
    blocks = [
        ("bandeau", f"''Wiki-journée « {day.theme} » du {day.date}{place} : inscrivez-vous et venez "
         "écrire et photographier avec nous !''"),
        ("présentation", f"== Présentation ==\nLe {day.date}, nous écrivons ensemble sur le thème "
         f"« '''{day.theme}''' » : une page par sujet, avec sa fiche, son texte et ses photos. "
         "Débutants bienvenus : une personne vous accompagne pour votre première page."),
        ("pratique", f"== Informations pratiques ==\n* Date : {day.date}\n* Lieu : {day.place or 'à préciser'}\n"
         "* Apportez si possible un ordinateur portable ou un téléphone pour les photos.\n"
         "* Créez votre compte avant de venir (ou sur place)."),
        ("sujets", "== Sujets ==\n" + ("\n".join(f"* [[{t}]]" for t in topics)
                                       or "''Aucun sujet pour l'instant : ajoutez-en une ligne « * [[Titre]] ».''")),
        ("créer", "== Créer une page ==\nÉcrivez le titre puis cliquez : la page s'ouvre avec le modèle de la "
         f"journée.\n<inputbox>\ntype=create\npreload={day.preload}\nbuttonlabel=Créer la page\n"
         f"placeholder=Titre de la nouvelle page\nsummary=Wiki-journée {day.date} {day.theme}\n</inputbox>"),
        ("inscription", "== Inscriptions ==\nAjoutez une ligne avec <code><nowiki>~~~</nowiki></code> "
         "ci-dessous."),
        ("aide", "== Aide ==\n* [[Aide:Premiers pas]]\n* [[Aide:Modifier une page]]\n"
         "* [[Aide:Téléverser une photo]]\n* [[Aide:Citer ses sources]]"),
    ]
    previous = ""
    for name, body in blocks:
        if not (name == "inscription" and read_block(text, name)):  # sign-ups below it are kept
            text = replace_block(text, name, body, after=previous)
        previous = name
    text = replace_block(text, "catégorie", f"[[{day.category}]]")
    return text


def category_page(day: Day) -> str:
    return (f"Pages écrites pendant la [[{day.landing}|wiki-journée « {day.theme} » du {day.date}]].\n\n"
            "[[Catégorie:Wiki-journées]]\n")


def preload_template(day: Day) -> str:
    return ("<noinclude>Modèle de départ des pages de la wiki-journée (utilisé par la boîte « Créer une "
            f"page » de [[{day.landing}]]).</noinclude><includeonly>{{{{{day.factsheet.split(':', 1)[1]}\n"
            "| nom = \n| adresse = \n| coordonnées = \n}}\n"
            "Écrivez ici une présentation en quelques phrases.\n\n== Histoire ==\n\n"
            "== Sources ==\n<references />\n\n"
            f"[[{day.category}]]</includeonly>\n")


def factsheet_template() -> str:
    return ('{| class="wikitable" style="float:right; margin-left:1em"\n! colspan="2" | {{{nom|{{PAGENAME}}}}}\n'
            "{{#if:{{{adresse|}}}|\n{{!}}-\n{{!}} Adresse {{!}}{{!}} {{{adresse}}}}}\n"
            "{{#if:{{{coordonnées|}}}|\n{{!}}-\n{{!}} Coordonnées {{!}}{{!}} {{#coordinates:{{{coordonnées}}}}}}}\n"
            "|}<noinclude>\nFiche des pages de wiki-journée : <code>nom</code>, <code>adresse</code>, "
            "<code>coordonnées</code> (48.3904, -4.4861).</noinclude>\n")


def stub(day: Day, topic: Topic) -> str:
    params = [f"| nom = {esc(topic.title)}", f"| adresse = {esc(topic.address)}",
              f"| coordonnées = {f'{topic.coords[0]}, {topic.coords[1]}' if topic.coords else ''}"]
    params += [f"| {k} = {esc(v)}" for k, v in topic.extra.items()]
    name = day.factsheet.split(":", 1)[1]
    cats = [f"[[{day.category}]]"] + ([f"[[Catégorie:{topic.category}]]"] if topic.category else [])
    intro = topic.description or f"'''{topic.title}''' : page à écrire pendant la wiki-journée du {day.date}."
    return ("{{" + name + "\n" + "\n".join(params) + "\n}}\n" + intro + "\n\n== Sources ==\n<references />\n\n"
            + "\n".join(cats) + "\n")
