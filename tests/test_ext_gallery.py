"""Gallery: modes, captions, link/alt options, missing files, huge galleries bounded."""
from __future__ import annotations

import time

from extensions.gallery import MAX_IMAGES
from wikiengine import registry
from wikiengine.parser import DictPageSource, FileInfo, parse

HOOKS = registry.build(["Gallery"]).parser_hooks()
FILES = [FileInfo(name="Phare.jpg", width=800, height=600, url="/i/Phare.jpg",
                  thumb_base="/t/Phare.jpg")]


def norm(html: str) -> str:
    """The HTML with void-element slashes and non-breaking space spellings unified."""
    return html.replace(" />", ">").replace("&#160;", "\xa0").replace("&nbsp;", "\xa0")


def render(text: str) -> str:
    return norm(parse(text, "Test", DictPageSource({}, FILES), hooks=HOOKS.copy()).html)


def test_packed_with_caption_link_and_alt() -> None:
    html = render('<gallery mode="packed" caption="Le port">\nFile:Phare.jpg|Le [[phare]]|'
                  'alt=Un phare|link=Accueil\nFile:Absent.jpg\n</gallery>')
    assert '<ul class="gallery mw-gallery-packed">' in html
    assert '<li class="gallerycaption">' in html and "Le port" in html
    assert '<a href="/wiki/Accueil" class="image"><img alt="Un phare" src="/t/Phare.jpg/240px-' \
           'Phare.jpg"' in html
    assert 'width="160" height="120"' in html and "Absent.jpg</div>" in html


def test_traditional_nolines_and_slideshow_fallback() -> None:
    assert "mw-gallery-traditional" in render("<gallery>\nFile:Phare.jpg\n</gallery>")
    assert "mw-gallery-nolines" in render('<gallery mode="nolines">\nFile:Phare.jpg\n</gallery>')
    assert "mw-gallery-slideshow" in render('<gallery mode="slideshow">\nFile:Phare.jpg</gallery>')
    assert "mw-gallery-traditional" in render('<gallery mode="bizarre">\nFile:Phare.jpg</gallery>')


def test_huge_gallery_is_bounded() -> None:
    text = "<gallery mode=packed>\n" + "File:Phare.jpg|x\n" * (MAX_IMAGES * 5) + "</gallery>"
    start = time.perf_counter()
    html = render(text)
    assert time.perf_counter() - start < 30
    assert html.count('class="gallerybox"') == MAX_IMAGES


def test_traditional_matches_the_core_gallery() -> None:
    """Without options the extension draws exactly what the parser's core <gallery> draws."""
    text = ('<gallery widths="100" caption="Port">\nFile:Phare.jpg|Le [[phare]]\n'
            'File:Absent.jpg\n</gallery>')
    core = norm(parse(text, "Test", DictPageSource({}, FILES)).html)
    assert render(text) == core


def test_traditional_options_are_not_captions() -> None:
    html = render("<gallery showfilename perrow=2>\nFile:Phare.jpg|Le phare|alt=Phare|link=\n"
                  "</gallery>")
    assert 'alt="Phare"' in html and "alt=Phare" not in html and "link=" not in html
    assert 'class="image"' not in html  # empty link=: no link
    assert 'class="galleryfilename galleryfilename-truncate"' in html
    assert 'style="max-width: ' in html and "Le phare" in html
