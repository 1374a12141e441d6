"""The pages written from the day's activity: the live board, the report, the archive notice,
the album and the thanks message. No I/O: each takes an ``Activity`` and returns wikitext.
"""
from __future__ import annotations

import re

from .activity import Activity, PageFacts
from .wikitext import Day

ISSUES = {"source": "pas de source", "catégorie": "pas de catégorie", "image": "pas d'image",
          "court": "très court", "liens rouges": "liens rouges"}
FIX = {"source": "ajouter une source", "catégorie": "ajouter une catégorie", "image": "ajouter une photo",
       "court": "compléter le texte", "liens rouges": "créer ou corriger les liens"}


def _users(names: list[str]) -> str:
    return ", ".join(f"[[Utilisateur:{n}|{n}]]" for n in names) or "—"


def figures(act: Activity) -> list[tuple[str, int]]:
    return [("Pages créées", len(act.created)), ("Pages améliorées", len(act.improved)),
            ("Modifications", len(act.edits)), ("Contributeurs et contributrices", len(act.contributors)),
            ("Nouveaux comptes ou premières contributions", len(act.newcomers)),
            ("Octets ajoutés", sum(p.bytes for p in act.pages)), ("Photos téléversées", len(act.uploads)),
            ("Références ajoutées", sum(p.refs_added for p in act.pages))]


def _table(rows: list[tuple[str, int]]) -> str:
    return '{| class="wikitable journee-chiffres"\n' + "".join(f"|-\n| {k} || {v}\n" for k, v in rows) + "|}"


def board(act: Activity, when: str) -> str:
    """The live board shown on the landing page while the day runs."""
    rows = figures(act)[:3] + [figures(act)[3], figures(act)[5], figures(act)[6],
                               ("Sujets encore ouverts", len(act.open_topics))]
    lines = [f"== Tableau de bord ==\n''Mis à jour le {when} (UTC) par le robot.''", _table(rows)]
    if act.created or act.improved:
        lines.append("; Pages créées : " + (", ".join(f"[[{p.title}]]" for p in act.created) or "—"))
        lines.append("; Pages améliorées : " + (", ".join(f"[[{p.title}]]" for p in act.improved) or "—"))
    lines.append("; Participants : " + _users(act.contributors))
    lines.append("; Sujets ouverts : " + (", ".join(f"[[{p.title}]]" for p in act.open_topics) or "aucun"))
    return "\n".join(lines)


def _fix_links(p: PageFacts) -> str:
    out = []
    for issue in p.issues:
        target = "[[Spécial:Téléverser|téléverser]] puis " if issue == "image" else ""
        out.append(f"{ISSUES[issue]} ({target}[{{{{fullurl:{p.title}|action=edit}}}} {FIX[issue]}])")
    return "; ".join(out)


def map_markup(points: list[tuple[float, float, str]], height: int = 400) -> str:
    if not points:
        return "''Aucune page ne porte de coordonnées.''"
    locs = ";".join(f"{lat},{lon}~{title}~[[{title}]]" for lat, lon, title in points)
    return f"{{{{#display_map:{locs}|height={height}}}}}"


def points(act: Activity) -> list[tuple[float, float, str]]:
    return [(lat, lon, p.title) for p in act.pages for lat, lon in p.coords[:1]]


