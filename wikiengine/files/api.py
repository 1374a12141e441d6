"""API modules of files, registered in the API's module registry on import:
``action=upload`` (a file, a stashed ``filekey``, or chunks with ``stash``/``offset``/
``filesize`` as pywikibot sends them), ``list=allimages``, ``list=imageusage``, and
``prop=imageinfo`` extended with ``iiurlwidth``/``iiurlheight`` (``thumburl``) and the file
history (``iilimit``, ``iistart``, ``iiend``) on top of the API's own module.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..api import props_links
from ..api.base import HELP_BASE, ApiModule, action, query_module
from ..api.context import ApiContext, site_namespaces
from ..api.errors import ApiError
from ..api.lists import ASC, BacklinkList, ListModule, backlink_params, limit_param, \
    split_rows, title_key
from ..api.params import P
from ..models import Image, ImageLink, OldImage, Page
from ..namespaces import FILE
from ..store.errors import PermissionDenied
from ..title import Title
from . import service, stash
from .filepage import thumb_url
from .thumbs import thumb_mime
from .verify import UploadError

IMAGEINFO_ALL = {"timestamp", "user", "userid", "comment", "size", "url", "sha1", "mime",
                 "mediatype", "metadata", "canonicaltitle", "bitdepth"}


def _absolute(ctx: ApiContext, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else \
        ctx.request.host_url.rstrip("/") + url


def _upload_error(exc: UploadError) -> ApiError:
    data = {k: v for k, v in exc.details.items() if k != "reason"}
    return ApiError(exc.code, info=exc.message, data=data)


def _stash_error(exc: stash.StashError, **data: Any) -> ApiError:
    code = "stashfailed" if exc.code in ("badupload", "stashincomplete") else exc.code
    return ApiError(code, info=exc.message, data=data)


@action
class Upload(ApiModule):
    name, classname = "upload", "ApiUpload"
    helpurls = (HELP_BASE + "Upload",)
    mustbeposted = True
    writerights = True
    params = (
        P("filename", "string"), P("comment", "string", default=""), P("text", "text"),
        P("watch", "boolean", deprecated=True), P("watchlist", ("watch", "preferences",
                                                                "nochange"), default="preferences"),
        P("ignorewarnings", "boolean"), P("file", "upload"), P("url", "string"),
        P("filekey", "string"), P("sessionkey", "string", deprecated=True),
        P("stash", "boolean"), P("filesize", "integer", min=0), P("offset", "integer", min=0),
        P("chunk", "upload"), P("async", "boolean"), P("checkstatus", "boolean"),
        P("token", "string", required=True),
    )

    def execute(self, ctx: ApiContext) -> None:
        from ..api import users

        v = self.read(ctx)
        owner = int(getattr(ctx.user, "user_id", 0) or 0)
        key = v["filekey"] or v["sessionkey"]
        if v["checkstatus"]:
            if not key:
                raise ApiError("missingparam", "filekey")
            try:
                meta = stash.info(key, owner)
            except stash.StashError as exc:
                raise _stash_error(exc) from None
            ctx.result["upload"] = {"result": "Success" if meta["offset"] == meta["total"]
                                    else "Continue", "offset": meta["offset"], "filekey": key}
            return
        if v["url"] is not None:
            raise ApiError("copyuploaddisabled", info="Upload by URL is disabled.")
        if not v["filename"] and not (v["stash"] and key):
            raise ApiError("missingparam", "filename")
        try:
            title = service.file_title(v["filename"] or "")
        except UploadError as exc:
            raise _upload_error(exc) from None
        users.check(ctx, "upload", title)
        if v["chunk"] is not None:
            self._chunk(ctx, v, owner, key, title)
            return
        if v["file"] is not None:
            if key:
                raise ApiError("invalidparammix", '"file", "filekey"')
            data = v["file"].read()
        elif key:
            try:
                data, _meta = stash.read(key, owner)
            except stash.StashError as exc:
                raise _stash_error(exc) from None
        else:
            raise ApiError("missingparam-one-of", '"filekey", "file", "url"',
                           info='One of the parameters "filekey", "file" and "url" is required.')
        if v["stash"]:
            try:
                service.verify(data, title.dbkey, service.limits())
            except UploadError as exc:
                raise _upload_error(exc) from None
            new_key = stash.create(owner, title.dbkey, data)
            ctx.result["upload"] = {"result": "Success", "filekey": new_key,
                                    "sessionkey": new_key}
            return
        users.rate_limit(ctx, "upload")
        self._publish(ctx, v, owner, key, title, data)

    def _chunk(self, ctx: ApiContext, v: dict[str, Any], owner: int, key: str | None,
               title: Title) -> None:
        if v["filesize"] is None or v["offset"] is None:
            raise ApiError("missingparam", "filesize" if v["filesize"] is None else "offset")
        limit = service.limits().max_size
        if v["filesize"] > limit:
            raise ApiError("file-too-large", info=f"The file is {v['filesize']} bytes; the "
                           f"maximum allowed is {limit} bytes.")
        chunk = v["chunk"].read()
        end = v["offset"] + len(chunk)
        if end == v["filesize"] + 1 and chunk.endswith(b"\r"):
            chunk = chunk[:-1]  # pywikibot's extra "\r" on the last chunk (T132676)
            end -= 1
        if end > v["filesize"]:
            raise ApiError("stashfailed", info=f"The chunk ends at byte {end}, past the "
                           f"announced file size of {v['filesize']} bytes.")
        try:
            if v["offset"] == 0 and not key:
                key = stash.create(owner, title.dbkey, chunk, total=v["filesize"])
                meta = stash.info(key, owner)
            elif not key:
                raise ApiError("missingparam", "filekey")
            else:
                meta = stash.append(key, owner, v["offset"], chunk, limit)
        except stash.StashError as exc:
            current = None
            if key:
                try:
                    current = stash.info(key, owner)["offset"]
                except stash.StashError:
                    current = None
            raise _stash_error(exc, **({"offset": current} if current is not None else {})) \
                from None
        if meta["offset"] < meta["total"]:
            ctx.result["upload"] = {"result": "Continue", "offset": meta["offset"],
                                    "filekey": key}
            return
        try:
            data, _meta = stash.read(key, owner)
        except stash.StashError as exc:
            raise _stash_error(exc) from None
        try:
            service.verify(data, title.dbkey, service.limits())
        except UploadError as exc:
            stash.remove(key)
            raise _upload_error(exc) from None
        ctx.result["upload"] = {"result": "Success", "filekey": key, "sessionkey": key}

    def _publish(self, ctx: ApiContext, v: dict[str, Any], owner: int, key: str | None,
                 title: Title, data: bytes) -> None:
        from ..api import users

        comment = v["comment"] or ""

        def default_text(facts: Any) -> str:
            """Without ``text``: the comment, and the photo's GPS position for maps."""
            from .metadata import coordinates

            where = coordinates(facts.metadata)
            if where is None:
                return comment
            return service.description_text(comment, coords=where)
        try:
            result = service.upload(ctx.db, ctx.user, title.prefixed_text, data,
                                    comment=comment, page_text=v["text"] if v["text"] is not None
                                    else default_text, ignore_warnings=bool(v["ignorewarnings"]),
                                    ip=ctx.request.remote_addr)
        except UploadError as exc:
            ctx.db.rollback()
            raise _upload_error(exc) from None
        except PermissionDenied as exc:
            ctx.db.rollback()
            raise users.denied(ctx, exc) from None
        if result.result == "Warning":
            ctx.db.rollback()
            new_key = key or stash.create(owner, title.dbkey, data)
            ctx.result["upload"] = {"result": "Warning", "warnings": result.warnings,
                                    "filekey": new_key, "sessionkey": new_key}
            return
        ctx.db.commit()
        if key:
            stash.remove(key)
        image = result.image
        ctx.result["upload"] = {
            "result": "Success", "filename": title.dbkey,
            "imageinfo": props_links.image_info(ctx, image, IMAGEINFO_ALL, title)}


