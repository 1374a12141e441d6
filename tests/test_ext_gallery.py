"""Gallery: the compatibility name. A config that lists "Gallery" still loads, leaves the
parser's own <gallery> in place and draws what a parse without it draws (the gallery itself is
tested in tests/test_parser_gallery.py against MediaWiki's HTML)."""
from __future__ import annotations

from extensions import gallery as ext
from wikiengine import config, registry
from wikiengine.parser import DictPageSource, FileInfo, parse
from wikiengine.parser import gallery as core

FILES = [FileInfo(name="Phare.jpg", width=800, height=600, url="/i/Phare.jpg",
                  thumb_base="/t/Phare.jpg")]
TEXTS = ['<gallery widths="100" caption="Port">\nFile:Phare.jpg|Le [[phare]]\nFile:Absent.jpg\n'
         "</gallery>",
         '<gallery mode="packed" caption="Le port">\nFile:Phare.jpg|Le [[phare]]|alt=Un phare|'
         "link=Accueil\nFile:Absent.jpg\n</gallery>",
         "<gallery mode=packed-overlay showfilename>\nFile:Phare.jpg|x\n</gallery>",
         "<gallery mode=nolines perrow=2>\nFile:Phare.jpg\n</gallery>"]


def test_the_name_still_loads_and_leaves_the_core_hook() -> None:
    reg = registry.build(["Gallery"])
    assert "Gallery" in reg.extensions and "gallery" not in reg.tags
    assert ext.MAX_IMAGES == core.MAX_IMAGES


def test_not_enabled_by_default() -> None:
    assert "Gallery" not in config.DEFAULTS["EXTENSIONS"]


def test_with_or_without_the_name_the_html_is_the_same() -> None:
    hooks = registry.build(["Gallery"]).parser_hooks()
    for text in TEXTS:
        with_ext = parse(text, "Test", DictPageSource({}, FILES), hooks=hooks.copy()).html
        core_only = parse(text, "Test", DictPageSource({}, FILES)).html
        assert with_ext == core_only and 'class="gallerybox"' in core_only
