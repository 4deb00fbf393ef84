"""`make test`: every suite in its own pytest process, then one summary line.

Suites: shared, the provider simulators (simulators/), each service, the gateway, the repository
checks (tests/compose), the deployment checks (tests/deploy), the API contract's static checks
(tests/contract), the drills' own checks (tests/drills: the runner, the log scan, the problem
checks), the web front end's checks (tests/web: its API types, Vitest, build, JS budget, served at /), the
portal's journeys in Chromium (tests/browser: Playwright, the whole platform), the end-to-end
tests (tests/e2e) and the scale-out tests (tests/scaleout: two processes of each service;
PostgreSQL only, skipped without it). Database tests run on SQLite, and also on PostgreSQL when
TEST_POSTGRES_URL is set (`.ci/run` sets it). Each suite starts its own nats-server.

Two suites run side by side (`--jobs`, TEST_JOBS; each its own processes, NATS, SQLite files and
PostgreSQL databases, its output printed whole when it ends); the suites that time things run alone
at the end. The browser journeys and the end-to-end tests mostly wait, so each runs as two halves
(the journeys by file, the end-to-end tests by backend when PostgreSQL is there), each half with a
platform of its own (`parts`). `--jobs 1` runs every suite whole, one after
another, with its output as it comes. The summary gives each suite's CPU seconds (its services,
NATS and Chromium included) beside its minutes: where the time goes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

SUITES = [
    "shared",
    "simulators",
    "identity-svc",
    "catalog-svc",
    "intake-svc",
    "hotline-svc",
    "evaluation-svc",
    "licence-svc",
    "gateway",
    "tests/compose",
    "tests/deploy",
    "tests/contract",
    "tests/drills",
    "tests/web",
    "tests/browser",
    "tests/e2e",
    "tests/scaleout",
]


#: The browser journeys' files the first of its two halves runs (the second runs the others, new
#: files included): about half the journeys' time each.
BROWSER_FIRST_HALF = (
    "test_catalogue.py",
    "test_hotline_desk.py",
    "test_supervision.py",
    "test_apply.py",
    "test_enterprise.py",
    "test_hotline.py",
    "test_staff_workspace.py",
)


def parts(suite: str) -> dict[str, list[str]]:
    """The pytest processes a suite is split into when suites run side by side: part name →
    arguments; together they select each of the suite's tests once. The split ones spend most of
    their time waiting (for a page, an event, a process: a third to a half of a core busy), so
    their halves overlap their waits; each half starts a platform of its own."""
    if suite == "tests/browser":
        # Each half its own platform and Chromium. Under that load an Ant Design checkbox or a
        # modal's button once lost a click: the journeys now wait for the state a click should
        # give (tests/browser/portal.py), not for the click alone.
        first = [f"{suite}/{name}" for name in BROWSER_FIRST_HALF]
        return {"1": first, "2": [suite, *(f"--ignore={path}" for path in first)]}
    if suite == "tests/e2e" and os.environ.get("TEST_POSTGRES_URL"):
        # By backend: each half one platform (tests not run per backend go with SQLite's).
        return {"sqlite": [suite, "-k", "not postgres"], "postgres": [suite, "-k", "postgres"]}
    return {}


def split(suite: str) -> tuple[str, str | None]:
    """("tests/e2e", "sqlite") for "tests/e2e[sqlite]"; (suite, None) for a whole suite."""
    if suite.endswith("]") and "[" in suite:
        name, part = suite[:-1].split("[", 1)
        return name, part
    return suite, None


def run_suite(
    suite: str, report_dir: Path, env: dict[str, str] | None = None, output: Path | None = None
) -> tuple[int, dict[str, int], float]:
    """Run one suite, or one part of it ("tests/e2e[sqlite]", see `parts`), with `env` as its
    environment, if given, and its output to `output`, if given; returns (exit code, counts,
    seconds)."""
    name, part = split(suite)
    path = REPO / name
    if name.startswith("tests/"):
        cwd, args = REPO, [name]
    else:
        cwd, args = path, []
    if part is not None:
        args = parts(name)[part]
    xml = report_dir / (suite.replace("/", "_").replace("[", "_").replace("]", "") + ".xml")
    start = time.monotonic()
    # Hypothesis and Schemathesis install pytest plugins no suite uses (drill 6 calls Schemathesis
    # directly): not loading them saves seconds at every suite start.
    plugins = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:schemathesis"]
    command = [sys.executable, "-m", "pytest", "-q", *plugins, f"--junitxml={xml}", *args]
    if output is None:
        code, cpu = _call(command, cwd=cwd, env=env)
    else:
        with output.open("w") as out:
            code, cpu = _call(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0, "cpu": int(cpu)}
    if xml.exists():
        root = ET.parse(xml).getroot()
        for ts in root.iter("testsuite"):
            tests = int(ts.get("tests", 0))
            failures = int(ts.get("failures", 0))
            errors = int(ts.get("errors", 0))
            skipped = int(ts.get("skipped", 0))
            counts["failed"] += failures
            counts["errors"] += errors
            counts["skipped"] += skipped
            counts["passed"] += tests - failures - errors - skipped
    return code, counts, time.monotonic() - start


def _call(command: list[str], **kwargs: Any) -> tuple[int, float]:
    """Run `command` to its end: (exit code, CPU seconds it and the processes it waited for used:
    the services, NATS and Chromium a suite starts included)."""
    proc = subprocess.Popen(command, **kwargs)
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_utime + usage.ru_stime


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat: every process
    counted, PostgreSQL's server and anything reparented included ((0, 0) where there is none)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields) - idle) / tick, sum(fields) / tick


def failed_tests(report_dir: Path, suite: str) -> list[str]:
    """The ids of the tests that failed or errored in a suite's last run."""
    xml = report_dir / (suite.replace("/", "_").replace("[", "_").replace("]", "") + ".xml")
    if not xml.exists():
        return []
    names = []
    for case in ET.parse(xml).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            names.append(f"{case.get('classname', '')}::{case.get('name', '')}")
    return names


