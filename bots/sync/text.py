"""Text rules of the sync bot: internal links to pages missing locally turned into interwiki
links to the source (and back, for a push), the licence a page declares, attribution summaries
and the bot's block on the talk page.

A page declares its licence with ``{{Licence|CC BY-ND 4.0}}`` (or ``{{Licence CC BY-ND}}``);
pages synced from Wikipedia are CC BY-SA 4.0 and may only carry a compatible declaration.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

LINK_RE = re.compile(r"\[\[([^\[\]|{}<>]+?)(\|[^\[\]]*)?\]\]")
LICENCE_RE = re.compile(r"\{\{\s*[Ll]icence\s*(?:\|\s*([^}|]+?)\s*|\s+([^}|]+?)\s*)\}\}")
IMPORT_SUMMARY_RE = re.compile(r"^Importé depuis \[\[(?P<link>[^\]]+)\]\] \(révision (?P<rev>\d+)\)")
COMPATIBLE = ("CC BY-SA", "CC-BY-SA", "CC BY 4.0", "CC BY 3.0", "CC BY", "CC0", "DOMAINE PUBLIC")
LICENCE = "CC BY-SA 4.0"
BEGIN, END = "<!-- bots.sync : début -->", "<!-- bots.sync : fin -->"


def link_targets(text: str) -> list[str]:
    """The targets of internal links in ``text`` (fragment removed, in order, unique)."""
    seen: dict[str, None] = {}
    for match in LINK_RE.finditer(text):
        target = match.group(1).split("#", 1)[0].strip()
        if target and not target.startswith(":"):
            seen.setdefault(target, None)
    return list(seen)


def rewrite_links(text: str, prefix: str, rewrite: Callable[[str], bool]) -> str:
    """Replace ``[[T|label]]`` by ``[[prefix:T|label]]`` for every target ``T`` where
    ``rewrite(T)`` is true (the visible text stays the same)."""
    def repl(match: re.Match[str]) -> str:
        target = match.group(1).split("#", 1)[0].strip()
        if not target or target.startswith(":") or not rewrite(target):
            return match.group(0)
        label = match.group(2)[1:] if match.group(2) else match.group(1).strip()
        return f"[[{prefix}:{match.group(1).strip()}|{label}]]"
    return LINK_RE.sub(repl, text)


def unrewrite_links(text: str, prefix: str) -> str:
    """Undo :func:`rewrite_links` for a push: ``[[prefix:T|T]]`` → ``[[T]]``."""
    pattern = re.compile(r"\[\[" + re.escape(prefix) + r":([^\[\]|]+)(\|[^\[\]]*)?\]\]")

    def repl(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if label is None or label[1:] == target:
            return f"[[{target}]]"
        return f"[[{target}{label}]]"
    return pattern.sub(repl, text)


def declared_licences(text: str) -> list[str]:
    """The licences declared on the page with ``{{Licence|…}}``."""
    return [(m.group(1) or m.group(2)).strip() for m in LICENCE_RE.finditer(text)]


def incompatible_licences(text: str) -> list[str]:
    """Declared licences that CC BY-SA text may not be placed under (ND, NC, unknown)."""
    bad = []
    for licence in declared_licences(text):
        upper = licence.upper().replace("-", " ").replace("_", " ")
        if "ND" in upper.split() or "NC" in upper.split() or not any(
                upper.startswith(c.replace("-", " ")) for c in COMPATIBLE):
            bad.append(licence)
    return bad


def import_summary(link: str, revid: int, verb: str = "Importé depuis") -> str:
    """``Importé depuis [[w:fr:Brest]] (révision 123456)``."""
    return f"{verb} [[{link}]] (révision {revid})"


def parse_import_summary(summary: str) -> tuple[str, int] | None:
    """The (link, revision) of an import summary written by :func:`import_summary`."""
    match = IMPORT_SUMMARY_RE.match(summary or "")
    return (match.group("link"), int(match.group("rev"))) if match else None


def talk_block(params: dict[str, str], history_url: str, link: str) -> str:
    """The bot's block on the talk page: source, authors list, licence, tracking template."""
    args = "".join(f"|{k}={v}" for k, v in params.items())
    return (f"{BEGIN}\n== Source et licence ==\n{{{{Source synchronisée{args}}}}}\n"
            f"Cette page reprend l'article [[{link}]] (révision {params['révision']}, "
            f"{params['date']}). Liste des auteurs : [{history_url} historique de la source]. "
            f"Le texte est sous licence {LICENCE} ; il ne peut pas être placé sous une autre "
            f"licence. Modifications renvoyées vers la source : {params['renvoi']}.\n{END}")


def replace_block(text: str, block: str) -> str:
    """``text`` with the bot's block replaced (or added at the top)."""
    start, end = text.find(BEGIN), text.find(END)
    if start != -1 and end > start:
        return text[:start] + block + text[end + len(END):]
    return block + ("\n\n" + text if text.strip() else "\n")


def block_param(text: str, name: str) -> str | None:
    """A parameter of the ``{{Source synchronisée}}`` template on a talk page."""
    match = re.search(r"\{\{\s*Source synchronisée([^}]*)\}\}", text)
    if not match:
        return None
    for part in match.group(1).split("|"):
        key, _, value = part.partition("=")
        if key.strip() == name:
            return value.strip()
    return None


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
