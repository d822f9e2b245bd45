"""Run the hostile corpus through ``ccmetrics.io.load`` and count what went wrong.

``python -m tests.hostile.summary [-v]`` prints, per case, how the loader's
behaviour differs from the expected outcome, and the totals:

* crash: an exception other than LoadError, or the child killed (memory or
  time limit, abort);
* silent: a load where an error was expected, or a load with the wrong row
  count, rows not accounted for, a wrong value, an infinite number or a
  problem code missing;
* misleading: a LoadError with another code than expected, or a LoadError
  where a load was expected.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from tests.hostile.make_corpus import CASES, build
from tests.unit.test_hostile_files import _source, run_case


def verdict(case, report) -> tuple[str, str]:
    status = report.get("status")
    if status not in ("load", "error"):
        return "crash", f"{report.get('type') or report.get('reason')}: {report.get('message', '')}"
    if case.outcome == "error":
        if status == "load":
            return "silent", f"loaded {report['loaded']} rows, expected LoadError {case.code}"
        if report["code"] != case.code:
            return "misleading", f"LoadError {report['code']}, expected {case.code}"
    else:
        if status == "error":
            return "misleading", f"LoadError {report['code']}: {report['message'][:120]}"
        dropped = sum(report["dropped"].values())
        if report["loaded"] + dropped != case.rows:
            return "silent", f"{case.rows} rows != {report['loaded']} + {report['dropped']}"
        counted = report.get("accounted") is not None  # LoadResult.row_accounting exists
        if counted and (
            report["file_rows"] != case.rows or report["accounted"] != report["dropped"]
        ):
            return "silent", (
                f"row_accounting() says {report.get('file_rows')} rows, "
                f"{report.get('accounted')} dropped"
            )
        if report["loaded"] != case.loaded:
            return "silent", f"loaded {report['loaded']}, expected {case.loaded}"
        if report["infinite"]:
            return "silent", f"infinite values in {report['infinite']}"
        missing = set(case.warnings) - set(report["codes"])
        if missing:
            return "silent", f"problem codes {sorted(missing)} not reported"
    if report.get("check"):
        return "silent", str(report["check"])[:160]
    return "ok", ""


def main(argv) -> int:
    verbose = "-v" in argv
    with tempfile.TemporaryDirectory() as folder:
        paths = build(Path(folder))
        counts = Counter()
        for case in CASES:
            report = run_case(case, _source(case, Path(folder), paths))
            kind, why = verdict(case, report)
            counts[kind] += 1
            if kind != "ok" or verbose:
                print(f"{kind:10s} {case.group:12s} {case.name:38s} {why}")
    print(dict(counts), "of", len(CASES), "cases")
    return 0 if counts["ok"] == len(CASES) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
