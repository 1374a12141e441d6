"""Search commands for administrators and scripts: ``rebuild-search`` and ``search``.

``wikiengine rebuild-search`` rebuilds the index from the database (while the wiki keeps
serving: the old index answers until the new one is complete). ``wikiengine search QUERY``
prints ranked results, one per line: ``title<TAB>snippet`` with highlights as ``[word]``.
"""
from __future__ import annotations

import html
import re
import sys

import click

_MATCH = re.compile(r'<span class="searchmatch">(.*?)</span>')
_TAGS = re.compile(r"<[^>]+>")


def _plain(snippet: str) -> str:
    """A snippet for a terminal: matches in brackets, no tags, one line."""
    text = _MATCH.sub(r"[\1]", snippet)
    return " ".join(html.unescape(_TAGS.sub("", text)).split())


@click.command("rebuild-search")
@click.option("--quiet", is_flag=True, help="Print only the final count.")
def rebuild_search(quiet: bool) -> None:
    """Rebuild the search index from the database."""
    from .. import create_app
    from . import rebuild

    app = create_app()
    last = [0.0]

    def progress(count: int, elapsed: float) -> None:
        if not quiet and elapsed - last[0] >= 2.0:
            last[0] = elapsed
            click.echo(f"  {count} pages ({count / max(elapsed, 1e-6):.0f}/s)", err=True)

    with app.app_context():
        import time

        started = time.monotonic()
        count = rebuild(app=app, progress=progress)
        elapsed = time.monotonic() - started
    click.echo(f"search index rebuilt: {count} pages in {elapsed:.1f} s")


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--namespace", "-n", "namespaces", type=int, multiple=True,
              help="Namespace number to search (repeatable); default: all.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0, 10_000))
def search_command(query: tuple[str, ...], namespaces: tuple[int, ...], limit: int,
                   offset: int) -> None:
    """Search the wiki: ranked titles with snippets, one per line (title TAB snippet)."""
    from .. import create_app
    from . import _state, rebuild, search

    app = create_app()
    with app.app_context():
        backend = _state(app).backend
        backend.open()
        if backend.needs_rebuild:
            click.echo(f"{backend.message} Rebuilding now…", err=True)
            rebuild(app=app)
        results = search(" ".join(query), namespaces=list(namespaces) or None, limit=limit,
                         offset=offset, app=app)
    if results.notice:
        click.echo(results.notice, err=True)
    if results.error:
        click.echo(f"error: {results.error}", err=True)
        sys.exit(2)
    for hit in results.hits:
        click.echo(f"{hit.title}\t{_plain(hit.snippet)}")
    shown = f"{offset + 1}-{offset + len(results.hits)}" if results.hits else "0"
    click.echo(f"{shown} of {results.total} results", err=True)
    if results.suggestion:
        click.echo(f"did you mean: {results.suggestion}", err=True)
