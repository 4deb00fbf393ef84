"""一件事 through intake: a bundle applied for in one submission (one form, each material once), one
completeness check and one notice, one acceptance number, a case per item for each department in
the bundle's stages, a combined status and one delivery."""

from __future__ import annotations

from bundle_support import ALL, BUNDLE, MZJ, bundle_post, materials_of, publish_bundle, submit_bundle
from intake_support import Env
from sqlalchemy import text


async def _sms(env: Env) -> list[tuple[str, str]]:
    """(kind, text) of every SMS queued for the test citizen, oldest first."""
    async with env.db.transaction() as session:
        rows = await session.execute(
            text("SELECT kind, text FROM notification_messages WHERE person_id = :p ORDER BY created_at, id"),
            {"p": env.citizen_id},
        )
        return [(r[0], r[1]) for r in rows]


async def test_a_bundle_goes_through_as_one_submission_to_two_departments(env: Env) -> None:
    await publish_bundle(env)
    bundle = await submit_bundle(env)
    assert bundle["bundle_no"].startswith("YJ2026") and bundle["status"] == "submitted"
    assert bundle["problems"] == [] and bundle["allowed_actions"] == ["issue_notice", "accept"]
    cases = bundle["cases"]
    assert [(c["item_code"], c["stage"], c["status"]) for c in cases] == [
        ("SCJ-0101", 1, "submitted"),
        ("SCJ-0102", 2, "submitted"),
        ("MZJ-0103", 2, "submitted"),
    ]
    # Each case got what its item asks for out of the one set: the ID card went to all three.
    trace = (
        await env.client.get(f"/v1/applications/{cases[0]['application_id']}/trace", headers=env.clerk)
    ).json()
    submitted = trace["items"][0]["data"]
    assert sorted(submitted["materials"]) == ["居民身份证", "申请书", "经营场所证明"]
    assert submitted["bundle_application_id"] == bundle["id"]
    views = [
        (await env.client.get(f"/v1/applications/{c['application_id']}", headers=env.clerk)).json()
        for c in cases
    ]
    assert [v["problems"] for v in views] == [[], [], []]
    assert [v["visits"] for v in views] == [1, 0, 0]  # one visit for the bundle, on its first case

    # A case's acceptance belongs to the bundle: one acceptance number, not three.
    refused = await env.client.post(
        f"/v1/applications/{cases[0]['application_id']}/accept", json={}, headers=env.clerk
    )
    assert refused.status_code == 409 and refused.json()["code"] == "intake.bundle_step_only", refused.text
    accepted = await bundle_post(env, bundle["id"], "accept", env.clerk)
    assert accepted["acceptance_no"].startswith("朝政受字〔2026〕第") and accepted["status"] == "in_progress"
    assert accepted["stage"] == 1 and accepted["due_on"]
    assert [(c["status"], c["handed_over"]) for c in accepted["cases"]] == [
        ("under_review", True),
        ("accepted", False),
        ("accepted", False),
    ]
    # The second stage waits for the licence: its department cannot take it yet.
    mz_approver = env.staff("approver", MZJ)
    early = await env.client.post(
        f"/v1/applications/{cases[2]['application_id']}/approve", json={}, headers=mz_approver
    )
    assert early.status_code == 409, early.text

    await env.post(cases[0]["application_id"], "approve", env.approver, {"reasons": "符合设立条件"})
    now = (await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.citizen)).json()
    assert now["stage"] == 2
    assert [(c["status"], c["handed_over"]) for c in now["cases"]] == [
        ("approved", True),
        ("under_review", True),
        ("under_review", True),
    ]
    # The two departments of the second stage decide in parallel.
    await env.post(cases[1]["application_id"], "approve", env.approver, {"reasons": "符合食品经营条件"})
    await env.post(cases[2]["application_id"], "approve", mz_approver, {"reasons": "材料齐全"})
    for case, approver, result in (
        (cases[0], env.approver, "营业执照"),
        (cases[1], env.approver, "食品经营许可证"),
        (cases[2], mz_approver, "参保登记凭证"),
    ):
        await env.post(case["application_id"], "complete", approver, {"result_name": result})
    ready = (await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.citizen)).json()
    assert ready["status"] == "ready" and ready["completed_at"] and ready["allowed_actions"] == []
    assert [c["result_name"] for c in ready["cases"]] == ["营业执照", "食品经营许可证", "参保登记凭证"]

    # One delivery: not case by case.
    single = await env.client.post(
        f"/v1/applications/{cases[0]['application_id']}/deliver",
        json={"mode": "window", "signed_by": "张伟"},
        headers=env.clerk,
    )
    assert single.status_code == 409 and single.json()["code"] == "intake.bundle_step_only"
    clerk_view = (await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.clerk)).json()
    assert clerk_view["allowed_actions"] == ["deliver"]
    delivered = await bundle_post(
        env, bundle["id"], "deliver", env.clerk, {"mode": "window", "signed_by": "张伟"}
    )
    assert delivered["status"] == "delivered" and {c["status"] for c in delivered["cases"]} == {"delivered"}

    # The applicant heard from the bundle once per step, not from each case.
    kinds = [k for k, _ in await _sms(env)]
    assert kinds == ["accepted", "completed", "delivered"], kinds
    texts = dict(await _sms(env))
    assert "开办餐饮店 一件事" in texts["accepted"] and accepted["acceptance_no"] in texts["accepted"]
    assert "营业执照、食品经营许可证、参保登记凭证" in texts["completed"]


