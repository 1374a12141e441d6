"""PageSource: how the parser reads other pages (templates, existence, files).

The parser does no I/O: the caller hands it a ``PageSource``. ``DictPageSource`` is the
in-memory one used by tests, ``render_html`` and the conformance runner.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol

from wikiengine.namespaces import FILE, MEDIA, Namespaces
from wikiengine.title import InvalidTitle, Title


@dataclass(frozen=True)
class FileInfo:
    """An uploaded file: size, type and where its bytes (and thumbnails) live."""

    name: str                      # dbkey without namespace, e.g. "Foobar.jpg"
    width: int = 0
    height: int = 0
    url: str = ""
    mime: str = "application/octet-stream"
    size: int = 0
    media_type: str = "BITMAP"     # BITMAP, DRAWING, VIDEO, AUDIO, OFFICE, ...
    pages: int = 0
    thumb_base: str = ""           # thumb URL prefix; thumb = f"{thumb_base}/{w}px-{name}"
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def thumb_url(self, width: int) -> str:
        """A bitmap's thumbnail URL (the file itself when not smaller); a drawing's
        thumbnails are PNG renderings at any width (``220px-Name.svg.png``); a PDF's are
        JPEG renderings of one page (``page2-220px-Name.pdf.jpg``, PdfHandler's names)."""
        if not self.thumb_base or (width >= self.width and not self.is_vector):
            return self.url
        name = self.name
        if self.mime == "image/svg+xml":
            name += ".png"
        elif self.is_pdf:
            return f"{self.thumb_base}/page{self.page}-{width}px-{name}.jpg"
        return f"{self.thumb_base}/{width}px-{name}"

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"

    @property
    def page(self) -> int:
        """The page of a multipage document shown (``for_page``), 1 by default."""
        return int(self.extra.get("page", 1))

    def for_page(self, page: object) -> "FileInfo":
        """This document showing ``page=``: not a whole number or below 1, page 1
        (PdfHandler's ``validateParam``); past the end, the last page (``ImageHandler::
        normaliseParams``). Other files are unchanged."""
        if not self.is_pdf:
            return self
        try:
            n = int(str(page).strip())
        except (TypeError, ValueError):
            n = 1
        n = min(max(n, 1), max(self.pages, 1))
        from dataclasses import replace

        width, height = self.width, self.height
        sizes = self.extra.get("page_sizes") or ()
        if n <= len(sizes):  # pages of one document may differ in size (a landscape page)
            try:
                width, height = (max(1, round(float(v))) for v in sizes[n - 1])
            except (TypeError, ValueError):
                pass
        return replace(self, width=width, height=height, extra={**self.extra, "page": n})

    @property
    def is_vector(self) -> bool:
        """Rendered at any width (SVG drawings, PDF pages), never served as the original."""
        return self.mime in ("image/svg+xml", "application/pdf")

    @property
    def can_render(self) -> bool:
        return self.media_type in ("BITMAP", "DRAWING") or self.mime.startswith("image/") \
            or self.is_pdf


@dataclass(frozen=True)
class PageInfo:
    id: int
    latest: int
    is_redirect: bool = False
    length: int = 0


class PageSource(Protocol):
    """What the parser reads. A source may also offer ``redirects_many(titles) -> set[str]``
    (prefixed dbkeys of the titles that are redirects, one batched query): links to them
    then get the ``mw-redirect`` class, as in MediaWiki."""

    def get_text(self, title: Title) -> str | None: ...
    def exists_many(self, titles: Iterable[Title]) -> set[str]: ...
    def file_info(self, title: Title) -> FileInfo | None: ...
    def page_info(self, title: Title) -> PageInfo | None: ...


class DictPageSource:
    """Pages from ``{title text: wikitext}`` plus optional files ``{dbkey: FileInfo}``."""

    def __init__(
        self,
        pages: dict[str, str] | None = None,
        files: dict[str, FileInfo] | Iterable[FileInfo] | None = None,
        namespaces: Namespaces | None = None,
        redirects: Callable[[str], bool] | None = None,
    ) -> None:
        self.namespaces = namespaces or Namespaces(language="en", meta="Project")
        self.pages: dict[str, str] = {}
        self.order: dict[str, int] = {}
        for text, wikitext in (pages or {}).items():
            self.add(text, wikitext)
        self.files: dict[str, FileInfo] = {}
        if isinstance(files, dict):
            self.files.update(files)
        elif files:
            for info in files:
                self.files[info.name] = info
        for name in self.files:
            key = self.namespaces.name(FILE).replace(" ", "_") + ":" + name
            self.pages.setdefault(key, "")
            self.order.setdefault(key, len(self.order) + 1)

    def _key(self, text: str) -> str | None:
        try:
            t = Title.new(text, self.namespaces)
        except InvalidTitle:
            return None
        return t.prefixed_dbkey

    def add(self, text: str, wikitext: str) -> None:
        key = self._key(text)
        if key is not None:
            self.pages[key] = wikitext
            self.order.setdefault(key, len(self.order) + 1)

    def get_text(self, title: Title) -> str | None:
        if title.interwiki:
            return None
        return self.pages.get(title.prefixed_dbkey)

    def exists_many(self, titles: Iterable[Title]) -> set[str]:
        found = set()
        for t in titles:
            if t.interwiki:
                continue
            key = t.prefixed_dbkey
            if t.namespace == MEDIA:
                if t.dbkey in self.files:
                    found.add(key)
            elif key in self.pages:
                found.add(key)
        return found

    def redirects_many(self, titles: Iterable[Title]) -> set[str]:
        """Prefixed dbkeys of the existing ``titles`` whose text is a redirect."""
        out = set()
        for t in titles:
            text = self.pages.get(t.prefixed_dbkey)
            if text is not None and text.lstrip()[:9].lower() == "#redirect":
                out.add(t.prefixed_dbkey)
        return out

    def file_info(self, title: Title) -> FileInfo | None:
        if title.namespace not in (FILE, MEDIA):
            return None
        return self.files.get(title.dbkey)

    def page_info(self, title: Title) -> PageInfo | None:
        key = title.prefixed_dbkey
        if key not in self.pages:
            return None
        text = self.pages[key]
        n = self.order.get(key, 1)
        is_redirect = text.lstrip().lower().startswith("#redirect")
        return PageInfo(id=n, latest=n, is_redirect=is_redirect, length=len(text.encode("utf-8")))
