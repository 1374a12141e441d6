"""PDF documents: upload checks (PDFium in a limited process), page thumbnails named as
PdfHandler names them (``page2-220px-Doc.pdf.jpg``), the File: page with its page links."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from api_helpers import api, csrf, logged_in
from files_helpers import PAGE_COLOURS, pdf, png, upload_file

DATA = Path(__file__).parent / "data" / "files"


def _img(html: str, marker: str) -> str:
    return re.search(r'<img [^>]*src="[^"]*' + re.escape(marker) + r'"[^>]*>', html).group(0)


def _attr(tag: str, name: str) -> str:
    return re.search(name + r'="([^"]*)"', tag).group(1)


def _path(url: str) -> str:
    return url[url.index("/images/"):]


def _close(rgb: tuple, expected: tuple) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(rgb, expected))


def test_verify_reads_page_count_and_size() -> None:
    from wikiengine.files.verify import verify

    facts = verify(pdf(pages=3, size=(300, 150)), "Doc.pdf")
    assert facts.mime == "application/pdf" and facts.media_type == "OFFICE"
    assert (facts.width, facts.height) == (300, 150)
    assert facts.metadata["pages"] == 3
    assert facts.metadata["page_sizes"] == [[300.0, 150.0]] * 3


@pytest.mark.parametrize("data, words", [
    ((DATA / "broken.pdf").read_bytes(), "damaged, encrypted or cannot be read"),
    ((DATA / "encrypted.pdf").read_bytes(), "Incorrect password"),
    (b"Ceci n'est pas un PDF, juste du texte.\n" * 10, "not a recognised image or document"),
    (png(), "does not match the detected MIME type"),
])
def test_bad_pdfs_are_refused_with_a_clear_message(data: bytes, words: str) -> None:
    from wikiengine.files.verify import UploadError, verify

    with pytest.raises(UploadError) as err:
        verify(data, "Doc.pdf")
    assert err.value.code == "verification-error" and words in err.value.message


def test_a_pdf_named_as_an_image_is_refused() -> None:
    from wikiengine.files.verify import UploadError, verify

    with pytest.raises(UploadError, match="does not match"):
        verify(pdf(), "Photo.jpg")


def test_too_many_pages_is_refused(monkeypatch) -> None:
    from wikiengine.files import pdf as pdfmod
    from wikiengine.files.verify import UploadError, verify

    monkeypatch.setattr(pdfmod, "MAX_PAGES", 2)
    with pytest.raises(UploadError, match="3 pages; at most 2"):
        verify(pdf(pages=3), "Doc.pdf")


def test_rendering_is_bounded_in_time_and_width(monkeypatch) -> None:
    from wikiengine.files import pdf as pdfmod
    from wikiengine.files import svg

    monkeypatch.setattr(svg, "_failures", {})
    slow = pdf(pages=2)
    for _ in range(svg.MAX_FAILURES):
        with pytest.raises(pdfmod.PdfError, match="more than"):
            pdfmod.render_page(slow, 1, 100, timeout=0.001)
    # After MAX_FAILURES failures the document is not rendered again for a while.
    with pytest.raises(pdfmod.PdfError, match="not tried again"):
        pdfmod.render_page(slow, 1, 100)
    with pytest.raises(pdfmod.PdfError, match="pixels wide"):
        pdfmod.render_page(pdf(), 1, pdfmod.MAX_WIDTH + 1)
    with pytest.raises(pdfmod.PdfError, match="no page 4"):
        pdfmod.render_page(pdf(pages=3), 4, 100)


def test_article_shows_the_requested_page_as_a_jpeg(app) -> None:
    from wikiengine.files.storage import thumb_dir

    client = logged_in(app)
    upload_file(app, "Doc.pdf", pdf(pages=3, size=(400, 200)), comment="document")
    text = ("[[Fichier:Doc.pdf|page=2|220px]]\n[[Fichier:Doc.pdf|120px]]\n"
            "[[Fichier:Doc.pdf|page=9|100px]]\n[[Fichier:Doc.pdf|page=0|90px]]")
    assert api(client, action="edit", title="Compte rendu", text=text,
               token=csrf(client))["edit"]["result"] == "Success"
    html = client.get("/wiki/Compte_rendu").get_data(as_text=True)
    second = _img(html, "/page2-220px-Doc.pdf.jpg")
    assert (_attr(second, "width"), _attr(second, "height")) == ("220", "110")
    src = _attr(second, "src")
    assert src == f"/images/{thumb_dir('Doc.pdf')}/page2-220px-Doc.pdf.jpg"
    assert _attr(second, "srcset") == (src.replace("/page2-220px-", "/page2-330px-")
                                       + " 1.5x, " + src.replace("/page2-220px-", "/page2-440px-")
                                       + " 2x")
    _img(html, "/page1-120px-Doc.pdf.jpg")   # no page=: the first page
    _img(html, "/page3-100px-Doc.pdf.jpg")   # page=9 of 3 pages: the last (normaliseParams)
    _img(html, "/page1-90px-Doc.pdf.jpg")    # page=0: the first
    # The image links to the description page at that page (Linker's desc-query).
    assert re.search(r'<a href="/w/index.php\?title=Fichier:Doc.pdf&amp;page=2" '
                     r'class="(?:image|mw-file-description)"><img [^>]*page2-220px', html)
    resp = client.get(_path(src))
    assert resp.status_code == 200 and resp.mimetype == "image/jpeg"
    thumb = Image.open(io.BytesIO(resp.data))
    assert (thumb.format, thumb.size) == ("JPEG", (220, 110))
    assert _close(thumb.convert("RGB").getpixel((110, 55)), PAGE_COLOURS[1])
    first = Image.open(io.BytesIO(client.get(_path(src).replace("page2-220", "page1-120")).data))
    assert first.size == (120, 60) and _close(first.getpixel((60, 30)), PAGE_COLOURS[0])
    assert (Path(app.config["UPLOAD_DIR"]) / thumb_dir("Doc.pdf")
            / "page2-220px-Doc.pdf.jpg").is_file()
    base = f"/images/{thumb_dir('Doc.pdf')}"
    assert client.get(f"{base}/page4-220px-Doc.pdf.jpg").status_code == 404  # no page 4
    assert client.get(f"{base}/220px-Doc.pdf.jpg").status_code == 404        # no page part
    assert client.get(f"{base}/page1-220px-Doc.pdf").status_code == 404      # no .jpg
    assert client.get(f"{base}/page1-99999px-Doc.pdf.jpg").status_code == 404  # too wide


def test_file_page_shows_the_page_count_and_links_to_pages(app) -> None:
    client = logged_in(app)
    upload_file(app, "Rapport.pdf", pdf(pages=3, size=(400, 200)), comment="document")
    html = client.get("/wiki/Fichier:Rapport.pdf").get_data(as_text=True)
    img = _img(html, "/page1-400px-Rapport.pdf.jpg")
    assert "page1-600px-Rapport.pdf.jpg 1.5x" in _attr(img, "srcset")
    assert "3 pages" in html
    nav = re.search(r'<div class="multipageimagenavbox.*?</div>', html, re.S).group(0)
    assert 'href="/w/index.php?title=Fichier%3ARapport.pdf&amp;page=2"' in nav
    assert 'href="/w/index.php?title=Fichier%3ARapport.pdf&amp;page=3"' in nav
    assert 'rel="prev"' not in nav
    html = client.get("/wiki/Fichier:Rapport.pdf?page=2").get_data(as_text=True)
    _img(html, "/page2-400px-Rapport.pdf.jpg")
    nav = re.search(r'<div class="multipageimagenavbox.*?</div>', html, re.S).group(0)
    assert 'rel="prev" href="/w/index.php?title=Fichier%3ARapport.pdf&amp;page=1"' in nav
    assert "<strong>2</strong>" in nav
    html = client.get("/wiki/Fichier:Rapport.pdf?page=99").get_data(as_text=True)
    _img(html, "/page3-400px-Rapport.pdf.jpg")  # past the end: the last page
    html = client.get("/wiki/Fichier:Rapport.pdf?page=-2").get_data(as_text=True)
    _img(html, "/page1-400px-Rapport.pdf.jpg")


def test_api_imageinfo_gives_page_count_and_page_thumbnail(app) -> None:
    client = logged_in(app)
    upload_file(app, "Notice.pdf", pdf(pages=2, size=(400, 200)), comment="document")
    info = api(client, action="query", prop="imageinfo", titles="Fichier:Notice.pdf",
               iiprop="size|url|mime", iiurlwidth=600)
    ii = next(iter(info["query"]["pages"].values()))["imageinfo"][0]
    assert (ii["width"], ii["height"], ii["pagecount"]) == (400, 200, 2)
    assert ii["mime"] == "application/pdf"
    assert ii["thumburl"].endswith("/page1-600px-Notice.pdf.jpg") and ii["thumbwidth"] == 600
    assert client.get(_path(ii["thumburl"])).mimetype == "image/jpeg"


def test_a_page_of_another_size_keeps_its_own_shape(app) -> None:
    client = logged_in(app)
    upload_file(app, "Mixte.pdf", pdf(sizes=[(400, 200), (200, 400)]))  # landscape, portrait
    assert api(client, action="edit", title="Mixte", token=csrf(client),
               text="[[Fichier:Mixte.pdf|page=2|100px]] [[Fichier:Mixte.pdf|100px]]"
               )["edit"]["result"] == "Success"
    html = client.get("/wiki/Mixte").get_data(as_text=True)
    portrait, landscape = _img(html, "/page2-100px-Mixte.pdf.jpg"), _img(
        html, "/page1-100px-Mixte.pdf.jpg")
    assert (_attr(portrait, "width"), _attr(portrait, "height")) == ("100", "200")
    assert (_attr(landscape, "width"), _attr(landscape, "height")) == ("100", "50")
    thumb = Image.open(io.BytesIO(client.get(_path(_attr(portrait, "src"))).data))
    assert thumb.size == (100, 200)
    page = client.get("/wiki/Fichier:Mixte.pdf?page=2").get_data(as_text=True)
    img = _img(page, "/page2-200px-Mixte.pdf.jpg")
    assert (_attr(img, "width"), _attr(img, "height")) == ("200", "400")


def test_file_page_in_both_interface_languages(app) -> None:
    client = logged_in(app)
    upload_file(app, "Tract.pdf", pdf(pages=1), comment="document")
    fr = client.get("/wiki/Fichier:Tract.pdf").get_data(as_text=True)
    en = client.get("/wiki/Fichier:Tract.pdf?uselang=en").get_data(as_text=True)
    # The page count only for more than one page (file-info-size-pages, as MediaWiki).
    assert "type MIME : application/pdf)" in fr and "Page 1 sur 1" in fr
    assert "MIME type: application/pdf)" in en and "Page 1 of 1" in en and "Go to page" in en
    assert "Aller à la page" in fr
    assert 'rel="next"' not in fr and 'rel="prev"' not in fr  # a single page


def test_without_pypdfium2_pdfs_are_refused_with_a_reason(app, monkeypatch) -> None:
    from wikiengine.files import pdf as pdfmod
    from wikiengine.files.storage import thumb_dir
    from wikiengine.files.verify import UploadError, verify

    upload_file(app, "Ancien.pdf", pdf(pages=1))  # uploaded while PDFium was there
    monkeypatch.setattr(pdfmod, "available", lambda: False)
    with pytest.raises(UploadError, match="pypdfium2 package is not installed"):
        verify(pdf(), "Doc.pdf")
    client = app.test_client()  # its thumbnails are missing, not an error page
    url = f"/images/{thumb_dir('Ancien.pdf')}/page1-120px-Ancien.pdf.jpg"
    assert client.get(url).status_code == 404
