"""The ``wikiengine`` command: one click group; each subsystem adds its own sub-commands.

Sub-commands live beside the code they drive and are registered here with one
``main.add_command(...)`` line each.
"""
from __future__ import annotations

import click

from . import create_app


@click.group()
@click.version_option(package_name="wikiengine")
def main() -> None:
    """wikiengine: a MediaWiki-compatible wiki for local, cooperative writing."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes (development only).")
def serve(host: str, port: int, debug: bool) -> None:
    """Serve the wiki with Flask's development server (see README for gunicorn)."""
    app = create_app()
    _init(app)
    click.echo(f"wikiengine: http://{host}:{port}/  (instance {app.instance_path})")
    app.run(host=host, port=port, debug=debug, use_reloader=debug, threaded=True)


@main.command()
def init() -> None:
    """Create or upgrade the instance: database schema, main page, settings."""
    app = create_app()
    _init(app)
    click.echo(f"instance ready: {app.instance_path}")


def _init(app) -> None:  # type: ignore[no-untyped-def]
    from .store import setup

    setup.init_instance(app)


# Sub-commands of the other subsystems (one line each).
from .store.cli import COMMANDS as _STORE_COMMANDS  # noqa: E402
for _command in _STORE_COMMANDS: main.add_command(_command)  # noqa: E701
from .search.cli import rebuild_search, search_command  # noqa: E402
main.add_command(rebuild_search); main.add_command(search_command)  # noqa: E702
from .parser.cli import parse_command  # noqa: E402
main.add_command(parse_command)
from dumps.cli import export_dump_command, import_dump_command  # noqa: E402
main.add_command(import_dump_command); main.add_command(export_dump_command)  # noqa: E702
from .files.cli import import_images_command; main.add_command(import_images_command)  # noqa: E402,E702
