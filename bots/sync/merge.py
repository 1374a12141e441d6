"""Three-way merge of wikitext on lines (diff3, as bzr/breezy's merge3 computes it) and the
unified diffs shown on the report page.

``merge3(base, local, upstream)`` finds the regions where the three texts agree line for line
(the intersections of base↔local and base↔upstream matches); between two such regions, a side
that left the base unchanged takes the other side's change; identical changes on both sides are
taken once; different changes on both sides are a conflict. Paragraphs are separated by blank
lines, which stay unchanged, so edits to different paragraphs merge cleanly.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass
class MergeResult:
    """The merged text (local side kept in conflicting regions) and the conflicting regions."""

    text: str
    conflicts: list[dict[str, str]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _sync_regions(base: list[str], a: list[str], b: list[str]) -> list[tuple[int, int, int, int, int, int]]:
    """Regions ``(base_start, base_end, a_start, a_end, b_start, b_end)`` equal in all three,
    ending with an empty region at the three ends."""
    ma = difflib.SequenceMatcher(None, base, a, autojunk=False).get_matching_blocks()
    mb = difflib.SequenceMatcher(None, base, b, autojunk=False).get_matching_blocks()
    regions = []
    i = j = 0
    while i < len(ma) and j < len(mb):
        abase, amatch, alen = ma[i]
        bbase, bmatch, blen = mb[j]
        lo, hi = max(abase, bbase), min(abase + alen, bbase + blen)
        if lo < hi:
            astart, bstart = amatch + lo - abase, bmatch + lo - bbase
            regions.append((lo, hi, astart, astart + hi - lo, bstart, bstart + hi - lo))
        if abase + alen < bbase + blen:
            i += 1
        else:
            j += 1
    regions.append((len(base), len(base), len(a), len(a), len(b), len(b)))
    return regions


def merge3(base: str, local: str, upstream: str) -> MergeResult:
    """Merge ``upstream``'s changes since ``base`` into ``local``.

    :returns: the merged text; in a conflicting region the local lines are kept and the
        region is listed in ``conflicts`` (``base``, ``local``, ``upstream`` texts).
    """
    b, a, u = _lines(base), _lines(local), _lines(upstream)
    out: list[str] = []
    conflicts: list[dict[str, str]] = []
    zi = ai = ui = 0
    for zs, ze, as_, ae, us, ue in _sync_regions(b, a, u):
        zc, ac, uc = b[zi:zs], a[ai:as_], u[ui:us]
        if ac == zc:
            out += uc
        elif uc == zc or uc == ac:
            out += ac
        else:
            out += ac
            conflicts.append({"base": "".join(zc), "local": "".join(ac), "upstream": "".join(uc)})
        out += b[zs:ze]
        zi, ai, ui = ze, ae, ue
    text = "".join(out)
    if not local.endswith("\n") and text.endswith("\n"):
        text = text[:-1]
    return MergeResult(text, conflicts)


def unified(old: str, new: str, old_label: str, new_label: str) -> str:
    """A unified diff of two texts (empty when equal)."""
    return "".join(difflib.unified_diff(_lines(old), _lines(new), old_label, new_label, n=1))
