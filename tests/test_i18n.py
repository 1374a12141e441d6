"""Interface language: every message of the views and templates has a French translation
with the same placeholders, catalogues compile, and the language is chosen by ``uselang``,
then the user's preference, then the browser, then the site default (French)."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from views_helpers import login, make_user

PACKAGE = Path(__file__).resolve().parents[1] / "wikiengine"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    method_map = [("**.py", "python"), ("**.html", "jinja2"), ("**.xml", "jinja2")]
    keywords = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2),
                "lazy_gettext": None}
    found: set[str] = set()
    for folder in ("views", "templates"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
                str(PACKAGE / folder), method_map=method_map, keywords=keywords):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str):
    path = PACKAGE / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def test_every_message_has_a_french_translation():
    french = _catalog("fr")
    missing = sorted(m for m in _extracted() if not (french.get(m) and french.get(m).string))
    assert missing == []


def test_placeholders_survive_translation():
    for message in _catalog("fr"):
        if message.id and message.string:
            assert set(_PLACEHOLDER.findall(message.id)) == set(
                _PLACEHOLDER.findall(message.string)), message.id


def test_catalogues_are_not_fuzzy():
    """``pybabel compile`` (the install step) skips a catalogue whose header is fuzzy."""
    assert not _catalog("fr").fuzzy and not _catalog("en").fuzzy


def test_english_catalogue_lists_the_same_messages():
    french = {m.id for m in _catalog("fr") if m.id}
    english = {m.id for m in _catalog("en") if m.id}
    assert french == english


def test_catalogues_compile(tmp_path):
    import shutil

    from wikiengine.i18n import compile_catalogues

    copy = tmp_path / "translations"
    shutil.copytree(PACKAGE / "translations", copy, ignore=shutil.ignore_patterns("*.mo"))
    compiled = compile_catalogues(copy)
    assert {p.parts[-3] for p in compiled} == {"fr", "en"}
    assert all(p.stat().st_size > 0 for p in compiled)
    assert compile_catalogues(copy) == []  # up to date: nothing to do


def test_language_choice_order(app, client):
    french = client.get("/wiki/Accueil").get_data(as_text=True)
    assert 'lang="fr"' in french and "Modifications récentes" in french
    english = client.get("/wiki/Accueil", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert 'lang="en"' in english and "Recent changes" in english
    unknown = client.get("/wiki/Accueil", headers={"Accept-Language": "de, it"}).get_data(
        as_text=True)
    assert 'lang="fr"' in unknown
    asked = client.get("/wiki/Accueil?uselang=en").get_data(as_text=True)
    assert 'lang="en"' in asked
    make_user(app, "Alice")
    login(client, "Alice")
    from wikiengine.db import session_scope
    from wikiengine.store import users

    with session_scope(app) as db:
        users.get_user(db, "Alice").options = {"language": "en"}
    preferred = client.get("/wiki/Accueil", headers={"Accept-Language": "fr"}).get_data(
        as_text=True)
    assert 'lang="en"' in preferred
    overridden = client.get("/wiki/Accueil?uselang=fr").get_data(as_text=True)
    assert 'lang="fr"' in overridden


def test_error_pages_are_localised(client):
    fr = client.get("/wiki/A[b]").get_data(as_text=True)
    en = client.get("/wiki/A[b]", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "caractères invalides" in fr and "invalid characters" in en


def test_dates_in_the_site_time_zone(app):
    import datetime

    with app.test_request_context("/"):
        shown = app.jinja_env.filters["datetime"](datetime.datetime(2026, 7, 14, 12, 0))
    assert "14:00" in shown and "juil." in shown  # stored in UTC, shown in Europe/Paris
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        shown = app.jinja_env.filters["datetime"](datetime.datetime(2026, 1, 5, 12, 0))
    assert "1:00" in shown and "Jan" in shown


def test_catalogues_never_translate_one_message_two_ways() -> None:
    """Flask-Babel merges every package's catalogue into one: a message two catalogues
    translate differently would show whichever was merged last."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[1]
    seen: dict[tuple[str, str], tuple[str, Path]] = {}
    clashes = []
    for po in sorted(root.glob("*/**/translations/*/LC_MESSAGES/messages.po")):
        if ".venv" in po.parts:
            continue
        language = po.parts[-3]
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or not message.string or isinstance(message.id, tuple):
                continue
            key = (language, message.id)
            if key in seen and seen[key][0] != message.string:
                clashes.append((language, message.id, seen[key], (message.string, po)))
            seen.setdefault(key, (message.string, po))
    assert not clashes, clashes
