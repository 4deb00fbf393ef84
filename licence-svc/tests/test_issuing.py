"""Licences issued by events: an approved, completed application of an item whose result is a
licence type issues it once (redelivery, a second event for the same case); other items, refused
cases and an enterprise case without its enterprise issue nothing or are dead-lettered."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from jsonschema import Draft202012Validator
from licence_support import NOW, citizen, completed, deliver, issued, item_published, user_registered
from sqlalchemy import func, select

from licence.clients.payloads import PayloadRejected
from licence.models import Licence
from licence.services.consumed import NotYetKnown
from licence.services.licences import last_valid_day
from yiwang_shared.calendar import local_date
from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens

SCHEMAS = Path(__file__).resolve().parents[1] / "events"


async def _count(app: FastAPI) -> int:
    async with app.state.db.transaction(write=False) as s:
        return int((await s.execute(select(func.count()).select_from(Licence))).scalar_one())


async def test_completed_application_issues_the_licence_once(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    data = await issued(app, "citizen-1")
    # The same event again, and another event about the same case: still one licence.
    await deliver(app, "intake.application.completed.v1", data)
    await deliver(app, "intake.application.completed.v1", data, event_id="another-event-id")
    assert await _count(app) == 1
    mine = (await client.get("/v1/licences", headers=citizen(tokens, "citizen-1"))).json()
    assert mine["total"] == 1
    licence = mine["items"][0]
    assert licence["type_code"] == "ZDSHBZJLQZ" and licence["type_name"] == "最低生活保障金领取证"
    assert (
        licence["holder_name"] == "张伟" and licence["status"] == "valid" and licence["status_name"] == "有效"
    )
    assert licence["issuing_unit_code"] == "110105-MZJ" and licence["issuing_unit_name"] == "区民政局"
    assert licence["application_no"] == data["application_no"]
    # One year from the completion day (Beijing; the type's validity): valid until the day before.
    start = local_date(NOW)
    assert licence["valid_from"] == start.isoformat()
    assert licence["valid_until"] == last_valid_day(start, 1).isoformat()
    assert licence["allowed_actions"] == []


async def test_what_issues_nothing(app: FastAPI, client: httpx.AsyncClient) -> None:
    await deliver(app, "catalog.item.published.v1", item_published(code="PLAIN", licence_type=None))
    await deliver(app, "catalog.item.published.v1", item_published())
    await deliver(app, "intake.application.completed.v1", completed(item="PLAIN"))
    await deliver(app, "intake.application.completed.v1", completed(decision="refused"))
    with pytest.raises(NotYetKnown, match="NOT-PUBLISHED"):
        await deliver(app, "intake.application.completed.v1", completed(item="NOT-PUBLISHED"))
    assert await _count(app) == 0


async def test_a_case_without_a_holder_is_rejected_for_the_dead_letters(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await deliver(app, "catalog.item.published.v1", item_published())
    with pytest.raises(PayloadRejected, match="enterprise_id"):
        await deliver(app, "intake.application.completed.v1", completed(kind="enterprise"))
    with pytest.raises(PayloadRejected, match="application_no"):
        await deliver(app, "intake.application.completed.v1", {"application_id": "x"})
    assert await _count(app) == 0


async def test_an_applicant_not_yet_known_is_retried_not_issued_nameless(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await deliver(app, "catalog.item.published.v1", item_published())
    data = completed("late-person")
    with pytest.raises(NotYetKnown):
        await deliver(app, "intake.application.completed.v1", data)
    assert await _count(app) == 0
    # Once identity's event has arrived, the redelivery issues it.
    await deliver(app, "identity.user.registered.v1", user_registered("late-person", "赵敏"))
    await deliver(app, "intake.application.completed.v1", data)
    async with app.state.db.transaction(write=False) as s:
        assert (await s.execute(select(Licence.holder_name))).scalar_one() == "赵敏"


async def test_intakes_result_number_validity_and_enterprise_are_used_when_sent(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await deliver(app, "catalog.item.published.v1", item_published(licence_type="SPJYXKZ"))
    await deliver(
        app,
        "intake.application.completed.v1",
        completed(
            "agent-1",
            kind="enterprise",
            enterprise_id="ent-1",
            result_number="JY11105000001",
            valid_until="2031-11-19",
        ),
    )
    async with app.state.db.transaction(write=False) as s:
        licence = (await s.execute(select(Licence))).scalar_one()
    assert (licence.number, licence.holder_kind, licence.holder_account_id) == (
        "JY11105000001",
        "enterprise",
        "ent-1",
    )
    assert str(licence.valid_until) == "2031-11-19"


async def test_an_older_item_version_does_not_replace_a_newer_one(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await deliver(app, "catalog.item.published.v1", item_published(version=2, licence_type=None))
    await deliver(app, "catalog.item.published.v1", item_published(version=1))
    await deliver(app, "identity.user.registered.v1", user_registered("citizen-1"))
    await deliver(app, "intake.application.completed.v1", completed())
    assert await _count(app) == 0


async def test_issued_event_validates_against_its_schema(app: FastAPI, client: httpx.AsyncClient) -> None:
    await issued(app)
    async with app.state.db.transaction(write=False) as s:
        rows = (await s.execute(select(outbox.c.subject, outbox.c.payload))).all()
    assert [subject for subject, _ in rows] == ["licence.licence.issued.v1"]
    for subject, payload in rows:
        schema = json.loads((SCHEMAS / f"{subject}.schema.json").read_text(encoding="utf-8"))
        body = json.loads(payload)
        assert list(Draft202012Validator(schema).iter_errors(body)) == []
        assert "张伟" not in payload.decode()  # no names in events
