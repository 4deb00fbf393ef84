"""The API document: committed snapshot is current; every operation is documented the way
docs/api.md asks, so a generated client has a type for every answer and every error."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from yiwang_shared.testing.openapi import assert_snapshot_current, render

SERVICE_DIR = Path(__file__).resolve().parents[1]

METHODS = ("get", "put", "post", "patch", "delete")
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
REQUEST_NAME = re.compile(
    r"^[A-Z][A-Za-z]*(Create|Update|Register|Rotate|Revoke|Verify|Reject|Change|Login|Refresh|Logout|ActFor|Lookup|Upload)$"
)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(render("identity"))  # type: ignore[no-any-return]


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in doc["paths"].items() for m, op in item.items() if m in METHODS]


def _ref_name(schema: dict[str, Any]) -> str:
    # A named model, never an inline or free object (an optional body says what it defaults to).
    assert set(schema) - {"default"} == {"$ref"}, schema
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def test_openapi_snapshot_is_current() -> None:
    """Regenerate with `python -m yiwang_shared.testing.openapi identity-svc` after an intended API change."""
    assert_snapshot_current(SERVICE_DIR)


def test_every_operation_has_a_readable_id_and_summary(doc: dict[str, Any]) -> None:
    for method, path, op in _operations(doc):
        assert op["operationId"].islower() and "_" not in op["operationId"], (method, path)
        assert op.get("description") or op.get("summary"), (method, path)


def test_every_answer_is_a_named_model_and_every_collection_a_page(doc: dict[str, Any]) -> None:
    for method, path, op in _operations(doc):
        for status, response in op["responses"].items():
            if not status.startswith("2") or status == "204":
                continue
            (content,) = response["content"].values()
            name = _ref_name(content["schema"])
            assert name.endswith(("Read", "Page")), (method, path, name)
            if name.endswith("Page"):
                params = {p["name"] for p in op.get("parameters", [])}
                assert {"limit", "offset"} <= params, (method, path)
        body = op.get("requestBody")
        for media in (body or {}).get("content", {}).values():
            name = _ref_name(media["schema"])
            assert REQUEST_NAME.match(name), (method, path, name)


def test_schema_names_follow_the_convention(doc: dict[str, Any]) -> None:
    for name in doc["components"]["schemas"]:
        assert not re.search(r"(_|View|In|Out|Request|Response|Result|Node)$", name), name
        assert "_" not in name, name


def test_every_201_says_where_the_new_resource_is(doc: dict[str, Any]) -> None:
    created = [(m, p, op) for m, p, op in _operations(doc) if "201" in op["responses"]]
    assert len(created) == 7
    for method, path, op in created:
        assert "Location" in op["responses"]["201"].get("headers", {}), (method, path)


def test_jwks_is_a_jwk_set_document(doc: dict[str, Any]) -> None:
    content = doc["paths"]["/v1/auth/jwks"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["application/jwk-set+json"]
    assert _ref_name(content["application/jwk-set+json"]["schema"]) == "JwkSetRead"
    jwk = doc["components"]["schemas"]["JwkRead"]
    assert set(jwk["required"]) == {"kty", "use", "alg", "kid", "n", "e"}


def test_login_refusals_are_problems(doc: dict[str, Any]) -> None:
    responses = doc["paths"]["/v1/auth/login"]["post"]["responses"]
    for status in ("401", "403", "422", "429", "503"):
        assert responses[status]["content"] == PROBLEM, status
    assert "Retry-After" in responses["429"]["headers"]
    assert "423" not in responses  # nothing locks an account: a wait, not a lock, slows guessing


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/v1/persons", "409"),
        ("post", "/v1/staff", "409"),
        ("post", "/v1/org-units", "409"),
        ("patch", "/v1/org-units/{ref}", "409"),
        ("post", "/v1/enterprises", "409"),
        ("post", "/v1/enterprises/{enterprise_id}/verify", "409"),
        ("post", "/v1/enterprises/{enterprise_id}/reject", "409"),
        ("post", "/v1/enterprises/{enterprise_id}/grants", "422"),
        ("post", "/v1/grants/{grant_id}/confirm", "409"),
        ("get", "/v1/grants/check", "404"),
        ("get", "/v1/org-units/tree", "404"),
        ("post", "/v1/auth/act-for", "404"),
        ("get", "/v1/me", "404"),
        ("post", "/v1/auth/refresh", "401"),
        ("post", "/v1/persons/walk-ins", "409"),
        ("post", "/v1/persons/walk-ins", "429"),
        ("post", "/v1/persons/lookup", "404"),
        ("post", "/v1/persons/lookup", "429"),
        ("get", "/v1/persons/{person_id}/contact", "404"),
        ("get", "/v1/persons/{person_id}/contact", "429"),
    ],
)
def test_problems_a_route_raises_are_declared(
    doc: dict[str, Any], method: str, path: str, status: str
) -> None:
    assert doc["paths"][path][method]["responses"][status]["content"] == PROBLEM


@pytest.mark.parametrize(
    ("path", "param", "values"),
    [
        ("/v1/grants", "status", ["pending", "active", "revoked", "expired"]),
        (
            "/v1/org-units",
            "kind",
            ["district", "street", "community", "department", "service_centre", "station", "window"],
        ),
        ("/v1/staff", "role", None),
    ],
)
def test_closed_sets_are_enums(doc: dict[str, Any], path: str, param: str, values: list[str] | None) -> None:
    (parameter,) = [p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == param]
    (enum,) = [s["enum"] for s in parameter["schema"]["anyOf"] if "enum" in s]
    assert values is None or enum == values
    schemas = doc["components"]["schemas"]
    assert schemas["LoaUpdate"]["properties"]["loa"]["enum"] == [2, 3, 4, 5]
    assert schemas["OrgUnitRead"]["properties"]["level"]["enum"] == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/v1/persons/lookup"),
        ("post", "/v1/persons/walk-ins"),
        ("get", "/v1/persons/{person_id}/contact"),
    ],
)
def test_lookup_throttling_documents_retry_after(doc: dict[str, Any], method: str, path: str) -> None:
    assert "Retry-After" in doc["paths"][path][method]["responses"]["429"]["headers"]


def test_the_lookup_record_is_a_page_with_a_date_range(doc: dict[str, Any]) -> None:
    op = doc["paths"]["/v1/persons/lookups"]["get"]
    params = {p["name"] for p in op["parameters"]}
    assert {"from", "to", "staff_id", "person_id", "limit", "offset"} <= params
    assert op["security"] == [{"bearer": []}]
    record = doc["components"]["schemas"]["PersonLookupRecordRead"]["properties"]
    assert record["purpose"]["enum"] == ["search", "contact", "walk_in"]
