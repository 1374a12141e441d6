"""Tests for wikiengine.store.derived: link tables filled from the parser's output on save,
category counts, page_props, redirects, dependants' ``page_touched`` bumped when a
template or a link target changes, and ``refresh-links`` rebuilding everything."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from click.testing import CliRunner
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wikiengine import db
from wikiengine.models import (Category, CategoryLink, ExternalLink, ImageLink, Page, PageLink,
                               PageProp, TemplateLink, User)
from wikiengine.store import derived, revisions, users
from wikiengine.title import Title

DATA = Path(__file__).parent / "data" / "store"


@contextmanager
def tx(app) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with app.app_context(), db.session_scope(app) as session:
        yield session


def _save(app, title: str, text: str) -> int:  # type: ignore[no-untyped-def]
    with tx(app) as s:
        user = users.get_user(s, "Scribe") or users.create_user(s, "Scribe", "pw")
        result = revisions.save_page(s, Title.new(title), text, user)
        return result.page.page_id


def test_link_tables_filled_on_save(app) -> None:
    page_id = _save(app, "Rue de Siam", (DATA / "links_page.wikitext").read_text("utf-8"))
    with tx(app) as s:
        links = {(r.namespace, r.title) for r in s.scalars(
            select(PageLink).where(PageLink.from_id == page_id))}
        # self-links are not recorded; a missing template is a red link, recorded as in MediaWiki
        assert links == {(0, "Pont_de_Recouvrance"), (10, "Boîte_quartier")}
        templates = {(r.namespace, r.title) for r in s.scalars(
            select(TemplateLink).where(TemplateLink.from_id == page_id))}
        assert templates == {(10, "Boîte_quartier")}
        cats = {r.to: (r.sortkey_prefix, r.sortkey, r.type) for r in s.scalars(select(CategoryLink))}
        assert cats == {
            "Rues_de_Brest": ("Siam, rue", "SIAM, RUE\nRUE DE SIAM", "page"),
            "Centre-ville": ("Rue", "RUE\nRUE DE SIAM", "page"),
            # Siam_1900.jpg is not uploaded: the broken-file-category tracking category
            "Pages_avec_des_liens_de_fichiers_brisés": ("Siam, rue", "SIAM, RUE\nRUE DE SIAM",
                                                        "page"),
        }
        ext = s.scalar(select(ExternalLink))
        assert ext.to == "http://www.example.org/brest/siam"
        assert ext.index == "http://org.example.www./brest/siam"
        assert [r.to for r in s.scalars(select(ImageLink))] == ["Siam_1900.jpg"]
        props = {r.name: r.value for r in s.scalars(select(PageProp))}
        assert props.get("defaultsort") == "Siam, rue"
        assert s.scalar(select(Category).where(Category.title == "Rues_de_Brest")).pages == 1


def test_links_follow_edits_and_deletion(app) -> None:
    page_id = _save(app, "Kerbonne", "[[A]] [[B]] [[Catégorie:Quartiers]]")
    _save(app, "Kerbonne", "[[B]] [[C]]")
    with tx(app) as s:
        titles = sorted(r.title for r in s.scalars(select(PageLink).where(PageLink.from_id == page_id)))
        assert titles == ["B", "C"]
        assert s.scalar(select(CategoryLink)) is None
        assert s.scalar(select(Category).where(Category.title == "Quartiers")).pages == 0
    with tx(app) as s:
        revisions.delete_page(s, Title.new("Kerbonne"), users.create_user(s, "Adm", "pw", ("sysop",)))
    with tx(app) as s:
        assert s.scalar(select(PageLink).where(PageLink.from_id == page_id)) is None


def test_template_edit_and_link_target_creation_touch_dependants(app) -> None:
    user_page = _save(app, "Utilise", "{{Bandeau}} et [[Cible]]")
    with tx(app) as s:
        before = s.get(Page, user_page).touched
    _save(app, "Modèle:Bandeau", "Nouveau bandeau")
    with tx(app) as s:
        after_template = s.get(Page, user_page).touched
        assert after_template > before
    _save(app, "Cible", "Existe maintenant")
    with tx(app) as s:
        assert s.get(Page, user_page).touched > after_template
    _save(app, "Sans lien", "rien")
    with tx(app) as s:
        assert derived.invalidate_backlinks(s, Title.new("Sans lien"), links=True) == 0


def test_el_index() -> None:
    assert derived.el_index("https://fr.wikipedia.org/wiki/Brest") == \
        "https://org.wikipedia.fr./wiki/Brest"
    assert derived.el_index("http://example.com") == "http://com.example./"


def test_refresh_links_rebuilds_from_revisions(app, monkeypatch) -> None:
    page_id = _save(app, "Reconstruit", "[[Un]] [[Deux]] {{Trois}}")
    with tx(app) as s:
        s.execute(delete(PageLink))
        s.execute(delete(TemplateLink))
    import wikiengine.store.cli as store_cli
    from wikiengine.cli import main

    monkeypatch.setattr(store_cli, "_app", lambda: app)
    result = CliRunner().invoke(main, ["refresh-links"])
    assert result.exit_code == 0, result.output
    with tx(app) as s:
        assert sorted(r.title for r in s.scalars(
            select(PageLink).where(PageLink.from_id == page_id))) == ["Deux", "Trois", "Un"]
        assert [r.title for r in s.scalars(
            select(TemplateLink).where(TemplateLink.from_id == page_id))] == ["Trois"]
        assert s.get(User, 1) is not None


def test_links_of_a_merged_save_come_from_the_merged_text(app) -> None:
    base_text = "[[Haut]]\n\nmilieu\n\n[[Bas]]"
    page_id = _save(app, "Fusion", base_text)
    with tx(app) as s:
        base = revisions.get_page(s, Title.new("Fusion")).latest
    _save(app, "Fusion", base_text.replace("[[Haut]]", "[[Sommet]]"))
    with tx(app) as s:
        result = revisions.save_page(s, Title.new("Fusion"),
                                     base_text.replace("[[Bas]]", "[[Pied]]"),
                                     users.get_user(s, "Scribe"), base_rev_id=base)
        assert result.merged
    with tx(app) as s:
        assert sorted(r.title for r in s.scalars(
            select(PageLink).where(PageLink.from_id == page_id))) == ["Pied", "Sommet"]
