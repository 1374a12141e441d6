"""The dispatcher at ``/w/api.php``: MediaWiki's ``ApiMain``.

Owns the request cycle: output format (``json``/``jsonfm``, ``formatversion`` 1 and 2), the
main module's parameters (``action``, ``maxlag``, ``assert``, ``origin``, ``errorformat``…),
CORS, maxlag with ``Retry-After``, read/write rights, POST-only modules, token checks, the
``unrecognized-params`` warning and the error shape (always JSON, always HTTP 200). Nothing
escapes as a 500: an unexpected exception becomes ``internal_api_error_<Class>``.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from flask import Blueprint, Response, current_app, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from .. import csrf
from ..db import get_session
from .base import ACTIONS, ApiModule, submodules
from .context import ApiContext
from .errors import ApiError
from .params import P, read_params

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)

GENERATOR = "MediaWiki 1.39.17"
DOCREF = ("See {url} for API usage. Subscribe to the mediawiki-api-announce mailing list at "
          "&lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists."
          "wikimedia.org/&gt; for notice of API deprecations and breaking changes.")

FORMATS = ("json", "jsonfm", "none")


class MainModule(ApiModule):
    name = "main"
    classname = "ApiMain"
    helpurls = ()
    readrights = False
    params = (
        P("action", submodules=submodules("action"), default="help"),
        P("format", ("json", "jsonfm", "none"), default="jsonfm",
          submodules={f: f for f in FORMATS}),
        P("maxlag", "integer"),
        P("smaxage", "integer", default=0),
        P("maxage", "integer", default=0),
        P("assert", ("anon", "bot", "user")),
        P("assertuser", "user", subtypes=("name",)),
        P("requestid", "string"),
        P("servedby", "boolean"),
        P("curtimestamp", "boolean"),
        P("responselanginfo", "boolean"),
        P("origin", "string"),
        P("uselang", "string", default="user"),
        P("variant", "string"),
        P("errorformat", ("bc", "html", "none", "plaintext", "raw", "wikitext"), default="bc"),
        P("errorlang", "string", default="uselang"),
        P("errorsuselocal", "boolean"),
    )

    @property
    def path(self) -> str:
        return "main"

    def describe(self, ctx: ApiContext) -> dict[str, Any]:
        out = super().describe(ctx)
        out.pop("group", None)
        return out


class JsonFormat(ApiModule):
    name = "json"
    group = "format"
    classname = "ApiFormatJson"
    readrights = False
    helpurls = ()
    params = (
        P("callback", "string"),
        P("utf8", "boolean"),
        P("ascii", "boolean"),
        P("formatversion", ("1", "2", "latest"), default="1"),
    )


MAIN = MainModule()
JSON_FORMAT = JsonFormat()


class _Load:
    """Requests being served by this process (the queue depth behind ``maxlag``)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0


def init_app(app: Any) -> None:
    app.config.setdefault("API_MAX_QUEUE_DEPTH", 32)
    app.config.setdefault("API_CORS_DOMAINS", [])
    app.extensions["api_load"] = _Load()


@bp.route("/w/api.php", methods=["GET", "POST", "OPTIONS"])
def api_php() -> Response:
    load: _Load = current_app.extensions["api_load"]
    with load.lock:
        load.active += 1
    try:
        return _serve()
    finally:
        with load.lock:
            load.active -= 1