@action
class FileRevert(ApiModule):
    name, classname = "filerevert", "ApiFileRevert"
    helpurls = (HELP_BASE + "Filerevert",)
    mustbeposted = True
    writerights = True
    params = (P("filename", "string", required=True), P("comment", "string", default=""),
              P("archivename", "string", required=True), P("token", "string", required=True))

    def execute(self, ctx: ApiContext) -> None:
        from ..api import users

        v = self.read(ctx)
        try:
            title = service.file_title(v["filename"])
        except UploadError as exc:
            raise _upload_error(exc) from None
        users.check(ctx, "reupload", title)
        try:
            service.revert(ctx.db, ctx.user, title, v["archivename"], v["comment"],
                           ip=ctx.request.remote_addr)
        except UploadError as exc:
            ctx.db.rollback()
            raise _upload_error(exc) from None
        except PermissionDenied as exc:
            ctx.db.rollback()
            raise users.denied(ctx, exc) from None
        ctx.db.commit()
        ctx.result["filerevert"] = {"result": "Success"}


@query_module
class ImageInfo(props_links.ImageInfo):
    """The API's ``prop=imageinfo`` plus thumbnails and the file history."""

    params = (P("prop", props_links.II_PROPS + ("thumbmime",), default="timestamp|user",
                multi=True),
              P("limit", "limit", default=1, min=1, max=500, highmax=5000),
              P("start", "timestamp"), P("end", "timestamp"),
              P("urlwidth", "integer", default=-1), P("urlheight", "integer", default=-1),
              P("continue", "string"),
              P("localonly", "boolean"))

    def run(self, ctx: ApiContext, pageset: Any, mgr: Any) -> None:
        super().run(ctx, pageset, mgr)
        v = self.read(ctx)
        props = set(v["prop"] or ())
        files = [t for t in pageset.titles() if t.namespace == FILE]
        for title in files:
            page = next((p for p, t in pageset.good if t == title), None)
            entry = pageset.entry(page if page is not None else title)
            infos = entry.get("imageinfo")
            if not infos:
                continue
            image = ctx.db.get(Image, title.dbkey)
            if "url" in props and (v["urlwidth"] > 0 or v["urlheight"] > 0):
                self._thumb(ctx, infos[0], image, v["urlwidth"], v["urlheight"])
            if v["limit"] > 1:
                olds = select(OldImage).where(OldImage.name == title.dbkey)
                if v["start"] is not None:
                    olds = olds.where(OldImage.timestamp <= v["start"])
                if v["end"] is not None:
                    olds = olds.where(OldImage.timestamp >= v["end"])
                for old in ctx.db.scalars(olds.order_by(OldImage.timestamp.desc())
                                          .limit(v["limit"] - 1)):
                    info = props_links.image_info(ctx, old, props - {"url"}, title)
                    if "url" in props:
                        from .filepage import archive_url

                        info["url"] = _absolute(ctx, archive_url(old.archive_name, old.name))
                    if "archivename" in props:
                        info["archivename"] = old.archive_name
                    infos.append(info)

    def _thumb(self, ctx: ApiContext, info: dict[str, Any], image: Image, width: int,
               height: int) -> None:
        if width <= 0 or (height > 0 and image.width * height < image.height * width):
            width = max(1, round(image.width * height / max(image.height, 1)))
        vector = image.minor_mime in ("svg+xml", "pdf")  # rendered at any width
        width = min(width, image.width) if not vector else width
        thumb_height = max(1, round(image.height * width / max(image.width, 1)))
        info.update(thumburl=_absolute(ctx, thumb_url(image, width)), thumbwidth=width,
                    thumbheight=thumb_height)
        if "thumbmime" in set(self.read(ctx)["prop"] or ()):
            info["thumbmime"] = thumb_mime(f"{image.major_mime}/{image.minor_mime}")
        info["responsiveUrls"] = {
            f"{f:g}": _absolute(ctx, thumb_url(image, round(width * f)))
            for f in (1.5, 2) if vector or round(width * f) < image.width}


