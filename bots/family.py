"""``python -m bots.family``: write a pywikibot family file and ``user-config.py`` for a wiki.

The family is built from the wiki's own siteinfo (one request to the ``api.php`` given, never to
another host: redirects to another host are refused), without asking any question. Several wikis
can be registered in the same pywikibot directory (the local wiki and the source wiki): each run
records the site in ``bots-sites.json`` and regenerates ``user-config.py`` and
``user-password.py`` from that record.

Usage::

    python -m bots.family -api:http://127.0.0.1:8080/w/api.php -user:SyncBot \\
        -botpassword:sync:SECRET [-name:brest] [-dir:~/pwb] [-default] [-contact:a@b.fr]
    python -m bots.family -family:wikipedia -lang:fr -user:Moi -botpassword:sync:SECRET

``-family:``/``-lang:`` register a family pywikibot already knows (Wikipedia): no request.
"""
from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

REGISTRY = "bots-sites.json"

FAMILY_TEMPLATE = '''\
"""Pywikibot family for {sitename} ({server}), written by bots.family from its siteinfo."""
from pywikibot import family


class Family(family.Family):
    name = {name!r}
    langs = {{{code!r}: {netloc!r}}}

    def scriptpath(self, code):
        return {scriptpath!r}

    def protocol(self, code):
        return {scheme!r}
'''

CONFIG_HEADER = '''\
# user-config.py written by `python -m bots.family` (re-run it rather than editing this file).
password_file = 'user-password.py'
# Bot policy (Wikipedia): wait between writes, back off when replicas lag, retry a few times.
put_throttle = {put_throttle!r}
write_maxlag = 5
max_retries = {max_retries!r}
retry_wait = 2
retry_max = 30
socket_timeout = (10, 60)
user_agent_description = {agent!r}
'''


