"""Issue 14 at the window: whose application it is (the applicant from identity-svc, never from
the body), the walk-in served by a clerk, declared exemptions and e-licences that prove nothing,
the one-time notice told once, refusal to accept and decisions on paper, corrections that expire,
the actions a caller is offered, visits on the delivered event, and deadlines over a year the
holiday arrangement does not cover yet."""

from __future__ import annotations

import asyncio
import json
import socket
from datetime import UTC, date, datetime
from typing import Any

import pytest
from intake_support import DISTRICT, Env, elements, material
from sqlalchemy import func, select

from intake.models.applications import Application
from intake.models.notifications import NotificationMessage
from yiwang_shared.calendar import import_calendar_year
from yiwang_shared.tables import outbox

W01 = f"{DISTRICT}-ZWFW-W01"


async def _messages(env: Env, app_id: str) -> list[NotificationMessage]:
    async with env.db.transaction(write=False) as session:
        rows = await session.scalars(
            select(NotificationMessage)
            .where(NotificationMessage.application_id == app_id)
            .order_by(NotificationMessage.created_at)
        )
        return list(rows)


async def _delivered(env: Env, app_id: str) -> list[NotificationMessage]:
    """The application's messages once the dispatcher has dealt with each (none pending or sending).

    The dispatcher runs beside the test and wakes on the commit that queued a message, so a row read
    right after the step may already be `sending`: wait for the outcome instead of racing for it.
    """
    for _ in range(200):
        messages = await _messages(env, app_id)
        if messages and all(m.status not in ("pending", "sending") for m in messages):
            return messages
        await asyncio.sleep(0.05)
    raise AssertionError(f"the dispatcher left messages unsent: {[(m.kind, m.status) for m in messages]}")


async def _events(env: Env, subject: str) -> list[dict[str, Any]]:
    async with env.db.transaction(write=False) as session:
        rows = await session.execute(
            select(outbox.c.payload).where(outbox.c.subject == subject).order_by(outbox.c.id)
        )
        return [json.loads(p)["data"] for (p,) in rows]


async def _count(env: Env) -> int:
    async with env.db.transaction(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(Application)) or 0)


