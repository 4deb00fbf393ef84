"""Contract: the publishers' committed JSON Schemas still carry every field evaluation's mapping
modules need (read from the schema files; no intake or hotline code is imported). When this
fails, change `evaluation/clients/<publisher>.py`, not the publisher."""

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from evaluation.clients import hotline, identity, intake

REPO = Path(__file__).resolve().parents[2]

CASES: list[tuple[str, str, type[BaseModel]]] = [
    ("intake-svc", intake.SUBMITTED, intake.Submitted),
    ("intake-svc", intake.COMPLETED, intake.Completed),
    ("intake-svc", intake.DELIVERED, intake.Delivered),
    ("hotline-svc", hotline.DISPATCHED, hotline.Dispatched),
    ("hotline-svc", hotline.RESPONDED, hotline.Responded),
    ("hotline-svc", hotline.CALLED_BACK, hotline.CalledBack),
    ("hotline-svc", hotline.CLOSED, hotline.Closed),
    ("identity-svc", identity.ORG_UNIT_CHANGED, identity.OrgUnitChanged),
]

#: Read when present, not (yet) published: ratings then go through one-time codes.
OPTIONAL_UPSTREAM = {"applicant_subject"}


@pytest.mark.parametrize(("service", "subject", "model"), CASES, ids=[c[1] for c in CASES])
def test_publisher_schema_has_what_evaluation_reads(
    service: str, subject: str, model: type[BaseModel]
) -> None:
    schema = json.loads((REPO / service / "events" / f"{subject}.schema.json").read_text(encoding="utf-8"))
    data = schema["properties"]["data"]
    published, required = set(data["properties"]), set(data.get("required", []))
    needed = {name for name, field in model.model_fields.items() if field.is_required()}
    assert needed <= required, f"{subject} no longer requires {sorted(needed - required)}"
    read = set(model.model_fields) - OPTIONAL_UPSTREAM
    assert read <= published, f"{subject} no longer publishes {sorted(read - published)}"
