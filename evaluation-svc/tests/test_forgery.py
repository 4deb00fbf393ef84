"""Issue 15, point 2: staff can neither forge ratings nor suppress the citizen's.

Before: `POST /window-visits` and `POST /service-events/{id}/rating-codes` handed the one-time code
to the clerk, who could rate the service himself (and the citizen then got 409); a clerk rated ten
of his own visits into first place of 服务之星; a clerk registered a visit for another unit and
opened a bad-review case against it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from eval_support import (
    MZJ,
    RSJ,
    WINDOW,
    citizen,
    completed,
    counter,
    deliver,
    office,
    org_units,
    pad_code,
    rating_pad,
    service_event_of,
    staff,
)
from fastapi import FastAPI

from evaluation.config import Settings
from evaluation.main import create_app
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.orm import utcnow
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens

CLERK = "clerk-wang"


def clerk(tokens: TestTokens, window: str = WINDOW, subject: str = CLERK) -> dict[str, str]:
    """A window clerk at `window`."""
    return staff(tokens, window, "window_clerk", subject=subject)


async def test_no_rating_code_is_ever_handed_to_staff(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    visit = await client.post("/v1/window-visits", json={"item_name": "高龄津贴"}, headers=clerk(tokens))
    assert visit.status_code == 201, visit.text
    assert "rating_code" not in visit.text and "code" not in visit.json()
    assert visit.headers["location"].endswith(f"/v1/service-events/{visit.json()['id']}")
    # The route that issued codes to the serving unit's staff is gone, for every role.
    await deliver(app, "intake.application.completed.v1", completed(applicant="citizen-li"))
    event = await service_event_of(client, tokens, "citizen-li")
    for who in (clerk(tokens), staff(tokens, MZJ, "approver"), office(tokens)):
        issued = await client.post(f"/v1/service-events/{event['id']}/rating-codes", headers=who)
        assert issued.status_code in (404, 405) and "rating_code" not in issued.text
    # Nor can a clerk stand in for the applicant: without the applicant's login there is no way in.
    as_clerk = await client.post(
        f"/v1/service-events/{event['id']}/rating", json={"level": 1, "channel": "pc"}, headers=clerk(tokens)
    )
    assert as_clerk.status_code == 404
    own = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": 2, "channel": "mobile"},
        headers=citizen(tokens, "citizen-li"),
    )
    assert own.status_code == 201 and own.json()["real_name"] is True


async def test_the_windows_pad_gets_the_code_with_the_secret_the_office_registered(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    refused = await client.post("/v1/rating-devices", json={"window_code": WINDOW}, headers=clerk(tokens))
    assert refused.status_code == 403 and refused.json()["code"] == "evaluation.not_office"
    pad = await rating_pad(client, tokens, WINDOW)
    listed = await client.get("/v1/rating-devices", params={"window_code": WINDOW}, headers=office(tokens))
    assert [d["id"] for d in listed.json()["items"]] == [pad[0]] and "secret" not in listed.text
    assert (await client.get("/v1/rating-devices", headers=clerk(tokens))).status_code == 403

    nothing = await client.post(f"/v1/rating-devices/{pad[0]}/code", json={"secret": pad[1]})
    assert nothing.status_code == 404 and nothing.json()["code"] == "evaluation.no_visit_to_rate"
    visit = (
        await client.post("/v1/window-visits", json={"item_name": "高龄津贴"}, headers=clerk(tokens))
    ).json()
    wrong = await client.post(f"/v1/rating-devices/{pad[0]}/code", json={"secret": "guessed"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "evaluation.device_secret_invalid"
    # Another window's pad does not see this window's visit.
    other = await rating_pad(client, tokens, f"{MZJ}-W02")
    assert (
        await client.post(f"/v1/rating-devices/{other[0]}/code", json={"secret": other[1]})
    ).status_code == 404
    shown = await pad_code(client, pad)
    assert shown["service_event_id"] == visit["id"] and shown["item_name"] == "高龄津贴"
    rated = await client.post(
        f"/v1/service-events/{visit['id']}/rating",
        json={"level": 1, "channel": "device", "code": shown["rating_code"]},
    )
    assert rated.status_code == 201 and rated.json()["real_name"] is False
    # Rated: the pad has nothing more to show; a retired pad gets no code at all.
    again = await client.post(f"/v1/rating-devices/{pad[0]}/code", json={"secret": pad[1]})
    assert again.status_code == 404
    retired = await client.post(f"/v1/rating-devices/{pad[0]}/retire", headers=office(tokens))
    assert retired.status_code == 200 and retired.json()["retired_at"] is not None
    await client.post("/v1/window-visits", json={}, headers=clerk(tokens))
    gone = await client.post(f"/v1/rating-devices/{pad[0]}/code", json={"secret": pad[1]})
    assert gone.status_code == 401


async def test_the_served_persons_own_rating_supersedes_a_code_rating(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    window = f"{MZJ}-W05"
    await org_units(app, MZJ, window)  # the window below the unit, whose handler sees its cases
    pad = await rating_pad(client, tokens, window)
    visit = await client.post(
        "/v1/window-visits", json={"served_subject": "citizen-zhao"}, headers=clerk(tokens, window)
    )
    event_id = visit.json()["id"]
    # Someone at the pad (the clerk, say) gets in first with a bad review of the visit...
    shown = await pad_code(client, pad)
    first = await client.post(
        f"/v1/service-events/{event_id}/rating",
        json={"level": 5, "channel": "device", "code": shown["rating_code"], "comment": "x"},
    )
    assert first.status_code == 201
    handler = staff(tokens, MZJ, "handler")
    case = next(
        c
        for c in (await client.get("/v1/bad-reviews", headers=handler)).json()["items"]
        if c["rating_id"] == first.json()["id"]
    )
    assert await counter(app, "window", window, "ratings_bad") == 1
    # ...and the person served, logged in, still rates: their rating stands, the other is superseded.
    own = await client.post(
        f"/v1/service-events/{event_id}/rating",
        json={"level": 2, "channel": "mobile"},
        headers=citizen(tokens, "citizen-zhao"),
    )
    assert own.status_code == 201, own.text
    assert own.json()["real_name"] is True and own.json()["superseded_at"] is None
    old = await client.get(f"/v1/ratings/{first.json()['id']}", headers=office(tokens))
    assert old.json()["superseded_at"] is not None and old.json()["excluded"] is True
    closed = await client.get(f"/v1/bad-reviews/{case['id']}", headers=handler)
    assert closed.json()["status"] == "superseded" and closed.json()["closed_at"] is not None
    assert closed.json()["steps"][-1]["action"] == "superseded"
    for name, value in (("ratings", 1), ("ratings_good", 1), ("ratings_bad", 0)):
        assert await counter(app, "window", window, name) == value, name
    mine = await client.get("/v1/service-events/mine", headers=citizen(tokens, "citizen-zhao"))
    assert mine.json()["items"][0]["rating_id"] == own.json()["id"]
    # Theirs is final: neither a second own rating nor a code gets past it.
    twice = await client.post(
        f"/v1/service-events/{event_id}/rating",
        json={"level": 1, "channel": "mobile"},
        headers=citizen(tokens, "citizen-zhao"),
    )
    assert twice.status_code == 409 and twice.json()["code"] == "evaluation.already_rated"


async def test_a_clerk_registers_visits_only_for_the_own_window_and_its_unit(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    foreign = await client.post("/v1/window-visits", json={"unit_code": RSJ}, headers=clerk(tokens))
    assert foreign.status_code == 403 and foreign.json()["code"] == "evaluation.visit_unit_forbidden"
    assert "不能为其他单位" in foreign.json()["detail"] and RSJ in foreign.json()["detail"]
    for unit in (None, MZJ, WINDOW):
        body: dict[str, Any] = {} if unit is None else {"unit_code": unit}
        ok = await client.post("/v1/window-visits", json=body, headers=clerk(tokens))
        assert ok.status_code == 201, ok.text
        assert ok.json()["unit_code"] == (unit or WINDOW) and ok.json()["window_code"] == WINDOW


@pytest.fixture
async def bursty(
    database_url: str, nats_server: NatsServer, tokens: TestTokens
) -> AsyncIterator[httpx.AsyncClient]:
    """evaluation-svc where 3 ratings on one clerk's visits within an hour are a burst."""
    settings = Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        overdue_scan_seconds=3600,
        burst_ratings=3,
        burst_minutes=60,
    )
    async with running_app(create_app(settings), verifier=tokens.verifier()) as c:
        yield c


