"""Progress of a long import or export on a terminal: pages, revisions, bytes, rate, ETA.

Owns ``Progress``: one status line rewritten in place on a terminal (at most a few times a
second), or a plain line every ``interval`` seconds when the output is a file or a pipe, and
a last line when the work ends. The ETA comes from the share of the input already read
(import: compressed bytes of the file) or of the revisions already written (export).
"""
from __future__ import annotations

import sys
import time
from typing import IO


def human_bytes(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if abs(count) < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def human_duration(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class Progress:
    """Shows ``label: N pages, M revisions, X MB, R rev/s, P% ETA h:mm:ss``.

    :param stream: where to write (standard error by default).
    :param interval: seconds between lines when ``stream`` is not a terminal.
    """

    def __init__(self, label: str, stream: IO[str] | None = None, interval: float = 10.0,
                 clock=time.monotonic):  # type: ignore[no-untyped-def]
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = 0.25 if self.tty else interval
        self.clock = clock
        self.started = clock()
        self.last_shown = -1e9
        self.width = 0
        self.lines = 0

    def line(self, pages: int, revisions: int, size: int, done: float | None,
             phase: str = "") -> str:
        """The status text; ``done`` is the finished share (0..1) or None when unknown."""
        elapsed = max(self.clock() - self.started, 1e-6)
        rate = revisions / elapsed
        parts = [f"{pages:,} pages", f"{revisions:,} revisions", human_bytes(size),
                 f"{rate:,.0f} rev/s"]
        if done is not None and 0 < done <= 1:
            remaining = elapsed * (1 - done) / done
            parts.append(f"{done * 100:.0f}% ETA {human_duration(remaining)}")
        head = f"{self.label} ({phase})" if phase else self.label
        return f"{head}: " + ", ".join(parts)

    def update(self, pages: int, revisions: int, size: int, done: float | None,
               phase: str = "", force: bool = False) -> None:
        now = self.clock()
        if not force and now - self.last_shown < self.interval:
            return
        self.last_shown = now
        text = self.line(pages, revisions, size, done, phase)
        if self.tty:
            pad = max(self.width - len(text), 0)
            self.stream.write("\r" + text + " " * pad)
            self.width = len(text)
        else:
            self.stream.write(text + "\n")
        self.lines += 1
        self.stream.flush()

    def finish(self, pages: int, revisions: int, size: int, phase: str = "done") -> None:
        self.update(pages, revisions, size, 1.0, phase, force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