def _after(value: str, desc: bool) -> Any:
    """The rows from the continuation ``timestamp|name`` on (keyset: inserts meanwhile
    neither repeat nor skip a file)."""
    import datetime as _dt

    from sqlalchemy import and_, or_

    stamp, _sep, name = value.partition("|")
    try:
        when = _dt.datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        raise ApiError("badcontinue") from None
    if desc:
        return or_(Image.timestamp < when, and_(Image.timestamp == when, Image.name <= name))
    return or_(Image.timestamp > when, and_(Image.timestamp == when, Image.name >= name))


@query_module
class AllImages(ListModule):
    name, prefix, classname = "allimages", "ai", "ApiQueryAllImages"
    helpurls = (HELP_BASE + "Allimages",)
    params = (P("sort", ("name", "timestamp"), default="name"), P("dir", ASC + ("newer", "older"),
                                                                    default="ascending"),
              P("from", "string"), P("to", "string"), P("continue", "string"),
              P("start", "timestamp"), P("end", "timestamp"),
              P("prop", props_links.II_PROPS, default="timestamp|url", multi=True),
              P("prefix", "string"), P("minsize", "integer"), P("maxsize", "integer"),
              P("sha1", "string"), P("sha1base36", "string"), P("user", "user"),
              P("mime", "string", multi=True), limit_param())

    def fetch(self, ctx: ApiContext, v: dict[str, Any]) -> tuple[list[Any], str | None]:
        desc = v["dir"] in ("descending", "older")
        q = select(Image)
        if v["sort"] == "timestamp":
            if v["continue"] is not None:
                q = q.where(_after(v["continue"], desc))
            if v["start"] is not None:
                q = q.where(Image.timestamp <= v["start"] if desc
                            else Image.timestamp >= v["start"])
            if v["end"] is not None:
                q = q.where(Image.timestamp >= v["end"] if desc else Image.timestamp <= v["end"])
            order = (Image.timestamp.desc(), Image.name.desc()) if desc else (
                Image.timestamp, Image.name)
        else:
            start = v["continue"] if v["continue"] is not None else (
                title_key(v["from"], FILE) if v["from"] is not None else None)
            if start is not None:
                q = q.where(Image.name <= start if desc else Image.name >= start)
            if v["to"] is not None:
                end = title_key(v["to"], FILE)
                q = q.where(Image.name >= end if desc else Image.name <= end)
            if v["prefix"]:
                q = q.where(Image.name.startswith(title_key(v["prefix"], FILE), autoescape=True))
            order = (Image.name.desc(),) if desc else (Image.name,)
        if v["minsize"] is not None:
            q = q.where(Image.size >= v["minsize"])
        if v["maxsize"] is not None:
            q = q.where(Image.size <= v["maxsize"])
        if v["sha1"]:
            try:
                q = q.where(Image.sha1 == service.base36_of_hex(v["sha1"]))
            except ValueError:
                raise ApiError("invalidsha1hash") from None
        if v["sha1base36"]:
            q = q.where(Image.sha1 == v["sha1base36"].lower().rjust(31, "0"))
        if v["user"]:
            from ..models import Actor

            q = q.join(Actor, Actor.actor_id == Image.actor_id).where(Actor.name == v["user"])
        if v["mime"]:
            q = q.where((Image.major_mime + "/" + Image.minor_mime).in_(v["mime"]))
        q = q.order_by(*order).limit(v["limit"] + 1)
        rows, nxt = split_rows(list(ctx.db.scalars(q)), v["limit"])
        if nxt is None:
            return rows, None
        if v["sort"] == "timestamp":
            return rows, f"{nxt.timestamp:%Y%m%d%H%M%S}|{nxt.name}"
        return rows, nxt.name

    def item(self, ctx: ApiContext, v: dict[str, Any], row: Any) -> dict[str, Any]:
        title = Title.make(FILE, row.name, site_namespaces())
        out = {"name": row.name}
        out.update(props_links.image_info(ctx, row, set(v["prop"] or ()), title))
        out.update(ns=FILE, title=title.prefixed_text)
        return out

    def target(self, row: Any) -> Any:
        return Title.make(FILE, row.name, site_namespaces())


@query_module
class ImageUsage(BacklinkList):
    name, prefix, classname = "imageusage", "iu", "ApiQueryBacklinks"
    helpurls = (HELP_BASE + "Imageusage",)
    params = backlink_params()

    def linking_pages(self, target: Title) -> Any:
        if target.namespace != FILE:
            raise ApiError("imageusage_bad_title", info=f'The title for "{self.name}" must be '
                           "a file.")
        return (select(Page).join(ImageLink, ImageLink.from_id == Page.page_id)
                .where(ImageLink.to == target.dbkey))