async def test_one_completeness_check_and_one_notice_for_the_whole_bundle(env: Env) -> None:
    await publish_bundle(env)
    bundle = await submit_bundle(env, materials=("申请书", "经营场所证明", "食品安全管理制度", "参保登记表"))
    # The ID card is missing for all three items: said once, naming them.
    assert [(p["material"], p["item_codes"]) for p in bundle["problems"]] == [
        ("居民身份证", ["SCJ-0101", "SCJ-0102", "MZJ-0103"])
    ]
    assert bundle["allowed_actions"] == ["issue_notice", "accept"]  # 容缺 is the clerk's call
    noticed = await bundle_post(env, bundle["id"], "notice", env.clerk)
    assert noticed["status"] == "correction_requested" and len(noticed["notice_numbers"]) == 3
    # Each printable from the bundle, by the applicant.
    assert sorted(n["number"] for n in noticed["notices"]) == sorted(noticed["notice_numbers"])
    printed = await env.client.get(noticed["notices"][0]["html_url"], headers=env.citizen)
    assert printed.status_code == 200 and "居民身份证" in printed.text
    assert noticed["allowed_actions"] == ["resubmit"] or noticed["allowed_actions"] == []
    again = await bundle_post(
        env, bundle["id"], "resubmit", env.citizen, {"materials": materials_of("营业执照")}, expect=422
    )
    assert again["code"] == "intake.material_not_in_bundle"
    resubmitted = await bundle_post(
        env, bundle["id"], "resubmit", env.citizen, {"materials": materials_of("居民身份证")}
    )
    assert resubmitted["status"] == "submitted" and resubmitted["problems"] == []
    accepted = await bundle_post(env, bundle["id"], "accept", env.clerk)
    assert accepted["status"] == "in_progress"
    kinds = [k for k, _ in await _sms(env)]
    assert kinds == ["notice_issued", "accepted"], kinds
    assert "共1项" in dict(await _sms(env))["notice_issued"]


async def test_a_refused_first_stage_ends_the_later_stage(env: Env) -> None:
    await publish_bundle(env)
    bundle = await submit_bundle(env)
    accepted = await bundle_post(env, bundle["id"], "accept", env.clerk)
    first = accepted["cases"][0]["application_id"]
    await env.post(first, "refuse", env.approver, {"reasons": "经营场所不符合要求"})
    now = (await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.citizen)).json()
    assert [c["status"] for c in now["cases"]] == ["refused", "withdrawn", "withdrawn"]
    later = (
        await env.client.get(f"/v1/applications/{now['cases'][1]['application_id']}", headers=env.clerk)
    ).json()
    assert "前一阶段的事项未获准予" in later["closed_reason"]
    await env.post(first, "complete", env.approver, {"result_name": "不予许可决定书"})
    done = (await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.citizen)).json()
    assert done["status"] == "ready"