async def _rate_own_visits(client: httpx.AsyncClient, tokens: TestTokens, subject: str, n: int) -> list[str]:
    """A clerk registers `n` visits and rates each at the window's pad: the ratings' ids."""
    window = f"{MZJ}-W0{n}"
    pad = await rating_pad(client, tokens, window)
    ids = []
    for _ in range(n):
        visit = await client.post("/v1/window-visits", json={}, headers=clerk(tokens, window, subject))
        shown = await pad_code(client, pad)
        rated = await client.post(
            f"/v1/service-events/{visit.json()['id']}/rating",
            json={"level": 1, "channel": "device", "code": shown["rating_code"]},
        )
        assert rated.status_code == 201, rated.text
        ids.append(rated.json()["id"])
    return ids


async def _stars(client: httpx.AsyncClient, tokens: TestTokens) -> list[str]:
    month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    ranking = await client.get("/v1/rankings/service_star", params={"month": month}, headers=office(tokens))
    assert ranking.status_code == 200, ranking.text
    return [r["key"] for r in ranking.json()["rows"]]


async def test_a_burst_of_ratings_on_one_clerks_visits_is_flagged_and_held_out_of_the_ranking(
    bursty: httpx.AsyncClient, tokens: TestTokens
) -> None:
    client = bursty
    rule = {"title": "服务之星", "dimension": "staff", "indicator": "good_rate", "min_ratings": 2, "top_n": 5}
    put = await client.put("/v1/ranking-rules/service_star", json=rule, headers=office(tokens))
    assert put.status_code in (200, 201), put.text
    honest = await _rate_own_visits(client, tokens, "clerk-honest", 2)  # below the burst
    forged = await _rate_own_visits(client, tokens, "clerk-forger", 3)
    assert await _stars(client, tokens) == ["clerk-honest"]  # the forger's burst is held out

    flags = await client.get("/v1/rating-flags", params={"status": "open"}, headers=office(tokens))
    assert flags.status_code == 200, flags.text
    [flag] = flags.json()["items"]
    assert flag["staff_id"] == "clerk-forger" and flag["ratings"] == 3
    assert sorted(flag["rating_ids"]) == sorted(forged) and not set(honest) & set(flag["rating_ids"])
    held = await client.get(f"/v1/ratings/{forged[0]}", headers=staff(tokens, MZJ, "handler"))
    assert held.json()["held"] is True
    # The unit's staff can neither read nor decide flags; a supervisor reads them, the office decides.
    assert (await client.get("/v1/rating-flags", headers=staff(tokens, MZJ, "handler"))).status_code == 403
    supervisor = staff(tokens, "110105-ZWB", "supervisor")
    assert (await client.get("/v1/rating-flags", headers=supervisor)).status_code == 200
    decide = {"genuine": True, "note": "已调取录像核实"}
    for who in (clerk(tokens), supervisor):
        refused = await client.post(f"/v1/rating-flags/{flag['id']}/decision", json=decide, headers=who)
        assert refused.status_code == 403 and refused.json()["code"] == "evaluation.not_office"
    cleared = await client.post(
        f"/v1/rating-flags/{flag['id']}/decision", json=decide, headers=office(tokens)
    )
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    assert sorted(await _stars(client, tokens)) == ["clerk-forger", "clerk-honest"]
    twice = await client.post(f"/v1/rating-flags/{flag['id']}/decision", json=decide, headers=office(tokens))
    assert twice.status_code == 409 and twice.json()["code"] == "evaluation.flag_decided"


