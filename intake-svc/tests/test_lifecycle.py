"""The lifecycle through the API: the normal path, the notice loop, 即办件, withdrawal, refusal,
and every transition checked (409 naming the state and what is allowed)."""

from __future__ import annotations

from typing import Any

from intake_support import DISTRICT, Env, elements, material
from sqlalchemy import select

from yiwang_shared.tables import outbox


async def _subjects(env: Env) -> list[str]:
    async with env.db.transaction(write=False) as session:
        return list((await session.execute(select(outbox.c.subject).order_by(outbox.c.id))).scalars())


async def test_normal_path_from_window_to_delivery(env: Env) -> None:
    application = await env.submit()
    assert (
        application["status"] == "submitted"
        and application["channel"] == "window"
        and application["visits"] == 1
    )
    assert application["problems"] == [] and application["intake_unit_code"] == f"{DISTRICT}-ZWFW-W01"
    assert application["notice_due_on"] == "2026-09-29"  # 5 working days: 25 Sep is 中秋节
    application = await env.post(application["id"], "accept", env.clerk)
    assert application["status"] == "accepted" and application["acceptance_no"].startswith(
        "朝政受字〔2026〕第"
    )
    # 10 working days; day 1 = Tue 22 Sep; 25 Sep and 1-7 Oct are holidays; Sat 10 Oct is worked.
    assert application["due_on"] == "2026-10-12"
    application = await env.post(application["id"], "hand-over", env.clerk)
    assert application["status"] == "under_review"
    application = await env.post(
        application["id"], "steps", env.approver, {"kind": "review", "opinion": "材料真实有效"}
    )
    application = await env.post(application["id"], "approve", env.approver, {"reasons": "符合条件"})
    assert application["status"] == "approved"
    application = await env.post(
        application["id"],
        "complete",
        env.approver,
        {"result_name": "食品经营许可证", "result_number": "JY11105000001", "valid_until": "2031-09-30"},
    )
    assert application["status"] == "completed" and application["result"]["number"] == "JY11105000001"
    application = await env.post(
        application["id"], "deliver", env.clerk, {"mode": "window", "signed_by": "张伟"}
    )
    assert (
        application["status"] == "delivered"
        and application["visits"] == 2
        and application["allowed_actions"] == []
    )
    assert [s["kind"] for s in application["steps"]] == ["review", "decide"]
    assert application["steps"][0]["opinion"] == "材料真实有效"
    assert await _subjects(env) == [
        "intake.application.submitted.v1",
        "intake.application.accepted.v1",
        "intake.application.decided.v1",
        "intake.application.completed.v1",
        "intake.application.delivered.v1",
    ]
    html = await env.client.get(application["notices"][0]["html_url"], headers=env.citizen)
    assert html.status_code == 200 and "受理通知书" in html.text and "2026年10月12日" in html.text


async def test_notice_loop_lists_every_problem_at_once(env: Env) -> None:
    application = await env.submit(
        materials=[
            {"name": "营业执照", "media": ["original"], "originals": 1, "copies": 0},
            {"name": "其他材料", "media": ["original"], "originals": 1},
        ],
        conditions=["场所使用证明"],
    )
    problems = {(p["material"], p["problem"]) for p in application["problems"]}
    assert problems == {
        ("申请书", "missing"),
        ("营业执照", "copies"),
        ("健康证明", "missing"),
        ("场所使用证明", "missing"),
    }  # 居民身份证 is exempt (电子证照库): never asked for; 其他材料 is not needed: ignored
    resp = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=env.clerk)
    assert resp.status_code == 422 and resp.json()["code"] == "intake.materials_incomplete"
    application = await env.post(
        application["id"],
        "notice",
        env.clerk,
        {"extra_problems": [{"material": "申请书", "message": "申请书须由申请人本人签字"}]},
    )
    assert application["status"] == "correction_requested"
    notice = application["notices"][0]
    assert notice["kind"] == "correction" and notice["number"].startswith("朝政补字")
    html = (await env.client.get(notice["html_url"], headers=env.citizen)).text
    for text in ("一次性告知书", "缺少“申请书”", "复印件应为1份", "租赁场所的", "须由申请人本人签字"):
        assert text in html
    # The applicant corrects online; the case goes back to submitted and is now complete.
    application = await env.post(
        application["id"],
        "resubmit",
        env.citizen,
        {
            "materials": [
                {"name": "申请书", "media": ["original"], "originals": 1},
                {"name": "营业执照", "media": ["original", "copy"], "originals": 1, "copies": 1},
                {"name": "健康证明", "media": ["original"], "originals": 1},
                {"name": "场所使用证明", "media": ["original"], "originals": 1},
            ]
        },
    )
    assert (
        application["status"] == "submitted"
        and application["resubmissions"] == 1
        and application["visits"] == 1
    )
    assert application["problems"] == []
    # A second loop is allowed: the clerk finds a format problem the check cannot see.
    application = await env.post(
        application["id"],
        "notice",
        env.clerk,
        {"extra_problems": [{"material": "营业执照", "message": "复印件须加盖公章"}]},
    )
    application = await env.post(
        application["id"],
        "resubmit",
        env.clerk,
        {"materials": [{"name": "营业执照", "media": ["original", "copy"], "originals": 1, "copies": 1}]},
    )
    assert (
        application["visits"] == 2 and application["resubmissions"] == 2
    )  # the applicant came to the window
    application = await env.post(application["id"], "accept", env.clerk)
    assert application["status"] == "accepted" and len(application["notices"]) == 3
    # The refused acceptance earlier wrote nothing: no number was used up, no trace entry left.
    assert application["acceptance_no"] == "朝政受字〔2026〕第000001号"
    trace = (await env.client.get(f"/v1/applications/{application['id']}/trace", headers=env.clerk)).json()[
        "items"
    ]
    assert [e["action"] for e in trace] == [
        "submitted",
        "notice_issued",
        "resubmitted",
        "notice_issued",
        "resubmitted",
        "accepted",
    ]


