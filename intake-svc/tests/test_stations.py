"""Issue 14, point 10: the community kinds act at a community service station (社区服务站).

The station accepts its 受理类 items under its street centre's agreement (the centre itself being
entrusted by the department), and signs the acceptance notice as entrusted; it may not decide
acceptance of a 咨询预审类 item — it pre-reviews it and hands it to the centre, which accepts —
nor of a 代收代办类 one, which it files as an assisted application that goes to the centre at once.
"""

from __future__ import annotations

from typing import Any

from intake_support import DISTRICT, Env, elements, material

STATION = f"{DISTRICT}001001-FWZ"
CENTRE = f"{DISTRICT}001-FWZX"
OWNER = f"{DISTRICT}-MZJ"
ITEMS = {
    "MZJ-GL01": ("高龄老年人津贴", "accept"),
    "MZJ-KN02": ("对享受城市居民生活困难补助人员进行确认", "enquiry_prereview"),
    "MZJ-SZ03": ("为北京市城乡无丧葬补助居民发放丧葬补贴", "collect_forward"),
}
MATERIALS = [{"name": "申请表", "media": ["original"], "originals": 1}]


async def _setup(env: Env, *, station_agreement: bool = True) -> None:
    for code, (name, kind) in ITEMS.items():
        doc = elements(name, OWNER, materials=[material("申请表")], community_kind=kind)
        await env.publish_item(code, doc)
    agreements = [(OWNER, CENTRE, "朝民委受〔2026〕1号")]
    if station_agreement:
        agreements.append((CENTRE, STATION, "朝外街道社委受〔2026〕1号"))
    for entrusting, entrusted, reference in agreements:
        resp = await env.client.post(
            "/v1/entrustments",
            headers=env.admin,
            json={
                "entrusting_unit_code": entrusting,
                "entrusted_unit_code": entrusted,
                "item_codes": ["*"],
                "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
                "reference": reference,
            },
        )
        assert resp.status_code == 201, resp.text


async def _file(env: Env, headers: dict[str, str], code: str) -> dict[str, Any]:
    return await env.submit(headers, item_code=code, materials=MATERIALS)


async def test_a_station_accepts_its_accept_item_under_the_centres_agreement(env: Env) -> None:
    await _setup(env)
    station = env.staff("window_clerk", STATION)
    application = await _file(env, station, "MZJ-GL01")
    assert application["intake_unit_code"] == STATION and application["forwarded_to_unit_code"] is None
    assert {"accept", "issue_notice", "refuse_acceptance"} <= set(application["allowed_actions"])
    assert "prereview" not in application["allowed_actions"]
    accepted = await env.post(application["id"], "accept", station)
    assert accepted["status"] == "accepted" and accepted["accepting_unit_code"] == STATION
    # The notice is the station's, accepting for the centre that entrusted it.
    [notice] = [n for n in accepted["notices"] if n["kind"] == "acceptance"]
    page = await env.client.get(notice["html_url"], headers=station)
    # A printable page runs nothing and is framed by no one (issue 15, point 16).
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert "朝外街道吉祥里社区服务站" in html and "受北京市朝阳区朝外街道政务服务中心委托" in html


async def test_without_the_centres_agreement_the_station_accepts_nothing(env: Env) -> None:
    await _setup(env, station_agreement=False)
    station = env.staff("window_clerk", STATION)
    application = await _file(env, station, "MZJ-GL01")
    assert application["allowed_actions"] == ["withdraw"]
    resp = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=station)
    assert resp.status_code == 403 and resp.json()["code"] == "intake.not_entrusted"


async def test_a_station_pre_reviews_and_the_centre_accepts(env: Env) -> None:
    await _setup(env)
    station = env.staff("window_clerk", STATION)
    centre = env.staff("window_clerk", CENTRE)
    application = await _file(env, station, "MZJ-KN02")
    assert "accept" not in application["allowed_actions"] and "prereview" in application["allowed_actions"]
    refused = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=station)
    assert refused.status_code == 403
    problem = refused.json()
    assert problem["code"] == "intake.station_may_not_accept" and "咨询预审" in problem["detail"]
    # Not yet the centre's: the station has not handed it over.
    assert (await env.client.get(f"/v1/applications/{application['id']}", headers=centre)).status_code == 404

    opinion = "材料齐全，收入情况已初核，建议受理。"
    reviewed = await env.post(application["id"], "prereview", station, {"opinion": opinion})
    assert reviewed["status"] == "submitted" and reviewed["forwarded_to_unit_code"] == CENTRE
    assert reviewed["prereview_opinion"] == opinion
    assert "prereview" not in reviewed["allowed_actions"]
    again = await env.client.post(
        f"/v1/applications/{application['id']}/prereview", json={"opinion": "再审"}, headers=station
    )
    assert again.status_code == 403 and again.json()["code"] == "intake.not_for_prereview"

    # The centre sees it with the opinion, and accepts under the department's agreement.
    seen = (await env.client.get(f"/v1/applications/{application['id']}", headers=centre)).json()
    assert "accept" in seen["allowed_actions"] and "prereview" not in seen["allowed_actions"]
    accepted = await env.post(application["id"], "accept", centre)
    assert accepted["accepting_unit_code"] == CENTRE
    trace = (
        await env.client.get(f"/v1/applications/{application['id']}/trace", headers=env.supervisor)
    ).json()
    actions = [e["action"] for e in trace["items"]]
    assert actions[:3] == ["submitted", "prereviewed", "accepted"]


async def test_only_a_station_pre_reviews_and_only_a_prereview_item(env: Env) -> None:
    await _setup(env)
    station = env.staff("window_clerk", STATION)
    centre = env.staff("window_clerk", CENTRE)
    accept_item = await _file(env, station, "MZJ-GL01")
    resp = await env.client.post(
        f"/v1/applications/{accept_item['id']}/prereview", json={"opinion": "预审"}, headers=station
    )
    assert resp.status_code == 403 and "不是咨询预审类" in resp.json()["detail"]
    at_centre = await _file(env, centre, "MZJ-KN02")
    assert "prereview" not in at_centre["allowed_actions"]
    resp = await env.client.post(
        f"/v1/applications/{at_centre['id']}/prereview", json={"opinion": "预审"}, headers=centre
    )
    assert resp.status_code == 403 and resp.json()["code"] == "intake.not_for_prereview"
    empty = await env.client.post(
        f"/v1/applications/{at_centre['id']}/prereview", json={"opinion": ""}, headers=centre
    )
    assert empty.status_code == 422


async def test_a_collected_item_is_filed_as_assisted_and_goes_to_the_centre(env: Env) -> None:
    await _setup(env)
    station = env.staff("window_clerk", STATION)
    centre = env.staff("window_clerk", CENTRE)
    application = await _file(env, station, "MZJ-SZ03")
    assert application["representation"] == "assisted" and application["assisted_by"] is not None
    assert application["forwarded_to_unit_code"] == CENTRE and application["forwarded_at"] is not None
    assert not {"accept", "issue_notice", "refuse_acceptance", "prereview"} & set(
        application["allowed_actions"]
    )
    refused = await env.client.post(f"/v1/applications/{application['id']}/accept", headers=station)
    assert refused.status_code == 403 and "代收代办" in refused.json()["detail"]
    accepted = await env.post(application["id"], "accept", centre)
    assert accepted["status"] == "accepted" and accepted["accepting_unit_code"] == CENTRE
    # The station still follows what it collected.
    assert (await env.client.get(f"/v1/applications/{application['id']}", headers=station)).status_code == 200