async def test_a_burst_the_office_finds_forged_leaves_the_indicators(
    bursty: httpx.AsyncClient, tokens: TestTokens
) -> None:
    client = bursty
    forged = await _rate_own_visits(client, tokens, "clerk-forger", 4)
    flag = (await client.get("/v1/rating-flags", headers=office(tokens))).json()["items"][0]
    assert flag["ratings"] == 4 and sorted(flag["rating_ids"]) == sorted(forged)
    month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    staff_figures = await client.get(
        "/v1/indicators/staff", params={"month": month, "key": "clerk-forger"}, headers=office(tokens)
    )
    assert staff_figures.json()["items"][0]["indicators"]["ratings"] == 4  # counted until decided
    rejected = await client.post(
        f"/v1/rating-flags/{flag['id']}/decision",
        json={"genuine": False, "note": "本人刷评"},
        headers=office(tokens),
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    after = await client.get(
        "/v1/indicators/staff", params={"month": month, "key": "clerk-forger"}, headers=office(tokens)
    )
    assert after.json()["items"][0]["indicators"]["ratings"] == 0
    kept = await client.get(f"/v1/ratings/{forged[0]}", headers=office(tokens))
    assert kept.status_code == 200 and kept.json()["excluded"] is True and kept.json()["held"] is False
