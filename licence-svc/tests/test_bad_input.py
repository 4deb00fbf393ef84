"""Odd input is a 4xx problem, never a 500: control characters, NUL bytes and unknown ids in paths
and bodies (PostgreSQL refuses a NUL byte in text, so it must not get that far)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from licence_support import MZJ, bound, citizen, staff

from yiwang_shared.testing.tokens import TestTokens

ODD = ["%00", "a%00b", "%0A", "..%2F..", "x" * 300, "%E4%B8%AD%E6%96%87"]


@pytest.mark.parametrize("odd", ODD)
async def test_odd_path_values(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, odd: str) -> None:
    await bound(app, "c-odd")
    holder = citizen(tokens, "c-odd")
    approver = staff(tokens, MZJ, "approver")
    admin = staff(tokens, "110105-ZWGLJ", "admin")
    calls = [
        client.get(f"/v1/licences/{odd}", headers=holder),
        client.get(f"/v1/licences/{odd}/rendering", headers=holder),
        client.get(f"/v1/shared/{odd}"),
        client.post(f"/v1/licences/{odd}/revoke", json={"reason": "x"}, headers=approver),
        client.post(f"/v1/licences/{odd}/uses", json={"application_id": "a"}, headers=approver),
        client.patch(f"/v1/licence-types/{odd}", json={"active": False}, headers=admin),
    ]
    for call in calls:
        resp = await call
        assert 400 <= resp.status_code < 500, (odd, resp.status_code, resp.text)
        assert resp.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("value", ["\u0000", "a\u0000b", "\u202e", " "])
async def test_odd_body_values(client: httpx.AsyncClient, tokens: TestTokens, value: str) -> None:
    resp = await client.post("/v1/verifications", json={"number": value, "type_code": "JMSFZ"})
    assert resp.status_code in (200, 422), resp.text
    admin = staff(tokens, "110105-ZWGLJ", "admin")
    made = await client.post(
        "/v1/licence-types", json={"code": "ODD", "name": value, "holder_kind": "person"}, headers=admin
    )
    assert 200 <= made.status_code < 500 and made.status_code != 500, made.text
