"""SVG charts of a wiki-journée, written by hand: plain ``<rect>``/``<text>``/``<line>``
elements, no script, style sheet, link or entity, so that the upload checks accept them.

Owns ``hourly`` (edits and uploads per hour of the window) and ``per_person`` (horizontal
bars, one per contributor). Each bar carries ``data-count`` so tests and readers can check it.
"""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

BLUE, GREEN, GREY = "#36c", "#14866d", "#72777d"


def _svg(width: int, height: int, title: str, body: list[str]) -> bytes:
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">\n'
            f"<title>{escape(title)}</title>\n"
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>\n'
            f'<text x="10" y="20" font-family="sans-serif" font-size="14" fill="#202122">{escape(title)}</text>\n')
    return (head + "\n".join(body) + "\n</svg>\n").encode("utf-8")


def hourly(title: str, start: dt.datetime, end: dt.datetime, times: list[dt.datetime]) -> bytes:
    """Bars of events per hour between ``start`` and ``end``."""
    hours = max(1, int((end - start).total_seconds() // 3600))
    counts = [0] * hours
    for t in times:
        index = int((t - start).total_seconds() // 3600)
        if 0 <= index < hours:
            counts[index] += 1
    top = max(counts) or 1
    bar, left, base, height = 24, 40, 250, 200
    body = [f'<line x1="{left}" y1="{base}" x2="{left + hours * bar}" y2="{base}" stroke="{GREY}"/>']
    for i, n in enumerate(counts):
        h = round(height * n / top)
        x = left + i * bar
        label = (start + dt.timedelta(hours=i)).strftime("%H")
        body.append(f'<rect class="bar" data-hour="{label}" data-count="{n}" x="{x + 2}" y="{base - h}" '
                    f'width="{bar - 4}" height="{h}" fill="{BLUE}"/>')
        body.append(f'<text x="{x + bar // 2}" y="{base + 14}" font-family="sans-serif" font-size="10" '
                    f'text-anchor="middle" fill="{GREY}">{label}</text>')
        if n:
            body.append(f'<text x="{x + bar // 2}" y="{base - h - 3}" font-family="sans-serif" '
                        f'font-size="10" text-anchor="middle">{n}</text>')
    return _svg(left + hours * bar + 20, base + 30, title, body)


def per_person(title: str, rows: list[tuple[str, int, int]]) -> bytes:
    """One bar per contributor: edits (blue) then uploads (green)."""
    top = max([e + u for _, e, u in rows] or [1]) or 1
    left, width, line = 160, 400, 22
    body = []
    for i, (name, edits, uploads) in enumerate(rows):
        y = 40 + i * line
        we, wu = round(width * edits / top), round(width * uploads / top)
        body.append(f'<text x="{left - 6}" y="{y + 14}" font-family="sans-serif" font-size="12" '
                    f'text-anchor="end">{escape(name)}</text>')
        body.append(f'<rect class="bar" data-user={quoteattr(name)} data-count="{edits}" x="{left}" y="{y}" '
                    f'width="{we}" height="{line - 6}" fill="{BLUE}"/>')
        body.append(f'<rect class="bar-upload" data-user={quoteattr(name)} data-count="{uploads}" '
                    f'x="{left + we}" y="{y}" width="{wu}" height="{line - 6}" fill="{GREEN}"/>')
        body.append(f'<text x="{left + we + wu + 4}" y="{y + 14}" font-family="sans-serif" '
                    f'font-size="11">{edits} modif. / {uploads} photo(s)</text>')
    return _svg(left + width + 140, 60 + max(1, len(rows)) * line, title, body)
