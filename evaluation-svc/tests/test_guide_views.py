"""Guide views that cannot set the conversion indicator (issue 14, point 12): the server's time, not
the client's; one counted view per client and item a day (the account, else the forwarded
address, stored only as a keyed hash); a rate limit per client with Retry-After."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
import time_machine
from eval_support import citizen, counter, staff
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import select

from evaluation.models import GuideViewMark
from evaluation.services.guide_views import RateLimiter, forget_old_marks
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.clients import address_key
from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens

AT = datetime(2026, 11, 18, 23, 50, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _late_evening() -> Iterator[None]:
    with time_machine.travel(AT, tick=True):
        yield


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def _views(app: FastAPI, item: str) -> int:
    return await counter(app, "item", item, "guide_views")


async def test_a_back_dated_view_is_refused_and_the_servers_time_is_used(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    back = await client.post(
        "/v1/guide-views", json={"item_code": "ITEM-A", "viewed_at": "2026-01-05T10:00:00+08:00"}
    )
    assert back.status_code == 422, back.text
    assert [e["field"] for e in back.json()["errors"]] == ["body.viewed_at"]
    assert await _views(app, "ITEM-A") == 0
    ok = await client.post("/v1/guide-views", json={"item_code": "ITEM-A"}, headers=_from("10.9.0.1"))
    assert ok.status_code == 202, ok.text
    body = ok.json()
    assert body["counted"] is True and body["month"] == "2026-11"
    assert abs(datetime.fromisoformat(body["viewed_at"]) - AT) < timedelta(minutes=1)
    assert await counter(app, "item", "ITEM-A", "guide_views") == 1


async def test_one_view_per_client_and_item_a_day(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    item = "ITEM-B"
    answers = [
        (await client.post("/v1/guide-views", json={"item_code": item}, headers=h)).json()["counted"]
        for h in (
            _from("10.9.1.1"),
            _from("10.9.1.1"),  # the same reader again
            _from("10.9.1.2"),  # another reader
            _from("2001:db8:1:2::10"),
            _from("2001:db8:1:2::99"),  # the same /64: the same household or phone
            _from("203.0.113.7, 10.9.1.3"),  # behind a trusted ingress: the client is the one before
            citizen(tokens, "reader-1") | _from("10.9.1.1"),  # logged in: the account, not the address
            citizen(tokens, "reader-1") | _from("10.9.1.4"),
        )
    ]
    assert answers == [True, False, True, True, False, True, True, False]
    assert await _views(app, item) == 5
    other = await client.post("/v1/guide-views", json={"item_code": "ITEM-C"}, headers=_from("10.9.1.1"))
    assert other.json()["counted"] is True  # another item is another view
    with time_machine.travel(AT + timedelta(minutes=15), tick=True):  # 00:05: a new day in Beijing
        again = await client.post("/v1/guide-views", json={"item_code": item}, headers=_from("10.9.1.1"))
        assert again.json()["counted"] is True and again.json()["month"] == "2026-11"
    assert await _views(app, item) == 6
    async with app.state.db.transaction(write=False) as s:
        marks = (await s.execute(select(GuideViewMark))).scalars().all()
        stored = " ".join(f"{m.client} {m.item_code}" for m in marks)
        payloads = " ".join(
            p if isinstance(p, str) else bytes(p).decode()
            for p in (await s.execute(select(outbox.c.payload))).scalars()
        )
    assert len(marks) == 7 and all(len(m.client) == 64 for m in marks)
    for address in ("10.9.1.1", "2001:db8", "203.0.113.7", "10.9.1.3", "reader-1"):
        assert address not in stored and address not in payloads


async def test_too_many_views_from_one_client_are_refused_with_retry_after(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    limit = app.state.settings.guide_view_rate_per_minute
    for i in range(limit):
        resp = await client.post(
            "/v1/guide-views", json={"item_code": f"ITEM-{i}"}, headers=_from("10.9.2.1")
        )
        assert resp.status_code == 202, (i, resp.text)
    refused = await client.post("/v1/guide-views", json={"item_code": "ITEM-X"}, headers=_from("10.9.2.1"))
    assert refused.status_code == 429 and refused.json()["code"] == "evaluation.guide_views_rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 2 and "秒后再试" in refused.json()["detail"]
    assert await _views(app, "ITEM-X") == 0
    others = await client.post("/v1/guide-views", json={"item_code": "ITEM-X"}, headers=_from("10.9.2.2"))
    assert others.status_code == 202  # another client has its own allowance
    staffed = staff(tokens, "110105-ZWB", "window_clerk") | _from("10.9.2.1")
    assert (
        await client.post("/v1/guide-views", json={"item_code": "ITEM-X"}, headers=staffed)
    ).status_code == 202


def test_the_bucket_refills_evenly() -> None:
    bucket = RateLimiter(per_minute=6, max_clients=2)
    assert [bucket.take("a", now=0.0) for _ in range(6)] == [0.0] * 6
    assert bucket.take("a", now=0.0) == pytest.approx(10.0)  # one token every 10 s
    assert bucket.take("a", now=10.0) == 0.0
    bucket.take("b", now=10.0)
    bucket.take("c", now=10.0)  # only two clients are remembered: "a", idle longest, is forgotten
    assert bucket.take("a", now=10.0) == 0.0


def test_addresses_are_grouped_as_one_client_each() -> None:
    assert address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert address_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert address_key("192.0.2.1") == "192.0.2.1"
    assert address_key("unknown") == "unknown"


async def test_marks_of_past_days_are_forgotten(app: FastAPI, client: httpx.AsyncClient) -> None:
    await client.post("/v1/guide-views", json={"item_code": "ITEM-D"}, headers=_from("10.9.3.1"))
    async with app.state.db.transaction() as s:
        assert await forget_old_marks(s, today=AT.date() + timedelta(days=1)) == 0  # yesterday's stay
        assert await forget_old_marks(s, today=AT.date() + timedelta(days=2)) == 1


async def test_a_hostile_item_code_is_text_in_the_csv_and_xlsx_reports(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    """Issue 15, point 7: anyone's guide view put a live formula in the monthly XLSX, and one control
    character made that month's XLSX answer 500 for good."""
    for code in ("=2+5*cmd|calc", "ITEM\x01X"):
        resp = await client.post("/v1/guide-views", json={"item_code": code}, headers=_from("10.9.7.1"))
        assert resp.status_code == 202, resp.text
    evaluator = staff(tokens, "X", "evaluator")
    url = "/v1/reports/monthly?month=2026-11&by=item"
    csv = await client.get(url + "&format=csv", headers=evaluator)
    assert csv.status_code == 200, csv.text
    keys = [line.split(",", 1)[0] for line in csv.text.lstrip("\ufeff").splitlines()[1:]]
    assert "'=2+5*cmd|calc" in keys and "ITEMX" in keys and not [k for k in keys if k.startswith("=")]
    xlsx = await client.get(url + "&format=xlsx", headers=evaluator)
    assert xlsx.status_code == 200, xlsx.text
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    column = [ws.cell(row=r, column=1) for r in range(3, ws.max_row + 1)]
    cells = {c.value: c.data_type for c in column}
    assert cells["'=2+5*cmd|calc"] == "s" and "ITEMX" in cells
