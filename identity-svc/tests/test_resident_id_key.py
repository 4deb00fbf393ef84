"""identity.user.registered.v1 carries `resident_id_key` — HMAC-SHA256 of the resident ID under the
secret identity shares with the licence library (ADR 0014) — when the secret is configured, and
nothing new without it; the event still validates against the committed schema."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from support import Actor, create_staff, make_admin, new_phone, new_resident_id, register_person
from test_events import collect

from identity import events
from identity.config import Settings
from identity.main import create_app
from identity.services.privacy import resident_id_key
from yiwang_shared.holder_keys import holder_key
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer

SECRET = "test-holder-key-secret"
SUBJECT = "identity.user.registered.v1"


def _validator() -> Draft202012Validator:
    schema = json.loads(events.schema_path(events.UserRegistered).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture
async def keyed(make_settings: Callable[..., Settings]) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    """identity-svc with the holder-key secret configured."""
    settings = make_settings(holder_key_secret=SECRET)
    async with running_app(create_app(settings)) as client:
        yield client, settings


async def _registered(nats_url: str, account_id: str) -> tuple[dict[str, Any], str]:
    (got,) = await collect(nats_url, lambda env: env.get("data", {}).get("account_id") == account_id, 1)
    subject, _headers, raw = got
    assert subject == SUBJECT
    env = json.loads(raw)
    assert not [e.message for e in _validator().iter_errors(env)]
    return env["data"], raw.decode()


async def test_with_the_secret_a_resident_and_a_walk_in_carry_the_key_of_their_resident_id(
    keyed: tuple[httpx.AsyncClient, Settings], nats_server: NatsServer
) -> None:
    client, settings = keyed
    rid = new_resident_id()
    person = await register_person(client, "张伟", resident_id=rid)
    data, raw = await _registered(nats_server.url, person.id)
    assert data["resident_id_key"] == holder_key(SECRET, rid)
    assert rid not in raw  # the number itself never travels

    admin: Actor = await make_admin(client, settings)
    clerk = await create_staff(client, admin, "clerk_key", ["window_clerk"])
    walk_in_rid = new_resident_id()
    resp = await client.post(
        "/v1/persons/walk-ins",
        headers=clerk.headers,
        json={"name": "赵大爷", "id_type": "resident_id", "resident_id": walk_in_rid, "phone": new_phone()},
    )
    assert resp.status_code == 201, resp.text
    walk_in, _ = await _registered(nats_server.url, resp.json()["id"])
    assert walk_in["resident_id_key"] == holder_key(SECRET, walk_in_rid) != data["resident_id_key"]

    # Staff and passport holders have no resident ID, so no key.
    staff, _ = await _registered(nats_server.url, clerk.id)
    assert staff["resident_id_key"] is None
    foreigner = await register_person(client, "John Smith", passport_number="E12345678", nationality="GBR")
    passport, _ = await _registered(nats_server.url, foreigner.id)
    assert passport["resident_id_key"] is None


async def test_without_the_secret_no_key_is_published_and_that_is_logged_once(
    client: httpx.AsyncClient, nats_server: NatsServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="identity.privacy")
    first = await register_person(client, "王芳")
    await register_person(client, "李娜")
    data, _ = await _registered(nats_server.url, first.id)
    assert data["resident_id_key"] is None and data["resident_id_masked"]
    warnings = [r for r in caplog.records if "HOLDER_KEY_SECRET" in r.getMessage()]
    assert len(warnings) <= 1  # once per process (an earlier test may have said it already)


def test_the_key_reads_the_number_as_written_either_way() -> None:
    """Lower-case x, full-width digits and spaces do not make another key; another number does."""
    from pydantic import SecretStr

    secret = SecretStr(SECRET)
    rid = "11010519491231002X"
    key = resident_id_key(secret, rid)
    assert (
        key
        == resident_id_key(secret, " 11010519491231002x ")
        == holder_key(SECRET, "１１０１０５19491231002X")
    )
    assert key != resident_id_key(secret, "110105194912310038")
    assert key != resident_id_key(SecretStr("another secret"), rid)
    assert resident_id_key(None, rid) is None and resident_id_key(secret, None) is None
