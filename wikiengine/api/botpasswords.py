"""Bot passwords: grants, the API's view of a bot-password session, Special:BotPasswords.

Owns MediaWiki's grant table (``$wgGrantPermissions``: which rights each grant gives), the
check that a bot-password session is still valid (the password was not deleted or reset
since), and the small page ``Special:BotPasswords`` where a signed-in user creates, resets
or deletes a bot password and picks its grants (a POST form protected by the edit token).
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from flask import Blueprint, Response, abort, current_app, redirect, request
from jinja2 import Environment, select_autoescape
from sqlalchemy import select

from .. import csrf
from ..db import get_session
from ..models import BotPassword, User

bp = Blueprint("botpasswords", __name__)

#: grant -> rights (MediaWiki 1.39 ``$wgGrantPermissions``, the rights this wiki knows).
GRANTS: dict[str, frozenset[str]] = {
    "basic": frozenset({"read", "autoconfirmed", "autopatrol", "editsemiprotected",
                        "ipblock-exempt", "nominornewtalk", "patrolmarks", "unwatchedpages",
                        "purge", "viewmyprivateinfo", "viewmywatchlist", "writeapi"}),
    "highvolume": frozenset({"bot", "apihighlimits", "noratelimit", "markbotedits"}),
    "editpage": frozenset({"edit", "minoredit", "applychangetags", "changetags",
                           "editcontentmodel", "writeapi"}),
    "editprotected": frozenset({"edit", "minoredit", "editprotected", "writeapi"}),
    "createeditmovepage": frozenset({"edit", "minoredit", "createpage", "createtalk", "move",
                                     "move-rootuserpages", "move-subpages",
                                     "move-categorypages", "suppressredirect", "writeapi"}),
    "uploadfile": frozenset({"upload", "reupload", "writeapi"}),
    "uploadeditmovefile": frozenset({"upload", "reupload", "reupload-shared", "movefile",
                                     "suppressredirect", "writeapi"}),
    "patrol": frozenset({"patrol", "writeapi"}),
    "rollback": frozenset({"rollback", "markbotedits", "writeapi"}),
    "blockusers": frozenset({"block", "unblockself", "writeapi"}),
    "viewdeleted": frozenset({"browsearchive", "deletedhistory", "deletedtext"}),
    "delete": frozenset({"delete", "bigdelete", "deletelogentry", "deleterevision",
                         "undelete", "browsearchive", "deletedhistory", "deletedtext",
                         "writeapi"}),
    "protect": frozenset({"protect", "editprotected", "edit", "minoredit", "writeapi"}),
    "editmywatchlist": frozenset({"editmywatchlist", "writeapi"}),
    "editmyoptions": frozenset({"editmyoptions", "writeapi"}),
    "sendemail": frozenset({"sendemail"}),
    "createaccount": frozenset({"createaccount", "writeapi"}),
    "mergehistory": frozenset({"mergehistory", "writeapi"}),
    "import": frozenset({"import", "importupload", "writeapi"}),
    "editinterface": frozenset({"editinterface", "editsitejson", "edituserjson", "writeapi"}),
    "userrights": frozenset({"userrights", "writeapi"}),
}
GRANT_LABELS = {
    "basic": "Basic rights", "highvolume": "High-volume (bot) access",
    "editpage": "Edit existing pages", "editprotected": "Edit protected pages",
    "createeditmovepage": "Create, edit, and move pages",
    "uploadfile": "Upload new files", "uploadeditmovefile": "Upload, replace, and move files",
    "patrol": "Patrol changes to pages", "rollback": "Rollback changes to pages",
    "blockusers": "Block and unblock users", "viewdeleted": "View deleted files and pages",
    "delete": "Delete pages, revisions, and log entries",
    "protect": "Protect and unprotect pages", "editmywatchlist": "Edit your watchlist",
    "editmyoptions": "Edit your user preferences", "sendemail": "Send email to other users",
    "createaccount": "Create accounts", "mergehistory": "Merge page histories",
    "import": "Import revisions", "editinterface": "Edit the user interface",
    "userrights": "Change user rights",
}


def rights_for_grants(grants: Iterable[str]) -> set[str]:
    """Every right the ``grants`` give (``basic`` is always included, as in MediaWiki)."""
    rights: set[str] = set(GRANTS["basic"])
    for grant in grants:
        rights |= GRANTS.get(grant, frozenset())
    return rights


def session_valid(db: Any, user: User, data: dict[str, Any]) -> bool:
    """Whether a bot-password session still matches its stored bot password."""
    row = db.get(BotPassword, (user.user_id, str(data.get("app_id", ""))))
    return row is not None and row.token == data.get("token")


def init_app(app: Any) -> None:
    from ..views.special import register

    app.register_blueprint(bp)
    # Listed on Special:SpecialPages and reachable by any spelling the views accept.
    register(app, "BotPasswords", lambda _sub: special_botpasswords(),
             label="Bot passwords", group="users",
             aliases={"en": ["BotPasswords"], "fr": ["Mots_de_passe_de_robot"]})


_ENV = Environment(autoescape=select_autoescape(default=True))
PAGE = _ENV.from_string("""<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bot passwords - {{ sitename }}</title>
<style>body{font-family:sans-serif;max-width:50em;margin:1em auto;padding:0 1em}
fieldset{margin:1em 0}label{display:block}.secret{font-family:monospace;font-size:1.2em;
background:#eaf3ff;padding:.5em}</style></head>
<body><h1>Bot passwords</h1>
<p><a href="/wiki/">{{ sitename }}</a> · signed in as <b>{{ user }}</b></p>
<p>Bot passwords let a tool such as pywikibot sign in as <b>{{ user }}@name</b> with only the
rights you grant here, without knowing your main password.</p>
{% if created %}<div role="status"><p>The bot password <b>{{ user }}@{{ created }}</b> was saved.
Its password is shown only once:</p><p class="secret">{{ secret }}</p>
<p>Log in with the user name <code>{{ user }}@{{ created }}</code> and this password.</p></div>
{% endif %}{% if message %}<p role="status">{{ message }}</p>{% endif %}
<h2>Existing bot passwords</h2>
{% if rows %}<ul>{% for row in rows %}<li><b>{{ user }}@{{ row.app_id }}</b>:
{{ row.grant_list|join(", ") }}
<form method="post" style="display:inline"><input type="hidden" name="wpEditToken"
value="{{ token }}"><input type="hidden" name="app_id" value="{{ row.app_id }}">
<button name="op" value="delete">Delete</button></form></li>{% endfor %}</ul>
{% else %}<p>None yet.</p>{% endif %}
<h2>Create or reset a bot password</h2>
<form method="post"><input type="hidden" name="wpEditToken" value="{{ token }}">
<label>Bot name <input name="app_id" maxlength="32" required pattern="[^@]+"></label>
<fieldset><legend>Grants</legend>{% for grant, label in grants %}
<label><input type="checkbox" name="grants" value="{{ grant }}"
{% if grant == "basic" %}checked disabled{% endif %}> {{ label }}</label>{% endfor %}
</fieldset><button name="op" value="create">Create</button></form></body></html>
""")


@bp.route("/wiki/Special:BotPasswords", methods=["GET", "POST"])
@bp.route("/wiki/Sp\u00e9cial:BotPasswords", methods=["GET", "POST"])
def special_botpasswords() -> Response:
    from ..views.common import current_user

    user = current_user()
    if user.is_anon:
        return redirect("/wiki/Special:UserLogin?returnto=Special:BotPasswords", 302)
    db = get_session()
    created = secret = message = None
    if request.method == "POST":
        if not csrf.check_token(request.form.get("wpEditToken")):
            abort(400, description="token-invalid")
        op = request.form.get("op")
        app_id = (request.form.get("app_id") or "").strip()
        if op == "delete":
            row = db.get(BotPassword, (user.user_id, app_id))
            if row is not None:
                db.delete(row)
                db.commit()
                message = f"The bot password {user.name}@{app_id} was deleted."
        elif op == "create":
            from ..store import users as store_users
            from ..store.errors import InvalidInput

            grants = sorted({g for g in request.form.getlist("grants") if g in GRANTS}
                            | {"basic"})
            try:
                secret = store_users.create_bot_password(db, user, app_id, grants)
            except InvalidInput as exc:
                message = exc.message
            else:
                db.commit()
                created = app_id
        else:
            abort(400)
    rows = []
    for row in db.scalars(select(BotPassword).where(BotPassword.user_id == user.user_id)
                          .order_by(BotPassword.app_id)):
        rows.append({"app_id": row.app_id, "grant_list": json.loads(row.grants or "[]")})
    html = PAGE.render(lang=current_app.config.get("LANGUAGE", "fr"),
                       sitename=current_app.config.get("SITENAME", "Wiki"), user=user.name,
                       rows=rows, token=csrf.get_token(), created=created, secret=secret,
                       message=message, grants=sorted(GRANT_LABELS.items()))
    return Response(html, 200, {"Cache-Control": "private, no-store"},
                    content_type="text/html; charset=utf-8")
