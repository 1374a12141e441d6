"""MediaWiki's own parser tests (../shared/parsertests) against our renderer, with a ratchet.

Every case of cases.jsonl is rendered (within a time bound, errors counted, never raised).
Each case listed in tests/parsertests_passing.txt is one test that must pass; a summary test
writes per-group counts to bench/parsertests-report.md and, with PARSERTESTS_STRICT=1, fails
when a case passes that the ratchet does not list yet (regenerate it with
``.venv/bin/python -m tests.parsertests_update``).
"""
from __future__ import annotations

import os

import pytest

from tests.conftest import require
from tests.parsertests_update import (REPORT, SHARED, TIME_BOUND, read_ratchet,
                                      report_markdown, run_all)

_RESULTS: dict = {}


def _results() -> dict:
    require(SHARED.is_dir(), "../shared/parsertests", "check out the project beside shared/")
    if not _RESULTS:
        _RESULTS.update({r.name: r for r in run_all()})
    return _RESULTS


RATCHET = read_ratchet()


def test_ratchet_is_sorted_and_unique() -> None:
    assert RATCHET == sorted(set(RATCHET))


@pytest.mark.parametrize("name", RATCHET)
def test_listed_case_passes(name: str) -> None:
    results = _results()
    assert name in results, f"ratchet names a case that is not in cases.jsonl: {name}"
    r = results[name]
    assert r.normalized, f"{name}: regression ({r.error or 'output differs'})\n{r.actual}"


def test_every_case_renders_in_bounded_time_and_report() -> None:
    results = _results()
    assert len(results) > 1000
    slow = [r.name for r in results.values() if r.seconds > TIME_BOUND]
    assert not slow, f"cases over {TIME_BOUND}s: {slow}"
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report_markdown(list(results.values())), encoding="utf-8")
    crashed = [f"{r.name}: {r.error}" for r in results.values()
               if r.error.startswith(("timeout",))]
    assert not crashed, crashed
    if os.environ.get("PARSERTESTS_STRICT") == "1":
        listed = set(RATCHET)
        new = sorted(n for n, r in results.items() if r.normalized and n not in listed)
        assert not new, f"passing cases missing from the ratchet: {new}"
