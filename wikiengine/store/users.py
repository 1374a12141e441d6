"""Accounts: creation, argon2 password checks, lookup by name, anonymous visitors, actors,
groups and bot passwords.

User names are normalised like MediaWiki's ``User:`` titles (underscores to spaces, first
letter upper-cased, no ``#<>[]|{}/@:`` that would make a bad title or an ambiguous name).
"""
from __future__ import annotations

import ipaddress
import secrets
from typing import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from wikiengine.models import Actor, BotPassword, User, UserGroup, utcnow
from wikiengine.namespaces import USER
from wikiengine.title import InvalidTitle, Title

from ._sql import insert_ignore
from .errors import InvalidInput

_HASHER = PasswordHasher()
#: Groups a bureaucrat may grant (``$wgAddGroups``) and known groups.
KNOWN_GROUPS = ("bot", "sysop", "bureaucrat", "interface-admin")
#: The system user that authors the main page and maintenance edits.
SYSTEM_USER = "MediaWiki default"
MIN_PASSWORD_LENGTH = 1
#: Names nobody may register (MediaWiki's ``$wgReservedUsernames``).
RESERVED_NAMES = frozenset(n.lower() for n in (
    SYSTEM_USER, "Conversion script", "Maintenance script",
    "Template namespace initialisation script", "ScriptImporter", "Delete page script",
    "Move page script", "Command line script", "Unknown user"))


def is_ip(name: str) -> bool:
    """True for an IPv4/IPv6 address (or CIDR range): names reserved for anonymous actors."""
    try:
        ipaddress.ip_network(name.strip(), strict=False)
    except ValueError:
        return False
    return True


def normalize_name(name: str) -> str:
    """The canonical user name for ``name`` (spaces, first letter capitalised).

    :raises InvalidInput: (``invalidusername``) for empty names, IP addresses, names with
        characters a title cannot hold, or with ``/``, ``@`` or ``:``.
    """
    raw = (name or "").strip()
    # "/" would make a subpage; "@:=" are MediaWiki's $wgInvalidUsernameCharacters
    if not raw or is_ip(raw) or any(c in raw for c in "/@:="):
        raise InvalidInput(f"Invalid user name: {name!r}", code="invalidusername")
    try:
        title = Title.new(raw, default_namespace=USER)
    except InvalidTitle as exc:
        raise InvalidInput(f"Invalid user name: {name!r}", code="invalidusername") from exc
    if title.namespace != USER or title.fragment or len(title.text) > 85:
        raise InvalidInput(f"Invalid user name: {name!r}", code="invalidusername")
    return title.text


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def get_user(session: Session, name: str) -> User | None:
    """The registered user called ``name`` (any spelling that normalises to it)."""
    try:
        canonical = normalize_name(name)
    except InvalidInput:
        return None
    return session.scalar(select(User).where(User.name == canonical))


