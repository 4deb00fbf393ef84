"""Likely duplicates (疑似重复件): what an agent sees before merging repeated calls about one problem."""

from __future__ import annotations

import httpx
from hotline_support import D, People, act, create


async def _duplicates(
    hl: httpx.AsyncClient, ticket_id: str, headers: dict[str, str], **params: object
) -> dict:
    resp = await hl.get(f"/v1/tickets/{ticket_id}/duplicates", params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def test_a_repeated_call_about_the_same_site_comes_first(hl: httpx.AsyncClient, people: People) -> None:
    first = await create(hl, people.agent)
    # Another neighbour, same building, the same noise in other words.
    again = await create(
        hl,
        people.agent,
        caller_name="李先生",
        caller_phone="13900001111",
        title="工地夜间施工太吵",
        description="吉祥里小区旁边的工地晚上十一点以后还在施工，噪声很大，没法睡觉。",
    )
    # Same street and category, another place and another complaint.
    other = await create(
        hl,
        people.agent,
        caller_phone="13900002222",
        title="广场舞音响声音过大",
        description="团结湖公园每天早上六点有人放音响跳舞。",
        address="朝阳区团结湖公园",
    )
    # Another street, another category: not even a candidate.
    water = await create(
        hl,
        people.agent,
        category_code="water",
        attributes={},
        title="停水",
        description="家里停水两天了。",
        address="朝阳区建外SOHO",
        street_code=f"{D}002",
        caller_phone="13900003333",
    )
    page = await _duplicates(hl, again["id"], people.agent)
    numbers = [d["number"] for d in page["items"]]
    assert numbers[0] == first["number"], page
    assert water["number"] not in numbers and again["number"] not in numbers
    best = page["items"][0]
    assert {"similar_text", "same_address", "same_category", "same_street"} <= set(best["reasons"])
    assert "same_caller" not in best["reasons"]
    assert best["score"] > 0.5 and best["caller_phone"] == "13812345678"
    weaker = [d for d in page["items"] if d["number"] == other["number"]]
    assert not weaker or weaker[0]["score"] < best["score"]
    assert page["total"] == len(page["items"]) and page["offset"] == 0
    one = await _duplicates(hl, again["id"], people.agent, limit=1)
    assert [d["number"] for d in one["items"]] == [first["number"]] and one["total"] == page["total"]


async def test_a_merged_ticket_is_no_longer_offered(hl: httpx.AsyncClient, people: People) -> None:
    first = await create(hl, people.agent)
    again = await create(hl, people.agent, caller_phone="13900001111")
    assert [d["id"] for d in (await _duplicates(hl, first["id"], people.dispatcher))["items"]] == [
        again["id"]
    ]
    await act(hl, again["id"], "merge", people.agent, {"into_ticket_id": first["id"], "note": "同一工地"})
    assert (await _duplicates(hl, first["id"], people.agent))["items"] == []


async def test_only_the_hotline_looks_for_duplicates(hl: httpx.AsyncClient, people: People) -> None:
    mine = await create(hl, people.citizen, channel="web")
    await create(hl, people.agent)
    resp = await hl.get(f"/v1/tickets/{mine['id']}/duplicates", headers=people.citizen)
    assert resp.status_code == 403 and resp.json()["code"] == "auth.role_required"
    assert "热线" in resp.json()["detail"] or "话务" in resp.json()["detail"]
    handler = people.handler(f"{D}001-FWZX")
    resp = await hl.get(f"/v1/tickets/{mine['id']}/duplicates", headers=handler)
    assert resp.status_code in (403, 404)
    resp = await hl.get("/v1/tickets/00000000-0000-0000-0000-000000000000/duplicates", headers=people.agent)
    assert resp.status_code == 404 and resp.json()["code"] == "hotline.ticket_not_found"
    resp = await hl.get(f"/v1/tickets/{mine['id']}/duplicates?limit=500", headers=people.agent)
    assert resp.status_code == 422


async def test_the_list_finds_a_ticket_by_number_words_or_the_callers_phone(
    hl: httpx.AsyncClient, people: People
) -> None:
    noise = await create(hl, people.agent)
    water = await create(
        hl,
        people.agent,
        category_code="water",
        attributes={},
        title="停水",
        description="家里停水两天了。",
        caller_phone="13900003333",
        address="朝阳区建外SOHO",
        street_code=f"{D}002",
    )

    async def found(q: str, headers: dict[str, str]) -> list[str]:
        resp = await hl.get("/v1/tickets", params={"q": q}, headers=headers)
        assert resp.status_code == 200, resp.text
        return [t["number"] for t in resp.json()["items"]]

    assert await found(water["number"], people.agent) == [water["number"]]
    assert await found("施工", people.agent) == [noise["number"]]
    assert await found("建外SOHO", people.agent) == [water["number"]]
    assert await found("13900003333", people.agent) == [water["number"]]
    assert await found("100%", people.agent) == []  # a wildcard is a character, not "anything"
    # Units see phones masked: a phone does not find tickets for them.
    assert await found("13812345678", people.handler(f"{D}001-FWZX")) == []
    assert await found("施工", people.handler(f"{D}001-FWZX")) == [noise["number"]]
    resp = await hl.get("/v1/tickets", params={"q": "x"}, headers=people.agent)
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "query.q"
