"""Blocks of users and IP addresses (Special:Block / Unblock, ``action=block``): creating,
lifting and listing them, each with its log entry. ``permissions.get_block`` applies them."""
from __future__ import annotations

import datetime as _dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from wikiengine.models import Block, User, utcnow
from wikiengine.namespaces import USER
from wikiengine.title import Title

from . import changes, permissions, users
from .errors import InvalidInput


def _target(session: Session, target: str) -> tuple[str, User | None]:
    """(address or canonical user name, the user or None for an IP/range)."""
    if users.is_ip(target):
        return target.strip(), None
    user = users.get_user(session, target)
    if user is None:
        raise InvalidInput(f"There is no user called {target!r}.", code="nosuchuser")
    return user.name, user


def block(session: Session, target: str, by: User, *, expiry: _dt.datetime | None = None,
          reason: str = "", anon_only: bool = False, create_account: bool = True,
          allow_usertalk: bool = True, check_permissions: bool = True) -> Block:
    """Block a user name, an IP address or a CIDR range (``expiry`` None: infinite).
    Replaces an existing block of the same target (log block/reblock).

    :raises InvalidInput: ``nosuchuser``, ``pastexpiry``.
    """
    address, user = _target(session, target)
    title = Title.make(USER, address.replace(" ", "_"))
    if check_permissions:
        permissions.user_can(session, by, "block", title)
    if expiry is not None:
        expiry = expiry.replace(tzinfo=None)
        if expiry <= utcnow():
            raise InvalidInput("The expiry time is in the past.", code="pastexpiry")
    existing = _existing(session, address, user)
    action = "reblock" if existing is not None else "block"
    if existing is not None:
        session.delete(existing)
        session.flush()
    actor = users.get_actor(session, by)
    row = Block(address=address, user_id=user.user_id if user else None,
                by_actor_id=actor.actor_id, reason=reason, timestamp=utcnow(),
                anon_only=anon_only and user is None, create_account=create_account,
                allow_usertalk=allow_usertalk, expiry=expiry)
    session.add(row)
    session.flush()
    flags = [f for f, on in (("anononly", row.anon_only), ("nocreate", create_account),
                             ("nousertalk", not allow_usertalk)) if on]
    changes.log(session, "block", action, actor, title, reason,
                params={"duration": "infinity" if expiry is None else expiry.isoformat(),
                        "flags": ",".join(flags), "blockId": row.id})
    return row


def _existing(session: Session, address: str, user: User | None) -> Block | None:
    query = select(Block)
    query = query.where(Block.user_id == user.user_id) if user is not None else \
        query.where(Block.user_id.is_(None), Block.address == address)
    return session.scalar(query)


def unblock(session: Session, target: str, by: User, reason: str = "", *,
            check_permissions: bool = True) -> None:
    """Lift the block of ``target`` (log block/unblock).

    :raises InvalidInput: ``cantunblock`` when the target is not blocked.
    """
    address, user = _target(session, target)
    title = Title.make(USER, address.replace(" ", "_"))
    if check_permissions:
        permissions.user_can(session, by, "unblock", title)
    existing = _existing(session, address, user)
    if existing is None:
        raise InvalidInput(f"{address} is not blocked.", code="cantunblock")
    session.delete(existing)
    session.flush()
    changes.log(session, "block", "unblock", users.get_actor(session, by), title, reason)


def active_blocks(session: Session, limit: int = 100, offset: int = 0) -> list[Block]:
    """Blocks in force, newest first (Special:BlockList)."""
    now = utcnow()
    rows = session.scalars(select(Block).where((Block.expiry.is_(None)) | (Block.expiry > now))
                           .order_by(Block.timestamp.desc(), Block.id.desc())
                           .limit(limit).offset(offset))
    return list(rows)
