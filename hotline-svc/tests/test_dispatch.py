"""Dispatch: the catalogue by category × area, coordination when unclear, manual dispatch,
disputes (退单) within the window, re-dispatch, first receiver kept; units see only theirs."""

from __future__ import annotations

import httpx
from hotline_support import D, People, act, create

from hotline.config import Settings


async def test_rules_pick_the_most_specific_area(hl: httpx.AsyncClient, people: People) -> None:
    in_jianwai = await create(hl, people.agent, street_code=f"{D}002")
    assert in_jianwai["lead_unit_code"] == f"{D}002-FWZX"
    by_community = await create(hl, people.agent, street_code=None, community_code=f"{D}002001")
    assert by_community["street_code"] == f"{D}002" and by_community["lead_unit_code"] == f"{D}002-FWZX"
    water = await create(hl, people.agent, category_code="water", attributes={}, street_code=f"{D}003")
    assert water["lead_unit_code"] == f"{D}-ZJW"


async def test_unclear_responsibility_goes_to_the_district(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent, street_code=f"{D}003")  # no noise rule for 呼家楼
    assert t["coordination"] is True and t["lead_unit_code"] == Settings().coordination_unit


async def test_units_see_only_their_tickets_with_masked_phones(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent)
    centre = people.handler(f"{D}001-FWZX")
    seen = (await hl.get(f"/v1/tickets/{t['id']}", headers=centre)).json()
    assert seen["caller_phone"] == "138****5678" and seen["contacts"][0]["phone"] == "138****5678"
    co = (await hl.get(f"/v1/tickets/{t['id']}", headers=people.handler(f"{D}-SCJGJ"))).json()
    assert co["caller_phone"] == "138****5678"
    stranger = await hl.get(f"/v1/tickets/{t['id']}", headers=people.handler(f"{D}002-FWZX"))
    assert stranger.status_code == 404
    assert (await hl.get("/v1/tickets", headers=people.handler(f"{D}002-FWZX"))).json()["total"] == 0
    assert (await hl.get("/v1/tickets", headers=centre)).json()["total"] == 1
    # A co-handler may not act as the lead.
    resp = await act(hl, t["id"], "respond", people.handler(f"{D}-SCJGJ"), {}, expect=403)
    assert resp["code"] == "hotline.not_your_ticket"


async def test_dispute_then_redispatch_keeps_the_first_receiver(
    hl: httpx.AsyncClient, people: People
) -> None:
    t = await create(hl, people.agent)
    centre = people.handler(f"{D}001-FWZX")
    short = await act(hl, t["id"], "return", centre, {"reason": ""}, expect=422)
    assert short["errors"][0]["field"] == "body.reason"
    back = await act(
        hl,
        t["id"],
        "return",
        centre,
        {"reason": "属于市场监管职责，非街道事权", "suggested_unit_code": f"{D}-SCJGJ"},
    )
    assert back["status"] == "returned"
    # Only dispatchers dispatch.
    assert (await act(hl, t["id"], "dispatch", people.agent, {"unit_code": f"{D}-SCJGJ"}, expect=403))[
        "code"
    ] == "auth.role_required"
    bad = await act(hl, t["id"], "dispatch", people.dispatcher, {"unit_code": "110105-NOPE"}, expect=422)
    assert bad["code"] == "hotline.unknown_unit"
    again = await act(
        hl, t["id"], "dispatch", people.dispatcher, {"unit_code": f"{D}-SCJGJ", "note": "改派市场监管局"}
    )
    assert again["status"] == "dispatched" and again["lead_unit_code"] == f"{D}-SCJGJ"
    assert again["first_unit_code"] == f"{D}001-FWZX"
    assert [d["unit_code"] for d in again["dispatches"] if d["role"] == "lead"] == [
        f"{D}001-FWZX",
        f"{D}-SCJGJ",
    ]
    assert again["dispatches"][0]["return_reason"] == "属于市场监管职责，非街道事权"
    # The first receiver still sees it; the old lead can no longer act on it.
    assert (await hl.get(f"/v1/tickets/{t['id']}", headers=centre)).status_code == 200
    assert (await act(hl, t["id"], "respond", centre, {}, expect=403))["code"] == "hotline.not_your_ticket"
    await act(hl, t["id"], "respond", people.handler(f"{D}-SCJGJ"), {"note": "已联系"})


