"""Events arrive on the real NATS JetStream (stream IDENTITY) through the outbox, with the
envelope, and validate against the committed JSON Schemas."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import nats
import pytest
from jsonschema import Draft202012Validator
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import NotFoundError
from support import Actor, create_staff, district_id, new_uscc, register_person

from identity import events
from yiwang_shared.testing.guards import stale_event_schemas
from yiwang_shared.testing.nats import NatsServer

ENVELOPE_FIELDS = {"event_id", "type", "version", "occurred_at", "producer", "correlation_id", "data"}


def _validators() -> dict[str, Draft202012Validator]:
    out = {}
    for payload in events.EVENTS:
        schema = json.loads(events.schema_path(payload).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        out[payload.subject()] = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
    return out


def test_committed_schemas_are_current() -> None:
    """Regenerate with `python -m identity.events` when a payload changes (bump .vN on a break)."""
    assert stale_event_schemas(events.CATALOG) == []


async def collect(
    nats_url: str, wanted: Callable[[dict[str, Any]], bool], count: int, timeout: float = 15
) -> list[tuple[str, dict[str, str], bytes]]:
    """Pull from stream IDENTITY (identity.>) until `count` wanted events arrived."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    durable = "test__" + uuid.uuid4().hex[:12]
    deadline = time.monotonic() + timeout
    found: list[tuple[str, dict[str, str], bytes]] = []
    try:
        while True:
            try:
                await js.stream_info("IDENTITY")
                break
            except NotFoundError:
                assert time.monotonic() < deadline, "stream IDENTITY never appeared"
                await asyncio.sleep(0.1)
        sub = await js.pull_subscribe("identity.>", durable=durable, stream="IDENTITY")
        while len(found) < count and time.monotonic() < deadline:
            try:
                msgs = await sub.fetch(500, timeout=0.5)
            except (NatsTimeout, TimeoutError):
                continue
            for msg in msgs:
                await msg.ack()
                if wanted(json.loads(msg.data)):
                    found.append((msg.subject, dict(msg.headers or {}), msg.data))
        await js.delete_consumer("IDENTITY", durable)
    finally:
        await nc.close()
    return found


async def test_events_arrive_with_envelope_and_match_schemas(
    client: httpx.AsyncClient, admin: Actor, nats_server: NatsServer
) -> None:
    ids: set[str] = {admin.id}
    district = await district_id(client)
    ids.add(district)
    street = await client.post(
        "/v1/org-units",
        headers=admin.headers,
        json={"code": "110105001", "name": "朝外街道", "kind": "street", "parent_id": district},
    )
    ids.add(street.json()["id"])
    await client.patch(f"/v1/org-units/{street.json()['id']}", headers=admin.headers, json={"name": "朝外"})
    staff = await create_staff(client, admin, "handler7", ["handler"])
    ids.add(staff.id)
    rep = await register_person(client, "张伟")
    agent = await register_person(client, "李娜")
    sub_agent = await register_person(client, "王芳")
    ids |= {rep.id, agent.id, sub_agent.id}
    ent = (
        await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲公司", "uscc": new_uscc()})
    ).json()
    until = "2099-01-01T00:00:00+08:00"
    g1 = (
        await client.post(
            f"/v1/enterprises/{ent['id']}/grants",
            headers=rep.headers,
            json={"grantee_id": agent.id, "scope": ["*"], "valid_until": until, "may_delegate": True},
        )
    ).json()
    await client.post(f"/v1/grants/{g1['id']}/confirm", headers=agent.headers)
    g2 = (
        await client.post(
            f"/v1/enterprises/{ent['id']}/grants",
            headers=agent.headers,
            json={"grantee_id": sub_agent.id, "scope": ["I1"], "valid_until": until},
        )
    ).json()
    ids |= {g1["id"], g2["id"]}
    await client.post(f"/v1/grants/{g1['id']}/revoke", headers=rep.headers, json={"reason": "测试"})

    def ours(env: dict[str, Any]) -> bool:
        data = env.get("data", {})
        return any(data.get(k) in ids for k in ("account_id", "org_unit_id", "grant_id"))

    expected = {
        # bootstrap: district + admin; street created + updated; staff; three persons
        "identity.org_unit.changed.v1": 3,
        "identity.user.registered.v1": 5,
        "identity.grant.created.v1": 2,
        "identity.grant.confirmed.v1": 1,
        "identity.grant.revoked.v1": 2,
    }
    got = await collect(nats_server.url, ours, sum(expected.values()))
    by_subject: dict[str, list[dict[str, Any]]] = {}
    validators = _validators()
    for subject, headers, raw in got:
        env = json.loads(raw)
        assert set(env) == ENVELOPE_FIELDS
        assert subject == f"{env['type']}.v{env['version']}" and env["producer"] == "identity"
        assert headers["Nats-Msg-Id"] == env["event_id"]
        errors = [e.message for e in validators[subject].iter_errors(env)]
        assert not errors, (subject, errors)
        for person in (rep, agent, sub_agent):  # never a clear number in an event
            assert person.resident_id not in raw.decode() and (person.phone or "") not in raw.decode()
        by_subject.setdefault(subject, []).append(env)
    assert {s: len(v) for s, v in by_subject.items()} == expected

    registered = {e["data"]["account_id"]: e["data"] for e in by_subject["identity.user.registered.v1"]}
    assert registered[rep.id]["resident_id_masked"] == rep.resident_id[:6] + "********" + rep.resident_id[-4:]
    assert registered[staff.id]["roles"] == ["handler"] and registered[staff.id]["kind"] == "staff"
    changes = [
        (e["data"]["change"], e["data"]["changed_fields"])
        for e in by_subject["identity.org_unit.changed.v1"]
        if e["data"]["org_unit_id"] == street.json()["id"]
    ]
    assert ("updated", ["name"]) in changes
    revoked = {e["data"]["grant_id"]: e["data"] for e in by_subject["identity.grant.revoked.v1"]}
    assert revoked[g1["id"]]["cascade_of"] is None and revoked[g2["id"]]["cascade_of"] == g1["id"]
    # The request that caused an event is its correlation id.
    assert all(e["correlation_id"] for e in by_subject["identity.grant.created.v1"])


@pytest.mark.parametrize("payload", events.EVENTS, ids=lambda p: p.subject())
def test_schemas_refuse_clear_numbers_fields(payload: type[events.EventPayload]) -> None:
    """The payloads have no field for a clear resident ID, passport or phone number."""
    fields = set(payload.model_fields)
    assert not fields & {"resident_id", "passport_number", "phone"}
