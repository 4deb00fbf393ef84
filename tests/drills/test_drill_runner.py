"""The drill runner (`python -m drills.run`): every drill module loads, and a real run of a fast drill
on SQLite passes and prints its line. The drills themselves run in CI through `make drills`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from drills.result import DrillResult  # noqa: E402
from drills.run import ORDER, discover, markdown  # noqa: E402
from drills.support import subject_matches  # noqa: E402


def test_every_drill_module_has_the_interface() -> None:
    found = discover()
    assert set(found) <= set(ORDER)
    for number in (1, 2, 3, 4, 5):  # D1's drills; 6–12 come from the security drills
        assert number in found, f"drill {number} is missing"
    for number, module in found.items():
        assert number == module.NUMBER and isinstance(module.NAME, str) and module.NAME
        assert callable(module.run)


def test_subject_matching_follows_nats_wildcards() -> None:
    assert subject_matches("intake.application.>", "intake.application.completed.v1")
    assert not subject_matches("intake.application.>", "intake.application")
    assert subject_matches("identity.*.changed.v1", "identity.org_unit.changed.v1")
    assert not subject_matches("identity.org_unit.changed.v1", "identity.org_unit.changed.v2")
    assert not subject_matches("hotline.ticket.>", "intake.application.submitted.v1")


def test_markdown_table_has_one_row_per_result() -> None:
    rows = [
        DrillResult(1, "broker crash", "sqlite", ok=True, figures={"lost": 0}, seconds=1.0),
        DrillResult(5, "service down", "postgres", ok=False, notes="a | b", seconds=2.0),
    ]
    table = markdown(rows).splitlines()
    assert len(table) == 4
    assert "| 1 | broker crash | sqlite | PASS | lost=0 |" in table[2]
    assert "FAIL" in table[3] and "a \\| b" in table[3]


def test_unknown_drill_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "drills.run", "--only", "13"], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 2 and "no such drill" in done.stderr


def test_service_down_drill_runs_on_sqlite() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "drills.run", "--backend", "sqlite", "--only", "5"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith(" 5. service down"))
    assert " sqlite " in line and " PASS " in line and "healthy_to_first_2xx_s=" in line
    assert "1 drill results, 1 passed, 0 failed" in done.stdout
