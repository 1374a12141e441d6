"""Coordinates as the Maps extension reads them: decimal (``48.39, -4.49``), degrees with
minutes and seconds (``48° 23′ 24″ N, 4° 29′ 24″ W``) and their display in DMS.

Owns parsing (``parse_coordinates`` raising ``InvalidCoordinates`` for anything out of range
or unreadable) and formatting; no I/O.
"""
from __future__ import annotations

import re

_DEC = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*[,;\s]\s*([+-]?\d+(?:\.\d+)?)\s*$")
_DMS_PART = re.compile(
    r"([+-]?\d+(?:[.,]\d+)?)\s*[°d]\s*(?:(\d+(?:[.,]\d+)?)\s*['′’m]\s*)?"
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:\"|″|”|''|s)\s*)?([NSEWO])?", re.I)


class InvalidCoordinates(ValueError):
    """Text that is not a pair of coordinates on Earth."""


def _dms(m: re.Match[str]) -> tuple[float, str]:
    deg = float(m.group(1).replace(",", "."))
    minutes = float((m.group(2) or "0").replace(",", "."))
    seconds = float((m.group(3) or "0").replace(",", "."))
    if minutes >= 60 or seconds >= 60:
        raise InvalidCoordinates("minutes and seconds must be below 60")
    value = abs(deg) + minutes / 60 + seconds / 3600
    return (-value if deg < 0 else value), (m.group(4) or "").upper()


def parse_coordinates(text: str) -> tuple[float, float]:
    """(latitude, longitude) of ``text``; raises InvalidCoordinates."""
    text = (text or "").strip()
    if len(text) > 200:
        raise InvalidCoordinates("too long")
    m = _DEC.match(text)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
    else:
        parts = [p for p in _DMS_PART.finditer(text) if p.group(0).strip()]
        if len(parts) != 2:
            raise InvalidCoordinates(text)
        (lat, h1), (lon, h2) = _dms(parts[0]), _dms(parts[1])
        if h1 == "S":
            lat = -abs(lat)
        if h2 in ("W", "O"):  # O: ouest
            lon = -abs(lon)
        rest = _DMS_PART.sub("", text).strip(" ,;")
        if rest:
            raise InvalidCoordinates(text)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidCoordinates(text)
    return lat, lon


def format_dms(lat: float, lon: float, lang: str = "en") -> str:
    """``48° 23′ 24″ N, 4° 29′ 24″ W`` (``O`` for west in French)."""
    def one(v: float, pos: str, neg: str) -> str:
        a = abs(v)
        d = int(a)
        m = int((a - d) * 60)
        s = round(((a - d) * 60 - m) * 60)
        if s == 60:
            s, m = 0, m + 1
        if m == 60:
            m, d = 0, d + 1
        return f"{d}° {m}′ {s}″ {pos if v >= 0 else neg}"
    west = "O" if lang == "fr" else "W"
    return f"{one(lat, 'N', 'S')}, {one(lon, 'E', west)}"
