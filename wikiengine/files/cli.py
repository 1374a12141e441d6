"""``wikiengine import-images FOLDER``: MediaWiki's importImages.php for facilitators: every
JPEG, PNG, GIF, WebP or SVG of a folder becomes a file of the wiki, through the same checks
as Special:Upload (registered in ``wikiengine/cli.py`` with one line).

Each file is its own transaction; refused files are listed with the reason and the others
still imported. Existing names are skipped unless ``--overwrite`` (a new version).
"""
from __future__ import annotations

from pathlib import Path

import click

from .verify import EXTENSION_MIME


@click.command("import-images")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--user", "user_name", required=True, help="The account the uploads are made as.")
@click.option("--comment", default="", help="Upload summary and description of every file.")
@click.option("--licence", "licence_code", default="", help="Licence code (default: the "
              "site's, e.g. cc-by-sa-4.0).")
@click.option("--author", default="", help="Author written on each description page.")
@click.option("--source", default="", help="Source written on each description page.")
@click.option("--overwrite", is_flag=True, help="Upload new versions of existing files.")
def import_images_command(folder: Path, user_name: str, comment: str, licence_code: str,
                          author: str, source: str, overwrite: bool) -> None:
    """Import the images of FOLDER (not recursive) as files of the wiki."""
    from wikiengine import create_app
    from wikiengine.db import session_scope
    from wikiengine.store import setup, users
    from wikiengine.store.errors import PermissionDenied

    from . import licences, service
    from .metadata import coordinates
    from .verify import UploadError

    app = create_app()
    setup.init_instance(app)
    done = skipped = refused = 0
    with app.test_request_context():
        lic = licences.find(licence_code) if licence_code else licences.site_licence()
        if lic is None:
            raise click.UsageError(f"unknown licence {licence_code!r}; known: "
                                   + ", ".join(item.code for item in licences.available()))
        with session_scope(app) as s:
            if users.get_user(s, user_name) is None:
                raise click.UsageError(f"no user named {user_name!r}")
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            if path.suffix.lower().lstrip(".") not in EXTENSION_MIME:
                continue
            data = path.read_bytes()

            def text(facts, path=path):  # type: ignore[no-untyped-def]
                return service.description_text(comment, lic.code, author, source,
                                                 coords=coordinates(facts.metadata))
            try:
                with session_scope(app) as s:
                    title = service.file_title(path.name)
                    if not overwrite and service.get_image(s, title) is not None:
                        skipped += 1
                        click.echo(f"skipped  {path.name}: exists")
                        continue
                    service.upload(s, users.get_user(s, user_name), path.name, data,
                                   comment=comment or lic.label, page_text=text,
                                   ignore_warnings=True)
                done += 1
                click.echo(f"imported {path.name} -> {title.prefixed_text}")
            except (UploadError, PermissionDenied) as exc:
                refused += 1
                click.echo(f"refused  {path.name}: {exc}", err=True)
    click.echo(f"{done} imported, {skipped} skipped, {refused} refused")
    if refused:
        raise SystemExit(1)
