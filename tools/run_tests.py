"""`make test`: every suite in its own pytest process, then one summary line.

Suites: shared, each service, the gateway, the repository checks (tests/compose), the
deployment checks (tests/deploy), the API contract's static checks (tests/contract), the web
front end's checks (tests/web: its API types, Vitest, build, JS budget, served at /), the
end-to-end tests (tests/e2e) and the scale-out tests (tests/scaleout: two processes of each
service; PostgreSQL only, skipped without it). Database tests run on SQLite, and also on
PostgreSQL when TEST_POSTGRES_URL is set (`.ci/run` sets it). Each suite starts its own nats-server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SUITES = [
    "shared",
    "identity-svc",
    "catalog-svc",
    "intake-svc",
    "hotline-svc",
    "evaluation-svc",
    "gateway",
    "tests/compose",
    "tests/deploy",
    "tests/contract",
    "tests/web",
    "tests/e2e",
    "tests/scaleout",
]


def run_suite(
    suite: str, report_dir: Path, env: dict[str, str] | None = None, output: Path | None = None
) -> tuple[int, dict[str, int], float]:
    """Run one suite (with `env` as its environment, if given; its output to `output`, if given);
    returns (exit code, counts, seconds)."""
    path = REPO / suite
    if suite.startswith("tests/"):
        cwd, args = REPO, [suite]
    else:
        cwd, args = path, []
    xml = report_dir / (suite.replace("/", "_") + ".xml")
    start = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}", *args]
    if output is None:
        code = subprocess.call(command, cwd=cwd, env=env)
    else:
        with output.open("w") as out:
            code = subprocess.call(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
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


def failed_tests(report_dir: Path, suite: str) -> list[str]:
    """The ids of the tests that failed or errored in a suite's last run."""
    xml = report_dir / (suite.replace("/", "_") + ".xml")
    if not xml.exists():
        return []
    names = []
    for case in ET.parse(xml).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            names.append(f"{case.get('classname', '')}::{case.get('name', '')}")
    return names


def main(argv: list[str]) -> int:
    """Run the named suites (default: all)."""
    suites = argv or SUITES
    missing = [s for s in suites if not (REPO / s).is_dir()]
    if missing:
        print("no such suite: " + ", ".join(missing), file=sys.stderr)
        return 2
    pg = os.environ.get("TEST_POSTGRES_URL")
    hint = " only (set TEST_POSTGRES_URL to add PostgreSQL)"
    where = f" and PostgreSQL ({pg.split('@')[-1]})" if pg else hint
    print("databases: SQLite" + where)
    results = []
    with tempfile.TemporaryDirectory(prefix="yiwang-tests-") as tmp:
        for suite in suites:
            print(f"\n=== {suite}", flush=True)
            code, counts, secs = run_suite(suite, Path(tmp))
            # pytest exit 5 = no tests collected: a suite that tests nothing is a failure here.
            results.append((suite, code, counts, secs))
    print("\nsummary:")
    total = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}
    ok = True
    for suite, code, counts, secs in results:
        for k in total:
            total[k] += counts[k]
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        ok = ok and code == 0
        print(
            f"  {suite:<16} {counts['passed']:>5} passed {counts['failed'] + counts['errors']:>3} failed "
            f"{counts['skipped']:>3} skipped  {secs:6.1f}s  {status}"
        )
    failed = total["failed"] + total["errors"]
    print(f"\ntests: {total['passed']} passed, {failed} failed, {total['skipped']} skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
