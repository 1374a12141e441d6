"""Small SQL helpers that must behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def insert_ignore(session: Session, model: Any, values: dict[str, Any],
                  returning: Any = None) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` (both databases); returns the ``returning``
    column's value of the new row, or None when a row with the same key already existed."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(model).values(**values).on_conflict_do_nothing()
    if returning is not None:
        return session.execute(stmt.returning(returning)).scalar()
    result = session.execute(stmt)
    return result.rowcount or None
