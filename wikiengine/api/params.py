"""Parameter declarations and their validation, as MediaWiki's ``getAllowedParams``.

Owns ``P`` (one declared parameter: the same object drives validation and ``paraminfo``) and
``read_params`` which turns the request's strings into typed values, raising MediaWiki's
errors (``missingparam``, ``badvalue``, ``badinteger``, ``toomanyvalues``…) and adding its
warnings (clamped limits, unrecognised values of multi-value parameters).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .errors import ApiError

if TYPE_CHECKING:
    from .context import ApiContext

_INT = re.compile(r"^\s*[+-]?\d+\s*$")
_MW_TS = re.compile(r"^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$")
_ISO_TS = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]00:?00)?$")
MULTI_LIMIT, MULTI_HIGHLIMIT = 50, 500
MAX_STRING_BYTES = 255
INFINITY = ("infinite", "indefinite", "infinity", "never")


@dataclass(frozen=True)
class P:
    """One parameter of a module (MediaWiki's ``ParamValidator`` settings).

    ``type`` is a type name (string, text, integer, limit, boolean, timestamp, namespace, user,
    title, password, expiry, upload) or a tuple of allowed values.
    """

    name: str
    type: Any = "string"
    default: Any = None
    multi: bool = False
    limit: int = MULTI_LIMIT
    highlimit: int = MULTI_HIGHLIMIT
    min: int | None = None
    max: int | None = None
    highmax: int | None = None
    required: bool = False
    deprecated: bool = False
    sensitive: bool = False
    tokentype: str | None = None
    allspecifier: str | None = None
    submodules: Any = None
    deprecatedvalues: tuple[str, ...] = ()
    subtypes: tuple[str, ...] = ()
    info: tuple[str, ...] = ()
    extranamespaces: tuple[int, ...] = ()
    allowsduplicates: bool = False
    internalvalues: tuple[str, ...] = ()
    submoduleparamprefix: str | None = None

    def describe(self, index: int, fv: int) -> dict[str, Any]:
        """The ``paraminfo`` entry for this parameter."""
        flag: Any = True if fv == 2 else ""
        out: dict[str, Any] = {"index": index, "name": self.name}
        allowed = self.allowed_values()
        out["type"] = list(allowed) if allowed is not None else self.type
        if self.default is not None:
            out["default"] = self.default
        if self.multi:
            out.update(multi=flag, limit=self.limit, lowlimit=self.limit,
                       highlimit=self.highlimit)
        for key in ("min", "max", "highmax", "tokentype", "allspecifier",
                    "submoduleparamprefix"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        for key in ("required", "deprecated", "sensitive", "allowsduplicates"):
            if getattr(self, key):
                out[key] = flag
        for key in ("deprecatedvalues", "subtypes", "extranamespaces", "internalvalues"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        if self.info:
            out["info"] = [{"name": n} for n in self.info]
        if self.submodules is not None:
            out["submodules"] = dict(self.submodules_map())
        return out

    def allowed_values(self) -> tuple[str, ...] | None:
        if self.submodules is not None:
            return tuple(sorted(self.submodules_map()))
        if isinstance(self.type, tuple):
            return self.type
        if callable(self.type):
            return tuple(self.type())
        return None

    def submodules_map(self) -> dict[str, str]:
        subs = self.submodules() if callable(self.submodules) else self.submodules
        return dict(subs or {})


def split_multi(value: str) -> list[str]:
    """MediaWiki's multi-value split: ``a|b`` or ``\\x1fa\\x1fb``."""
    if value.startswith("\x1f"):
        return value[1:].split("\x1f")
    return value.split("|")


def parse_timestamp(text: str) -> datetime | None:
    """ISO 8601, MediaWiki's 14 digits, Unix seconds or ``now``; None when unreadable."""
    text = text.strip()
    if text == "now":
        return datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    m = _ISO_TS.match(text) or _MW_TS.match(text)
    try:
        if m:
            return datetime(*(int(x) for x in m.groups()[:6]))
        if re.fullmatch(r"\d{1,13}", text):
            return datetime.fromtimestamp(int(text), timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
    return None


def read_params(ctx: "ApiContext", params: tuple[P, ...], prefix: str,
                module_path: str) -> dict[str, Any]:
    """Typed values of ``params`` read from the request with ``prefix`` before each name."""
    values: dict[str, Any] = {}
    for p in params:
        values[p.name] = _read_one(ctx, p, prefix + p.name, module_path)
    return values


def _read_one(ctx: "ApiContext", p: P, full: str, module_path: str) -> Any:
    raw = ctx.raw(full)
    if p.type == "upload":
        return ctx.upload(full)
    if p.type == "boolean":
        return raw is not None
    if raw is None:
        if p.required:
            raise ApiError("missingparam", full)
        if p.multi:
            if p.default is None or p.default == "":
                return None
            return split_multi(str(p.default))
        return p.default
    if p.deprecated:
        ctx.warn(module_path, f'The parameter "{full}" has been deprecated.')
    if p.type not in ("text", "password") and not p.multi and isinstance(raw, str) \
            and len(raw.encode("utf-8")) > 16 * 1024 * 1024:
        raise ApiError("maxbytes", full, 16 * 1024 * 1024, len(raw.encode("utf-8")))
    if p.multi:
        return _read_multi(ctx, p, full, module_path, raw)
    if p.required and raw == "" and p.type not in ("text", "string", "password"):
        raise ApiError("missingparam", full)
    return _convert(ctx, p, full, module_path, raw)


def _read_multi(ctx: "ApiContext", p: P, full: str, module_path: str, raw: str) -> list[Any]:
    if raw == "":
        if p.required:
            raise ApiError("missingparam", full)
        return []
    items = split_multi(raw)
    allowed = p.allowed_values()
    if p.type == "namespace":
        allowed = tuple(str(n) for n in ctx.namespace_numbers()) + tuple(
            str(n) for n in p.extranamespaces)
    if p.allspecifier and items == [p.allspecifier] and allowed is not None:
        items = list(allowed)
    limit = p.highlimit if ctx.high_limits() else p.limit
    if len(items) > limit:
        raise ApiError("toomanyvalues", full, limit,
                       data={"limit": limit, "lowlimit": p.limit, "highlimit": p.highlimit})
    if allowed is not None:
        bad = [v for v in items if v not in allowed]
        if bad:
            word = "value" if len(bad) == 1 else "values"
            ctx.warn(module_path, f'Unrecognized {word} for parameter "{full}": '
                                  f'{", ".join(bad)}.')
            items = [v for v in items if v in allowed]
    out: list[Any] = []
    for item in items:
        value = _convert(ctx, p, full, module_path, item, in_multi=True)
        if p.allowsduplicates or value not in out:
            out.append(value)
    return out


def _convert(ctx: "ApiContext", p: P, full: str, module_path: str, raw: str,
             in_multi: bool = False) -> Any:
    t = p.type
    allowed = p.allowed_values()
    if allowed is not None:
        if raw not in allowed:
            if in_multi:
                return raw
            raise ApiError("badvalue", full, raw if raw != "" else "the empty string")
        if raw in p.deprecatedvalues:
            ctx.warn(module_path, f'The value "{raw}" to parameter "{full}" has been deprecated.')
        return raw
    if t == "integer":
        if not _INT.match(raw):
            raise ApiError("badinteger", full, raw)
        value = int(raw)
        if p.min is not None and value < p.min or p.max is not None and value > p.max:
            if p.max is None:
                raise ApiError("outofrange-min", full, raw, p.min)
            if p.min is None:
                raise ApiError("outofrange-max", full, raw, p.max)
            raise ApiError("outofrange", full, raw, p.min, p.max)
        return value
    if t == "limit":
        return _limit(ctx, p, full, module_path, raw)
    if t == "namespace":
        if not _INT.match(raw) or int(raw) not in set(ctx.namespace_numbers()) | set(
                p.extranamespaces):
            if in_multi:
                return None
            raise ApiError("badvalue", full, raw)
        return int(raw)
    if t == "timestamp":
        ts = parse_timestamp(raw)
        if ts is None:
            raise ApiError("badtimestamp", full, raw)
        return ts
    if t == "expiry":
        if raw.strip().lower() in INFINITY:
            return None
        ts = parse_timestamp(raw)
        if ts is None:
            raise ApiError("badexpiry", full, raw)
        return ts
    if t in ("string", "user", "title", "password") and p.multi is False:
        if len(raw.encode("utf-8")) > MAX_STRING_BYTES * 4096:
            raise ApiError("maxbytes", full, MAX_STRING_BYTES * 4096, len(raw.encode("utf-8")))
    return raw


def _limit(ctx: "ApiContext", p: P, full: str, module_path: str, raw: str) -> int:
    high = ctx.high_limits()
    top = (p.highmax if high and p.highmax else p.max) or 500
    if raw == "max":
        ctx.parsed_limits[module_path] = top
        return top
    if not _INT.match(raw):
        raise ApiError("badinteger", full, raw)
    value = int(raw)
    low = p.min if p.min is not None else 1
    if value > top or value < low:
        ctx.warn(module_path, f'The value "{raw}" for parameter "{full}" must be between '
                              f'{low} and {top}.')
        value = max(low, min(top, value))
    return value
