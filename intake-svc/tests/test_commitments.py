"""告知承诺制 through intake: a signed commitment stands in for the materials it names, the case is
decided at acceptance, its deciding unit owes a post-check by a due date, and a commitment found
false revokes the decision with a printed decision, an event and an SMS, and bars the applicant
from applying on commitment again."""

from __future__ import annotations

import json
from typing import Any

from intake_support import DISTRICT, Env, elements, material
from jsonschema import Draft202012Validator
from sqlalchemy import select

from intake import events
from intake.models.notifications import NotificationMessage
from yiwang_shared.tables import outbox

SCJ = f"{DISTRICT}-SCJGJ"
ITEM = "WJW-0200"
COMMITMENT = {
    "text": "本单位承诺经营场所符合卫生条件，所填信息真实；如有不实，愿意承担撤销许可的法律责任。",
    "replaces": ["卫生检测报告", "卫生管理制度"],
    "post_check_days": 20,
}


async def _publish(env: Env, commitment: dict[str, Any] | None = COMMITMENT) -> None:
    extra = {"commitment": commitment} if commitment else {}
    await env.publish_item(
        ITEM,
        elements(
            "公共场所卫生许可",
            SCJ,
            materials=[material("申请书"), material("卫生检测报告"), material("卫生管理制度")],
            result={"name": "公共场所卫生许可证"},
            **extra,
        ),
    )


SIGNED = {"agreed": True, "signatory": "张伟"}
FORM_ONLY = [{"name": "申请书", "media": ["original"], "originals": 1}]


async def _events(env: Env, subject: str) -> list[dict[str, Any]]:
    async with env.db.transaction(write=False) as session:
        rows = await session.execute(
            select(outbox.c.payload).where(outbox.c.subject == subject).order_by(outbox.c.id)
        )
        return [json.loads(p)["data"] for (p,) in rows]


async def _kinds(env: Env, app_id: str) -> list[str]:
    async with env.db.transaction(write=False) as session:
        rows = await session.scalars(
            select(NotificationMessage.kind)
            .where(NotificationMessage.application_id == app_id)
            .order_by(NotificationMessage.created_at)
        )
        return list(rows)


async def _decided_on_commitment(env: Env) -> dict[str, Any]:
    await _publish(env)
    application = await env.submit(item_code=ITEM, materials=FORM_ONLY, commitment=SIGNED)
    assert application["problems"] == [], application["problems"]
    assert application["commitment"]["signatory"] == "张伟"
    assert application["commitment"]["replaces"] == ["卫生检测报告", "卫生管理制度"]
    assert "accept_on_the_spot" in application["allowed_actions"]
    return await env.post(application["id"], "accept", env.clerk, {})


async def test_a_commitment_stands_in_for_materials_and_the_decision_is_made_at_once(env: Env) -> None:
    decided = await _decided_on_commitment(env)
    assert decided["status"] == "completed" and decided["decision"] == "approved"
    approval = next(n for n in decided["notices"] if n["kind"] == "approval")
    html = (await env.client.get(approval["html_url"], headers=env.citizen)).text
    assert "告知承诺书" in html and "20个工作日内核查" in html
    # The deciding unit owes a post-check, due 20 working days after the decision.
    scj = env.staff("approver", SCJ)
    checks = (await env.client.get("/v1/post-checks", params={"status": "pending"}, headers=scj)).json()
    assert [c["application_id"] for c in checks["items"]] == [decided["id"]]
    # 20 working days after Monday 2026-09-21 on the holiday calendar (国庆 off): not 10-19.
    assert checks["items"][0]["due_on"] == "2026-10-26"
    # Another department does not see it; a citizen may not list post-checks at all.
    other = env.staff("approver", f"{DISTRICT}-MZJ")
    assert (await env.client.get("/v1/post-checks", headers=other)).json()["items"] == []
    assert (await env.client.get("/v1/post-checks", headers=env.citizen)).status_code == 403