async def test_every_transition_is_checked(env: Env) -> None:
    application = await env.submit()
    resp = await env.client.post(f"/v1/applications/{application['id']}/approve", headers=env.approver)
    body = resp.json()
    assert resp.status_code == 409 and body["code"] == "intake.invalid_transition"
    assert body["current_status"] == "submitted"
    assert body["allowed_actions"] == [
        "accept",
        "accept_on_the_spot",
        "issue_notice",
        "prereview",
        "refuse_acceptance",
        "withdraw",
    ]
    # Said in Chinese, naming the state and what may be done now; in English when asked.
    assert (
        body["detail"] == "该申请当前状态为“已接件”，不能准予。"
        "当前可以办理：受理、当场受理并办结、出具一次性告知书、咨询预审并转交、不予受理、撤回申请。"
    )
    english = await env.client.post(
        f"/v1/applications/{application['id']}/approve", headers={**env.approver, "Accept-Language": "en"}
    )
    assert english.json()["detail"] == (
        "The application is submitted; approve is not allowed now. "
        "Allowed now: accept, accept_on_the_spot, issue_notice, prereview, refuse_acceptance, withdraw."
    )
    await env.post(application["id"], "accept", env.clerk)
    await env.post(application["id"], "accept", env.clerk, expect=409)
    await env.post(
        application["id"], "deliver", env.clerk, {"mode": "window", "signed_by": "张伟"}, expect=409
    )
    # A clerk may not decide; a department that does not own the item may not either.
    await env.post(application["id"], "hand-over", env.clerk)
    resp = await env.client.post(f"/v1/applications/{application['id']}/approve", headers=env.clerk)
    assert resp.status_code == 403 and resp.json()["code"] == "intake.role_required"


async def test_on_the_spot_item_completes_at_once(env: Env) -> None:
    await env.publish_item(
        "MZJ-0001",
        elements(
            "老年人优待证办理",
            f"{DISTRICT}-MZJ",
            handling_type="1",
            promised=0,
            materials=[material("申请表")],
            result={"name": "北京市老年人优待证"},
        ),
    )
    application = await env.submit(
        item_code="MZJ-0001", materials=[{"name": "申请表", "media": ["original"], "originals": 1}]
    )
    application = await env.post(application["id"], "accept", env.clerk)
    assert application["status"] == "completed" and application["result"]["name"] == "北京市老年人优待证"
    assert application["due_on"] == "2026-09-21" and application["decision"] == "approved"
    subjects = await _subjects(env)
    assert subjects[-3:] == [
        "intake.application.accepted.v1",
        "intake.application.decided.v1",
        "intake.application.completed.v1",
    ]


