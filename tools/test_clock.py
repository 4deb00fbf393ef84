"""`make test-clock`: the suites again, with every process's wall clock moved to awkward instants.

No test outcome may depend on the day it runs. For each instant, each suite runs in a fresh pytest
process whose clock — and the clock of every Python process it starts (services, command-line
tools) — reads that instant when the suite starts and ticks on from there (tools/clock/
sitecustomize.py, time-machine). The NATS server keeps the real time, as a broker on another
machine would. PostgreSQL is left out: its server clock cannot be moved with the processes, and a
database whose clock disagrees with its services' is not a situation the tests are about.

    python tools/test_clock.py                     # the default suites at every instant
    python tools/test_clock.py --at year-end intake-svc
    python tools/test_clock.py --at 2027-02-28T23:59:59+08:00 all
    python tools/test_clock.py --jobs 1             # one suite at a time (default: TEST_CLOCK_JOBS or 2)

Instants are named (see INSTANTS) or given as ISO 8601 with an offset. Exit status 0 only when every
suite passed at every instant; a table of what failed where is printed at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from run_tests import REPO, SUITES, failed_tests, run_suite

#: The awkward instants, in the district's time (Asia/Shanghai, UTC+8).
INSTANTS = {
    # The last second of a month; for the next eight hours UTC is still in the old month.
    "month-end": "2026-11-30T23:59:59+08:00",
    # The last second of a year: month, year and the yearly application numbers all turn over.
    "year-end": "2026-12-31T23:59:59+08:00",
    # Inside the 2026 National Day holiday (1–7 October; working days resume on 8 October).
    "national-day": "2026-10-05T10:00:00+08:00",
    # A working day in 2027, a year the holiday package may not cover yet.
    "2027": "2027-03-10T09:30:00+08:00",
}

#: Suites that compute months, deadlines, validity periods and calendars (CI runs these).
CLOCK_SUITES = ["shared", "identity-svc", "intake-svc", "hotline-svc", "evaluation-svc", "licence-svc"]

CLOCK_DIR = REPO / "tools" / "clock"


def instant_of(text: str) -> datetime:
    """A named instant or an ISO 8601 one (which must carry its UTC offset)."""
    value = datetime.fromisoformat(INSTANTS.get(text, text))
    if value.tzinfo is None:
        raise SystemExit(f"{text!r}: give the instant with its UTC offset, e.g. +08:00")
    return value


def clock_env(at: datetime) -> dict[str, str]:
    """The environment of a suite that starts now with its clock at `at`."""
    env = {k: v for k, v in os.environ.items() if k != "TEST_POSTGRES_URL"}
    env["YIWANG_CLOCK_OFFSET"] = f"{at.timestamp() - time.time():.6f}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(CLOCK_DIR), env.get("PYTHONPATH", "")) if p)
    return env


def main(argv: list[str]) -> int:
    """Run the suites at each instant; print what failed where."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--at", action="append", help="an instant name or ISO 8601 time (repeatable)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("TEST_CLOCK_JOBS", "2")),
        help="suites run side by side (each its own processes, NATS and SQLite files); default 2",
    )
    parser.add_argument(
        "suites", nargs="*", help=f"suites (default: {' '.join(CLOCK_SUITES)}; 'all' for every one)"
    )
    args = parser.parse_args(argv)
    names = args.at or list(INSTANTS)
    suites = SUITES if args.suites == ["all"] else (args.suites or CLOCK_SUITES)
    missing = [s for s in suites if not (REPO / s).is_dir()]
    if missing:
        print("no such suite: " + ", ".join(missing), file=sys.stderr)
        return 2
    rows: list[tuple[str, str, int, dict[str, int], float, list[str]]] = []
    printing = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="yiwang-clock-") as tmp:

        def one(name: str, suite: str) -> tuple[str, str, int, dict[str, int], float, list[str]]:
            at = instant_of(name)
            report = Path(tmp) / name.replace(":", "-")
            report.mkdir(exist_ok=True)
            log = report / (suite.replace("/", "_") + ".log")
            # The clock is set when the suite starts, so a suite that waited its turn still begins
            # at the instant.
            code, counts, secs = run_suite(suite, report, clock_env(at), output=log)
            with printing:
                print(f"\n=== {suite} at {name} ({at.isoformat()})", flush=True)
                print(log.read_text(errors="replace"), end="", flush=True)
            return name, suite, code, counts, secs, failed_tests(report, suite)

        pairs = [(name, suite) for name in names for suite in suites]
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            rows = list(pool.map(lambda pair: one(*pair), pairs))
    print("\nsummary (SQLite, real NATS, every Python process on the moved clock):")
    ok = True
    for name, suite, code, counts, secs, failed in rows:
        ok = ok and code == 0
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        bad = counts["failed"] + counts["errors"]
        print(
            f"  {name:<13} {suite:<16} {counts['passed']:>5} passed {bad:>3} failed  {secs:6.1f}s  {status}"
        )
        for test in failed:
            print(f"      {test}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