class FamilyError(Exception):
    """A clear message for the facilitator (bad URL, unreachable wiki, not a MediaWiki API)."""


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only on the host given by the facilitator."""

    def __init__(self, host: str) -> None:
        self.host = host

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urllib.parse.urlsplit(newurl).netloc != self.host:
            raise FamilyError(f"{req.full_url} redirige vers un autre hôte ({newurl}) : refusé")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_siteinfo(api: str, timeout: float = 20.0) -> dict[str, Any]:
    """The ``general`` siteinfo of the wiki whose ``api.php`` URL is ``api``.

    :raises FamilyError: the URL is not an http(s) api.php, the wiki cannot be reached or does
        not answer as a MediaWiki Action API.
    """
    parts = urllib.parse.urlsplit(api)
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.path.endswith("/api.php"):
        raise FamilyError(f"-api doit être l'URL complète de api.php (http://hôte/w/api.php), pas {api!r}")
    body = urllib.parse.urlencode({"action": "query", "meta": "siteinfo", "siprop": "general",
                                   "format": "json", "formatversion": "2"}).encode()
    opener = urllib.request.build_opener(_SameHostRedirects(parts.netloc))
    request = urllib.request.Request(api, data=body, headers={"User-Agent": "wikiengine-bots-family"})
    try:
        with opener.open(request, timeout=timeout) as answer:
            data = json.loads(answer.read().decode("utf-8"))
    except (urllib.error.URLError, OSError) as exc:
        raise FamilyError(f"wiki injoignable à {api} : {getattr(exc, 'reason', exc)}") from exc
    except ValueError as exc:
        raise FamilyError(f"{api} ne répond pas en JSON : ce n'est pas une API MediaWiki") from exc
    general = (data.get("query") or {}).get("general") if isinstance(data, dict) else None
    if not isinstance(general, dict) or "generator" not in general:
        raise FamilyError(f"{api} ne renvoie pas de siteinfo : {json.dumps(data)[:200]}")
    return general


def family_source(name: str, api: str, general: dict[str, Any]) -> str:
    """The family file text for the wiki at ``api`` (its ``lang`` is the only code)."""
    parts = urllib.parse.urlsplit(api)
    return FAMILY_TEMPLATE.format(sitename=general.get("sitename", name), server=general.get("server", ""),
                                  name=name, code=general.get("lang", "fr"), netloc=parts.netloc,
                                  scriptpath=parts.path[: -len("/api.php")], scheme=parts.scheme)


def family_name(general: dict[str, Any]) -> str:
    """A family name derived from the wiki id (letters, digits, underscores)."""
    raw = str(general.get("wikiid") or general.get("sitename") or "wiki").lower()
    return re.sub(r"[^a-z0-9_]", "_", raw).strip("_") or "wiki"


def write_config(folder: Path, sites: list[dict[str, Any]], put_throttle: int, agent: str) -> None:
    """(Re)write ``user-config.py`` and ``user-password.py`` from the registered sites."""
    lines = [CONFIG_HEADER.format(put_throttle=put_throttle, agent=agent,
                                  max_retries=3)]
    default = next((s for s in sites if s.get("default")), sites[0])
    lines.append(f"family = {default['family']!r}\nmylang = {default['code']!r}\n")
    passwords = []
    for site in sites:
        if site.get("user"):
            lines.append(f"usernames[{site['family']!r}][{site['code']!r}] = {site['user']!r}\n")
        secret = site.get("botpassword") or site.get("password")
        if site.get("user") and secret:
            value = (f"BotPassword({site['botpassword'].partition(':')[0]!r}, "
                     f"{site['botpassword'].partition(':')[2]!r})" if site.get("botpassword")
                     else repr(site["password"]))
            passwords.append(f"({site['code']!r}, {site['family']!r}, {site['user']!r}, {value})\n")
    (folder / "user-config.py").write_text("".join(lines), encoding="utf-8")
    (folder / "user-config.py").chmod(0o600)
    pw_file = folder / "user-password.py"
    pw_file.write_text("".join(passwords), encoding="utf-8")
    pw_file.chmod(0o600)


def parse_args(args: list[str]) -> dict[str, str]:
    """pywikibot-style ``-name:value`` arguments (``-default`` alone means ``true``)."""
    options: dict[str, str] = {}
    for arg in args:
        if not arg.startswith("-"):
            raise FamilyError(f"argument inattendu : {arg!r} (les options s'écrivent -nom:valeur)")
        key, _, value = arg[1:].partition(":")
        options[key] = value if _ else "true"
    known = {"api", "user", "password", "botpassword", "name", "dir", "default", "contact",
             "family", "lang", "putthrottle"}
    unknown = set(options) - known
    if unknown:
        raise FamilyError(f"option(s) inconnue(s) : {', '.join(sorted(unknown))}")
    return options


def run(args: list[str]) -> str:
    """Register one site and rewrite the configuration; returns a one-line summary."""
    opts = parse_args(args)
    folder = Path(opts.get("dir") or os.environ.get("PYWIKIBOT_DIR") or Path.cwd()).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "families").mkdir(exist_ok=True)
    registry_path = folder / REGISTRY
    sites: list[dict[str, Any]] = (json.loads(registry_path.read_text(encoding="utf-8"))
                                   if registry_path.exists() else [])
    if "api" in opts:
        general = fetch_siteinfo(opts["api"])
        name = opts.get("name") or family_name(general)
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise FamilyError(f"-name doit être en minuscules ASCII (lettres, chiffres, _), pas {name!r}")
        code = str(general.get("lang", "fr"))
        (folder / "families" / f"{name}_family.py").write_text(family_source(name, opts["api"], general),
                                                                encoding="utf-8")
        label = f"{general.get('sitename')} ({general.get('generator')}) : famille {name!r}, code {code!r}"
    elif "family" in opts:
        name, code = opts["family"], opts.get("lang", "fr")
        label = f"famille fournie par pywikibot {name!r}, code {code!r}"
    else:
        raise FamilyError("donnez -api:URL_de_api.php (ou -family:wikipedia -lang:fr)")
    entry = {"family": name, "code": code, "user": opts.get("user", ""),
             "password": opts.get("password", ""), "botpassword": opts.get("botpassword", ""),
             "default": opts.get("default") == "true" or not sites}
    if entry["botpassword"] and ":" not in entry["botpassword"]:
        raise FamilyError("-botpassword s'écrit -botpassword:SUFFIXE:MOT_DE_PASSE")
    sites = [s for s in sites if (s["family"], s["code"]) != (name, code)]
    if entry["default"]:
        for site in sites:
            site["default"] = False
    sites.append(entry)
    registry_path.write_text(json.dumps(sites, indent=1), encoding="utf-8")
    registry_path.chmod(0o600)
    contact = opts.get("contact") or "voir la page utilisateur du bot"
    agent = f"wikiengine-sync (bots.sync; contact: {contact})"
    write_config(folder, sites, int(opts.get("putthrottle", "10")), agent)
    return f"{label} enregistrée dans {folder}"


def main(*args: str) -> int:
    try:
        print(run(list(args or sys.argv[1:])))
    except FamilyError as exc:
        print(f"bots.family : erreur : {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
