"""EXIF metadata of photos: date taken, camera, orientation and the GPS position as decimal
coordinates (so the file page can put them on a map through the Maps extension's
``{{#coordinates:}}``, which records them in ``page_props``).
"""
from __future__ import annotations

from typing import Any

from PIL import Image as PILImage

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_BASE_TAGS = {0x010F: "Make", 0x0110: "Model", 0x0112: "Orientation", 0x0132: "DateTime",
              0x013B: "Artist", 0x8298: "Copyright", 0x010E: "ImageDescription"}
_EXIF_TAGS = {0x9003: "DateTimeOriginal", 0x9004: "DateTimeDigitized", 0x829A: "ExposureTime",
              0x829D: "FNumber", 0x8827: "ISOSpeedRatings", 0x920A: "FocalLength"}


def _plain(value: Any) -> Any:
    """EXIF values as JSON-friendly numbers and text."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip("\x00 ")
    if isinstance(value, str):
        return value.strip("\x00 ")
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return int(number) if number.is_integer() else round(number, 6)


def _degrees(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    if str(_plain(ref)).upper() in ("S", "W"):
        result = -result
    return round(result, 7)


def exif_metadata(im: PILImage.Image) -> dict[str, Any]:
    """A flat dict of the interesting EXIF fields (MediaWiki's names), empty without EXIF."""
    try:
        exif = im.getexif()
    except Exception:  # a damaged EXIF block is no reason to refuse a photo
        return {}
    out: dict[str, Any] = {}
    for tag, key in _BASE_TAGS.items():
        if tag in exif:
            out[key] = _plain(exif[tag])
    try:
        sub = exif.get_ifd(_EXIF_IFD)
        gps = exif.get_ifd(_GPS_IFD)
    except Exception:
        sub, gps = {}, {}
    for tag, key in _EXIF_TAGS.items():
        if tag in sub:
            out[key] = _plain(sub[tag])
    if gps:
        lat = _degrees(gps.get(2), gps.get(1)) if 2 in gps else None
        lon = _degrees(gps.get(4), gps.get(3)) if 4 in gps else None
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            out["GPSLatitude"], out["GPSLongitude"] = lat, lon
        if 6 in gps:
            out["GPSAltitude"] = _plain(gps[6])
    return {k: v for k, v in out.items() if v not in ("", None, [])}


def coordinates(meta: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = meta.get("GPSLatitude"), meta.get("GPSLongitude")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        return float(lat), float(lon)
    return None
