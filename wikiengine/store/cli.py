"""Store sub-commands of ``wikiengine``: ``create-user``, ``refresh-links``, ``purge-cache``
(registered in ``wikiengine/cli.py`` with one line)."""
from __future__ import annotations

import click


def _app():  # type: ignore[no-untyped-def]
    from wikiengine import create_app

    from . import setup

    app = create_app()
    setup.init_instance(app)
    return app


@click.command("create-user")
@click.argument("name")
@click.option("--password", required=True, help="The new account's password.")
@click.option("--admin", is_flag=True, help="Add to the sysop and bureaucrat groups.")
@click.option("--bot", is_flag=True, help="Add to the bot group.")
def create_user_command(name: str, password: str, admin: bool, bot: bool) -> None:
    """Create the account NAME (optionally administrator and/or bot)."""
    from wikiengine import db

    from . import users
    from .errors import InvalidInput

    app = _app()
    groups = (["sysop", "bureaucrat"] if admin else []) + (["bot"] if bot else [])
    try:
        with app.app_context(), db.session_scope(app) as session:
            user = users.create_user(session, name, password, groups=groups)
            label = f"{user.name} (id {user.user_id}"
            label += f", groups: {', '.join(groups)})" if groups else ")"
    except InvalidInput as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created user {label}")


@click.command("refresh-links")
def refresh_links_command() -> None:
    """Rebuild the link tables of every page from its latest revision."""
    from wikiengine import db

    from . import derived

    app = _app()
    with app.app_context(), db.session_scope(app) as session:
        done = derived.refresh_all(session, on_batch=session.commit)
    click.echo(f"links refreshed for {done} pages")


@click.command("purge-cache")
def purge_cache_command() -> None:
    """Empty the parser cache (pages are re-rendered on their next view)."""
    from wikiengine import cache, db

    app = _app()
    with app.app_context(), db.session_scope(app) as session:
        count = cache.purge(session)
    click.echo(f"{count} cached renderings removed")


COMMANDS = (create_user_command, refresh_links_command, purge_cache_command)
