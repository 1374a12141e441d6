"""``action=import``: MediaWiki 1.39's ApiImport on this wiki's dump loader.

Owns the API module (registered in the API's module registry when ``dumps.web`` starts):
an uploaded dump (``xml``, multipart) is imported with the same code as Special:Import and
``wikiengine import-dump`` (``web.import_uploaded_dump`` → ``loader.import_dump``), with
``interwikiprefix`` (required, as MediaWiki), ``assignknownusers``, ``namespace`` or
``rootpage``, ``summary`` (the import log entries' comment). The answer is MediaWiki's:
``{"import": [{"ns", "title", "revisions"}…]}``, ``revisions`` counting the revisions this
request added (a revision already present is not imported twice). Pages or revisions the
loader refused are named in warnings. This wiki offers no interwiki import source
(``$wgImportSources`` is empty), so ``interwikisource`` answers MediaWiki's ``badvalue``
and nothing is fetched. Errors as MediaWiki's: ``cantimport-upload`` without the
``importupload`` right, ``nointerwikiprefix``, ``nofile``, ``invalidparammix``,
``import-rootpage-invalid``, ``import-rootpage-nosubpage``, and ``import-unknownerror``
for a file that is not a readable dump (checked whole before anything is written).
"""
from __future__ import annotations

from typing import Any

from wikiengine.api import users, writes
from wikiengine.api.base import HELP_BASE, ApiModule, action
from wikiengine.api.context import ApiContext, site_namespaces
from wikiengine.api.errors import ApiError
from wikiengine.api.params import P
from wikiengine.title import InvalidTitle, Title

from .records import DumpError

#: Interwiki import sources this wiki offers (MediaWiki's ``$wgImportSources``): none, the
#: wiki fetches nothing from the network.
IMPORT_SOURCES: tuple[str, ...] = ()
#: Problems of the loader repeated as warnings, at most.
MAX_WARNINGS = 50
#: Characters an interwiki prefix cannot hold (they would make unusable actor names); ``:``
#: is allowed, as in MediaWiki's ``wikipedia:fr>Name``.
BAD_PREFIX_CHARS = set(">[]{}|#<")


@action
class Import(ApiModule):
    name, classname = "import", "ApiImport"
    helpurls = (HELP_BASE + "Import",)
    mustbeposted = writerights = True
    params = (
        P("summary", "string"), P("xml", "upload"), P("interwikiprefix", "string"),
        P("interwikisource", IMPORT_SOURCES), P("interwikipage", "string"),
        P("fullhistory", "boolean"), P("templates", "boolean"),
        P("namespace", "namespace"), P("assignknownusers", "boolean"),
        P("rootpage", "string"), P("tags", (), multi=True), writes.token_param(),
    )

    def execute(self, ctx: ApiContext) -> None:
        from .loader import ImportOptions
        from .web import import_uploaded_dump

        v = self.read(ctx)
        if v["namespace"] is not None and v["rootpage"] is not None:
            raise ApiError("invalidparammix", '"namespace" and "rootpage"')
        if v["namespace"] is not None and v["namespace"] < 0:  # Special:, Media: hold no page
            raise ApiError("badvalue", "namespace", v["namespace"])
        # interwikisource can only be one of IMPORT_SOURCES (none): read() refused it
        if not ctx.has_right("importupload"):
            raise ApiError("cantimport-upload",
                           info="You don't have permission to import uploaded pages.")
        block = users.active_block(ctx.db, ctx.user)
        if block is not None:
            raise ApiError("blocked", data={"blockinfo": users.block_info(ctx, block)})
        prefix = (v["interwikiprefix"] or "").strip()
        if not prefix:
            raise ApiError("nointerwikiprefix",
                           info='The "interwikiprefix" parameter must be set.')
        if any(c in BAD_PREFIX_CHARS for c in prefix) or len(prefix) > 64:
            raise ApiError("badvalue", "interwikiprefix", prefix)
        upload = v["xml"]
        if upload is None or not upload.filename:
            raise ApiError("nofile", info="No import file was uploaded.")
        root = _root_page(v["rootpage"]) if v["rootpage"] is not None else None
        pages: list[dict[str, Any]] = []

        def done(title: Title, revisions: int) -> None:
            pages.append({"ns": title.namespace, "title": title.prefixed_text,
                          "revisions": revisions})

        options = ImportOptions(prefix=prefix, importer=ctx.user.name,
                                comment=(v["summary"] or "")[:500],
                                target_namespace=v["namespace"], root_page=root,
                                assign_known_users=bool(v["assignknownusers"]), on_page=done)
        try:
            report = import_uploaded_dump(upload, options)
        except DumpError as exc:
            raise ApiError("import-unknownerror",
                           info=f"Unknown error on import: {exc}.") from None
        for problem in report.problems[:MAX_WARNINGS]:
            ctx.warn(self.name, f"Not imported: {str(problem).rstrip('.')}.")
        if report.problem_count > MAX_WARNINGS:
            ctx.warn(self.name, f"{report.problem_count - MAX_WARNINGS} more problems.")
        ctx.result["import"] = pages


def _root_page(text: str) -> Title:
    """The ``rootpage`` as MediaWiki's ``WikiImporter::setTargetRootPage`` checks it."""
    namespaces = site_namespaces()
    try:
        title = Title.new(text, namespaces)
    except InvalidTitle:
        title = None
    if title is None or title.interwiki or title.fragment or title.namespace < 0:
        raise ApiError("import-rootpage-invalid", info="Given root page is an invalid title.")
    if not namespaces.has_subpages(title.namespace):
        name = namespaces.name(title.namespace)
        raise ApiError("import-rootpage-nosubpage",
                       info=f'Namespace "{name}" of the root page does not allow subpages.')
    return title
