"""The process that renders one untrusted file, as MediaWiki runs ``rsvg-convert`` or
PdfHandler's ``gs`` under ``$wgMaxShellTime``/``$wgMaxShellMemory``: it limits its own CPU
time and memory (and forbids writing files) before loading the renderer, reads the file on
standard input and writes the result on standard output.

    python -I svg_worker.py WIDTH HEIGHT CPU MEMORY < drawing.svg > thumb.png   (resvg)
    python -I svg_worker.py pdf-info CPU MEMORY MAX_PAGES < doc.pdf > facts.json (pypdfium2)
    python -I svg_worker.py pdf-page PAGE WIDTH CPU MEMORY < doc.pdf > page.jpg  (pypdfium2)

It imports nothing of wikiengine (run by path, in an empty working folder); exit status 2 is a
file the renderer refuses, 3 a missing renderer, 4 a page out of range or too large.
"""
from __future__ import annotations

import resource
import sys


def _limit(cpu: int, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # writes no file, only stdout (a pipe)


def _pdf_from_stdin():  # type: ignore[no-untyped-def]
    """The PDF on standard input, or the exit code saying why it cannot be opened:
    3 without pypdfium2, 2 when PDFium refuses it (damaged, encrypted, not a PDF)."""
    data = sys.stdin.buffer.read()
    try:
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(data)
    except ImportError as exc:
        sys.stderr.write(f"pypdfium2 is not installed: {exc}\n")
        return 3
    except Exception as exc:  # PdfiumError: damaged, encrypted (password), not a PDF
        sys.stderr.write(f"pdfium: {exc}\n")
        return 2


def pdf_info(argv: list[str]) -> int:
    """JSON ``{"pages": n, "sizes": [[w, h], …]}`` (points, first ``MAX_PAGES`` pages)."""
    import json

    cpu, memory, max_pages = (int(a) for a in argv[2:5])
    _limit(cpu, memory)
    doc = _pdf_from_stdin()
    if isinstance(doc, int):
        return doc
    pages = len(doc)
    sizes = [list(doc.get_page_size(i)) for i in range(min(pages, max_pages))]
    sys.stdout.write(json.dumps({"pages": pages, "sizes": sizes}))
    return 0


def pdf_page(argv: list[str]) -> int:
    """JPEG of page ``PAGE`` (1-based) scaled to ``WIDTH`` pixels wide."""
    import io

    page_no, width, cpu, memory = (int(a) for a in argv[2:6])
    _limit(cpu, memory)
    doc = _pdf_from_stdin()
    if isinstance(doc, int):
        return doc
    if not 1 <= page_no <= len(doc):
        sys.stderr.write(f"no page {page_no} (the document has {len(doc)})\n")
        return 4
    page = doc[page_no - 1]
    pw, ph = page.get_size()
    if pw <= 0 or ph <= 0:
        sys.stderr.write("the page has no size\n")
        return 2
    height = max(1, round(ph * width / pw))
    if height > 4 * 4096:
        sys.stderr.write(f"a {width}×{height} rendering is too large\n")
        return 4
    try:
        im = page.render(scale=width / pw).to_pil().convert("RGB")
    except Exception as exc:
        sys.stderr.write(f"pdfium: {exc}\n")
        return 2
    if im.size != (width, height):
        from PIL import Image

        im = im.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=85, progressive=True)
    sys.stdout.buffer.write(out.getvalue())
    return 0


def main(argv: list[str]) -> int:
    if argv[1] == "pdf-info":
        return pdf_info(argv)
    if argv[1] == "pdf-page":
        return pdf_page(argv)
    width, height, cpu, memory = (int(a) for a in argv[1:5])
    _limit(cpu, memory)
    try:
        import resvg_py
    except ImportError as exc:
        sys.stderr.write(f"resvg_py is not installed: {exc}\n")
        return 3
    text = sys.stdin.buffer.read().decode("utf-8")
    try:
        png = resvg_py.svg_to_bytes(svg_string=text, width=width, height=height)
    except Exception as exc:  # resvg raises ValueError/OSError… for drawings it cannot read
        sys.stderr.write(f"resvg: {exc}\n")
        return 2
    sys.stdout.buffer.write(bytes(png))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
