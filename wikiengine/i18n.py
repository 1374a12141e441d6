"""Interface language: Flask-Babel set-up and the choice of language for each request.

Owns which language the interface speaks (``?uselang=`` as in MediaWiki, then the user's
``language`` preference, then the browser's ``Accept-Language``, then the site default
``LANGUAGE``, French), the Jinja helpers for dates and numbers, and keeping the compiled
catalogues (``.mo``) up to date with their ``.po`` sources. The content language (namespace
names, the main page) is the site's ``LANGUAGE`` and does not change per user.
"""
from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, format_datetime, format_decimal, get_locale

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def available_languages(app: Flask | None = None) -> list[str]:
    """Interface languages offered by this site (``LANGUAGES``)."""
    return list((app or current_app).config.get("LANGUAGES", ["fr", "en"]))


def select_locale() -> str:
    """The interface language of the current request."""
    app = current_app
    languages = available_languages(app)
    default = app.config.get("LANGUAGE", "fr")
    if not has_request_context():
        return default
    asked = request.args.get("uselang", "")
    if asked in languages:
        return asked
    user = g.get("user")
    if user is None and session.get("user_id"):
        loader = app.extensions.get("current_user")
        user = loader() if loader is not None else None
    options = getattr(user, "options", None) if user is not None else None
    preferred = options.get("language") if isinstance(options, dict) else None
    if preferred in languages:
        return preferred
    best = request.accept_languages.best_match(languages)
    return best or default


def compile_catalogues(folder: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``.po`` under ``folder`` whose ``.mo`` is missing or older.

    Writes atomically (several workers may start at once). Returns the compiled paths; a
    read-only installation keeps what it has (``pybabel compile`` is the install step).
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    done: list[Path] = []
    for po in sorted(folder.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parts[-3])
        try:
            fd, tmp = tempfile.mkstemp(dir=str(mo.parent), suffix=".mo.tmp")
        except OSError:
            continue
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo)
        done.append(mo)
    return done


def _datetime(value: Any, fmt: str = "medium") -> str:
    """A database timestamp (naive UTC or aware) in the interface language."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = parse_timestamp(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    if fmt == "long":  # "26 novembre 2026, 14:05", without seconds or zone, as MediaWiki
        fmt = "d MMMM y, HH:mm"
    return format_datetime(value, fmt)


def parse_timestamp(value: str) -> datetime:
    """MediaWiki's ``YYYYMMDDHHMMSS`` or ISO 8601, as an aware UTC datetime."""
    text = value.strip()
    if len(text) == 14 and text.isdigit():
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _number(value: Any) -> str:
    return format_decimal(value or 0)


def _signed(value: int) -> str:
    """A size change like MediaWiki's ``(+12)`` / ``(−3)`` figure, without the brackets."""
    if value > 0:
        return "+" + format_decimal(value)
    if value < 0:
        return "\u2212" + format_decimal(-value)
    return "0"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config.get("LANGUAGE", "fr"))
    # Dates are shown in the site's zone (MediaWiki's $wgLocaltimezone); stored in UTC.
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config.get("TIMEZONE", "Europe/Paris"))
    compile_catalogues()
    Babel(app, locale_selector=select_locale,
          default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.filters["number"] = _number
    app.jinja_env.filters["signed"] = _signed
    app.jinja_env.globals["interface_language"] = lambda: str(get_locale() or "fr")
