"""Run MediaWiki's parser test cases (../shared/parsertests) through our renderer.

Shared by tests/test_parsertests.py and the command line:

    .venv/bin/python -m tests.parsertests_update            # add newly passing cases to the ratchet
    .venv/bin/python -m tests.parsertests_update --report   # only print the counts per group
    .venv/bin/python -m tests.parsertests_update --rewrite  # ratchet = exactly what passes now
    .venv/bin/python -m tests.parsertests_update --failures FILE [--group G]  # diffs to FILE

A case passes (normalized) when ``normalize(expected) == normalize(actual)`` with
../shared/parsertests/normalize.py; modes that print wikitext compare trimmed text.
Every case runs under a time bound; an exception or a timeout is counted, never raised.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "parsertests"
RATCHET = Path(__file__).resolve().parent / "parsertests_passing.txt"
REPORT = ROOT / "bench" / "parsertests-report.md"
TEXT_MODES = {"pst", "section", "replace", "preload", "msg"}
TIME_BOUND = 10  # seconds per case


@dataclass
class CaseResult:
    name: str
    group: str
    kind: str
    mode: str
    normalized: bool
    exact: bool
    error: str = ""
    seconds: float = 0.0
    actual: str = ""


def load_normalizer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pt_normalize", SHARED / "normalize.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_cases() -> list[dict]:
    with open(SHARED / "cases.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class _Timeout(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - only on timeouts
    raise _Timeout()


def case_options(case: dict) -> dict:
    opts = dict(case["options"])
    opts["config"] = case.get("config") or {}
    opts["requires"] = case.get("requires") or []
    return opts


def run_case(case: dict, norm: ModuleType, articles: dict) -> CaseResult:
    from wikiengine.parser.conformance import render_case
    start = time.perf_counter()
    actual = ""
    error = ""
    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(TIME_BOUND)
    try:
        actual = render_case(case["wikitext"], case["title"], articles, case_options(case))
    except _Timeout:
        error = f"timeout after {TIME_BOUND}s"
    except Exception as e:  # counted, never raised: a failing case must not stop the run
        error = f"{type(e).__name__}: {e}"
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
    seconds = time.perf_counter() - start
    expected = case["html"]
    if error:
        return CaseResult(case["name"], case["group"], case["kind"], case["mode"], False, False,
                          error, seconds, actual)
    exact = expected.rstrip() == actual.rstrip()
    if case["mode"] in TEXT_MODES or any(k in case["options"] for k in ("cat", "ill")):
        ok = expected.strip() == actual.strip()
    else:
        try:
            ok = norm.normalize(expected) == norm.normalize(actual)
        except Exception as e:  # malformed output counts as a failure
            ok = False
            error = f"normalize: {e}"
    return CaseResult(case["name"], case["group"], case["kind"], case["mode"], ok, exact,
                      error, seconds, actual)


def run_all(cases: list[dict] | None = None) -> list[CaseResult]:
    norm = load_normalizer()
    with open(SHARED / "articles.json", encoding="utf-8") as f:
        articles = json.load(f)
    return [run_case(c, norm, articles) for c in (cases or load_cases())]


def _escape(name: str) -> str:
    """One case name per line: backslashes and newlines of a name are escaped."""
    return name.replace("\\", "\\\\").replace("\n", "\\n")


def _unescape(line: str) -> str:
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line):
            out.append("\n" if line[i + 1] == "n" else line[i + 1])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def read_ratchet() -> list[str]:
    """Case names listed in the ratchet file, in file order."""
    if not RATCHET.exists():
        return []
    text = RATCHET.read_text(encoding="utf-8")
    return [_unescape(line) for line in text.split("\n") if line.strip()]


def write_ratchet(names: list[str]) -> None:
    RATCHET.write_text("".join(_escape(n) + "\n" for n in sorted(set(names))), encoding="utf-8")


def summary(results: list[CaseResult]) -> dict[str, dict[str, int]]:
    groups: dict[str, dict[str, int]] = {}
    for r in results:
        for g in (r.group, "ALL"):
            d = groups.setdefault(g, {"plain": 0, "plain_ok": 0, "plain_exact": 0, "special": 0,
                                      "special_ok": 0, "special_exact": 0, "errors": 0})
            d[r.kind] += 1
            d[r.kind + "_ok"] += int(r.normalized)
            d[r.kind + "_exact"] += int(r.exact)
            d["errors"] += int(bool(r.error) and not r.error.startswith("normalize"))
    return groups


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def report_markdown(results: list[CaseResult]) -> str:
    groups = summary(results)
    lines = ["# Parser tests (public MediaWiki 1.39 cases)", "",
             "Produced by `tests/test_parsertests.py` (or `.venv/bin/python -m "
             "tests.parsertests_update --report`).", "",
             "| group | plain | plain ok | exact | special | special ok | exact | errors |",
             "|---|---|---|---|---|---|---|---|"]
    for g in sorted(groups, key=lambda k: (k == "ALL", k)):
        d = groups[g]
        lines.append(f"| {g} | {d['plain']} | {d['plain_ok']} ({_pct(d['plain_ok'], d['plain'])})"
                     f" | {d['plain_exact']} | {d['special']} | {d['special_ok']} "
                     f"({_pct(d['special_ok'], d['special'])}) | {d['special_exact']} "
                     f"| {d['errors']} |")
    total = sum(r.seconds for r in results)
    slowest = max(results, key=lambda r: r.seconds) if results else None
    lines += ["", f"Total render time {total:.1f} s for {len(results)} cases"
              + (f"; slowest case {slowest.seconds:.2f} s ({slowest.name})." if slowest else ".")]
    return "\n".join(lines) + "\n"


def write_failures(results: list[CaseResult], path: str, group: str | None) -> None:
    cases = {c["name"]: c for c in load_cases()}
    with open(path, "w", encoding="utf-8") as f:
        for r in results:
            if r.normalized or (group and r.group != group):
                continue
            c = cases[r.name]
            f.write(f"===== {r.name} [{r.group}/{r.kind}/{r.mode}] {c['options']} {c['config']}\n")
            f.write(c["wikitext"] + "\n----- expected\n" + c["html"] + "\n----- actual\n")
            f.write((r.error + "\n") if r.error else "")
            f.write(r.actual + "\n\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--report", action="store_true", help="print counts, do not touch the ratchet")
    ap.add_argument("--rewrite", action="store_true", help="ratchet = exactly the passing cases")
    ap.add_argument("--failures", help="write failing cases with their diffs to this file")
    ap.add_argument("--group", help="with --failures: only this group")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"{SHARED} is missing", file=sys.stderr)
        return 2
    results = run_all()
    print(report_markdown(results))
    if args.failures:
        write_failures(results, args.failures, args.group)
    if args.report:
        return 0
    passing = [r.name for r in results if r.normalized]
    old = read_ratchet()
    names = passing if args.rewrite else sorted(set(old) | set(passing))
    write_ratchet(names)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report_markdown(results), encoding="utf-8")
    print(f"ratchet: {len(old)} -> {len(set(names))} cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
