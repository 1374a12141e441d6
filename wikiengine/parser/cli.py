"""``wikiengine parse``: wikitext on standard input, HTML on standard output."""
from __future__ import annotations

import sys

import click


@click.command("parse")
@click.option("--title", default="Main Page", show_default=True, help="Title of the page parsed.")
def parse_command(title: str) -> None:
    """Render wikitext read from stdin to HTML (stock wiki, no other pages exist)."""
    from . import render_html
    text = sys.stdin.read()
    click.echo(render_html(text, title=title), nl=False)
    click.echo()
