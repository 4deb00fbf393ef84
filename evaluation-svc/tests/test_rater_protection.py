"""Issue 15, point 1: the unit rated has no path from a rating or a case to the rater.

The unit's staff can read the applicant ids of their own applications, so anything derived from
the rater's account (two characters at each end), any link from a rating or case to the service
rated (application id, service event id, which services are rated) or a call-back by the unit
itself would let it find the rater.
"""

from __future__ import annotations

from typing import Any

import httpx
from eval_support import MZJ, citizen, completed, deliver, office, service_event_of, staff
from fastapi import FastAPI
from sqlalchemy import select

from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens

#: Lower-case letters outside the pseudonym's alphabet (upper-case hex), so a leak cannot hide.
RATER = "zhou-rater-xy"


async def _bad_review(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> tuple[dict[str, Any], str]:
    done = completed(applicant=RATER)
    await deliver(app, "intake.application.completed.v1", done)
    event = await service_event_of(client, tokens, RATER)
    rated = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": 5, "channel": "pc", "comment": "材料反复要求补交"},
        headers=citizen(tokens, RATER),
    )
    assert rated.status_code == 201, rated.text
    return dict(rated.json()), str(done["application_id"])


async def test_the_unit_rated_sees_a_pseudonym_and_no_link_to_the_service(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    rating, application_id = await _bad_review(app, client, tokens)
    unit = staff(tokens, MZJ, "handler", subject="mzj-handler")
    cases = await client.get("/v1/bad-reviews", headers=unit)
    case = next(c for c in cases.json()["items"] if c["rating_id"] == rating["id"])
    one = await client.get(f"/v1/bad-reviews/{case['id']}", headers=unit)
    for text in (cases.text, one.text):
        # Not the account, not its ends (the old mask showed 实名用户 zh***xy).
        assert RATER not in text and RATER[:2] not in text and RATER[-2:] not in text
        assert application_id not in text and rating["service_event_id"] not in text
    assert case["rater"].startswith("实名用户 #") and len(case["rater"]) == len("实名用户 #") + 8

    # The rating gives the unit no service event to look up; the unit's services do not say which
    # of them were rated (with few ratings that alone would name the applicant).
    seen = await client.get(f"/v1/ratings/{rating['id']}", headers=unit)
    assert seen.status_code == 200 and seen.json()["service_event_id"] is None
    assert application_id not in seen.text
    found = await client.get(f"/v1/service-events?source_id={application_id}", headers=unit)
    assert found.status_code == 200 and [e["rated"] for e in found.json()["items"]] == [None]
    event = found.json()["items"][0]
    assert (await client.get(f"/v1/service-events/{event['id']}", headers=unit)).json()["rated"] is None

    # The evaluation office sees who rated and what; the rater sees their own.
    desk = await client.get(f"/v1/bad-reviews/{case['id']}", headers=office(tokens))
    assert desk.json()["rater"] == RATER
    by_office = await client.get(f"/v1/ratings/{rating['id']}", headers=office(tokens))
    assert by_office.json()["service_event_id"] == rating["service_event_id"]
    own = await client.get("/v1/service-events/mine", headers=citizen(tokens, RATER))
    assert own.json()["items"][0]["rated"] is True
    mine = await client.get("/v1/ratings/mine", headers=citizen(tokens, RATER))
    assert mine.json()["items"][0]["service_event_id"] == rating["service_event_id"]


async def test_pseudonyms_are_drawn_per_rating_not_from_the_account(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    shown = []
    for _ in range(2):
        rating, _app = await _bad_review(app, client, tokens)
        cases = (await client.get("/v1/bad-reviews", headers=staff(tokens, MZJ, "handler"))).json()["items"]
        shown.append(next(c["rater"] for c in cases if c["rating_id"] == rating["id"]))
    # The same rater twice: two unrelated pseudonyms, so the unit cannot even link the two reviews.
    assert shown[0] != shown[1]


async def test_only_the_evaluation_office_calls_the_rater_back(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    rating, _app = await _bad_review(app, client, tokens)
    unit = staff(tokens, MZJ, "handler", subject="mzj-handler")
    case = next(
        c
        for c in (await client.get("/v1/bad-reviews", headers=unit)).json()["items"]
        if c["rating_id"] == rating["id"]
    )
    base = f"/v1/bad-reviews/{case['id']}"
    by_unit = await client.post(f"{base}/call-back", json={"reached": True, "note": "已联系"}, headers=unit)
    assert by_unit.status_code == 403 and by_unit.json()["code"] == "evaluation.callback_by_office"
    assert "评价办" in by_unit.json()["detail"]
    asked = await client.post(
        f"{base}/call-back-request", json={"note": "请核实补交了哪些材料"}, headers=unit
    )
    assert asked.status_code == 200, asked.text
    assert [s["action"] for s in asked.json()["steps"]] == ["opened", "call_back_requested"]
    called = await client.post(
        f"{base}/call-back", json={"reached": True, "note": "评价人说明了情况"}, headers=office(tokens)
    )
    assert called.status_code == 200 and called.json()["status"] == "called_back"
    fixed = await client.post(f"{base}/rectify", json={"note": "已一次性告知"}, headers=unit)
    assert fixed.status_code == 200 and fixed.json()["status"] == "rectified"


async def test_a_transfer_to_the_hotline_names_no_service(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    rating, application_id = await _bad_review(app, client, tokens)
    unit = staff(tokens, MZJ, "handler")
    case = next(
        c
        for c in (await client.get("/v1/bad-reviews", headers=unit)).json()["items"]
        if c["rating_id"] == rating["id"]
    )
    moved = await client.post(
        f"/v1/bad-reviews/{case['id']}/transfer", json={"note": "转12345"}, headers=unit
    )
    assert moved.status_code == 200, moved.text
    async with app.state.db.transaction(write=False) as s:
        payloads = (
            await s.execute(
                select(outbox.c.payload).where(outbox.c.subject == "evaluation.bad_review.transferred.v1")
            )
        ).scalars()
        sent = [bytes(p).decode() for p in payloads]
    assert len(sent) == 1
    assert case["id"] in sent[0] and "source_id" not in sent[0]
    assert application_id not in sent[0] and rating["service_event_id"] not in sent[0]
    assert RATER not in sent[0]