async def test_withdraw_before_decision_only(env: Env) -> None:
    pid, citizen = env.person("李娜")
    application = await env.submit(citizen, applicant=None)
    assert (
        application["channel"] == "online"
        and application["visits"] == 0
        and application["applicant_id"] == pid
    )
    assert application["applicant_name"] == "李娜" and application["representation"] == "self"
    application = await env.post(application["id"], "withdraw", citizen, {"reason": "不再需要"})
    assert application["status"] == "withdrawn" and application["closed_reason"] == "不再需要"
    decided = await env.to_review()
    await env.post(decided["id"], "approve", env.approver)
    resp = await env.client.post(f"/v1/applications/{decided['id']}/withdraw", headers=env.citizen)
    assert resp.status_code == 409 and resp.json()["current_status"] == "approved"


async def test_refusal_needs_reasons_and_extension_is_limited(env: Env) -> None:
    application = await env.to_review()
    await env.post(application["id"], "refuse", env.approver, {}, expect=422)
    application = await env.post(
        application["id"], "extend", env.approver, {"working_days": 6, "reason": "情况复杂"}
    )
    assert application["extension_days"] == 6 and application["due_on"] == "2026-10-20"
    resp = await env.client.post(
        f"/v1/applications/{application['id']}/extend",
        json={"working_days": 5, "reason": "再延"},
        headers=env.approver,
    )
    assert resp.status_code == 422 and resp.json()["code"] == "intake.extension_too_long"
    application = await env.post(application["id"], "refuse", env.approver, {"reasons": "经营场所不符合要求"})
    assert application["status"] == "refused" and application["decision_reasons"] == "经营场所不符合要求"
    application = await env.post(
        application["id"], "complete", env.approver, {"result_name": "不予许可决定书"}
    )
    application = await env.post(
        application["id"],
        "deliver",
        env.clerk,
        {"mode": "post", "carrier": "EMS", "tracking_no": "EA123456789CN", "address": "朝阳区日坛北路17号"},
    )
    assert application["delivery"]["tracking_no"] == "EA123456789CN"


async def test_bad_input_is_a_precise_problem(env: Env) -> None:
    resp = await env.client.post(
        "/v1/applications",
        json={"item_code": "NOPE", "applicant": {"name": "张伟", "phone": "123"}},
        headers=env.citizen,
    )
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "body.applicant.phone"
    resp = await env.client.post(
        "/v1/applications", json={"item_code": "NOPE", "applicant": {"name": "张伟"}}, headers=env.citizen
    )
    assert resp.status_code == 422 and resp.json()["code"] == "intake.item_not_found"
    resp = await env.client.post(
        "/v1/applications", json={"item_code": "SCJ-0001", "applicant": {"name": "张伟"}}, headers=env.clerk
    )
    assert resp.status_code == 422 and resp.json()["code"] == "intake.applicant_required"
    application = await env.submit()
    resp = await env.client.post(
        f"/v1/applications/{application['id']}/deliver", json={"mode": "fax"}, headers=env.clerk
    )
    assert resp.status_code == 422
    listing = await env.client.get("/v1/applications", headers=env.citizen)
    assert [a["id"] for a in listing.json()["items"]] == [application["id"]]


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


async def test_helper_applies_for_someone_and_it_is_recorded(env: Env) -> None:
    helper = env.staff("handler", f"{DISTRICT}001-FWZX")
    helper_id = env.staff_subject(helper)
    pid, citizen = env.person("王芳")
    application = await env.submit(helper, applicant={"id": pid})
    assert (
        application["channel"] == "assisted"
        and application["assisted_by"] == helper_id
        and application["visits"] == 0
    )
    assert application["applicant_id"] == pid and application["submitted_by"] == helper_id
    assert application["representation"] == "assisted" and application["applicant_name"] == "王芳"
    # The applicant and the helper see it; the trace records who did it for whom.
    assert (await env.client.get(f"/v1/applications/{application['id']}", headers=citizen)).status_code == 200
    trace = (await env.client.get(f"/v1/applications/{application['id']}/trace", headers=helper)).json()[
        "items"
    ]
    assert trace[0]["actor"] == helper_id and trace[0]["data"]["applicant_id"] == pid
    assert trace[0]["data"]["representation"] == "assisted"
    # Other staff roles may not apply for people.
    evaluator = env.staff("evaluator", f"{DISTRICT}-ZWGLJ")
    resp = await env.client.post(
        "/v1/applications",
        json={"item_code": "SCJ-0001", "applicant": {"id": pid, "name": "王芳"}},
        headers=evaluator,
    )
    assert resp.status_code == 403 and resp.json()["code"] == "intake.role_required"
