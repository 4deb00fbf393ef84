"""The API document: committed snapshot is current; every operation is documented."""

from __future__ import annotations

import json
from pathlib import Path

from yiwang_shared.testing.openapi import assert_snapshot_current, render

SERVICE_DIR = Path(__file__).resolve().parents[1]


def test_openapi_snapshot_is_current() -> None:
    """After an intended API change: `python -m yiwang_shared.testing.openapi licence-svc`."""
    assert_snapshot_current(SERVICE_DIR)


def test_every_operation_has_a_readable_id_and_summary() -> None:
    doc = json.loads(render("licence"))
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert op["operationId"].islower() and "_" not in op["operationId"], (method, path)
            assert op.get("description") or op.get("summary"), (method, path)
