"""One window and entrusted intake (委托受理): any window of the district centre accepts any item;
a street centre accepts only under a valid agreement covering the item; outside it, refused."""

from __future__ import annotations

from intake_support import DISTRICT, Env

STREET = f"{DISTRICT}001-FWZX"
OWNER = f"{DISTRICT}-SCJGJ"


async def test_street_centre_accepts_only_under_an_agreement(env: Env) -> None:
    street_clerk = env.staff("window_clerk", STREET)
    application = await env.submit(street_clerk)
    assert application["intake_unit_code"] == STREET
    resp = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=street_clerk)
    assert resp.status_code == 403 and resp.json()["code"] == "intake.not_entrusted"
    # Only the entrusting unit's approver (or an admin) records the agreement.
    body = {
        "entrusting_unit_code": OWNER,
        "entrusted_unit_code": STREET,
        "item_codes": ["SCJ-0001"],
        "valid_from": "2026-09-01",
        "valid_until": "2026-12-31",
        "reference": "朝市监委〔2026〕1号",
    }
    other = env.staff("approver", f"{DISTRICT}-MZJ")
    assert (await env.client.post("/v1/entrustments", json=body, headers=other)).status_code == 403
    bad = await env.client.post(
        "/v1/entrustments", json={**body, "valid_until": "2026-08-01"}, headers=env.approver
    )
    assert bad.status_code == 422 and bad.json()["code"] == "intake.entrustment_invalid"
    expired = await env.client.post(
        "/v1/entrustments", json={**body, "valid_until": "2026-09-20"}, headers=env.approver
    )
    assert expired.status_code == 201
    resp = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=street_clerk)
    assert resp.status_code == 403  # that agreement ended yesterday
    agreement = await env.client.post("/v1/entrustments", json=body, headers=env.approver)
    assert agreement.status_code == 201
    application = await env.post(application["id"], "accept", street_clerk)
    assert application["status"] == "accepted" and application["entrustment_id"] == agreement.json()["id"]
    assert application["accepting_unit_code"] == STREET
    listed = await env.client.get("/v1/entrustments", headers=street_clerk)
    assert {a["id"] for a in listed.json()["items"]} == {agreement.json()["id"], expired.json()["id"]}
    # The deciding unit sees the entrusted case; another street centre does not.
    assert (
        await env.client.get(f"/v1/applications/{application['id']}", headers=env.approver)
    ).status_code == 200
    other_street = env.staff("window_clerk", f"{DISTRICT}002-FWZX")
    assert (
        await env.client.get(f"/v1/applications/{application['id']}", headers=other_street)
    ).status_code == 404
    # Revoked: no more acceptances under it.
    await env.client.post(f"/v1/entrustments/{agreement.json()['id']}/revoke", headers=env.admin)
    second = await env.submit(street_clerk)
    resp = await env.client.post(f"/v1/applications/{second['id']}/accept", headers=street_clerk)
    assert resp.status_code == 403


async def test_district_centre_window_accepts_any_item(env: Env) -> None:
    application = await env.submit()
    application = await env.post(application["id"], "accept", env.clerk)
    assert (
        application["entrustment_id"] is None and application["accepting_unit_code"] == f"{DISTRICT}-ZWFW-W01"
    )