async def test_without_the_signature_the_materials_are_asked_for(env: Env) -> None:
    await _publish(env)
    application = await env.submit(item_code=ITEM, materials=FORM_ONLY)
    assert {p["material"] for p in application["problems"]} == {"卫生检测报告", "卫生管理制度"}
    assert "accept" in application["allowed_actions"]


async def test_an_item_without_a_commitment_refuses_one(env: Env) -> None:
    refused = await env.submit(materials=FORM_ONLY, commitment=SIGNED, expect=422)
    assert refused["code"] == "intake.commitment_not_offered" and "告知承诺" in refused["detail"]


async def test_a_commitment_that_held_closes_the_check(env: Env) -> None:
    decided = await _decided_on_commitment(env)
    scj = env.staff("approver", SCJ)
    [check] = (await env.client.get("/v1/post-checks", headers=scj)).json()["items"]
    resp = await env.client.post(
        f"/v1/post-checks/{check['id']}/result",
        json={"commitment_held": True, "findings": "现场核查：卫生检测报告合格，制度上墙。"},
        headers=scj,
    )
    assert resp.status_code == 200 and resp.json()["status"] == "passed", resp.text
    case = (await env.client.get(f"/v1/applications/{decided['id']}", headers=scj)).json()
    assert case["status"] == "completed"
    again = await env.client.post(
        f"/v1/post-checks/{check['id']}/result", json={"commitment_held": False, "findings": "x"}, headers=scj
    )
    assert again.status_code == 409 and again.json()["code"] == "intake.post_check_done"


async def test_a_false_commitment_revokes_the_decision_and_bars_the_applicant(env: Env) -> None:
    decided = await _decided_on_commitment(env)
    await env.post(decided["id"], "deliver", env.clerk, {"mode": "window", "signed_by": "张伟"})
    scj = env.staff("approver", SCJ)
    [check] = (await env.client.get("/v1/post-checks", headers=scj)).json()["items"]
    citizen_try = await env.client.post(
        f"/v1/post-checks/{check['id']}/result",
        json={"commitment_held": True, "findings": "我自己核查过了"},
        headers=env.citizen,
    )
    assert citizen_try.status_code in (403, 404), citizen_try.text
    failed = await env.client.post(
        f"/v1/post-checks/{check['id']}/result",
        json={"commitment_held": False, "findings": "现场无卫生检测报告，从业人员3人无健康证明"},
        headers=scj,
    )
    assert failed.status_code == 200, failed.text
    assert failed.json()["status"] == "failed" and failed.json()["revocation_no"].startswith("朝政撤决字")
    case = (await env.client.get(f"/v1/applications/{decided['id']}", headers=env.citizen)).json()
    assert case["status"] == "revoked" and "承诺的内容不实" in case["closed_reason"]
    assert case["allowed_actions"] == []
    revocation = next(n for n in case["notices"] if n["kind"] == "decision_revocation")
    html = (await env.client.get(revocation["html_url"], headers=env.citizen)).text
    assert "撤销准予行政许可决定书" in html and "公共场所卫生许可证" in html and "信用记录" in html
    schema = json.loads(events.schema_path(events.ApplicationRevoked).read_text(encoding="utf-8"))
    async with env.db.transaction(write=False) as session:
        raw = await session.scalar(
            select(outbox.c.payload).where(outbox.c.subject == "intake.application.revoked.v1")
        )
    assert not [e.message for e in Draft202012Validator(schema).iter_errors(json.loads(raw))]
    [event] = await _events(env, "intake.application.revoked.v1")
    assert event["application_id"] == decided["id"] and event["notice_no"] == failed.json()["revocation_no"]
    assert "decision_revoked" in await _kinds(env, decided["id"])
    # The false commitment is on record: no commitment for this applicant again.
    barred = await env.submit(item_code=ITEM, materials=FORM_ONLY, commitment=SIGNED, expect=422)
    assert barred["code"] == "intake.commitment_barred" and decided["application_no"] in barred["detail"]