def _serve() -> Response:
    try:
        ctx = ApiContext(request, get_session())
    except HTTPException as exc:  # body too large or unreadable: still MediaWiki's shape
        code = "toobig" if exc.code == 413 else "badrequest"
        body = {"error": {"code": code, "info": exc.description or exc.name,
                          "*": DOCREF.format(url=request.base_url)}}
        return Response(json.dumps(body), 200, {"MediaWiki-API-Error": code},
                        content_type="application/json; charset=utf-8")
    fmt = "jsonfm"
    headers: dict[str, str] = {"Cache-Control": "private, must-revalidate, max-age=0",
                               "X-Content-Type-Options": "nosniff",
                               "X-Frame-Options": "DENY"}
    status = 200
    raw_format = request.values.get("format") or "jsonfm"
    if raw_format in FORMATS:
        fmt = raw_format
    try:
        fmt = _read_format(ctx)
        ctx.format = fmt  # type: ignore[attr-defined]
        cors = _cors(ctx, headers)
        if cors is not None:
            return cors
        if request.method == "OPTIONS":
            return Response("", 200, headers)
        main = read_params(ctx, MAIN.params, "", "main")
        ctx.errorformat = main["errorformat"]
        module = _module(main["action"])
        _check_maxlag(main["maxlag"])
        _check_rights(ctx, module)
        _check_asserts(ctx, main)
        _check_token(ctx, module)
        if module.mustbeposted and not ctx.is_posted:
            raise ApiError("mustbeposted", module.name)
        if main["requestid"] is not None:
            ctx.result["requestid"] = main["requestid"]
        if main["curtimestamp"]:
            ctx.result["curtimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        module.execute(ctx)
        raw = ctx.result.pop("__raw__", None)
        if raw is not None:
            ctx.db.commit()
            return raw
        ctx.db.commit()
        _unused_warning(ctx)
        if ctx.parsed_limits:
            head = {k: ctx.result.pop(k) for k in ("batchcomplete", "continue")
                    if k in ctx.result}
            ctx.result = {**head, "limits": dict(ctx.parsed_limits), **ctx.result}
        body = _with_warnings(ctx, ctx.result)
    except ApiError as exc:
        ctx.db.rollback()
        headers.update(exc.headers)
        headers["MediaWiki-API-Error"] = exc.code
        body = _with_warnings(ctx, _error_body(ctx, exc))
    except Exception as exc:  # noqa: BLE001 - the API never answers with a 500 page
        log.exception("internal API error")
        ctx.db.rollback()
        code = f"internal_api_error_{type(exc).__name__}"
        headers["MediaWiki-API-Error"] = code
        err = ApiError(code, info=f"[{id(exc):x}] Exception caught: {type(exc).__name__}")
        body = _error_body(ctx, err)
    return _render(ctx, fmt, body, status, headers)


def _read_format(ctx: ApiContext) -> str:
    fmt = ctx.raw("format") or "jsonfm"
    if fmt not in FORMATS:
        raise ApiError("badvalue", "format", fmt)
    values = read_params(ctx, JSON_FORMAT.params, "", "json")
    ctx.fv = 2 if values["formatversion"] in ("2", "latest") else 1
    ctx.utf8 = bool(values["utf8"]) or ctx.fv == 2  # type: ignore[attr-defined]
    if values["ascii"]:
        ctx.utf8 = False  # type: ignore[attr-defined]
    return fmt


def extension_modules() -> dict[str, ApiModule]:
    """Action modules added by enabled extensions (``Registry.add_api_module``)."""
    from ..registry import get_registry

    found = {}
    for name, module in get_registry().api_modules.items():
        if isinstance(module, type) and issubclass(module, ApiModule):
            module = module()
        if isinstance(module, ApiModule) and name not in ACTIONS:
            found[name] = module
    return found


def _module(name: str | None) -> ApiModule:
    if name is not None and name in ACTIONS:
        return ACTIONS[name]
    extra = extension_modules()
    if name is None or name not in extra:
        raise ApiError("badvalue", "action", name if name else "the empty string")
    return extra[name]


def _check_maxlag(maxlag: int | None) -> None:
    if maxlag is None:
        return
    load: _Load = current_app.extensions["api_load"]
    depth = int(current_app.config.get("API_MAX_QUEUE_DEPTH", 32))
    lag = max(0, load.active - depth, int(_queued_seconds()))
    if lag > maxlag:
        host = request.host.split(":")[0]
        raise ApiError("maxlag", host, lag, data={"host": host, "lag": lag, "type": "db"},
                       headers={"Retry-After": str(max(lag, 5)),
                                "X-Database-Lag": str(lag)})


def _queued_seconds() -> float:
    """How long the request waited before a worker took it, from the front proxy's
    ``X-Request-Start: t=<seconds or ms or µs since the epoch>`` (nginx, Heroku style)."""
    raw = request.headers.get("X-Request-Start", "")
    raw = raw[2:] if raw.startswith("t=") else raw
    try:
        start = float(raw)
    except ValueError:
        return 0.0
    now = time.time()
    for scale in (1.0, 1e3, 1e6):  # seconds, milliseconds, microseconds
        if abs(now - start / scale) < 86400:
            return max(0.0, now - start / scale)
    return 0.0


def _check_rights(ctx: ApiContext, module: ApiModule) -> None:
    if module.needs_read(ctx) and not ctx.has_right("read"):
        raise ApiError("readapidenied")
    if module.writerights and not ctx.has_right("writeapi"):
        raise ApiError("writeapidenied")
    if module.writerights and current_app.config.get("READ_ONLY"):
        raise ApiError("readonly", info="The wiki is currently in read-only mode.",
                       data={"readonlyreason": str(current_app.config["READ_ONLY"])})


def _check_asserts(ctx: ApiContext, main: dict[str, Any]) -> None:
    anon = bool(getattr(ctx.user, "is_anon", True))
    wanted = main["assert"]
    if wanted == "user" and anon:
        raise ApiError("assertuserfailed")
    if wanted == "anon" and not anon:
        raise ApiError("assertanonfailed")
    if wanted == "bot" and not ctx.has_right("bot"):
        raise ApiError("assertbotfailed")
    if main["assertuser"] is not None:
        name = main["assertuser"].replace("_", " ").strip()
        if anon or name[:1].upper() + name[1:] != ctx.user.name:
            raise ApiError("assertnameduserfailed", main["assertuser"])


def _check_token(ctx: ApiContext, module: ApiModule) -> None:
    for p in module.params:
        if p.tokentype is None:
            continue
        full = module.prefix + p.name
        token = ctx.raw(full)
        if token is None or token == "":
            raise ApiError("missingparam", full)
        if not token_valid(ctx, p.tokentype, token):
            raise ApiError("badtoken")


#: meta=tokens type -> salt of the session token (MediaWiki's ApiQueryTokens::getTokenTypeSalts).
TOKEN_SALTS = {"csrf": "", "watch": "watch", "patrol": "patrol", "rollback": "rollback",
               "userrights": "userrights", "login": "login", "createaccount": "createaccount"}
ANON_TOKEN = csrf.SUFFIX


def make_token(ctx: ApiContext, kind: str) -> str:
    if kind not in ("login", "createaccount") and getattr(ctx.user, "is_anon", True):
        return ANON_TOKEN
    return csrf.get_token(TOKEN_SALTS[kind])


def token_valid(ctx: ApiContext, kind: str, token: str) -> bool:
    if kind not in ("login", "createaccount") and getattr(ctx.user, "is_anon", True):
        return token == ANON_TOKEN
    return csrf.check_token(token, TOKEN_SALTS.get(kind, kind), max_age=0)


def _cors(ctx: ApiContext, headers: dict[str, str]) -> Response | None:
    origin = ctx.raw("origin")
    if origin is None:
        return None
    header = request.headers.get("Origin")
    if origin == "*":
        ctx.cors_anonymous = True
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Allow-Credentials"] = "false"
        return None
    if header is None or origin not in header.split(" "):
        return Response("'origin' parameter does not match Origin header\n", 403,
                        {"Content-Type": "text/plain; charset=utf-8"})
    allowed = current_app.config.get("API_CORS_DOMAINS", [])
    host = origin.split("://", 1)[-1]
    if origin == request.host_url.rstrip("/") or host in allowed or "*" in allowed:
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Allow-Credentials"] = "true"
        headers["Vary"] = "Origin"
    else:
        ctx.cors_anonymous = True
    return None


def _unused_warning(ctx: ApiContext) -> None:
    unused = ctx.unused()
    if unused:
        word = "parameter" if len(unused) == 1 else "parameters"
        ctx.warn("main", f"Unrecognized {word}: {', '.join(unused)}.", "unrecognized-params")


def _error_body(ctx: ApiContext, exc: ApiError) -> dict[str, Any]:
    url = request.base_url
    if ctx.errorformat == "bc":
        err: dict[str, Any] = {"code": exc.code, "info": exc.info}
        err.update(exc.data)
        err["docref" if ctx.fv == 2 else "*"] = DOCREF.format(url=url)
        return {"error": err}
    item: dict[str, Any] = {"code": exc.code}
    if ctx.errorformat in ("plaintext", "wikitext", "html"):
        item["text"] = exc.info if ctx.errorformat != "html" else str(escape(exc.info))
    elif ctx.errorformat == "raw":
        item["key"] = f"apierror-{exc.code}"
        item["params"] = []
    if exc.data:
        item["data"] = exc.data
    item["module"] = "main"
    return {"errors": [item], "docref": DOCREF.format(url=url)}


def _with_warnings(ctx: ApiContext, body: dict[str, Any]) -> dict[str, Any]:
    if not ctx.warnings:
        return body
    if ctx.errorformat == "bc":
        key = "warnings" if ctx.fv == 2 else "*"
        warnings: Any = {mod: {key: "\n".join(t for _c, t in msgs)}
                         for mod, msgs in ctx.warnings.items()}
    else:
        warnings = []
        for mod, msgs in ctx.warnings.items():
            for code, text in msgs:
                item: dict[str, Any] = {"code": code}
                if ctx.errorformat in ("plaintext", "wikitext", "html"):
                    item["text"] = text
                item["module"] = mod
                warnings.append(item)
    out: dict[str, Any] = {}
    for key in ("batchcomplete", "continue"):
        if key in body:
            out[key] = body.pop(key)
    out["warnings"] = warnings
    out.update(body)
    return out


def _render(ctx: ApiContext, fmt: str, body: dict[str, Any], status: int,
            headers: dict[str, str]) -> Response:
    if fmt == "none":
        return Response("", status, headers)
    ascii_only = not getattr(ctx, "utf8", False)
    if fmt == "jsonfm":
        text = json.dumps(body, ensure_ascii=ascii_only, indent=4)
        html = JSONFM_PAGE.format(body=escape(text), url=escape(request.base_url))
        return Response(html, status, headers, content_type="text/html; charset=utf-8")
    text = json.dumps(body, ensure_ascii=ascii_only, separators=(",", ":"))
    return Response(text, status, headers, content_type="application/json; charset=utf-8")


JSONFM_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>MediaWiki API result</title>
<meta name="robots" content="noindex,nofollow">
<style>body{{font-family:sans-serif;margin:1em}}pre{{white-space:pre-wrap;background:#f8f9fa;
border:1px solid #c8ccd1;padding:1em}}</style></head>
<body><div class="api-pretty-header"><p>This is the HTML representation of the JSON format.
HTML is good for debugging, but is unsuitable for application use.</p>
<p>Specify the <var>format</var> parameter to change the output format. To see the non-HTML
representation of the JSON format, set <kbd>format=json</kbd>.</p>
<p>See the <a href="{url}?action=help">complete documentation</a> for more information.</p>
</div><pre class="api-pretty-content">{body}</pre></body></html>
"""
