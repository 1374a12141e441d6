"""Gallery: a compatibility name only; ``<gallery>`` is the parser's (wikiengine/parser/gallery.py).

MediaWiki keeps ``<gallery>`` and all its modes in core (includes/gallery/), so the engine
does too: every parse gets the full gallery (modes, captions, ``alt=``/``link=``, ``perrow``,
``showfilename``) without any extension. This package stays so that configurations that
still list "Gallery" in EXTENSIONS load as before: it only names itself on Special:Version
and registers no tag, so every parse keeps the core hook (nothing renders differently). It
is no longer in the default EXTENSIONS, as MediaWiki has no such extension.
"""
from __future__ import annotations

from typing import Any

from wikiengine.parser.gallery import MAX_IMAGES, MODES

__all__ = ["MAX_IMAGES", "MODES", "register"]
__version__ = "1.39"


def register(registry: Any, config: Any) -> None:
    registry.describe("Gallery", __version__,
                      description="compatibility name: <gallery> and its modes are core "
                                  "(wikiengine/parser/gallery.py)",
                      url="https://www.mediawiki.org/wiki/Help:Images#Gallery_syntax",
                      license="GPL-2.0-or-later", author="MediaWiki contributors")
