"""A decision made on commitment (告知承诺) revoked at the post-check voids the licence it issued:
revoked by the system with the reason, once, announced; other applications' licences untouched."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from licence_support import NOW, citizen, deliver, issued
from sqlalchemy import select

from licence.models import Licence
from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens


def _revoked(application: dict[str, Any]) -> dict[str, Any]:
    """intake.application.revoked.v1's data (the parts licence reads, and some it ignores)."""
    return {
        **{k: application[k] for k in ("application_id", "application_no", "item_code", "owner_unit_code")},
        "revoked_at": NOW.isoformat(),
        "reason": "经现场核查，申请人承诺的家庭收入情况与实际不符。",
        "notice_no": "朝民撤〔2026〕1号",
        "decision_no": "朝民决〔2026〕9号",
    }


async def test_the_post_checks_revocation_revokes_the_licence_once(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    application = await issued(app, "citizen-1")
    other = await issued(app, "citizen-1")
    await deliver(app, "intake.application.revoked.v1", _revoked(application))
    await deliver(app, "intake.application.revoked.v1", _revoked(application))  # another event, same case
    await deliver(
        app, "intake.application.revoked.v1", {**_revoked(application), "application_id": "no-licence"}
    )
    async with app.state.db.transaction(write=False) as s:
        states = dict((await s.execute(select(Licence.application_id, Licence.status))).all())
        subjects = [row[0] for row in (await s.execute(select(outbox.c.subject))).all()]
    assert states == {application["application_id"]: "revoked", other["application_id"]: "valid"}
    assert subjects.count("licence.licence.revoked.v1") == 1
    mine = (
        await client.get("/v1/licences", params={"status": "revoked"}, headers=citizen(tokens, "citizen-1"))
    ).json()
    reason = mine["items"][0]["status_reason"]
    assert "告知承诺" in reason and "朝民撤〔2026〕1号" in reason and "不符" in reason
