"""The upload stash: files kept in ``temp/`` between a warning and the confirmation
(Special:Upload's ``wpSessionKey``), and the chunks of a chunked API upload (``filekey``).

Each entry is ``temp/<key>`` plus ``temp/<key>.json`` (owner, name, expected size, offset).
Only the user who stashed a file can use its key; entries older than a day are removed.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from typing import Any

from .storage import get_storage

MAX_AGE = 24 * 3600
_KEY = re.compile(r"^[a-z0-9]{12,40}\.[a-z0-9]{1,8}\.stash$")


class StashError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _meta_key(key: str) -> str:
    return f"temp/{key}.json"


def new_key(name: str) -> str:
    ext = (name.rsplit(".", 1)[1].lower() if "." in name else "bin")
    ext = re.sub(r"[^a-z0-9]", "", ext)[:8] or "bin"
    return f"{secrets.token_hex(10)}.{ext}.stash"


def create(owner: int, name: str, data: bytes = b"", *, total: int | None = None) -> str:
    """Stash ``data`` (or the first chunk of a ``total``-byte file); returns its key."""
    _purge()
    key = new_key(name)
    storage = get_storage()
    storage.put(f"temp/{key}", data)
    meta = {"owner": owner, "name": name, "total": total if total is not None else len(data),
            "offset": len(data), "created": time.time()}
    storage.put(_meta_key(key), json.dumps(meta).encode())
    return key


def info(key: str, owner: int) -> dict[str, Any]:
    if not _KEY.match(key or ""):
        raise StashError("stashfilenotfound", "The file key is not valid.")
    storage = get_storage()
    if not storage.exists(_meta_key(key)):
        raise StashError("stashfilenotfound", f"Could not find the file \"{key}\" in the stash.")
    meta = json.loads(storage.read(_meta_key(key)))
    if meta.get("owner") != owner:
        raise StashError("stashwrongowner", "The stashed file belongs to another user.")
    return meta


def append(key: str, owner: int, offset: int, chunk: bytes, max_size: int) -> dict[str, Any]:
    """Add a chunk at ``offset`` (which must be where the previous chunk ended)."""
    meta = info(key, owner)
    if offset != meta["offset"]:
        raise StashError("badupload", f"Chunk offset {offset} does not follow the received "
                         f"{meta['offset']} bytes.")
    if offset + len(chunk) > min(meta["total"], max_size):
        raise StashError("file-too-large", "The chunks are larger than the announced file "
                         "size or the maximum upload size.")
    storage = get_storage()
    meta["offset"] = storage.append(f"temp/{key}", chunk)
    storage.put(_meta_key(key), json.dumps(meta).encode())
    return meta


def read(key: str, owner: int) -> tuple[bytes, dict[str, Any]]:
    meta = info(key, owner)
    if meta["offset"] != meta["total"]:
        raise StashError("stashincomplete", f"The upload is unfinished: {meta['offset']} of "
                         f"{meta['total']} bytes received.")
    return get_storage().read(f"temp/{key}"), meta


def remove(key: str) -> None:
    if _KEY.match(key or ""):
        storage = get_storage()
        storage.delete(f"temp/{key}")
        storage.delete(_meta_key(key))


def _purge() -> None:
    storage = get_storage()
    folder = storage.root / "temp"
    if not folder.is_dir():
        return
    limit = time.time() - MAX_AGE
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue
