"""Working-day deadlines and electronic supervision: a special procedure across the National Day
holiday, deemed acceptance when no notice came in time, 容缺 revocation, the lights, and the
overdue event emitted exactly once even with concurrent scans."""

from __future__ import annotations

import asyncio

from intake_support import DISTRICT, Env, complete_materials, elements, material
from sqlalchemy import select

from intake.models.notifications import NotificationMessage
from yiwang_shared.tables import outbox


async def _count(env: Env, subject: str) -> int:
    async with env.db.transaction(write=False) as session:
        rows = await session.execute(select(outbox.c.id).where(outbox.c.subject == subject))
        return len(rows.all())


async def _sms_kinds(env: Env, app_id: str) -> list[str]:
    async with env.db.transaction(write=False) as session:
        rows = await session.execute(
            select(NotificationMessage.kind)
            .where(NotificationMessage.application_id == app_id)
            .order_by(NotificationMessage.created_at)
        )
        return list(rows.scalars())


async def test_special_procedure_across_national_day_moves_due_date_by_working_days(env: Env) -> None:
    application = await env.to_review()
    assert application["due_on"] == "2026-10-12"
    env.clock.set("2026-09-30")
    application = await env.post(
        application["id"],
        "pause",
        env.approver,
        {"procedure": "inspection", "reason": "需现场勘查经营场所", "expected_end_on": "2026-10-09"},
    )
    assert application["status"] == "suspended"
    await env.post(application["id"], "approve", env.approver, expect=409)  # the clock is stopped
    board = (await env.client.get("/v1/supervision/cases", headers=env.supervisor)).json()
    assert board["items"][0]["paused"] is True and board["total"] == 1
    env.clock.set("2026-10-09")
    application = await env.post(application["id"], "resume", env.approver)
    # Paused 1 Oct – 9 Oct: only 8 and 9 October are working days, so the due date moves by 2.
    assert application["pauses"][0]["paused_working_days"] == 2
    assert application["paused_working_days"] == 2 and application["due_on"] == "2026-10-14"
    assert "special_procedure" in await _sms_kinds(env, application["id"])


async def test_overdue_is_flagged_once_and_lights_follow_the_calendar(env: Env) -> None:
    application = await env.to_review()
    other = await env.to_review()
    await env.post(other["id"], "pause", env.approver, {"procedure": "hearing", "reason": "依申请举行听证"})
    env.clock.set("2026-10-09")
    lights = {
        c["id"]: c
        for c in (await env.client.get("/v1/supervision/cases", headers=env.supervisor)).json()["items"]
    }
    assert (
        lights[application["id"]]["colour"] == "yellow"
        and lights[application["id"]]["remaining_working_days"] == 2
    )
    env.clock.set("2026-10-12")
    assert (await env.scan())["overdue_flagged"] == 0
    env.clock.set("2026-10-13")
    results = await asyncio.gather(env.scan(), env.scan(), env.scan())
    assert sum(r["overdue_flagged"] for r in results) == 1  # the paused case is not overdue
    assert (await env.scan())["overdue_flagged"] == 0
    assert await _count(env, "intake.application.overdue.v1") == 1
    red = (await env.client.get("/v1/supervision/cases?colour=red", headers=env.supervisor)).json()
    assert [c["id"] for c in red["items"]] == [application["id"]] and red["items"][0][
        "overdue_flagged"
    ] is True
    assert red["total"] == 1, "total counts the red cases only"
    by_unit = await env.client.get(f"/v1/supervision/cases?unit_code={DISTRICT}-MZJ", headers=env.supervisor)
    assert by_unit.json()["items"] == [] and by_unit.json()["total"] == 0
    trace = (
        await env.client.get(f"/v1/applications/{application['id']}/trace", headers=env.approver)
    ).json()["items"]
    assert trace[-1]["action"] == "overdue" and trace[-1]["actor"] == "system"


async def test_no_notice_within_the_window_counts_as_accepted(env: Env) -> None:
    application = await env.submit(materials=[])
    env.clock.set("2026-09-30")
    resp = await env.client.post(f"/v1/applications/{application['id']}/notice", headers=env.clerk)
    assert resp.status_code == 409 and resp.json()["code"] == "intake.notice_window_passed"
    assert (await env.scan())["deemed_accepted"] == 1
    got = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.clerk)).json()
    assert got["status"] == "accepted" and got["deemed_accepted"] is True
    assert got["accepted_at"] == got["received_at"] and got["due_on"] == "2026-10-12"
    assert await _sms_kinds(env, application["id"]) == ["accepted"]


async def test_deficiency_acceptance_is_revoked_after_its_deadline(env: Env) -> None:
    without_health = [m for m in complete_materials() if m["name"] != "健康证明"]
    application = await env.submit(materials=without_health)
    application = await env.post(application["id"], "accept", env.clerk, {"with_deficiencies": True})
    assert application["status"] == "accepted" and application["deficiency_deadline"] == "2026-09-29"
    assert [d["material"] for d in application["deficiencies"]] == ["健康证明"]
    await env.post(application["id"], "hand-over", env.clerk)
    resp = await env.client.post(f"/v1/applications/{application['id']}/approve", headers=env.approver)
    assert resp.status_code == 409 and resp.json()["code"] == "intake.deficiencies_outstanding"
    cured = await env.submit(materials=without_health)
    await env.post(cured["id"], "accept", env.clerk, {"with_deficiencies": True})
    cured = await env.post(
        cured["id"],
        "deficiencies",
        env.citizen,
        {"materials": [{"name": "健康证明", "media": ["original"], "originals": 1}]},
    )
    assert cured["deficiencies"] == [] and cured["deficiency_deadline"] is None
    env.clock.set("2026-09-29")
    assert (await env.scan())["deficiencies_revoked"] == 0
    env.clock.set("2026-09-30")
    assert (await env.scan())["deficiencies_revoked"] == 1
    got = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.citizen)).json()
    assert got["status"] == "acceptance_revoked" and "健康证明" in got["closed_reason"]
    assert got["notices"][-1]["kind"] == "revocation"
    assert "acceptance_revoked" in await _sms_kinds(env, application["id"])
    still = (await env.client.get(f"/v1/applications/{cured['id']}", headers=env.citizen)).json()
    assert still["status"] == "accepted"


async def test_deficiency_acceptance_only_where_the_item_allows_it(env: Env) -> None:
    await env.publish_item(
        "SCJ-0002", elements("营业执照变更登记", materials=[material("申请书"), material("章程修正案")])
    )
    application = await env.submit(
        item_code="SCJ-0002", materials=[{"name": "申请书", "media": ["original"], "originals": 1}]
    )
    resp = await env.client.post(
        f"/v1/applications/{application['id']}/accept", json={"with_deficiencies": True}, headers=env.clerk
    )
    assert resp.status_code == 422 and resp.json()["code"] == "intake.deficiency_not_allowed"
