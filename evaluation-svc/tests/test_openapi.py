"""The API document: committed snapshot is current; every operation is documented."""

from __future__ import annotations

import json

from evaluation import openapi


def test_openapi_snapshot_is_current() -> None:
    """Regenerate with `python -m evaluation.openapi` after an intended API change."""
    assert openapi.SNAPSHOT.read_text(encoding="utf-8") == openapi.render()


def test_every_operation_has_a_readable_id_and_summary() -> None:
    doc = json.loads(openapi.render())
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert op["operationId"].islower() and "_" not in op["operationId"], (method, path)
            assert op.get("description") or op.get("summary"), (method, path)