async def test_dispute_after_the_window_is_refused(app, hl: httpx.AsyncClient, people: People) -> None:  # type: ignore[no-untyped-def]
    app.state.settings.dispute_window_hours = 0.0001  # closes within a second
    t = await create(hl, people.agent)
    import asyncio

    await asyncio.sleep(0.5)
    resp = await act(
        hl, t["id"], "return", people.handler(f"{D}001-FWZX"), {"reason": "不是我们的"}, expect=409
    )
    assert resp["code"] == "hotline.dispute_window_closed"
    assert "（北京时间）截止" in resp["detail"] and "请本单位继续办理" in resp["detail"]


async def test_manual_dispatch_of_an_unclassified_ticket(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent, category_code=None, attributes={})
    assert t["status"] == "registered" and t["time_limit_rule"] == "general"
    resp = await act(hl, t["id"], "dispatch", people.dispatcher, {}, expect=409)
    assert resp["code"] == "hotline.category_required"
    done = await act(hl, t["id"], "dispatch", people.dispatcher, {"category_code": "water", "complex": False})
    assert done["lead_unit_code"] == f"{D}-ZJW" and done["time_limit_rule"] == "utilities"


async def test_dispatch_catalogue_is_editable_by_dispatchers(hl: httpx.AsyncClient, people: People) -> None:
    rule = {
        "category_code": "noise",
        "area_code": f"{D}003",
        "lead_unit_code": f"{D}003-FWZX",
        "co_unit_codes": [],
    }
    created = await hl.post("/v1/dispatch-rules", json=rule, headers=people.dispatcher)
    assert created.status_code == 201, created.text
    dup = await hl.post("/v1/dispatch-rules", json=rule, headers=people.dispatcher)
    assert dup.status_code == 409 and dup.json()["code"] == "hotline.rule_exists"
    assert (
        await hl.post("/v1/dispatch-rules", json=rule, headers=people.handler(f"{D}003-FWZX"))
    ).status_code == 403
    bad = await hl.post(
        "/v1/dispatch-rules", json={**rule, "area_code": "110105777"}, headers=people.dispatcher
    )
    assert bad.status_code == 422 and bad.json()["code"] == "hotline.unknown_area"
    t = await create(hl, people.agent, street_code=f"{D}003")
    assert t["lead_unit_code"] == f"{D}003-FWZX" and not t["coordination"]
    rid = created.json()["id"]
    assert (await hl.delete(f"/v1/dispatch-rules/{rid}", headers=people.dispatcher)).status_code == 204
    assert (await hl.delete(f"/v1/dispatch-rules/{rid}", headers=people.dispatcher)).status_code == 404


async def test_tokens_naming_the_unit_by_id_work_like_codes(hl: httpx.AsyncClient, people: People) -> None:
    """identity-svc's tokens carry the unit's id; hotline resolves it through its org read model."""
    from hotline_support import IDS

    t = await create(hl, people.agent)
    by_id = people.staff("handler", IDS[f"{D}001-FWZX"], "handler-by-id")
    seen = await hl.get(f"/v1/tickets/{t['id']}", headers=by_id)
    assert seen.status_code == 200 and seen.json()["caller_phone"] == "138****5678"
    await act(hl, t["id"], "respond", by_id, {})
    other = people.staff("handler", IDS[f"{D}002-FWZX"], "other-by-id")
    assert (await hl.get(f"/v1/tickets/{t['id']}", headers=other)).status_code == 404
