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
from support import (
    Actor,
    create_staff,
    district_id,
    new_phone,
    new_resident_id,
    register_person,
    verified_enterprise,
)

from identity import events
from identity.config import Settings
from identity.services.staff_sync import republish_staff
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
    ent = await verified_enterprise(client, rep, admin, "甲公司")
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
        return any(data.get(k) in ids for k in ("account_id", "org_unit_id", "grant_id", "staff_id"))

    expected = {
        # bootstrap: district + admin; street created + updated; staff; three persons
        "identity.org_unit.changed.v1": 3,
        "identity.user.registered.v1": 5,
        "identity.staff.changed.v1": 2,
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
    assert registered[rep.id]["channel"] == "online" and registered[rep.id]["registered_by"] is None
    assert registered[staff.id]["roles"] == ["handler"] and registered[staff.id]["kind"] == "staff"
    assert registered[staff.id]["channel"] == "admin"
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


async def test_staff_changes_are_published_for_other_services_read_models(
    client: httpx.AsyncClient, admin: Actor, nats_server: NatsServer
) -> None:
    """Created, each real change (name, unit, roles, re-enabled) and disabled: one event each, with
    the account as it now is; a change that changes nothing publishes nothing."""
    district = await district_id(client)
    window = await client.post(
        "/v1/org-units",
        headers=admin.headers,
        json={
            "code": "110105-ZWFW",
            "name": "区政务服务中心",
            "kind": "service_centre",
            "parent_id": district,
        },
    )
    clerk = await create_staff(client, admin, "clerk8", ["window_clerk"])
    for change in (
        {"name": "刘静"},
        {"org_unit_id": window.json()["id"]},
        {"roles": ["window_clerk", "approver"]},
        {"roles": ["approver", "window_clerk"], "name": "刘静"},  # the same again: no event
        {"status": "disabled"},
        {"status": "active"},
    ):
        resp = await client.patch(f"/v1/staff/{clerk.id}", headers=admin.headers, json=change)
        assert resp.status_code == 200, resp.text

    got = await collect(nats_server.url, lambda env: env.get("data", {}).get("staff_id") == clerk.id, 6)
    validator = _validators()["identity.staff.changed.v1"]
    seen = []
    for subject, _headers, raw in got:
        env = json.loads(raw)
        assert subject == "identity.staff.changed.v1"
        assert not [e.message for e in validator.iter_errors(env)]
        seen.append(env["data"])
    assert [(d["change"], d["name"], d["org_unit_code"], d["roles"], d["status"]) for d in seen] == [
        ("created", "工作人员clerk8", "110105", ["window_clerk"], "active"),
        ("updated", "刘静", "110105", ["window_clerk"], "active"),
        ("updated", "刘静", "110105-ZWFW", ["window_clerk"], "active"),
        ("updated", "刘静", "110105-ZWFW", ["approver", "window_clerk"], "active"),
        ("disabled", "刘静", "110105-ZWFW", ["approver", "window_clerk"], "disabled"),
        ("updated", "刘静", "110105-ZWFW", ["approver", "window_clerk"], "active"),
    ]
    assert all(d["username"] == "clerk8" and d["staff_id"] == clerk.id for d in seen)
    assert seen[2]["org_unit_id"] == window.json()["id"]
    stamps = [d["changed_at"] for d in seen]
    assert stamps == sorted(stamps)  # read models keep the newest by changed_at


async def test_a_walk_in_registration_says_where_and_by_whom(
    client: httpx.AsyncClient, admin: Actor, nats_server: NatsServer
) -> None:
    clerk = await create_staff(client, admin, "clerk9", ["window_clerk"])
    rid, phone = new_resident_id(), new_phone()
    resp = await client.post(
        "/v1/persons/walk-ins",
        headers=clerk.headers,
        json={"name": "赵大爷", "id_type": "resident_id", "resident_id": rid, "phone": phone},
    )
    assert resp.status_code == 201, resp.text
    person_id = resp.json()["id"]
    (got,) = await collect(nats_server.url, lambda env: env.get("data", {}).get("account_id") == person_id, 1)
    subject, _headers, raw = got
    env = json.loads(raw)
    assert subject == "identity.user.registered.v1"
    assert not [e.message for e in _validators()[subject].iter_errors(env)]
    assert env["data"]["channel"] == "window" and env["data"]["registered_by"] == clerk.id
    assert env["data"]["loa"] == 4 and env["data"]["kind"] == "person"
    assert rid not in raw.decode() and phone not in raw.decode()


async def test_staff_sync_tells_a_new_read_model_every_account(
    client: httpx.AsyncClient, admin: Actor, settings: Settings, nats_server: NatsServer
) -> None:
    """`python -m identity.services.staff_sync`: one event per account, as it is, for read models
    started late."""
    clerk = await create_staff(client, admin, "clerk10", ["window_clerk"])
    gone = await create_staff(client, admin, "clerk11", ["window_clerk"])
    await client.patch(f"/v1/staff/{gone.id}", headers=admin.headers, json={"status": "disabled"})
    assert await republish_staff(settings.resolved_database_url()) == 3  # with the administrator

    wanted = {admin.id, clerk.id, gone.id}
    got = await collect(nats_server.url, lambda env: env.get("data", {}).get("staff_id") in wanted, 7)
    seen = [json.loads(raw)["data"] for _subject, _headers, raw in got]
    assert sorted((d["staff_id"], d["change"], d["status"]) for d in seen) == sorted(
        [
            (admin.id, "created", "active"),
            (admin.id, "updated", "active"),
            (clerk.id, "created", "active"),
            (clerk.id, "updated", "active"),
            (gone.id, "created", "active"),
            (gone.id, "disabled", "disabled"),  # the administrator's change
            (gone.id, "disabled", "disabled"),  # and the sync's, as the account now is
        ]
    )
    # The sync says when the account last changed, not when it was re-sent.
    disabled = [d["changed_at"] for d in seen if d["staff_id"] == gone.id and d["change"] == "disabled"]
    assert disabled[0] == disabled[1]
