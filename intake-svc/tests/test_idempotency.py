"""Idempotency-Key on submission: a retry replays the same result, the same key with another body
is refused (422), concurrent duplicates create one application (the others get 409 or the replay)."""

from __future__ import annotations

import asyncio
import uuid

from intake_support import Env, complete_materials
from sqlalchemy import func, select

from intake.models.applications import Application


def _body(env: Env, conditions: tuple[str, ...] = ()) -> dict[str, object]:
    return {
        "item_code": "SCJ-0001",
        "applicant": {"id": env.citizen_id, "name": "张伟", "phone": "13810000001"},
        "materials": complete_materials(),
        "conditions": list(conditions),
    }


async def _count(env: Env) -> int:
    async with env.db.transaction(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(Application)) or 0)


async def test_retry_replays_and_other_body_is_refused(env: Env) -> None:
    headers = {**env.clerk, "Idempotency-Key": "k-" + uuid.uuid4().hex}
    first = await env.client.post("/v1/applications", json=_body(env), headers=headers)
    again = await env.client.post("/v1/applications", json=_body(env), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["application_no"] == first.json()["application_no"]
    other = await env.client.post("/v1/applications", json=_body(env, ("场所使用证明",)), headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "intake.idempotency_mismatch"
    assert await _count(env) == 1
    # Keys are per caller: another clerk's same key is a different request.
    other_clerk = {
        **env.staff("window_clerk", "110105-ZWFW-W01"),
        "Idempotency-Key": headers["Idempotency-Key"],
    }
    assert (
        await env.client.post("/v1/applications", json=_body(env), headers=other_clerk)
    ).status_code == 201
    assert await _count(env) == 2


async def test_concurrent_duplicates_create_one_application(env: Env) -> None:
    headers = {**env.clerk, "Idempotency-Key": "k-" + uuid.uuid4().hex}
    results = await asyncio.gather(
        *(env.client.post("/v1/applications", json=_body(env), headers=headers) for _ in range(6))
    )
    statuses = [r.status_code for r in results]
    assert set(statuses) <= {201, 409}, statuses
    created = {r.json()["id"] for r in results if r.status_code == 201}
    assert len(created) == 1
    for r in results:
        if r.status_code == 409:
            assert r.json()["code"] == "intake.idempotency_in_progress"
    assert await _count(env) == 1
