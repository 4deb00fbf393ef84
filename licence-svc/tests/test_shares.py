"""The holder shares a licence with a time-limited code anyone can open, and withdraws it."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from licence_support import MZJ, bound, citizen, issued, staff

from yiwang_shared.testing.tokens import TestTokens


async def test_share_open_withdraw(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> None:
    await issued(app, "citizen-1")
    mine = citizen(tokens, "citizen-1")
    licence = (await client.get("/v1/licences", headers=mine)).json()["items"][0]
    shares = f"/v1/licences/{licence['id']}/shares"
    made = await client.post(shares, json={"valid_hours": 2, "purpose": "向房东出示"}, headers=mine)
    assert made.status_code == 201, made.text
    share = made.json()
    assert share["active"] is True and share["path"] == f"/v1/shared/{share['code']}"
    opened = await client.get(share["path"])
    assert opened.status_code == 200
    assert opened.json()["valid"] is True and opened.json()["number"] == licence["number"]
    assert opened.json()["signature"] == licence["signature"]
    listed = (await client.get(shares, headers=mine)).json()
    assert listed["items"][0]["opened_count"] == 1 and "code" not in listed["items"][0]
    withdrawn = await client.post(f"{shares}/{share['id']}/withdraw", headers=mine)
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    gone = await client.get(share["path"])
    assert gone.status_code == 404 and gone.json()["code"] == "licence.share_not_found"
    assert "撤回" in gone.json()["detail"]
    await bound(app, "citizen-2")
    other = await client.post(shares, json={}, headers=citizen(tokens, "citizen-2"))
    assert other.status_code == 404


async def test_share_limits(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> None:
    await issued(app, "citizen-1")
    mine = citizen(tokens, "citizen-1")
    licence = (await client.get("/v1/licences", headers=mine)).json()["items"][0]
    shares = f"/v1/licences/{licence['id']}/shares"
    too_long = await client.post(shares, json={"valid_hours": 24 * 365}, headers=mine)
    assert too_long.status_code == 422 and too_long.json()["code"] == "licence.share_too_long"
    unknown = await client.post(shares, json={"valid_for": 3}, headers=mine)
    assert unknown.status_code == 422
    await client.post(
        f"/v1/licences/{licence['id']}/revoke",
        json={"reason": "核查"},
        headers=staff(tokens, MZJ, "approver"),
    )
    revoked = await client.post(shares, json={}, headers=mine)
    assert revoked.status_code == 409 and revoked.json()["code"] == "licence.share_not_allowed"
    assert (await client.get("/v1/shared/not-a-code")).status_code == 404
