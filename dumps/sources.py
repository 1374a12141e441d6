"""Opening a dump file: compression by magic bytes, 7z streaming, bare page fragments.

Owns turning a path or binary file into a stream of XML bytes for the reader, whatever the
container: plain, gzip, bzip2, xz, legacy ``.lzma`` and 7z (through py7zr, extracted in a
background thread into a bounded queue so memory stays flat). It counts the compressed bytes
consumed (for progress and ETA) and wraps a bare sequence of ``<page>`` elements (single-page
exports some tools write) in a ``<mediawiki>`` root without shifting line numbers.
"""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import queue
import re
import threading
from pathlib import Path
from typing import IO, BinaryIO

from .records import DumpError

MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
_FRAGMENT = re.compile(rb"^(\xef\xbb\xbf)?(\s*<\?xml[^>]*\?>)?(\s*(<!--.*?-->\s*)*)<page[\s>]", re.S)
_QUEUE_CHUNKS = 16


class CountingReader(io.RawIOBase):
    """A raw binary reader that counts the bytes read from the file underneath."""

    def __init__(self, raw: BinaryIO, owned: bool = True):
        self.raw = raw
        self.owned = owned
        self.count = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        try:
            return self.raw.seekable()
        except AttributeError:
            return False

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n

    def close(self) -> None:
        if self.owned:
            self.raw.close()
        super().close()


class TeeReader(io.RawIOBase):
    """Reads a stream and writes a copy of every byte to ``copy``."""

    def __init__(self, stream: IO[bytes], copy: BinaryIO):
        self.stream = stream
        self.copy = copy

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.copy.write(data)
        return n

    def close(self) -> None:
        self.stream.close()
        super().close()


class ChainReader(io.RawIOBase):
    """``prefix`` bytes, then the stream, then ``suffix`` bytes."""

    def __init__(self, prefix: bytes, stream: IO[bytes], suffix: bytes = b""):
        self.parts: list[bytes | IO[bytes]] = [prefix, stream, suffix]
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while self.parts:
            part = self.parts[0]
            if isinstance(part, bytes):
                if not part:
                    self.parts.pop(0)
                    continue
                n = min(len(buffer), len(part))
                buffer[:n] = part[:n]
                self.parts[0] = part[n:]
                return n
            data = part.read(len(buffer))
            if not data:
                self.parts.pop(0)
                continue
            n = len(data)
            buffer[:n] = data
            return n
        return 0

    def close(self) -> None:
        self.stream.close()
        super().close()


class _QueueWriter:
    """py7zr output object that hands each decompressed chunk to a bounded queue."""

    def __init__(self, owner: "SevenZipStream"):
        self.owner = owner
        self.length = 0

    def write(self, data: bytes | bytearray) -> int:
        if self.owner.cancelled.is_set():
            raise _Cancelled()
        if data:
            self.owner.chunks.put(bytes(data))
            self.length += len(data)
        return len(data)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return offset

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self.length

    def close(self) -> None:
        return None


class _Cancelled(Exception):
    pass


class SevenZipStream(io.RawIOBase):
    """The first member of a 7z archive as a stream, decompressed by a background thread."""

    def __init__(self, raw: BinaryIO, name: str):
        import py7zr
        from py7zr.io import WriterFactory

        self.chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(_QUEUE_CHUNKS)
        self.cancelled = threading.Event()
        self.pending = b""
        try:
            self.archive = py7zr.SevenZipFile(raw, mode="r")
        except (py7zr.Bad7zFile, EOFError, OSError, ValueError, KeyError) as exc:
            raise DumpError(f"not a valid 7z archive ({exc})", source=name) from exc
        members = [m for m in self.archive.list() if not m.is_directory]
        if not members:
            raise DumpError("the 7z archive holds no file", source=name)
        target = members[0].filename
        owner = self

        class Factory(WriterFactory):
            def create(self, filename: str):  # type: ignore[no-untyped-def]
                return _QueueWriter(owner)

        def run() -> None:
            try:
                self.archive.extract(targets=[target], factory=Factory())
                self.chunks.put(None)
            except _Cancelled:
                self.chunks.put(None)
            except BaseException as exc:  # handed to the reading thread
                self.chunks.put(DumpError(f"7z decompression failed ({exc})", source=name))

        self.thread = threading.Thread(target=run, name="7z-extract", daemon=True)
        self.thread.start()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while not self.pending:
            item = self.chunks.get()
            if item is None:
                self.chunks.put(None)
                return 0
            if isinstance(item, BaseException):
                raise item
            self.pending = item
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def close(self) -> None:
        self.cancelled.set()
        while self.thread.is_alive():
            try:
                self.chunks.get(timeout=0.1)
            except queue.Empty:
                pass
        self.archive.close()
        super().close()


