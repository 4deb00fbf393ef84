"""Tickets: registration by agents and citizens, bad input, who sees what, diversion, merging,
the lifecycle's 409s."""

from __future__ import annotations

import httpx
from hotline_support import D, People, act, create, ticket_body


async def test_agent_registers_a_phone_ticket_dispatched_at_once(
    hl: httpx.AsyncClient, people: People
) -> None:
    t = await create(hl, people.agent)
    assert t["number"] and t["channel"] == "phone" and t["request_type"] == "complaint"
    assert t["status"] == "dispatched"
    assert t["lead_unit_code"] == f"{D}001-FWZX" and t["co_unit_codes"] == [f"{D}-SCJGJ"]
    assert t["first_unit_code"] == f"{D}001-FWZX"
    assert t["time_limit_rule"] == "general" and t["due_at"] is not None
    assert t["caller_phone"] == "13812345678"  # the hotline sees it whole
    assert t["contacts"][0]["phone"] == "13812345678"
    history = (await hl.get(f"/v1/tickets/{t['id']}/history", headers=people.agent)).json()
    assert [h["action"] for h in history["items"]] == ["create", "dispatch"] and history["total"] == 2


async def test_urgent_and_utility_tickets_get_their_time_limits(
    hl: httpx.AsyncClient, people: People
) -> None:
    urgent = await create(hl, people.agent, urgent=True)
    water = await create(hl, people.agent, category_code="water", attributes={})
    assert urgent["time_limit_rule"] == "urgent"
    assert water["time_limit_rule"] == "utilities"
    from datetime import datetime

    span = datetime.fromisoformat(urgent["due_at"]) - datetime.fromisoformat(urgent["created_at"])
    assert span.total_seconds() == 2 * 3600
    span = datetime.fromisoformat(water["due_at"]) - datetime.fromisoformat(water["created_at"])
    assert span.total_seconds() == 24 * 3600


async def test_citizen_submits_on_the_web_and_sees_only_their_own(
    hl: httpx.AsyncClient, people: People
) -> None:
    mine = await create(hl, people.citizen, channel="web")
    assert mine["channel"] == "web"
    resp = await hl.post("/v1/tickets", json=ticket_body(channel="phone"), headers=people.citizen)
    assert resp.status_code == 422 and resp.json()["code"] == "hotline.invalid_channel"
    assert (await hl.get(f"/v1/tickets/{mine['id']}", headers=people.citizen)).status_code == 200
    other = await hl.get(f"/v1/tickets/{mine['id']}", headers=people.other_citizen)
    assert other.status_code == 404 and other.json()["code"] == "hotline.ticket_not_found"
    listing = (await hl.get("/v1/tickets", headers=people.other_citizen)).json()
    assert listing["total"] == 0
    assert (await hl.get("/v1/tickets", headers=people.citizen)).json()["total"] == 1


async def test_bad_input_is_a_precise_4xx_and_writes_nothing(hl: httpx.AsyncClient, people: People) -> None:
    resp = await hl.post(
        "/v1/tickets",
        json=ticket_body(request_type="rant", caller_phone="abc", lat=39.9, title=""),
        headers=people.agent,
    )
    assert resp.status_code == 422
    fields = {e["field"] for e in resp.json()["errors"]}
    assert {"body.request_type", "body.caller_phone", "body.title"} <= fields
    resp = await hl.post("/v1/tickets", json=ticket_body(category_code="nope"), headers=people.agent)
    assert resp.status_code == 422 and resp.json()["code"] == "hotline.unknown_category"
    resp = await hl.post("/v1/tickets", json=ticket_body(street_code="110105999"), headers=people.agent)
    assert resp.status_code == 422 and resp.json()["code"] == "hotline.unknown_area"
    resp = await hl.post(
        "/v1/tickets", json=ticket_body(attributes={"noise_period": "noon", "x": 1}), headers=people.agent
    )
    assert resp.status_code == 422 and resp.json()["code"] == "hotline.invalid_attributes"
    assert len(resp.json()["errors"]) == 2
    resp = await hl.post(
        "/v1/tickets",
        json=ticket_body(community_code=f"{D}002001", street_code=f"{D}001"),
        headers=people.agent,
    )
    assert resp.status_code == 422
    assert (await hl.get("/v1/tickets", headers=people.agent)).json()["total"] == 0