async def _html(env: Env, application: dict[str, Any], kind: str, headers: dict[str, str]) -> str:
    [notice] = [n for n in application["notices"] if n["kind"] == kind]
    resp = await env.client.get(notice["html_url"], headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.text


# --- 1. whose application it is -----------------------------------------------------------------


async def test_an_online_application_is_the_account_holders_own(env: Env) -> None:
    pid, citizen = env.person("李娜")
    # The body names someone else: refused, whatever name it gives, and nothing is written.
    other = await env.client.post(
        "/v1/applications",
        json={"item_code": "SCJ-0001", "applicant": {"id": env.citizen_id, "name": "张伟"}},
        headers=citizen,
    )
    assert other.status_code == 403 and other.json()["code"] == "intake.applicant_not_self"
    assert "帮办代办" in other.json()["detail"]
    renamed = await env.client.post(
        "/v1/applications",
        json={"item_code": "SCJ-0001", "applicant": {"name": "张伟", "phone": "13900000000"}},
        headers=citizen,
    )
    assert renamed.status_code == 422 and renamed.json()["code"] == "intake.applicant_mismatch"
    assert renamed.json()["fields"] == ["applicant.name", "applicant.phone"]
    assert await _count(env) == 0
    # Nothing about the applicant in the body: the account's name and mobile are the case's.
    application = await env.submit(citizen, applicant=None, materials=[])
    account = env.directory.http.get("/v1/me", params={"unmask": "true"}, headers=citizen).json()["account"]
    assert (application["applicant_id"], application["applicant_name"], application["applicant_phone"]) == (
        pid,
        "李娜",
        account["phone"],
    )
    assert application["representation"] == "self" and application["assisted_by"] is None
    # ... so the notice and its SMS go to her, at her own mobile.
    await env.post(application["id"], "notice", env.approver)
    [sms] = await _messages(env, application["id"])
    assert sms.kind == "notice_issued" and sms.phone == account["phone"] and sms.person_id == pid
    trace = (await env.client.get(f"/v1/applications/{application['id']}/trace", headers=citizen)).json()
    assert trace["items"][0]["data"]["representation"] == "self"
    assert trace["items"][0]["data"]["applicant_source"] == "identity_account"


async def test_identity_down_is_a_clear_503_and_nothing_is_written(env: Env) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env.app.state.settings.identity_url = f"http://127.0.0.1:{port}"
    for headers, body in (
        (env.citizen, {"item_code": "SCJ-0001"}),
        (env.clerk, {"item_code": "SCJ-0001", "applicant": {"id": env.citizen_id}}),
    ):
        resp = await env.client.post("/v1/applications", json=body, headers=headers)
        assert resp.status_code == 503 and resp.json()["code"] == "intake.identity_unavailable", resp.text
        assert "统一身份认证服务暂时无法" in resp.json()["detail"]
    assert await _count(env) == 0


# --- 2. the walk-in (intake half) --------------------------------------------------------------


async def test_a_clerk_applies_for_the_person_found_and_identity_records_it(env: Env) -> None:
    pid, phone = env.directory.person("王芳")  # a new person each time: identity outlives the test
    clerk_id = env.staff_subject(env.clerk)
    application = await env.submit(env.clerk, applicant={"id": pid})  # no name, no mobile typed
    assert (application["applicant_name"], application["applicant_phone"]) == ("王芳", phone)
    assert application["representation"] == "assisted" and application["assisted_by"] == clerk_id
    assert application["channel"] == "window" and application["visits"] == 1
    trace = (await env.client.get(f"/v1/applications/{application['id']}/trace", headers=env.clerk)).json()
    assert trace["items"][0]["data"]["applicant_source"] == "identity_contact"
    # identity-svc recorded who read her mobile, and why.
    admin = env.staff("admin", f"{DISTRICT}-ZWGLJ")
    lookups = env.directory.http.get(
        "/v1/persons/lookups", params={"staff_id": clerk_id, "person_id": pid}, headers=admin
    ).json()["items"]
    assert [(r["purpose"], r["found"]) for r in lookups] == [("contact", True)]
    assert "SCJ-0001" in lookups[0]["reason"]
    # A typed name that is not hers is refused (the clerk picked the wrong person?).
    wrong = await env.client.post(
        "/v1/applications",
        json={"item_code": "SCJ-0001", "applicant": {"id": pid, "name": "王方"}},
        headers=env.clerk,
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "intake.applicant_mismatch"
    # An id identity does not know: say how to find or register the person.
    unknown = await env.client.post(
        "/v1/applications",
        json={"item_code": "SCJ-0001", "applicant": {"id": "no-such-person"}},
        headers=env.clerk,
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "intake.applicant_unknown"
    assert "persons/lookup" in unknown.json()["detail"] and "walk-ins" in unknown.json()["detail"]
    # An id that is no id stays one path segment: a control character was a 500 (drill 6), and
    # "../" must not reach another of identity's resources with the clerk's token.
    for odd in ("\x1bx", "../me", "a/b?c=d#e", "%2e%2e"):
        resp = await env.client.post(
            "/v1/applications", json={"item_code": "SCJ-0001", "applicant": {"id": odd}}, headers=env.clerk
        )
        assert resp.status_code == 422 and resp.json()["code"] == "intake.applicant_unknown", (odd, resp.text)


async def test_a_walk_in_registered_at_the_window_gets_her_notices(env: Env) -> None:
    walk_in = env.directory.http.post(
        "/v1/persons/walk-ins",
        headers=env.clerk,
        json={
            "name": "赵敏",
            "id_type": "resident_id",
            "resident_id": "110105198001010024",
            "phone": "13700002222",
        },
    )
    if walk_in.status_code == 409:  # a rerun in the same session: the clerk goes on with her id
        person_id = walk_in.json()["person_id"]
    else:
        assert walk_in.status_code == 201, walk_in.text
        person_id = walk_in.json()["id"]
    application = await env.submit(env.clerk, applicant={"id": person_id}, materials=[])
    assert application["applicant_name"] == "赵敏" and application["applicant_phone"] == "13700002222"
    await env.post(application["id"], "notice", env.clerk)
    [sms] = await _delivered(env, application["id"])
    assert sms.phone == "13700002222" and sms.status == "sent"


# --- 3. declared exemptions and e-licences ---------------------------------------------------------


async def test_a_declared_exemption_or_an_unverified_licence_is_a_problem(env: Env) -> None:
    materials = [
        {"name": "申请书", "provided_as": "exempt"},  # not 免提交 in the catalogue
        {"name": "营业执照", "provided_as": "e_licence", "licence_no": "FAKE-123"},
        {"name": "健康证明", "media": ["original"], "originals": 1},
        {"name": "居民身份证", "provided_as": "exempt"},  # 免提交 in the catalogue: fine
    ]
    application = await env.submit(materials=materials)
    problems = {p["material"]: p for p in application["problems"]}
    assert set(problems) == {"申请书", "营业执照"}
    assert problems["申请书"]["problem"] == "exempt_not_allowed"
    assert "不属于本事项的免提交材料" in problems["申请书"]["message"]
    assert problems["营业执照"]["problem"] == "licence_unverified"
    assert (
        "FAKE-123" in problems["营业执照"]["message"]
        and "原件1份，复印件1份" in problems["营业执照"]["message"]
    )
    # FAKE-123 does not get the case accepted; the clerk lists both in the notice.
    refused = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=env.clerk)
    assert refused.status_code == 422 and refused.json()["code"] == "intake.materials_incomplete"
    application = await env.post(application["id"], "notice", env.clerk)
    html = await _html(env, application, "correction", env.citizen)
    assert "FAKE-123" in html and "免提交" in html


# --- 4. 一次性告知 means once ------------------------------------------------------------------------


async def test_a_second_notice_may_only_concern_what_the_applicant_changed(env: Env) -> None:
    application = await env.submit(
        materials=[
            {"name": "申请书", "media": ["original"], "originals": 1},
            {"name": "营业执照", "media": ["original"], "originals": 1},  # copy missing
            {"name": "健康证明", "media": ["original"], "originals": 1},
        ]
    )
    first = await env.post(application["id"], "notice", env.clerk)
    first_no = first["notices"][0]["number"]
    await env.post(
        application["id"],
        "resubmit",
        env.citizen,
        {"materials": [{"name": "营业执照", "media": ["original", "copy"], "originals": 1, "copies": 1}]},
    )
    # A requirement the first notice never raised, on a material nobody changed: refused.
    resp = await env.client.post(
        f"/v1/applications/{application['id']}/notice",
        json={"extra_problems": [{"material": "申请书", "message": "申请书须使用2026版格式"}]},
        headers=env.clerk,
    )
    body = resp.json()
    assert resp.status_code == 409 and body["code"] == "intake.notice_already_issued"
    assert body["materials"] == ["申请书"] and body["first_notice_no"] == first_no
    assert "“申请书”" in body["detail"] and "应当一次告知" in body["detail"]
    # About the material she handed in again: allowed (what she changed may be wrong anew).
    second = await env.post(
        application["id"],
        "notice",
        env.clerk,
        {"extra_problems": [{"material": "营业执照", "message": "复印件须加盖公章"}]},
    )
    assert [n["kind"] for n in second["notices"]] == ["correction", "correction"]


async def test_a_material_raised_before_may_be_raised_again(env: Env) -> None:
    application = await env.submit(materials=[{"name": "申请书", "media": ["original"], "originals": 1}])
    await env.post(application["id"], "notice", env.clerk)  # 营业执照 and 健康证明 missing
    # She hands in only one of them; the other is still missing, as the first notice said.
    await env.post(
        application["id"],
        "resubmit",
        env.citizen,
        {"materials": [{"name": "营业执照", "media": ["original", "copy"], "originals": 1, "copies": 1}]},
    )
    again = await env.post(application["id"], "notice", env.clerk)
    second = again["notices"][-1]
    html = (await env.client.get(second["html_url"], headers=env.citizen)).text
    assert "缺少“健康证明”" in html


# --- 5. refusal to accept, decisions and expiry on paper ------------------------------------------


async def _know_staff(env: Env, headers: dict[str, str], name: str, unit: str) -> None:
    """Put a staff member in intake's staff read model, as identity.staff.changed.v1 would."""
    from intake.services.escalation_staff import upsert_staff

    async with env.db.transaction() as session:
        await upsert_staff(
            session,
            {
                "staff_id": env.staff_subject(headers),
                "username": name,
                "name": name,
                "org_unit_id": None,
                "org_unit_code": unit,
                "roles": ["window_clerk"],
                "status": "active",
                "change": "created",
                "changed_at": "2026-01-01T00:00:00+00:00",
            },
        )


async def test_refusal_to_accept_closes_the_case_with_a_printable_notice(env: Env) -> None:
    application = await env.submit()
    citizen_try = await env.client.post(
        f"/v1/applications/{application['id']}/refuse-acceptance", json={"reasons": "x"}, headers=env.citizen
    )
    assert citizen_try.status_code == 403 and citizen_try.json()["code"] == "intake.role_required"
    await _know_staff(env, env.clerk, "刘静", W01)
    application = await env.post(
        application["id"],
        "refuse-acceptance",
        env.clerk,
        {
            "reasons": "申请事项不属于本机关职权范围",
            "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第（二）项",
            "competent_authority": "北京市市场监督管理局",
        },
    )
    assert application["status"] == "not_accepted" and application["status_name"] == "不予受理"
    assert application["allowed_actions"] == [] and application["closed_reason"].startswith("不予受理")
    [notice] = application["notices"]
    assert notice["kind"] == "non_acceptance" and notice["number"].startswith("朝政不受字〔2026〕第")
    html = await _html(env, application, "non_acceptance", env.citizen)
    for text in (
        "不予受理通知书",
        "申请事项不属于本机关职权范围",
        "请您向北京市市场监督管理局提出申请",
        "北京市朝阳区政务服务中心",  # the centre signs, not 综合受理窗口1
        "盖章处",
        "经办人：刘静",
        "签收人",
        "北京市朝阳区人民政府申请行政复议",
        "noto-serif-sc.css",
    ):
        assert text in html, text
    assert "综合受理窗口1" not in html
    [sms] = await _messages(env, application["id"])
    assert sms.kind == "not_accepted" and notice["number"] in sms.text and "不予受理通知书" in sms.text
    [closed] = await _events(env, "intake.application.closed.v1")
    assert closed["closed_as"] == "not_accepted" and closed["notice_no"] == notice["number"]
    # Also after a notice, while the corrections are awaited.
    other = await env.submit(materials=[])
    await env.post(other["id"], "notice", env.clerk)
    other = await env.post(other["id"], "refuse-acceptance", env.clerk, {"reasons": "申请人隐瞒有关情况"})
    assert other["status"] == "not_accepted" and other["correction_deadline"] is None
    # Not once accepted.
    accepted = await env.submit()
    await env.post(accepted["id"], "accept", env.clerk)
    late = await env.client.post(
        f"/v1/applications/{accepted['id']}/refuse-acceptance", json={"reasons": "x"}, headers=env.clerk
    )
    assert late.status_code == 409 and late.json()["code"] == "intake.invalid_transition"


async def test_decisions_are_printable_and_the_refusal_sms_names_the_document(env: Env) -> None:
    approved = await env.to_review()
    approved = await env.post(approved["id"], "approve", env.approver, {"reasons": "符合食品经营条件"})
    assert approved["decision_no"].startswith("朝政准字〔2026〕第")
    html = await _html(env, approved, "approval", env.citizen)
    for text in ("准予行政许可决定书", "决定准予行政许可", "北京市朝阳区市场监管局", "盖章处", "签收"):
        assert text in html, text
    refused = await env.to_review()
    refused = await env.post(refused["id"], "refuse", env.approver, {"reasons": "经营场所不符合要求"})
    number = refused["decision_no"]
    assert number.startswith("朝政不准字〔2026〕第")
    html = await _html(env, refused, "refusal", env.citizen)
    assert "不予行政许可决定书" in html and "经营场所不符合要求" in html and "行政诉讼" in html
    sms = [m for m in await _messages(env, refused["id"]) if m.kind == "refused"]
    assert len(sms) == 1 and number in sms[0].text and "不予行政许可决定书" in sms[0].text
    # "详见决定书" is true: the document the SMS names is the one the applicant can open.
    assert [n["number"] for n in refused["notices"] if n["kind"] == "refusal"] == [number]


async def test_a_case_waiting_for_corrections_expires_at_its_deadline(env: Env) -> None:
    application = await env.submit(materials=[])
    application = await env.post(application["id"], "notice", env.clerk)
    deadline = application["correction_deadline"]
    assert deadline == "2026-10-26"  # 20 working days from 21 September, over National Day
    env.clock.set(deadline, 17)
    assert (await env.scan())["corrections_expired"] == 0  # the last day is still hers
    env.clock.set("2026-10-27")
    assert (await env.scan())["corrections_expired"] == 1
    application = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.citizen)).json()
    assert application["status"] == "correction_expired" and application["status_name"] == "逾期未补正"
    assert application["allowed_actions"] == [] and "视为撤回申请" in application["closed_reason"]
    html = await _html(env, application, "correction_expired", env.citizen)
    assert "逾期未补正终止办理通知书" in html and "2026年10月26日" in html
    assert application["notices"][0]["number"] in html  # it names the one-time notice it follows
    sms = [m for m in await _messages(env, application["id"]) if m.kind == "correction_expired"]
    assert len(sms) == 1 and "视为撤回申请" in sms[0].text
    [closed] = await _events(env, "intake.application.closed.v1")
    assert closed["closed_as"] == "correction_expired"
    assert (await env.scan())["corrections_expired"] == 0  # once
    # Corrections handed in on time keep the case going.
    kept = await env.submit(materials=[])
    await env.post(kept["id"], "notice", env.clerk)
    kept = await env.post(
        kept["id"], "resubmit", env.citizen, {"materials": [{"name": "申请书", "media": ["original"]}]}
    )
    assert kept["correction_deadline"] is None


