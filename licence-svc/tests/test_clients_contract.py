"""Contract: the publishers' committed JSON Schemas still carry every field licence-svc's payload
models need (read from the schema files; no intake, catalog or identity code is imported). When this
fails, change `licence/clients/payloads.py`, not the publisher."""

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from licence.clients import payloads

REPO = Path(__file__).resolve().parents[2]

CASES: list[tuple[str, str, type[BaseModel]]] = [
    ("intake-svc", payloads.COMPLETED, payloads.Completed),
    ("catalog-svc", payloads.ITEM_PUBLISHED, payloads.ItemPublished),
    ("identity-svc", payloads.USER_REGISTERED, payloads.UserRegistered),
]

#: Read when present, not (yet) published by intake (see the README: what licence needs from intake).
OPTIONAL_UPSTREAM = {"enterprise_id", "result_number", "valid_until"}


def _schema(service: str, subject: str) -> dict[str, object]:
    return dict(
        json.loads((REPO / service / "events" / f"{subject}.schema.json").read_text(encoding="utf-8"))
    )


@pytest.mark.parametrize(("service", "subject", "model"), CASES, ids=[c[1] for c in CASES])
def test_publisher_schema_has_what_licence_reads(service: str, subject: str, model: type[BaseModel]) -> None:
    data = _schema(service, subject)["properties"]["data"]  # type: ignore[index]
    published, required = set(data["properties"]), set(data.get("required", []))
    needed = {name for name, field in model.model_fields.items() if field.is_required()}
    assert needed <= required, f"{subject} no longer requires {sorted(needed - required)}"
    read = set(model.model_fields) - OPTIONAL_UPSTREAM
    assert read <= published, f"{subject} no longer publishes {sorted(read - published)}"


def test_intakes_revoked_decision_has_what_licence_reads() -> None:
    path = REPO / "intake-svc" / "events" / f"{payloads.REVOKED}.schema.json"
    data = json.loads(path.read_text(encoding="utf-8"))["properties"]["data"]
    needed = {name for name, field in payloads.Revoked.model_fields.items() if field.is_required()}
    assert needed <= set(data.get("required", []))
    assert set(payloads.Revoked.model_fields) <= set(data["properties"])


def test_catalog_publishes_the_results_licence_type() -> None:
    defs = _schema("catalog-svc", payloads.ITEM_PUBLISHED)["$defs"]
    assert {"name", "licence_type_code"} <= set(defs["Result"]["properties"])  # type: ignore[index]
    assert {"code", "name"} <= set(defs["UnitInfo"]["properties"])  # type: ignore[index]
