"""Third-party verification by number: valid or not, nothing personal, rate-limited."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from licence_support import citizen, issued

from yiwang_shared.testing.tokens import TestTokens


async def test_answers_without_personal_data(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await issued(app, "citizen-1")
    licence = (await client.get("/v1/licences", headers=citizen(tokens, "citizen-1"))).json()["items"][0]
    found = await client.post(
        "/v1/verifications", json={"number": licence["number"], "type_code": "ZDSHBZJLQZ"}
    )
    assert found.status_code == 200
    assert set(found.json()) == {"valid", "status", "type_name", "valid_until", "checked_at"}
    assert found.json()["valid"] is True and "张伟" not in found.text
    wrong_type = await client.post(
        "/v1/verifications", json={"number": licence["number"], "type_code": "JMSFZ"}
    )
    assert wrong_type.json()["valid"] is False and wrong_type.json()["status"] is None
    unknown = await client.post("/v1/verifications", json={"number": "X1", "type_code": "NOPE"})
    assert unknown.json() | {"checked_at": None} == {
        "valid": False,
        "status": None,
        "type_name": None,
        "valid_until": None,
        "checked_at": None,
    }
    bad = await client.post("/v1/verifications", json={"number": "", "type_code": "lower"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.number", "body.type_code"}


async def test_rate_limited(app: FastAPI, client: httpx.AsyncClient) -> None:
    limit = app.state.settings.verify_rate_per_minute
    for _ in range(limit):
        assert (
            await client.post("/v1/verifications", json={"number": "X", "type_code": "JMSFZ"})
        ).status_code == 200
    resp = await client.post("/v1/verifications", json={"number": "X", "type_code": "JMSFZ"})
    assert resp.status_code == 429 and resp.json()["code"] == "licence.verification_rate_limited"
    assert int(resp.headers["retry-after"]) >= 1
    # Another client is not held back.
    other = await client.post(
        "/v1/verifications",
        json={"number": "X", "type_code": "JMSFZ"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert other.status_code == 200
