"""The process that rasterises one SVG drawing to PNG with resvg (``resvg_py``), as MediaWiki
runs ``rsvg-convert`` under ``$wgMaxShellTime``/``$wgMaxShellMemory``: it limits its own CPU
time and memory before loading the renderer, reads the (already cleaned) SVG on standard
input and writes the PNG on standard output.

    python -I svg_worker.py WIDTH HEIGHT CPU_SECONDS MEMORY_BYTES < drawing.svg > thumb.png

It imports nothing of wikiengine (run by path, in an empty working folder); exit status 2 is a
drawing resvg refuses, 3 a missing renderer.
"""
from __future__ import annotations

import resource
import sys


def main(argv: list[str]) -> int:
    width, height, cpu, memory = (int(a) for a in argv[1:5])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # writes no file, only stdout (a pipe)
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