def detect(head: bytes, name: str) -> str:
    """Container of a file from its first bytes (``plain``, ``gzip``, ``bz2``, ``xz``,
    ``lzma``, ``7z``); legacy ``.lzma`` has no magic and is known by its name."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    text = head.lstrip(b" \t\r\n")
    if text.startswith((b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<")):
        return "plain"  # XML, whatever the file is called
    if name.endswith(".lzma") or head[:1] == b"\x5d":  # "]" never starts an XML file
        return "lzma"
    if name.endswith(".7z"):
        return "7z"
    return "plain"


class DumpSource:
    """An opened dump: ``stream`` yields XML bytes; ``consumed``/``size`` count the file's
    (compressed) bytes for progress; ``fragment`` is True for a bare ``<page>`` sequence."""

    def __init__(self, source: str | os.PathLike[str] | BinaryIO, name: str | None = None,
                 tee: BinaryIO | None = None):
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            self.name = name or path.name
            try:
                raw: BinaryIO = open(path, "rb")
            except OSError as exc:
                raise DumpError(f"cannot open the file ({exc.strerror})", source=str(path)) from exc
            self.size: int | None = path.stat().st_size
            owned = True
        else:
            raw = source
            self.name = name or getattr(source, "name", "") or "dump"
            self.size = _size_of(raw)
            owned = False  # the caller's file stays open
        self.counter = CountingReader(raw, owned)
        buffered = io.BufferedReader(self.counter, 1 << 16)
        self._buffered = buffered  # closing it (even by garbage collection) closes the file
        head = buffered.peek(16)[:16]
        self.container = detect(head, str(self.name).lower())
        self.stream: IO[bytes] = self._decompressor(buffered)
        if tee is not None:
            self.stream = io.BufferedReader(TeeReader(self.stream, tee), 1 << 16)
        self.fragment = False
        self._wrap_fragment()

    def _decompressor(self, buffered: io.BufferedReader) -> IO[bytes]:
        kind = self.container
        if kind == "gzip":
            return gzip.GzipFile(fileobj=buffered, mode="rb")
        if kind == "bz2":
            return bz2.BZ2File(buffered, "rb")
        if kind == "xz":
            return lzma.LZMAFile(buffered, "rb", format=lzma.FORMAT_XZ)
        if kind == "lzma":
            return lzma.LZMAFile(buffered, "rb", format=lzma.FORMAT_ALONE)
        if kind == "7z":
            if not self.counter.seekable():
                raise DumpError("a 7z archive must be read from a file, not a pipe",
                                source=str(self.name))
            self.counter.seek(0)
            return io.BufferedReader(SevenZipStream(self.counter, str(self.name)), 1 << 16)
        return buffered

    def _wrap_fragment(self) -> None:
        try:
            head = self.stream.read(4096)
        except (OSError, EOFError, lzma.LZMAError) as exc:
            self.close()
            raise DumpError(f"cannot decompress the {self.container} file ({exc})",
                            source=str(self.name)) from exc
        match = _FRAGMENT.match(head)
        if match:
            self.fragment = True
            cut = match.end(2) if match.group(2) else (match.end(1) if match.group(1) else 0)
            prefix = head[:cut] + b"<mediawiki>" + head[cut:]
            self.stream = io.BufferedReader(ChainReader(prefix, self.stream, b"</mediawiki>"))
        else:
            self.stream = io.BufferedReader(ChainReader(head, self.stream))

    @property
    def consumed(self) -> int:
        return self.counter.count

    def close(self) -> None:
        try:
            self.stream.close()
        finally:
            self.counter.close()


def _size_of(raw: BinaryIO) -> int | None:
    try:
        here = raw.tell()
        end = raw.seek(0, os.SEEK_END)
        raw.seek(here)
        return end - here
    except (OSError, AttributeError, ValueError):
        return None
