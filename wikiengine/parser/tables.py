"""doTableStuff: wikitext tables ({| |+ |- ! | || !! |}) to HTML, as Parser::handleTables.

Line-by-line port of MediaWiki REL1_39; attributes go through the Sanitizer.
"""
from __future__ import annotations

import re

from .sanitizer import fix_tag_attributes

_TABLE_START = re.compile(r"^(:*)\s*\{\|(.*)$", re.S)
_ROW_DASHES = re.compile(r"^\|-+")
_LINK_OR_LC = re.compile(r"\[\[|-\{")
_PHP_WS = " \t\n\r\0\x0b"


def _replace_markup(search: str, replace: str, text: str) -> str:
    """StringUtils::replaceMarkup: replace ``search`` except inside <...> tags."""
    if search not in text:
        return text
    text = text.replace("\x00", "")
    cleaned = re.sub(r"<[^>]*>", lambda m: m.group(0).replace(search, "\x00"), text)
    return cleaned.replace(search, replace).replace("\x00", search)


def do_table_stuff(text: str, unstrip, fragment_mode: tuple[str, ...] = ("legacy",)) -> str:
    """Render every wikitext table of ``text``; ``unstrip`` un-strips attribute text."""
    if "{|" not in text:
        return text
    out: list[str] = []
    td_history: list[bool] = []
    last_tag_history: list[str] = []
    tr_history: list[bool] = []
    tr_attributes: list[str] = []
    has_opened_tr: list[bool] = []
    indent_level = 0

    def attrs(s: str, tag: str) -> str:
        return fix_tag_attributes(unstrip(s), tag, fragment_mode)

    for out_line in text.split("\n"):
        line = out_line.strip(_PHP_WS)
        if line == "":
            out.append(out_line + "\n")
            continue
        first_character = line[0]
        first_two = line[:2]
        m = _TABLE_START.match(line) if ("{|" in line) else None
        if m:
            indent_level = len(m.group(1))
            out_line = "<dl><dd>" * indent_level + f"<table{attrs(m.group(2), 'table')}>"
            td_history.append(False)
            last_tag_history.append("")
            tr_history.append(False)
            tr_attributes.append("")
            has_opened_tr.append(False)
        elif not td_history:
            out.append(out_line + "\n")
            continue
        elif first_two == "|}":
            line = "</table>" + line[2:]
            last_tag = last_tag_history.pop()
            if not has_opened_tr.pop():
                line = "<tr><td></td></tr>" + line
            if tr_history.pop():
                line = "</tr>" + line
            if td_history.pop():
                line = f"</{last_tag}>" + line
            tr_attributes.pop()
            if indent_level > 0:
                out_line = line.rstrip(_PHP_WS) + "</dd></dl>" * indent_level
            else:
                out_line = line
        elif first_two == "|-":
            line = _ROW_DASHES.sub("", line, count=1)
            a = attrs(line, "tr")
            tr_attributes.pop()
            tr_attributes.append(a)
            line = ""
            last_tag = last_tag_history.pop()
            has_opened_tr.pop()
            has_opened_tr.append(True)
            if tr_history.pop():
                line = "</tr>"
            if td_history.pop():
                line = f"</{last_tag}>" + line
            out_line = line
            tr_history.append(False)
            td_history.append(False)
            last_tag_history.append("")
        elif first_character in "|!" or first_two == "|+":
            if first_two == "|+":
                first_character = "+"
                line = line[2:]
            else:
                line = line[1:]
            if first_character == "!":
                line = _replace_markup("!!", "||", line)
            cells = line.split("||")
            parts = []
            for cell in cells:
                previous = ""
                if first_character != "+":
                    tr_after = tr_attributes.pop()
                    if not tr_history.pop():
                        previous = f"<tr{tr_after}>\n"
                    tr_history.append(True)
                    tr_attributes.append("")
                    has_opened_tr.pop()
                    has_opened_tr.append(True)
                last_tag = last_tag_history.pop()
                if td_history.pop():
                    previous = f"</{last_tag}>\n" + previous
                last_tag = {"|": "td", "!": "th", "+": "caption"}.get(first_character, "")
                last_tag_history.append(last_tag)
                cell_data = cell.split("|", 1)
                if _LINK_OR_LC.search(cell_data[0]):
                    cell = f"{previous}<{last_tag}>" + cell.strip(_PHP_WS)
                elif len(cell_data) == 1:
                    cell = f"{previous}<{last_tag}>" + cell_data[0].strip(_PHP_WS)
                else:
                    a = attrs(cell_data[0], last_tag)
                    cell = f"{previous}<{last_tag}{a}>" + cell_data[1].strip(_PHP_WS)
                parts.append(cell)
                td_history.append(True)
            out_line = "".join(parts)
        out.append(out_line + "\n")
    while td_history:
        if td_history.pop():
            out.append("</td>\n")
        if tr_history.pop():
            out.append("</tr>\n")
        if not has_opened_tr.pop():
            out.append("<tr><td></td></tr>\n")
        out.append("</table>\n")
    result = "".join(out)
    if result.endswith("\n"):
        result = result[:-1]
    if result == "<table>\n<tr><td></td></tr>\n</table>":
        result = ""
    return result
