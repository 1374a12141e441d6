"""doAllQuotes: '' italic, ''' bold and ''''' both, with MediaWiki's balancing heuristics.

A port of Parser::doAllQuotes/doQuotes (REL1_39), line by line.
"""
from __future__ import annotations

import re

_SPLIT = re.compile(r"(''+)")


def do_quotes(text: str) -> str:
    """Convert the apostrophe markup of one line to <i>/<b>."""
    if "''" not in text:
        return text
    arr = _SPLIT.split(text)
    n = len(arr)
    numbold = numitalics = 0
    for i in range(1, n, 2):
        ln = len(arr[i])
        if ln == 4:
            arr[i - 1] += "'"
            arr[i] = "'''"
            ln = 3
        elif ln > 5:
            arr[i - 1] += "'" * (ln - 5)
            arr[i] = "'''''"
            ln = 5
        if ln == 2:
            numitalics += 1
        elif ln == 3:
            numbold += 1
        elif ln == 5:
            numitalics += 1
            numbold += 1
    if numbold % 2 == 1 and numitalics % 2 == 1:
        firstsingle = firstmulti = firstspace = -1
        for i in range(1, n, 2):
            if len(arr[i]) == 3:
                before = arr[i - 1]
                x1 = before[-1:]
                x2 = before[-2:-1]
                if x1 == " ":
                    if firstspace == -1:
                        firstspace = i
                elif x2 == " ":
                    firstsingle = i
                    break
                elif firstmulti == -1:
                    firstmulti = i
        pick = firstsingle if firstsingle > -1 else firstmulti if firstmulti > -1 else firstspace
        if pick > -1:
            arr[pick] = "''"
            arr[pick - 1] += "'"
    out: list[str] = []
    buffer: list[str] = []
    state = ""
    for i, r in enumerate(arr):
        if i % 2 == 0:
            if state == "both":
                buffer.append(r)
            else:
                out.append(r)
            continue
        ln = len(r)
        if ln == 2:
            if state == "i":
                out.append("</i>"); state = ""
            elif state == "bi":
                out.append("</i>"); state = "b"
            elif state == "ib":
                out.append("</b></i><b>"); state = "b"
            elif state == "both":
                out.append("<b><i>" + "".join(buffer) + "</i>"); state = "b"
            else:
                out.append("<i>"); state += "i"
        elif ln == 3:
            if state == "b":
                out.append("</b>"); state = ""
            elif state == "bi":
                out.append("</i></b><i>"); state = "i"
            elif state == "ib":
                out.append("</b>"); state = "i"
            elif state == "both":
                out.append("<i><b>" + "".join(buffer) + "</b>"); state = "i"
            else:
                out.append("<b>"); state += "b"
        elif ln == 5:
            if state == "b":
                out.append("</b><i>"); state = "i"
            elif state == "i":
                out.append("</i><b>"); state = "b"
            elif state == "bi":
                out.append("</i></b>"); state = ""
            elif state == "ib":
                out.append("</b></i>"); state = ""
            elif state == "both":
                out.append("<i><b>" + "".join(buffer) + "</b></i>"); state = ""
            else:
                buffer = []
                state = "both"
    if state in ("b", "ib"):
        out.append("</b>")
    if state in ("i", "bi", "ib"):
        out.append("</i>")
    if state == "bi":
        out.append("</b>")
    if state == "both" and "".join(buffer):
        out.append("<b><i>" + "".join(buffer) + "</i></b>")
    return "".join(out)


def do_all_quotes(text: str) -> str:
    if "''" not in text:
        return text
    return "\n".join(do_quotes(line) for line in text.split("\n"))
