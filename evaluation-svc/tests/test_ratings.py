"""Ratings: one per service event, by the person served or with a one-time code."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from eval_support import (
    MZJ,
    WINDOW,
    citizen,
    completed,
    deliver,
    pad_code,
    rating_pad,
    service_event_of,
    staff,
    ticket,
)
from fastapi import FastAPI

from yiwang_shared.testing.tokens import TestTokens

GOOD = {"level": 1, "channel": "mobile", "aspects": ["服务态度"], "comment": "办得很快"}


async def test_a_rating_flows_from_a_completed_application(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await deliver(app, "intake.application.completed.v1", completed(applicant="zhang"))
    event = await service_event_of(client, tokens, "zhang")
    assert event["kind"] == "application" and event["unit_code"] == MZJ and event["window_code"] == WINDOW
    resp = await client.post(
        f"/v1/service-events/{event['id']}/rating", json=GOOD, headers=citizen(tokens, "zhang")
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["real_name"] is True and resp.json()["level"] == 1
    again = await client.post(
        f"/v1/service-events/{event['id']}/rating", json=GOOD, headers=citizen(tokens, "zhang")
    )
    assert again.status_code == 409 and again.json()["code"] == "evaluation.already_rated"
    mine = await client.get("/v1/ratings/mine", headers=citizen(tokens, "zhang"))
    assert [r["service_event_id"] for r in mine.json()["items"]] == [event["id"]]


async def test_a_rating_flows_from_a_closed_ticket(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await deliver(app, "hotline.ticket.closed.v1", ticket("closed", citizen="li"))
    event = await service_event_of(client, tokens, "li")
    assert event["kind"] == "ticket"
    resp = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json=GOOD | {"channel": "sms"},
        headers=citizen(tokens, "li"),
    )
    assert resp.status_code == 201, resp.text


async def test_someone_else_cannot_rate_and_sees_nothing(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await deliver(app, "intake.application.completed.v1", completed(applicant="wang"))
    event = await service_event_of(client, tokens, "wang")
    other = await client.post(
        f"/v1/service-events/{event['id']}/rating", json=GOOD, headers=citizen(tokens, "zhao")
    )
    assert other.status_code == 404 and other.json()["code"] == "evaluation.service_event_not_found"
    anonymous = await client.post(f"/v1/service-events/{event['id']}/rating", json=GOOD)
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "evaluation.not_the_person_served"


async def test_one_time_code_from_the_windows_pad_rates_once(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    data = completed()  # no applicant account in the event: staff find it, nobody holds a code for it
    await deliver(app, "intake.application.completed.v1", data)
    found = await client.get(
        f"/v1/service-events?source_id={data['application_id']}", headers=staff(tokens, MZJ, "window_clerk")
    )
    assert [e["kind"] for e in found.json()["items"]] == ["application"]
    hidden = await client.get(
        f"/v1/service-events?source_id={data['application_id']}",
        headers=staff(tokens, "110105-RSJ", "handler"),
    )
    assert hidden.json() == {"items": [], "total": 0, "total_exact": True, "limit": 50, "offset": 0}
    pad = await rating_pad(client, tokens, WINDOW)
    visit = await client.post("/v1/window-visits", json={}, headers=staff(tokens, WINDOW, "window_clerk"))
    event_id = visit.json()["id"]
    code = (await pad_code(client, pad))["rating_code"]
    bad_code = await client.post(f"/v1/service-events/{event_id}/rating", json=GOOD | {"code": "WRONGCODE1"})
    assert bad_code.status_code == 403 and bad_code.json()["code"] == "evaluation.rating_code_invalid"
    ok = await client.post(
        f"/v1/service-events/{event_id}/rating", json=GOOD | {"code": code.lower(), "channel": "device"}
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["real_name"] is False
    reused = await client.post(f"/v1/service-events/{event_id}/rating", json=GOOD | {"code": code})
    assert reused.status_code == 403


async def test_window_visit_by_clerk_is_rated_at_the_pad(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    citizen_only = await client.post("/v1/window-visits", json={}, headers=citizen(tokens, "x"))
    assert citizen_only.status_code == 403
    pad = await rating_pad(client, tokens, WINDOW)
    resp = await client.post(
        "/v1/window-visits",
        json={"item_code": "ITEM-DIBAO", "unit_code": MZJ},
        headers=staff(tokens, WINDOW, "window_clerk", subject="clerk-9"),
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["window_code"] == WINDOW and body["staff_id"] == "clerk-9" and "rating_code" not in body
    rate = await client.post(
        f"/v1/service-events/{body['id']}/rating",
        json={"level": 2, "channel": "device", "code": (await pad_code(client, pad))["rating_code"]},
    )
    assert rate.status_code == 201


async def test_rating_window_closes(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> None:
    old = datetime.now().astimezone() - timedelta(days=31)
    await deliver(app, "intake.application.completed.v1", completed(applicant="late", at=old))
    event = await service_event_of(client, tokens, "late")
    resp = await client.post(
        f"/v1/service-events/{event['id']}/rating", json=GOOD, headers=citizen(tokens, "late")
    )
    assert resp.status_code == 409 and resp.json()["code"] == "evaluation.rating_window_closed"
    until = datetime.fromisoformat(event["rateable_until"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert resp.json()["detail"] == (
        f"该服务的评价期限已于 {until.year}年{until.month}月{until.day}日 {until:%H:%M} 截止，不能再评价。"
        "如对服务仍有意见，可拨打 12345 政务服务便民热线反映。"
    )
    english = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json=GOOD,
        headers=citizen(tokens, "late") | {"Accept-Language": "en"},
    )
    assert english.json()["detail"] == (
        f"The rating period for service event {event['id']} ended at {english.json()['rateable_until']}."
    )


async def test_bad_input_lists_every_field(client: httpx.AsyncClient, tokens: TestTokens) -> None:
    resp = await client.post(
        "/v1/service-events/x/rating",
        json={"level": 9, "channel": "fax", "aspects": [""]},
        headers=citizen(tokens, "a"),
    )
    assert resp.status_code == 422
    fields = {e["field"] for e in resp.json()["errors"]}
    for name in ("body.level", "body.channel", "body.aspects"):
        assert any(f.startswith(name) for f in fields), (name, fields)
    missing = await client.post("/v1/service-events/nope/rating", json=GOOD, headers=citizen(tokens, "a"))
    assert missing.status_code == 404


async def test_concurrent_second_rating_is_409_not_500(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    import asyncio

    await deliver(app, "intake.application.completed.v1", completed(applicant="twice"))
    event = await service_event_of(client, tokens, "twice")
    url = f"/v1/service-events/{event['id']}/rating"
    results = await asyncio.gather(
        *(client.post(url, json=GOOD, headers=citizen(tokens, "twice")) for _ in range(4))
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]


async def test_my_services_say_which_are_rated_and_filter_on_it(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    """Issue 14, point 6: /service-events/mine kept listing services already rated."""
    me = citizen(tokens, "sun")
    done = [completed(applicant="sun") for _ in range(2)]
    for data in done:
        await deliver(app, "intake.application.completed.v1", data)
    await deliver(app, "hotline.ticket.closed.v1", ticket("closed", citizen="sun"))
    pad = await rating_pad(client, tokens, WINDOW)
    visit = await client.post(
        "/v1/window-visits", json={"served_subject": "sun"}, headers=staff(tokens, WINDOW, "window_clerk")
    )
    listed = (await client.get("/v1/service-events/mine", headers=me)).json()["items"]
    by_source = {e["source_id"]: e for e in listed}
    assert len(listed) == 4 and not any(e["rated"] for e in listed)
    assert all(e["rating_id"] is None and e["rating_level"] is None for e in listed)
    mine = by_source[done[0]["application_id"]]
    rating = await client.post(
        f"/v1/service-events/{mine['id']}/rating", json=GOOD | {"level": 2}, headers=me
    )
    assert rating.status_code == 201
    # The visit rated at the window's pad with a one-time code: rated, but not by this login.
    anonymous = await client.post(
        f"/v1/service-events/{visit.json()['id']}/rating",
        json={"level": 1, "channel": "device", "code": (await pad_code(client, pad))["rating_code"]},
    )
    assert anonymous.status_code == 201

    listed = (await client.get("/v1/service-events/mine", headers=me)).json()["items"]
    rated = {e["source_id"]: (e["rated"], e["rating_id"], e["rating_level"]) for e in listed}
    assert rated[done[0]["application_id"]] == (True, rating.json()["id"], 2)
    assert rated[visit.json()["source_id"]] == (True, None, None)
    assert rated[done[1]["application_id"]] == (False, None, None)
    to_rate = (await client.get("/v1/service-events/mine?rated=false", headers=me)).json()
    assert to_rate["total"] == 2 and {e["rated"] for e in to_rate["items"]} == {False}
    assert done[1]["application_id"] in {e["source_id"] for e in to_rate["items"]}
    done_ones = (await client.get("/v1/service-events/mine?rated=true&limit=1", headers=me)).json()
    assert done_ones["total"] == 2 and len(done_ones["items"]) == 1 and done_ones["items"][0]["rated"]
    one = await client.get(f"/v1/service-events/{mine['id']}", headers=me)
    assert (one.json()["rated"], one.json()["rating_level"]) == (True, 2)
    # The unit that served does not learn which of its services were rated (issue 15, point 1).
    seen_by_staff = await client.get(
        f"/v1/service-events/{mine['id']}", headers=staff(tokens, MZJ, "handler")
    )
    assert seen_by_staff.json()["rated"] is None and seen_by_staff.json()["rating_id"] is None
    bad = await client.get("/v1/service-events/mine?rated=maybe", headers=me)
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["query.rated"]
