"""The topics CSV of a wiki-journée: one topic per line, checked line by line.

Owns reading the file (UTF-8, comma or semicolon separated, header line required), the
column names (``titre`` required; ``catégorie``, ``adresse``, ``coordonnées`` or
``latitude``/``longitude``, ``description`` and any other column copied to the fact sheet)
and the errors: missing columns, undecodable lines, duplicate titles, invalid coordinates,
each with its line number; the good lines are kept.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED = ("titre",)
ALIASES = {"title": "titre", "category": "catégorie", "categorie": "catégorie",
           "address": "adresse", "coordinates": "coordonnées", "coordonnees": "coordonnées",
           "lat": "latitude", "lon": "longitude", "lng": "longitude"}
_DECIMAL = re.compile(r"^\s*([+-]?\d{1,3}(?:\.\d+)?)\s*[,; ]\s*([+-]?\d{1,3}(?:\.\d+)?)\s*$")
_BAD_TITLE = re.compile(r"[#<>\[\]{}|]")


@dataclass
class Topic:
    line: int
    title: str
    category: str = ""
    address: str = ""
    coords: tuple[float, float] | None = None
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class TopicsFile:
    topics: list[Topic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class TopicsError(Exception):
    """The file cannot be used at all (unreadable, no header, required column missing)."""


def parse_coords(text: str) -> tuple[float, float]:
    """``(lat, lon)`` from ``48.39, -4.49``; raises ValueError when unreadable or off Earth."""
    m = _DECIMAL.match(text.replace("\u00a0", " "))
    if not m:
        raise ValueError(f"coordonnées illisibles {text!r} (attendu : 48.3904, -4.4861)")
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordonnées hors de la Terre {text!r}")
    return lat, lon


def _column(name: str) -> str:
    key = name.strip().lstrip("\ufeff").lower()
    return ALIASES.get(key, key)


def read_topics(path: str | Path) -> TopicsFile:
    """Read ``path``; raises TopicsError when the header is unusable."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise TopicsError(f"fichier des sujets illisible : {exc}") from exc
    lines: list[tuple[int, str]] = []
    out = TopicsFile()
    for number, chunk in enumerate(raw.splitlines(), start=1):
        try:
            lines.append((number, chunk.decode("utf-8")))
        except UnicodeDecodeError as exc:
            out.errors.append(f"ligne {number} : encodage invalide (octet {chunk[exc.start]:#x} "
                              f"en position {exc.start + 1}) : enregistrez le fichier en UTF-8 ; ligne ignorée")
    lines = [(n, text) for n, text in lines if text.strip()]
    if not lines:
        raise TopicsError("fichier des sujets vide (une ligne d'en-tête est attendue : titre,adresse,coordonnées)")
    header_line, header = lines[0]
    if out.errors and out.errors[0].startswith("ligne 1 "):
        raise TopicsError("ligne 1 : l'en-tête n'est pas en UTF-8")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    columns = [_column(c) for c in next(csv.reader([header], delimiter=delimiter))]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise TopicsError(f"ligne {header_line} : colonne(s) manquante(s) : {', '.join(missing)} "
                          f"(colonnes lues : {', '.join(columns) or 'aucune'})")
    seen: dict[str, int] = {}
    for number, text in lines[1:]:
        row = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        if len(row) > len(columns):
            out.errors.append(f"ligne {number} : {len(row)} valeurs pour {len(columns)} colonnes ; ligne ignorée")
            continue
        values = {c: v.strip() for c, v in zip(columns, row)}
        title = re.sub(r"[\s_]+", " ", values.get("titre", "")).strip()
        if not title:
            out.errors.append(f"ligne {number} : titre vide ; ligne ignorée")
            continue
        if _BAD_TITLE.search(title):
            out.errors.append(f"ligne {number} : titre invalide {title!r} (caractères # < > [ ] {{ }} | "
                              "interdits) ; ligne ignorée")
            continue
        title = title[0].upper() + title[1:]
        if title in seen:
            out.errors.append(f"ligne {number} : titre en double {title!r} (déjà ligne {seen[title]}) ; ligne ignorée")
            continue
        coords = None
        where = values.get("coordonnées") or (
            f"{values['latitude']}, {values['longitude']}" if values.get("latitude") or values.get("longitude") else "")
        if where:
            try:
                coords = parse_coords(where)
            except ValueError as exc:
                out.errors.append(f"ligne {number} : {exc} ; ligne ignorée")
                continue
        seen[title] = number
        known = {"titre", "catégorie", "adresse", "coordonnées", "latitude", "longitude", "description"}
        out.topics.append(Topic(line=number, title=title, category=values.get("catégorie", ""),
                                address=values.get("adresse", ""), coords=coords,
                                description=values.get("description", ""),
                                extra={k: v for k, v in values.items() if k not in known and v}))
    out.errors.sort(key=lambda e: int(e.split(" ")[1]))
    return out
