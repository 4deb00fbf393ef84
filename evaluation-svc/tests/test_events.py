"""What evaluation publishes reaches JetStream and validates against the committed schemas, and
no payload names the rater."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import nats
from eval_support import MZJ, citizen, completed, deliver, service_event_of, staff
from fastapi import FastAPI
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout

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
    case = (await client.get("/v1/bad-reviews", headers=handler)).json()[0]
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
