"""The trace (办事留痕): every action appended to a hash chain; verification names the first
broken entry when one is altered."""

from __future__ import annotations

import itertools

from intake_support import Env
from sqlalchemy import select, update

from intake.models.applications import TraceEntry


async def test_chain_holds_and_tampering_is_located(env: Env) -> None:
    application = await env.to_review()
    await env.post(application["id"], "approve", env.approver)
    trace = (await env.client.get(f"/v1/applications/{application['id']}/trace", headers=env.clerk)).json()[
        "items"
    ]
    assert [e["action"] for e in trace] == ["submitted", "accepted", "handed_over", "decided"]
    assert trace[0]["prev_hash"] == "0" * 64
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(trace))
    ok = (
        await env.client.get(f"/v1/applications/{application['id']}/trace/verify", headers=env.clerk)
    ).json()
    assert ok == {"valid": True, "entries": 4, "first_broken_seq": None, "reason": None}
    async with env.db.transaction() as session:
        await session.execute(
            update(TraceEntry)
            .where(TraceEntry.application_id == application["id"], TraceEntry.seq == 3)
            .values(actor="someone-else")
        )
    bad = (
        await env.client.get(f"/v1/applications/{application['id']}/trace/verify", headers=env.clerk)
    ).json()
    assert bad["valid"] is False and bad["first_broken_seq"] == 3
    async with env.db.transaction() as session:
        row = (
            await session.execute(
                select(TraceEntry).where(TraceEntry.application_id == application["id"], TraceEntry.seq == 2)
            )
        ).scalar_one()
        await session.delete(row)
    gone = (
        await env.client.get(f"/v1/applications/{application['id']}/trace/verify", headers=env.clerk)
    ).json()
    assert gone["valid"] is False and gone["first_broken_seq"] == 3 and gone["reason"] == "第 2 条留痕缺失。"
    english = await env.client.get(
        f"/v1/applications/{application['id']}/trace/verify", headers={**env.clerk, "Accept-Language": "en"}
    )
    assert english.json()["reason"] == "entry 2 is missing"


async def test_deleting_the_newest_entry_is_detected(env: Env) -> None:
    application = await env.to_review()
    async with env.db.transaction() as session:
        row = (
            (
                await session.execute(
                    select(TraceEntry)
                    .where(TraceEntry.application_id == application["id"])
                    .order_by(TraceEntry.seq.desc())
                )
            )
            .scalars()
            .first()
        )
        assert row is not None
        newest = row.seq
        await session.delete(row)
    gone = (
        await env.client.get(f"/v1/applications/{application['id']}/trace/verify", headers=env.clerk)
    ).json()
    assert gone["valid"] is False and gone["first_broken_seq"] == newest and "缺失" in gone["reason"]