def report(day: Day, act: Activity, charts: list[str]) -> str:
    parts = [f"Bilan de la [[{day.landing}|wiki-journée « {day.theme} » du {day.date}]] "
             f"(du {act.start:%Y-%m-%d %H:%M} au {act.end:%Y-%m-%d %H:%M} UTC).",
             "== Chiffres ==", _table(figures(act)),
             "== Graphiques ==\n" + "\n".join(f"[[{c}|thumb|none|600px|{c.split(':', 1)[1][:-4]}]]" for c in charts),
             "== Participants ==", '{| class="wikitable sortable journee-participants"\n! Compte !! Modifications !! Photos\n'
             + "".join(f"|-\n| [[Utilisateur:{u}|{u}]] || {e} || {n}\n" for u, e, n in act.per_person()) + "|}",
             "; Nouveaux : " + _users(act.newcomers),
             "== Carte ==", map_markup(points(act)),
             "== Pages ==", '{| class="wikitable sortable journee-pages"\n! Page !! État !! Modifications !! '
             "Octets !! Références ajoutées !! À revoir\n"
             + "".join(f"|-\n| [[{p.title}]] || {'créée' if p.created else 'améliorée' if p.edits else 'inchangée' if p.exists else 'à créer'}"
                       f" || {p.edits} || {p.bytes} || {p.refs_added} || {_fix_links(p) or 'rien'}\n" for p in act.pages)
             + "|}"]
    reds = [p for p in act.pages if p.red_links]
    if reds:
        parts.append("=== Liens rouges ===\n" + "\n".join(
            f"* [[{p.title}]] : " + ", ".join(f"[[{r}]]" for r in p.red_links) for p in reds))
    return "\n\n".join(parts) + "\n"


def thanks(day: Day) -> tuple[str, str]:
    heading = f"Merci pour la wiki-journée « {day.theme} » du {day.date}"
    body = (f"Merci d'avoir participé à la [[{day.landing}|wiki-journée]] ! Le [[{day.report}|bilan]] "
            "montre ce que nous avons écrit ensemble. À bientôt ! ~~~~")
    return heading, body


def archive(day: Day, act: Activity) -> str:
    rows = dict(figures(act))
    return (f"== Archive ==\n''Cette wiki-journée est terminée.'' {rows['Pages créées']} pages créées, "
            f"{rows['Pages améliorées']} améliorées, {rows['Photos téléversées']} photos, par "
            f"{len(act.contributors)} personnes. Voir le [[{day.report}|bilan]] et l'[[{day.album}|album]].")


def extract(text: str, limit: int = 300) -> str:
    """The first paragraph of prose of ``text`` (templates, tables, headings and refs left out)."""
    text = re.sub(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>", "", text, flags=re.S | re.I)
    while True:
        stripped = re.sub(r"\{\{[^{}]*\}\}", "", text)
        if stripped == text:
            break
        text = stripped
    text = re.sub(r"\{\|.*?\|\}", "", text, flags=re.S)
    for para in re.split(r"\n\s*\n", text):
        para = para.strip()
        if para and not para.startswith(("=", "[[Catégorie", "[[Category", "[[Fichier", "[[File", "<", "|", "!")):
            para = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", para).replace("'''", "").replace("''", "")
            return para if len(para) <= limit else para[:limit].rsplit(" ", 1)[0] + " …"
    return ""


def album(day: Day, act: Activity, photos: list[str]) -> str:
    written = [p for p in act.pages if p.exists]
    sheet = '{| class="wikitable sortable journee-fiche"\n! Page !! Coordonnées !! Auteurs\n' + "".join(
        f"|-\n| [[{p.title}]] || {', '.join(f'{lat:.5f}, {lon:.5f}' for lat, lon in p.coords[:1]) or '—'}"
        f" || {', '.join(p.users) or '—'}\n" for p in written) + "|}"
    texts = "\n\n".join(f"=== [[{p.title}]] ===\n{extract(p.text) or '…'}" for p in written)
    gallery = ("<gallery>\n" + "\n".join(f"{f}|{f.split(':', 1)[1]}" for f in photos) + "\n</gallery>"
               if photos else "''Pas encore de photo.''")
    return "\n\n".join([
        f"Album de la [[{day.landing}|wiki-journée « {day.theme} » du {day.date}]].",
        "== Carte ==", map_markup(points(act)), "== Fiche ==", sheet, "== Textes ==", texts,
        "== Photos ==", gallery, "== Contributeurs et contributrices ==", _users(act.contributors),
        "[[Catégorie:Wiki-journées]]"]) + "\n"