async def test_an_entrusted_acceptance_names_both_bodies(env: Env) -> None:
    await env.publish_item("MZJ-0002", elements("高龄老年人津贴", f"{DISTRICT}-MZJ", item_type="05"))
    resp = await env.client.post(
        "/v1/entrustments",
        json={
            "entrusting_unit_code": f"{DISTRICT}-MZJ",
            "entrusted_unit_code": f"{DISTRICT}001-FWZX",
            "item_codes": ["*"],
            "valid_from": "2026-01-01",
            "valid_until": "2027-12-31",
        },
        headers=env.admin,
    )
    assert resp.status_code == 201, resp.text
    street = env.staff("window_clerk", f"{DISTRICT}001-FWZX")
    application = await env.submit(street, item_code="MZJ-0002")
    application = await env.post(application["id"], "accept", street)
    html = await _html(env, application, "acceptance", env.citizen)
    assert "北京市朝阳区朝外街道政务服务中心" in html and "（受北京市朝阳区民政局委托）" in html
    assert "本件由北京市朝阳区民政局审查决定" in html


async def test_the_notices_font_is_served_to_anyone(env: Env) -> None:
    css = await env.client.get("/v1/fonts/noto-serif-sc.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "font-family: 'Noto Serif SC'" in css.text and "unicode-range" in css.text
    assert "immutable" in css.headers["cache-control"]
    slice_name = css.text.split("url(", 1)[1].split(")", 1)[0]
    font = await env.client.get(f"/v1/fonts/{slice_name}")
    assert font.status_code == 200 and font.headers["content-type"] == "font/woff2"
    assert font.content[:4] == b"wOF2"
    missing = await env.client.get("/v1/fonts/noto-serif-sc-999-400-normal.woff2")
    assert missing.status_code == 404 and missing.json()["code"] == "intake.font_not_found"
    sneaky = await env.client.get("/v1/fonts/..%2Fmain.py")
    assert sneaky.status_code in (404, 422)


# --- 6. the actions a caller is offered -------------------------------------------------------------


async def _offered(env: Env, app_id: str, headers: dict[str, str]) -> list[str] | int:
    resp = await env.client.get(f"/v1/applications/{app_id}", headers=headers)
    return resp.json()["allowed_actions"] if resp.status_code == 200 else resp.status_code


async def test_allowed_actions_are_what_the_caller_may_do(env: Env) -> None:
    application = await env.submit()
    assert await _offered(env, application["id"], env.citizen) == ["withdraw"]
    assert await _offered(env, application["id"], env.clerk) == [
        "accept",
        "issue_notice",
        "refuse_acceptance",
        "withdraw",
    ]
    # The deciding department may decide acceptance too, but only the applicant side or a window withdraws.
    assert await _offered(env, application["id"], env.approver) == [
        "accept",
        "issue_notice",
        "refuse_acceptance",
    ]
    assert await _offered(env, application["id"], env.supervisor) == []  # oversight sees, does not act
    # A street centre clerk whose unit received it, for an item it is not entrusted with.
    street = env.staff("window_clerk", f"{DISTRICT}001-FWZX")
    received = await env.submit(street)
    assert await _offered(env, received["id"], street) == ["withdraw"]
    refused = await env.client.post(f"/v1/applications/{received['id']}/accept", headers=street)
    assert refused.status_code == 403 and refused.json()["code"] == "intake.not_entrusted"
    # Under review: the department decides; the clerk and the applicant may only withdraw.
    review = await env.to_review()
    assert await _offered(env, review["id"], env.approver) == [
        "approve",
        "extend",
        "pause",
        "record_step",
        "refuse",
    ]
    assert await _offered(env, review["id"], env.clerk) == ["withdraw"]
    assert await _offered(env, review["id"], env.citizen) == ["withdraw"]
    other_dept = env.staff("approver", f"{DISTRICT}-MZJ")
    assert await _offered(env, review["id"], other_dept) == 404
    # A 即办件 is offered as accepted on the spot, never plain accept; the scan's actions never.
    await env.publish_item(
        "MZJ-0001",
        elements("老年人优待证办理", f"{DISTRICT}-MZJ", handling_type="1", materials=[material("申请表")]),
    )
    spot = await env.submit(
        item_code="MZJ-0001", materials=[{"name": "申请表", "media": ["original"], "originals": 1}]
    )
    assert await _offered(env, spot["id"], env.clerk) == [
        "accept_on_the_spot",
        "issue_notice",
        "refuse_acceptance",
        "withdraw",
    ]
    accepted = await env.submit()
    accepted = await env.post(accepted["id"], "accept", env.clerk)
    assert "revoke_acceptance" not in accepted["allowed_actions"]
    assert accepted["allowed_actions"] == ["hand_over", "withdraw"]


# --- 7. visits where they happen ----------------------------------------------------------------


@pytest.mark.parametrize(("mode", "visits"), [("window", 1), ("post", 0)])
async def test_the_delivered_event_counts_the_delivery_visit(env: Env, mode: str, visits: int) -> None:
    application = await env.to_review()
    await env.post(application["id"], "approve", env.approver)
    await env.post(application["id"], "complete", env.approver, {"result_name": "食品经营许可证"})
    body = (
        {"mode": "window", "signed_by": "张伟"}
        if mode == "window"
        else {"mode": "post", "carrier": "EMS", "tracking_no": "EA1CN", "address": "朝阳区1号"}
    )
    application = await env.post(application["id"], "deliver", env.clerk, body)
    [completed] = await _events(env, "intake.application.completed.v1")
    [delivered] = await _events(env, "intake.application.delivered.v1")
    assert completed["visits"] == 1  # the window submission, before any pickup
    assert delivered["visits"] == visits and delivered["total_visits"] == 1 + visits == application["visits"]


# --- 11. deadlines over a year without an arrangement -------------------------------------------


async def test_a_deadline_over_an_uncovered_year_is_flagged_and_recounted(env: Env) -> None:
    env.clock.set("2026-12-21")
    application = await env.submit()
    application = await env.post(application["id"], "accept", env.clerk)
    # 10 working days from Mon 21 December, Monday to Friday assumed in 2027: 1 January counted.
    assert application["due_on"] == "2027-01-04" and application["provisional_deadline"] is True
    html = await _html(env, application, "acceptance", env.citizen)
    assert "法定节假日安排尚未公布" in html
    board = (await env.client.get("/v1/supervision/cases", headers=env.supervisor)).json()["items"]
    assert [(c["id"], c["provisional_deadline"]) for c in board] == [(application["id"], True)]
    covered = await env.submit()
    env.clock.set("2026-12-01")
    covered = await env.post(covered["id"], "accept", env.clerk)
    assert covered["provisional_deadline"] is False  # within 2026: the package's arrangement
    # The 2027 arrangement arrives (test data, not the real notice): 1 January is a holiday.
    async with env.db.transaction() as session:
        await import_calendar_year(
            session, 2027, {date(2027, 1, 1): (False, "元旦（测试数据）")}, at=datetime.now(UTC)
        )
    env.clock.set("2026-12-22")
    await env.scan()
    application = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.clerk)).json()
    assert application["due_on"] == "2027-01-05" and application["provisional_deadline"] is False
    trace = (await env.client.get(f"/v1/applications/{application['id']}/trace", headers=env.clerk)).json()
    recount = [e for e in trace["items"] if e["action"] == "deadlines_recounted"]
    assert recount[0]["data"]["due_on"] == ["2027-01-04", "2027-01-05"]


async def test_the_online_identity_check_uses_the_callers_token(env: Env) -> None:
    """A token identity-svc does not know (a person deleted since) is not an applicant."""
    ghost = env.tokens.headers(subject="ghost-person", kind="person")
    resp = await env.client.post("/v1/applications", json={"item_code": "SCJ-0001"}, headers=ghost)
    assert resp.status_code == 403 and resp.json()["code"] == "intake.applicant_unverified"
