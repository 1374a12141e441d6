"""The side-by-side diff table, as MediaWiki draws it, from ``wikiengine.diff``'s data.

Owns wrapping ``diff.diff_table_rows`` in ``<table class="diff">`` with its column layout,
localised "Line N:" labels and the "no difference" message. Used by history diffs, "show
changes" and the edit-conflict screen.
"""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .. import diff


def render_diff(old: str, new: str, old_header: str = "", new_header: str = "") -> Markup:
    """A complete diff table (headers are trusted HTML built by the caller's template)."""
    blocks = diff.line_diff(old, new)
    rows = diff.diff_table_rows(blocks, line_label=lambda n: _("Line %(n)s:", n=n))
    head = ""
    if old_header or new_header:
        head = (f'<tr class="diff-title"><td colspan="2" class="diff-otitle">{old_header}</td>'
                f'<td colspan="2" class="diff-ntitle">{new_header}</td></tr>')
    if not blocks:
        body = (f'<tr><td colspan="4" class="diff-notice"><div class="mw-diff-empty">'
                f'{escape(_("(No difference)"))}</div></td></tr>')
    else:
        body = rows
    return Markup(
        '<table class="diff diff-contentalign-left" data-mw="interface">'
        '<colgroup><col class="diff-marker"><col class="diff-content">'
        '<col class="diff-marker"><col class="diff-content"></colgroup>'
        f"<tbody>{head}{body}</tbody></table>")
