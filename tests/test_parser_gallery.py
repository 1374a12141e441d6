"""The core <gallery> (wikiengine/parser/gallery.py) against MediaWiki 1.39's own HTML
(tests/data/gallery, see its README), plus what the oracle fixtures cannot show: bounds,
bad input, French option names, bad images and what a gallery records."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from wikiengine.parser import DictPageSource, FileInfo, parse
from wikiengine.parser.gallery import MAX_IMAGES
from wikiengine.parser.site import SiteConfig

DATA = Path(__file__).parent / "data" / "gallery"


def _files() -> list[FileInfo]:
    sizes = json.loads((DATA / "files.json").read_text(encoding="utf-8"))
    return [FileInfo(name=n, width=w, height=h, url=f"/w/images/{n}", mime="image/jpeg",
                     thumb_base=f"/w/images/thumb/{n}") for n, (w, h) in sizes.items()]


def _parse(text: str, pages: dict | None = None, **kw):
    return parse(text, "Test", DictPageSource(pages or {}, _files()), **kw)


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("*.wiki")))
def test_same_html_as_mediawiki(name: str) -> None:
    text = (DATA / f"{name}.wiki").read_text(encoding="utf-8")
    expected = (DATA / f"{name}.html").read_text(encoding="utf-8")
    pages = DATA / f"{name}.pages.json"  # the wiki's other pages (templates), if any
    pages_dict = json.loads(pages.read_text(encoding="utf-8")) if pages.exists() else None
    assert _parse(text, pages_dict).html.rstrip("\n") == expected.rstrip("\n")


@pytest.mark.parametrize("name", sorted(p.name.split(".")[0]
                                        for p in DATA.glob("*.newdom.html")))
def test_same_html_as_mediawiki_without_legacy_media_dom(name: str) -> None:
    """$wgParserEnableLegacyMediaDOM = false: ``<span typeof="mw:File">`` thumbnails."""
    site = SiteConfig.default()
    site.extra["legacy_media_dom"] = False
    text = (DATA / f"{name}.wiki").read_text(encoding="utf-8")
    expected = (DATA / f"{name}.newdom.html").read_text(encoding="utf-8")
    assert _parse(text, site=site).html.rstrip("\n") == expected.rstrip("\n")


def test_gallery_records_its_files_links_and_external_links() -> None:
    out = _parse("<gallery>\nFile:Phare.jpg|link=Accueil\nFile:Absent.jpg|[[Port]]\n"
                 "File:Tour.jpg|link=https://example.org/t\nSpecial:Foo\n</gallery>")
    assert set(out.images) == {"Phare.jpg", "Absent.jpg", "Tour.jpg"}
    assert {"Accueil", "Port"} <= set(out.links)
    assert "https://example.org/t" in out.external_links


def test_huge_gallery_is_bounded() -> None:
    text = "<gallery mode=packed>\n" + "File:Phare.jpg|x\n" * (MAX_IMAGES * 5) + "</gallery>"
    start = time.perf_counter()
    html = _parse(text).html
    assert time.perf_counter() - start < 60
    assert html.count('class="gallerybox"') == MAX_IMAGES


@pytest.mark.parametrize("attrs", ['widths="-5" heights="0"', 'widths="abc" heights="1e9x"',
                                   f'widths="{"9" * 5000}" perrow="{"7" * 5000}"',
                                   'perrow="-3"', 'mode="<script>"', 'class="a\\" onclick=x"'])
def test_bad_attributes_fall_back_to_defaults(attrs: str) -> None:
    html = _parse(f"<gallery {attrs}>\nFile:Phare.jpg\n</gallery>").html
    assert html.startswith('<ul class="gallery mw-gallery-traditional')
    assert 'width="120" height="90"' in html and "max-width" not in html
    assert "<script" not in html and "onclick" not in html


def test_unsafe_style_and_event_attributes_are_sanitized() -> None:
    html = _parse('<gallery style="background:url(javascript:x)" onclick="x()" id="g">\n'
                  "File:Phare.jpg\n</gallery>").html
    assert "javascript" not in html and "onclick" not in html and 'id="g"' in html


def test_french_option_names() -> None:
    site = SiteConfig.default()
    site.language = "fr"
    html = _parse("<gallery>\nFile:Phare.jpg|Le phare|alternative=Un phare|lien=Accueil\n"
                  "</gallery>", site=site).html
    assert 'alt="Un phare"' in html and 'href="/wiki/Accueil"' in html
    assert "lien=" not in html and "alternative=" not in html


def test_bad_image_is_a_link_without_thumbnail() -> None:
    from wikiengine.parser import make_context
    from wikiengine.parser.gallery import gallery_hook
    ctx = make_context("Test", DictPageSource({}, _files()))
    ctx.ext_state["bad_images"] = {"Phare.jpg"}
    html = gallery_hook("File:Phare.jpg\nFile:Tour.jpg", {}, ctx, None)
    assert '<a href="/wiki/File:Phare.jpg" title="File:Phare.jpg">Phare.jpg</a>' in html
    assert "Phare.jpg/120px" not in html and "Tour.jpg/80px-Tour.jpg" in html
    ctx.site.extra["legacy_media_dom"] = False  # as MediaWiki 1.39 draws it then
    html = gallery_hook("File:Phare.jpg", {}, ctx, None)
    assert ('<div class="thumb" style="height: 150px;"><span typeof="mw:Error mw:File"><a '
            'href="/wiki/File:Phare.jpg" title="File:Phare.jpg"><span class="mw-broken-media" '
            'data-width="120" data-height="120">File:Phare.jpg</span></a></span></div>') in html


def test_showthumbnails_and_slideshow_perrow() -> None:
    html = _parse("<gallery mode=slideshow showthumbnails perrow=1>\nFile:Phare.jpg\n"
                  "</gallery>").html
    assert '<ul class="gallery mw-gallery-slideshow" data-showthumbnails="1" ' \
           'style="max-width: 163px;">' in html


def test_gallery_styles_are_served_and_applied(app, live_server, browser) -> None:
    """A page view links gallery.css: the boxes of a gallery stand side by side."""
    from wikiengine import db
    from wikiengine.store import revisions, users
    from wikiengine.title import Title

    with app.app_context(), db.session_scope(app) as s:
        user = users.get_user(s, "Scribe") or users.create_user(s, "Scribe", "pw")
        revisions.save_page(s, Title.new("Galerie"), (DATA / "traditional.wiki").read_text(
            encoding="utf-8"), user)
    page = browser.new_page()
    page.goto(f"{live_server}/wiki/Galerie")
    boxes = page.locator("li.gallerybox")
    assert boxes.count() == 4
    tops = {round(b.bounding_box()["y"]) for b in boxes.all()}
    assert len(tops) == 1  # one row, not a bulleted column
    assert page.evaluate("getComputedStyle(document.querySelector('li.gallerybox')).display") \
        == "inline-block"
