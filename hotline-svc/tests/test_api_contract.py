"""The API contract of docs/api.md, on hotline-svc: every collection a page (limit capped at 200,
never silently), closed sets as enums (an unknown value is a 422 naming the allowed ones), a
Location on every 201 that works through the gateway, days as from/to, any month answered, and
problems in Chinese (English on request). Every answer is checked against the service's own
OpenAPI document."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import jsonschema
from hotline_support import D, People, act, create, ticket_body

from yiwang_shared.calendar import local_date
from yiwang_shared.orm import utcnow

DIBAO = {
    "question": "最低生活保障怎么申请？",
    "answer": "户籍在本区、家庭人均收入低于本市低保标准的居民，可向街道社会保障事务所申请。",
    "keywords": ["低保", "最低生活保障"],
    "owner_unit_code": f"{D}-MZJ",
}


def _documented(doc: dict[str, Any], method: str, path: str, resp: httpx.Response) -> None:
    """`resp` is what the document promises for that operation and status."""
    answer = doc["paths"][path][method]["responses"][str(resp.status_code)]
    media = resp.headers["content-type"].split(";")[0]
    schema = answer["content"][media]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": doc["components"]}).validate(resp.json())


async def _publish(hl: httpx.AsyncClient, people: People, body: dict[str, Any]) -> dict[str, Any]:
    entry = (await hl.post("/v1/kb/entries", json=body, headers=people.agent)).json()
    await hl.post(f"/v1/kb/entries/{entry['id']}/submit", headers=people.agent)
    approved = await hl.post(f"/v1/kb/entries/{entry['id']}/approve", json={}, headers=people.supervisor)
    assert approved.status_code == 200, approved.text
    return approved.json()  # type: ignore[no-any-return]


async def test_every_collection_is_one_page_shape(hl: httpx.AsyncClient, people: People) -> None:
    doc = (await hl.get("/openapi.json")).json()
    t = await create(hl, people.agent)
    await create(hl, people.agent)
    await _publish(hl, people, DIBAO)
    enquiry = await create(hl, people.agent, request_type="enquiry", category_code=None, attributes={})
    hit = (await hl.get("/v1/kb/search", params={"q": "低保"}, headers=people.agent)).json()["items"][0]
    await act(hl, enquiry["id"], "answer", people.agent, {"kb_entry_id": hit["id"]})
    # A response made counts in the month it was due: the unit and its street have rates then.
    await act(hl, t["id"], "respond", people.handler(f"{D}001-FWZX"), {})
    month = local_date(datetime.fromisoformat(t["response_due_at"])).strftime("%Y-%m")
    collections = [
        ("/v1/tickets", {}, people.agent),
        ("/v1/tickets/{ticket_id}/history", {}, people.agent),
        ("/v1/categories", {}, {}),
        ("/v1/dispatch-rules", {}, people.dispatcher),
        ("/v1/time-limit-rules", {}, {}),
        ("/v1/rates", {"month": month}, people.supervisor),
        ("/v1/rankings", {"month": month, "kind": "street"}, people.supervisor),
        ("/v1/kb/search", {"q": "低保"}, people.agent),
        ("/v1/kb/usage", {}, people.supervisor),
    ]
    for path, params, headers in collections:
        url = path.replace("{ticket_id}", t["id"])
        whole = await hl.get(url, params=params, headers=headers)
        assert whole.status_code == 200, (path, whole.text)
        _documented(doc, "get", path, whole)
        page = whole.json()
        assert (page["limit"], page["offset"]) == (50, 0), path
        assert page["total"] == len(page["items"]) >= 1, path
        one = (await hl.get(url, params={**params, "limit": 1, "offset": 1}, headers=headers)).json()
        assert one["total"] == page["total"] and one["items"] == page["items"][1:2], path
        too_many = await hl.get(url, params={**params, "limit": 201}, headers=headers)
        assert too_many.status_code == 422, path
        assert too_many.json()["errors"] == [
            {"field": "query.limit", "message": "应不大于 200", "type": "less_than_equal"}
        ]
    schemas = doc["components"]["schemas"]
    assert not [n for n in schemas if n.endswith(("View", "In", "Out", "Body"))]
    for name in ("TicketPage", "HistoryEntryPage", "CategoryPage", "KbHitPage", "RankingPage", "KbUsagePage"):
        assert {"items", "total", "limit", "offset"} <= set(schemas[name]["required"]), name


async def test_kb_search_counts_every_match(hl: httpx.AsyncClient, people: People) -> None:
    for n in range(3):
        await _publish(hl, people, {**DIBAO, "question": f"低保问题{n}怎么办理？"})
    page = (await hl.get("/v1/kb/search", params={"q": "低保", "limit": 2}, headers=people.agent)).json()
    assert (len(page["items"]), page["total"], page["query"]) == (2, 3, "低保")
    rest = (
        await hl.get("/v1/kb/search", params={"q": "低保", "limit": 2, "offset": 2}, headers=people.agent)
    ).json()
    assert (len(rest["items"]), rest["total"]) == (1, 3)
    assert {h["id"] for h in page["items"]}.isdisjoint(h["id"] for h in rest["items"])
    past = (await hl.get("/v1/kb/search", params={"q": "低保", "offset": 10}, headers=people.agent)).json()
    assert (past["items"], past["total"]) == ([], 3)


async def test_unknown_values_are_refused_naming_the_allowed_ones(
    hl: httpx.AsyncClient, people: People
) -> None:
    doc = (await hl.get("/openapi.json")).json()
    listed = {p["name"]: p for p in doc["paths"]["/v1/tickets"]["get"]["parameters"]}
    assert "flying" not in listed["status"]["schema"]["anyOf"][0]["enum"]
    flying = await hl.get("/v1/tickets", params={"status": "flying"}, headers=people.agent)
    assert flying.status_code == 422
    [error] = flying.json()["errors"]
    assert error["field"] == "query.status" and error["message"].startswith("应为以下之一：'registered'")
    assert (
        await hl.get("/v1/tickets", params={"request_type": "rant"}, headers=people.agent)
    ).status_code == 422
    city = await hl.get(
        "/v1/rankings", params={"month": "2026-11", "kind": "city"}, headers=people.supervisor
    )
    assert city.json()["errors"][0]["field"] == "query.kind"
    bad_month = await hl.get("/v1/rates", params={"month": "2026-13"}, headers=people.supervisor)
    assert bad_month.json()["errors"][0]["field"] == "query.month"
    # Open311 and evaluation's transfers are the service's own channels: nobody registers on them.
    via = await hl.post(
        "/v1/tickets",
        json={
            "request_type": "complaint",
            "channel": "open311",
            "title": "噪声",
            "description": "夜间施工",
        },
        headers=people.agent,
    )
    assert via.status_code == 422
    assert via.json()["errors"][0]["field"] == "body.channel"
    assert "'window'" in via.json()["errors"][0]["message"]
    t = await create(hl, people.agent)
    read = await hl.get(f"/v1/tickets/{t['id']}", headers=people.agent)
    _documented(doc, "get", "/v1/tickets/{ticket_id}", read)
    ticket = doc["components"]["schemas"]["TicketRead"]["properties"]
    assert "dispatched" in ticket["status"]["enum"] and "bad_review" in ticket["channel"]["enum"]


async def test_every_201_has_a_location_that_works_through_the_gateway(
    hl: httpx.AsyncClient, people: People
) -> None:
    doc = (await hl.get("/openapi.json")).json()
    through = {"X-Forwarded-Prefix": "/api/hotline"}
    t = await hl.post(
        "/v1/tickets",
        json={"request_type": "help", "title": "求助", "description": "需要帮助"},
        headers={**people.agent, **through},
    )
    rule = await hl.post(
        "/v1/dispatch-rules",
        json={"category_code": "noise", "area_code": f"{D}003", "lead_unit_code": f"{D}003-FWZX"},
        headers={**people.dispatcher, **through},
    )
    entry = await hl.post("/v1/kb/entries", json=DIBAO, headers={**people.agent, **through})
    created = [("/v1/tickets", t, people.agent), ("/v1/dispatch-rules", rule, people.dispatcher)]
    created.append(("/v1/kb/entries", entry, people.agent))
    for path, resp, headers in created:
        assert resp.status_code == 201, resp.text
        _documented(doc, "post", path, resp)
        assert "Location" in doc["paths"][path]["post"]["responses"]["201"]["headers"]
        location = resp.headers["location"]
        assert location == f"/api/hotline{path}/{resp.json()['id']}"
        # The gateway strips /api/hotline: what is left is the resource, as it was created.
        again = await hl.get(location.removeprefix("/api/hotline"), headers=headers)
        assert again.status_code == 200 and again.json()["id"] == resp.json()["id"]
    direct = await hl.post(
        "/v1/tickets",
        json={"request_type": "help", "title": "求助", "description": "需要帮助"},
        headers=people.agent,
    )
    assert direct.headers["location"] == f"/v1/tickets/{direct.json()['id']}"


async def test_problems_speak_chinese_and_english_when_asked(hl: httpx.AsyncClient, people: People) -> None:
    missing = await hl.get("/v1/tickets/nope", headers=people.agent)
    assert (
        missing.json()["title"] == "未找到" and missing.json()["detail"] == "未找到工单 nope，请核对后重试。"
    )
    english = await hl.get("/v1/tickets/nope", headers={**people.agent, "Accept-Language": "en"})
    assert english.json()["detail"] == "No ticket nope." and english.json()["code"] == missing.json()["code"]
    t = await create(hl, people.agent)
    not_yet = await act(
        hl, t["id"], "call-back", people.agent, {"resolved": True, "satisfaction": "satisfied"}, expect=409
    )
    assert not_yet["detail"] == (
        f"工单 {t['number']} 当前状态为“已派单”（dispatched），不能回访。"
        "当前可以办理：派单、合并、退单、响应、延期。"
    )
    refused = await act(hl, t["id"], "dispatch", people.agent, {"unit_code": f"{D}-MZJ"}, expect=403)
    assert refused["detail"] == "只有派单员可以派单，请由具备相应角色的工作人员办理。"
    half = await hl.post(
        "/v1/tickets",
        json={"request_type": "help", "title": "求助", "description": "需要帮助", "lat": 39.9},
        headers=people.agent,
    )
    assert half.json()["errors"][0]["message"] == "请同时填写纬度 lat 和经度 lon，或两项都不填。"
    noon = ticket_body(attributes={"noise_period": "noon"})
    bad = await hl.post("/v1/tickets", json=noon, headers=people.agent)
    assert (
        bad.json()["detail"]
        == "有 1 项附加信息需要修改：attributes.noise_period（应为以下之一：day、night）。"
    )
    assert bad.json()["errors"] == [
        {"field": "attributes.noise_period", "message": "应为以下之一：day、night", "type": "literal_error"}
    ]
    in_english = await hl.post("/v1/tickets", json=noon, headers={**people.agent, "Accept-Language": "en"})
    assert (
        in_english.json()["detail"]
        == "1 attribute(s) are invalid: attributes.noise_period (one of day, night)."
    )


async def test_rates_answer_for_every_month(hl: httpx.AsyncClient, people: People) -> None:
    """0001-01 begins before a UTC datetime can; it was a 500 (issue 15)."""
    for month in ("0001-01", "0000-06", "9999-12", "1970-01"):
        rates = await hl.get("/v1/rates", params={"month": month}, headers=people.supervisor)
        assert rates.status_code == 200, (month, rates.text)
        assert rates.json() == {"items": [], "total": 0, "total_exact": True, "limit": 50, "offset": 0}
        ranking = await hl.get(
            "/v1/rankings", params={"month": month, "kind": "department"}, headers=people.supervisor
        )
        assert ranking.status_code == 200 and ranking.json()["items"] == [], month
        assert ranking.json()["weights"] == {"response": 10.0, "resolution": 45.0, "satisfaction": 45.0}


async def test_kb_usage_counts_the_days_from_to(hl: httpx.AsyncClient, people: People) -> None:
    entry = await _publish(hl, people, DIBAO)
    enquiry = await create(hl, people.agent, request_type="enquiry", category_code=None, attributes={})
    await act(hl, enquiry["id"], "answer", people.agent, {"kb_entry_id": entry["id"]})
    today = local_date(utcnow())

    async def used(**days: str) -> list[tuple[str, int]]:
        resp = await hl.get("/v1/kb/usage", params=days, headers=people.supervisor)
        assert resp.status_code == 200, resp.text
        return [(u["id"], u["used_in_period"]) for u in resp.json()["items"]]

    assert await used(**{"from": today.isoformat(), "to": today.isoformat()}) == [(entry["id"], 1)]
    assert await used(**{"from": (today + timedelta(days=1)).isoformat()}) == []
    assert await used(to=(today - timedelta(days=1)).isoformat()) == []
    assert await used(**{"from": "0001-01-01", "to": "9999-12-31"}) == [(entry["id"], 1)]
    reversed_ = await hl.get(
        "/v1/kb/usage", params={"from": "2026-12-01", "to": "2026-11-01"}, headers=people.supervisor
    )
    assert reversed_.status_code == 422 and reversed_.json()["code"] == "date_range_reversed"
