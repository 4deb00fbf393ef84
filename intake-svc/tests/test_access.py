"""Who may see and do what: another person's application answers 404 for reads and writes;
staff see their unit's cases; enterprise agents see their enterprise's with a covering grant."""

from __future__ import annotations

from intake_support import DISTRICT, Env

from intake.models.applications import Application


async def test_another_persons_application_does_not_exist_for_them(env: Env) -> None:
    pid, owner = env.person()
    application = await env.submit(owner, applicant={"name": "李娜"})
    _, stranger = env.person()
    for method, path in (
        ("GET", ""),
        ("GET", "/trace"),
        ("GET", "/trace/verify"),
        ("POST", "/withdraw"),
        ("POST", "/resubmit"),
    ):
        resp = await env.client.request(
            method,
            f"/v1/applications/{application['id']}{path}",
            headers=stranger,
            json={"materials": [{"name": "申请书"}]} if path == "/resubmit" else None,
        )
        assert resp.status_code == 404, (path, resp.text)
        assert resp.json()["code"] == "intake.application_not_found"
    missing = await env.client.get("/v1/applications/does-not-exist", headers=stranger)
    assert (
        missing.json()["detail"].replace("does-not-exist", application["id"])
        == (await env.client.get(f"/v1/applications/{application['id']}", headers=stranger)).json()["detail"]
    )
    listed = (await env.client.get("/v1/applications", headers=stranger)).json()
    assert listed["items"] == [] and listed["total"] == 0
    got = await env.client.get(f"/v1/applications/{application['id']}", headers=owner)
    assert got.status_code == 200 and got.json()["applicant_id"] == pid
    # Nothing was changed by the refused attempts.
    assert (
        got.json()["status"] == "submitted"
        and (await env.client.get(f"/v1/applications/{application['id']}/trace", headers=owner)).json()[
            "total"
        ]
        == 1
    )


async def test_staff_see_their_units_cases_only(env: Env) -> None:
    application = await env.submit()
    other_dept = env.staff("approver", f"{DISTRICT}-MZJ")
    street_clerk = env.staff("window_clerk", f"{DISTRICT}002-FWZX")
    for headers in (other_dept, street_clerk):
        assert (
            await env.client.get(f"/v1/applications/{application['id']}", headers=headers)
        ).status_code == 404
        resp = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=headers)
        assert resp.status_code == 404
    # The deciding department and the supervisor see it.
    for headers in (env.approver, env.supervisor):
        assert (
            await env.client.get(f"/v1/applications/{application['id']}", headers=headers)
        ).status_code == 200
    masked = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.supervisor)).json()
    assert masked["applicant_phone"] == "138****0001"
    # A department that does not own the item cannot decide even when it can see the case.
    await env.post(application["id"], "accept", env.clerk)
    await env.post(application["id"], "hand-over", env.clerk)
    resp = await env.client.post(f"/v1/applications/{application['id']}/approve", headers=env.admin)
    assert resp.status_code == 200


async def test_enterprise_agent_sees_enterprise_cases_within_scope(env: Env) -> None:
    application = await env.submit(enterprise_id=None)
    async with env.db.transaction() as session:
        row = await session.get(Application, application["id"])
        assert row is not None
        row.enterprise_id = "ent-1"
    agent = env.tokens.headers(
        subject="agent-9", act={"entity_id": "ent-1", "uscc": "x", "grant_id": "g", "scope": ["SCJ-0001"]}
    )
    other_scope = env.tokens.headers(
        subject="agent-8", act={"entity_id": "ent-1", "uscc": "x", "grant_id": "g", "scope": ["MZJ-0001"]}
    )
    assert (await env.client.get(f"/v1/applications/{application['id']}", headers=agent)).status_code == 200
    assert (
        await env.client.get(f"/v1/applications/{application['id']}", headers=other_scope)
    ).status_code == 404


async def test_a_supervisor_sees_a_case_but_does_not_hand_in_corrections_for_the_applicant(env: Env) -> None:
    """补正 is the applicant's act (or the window's, or a helper's, taking materials in for them):
    oversight sees every case but is refused the resubmission (issue 15, point 15 — before issue 14
    any staff member who saw the case could resubmit it)."""
    application = await env.submit(materials=[{"name": "申请书", "media": ["original"], "originals": 1}])
    await env.post(application["id"], "notice", env.clerk)
    seen = await env.client.get(f"/v1/applications/{application['id']}", headers=env.supervisor)
    assert seen.status_code == 200 and seen.json()["status"] == "correction_requested"
    assert "resubmit" not in seen.json()["allowed_actions"]
    materials = {
        "materials": [{"name": "营业执照", "media": ["original", "copy"], "originals": 1, "copies": 1}]
    }
    for action in ("resubmit", "deficiencies"):
        refused = await env.client.post(
            f"/v1/applications/{application['id']}/{action}", json=materials, headers=env.supervisor
        )
        assert refused.status_code == 403, (action, refused.text)
        assert refused.json()["code"] == "intake.role_required"
    after = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.citizen)).json()
    assert after["status"] == "correction_requested" and after["resubmissions"] == 0
    # The applicant herself hands them in.
    assert (await env.post(application["id"], "resubmit", env.citizen, materials))["status"] == "submitted"