def get_user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def create_user(session: Session, name: str, password: str | None,
                groups: Iterable[str] = (), email: str = "",
                options: dict | None = None) -> User:
    """Register ``name``; ``password`` None makes an account that cannot log in (system).

    Also writes the ``newusers/create`` log entry. Flushes, never commits.
    :raises InvalidInput: ``invalidusername``, ``userexists``, ``passwordtooshort``.
    """
    from . import changes

    canonical = normalize_name(name)
    if canonical.lower() in RESERVED_NAMES:
        raise InvalidInput(f"The user name {canonical!r} is reserved.", code="invalidusername")
    if get_user(session, canonical) is not None:
        raise InvalidInput(f"The user name {canonical!r} is already in use.", code="userexists")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("The password is too short.", code="passwordtooshort")
    user = User(name=canonical, password=hash_password(password) if password is not None else "",
                email=email, registration=utcnow(), editcount=0, options=dict(options or {}),
                token=secrets.token_hex(16))
    session.add(user)
    session.flush()
    for group in groups:
        add_group(session, user, group)
    actor = get_actor(session, user)
    changes.log(session, "newusers", "create", actor, Title.make(USER, canonical.replace(" ", "_")),
                params={"userid": user.user_id})
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user if ``password`` is theirs, else None (same answer for unknown names).
    Rehashes with current argon2 parameters when needed."""
    user = get_user(session, name)
    if user is None or not user.password:
        _HASHER.hash(password or "x")  # similar time whether or not the user exists
        return None
    if not verify_password(user.password, password):
        return None
    if _HASHER.check_needs_rehash(user.password):
        user.password = hash_password(password)
    return user


def set_password(session: Session, user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("The password is too short.", code="passwordtooshort")
    user.password = hash_password(password)
    session.flush()


def set_option(session: Session, user: User, key: str, value: object) -> None:
    """Store one preference (``language`` for the interface language, …) in the JSON
    options; ``None`` removes it."""
    if user.user_id is None:
        raise InvalidInput("Anonymous visitors have no preferences.", code="notloggedin")
    options = dict(user.options or {})
    if value is None:
        options.pop(key, None)
    else:
        options[key] = value
    user.options = options  # a new dict, so the JSON column is seen as changed
    session.flush()


def anonymous(ip: str) -> User:
    """A transient, never-stored User for a visitor at ``ip`` (``user_id`` None)."""
    user = User(name=ip.strip() or "127.0.0.1", password="", options={})
    user.groups = []
    return user


def get_actor(session: Session, user: User) -> Actor:
    """The actor row of a user or an IP address, created on first use."""
    if user.user_id is not None:
        actor = session.scalar(select(Actor).where(Actor.user_id == user.user_id))
    else:
        actor = session.scalar(select(Actor).where(Actor.name == user.name))
    if actor is None:
        # Two first edits from one address at once: the loser of the race reads the winner's row.
        insert_ignore(session, Actor, {"user_id": user.user_id, "name": user.name})
        actor = session.scalar(select(Actor).where(Actor.name == user.name))
        assert actor is not None
    return actor


def add_group(session: Session, user: User, group: str, expiry=None) -> None:  # type: ignore[no-untyped-def]
    """Make ``user`` a member of ``group`` (no-op when already a member)."""
    if group in ("*", "user", "autoconfirmed") or not group:
        raise InvalidInput(f"{group!r} is an implicit group.", code="badgroup")
    if any(g.group == group for g in user.groups):
        return
    user.groups.append(UserGroup(user_id=user.user_id, group=group, expiry=expiry))
    session.flush()


def remove_group(session: Session, user: User, group: str) -> None:
    for membership in list(user.groups):
        if membership.group == group:
            user.groups.remove(membership)
    session.flush()


def system_user(session: Session) -> User:
    """The "MediaWiki default" account that authors the main page (created when missing)."""
    user = session.scalar(select(User).where(User.name == SYSTEM_USER))
    if user is None:
        user = User(name=SYSTEM_USER, password="", registration=utcnow(), options={},
                    token=secrets.token_hex(16))
        session.add(user)
        session.flush()
    return user


# -- bot passwords (Special:BotPasswords; login as "User@app") -----------------------------

def create_bot_password(session: Session, user: User, app_id: str,
                        grants: Iterable[str] = ("basic", "editpage", "highvolume")) -> str:
    """Create (or replace) the bot password ``user@app_id``; returns the generated password."""
    import json

    app_id = app_id.strip()
    if not app_id or len(app_id) > 32 or "@" in app_id:
        raise InvalidInput("Invalid bot password name.", code="invalidbotpassword")
    password = secrets.token_hex(16)
    row = session.get(BotPassword, (user.user_id, app_id))
    if row is None:
        row = BotPassword(user_id=user.user_id, app_id=app_id, password="")
        session.add(row)
    row.password = hash_password(password)
    row.token = secrets.token_hex(16)
    row.grants = json.dumps(sorted(grants))
    session.flush()
    return password


def authenticate_bot(session: Session, login: str, password: str) -> User | None:
    """The user behind ``"Name@app"`` if ``password`` is that bot password, else None."""
    if "@" not in login:
        return None
    name, app_id = login.rsplit("@", 1)
    user = get_user(session, name)
    if user is None:
        return None
    row = session.get(BotPassword, (user.user_id, app_id))
    if row is None or not verify_password(row.password, password):
        return None
    return user
