"""The ``wikiengine import-dump`` and ``wikiengine export-dump`` commands.

Owns turning command-line options into an ``ImportOptions`` or a ``Selection``, the
progress display on standard error, the final report, and the exit status (1 when the file
is not a readable dump; the database is then untouched). An export is written to
``OUT.part`` and renamed when complete, so a failed export leaves no truncated file.
"""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Iterable

import click

from .records import DumpError

NAMESPACE_HELP = ("Namespace number or name (repeat the option or separate with commas), "
                  "e.g. --namespace 0 --namespace Modèle.")


def _app():  # type: ignore[no-untyped-def]
    from wikiengine import create_app
    from wikiengine.store import setup

    app = create_app()
    setup.init_instance(app)
    return app


def parse_namespaces(values: Iterable[str]) -> list[int]:
    """Numbers of ``--namespace`` values (numbers, or names in any language of this wiki)."""
    from wikiengine.rendering import site_namespaces

    table = site_namespaces()
    numbers: list[int] = []
    for value in values:
        for item in filter(None, (v.strip() for v in value.split(","))):
            if item.lstrip("-").isdigit():
                numbers.append(int(item))
                continue
            number = 0 if item.lower() in ("main", "(main)", "principal") else table.lookup(item)
            if number is None:
                raise click.BadParameter(f"unknown namespace {item!r}", param_hint="--namespace")
            numbers.append(number)
    return sorted(set(numbers))


def parse_since(value: str | None) -> _dt.datetime | None:
    """``2024-01-31`` or ``2024-01-31T12:00:00Z`` (UTC) as a naive UTC datetime."""
    if not value:
        return None
    try:
        moment = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"not an ISO date: {value!r}", param_hint="--since") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return moment


@click.command("import-dump")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Read and check everything; write nothing.")
@click.option("--namespace", "namespaces", multiple=True, metavar="N", help=NAMESPACE_HELP)
@click.option("--prefix", default="imported", show_default=True, metavar="P",
              help="Interwiki-style prefix of imported user names (P>Name).")
@click.option("--user-map", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File of 'dump name<TAB>local account' lines (or a .json object): edits "
                   "of those users are attributed to the local accounts.")
def import_dump_command(file: Path, dry_run: bool, namespaces: tuple[str, ...], prefix: str,
                        user_map: Path | None) -> None:
    """Import the MediaWiki XML dump FILE (schema 0.3-0.11; .xml, .gz, .bz2, .xz, .lzma
    or .7z). Revisions already present are skipped, so an interrupted import can simply be
    run again."""
    from .actors import read_user_map
    from .loader import ImportOptions, ImportReport, import_dump
    from .progress import Progress

    app = _app()
    shown = Progress("import")

    def progress(report: ImportReport, phase: str) -> None:
        done = report.bytes_read / report.bytes_total if report.bytes_total else None
        if phase in ("links", "search"):
            count = report.links_refreshed if phase == "links" else report.search_indexed
            done = count / max(report.pages_created + report.pages_updated, 1)
            shown.update(count, report.imported, report.bytes_read, min(done, 1.0), phase)
            return
        revisions = report.total_revisions if phase == "checking" else report.revisions
        shown.update(report.pages if phase != "checking" else report.total_pages, revisions,
                     report.bytes_read, done, phase)

    try:
        with app.app_context():
            options = ImportOptions(
                namespaces=frozenset(parse_namespaces(namespaces)) if namespaces else None,
                prefix=prefix, user_map=read_user_map(user_map) if user_map else {},
                dry_run=dry_run, comment=f"import-dump {file.name}")
            report = import_dump(app, file, options, progress)
            shown.finish(report.pages, report.revisions, report.bytes_read)
    except DumpError as exc:
        raise click.ClickException(f"not imported: {exc}") from None
    click.echo(report.summary())
    if report.links_refreshed or report.search_indexed:
        click.echo(f"link tables rebuilt for {report.links_refreshed} pages, "
                   f"{report.search_indexed} pages indexed for search")
    for problem in report.problems[:50]:
        click.echo(f"  skipped {problem}", err=True)
    if report.problem_count > 50:
        click.echo(f"  … and {report.problem_count - 50} more problems", err=True)


@click.command("export-dump")
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--current", "mode", flag_value="current", default=True,
              help="Only the current revision of each page (default).")
@click.option("--full", "mode", flag_value="full", help="Every revision of each page.")
@click.option("--namespace", "namespaces", multiple=True, metavar="N", help=NAMESPACE_HELP)
@click.option("--category", "categories", multiple=True, metavar="C",
              help="Pages of this category (repeatable).")
@click.option("--pages", "pages_file", type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path),
              help="File with one page title per line.")
@click.option("--title", "titles", multiple=True, metavar="T", help="A page title (repeatable).")
@click.option("--since", metavar="ISO-DATE",
              help="Only revisions from this date on (--current: pages edited since).")
@click.option("--include-templates", is_flag=True, help="Add the templates the pages use.")
@click.option("--uploads", is_flag=True, help="Describe the files of File pages (<upload>).")
@click.option("--include-files", is_flag=True,
              help="With --uploads: embed the files' bytes (base64 <contents>, as "
                   "MediaWiki's dumpBackup --include-files; the dump can get large).")
@click.option("--logs", is_flag=True, help="Add every log entry (<logitem>) after the pages.")
def export_dump_command(out: str, mode: str, namespaces: tuple[str, ...],
                        categories: tuple[str, ...], pages_file: Path | None,
                        titles: tuple[str, ...], since: str | None, include_templates: bool,
                        uploads: bool, include_files: bool, logs: bool) -> None:
    """Export the wiki, or a selection, as a MediaWiki XML dump (schema 0.11) to OUT
    (.xml, .xml.gz, .xml.bz2, or - for standard output)."""
    from wikiengine import db

    from .export import ExportStats, Selection, export_dump
    from .progress import Progress
    from .writer import open_output

    if pages_file and titles:
        raise click.UsageError("--pages and --title cannot be used together")
    app = _app()
    with app.app_context():
        chosen = list(titles)
        if pages_file:
            chosen = [line.strip() for line in pages_file.read_text("utf-8").splitlines()
                      if line.strip() and not line.lstrip().startswith("#")]
        selection = Selection(full=mode == "full", namespaces=parse_namespaces(namespaces),
                              categories=list(categories), titles=chosen,
                              since=parse_since(since), templates=include_templates,
                              uploads=uploads or include_files, include_files=include_files,
                              logs=logs)
        shown = Progress("export")

        def progress(stats: ExportStats) -> None:
            done = stats.revisions / stats.total_revisions if stats.total_revisions else None
            shown.update(stats.pages, stats.revisions, stats.bytes, done)

        target = out if out == "-" else out + ".part"
        try:
            with db.session_scope(app) as session, open_output(target, out) as stream:
                stats = export_dump(app, session, stream, selection, progress)
        except BaseException:
            if target != "-" and os.path.exists(target):
                os.unlink(target)
            raise
        if target != "-":
            os.replace(target, out)
        shown.finish(stats.pages, stats.revisions, stats.bytes)
    for title in stats.unknown_titles:
        click.echo(f"  invalid title skipped: {title}", err=True)
    for name in stats.missing_files:
        click.echo(f"  file missing from storage, described without its bytes: {name}",
                   err=True)
    click.echo(f"exported {stats.pages} pages, {stats.revisions} revisions"
               + (f", {stats.log_items} log entries" if logs else "")
               + (f" to {out}" if out != "-" else ""), err=out == "-")


COMMANDS = (import_dump_command, export_dump_command)
