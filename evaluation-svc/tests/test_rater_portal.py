"""What the citizens' portal needs of evaluation (issue 16): a rating pad's code opens a page of its
own (`/rate/<code>`) where the visitor sees what they rate and rates it without logging in; the rater
follows their bad review's handling (我的差评整改) and rates the response."""

from __future__ import annotations

import httpx
from eval_support import MZJ, WINDOW, citizen, office, pad_code, rating_pad, staff
from fastapi import FastAPI
from test_cases import bad_review

from yiwang_shared.testing.tokens import TestTokens


async def test_a_pads_code_is_looked_up_without_login_and_rated_once(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    pad = await rating_pad(client, tokens, WINDOW)
    clerk = staff(tokens, WINDOW, "window_clerk", subject="clerk-li")
    visit = (await client.post("/v1/window-visits", json={"item_name": "高龄津贴"}, headers=clerk)).json()
    shown = await pad_code(client, pad)
    code = shown["rating_code"]
    assert shown["rating_path"] == f"/rate/{code}"  # what the pad's QR code encodes

    found = await client.get(f"/v1/rating-codes/{code}")
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["service_event_id"] == visit["id"] and body["item_name"] == "高龄津贴"
    assert body["kind"] == "visit" and body["window_code"] == WINDOW
    assert "staff_id" not in body and "served_subject" not in body and "rating_code" not in body
    # Codes are typed as read aloud: case and surrounding blanks do not matter.
    assert (await client.get(f"/v1/rating-codes/{code.lower()}")).status_code == 200

    rated = await client.post(
        f"/v1/service-events/{body['service_event_id']}/rating",
        json={"level": 1, "channel": "qr", "code": code},
    )
    assert rated.status_code == 201, rated.text
    used = await client.get(f"/v1/rating-codes/{code}")
    assert used.status_code == 404 and used.json()["code"] == "evaluation.rating_code_not_found"
    unknown = await client.get("/v1/rating-codes/ABCDEFGHJK", headers={"Accept-Language": "en"})
    assert unknown.status_code == 404 and "used" in unknown.json()["detail"]


async def test_the_rater_follows_their_bad_review_and_rates_the_response(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    case = await bad_review(app, client, tokens, "citizen-qian")
    me = citizen(tokens, "citizen-qian")
    mine = await client.get("/v1/bad-reviews/mine", headers=me)
    assert mine.status_code == 200, mine.text
    (own,) = mine.json()["items"]
    assert own["id"] == case["id"] and own["status"] == "open" and own["level"] == 5
    assert own["rating_id"] == case["rating_id"]
    # Nobody else's cases, and staff see none through this door.
    assert (await client.get("/v1/bad-reviews/mine", headers=citizen(tokens, "someone"))).json()["total"] == 0
    handler = staff(tokens, MZJ, "handler", subject="handler-9")
    assert (await client.get("/v1/bad-reviews/mine", headers=handler)).json()["total"] == 0

    base = f"/v1/bad-reviews/{case['id']}"
    await client.post(
        f"{base}/call-back", json={"reached": True, "note": "内部：核实属实"}, headers=office(tokens)
    )
    await client.post(f"{base}/rectify", json={"note": "已增派窗口人员"}, headers=handler)
    await client.post(f"{base}/feedback", json={"text": "您反映的排队问题已整改。"}, headers=handler)
    own = (await client.get("/v1/bad-reviews/mine", headers=me)).json()["items"][0]
    assert own["status"] == "answered" and own["resolution"] == "rectify"
    assert own["feedback"] == "您反映的排队问题已整改。" and own["response_level"] is None
    notes = {s["action"]: s["note"] for s in own["steps"]}
    assert notes["rectify"] == "已增派窗口人员" and notes["call_back"] is None  # the office's own note
    assert "actor" not in own["steps"][0] and "rater" not in own
    rated = await client.post(f"{base}/response-rating", json={"level": 2}, headers=me)
    assert rated.status_code == 200
    own = (await client.get("/v1/bad-reviews/mine", headers=me)).json()["items"][0]
    assert own["response_level"] == 2
