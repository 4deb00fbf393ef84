"""Bad reviews: call-back, rectification, explanation, appeal, feedback, the rater's second
rating; the rater hidden from the unit; another unit's case is 404; overdue scan; transfer."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from eval_support import (
    MZJ,
    citizen,
    completed,
    counter,
    deliver,
    local_month,
    office,
    pad_code,
    rating_pad,
    service_event_of,
    staff,
)
from fastapi import FastAPI
from sqlalchemy import select, update

from evaluation.config import Settings
from evaluation.main import create_app
from evaluation.models import BadReviewCase
from evaluation.services.cases import flag_overdue
from yiwang_shared.orm import utcnow
from yiwang_shared.tables import outbox
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens

BAD = {"level": 5, "channel": "pc", "aspects": ["办事效率"], "comment": "跑了三次还没办好"}


async def bad_review(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, who: str) -> dict[str, Any]:
    """A real-name level-5 rating by `who` and the case it opened (as the unit's handler sees it)."""
    await deliver(app, "intake.application.completed.v1", completed(applicant=who))
    event = await service_event_of(client, tokens, who)
    resp = await client.post(
        f"/v1/service-events/{event['id']}/rating", json=BAD, headers=citizen(tokens, who)
    )
    assert resp.status_code == 201, resp.text
    cases = await client.get("/v1/bad-reviews", headers=staff(tokens, MZJ, "handler"))
    case = next(c for c in cases.json()["items"] if c["rating_id"] == resp.json()["id"])
    return dict(case)


async def _subjects(app: FastAPI) -> list[str]:
    async with app.state.db.transaction(write=False) as s:
        return list((await s.execute(select(outbox.c.subject).order_by(outbox.c.id))).scalars())


async def test_bad_review_called_back_rectified_fed_back_and_rated_again(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    case = await bad_review(app, client, tokens, "citizen-zhou")
    handler = staff(tokens, MZJ, "handler", subject="handler-1")
    assert case["status"] == "open" and case["real_name"] is True
    assert case["rater"].startswith("实名用户") and "citizen-zhou" not in case["rater"]  # masked for the unit
    base = f"/v1/bad-reviews/{case['id']}"

    early = await client.post(f"{base}/rectify", json={"note": "已整改"}, headers=handler)
    assert early.status_code == 409 and early.json()["code"] == "evaluation.callback_required"
    missed = await client.post(
        f"{base}/call-back", json={"reached": False, "note": "无人接听"}, headers=office(tokens)
    )
    assert missed.json()["status"] == "open"
    reached = await client.post(
        f"{base}/call-back", json={"reached": True, "note": "已联系，核实情况属实"}, headers=office(tokens)
    )
    assert reached.json()["status"] == "called_back"
    past = (utcnow() - timedelta(days=3)).date().isoformat()
    refused = await client.post(f"{base}/rectify", json={"note": "x", "due_on": past}, headers=handler)
    assert refused.status_code == 422 and refused.json()["code"] == "evaluation.due_date_past"
    due = (utcnow() + timedelta(days=7)).date().isoformat()
    planned = await client.post(f"{base}/rectify", json={"note": "优化流程", "due_on": due}, headers=handler)
    assert planned.json()["status"] == "rectifying" and planned.json()["rectify_due_on"] == due
    premature = await client.post(f"{base}/feedback", json={"text": "x"}, headers=handler)
    assert premature.status_code == 409 and premature.json()["code"] == "evaluation.invalid_step"
    done = await client.post(f"{base}/rectification-done", json={"note": "流程已优化"}, headers=handler)
    assert done.json()["status"] == "rectified"
    fed = await client.post(
        f"{base}/feedback", json={"text": "您反映的问题已整改，感谢监督。"}, headers=handler
    )
    assert fed.json()["status"] == "answered"
    closed = await client.post(f"{base}/close", headers=handler)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert [s["action"] for s in closed.json()["steps"]] == [
        "opened",
        "call_back_failed",
        "call_back",
        "rectify_planned",
        "rectification_done",
        "feedback",
        "closed",
    ]

    stranger = await client.post(
        f"{base}/response-rating", json={"level": 1}, headers=citizen(tokens, "someone")
    )
    assert stranger.status_code == 404
    second = await client.post(
        f"{base}/response-rating", json={"level": 2}, headers=citizen(tokens, "citizen-zhou")
    )
    assert second.status_code == 200 and second.json()["response_level"] == 2
    twice = await client.post(
        f"{base}/response-rating", json={"level": 1}, headers=citizen(tokens, "citizen-zhou")
    )
    assert twice.status_code == 409

    reviewer = await client.get(base, headers=staff(tokens, "110105-ZWB", "supervisor"))
    assert reviewer.json()["rater"] == "citizen-zhou"  # reviewers see who rated
    subjects = await _subjects(app)
    for s in (
        "evaluation.rating.submitted.v1",
        "evaluation.bad_review.opened.v1",
        "evaluation.bad_review.rectified.v1",
        "evaluation.bad_review.closed.v1",
    ):
        assert s in subjects


async def test_another_units_case_is_404(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> None:
    case = await bad_review(app, client, tokens, "citizen-qian")
    other = staff(tokens, "110105-RSJ", "handler")
    assert (await client.get(f"/v1/bad-reviews/{case['id']}", headers=other)).status_code == 404
    step = await client.post(
        f"/v1/bad-reviews/{case['id']}/call-back", json={"reached": True, "note": "x"}, headers=other
    )
    assert step.status_code == 404
    assert all(
        c["id"] != case["id"] for c in (await client.get("/v1/bad-reviews", headers=other)).json()["items"]
    )
    assert (await client.get("/v1/bad-reviews", headers=citizen(tokens, "citizen-qian"))).status_code == 403


async def test_upheld_appeal_keeps_the_rating_but_excludes_it(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    case = await bad_review(app, client, tokens, "citizen-sun")
    handler = staff(tokens, MZJ, "handler")
    base = f"/v1/bad-reviews/{case['id']}"
    await client.post(f"{base}/call-back", json={"reached": True, "note": "已回访"}, headers=office(tokens))
    appealed = await client.post(
        f"{base}/appeal", json={"note": "评价对象错误，非本单位办理"}, headers=handler
    )
    assert appealed.json()["status"] == "appealed"
    self_decide = await client.post(
        f"{base}/appeal-decision", json={"upheld": True, "note": "x"}, headers=handler
    )
    assert self_decide.status_code == 403
    month = local_month(case["opened_at"])
    before = (await client.get(f"/v1/indicators/unit?month={month}&key={MZJ}", headers=handler)).json()[
        "items"
    ][0]
    decided = await client.post(
        f"{base}/appeal-decision",
        json={"upheld": True, "note": "申诉成立"},
        headers=staff(tokens, "110105-ZWB", "evaluator"),
    )
    assert decided.json()["status"] == "appeal_upheld"
    after = (await client.get(f"/v1/indicators/unit?month={month}&key={MZJ}", headers=handler)).json()[
        "items"
    ][0]
    assert after["counters"]["ratings_bad"] == before["counters"]["ratings_bad"] - 1
    assert after["counters"]["ratings_excluded"] == 1
    mine = (await client.get("/v1/ratings/mine", headers=citizen(tokens, "citizen-sun"))).json()["items"]
    assert mine[0]["excluded"] is True  # never deleted


async def test_overdue_scan_flags_once_and_transfer_publishes(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    case = await bad_review(app, client, tokens, "citizen-li")
    later = utcnow() + timedelta(days=30)
    async with app.state.db.transaction() as s:
        assert await flag_overdue(s, now=later) == 1
    async with app.state.db.transaction() as s:
        assert await flag_overdue(s, now=later) == 0  # another replica's scan finds nothing left
        stored = await s.get(BadReviewCase, case["id"])
        assert stored is not None and stored.overdue
    listed = await client.get("/v1/bad-reviews?overdue=true", headers=staff(tokens, MZJ, "handler"))
    assert [c["id"] for c in listed.json()["items"]] == [case["id"]]
    moved = await client.post(
        f"/v1/bad-reviews/{case['id']}/transfer",
        json={"note": "需多部门协调"},
        headers=staff(tokens, MZJ, "handler"),
    )
    assert moved.status_code == 200 and moved.json()["transferred_at"]
    subjects = await _subjects(app)
    assert (
        "evaluation.bad_review.overdue.v1" in subjects and "evaluation.bad_review.transferred.v1" in subjects
    )


async def test_anonymous_bad_review_by_code_is_explained_without_callback(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    pad = await rating_pad(client, tokens, "110105-MZJ-W02")
    visit = await client.post(
        "/v1/window-visits", json={"unit_code": MZJ}, headers=staff(tokens, "110105-MZJ-W02", "window_clerk")
    )
    event = visit.json()
    rated = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={
            "level": 4,
            "channel": "device",
            "code": (await pad_code(client, pad))["rating_code"],
            "comment": "要求的证明没有依据",
        },
    )
    assert rated.status_code == 201 and rated.json()["real_name"] is False
    handler = staff(tokens, MZJ, "handler")
    case = next(
        c
        for c in (await client.get("/v1/bad-reviews", headers=handler)).json()["items"]
        if c["rating_id"] == rated.json()["id"]
    )
    assert case["rater"].startswith("匿名用户 #") and case["level"] == 4
    base = f"/v1/bad-reviews/{case['id']}"
    explained = await client.post(f"{base}/explain", json={"note": "该要求于法有据，已解释"}, headers=handler)
    assert explained.status_code == 200 and explained.json()["status"] == "explained"
    assert (await client.post(f"{base}/close", headers=handler)).status_code == 409  # feedback first
    await client.post(f"{base}/feedback", json={"text": "已向您说明依据。"}, headers=handler)
    assert (await client.post(f"{base}/close", headers=handler)).json()["status"] == "closed"
    again = await client.post(f"{base}/transfer", json={"note": "x"}, headers=handler)
    assert again.status_code == 409


async def test_rejected_appeal_returns_the_case_to_the_unit(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    case = await bad_review(app, client, tokens, "citizen-wu")
    handler = staff(tokens, MZJ, "handler")
    base = f"/v1/bad-reviews/{case['id']}"
    await client.post(f"{base}/call-back", json={"reached": True, "note": "已回访"}, headers=office(tokens))
    await client.post(f"{base}/appeal", json={"note": "恶意差评"}, headers=handler)
    rejected = await client.post(
        f"{base}/appeal-decision",
        json={"upheld": False, "note": "证据不足"},
        headers=staff(tokens, "Z", "supervisor"),
    )
    assert rejected.json()["status"] == "called_back" and rejected.json()["appeal_decision"] == "rejected"
    empty = await client.post(f"{base}/rectify", json={"note": ""}, headers=handler)
    assert empty.status_code == 422
    citizen_step = await client.post(
        f"{base}/rectify", json={"note": "x"}, headers=citizen(tokens, "citizen-wu")
    )
    assert citizen_step.status_code == 403


async def test_the_background_scan_flags_overdue_cases(
    database_url: str, nats_server: NatsServer, tokens: TestTokens
) -> None:
    settings = Settings(database_url=database_url, nats_url=nats_server.url, overdue_scan_seconds=0.2)
    app = create_app(settings)
    async with running_app(app, verifier=tokens.verifier()) as client:
        case = await bad_review(app, client, tokens, "citizen-scan")
        async with app.state.db.transaction() as s:
            await s.execute(
                update(BadReviewCase)
                .where(BadReviewCase.id == case["id"])
                .values(deadline_at=utcnow() - timedelta(minutes=1))
            )
        for _ in range(50):
            seen = await client.get(f"/v1/bad-reviews/{case['id']}", headers=staff(tokens, MZJ, "handler"))
            if seen.json()["overdue"]:
                break
            await asyncio.sleep(0.1)
        assert seen.json()["overdue"] is True
        assert "overdue" in [s["action"] for s in seen.json()["steps"]]


async def test_a_later_rectification_date_moves_the_deadline_and_overdue_fires_once(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    case = await bad_review(app, client, tokens, "citizen-due")
    handler = staff(tokens, MZJ, "handler")
    base = f"/v1/bad-reviews/{case['id']}"
    default = datetime.fromisoformat(case["deadline_at"])
    await client.post(f"{base}/call-back", json={"reached": True, "note": "已回访"}, headers=office(tokens))
    due = (default + timedelta(days=20)).astimezone(ZoneInfo("Asia/Shanghai")).date()
    planned = await client.post(
        f"{base}/rectify", json={"note": "需改造场地", "due_on": due.isoformat()}, headers=handler
    )
    assert planned.status_code == 200, planned.text
    moved = datetime.fromisoformat(planned.json()["deadline_at"])
    assert moved == datetime.combine(due, time.max, tzinfo=ZoneInfo("Asia/Shanghai"))
    async with app.state.db.transaction() as s:
        assert (
            await flag_overdue(s, now=default + timedelta(days=1)) == 0
        )  # the old deadline no longer counts
    async with app.state.db.transaction() as s:
        assert await flag_overdue(s, now=moved + timedelta(minutes=1)) == 1
    async with app.state.db.transaction() as s:
        assert await flag_overdue(s, now=moved + timedelta(days=3)) == 0  # once
    seen = (await client.get(base, headers=handler)).json()
    assert seen["overdue"] is True and [s["action"] for s in seen["steps"]].count("overdue") == 1
    async with app.state.db.transaction(write=False) as s:
        rows = (
            await s.execute(
                select(outbox.c.payload).where(outbox.c.subject == "evaluation.bad_review.overdue.v1")
            )
        ).scalars()
        overdue = [r for r in rows if case["id"].encode() in r]
    assert len(overdue) == 1 and due.isoformat() in overdue[0].decode()


async def test_an_earlier_rectification_date_keeps_the_default_deadline(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    case = await bad_review(app, client, tokens, "citizen-soon")
    handler = staff(tokens, MZJ, "handler")
    base = f"/v1/bad-reviews/{case['id']}"
    await client.post(f"{base}/call-back", json={"reached": True, "note": "已回访"}, headers=office(tokens))
    today = utcnow().astimezone(ZoneInfo("Asia/Shanghai")).date()
    planned = await client.post(
        f"{base}/rectify", json={"note": "今日整改", "due_on": today.isoformat()}, headers=handler
    )
    assert planned.json()["deadline_at"] == case["deadline_at"]


async def test_the_raters_second_rating_counts_in_rectification_satisfaction(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    handler = staff(tokens, MZJ, "handler")
    for who, level in (("citizen-r1", 1), ("citizen-r2", 4)):
        case = await bad_review(app, client, tokens, who)
        base = f"/v1/bad-reviews/{case['id']}"
        await client.post(
            f"{base}/call-back", json={"reached": True, "note": "已回访"}, headers=office(tokens)
        )
        await client.post(f"{base}/rectify", json={"note": "已整改"}, headers=handler)
        early = await client.post(
            f"{base}/response-rating", json={"level": level}, headers=citizen(tokens, who)
        )
        assert early.status_code == 409  # only after feedback
        await client.post(f"{base}/feedback", json={"text": "已整改，感谢监督"}, headers=handler)
        rated = await client.post(
            f"{base}/response-rating", json={"level": level}, headers=citizen(tokens, who)
        )
        assert rated.status_code == 200
        bad = await client.post(f"{base}/response-rating", json={"level": 9}, headers=citizen(tokens, who))
        assert bad.status_code == 422
    assert await counter(app, "unit", MZJ, "responses_rated") == 2
    assert await counter(app, "unit", MZJ, "responses_satisfied") == 1
    month = local_month(case["opened_at"])
    row = (await client.get(f"/v1/indicators/unit?month={month}&key={MZJ}", headers=handler)).json()["items"][
        0
    ]
    assert row["indicators"]["rectification_satisfaction"] == 0.5
    csv = await client.get(f"/v1/reports/monthly?month={month}&unit={MZJ}&format=csv", headers=handler)
    header, first = csv.text.lstrip("\ufeff").splitlines()[:2]
    column = header.split(",").index("差评整改满意率")
    assert first.split(",")[column] == "50.0%"
