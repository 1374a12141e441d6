"""Where the bytes of uploaded files live: the ``FileStorage`` interface and its local-folder
backend in the instance's ``UPLOAD_DIR``.

Keys are relative POSIX paths laid out as MediaWiki lays out ``images/``:
``a/ab/Name.jpg`` (current versions), ``archive/a/ab/20260101120000!Name.jpg`` (old
versions), ``thumb/a/ab/Name.jpg/220px-Name.jpg`` (thumbnails), ``deleted/<sha1>.<ext>``
(deleted versions, never served) and ``temp/<key>`` (upload stash and chunks, never served).
A shared store (S3, Swift…) replaces ``LocalStorage`` by implementing the same five methods.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

#: Top folders whose files are never served over HTTP.
PRIVATE_ROOTS = ("deleted", "temp")


def hashed_path(name: str) -> str:
    """MediaWiki's hashed upload path of a file: ``a/ab/Name.jpg``."""
    digest = hashlib.md5(name.encode("utf-8")).hexdigest()
    return f"{digest[0]}/{digest[:2]}/{name}"


def public_key(name: str) -> str:
    return hashed_path(name)


def archive_key(archive_name: str, name: str) -> str:
    digest = hashed_path(name).rsplit("/", 1)[0]
    return f"archive/{digest}/{archive_name}"


def thumb_dir(name: str) -> str:
    return f"thumb/{hashed_path(name)}"


class StorageError(ValueError):
    """A key that would leave the storage root or name a private area."""


def check_key(key: str) -> str:
    """``key`` if it is a clean relative path (no ``..``, no absolute path, no backslash)."""
    path = PurePosixPath(key)
    if (not key or key.startswith("/") or "\\" in key or "\x00" in key
            or any(part in ("", ".", "..") for part in path.parts)):
        raise StorageError(f"bad storage key: {key!r}")
    return key


class FileStorage(Protocol):
    """What the upload service and the file server need from a store of bytes."""

    def put(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def move(self, source: str, target: str) -> None: ...


class LocalStorage:
    """A folder on this machine (the instance's ``UPLOAD_DIR``)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def path(self, key: str) -> Path:
        """The file system path of ``key`` (inside the root, or ``StorageError``)."""
        full = (self.root / check_key(key)).resolve()
        if self.root not in full.parents:
            raise StorageError(f"key outside the store: {key!r}")
        return full

    def put(self, key: str, data: bytes) -> None:
        """Write atomically: a temporary file in the same folder, then a rename."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def append(self, key: str, data: bytes) -> int:
        """Add ``data`` at the end of ``key`` (upload chunks); returns the new size."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "ab") as out:
            out.write(data)
            return out.tell()

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def read(self, key: str) -> bytes:
        with self.open(key) as f:
            return f.read()

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def delete_tree(self, key: str) -> None:
        """Remove a folder of derived files (the thumbnails of one file)."""
        folder = self.path(key)
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)

    def move(self, source: str, target: str) -> None:
        dest = self.path(target)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path(source), dest)

    def copy(self, source: str, target: str) -> None:
        self.put(target, self.read(source))


def get_storage(app: object | None = None) -> LocalStorage:
    """The storage of ``app`` (default: the current app), made on first use."""
    from flask import current_app

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    ext = app.extensions  # type: ignore[attr-defined]
    if "file_storage" not in ext:
        ext["file_storage"] = LocalStorage(app.config["UPLOAD_DIR"])  # type: ignore[attr-defined]
    return ext["file_storage"]