#: Suites that measure time or rates: they run alone, after the others, so that a neighbour's load
#: cannot make a timing assertion fail.
ALONE = {"gateway", "tests/scaleout"}

#: Minutes each suite (or part) took on 2 cores with PostgreSQL, the others running beside it
#: (stop 28): the longest start first, so the two lanes end close together.
MINUTES = {
    "tests/browser[1]": 6.0,
    "tests/browser[2]": 6.0,
    "tests/e2e[sqlite]": 5.5,
    "tests/e2e[postgres]": 6.5,
    "tests/e2e": 11.0,
    "intake-svc": 7.5,
    "hotline-svc": 5.5,
    "evaluation-svc": 4.0,
    "licence-svc": 1.0,
    "identity-svc": 4.5,
    "catalog-svc": 3.5,
    "tests/browser": 12.0,
    "tests/drills": 1.0,
    "shared": 1.5,
    "simulators": 0.3,
    "tests/web": 1.0,
}


def run_all(suites: list[str], jobs: int) -> list[tuple[str, int, dict[str, int], float]]:
    """Run the suites, `jobs` side by side (each prints its output whole when it ends; a suite with
    `parts` as its parts), then the ALONE ones one at a time; returns (suite or part, exit code,
    counts, seconds) in the given order."""
    results: dict[str, tuple[str, int, dict[str, int], float]] = {}
    printing = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="yiwang-tests-") as tmp:
        # What one suite's processes generate that another's can reuse in this run (the API
        # clients generated from the merged document, see tests/e2e/test_api_contract.py).
        os.environ["YIWANG_TEST_SHARED_DIR"] = str(Path(tmp) / "shared")

        def one(suite: str, quiet: bool) -> None:
            log = Path(tmp) / (suite.replace("/", "_") + ".log") if quiet else None
            if not quiet:
                print(f"\n=== {suite}", flush=True)
            code, counts, secs = run_suite(suite, Path(tmp), output=log)
            if log is not None:
                with printing:
                    print(f"\n=== {suite}", flush=True)
                    print(log.read_text(errors="replace"), end="", flush=True)
            results[suite] = (suite, code, counts, secs)

        if jobs > 1:
            suites = [unit for s in suites for unit in ([f"{s}[{p}]" for p in parts(s)] or [s])]
        shared_ones = [s for s in suites if s not in ALONE or jobs == 1]
        if jobs > 1:
            shared_ones.sort(key=lambda s: -MINUTES.get(s, 0.5))
        alone = [s for s in suites if s in ALONE and jobs > 1]
        if jobs > 1:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                list(pool.map(lambda s: one(s, True), shared_ones))
        else:
            for suite in shared_ones:
                one(suite, False)
        for suite in alone:
            one(suite, False)
    return [results[s] for s in suites]


def main(argv: list[str]) -> int:
    """Run the named suites (default: all)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("TEST_JOBS", "2")),
        help="suites run side by side, except the timing-sensitive ones (default: TEST_JOBS or 2)",
    )
    parser.add_argument("suites", nargs="*", help="suites (default: all)")
    args = parser.parse_args(argv)
    suites = args.suites or SUITES
    missing = [s for s in suites if not (REPO / s).is_dir()]
    if missing:
        print("no such suite: " + ", ".join(missing), file=sys.stderr)
        return 2
    pg = os.environ.get("TEST_POSTGRES_URL")
    hint = " only (set TEST_POSTGRES_URL to add PostgreSQL)"
    where = f" and PostgreSQL ({pg.split('@')[-1]})" if pg else hint
    jobs = max(1, args.jobs)
    side = f"; {jobs} suites side by side, then {', '.join(sorted(ALONE))} alone" if jobs > 1 else ""
    print("databases: SQLite" + where + side)
    started = time.monotonic()
    busy_before, total_before = machine_cpu()
    # pytest exit 5 = no tests collected: a suite that tests nothing is a failure here.
    results = run_all(suites, jobs)
    print("\nsummary:")
    total = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0, "cpu": 0}
    ok = True
    for suite, code, counts, secs in results:
        for k in total:
            total[k] += counts[k]
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        ok = ok and code == 0
        print(
            f"  {suite:<20} {counts['passed']:>5} passed {counts['failed'] + counts['errors']:>3} failed "
            f"{counts['skipped']:>3} skipped  {secs:6.1f}s  {counts['cpu']:>5}s CPU  {status}"
        )
    failed = total["failed"] + total["errors"]
    wall = time.monotonic() - started
    summary = f"{total['passed']} passed, {failed} failed, {total['skipped']} skipped"
    busy_after, total_after = machine_cpu()
    machine = ""
    if total_after > total_before:
        # The machine's view: how much of every core the run kept busy (its own processes, the
        # database server's and anything else running), i.e. how far it is from CPU-bound.
        share = 100 * (busy_after - busy_before) / (total_after - total_before)
        machine = f"; the machine {share:.0f} % busy, {(busy_after - busy_before) / 60:.1f} CPU min"
    print(f"\ntests: {summary} in {wall / 60:.1f} min ({total['cpu'] / 60:.1f} CPU min{machine})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
