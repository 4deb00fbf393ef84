"""The licence-type catalogue: public to read, administrators' to change, clear 4xx for bad input."""

from __future__ import annotations

import httpx
from licence_support import MZJ, citizen, staff

from yiwang_shared.testing.tokens import TestTokens


async def test_catalogue_read_and_kept_by_administrators(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    listed = (await client.get("/v1/licence-types", params={"limit": 200})).json()
    codes = {t["code"] for t in listed["items"]}
    assert {"JMSFZ", "HKB", "JHZ", "YYZZ", "BJTYLZCK", "SPJYXKZ"} <= codes
    admin = staff(tokens, "110105-ZWGLJ", "admin")
    body = {
        "code": "DLYSJYXKZ",
        "name": "道路运输经营许可证",
        "holder_kind": "enterprise",
        "validity_years": 4,
    }
    for headers in (citizen(tokens, "c-1"), staff(tokens, MZJ, "approver")):
        refused = await client.post("/v1/licence-types", json=body, headers=headers)
        assert refused.status_code == 403 and refused.json()["code"] == "licence.not_admin"
    made = await client.post("/v1/licence-types", json=body, headers=admin)
    assert made.status_code == 201 and made.headers["location"].endswith("/v1/licence-types/DLYSJYXKZ")
    twice = await client.post("/v1/licence-types", json={**body, "code": "OTHER"}, headers=admin)
    assert twice.status_code == 409 and twice.json()["code"] == "licence.type_exists"
    changed = await client.patch("/v1/licence-types/DLYSJYXKZ", json={"active": False}, headers=admin)
    assert changed.status_code == 200 and changed.json()["active"] is False
    clash = await client.patch("/v1/licence-types/DLYSJYXKZ", json={"name": "居民身份证"}, headers=admin)
    assert clash.status_code == 409
    missing = await client.patch("/v1/licence-types/NOPE", json={"active": False}, headers=admin)
    assert missing.status_code == 404 and missing.json()["code"] == "licence.type_not_found"


async def test_bad_input_says_what_to_fix(client: httpx.AsyncClient, tokens: TestTokens) -> None:
    admin = staff(tokens, "110105-ZWGLJ", "admin")
    resp = await client.post(
        "/v1/licence-types",
        json={"code": "lower-case", "name": "", "holder_kind": "robot", "validity_years": 0},
        headers=admin,
    )
    assert resp.status_code == 422
    assert {e["field"] for e in resp.json()["errors"]} == {
        "body.code",
        "body.name",
        "body.holder_kind",
        "body.validity_years",
    }


async def test_too_long_values_are_a_422_not_a_database_error(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    admin = staff(tokens, "110105-ZWGLJ", "admin")
    body = {"code": "LONGTYPE", "name": "长" * 101, "holder_kind": "person", "issuing_unit_code": "X" * 51}
    resp = await client.post("/v1/licence-types", json=body, headers=admin)
    assert resp.status_code == 422
    assert {e["field"] for e in resp.json()["errors"]} == {"body.name", "body.issuing_unit_code"}
