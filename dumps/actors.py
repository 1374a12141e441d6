"""Who imported revisions belong to: dump contributors turned into actors of this wiki.

Owns MediaWiki's ``ExternalUserNames`` rules as the importer applies them: a user name from
another wiki becomes ``prefix>Name`` (default prefix ``imported``), an actor with no local
account; a name that is already external (``other>Name``) or that no local account could
bear is kept as it is; an IP stays an anonymous actor (an ``<ip>`` that is no address is
treated as a name, as MediaWiki does); a hidden contributor becomes
``prefix>Unknown user``. A user map (``--user-map``) assigns chosen dump names to local
accounts instead; with ``assign_known`` (``action=import``'s ``assignknownusers``) a name
that is a local account is credited to that account. Actor ids are cached (bounded) and
created in batches.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from wikiengine.models import Actor, User
from wikiengine.store._sql import insert_ignore

from .records import Contributor, DumpError

#: Characters no local user name may contain (MediaWiki's ``$wgInvalidUsernameCharacters``
#: plus the characters a ``User:`` title cannot hold).
_INVALID_NAME_CHARS = set("@:>=#<[]|{}/")
UNKNOWN_USER = "Unknown user"
CACHE_SIZE = 50_000


def read_user_map(path: str | Path) -> dict[str, str]:
    """A user map file: a JSON object ``{"dump name": "local name"}`` (``.json``), or lines
    ``dump name<TAB>local name`` (or ``dump name = local name``); ``#`` starts a comment."""
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DumpError(f"cannot read the user map ({exc})", source=str(file)) from exc
    if file.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise DumpError(f"the user map is not valid JSON ({exc})", source=str(file)) from exc
        if not isinstance(data, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise DumpError("the user map must be a JSON object of names", source=str(file))
        return {k.strip(): v.strip() for k, v in data.items()}
    mapping: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        left, sep, right = line.partition("\t") if "\t" in line else line.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise DumpError("expected 'dump name<TAB>local name'", number, None, str(file))
        mapping[left.strip()] = right.strip()
    return mapping


def is_usable_name(name: str) -> bool:
    """Could a local account bear ``name``? (MediaWiki's ``User::isUsableName``, roughly.)"""
    from wikiengine.store.users import is_ip

    if not name or name != name.strip() or len(name) > 85 or is_ip(name):
        return False
    return not any(c in _INVALID_NAME_CHARS for c in name)


class ActorResolver:
    """Maps contributors to actor ids; ``prefix`` is the interwiki-style user prefix."""

    def __init__(self, prefix: str = "imported", user_map: dict[str, str] | None = None,
                 assign_known: bool = False):
        self.prefix = prefix.strip().rstrip(">")
        self.user_map = dict(user_map or {})
        self.assign_known = assign_known
        self._cache: OrderedDict[str, int] = OrderedDict()
        self._local: dict[str, User] = {}
        self._names: dict[tuple, str] = {}
        #: prefixed name -> the dump's name (``assign_known``: looked up as a local account)
        self._bare: dict[str, str] = {}

    def name_of(self, who: Contributor) -> str:
        """The actor name a contributor is recorded under on this wiki."""
        key = (who.username, who.ip, who.deleted)
        name = self._names.get(key)
        if name is None:
            name = self._name_of(who)
            if len(self._names) >= CACHE_SIZE:
                self._names.clear()
            self._names[key] = name
        return name

    def _name_of(self, who: Contributor) -> str:
        if who.deleted or (not who.username and not who.ip):
            return self._external(UNKNOWN_USER)
        if who.username is None:
            from wikiengine.store.users import is_ip

            address = (who.ip or "").strip()
            if is_ip(address):
                return address
            name = address  # not an address (old dumps have "15.22"): a name, as MediaWiki
        else:
            name = who.username.strip()
        if name in self.user_map:
            return self.user_map[name]
        if not is_usable_name(name):
            return name  # already external (other>Name) or not a possible local name
        return self._external(name)

    def _external(self, name: str) -> str:
        external = f"{self.prefix}>{name}"[:255] if self.prefix else name
        if self.assign_known and external != name and is_usable_name(name):
            if len(self._bare) >= CACHE_SIZE:
                self._bare.clear()
            self._bare[external] = name
        return external

    def check_user_map(self, session: Session) -> list[str]:
        """Local names of the user map that have no account (the caller refuses the map)."""
        missing = []
        for local in sorted(set(self.user_map.values())):
            user = session.scalar(select(User).where(User.name == local))
            if user is None:
                missing.append(local)
            else:
                self._local[local] = user
        return missing

    def resolve(self, session: Session, names: Iterable[str]) -> dict[str, int]:
        """Actor ids for ``names``, creating the actors that do not exist yet."""
        wanted = set(names)
        found = {n: self._cache[n] for n in wanted if n in self._cache}
        missing = wanted - set(found)
        local = self._known_accounts(session, missing)
        if local:  # assign_known: "prefix>Name" of a local account is that account
            ids = self.resolve(session, set(local.values()))
            for name, account in local.items():
                found[name] = ids[account]
            missing -= set(local)
        if missing:
            for chunk in _chunks(sorted(missing), 500):
                for actor_id, name in session.execute(
                        select(Actor.actor_id, Actor.name).where(Actor.name.in_(chunk))):
                    found[name] = actor_id
            for name in sorted(missing - set(found)):
                user = self._local.get(name)
                insert_ignore(session, Actor, {"name": name,
                                               "user_id": user.user_id if user else None})
                actor_id = session.scalar(select(Actor.actor_id).where(Actor.name == name))
                assert actor_id is not None
                found[name] = actor_id
        for name, actor_id in found.items():
            self._cache[name] = actor_id
            self._cache.move_to_end(name)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    def _known_accounts(self, session: Session, names: set[str]) -> dict[str, str]:
        """Prefixed names whose dump name is a local account: prefixed name -> account."""
        bare = {n: self._bare[n] for n in names if n in self._bare}
        if not bare:
            return {}
        accounts: dict[str, User] = {}
        for chunk in _chunks(sorted(set(bare.values())), 500):
            for user in session.scalars(select(User).where(User.name.in_(chunk))):
                accounts[user.name] = user
        self._local.update(accounts)
        return {n: b for n, b in bare.items() if b in accounts}

    def forget(self) -> None:
        """Drop cached ids (after a rollback they may name rows that no longer exist)."""
        self._cache.clear()


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