async def test_staff_without_a_hotline_role_cannot_register(hl: httpx.AsyncClient, people: People) -> None:
    resp = await hl.post(
        "/v1/tickets", json=ticket_body(), headers=people.staff("window_clerk", f"{D}-ZWFW-W01")
    )
    assert resp.status_code == 403
    assert (await hl.post("/v1/tickets", json=ticket_body())).status_code == 401


async def test_diversion_closes_with_the_reason(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent, request_type="help", category_code=None, attributes={})
    assert t["status"] == "registered"
    done = await act(hl, t["id"], "divert", people.agent, {"reason": "emergency", "note": "已告知拨打119"})
    assert (
        done["status"] == "closed"
        and done["close_reason"] == "diverted"
        and done["diversion_reason"] == "emergency"
    )
    again = await act(hl, t["id"], "divert", people.agent, {"reason": "repeat", "note": "重复"}, expect=409)
    assert again["code"] == "hotline.invalid_transition" and again["status_now"] == "closed"
    assert "closed" in again["detail"]
    bad = await act(hl, t["id"], "divert", people.agent, {"reason": "boredom", "note": "x"}, expect=422)
    assert bad["errors"][0]["field"] == "body.reason"


async def test_merge_keeps_every_caller_informed(hl: httpx.AsyncClient, people: People) -> None:
    first = await create(hl, people.agent)
    dup = await create(hl, people.citizen, channel="mobile", caller_name="李先生", caller_phone="13900001111")
    merged = await act(hl, dup["id"], "merge", people.agent, {"into_ticket_id": first["id"]})
    assert merged["status"] == "merged" and merged["merged_into_number"] == first["number"]
    primary = (await hl.get(f"/v1/tickets/{first['id']}", headers=people.agent)).json()
    assert {c["phone"] for c in primary["contacts"]} == {"13812345678", "13900001111"}
    # The primary's reply reaches the duplicate's caller.
    unit = people.handler(f"{D}001-FWZX")
    await act(hl, first["id"], "respond", unit, {"note": "已电话联系"})
    await act(hl, first["id"], "reply", unit, {"reply": "已责令工地夜间停工。"})
    seen = (await hl.get(f"/v1/tickets/{dup['id']}", headers=people.citizen)).json()
    assert seen["reply"] == "已责令工地夜间停工。"
    # Merging into itself or into a finished ticket is refused.
    other = await create(hl, people.agent)
    assert (await act(hl, other["id"], "merge", people.agent, {"into_ticket_id": other["id"]}, expect=409))[
        "code"
    ] == "hotline.merge_invalid"
    assert (await act(hl, other["id"], "merge", people.agent, {"into_ticket_id": dup["id"]}, expect=409))[
        "code"
    ] == "hotline.merge_invalid"


async def test_the_lifecycle_names_the_state_on_409(hl: httpx.AsyncClient, people: People) -> None:
    t = await create(hl, people.agent)
    resp = await act(
        hl, t["id"], "call-back", people.agent, {"resolved": True, "satisfaction": "satisfied"}, expect=409
    )
    assert resp["status_now"] == "dispatched"
    assert "respond" in resp["allowed_actions"] and "dispatched" in resp["detail"]
    resp = await act(hl, t["id"], "close", people.supervisor, {}, expect=409)
    assert resp["code"] == "hotline.invalid_transition"


async def test_numbers_in_the_text_are_masked_for_the_unit_like_the_phone(
    hl: httpx.AsyncClient, people: People
) -> None:
    """Issue 15, point 13: the structured phone was masked for the handling unit, but a phone and a
    resident ID typed into the description reached it in clear."""
    t = await create(
        hl,
        people.agent,
        title="噪音投诉 回电13812345678",
        description="来电人王芳（身份证110105197809250261，手机138-1000-0003）反映夜间施工。",
    )
    unit = (await hl.get(f"/v1/tickets/{t['id']}", headers=people.handler(f"{D}001-FWZX"))).json()
    assert unit["title"] == "噪音投诉 回电138****5678"
    assert unit["description"] == "来电人王芳（身份证110105********0261，手机138****0003）反映夜间施工。"
    agent = (await hl.get(f"/v1/tickets/{t['id']}", headers=people.agent)).json()
    assert "110105197809250261" in agent["description"] and "13812345678" in agent["title"]
