"""What evaluation publishes reaches JetStream and validates against the committed schemas (every
event type), and no payload names the rater."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import httpx
import nats
from eval_support import (
    MZJ,
    citizen,
    completed,
    deliver,
    delivered_from,
    office,
    pad_code,
    rating_pad,
    service_event_of,
    staff,
)
from fastapi import FastAPI
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout
from sqlalchemy import select

from evaluation.events import EVALUATION
from evaluation.services.cases import flag_overdue
from yiwang_shared.orm import utcnow
from yiwang_shared.tables import outbox
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens

SCHEMAS = Path(__file__).resolve().parents[1] / "events"


async def test_published_events_match_their_schemas(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, nats_server: NatsServer
) -> None:
    await deliver(app, "intake.application.completed.v1", completed(applicant="rater-secret-id"))
    event = await service_event_of(client, tokens, "rater-secret-id")
    rating = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": 4, "channel": "pc", "comment": "不满意"},
        headers=citizen(tokens, "rater-secret-id"),
    )
    handler = staff(tokens, MZJ, "handler")
    case = (await client.get("/v1/bad-reviews", headers=handler)).json()["items"][0]
    await client.post(f"/v1/bad-reviews/{case['id']}/transfer", json={"note": "转12345"}, headers=handler)
    wanted = {
        "evaluation.rating.submitted.v1",
        "evaluation.bad_review.opened.v1",
        "evaluation.bad_review.transferred.v1",
    }
    got: dict[str, dict[str, object]] = {}
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        sub = await js.subscribe("evaluation.>", stream="EVALUATION", ordered_consumer=True)
        deadline = asyncio.get_running_loop().time() + 20
        while set(got) < wanted and asyncio.get_running_loop().time() < deadline:
            try:
                msg = await sub.next_msg(timeout=1)
            except NatsTimeout:
                continue
            body = json.loads(msg.data)
            if body["data"].get("rating_id") == rating.json()["id"]:
                got[msg.subject] = body
    finally:
        await nc.close()
    assert set(got) >= wanted
    for subject, body in got.items():
        schema = json.loads((SCHEMAS / f"{subject}.schema.json").read_text(encoding="utf-8"))
        errors = list(Draft202012Validator(schema).iter_errors(body))
        assert errors == [], (subject, [e.message for e in errors])
        assert "rater-secret-id" not in json.dumps(body)


async def test_every_event_evaluation_publishes_matches_its_schema(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    handler = staff(tokens, MZJ, "handler")
    cases = []
    for who in ("rater-a", "rater-b"):
        done = completed(applicant=who)
        await deliver(app, "intake.application.completed.v1", done)
        await deliver(app, "intake.application.delivered.v1", delivered_from(done))
        event = await service_event_of(client, tokens, who)
        rated = await client.post(
            f"/v1/service-events/{event['id']}/rating",
            json={"level": 5, "channel": "pc"},
            headers=citizen(tokens, who),
        )
        assert rated.status_code == 201
        listed = (await client.get("/v1/bad-reviews", headers=handler)).json()["items"]
        cases.append(next(c["id"] for c in listed if c["rating_id"] == rated.json()["id"]))
    first, second = (f"/v1/bad-reviews/{c}" for c in cases)
    for step, body, who in (
        ("call-back", {"reached": True, "note": "已回访"}, office(tokens)),
        ("rectify", {"note": "已整改"}, handler),
        ("feedback", {"text": "已整改"}, handler),
    ):
        assert (await client.post(f"{first}/{step}", json=body, headers=who)).status_code == 200
    assert (
        await client.post(f"{first}/response-rating", json={"level": 1}, headers=citizen(tokens, "rater-a"))
    ).status_code == 200
    assert (await client.post(f"{first}/close", headers=handler)).status_code == 200
    await client.post(f"{second}/call-back", json={"reached": True, "note": "已回访"}, headers=office(tokens))
    await client.post(f"{second}/appeal", json={"note": "恶意差评"}, headers=handler)
    decided = await client.post(
        f"{second}/appeal-decision",
        json={"upheld": True, "note": "成立"},
        headers=staff(tokens, "X", "evaluator"),
    )
    assert decided.status_code == 200
    await client.post(f"{second}/transfer", json={"note": "转12345"}, headers=handler)
    pad = await rating_pad(client, tokens, f"{MZJ}-W09")
    visit = await client.post(
        "/v1/window-visits",
        json={"unit_code": MZJ, "served_subject": "rater-c"},
        headers=staff(tokens, f"{MZJ}-W09", "window_clerk"),
    )
    anonymous = await client.post(
        f"/v1/service-events/{visit.json()['id']}/rating",
        json={"level": 4, "channel": "device", "code": (await pad_code(client, pad))["rating_code"]},
    )
    case = next(
        c
        for c in (await client.get("/v1/bad-reviews", headers=handler)).json()["items"]
        if c["rating_id"] == anonymous.json()["id"]
    )
    assert (
        await client.post(f"/v1/bad-reviews/{case['id']}/explain", json={"note": "于法有据"}, headers=handler)
    ).status_code == 200
    # The visitor named at the window rates it by login: the pad's rating is withdrawn (superseded).
    own = await client.post(
        f"/v1/service-events/{visit.json()['id']}/rating",
        json={"level": 2, "channel": "mobile"},
        headers=citizen(tokens, "rater-c"),
    )
    assert own.status_code == 201, own.text
    await client.post("/v1/guide-views", json={"item_code": "ITEM-DIBAO"})
    async with app.state.db.transaction() as s:
        assert await flag_overdue(s, now=utcnow() + timedelta(days=60)) >= 1
        rows = (await s.execute(select(outbox.c.subject, outbox.c.payload))).all()
    assert {subject for subject, _ in rows} == {p.subject() for p in EVALUATION.events}
    for subject, payload in rows:
        schema = json.loads((SCHEMAS / f"{subject}.schema.json").read_text(encoding="utf-8"))
        body = json.loads(payload)
        errors = list(Draft202012Validator(schema).iter_errors(body))
        assert errors == [], (subject, [e.message for e in errors])
        assert not any(rater in payload.decode() for rater in ("rater-a", "rater-b", "rater-c"))