async def test_a_bundle_in_one_stage_goes_to_every_department_at_once(env: Env) -> None:
    await publish_bundle(env, stages=(1, 1, 1))
    bundle = await submit_bundle(env)
    accepted = await bundle_post(env, bundle["id"], "accept", env.clerk)
    assert [c["handed_over"] for c in accepted["cases"]] == [True, True, True]


async def test_what_a_bundle_refuses_says_what_to_fix(env: Env) -> None:
    await publish_bundle(env)
    unknown = await env.client.post(
        "/v1/bundle-applications",
        json={"bundle_code": "YJS999999", "applicant": {"id": env.citizen_id}},
        headers=env.clerk,
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "intake.bundle_not_found"
    assert "一件事" in unknown.json()["detail"]
    stray = await submit_bundle(env, materials=(*ALL, "结婚证"), expect=422)
    assert stray["code"] == "intake.material_not_in_bundle" and "结婚证" in stray["detail"]
    bundle = await submit_bundle(env)
    early = await bundle_post(
        env, bundle["id"], "deliver", env.clerk, {"mode": "window", "signed_by": "张伟"}, expect=409
    )
    assert early["code"] == "intake.bundle_not_ready"


async def test_who_sees_a_bundle_application(env: Env) -> None:
    await publish_bundle(env)
    bundle = await submit_bundle(env)
    _, stranger = env.person("王芳")
    assert (
        await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=stranger)
    ).status_code == 404
    assert (
        await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.citizen)
    ).status_code == 200
    mine = (await env.client.get("/v1/bundle-applications", headers=env.citizen)).json()
    assert [b["id"] for b in mine["items"]] == [bundle["id"]] and mine["total"] == 1
    theirs = (await env.client.get("/v1/bundle-applications", headers=stranger)).json()
    assert theirs["items"] == [] and theirs["total"] == 0
    # A department's staff see it through their case; a citizen may not accept it.
    seen = await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.staff("approver", MZJ))
    assert seen.status_code == 200 and seen.json()["allowed_actions"] == []
    refused = await env.client.post(
        f"/v1/bundle-applications/{bundle['id']}/accept", json={}, headers=env.citizen
    )
    assert refused.status_code == 403, refused.text


async def test_a_retried_submission_replays(env: Env) -> None:
    await publish_bundle(env)
    body = {
        "bundle_code": BUNDLE,
        "applicant": {"id": env.citizen_id, "name": "张伟", "phone": "13810000001"},
        "materials": materials_of(*ALL),
    }
    headers = {**env.clerk, "Idempotency-Key": "bundle-1"}
    first = await env.client.post("/v1/bundle-applications", json=body, headers=headers)
    again = await env.client.post("/v1/bundle-applications", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    other = await env.client.post("/v1/bundle-applications", json={**body, "form": {"x": 1}}, headers=headers)
    assert other.status_code == 422


async def test_a_later_stage_gets_its_whole_time_limit_from_when_it_begins(env: Env) -> None:
    await publish_bundle(env)
    bundle = await submit_bundle(env)
    accepted = await bundle_post(env, bundle["id"], "accept", env.clerk)
    first, food, _ = (c["application_id"] for c in accepted["cases"])
    before = (await env.client.get(f"/v1/applications/{food}", headers=env.clerk)).json()["due_on"]
    env.clock.set("2026-09-24")  # three working days later, the first stage is approved
    await env.post(first, "approve", env.approver, {"reasons": "符合设立条件"})
    after = (await env.client.get(f"/v1/applications/{food}", headers=env.clerk)).json()
    assert after["status"] == "under_review" and after["paused_working_days"] == 3
    assert after["due_on"] > before, (before, after["due_on"])
    trace = (await env.client.get(f"/v1/applications/{food}/trace", headers=env.clerk)).json()["items"]
    [handed] = [e for e in trace if e["action"] == "handed_over"]
    assert handed["data"]["waited_working_days"] == 3 and handed["data"]["due_on"] == after["due_on"]
