"""/v1/me and /v1/persons/{id}: masking by default, unmask for the owner and admins only."""

from __future__ import annotations

import logging

import httpx
import pytest
from support import PASSWORD, Actor, create_staff, problem, register_person

from yiwang_shared.logging import JsonFormatter


async def test_owner_sees_masked_numbers_by_default_and_clear_on_request(
    client: httpx.AsyncClient,
) -> None:
    person = await register_person(client)
    assert person.resident_id and person.phone
    me = (await client.get("/v1/me", headers=person.headers)).json()["account"]
    assert me["resident_id"] == person.resident_id[:6] + "********" + person.resident_id[-4:]
    assert me["phone"] == person.phone[:3] + "****" + person.phone[-4:] and me["masked"] is True

    profile = await client.get(f"/v1/persons/{person.id}", headers=person.headers)
    assert profile.status_code == 200 and profile.json()["resident_id"] == me["resident_id"]

    clear = (await client.get(f"/v1/persons/{person.id}?unmask=true", headers=person.headers)).json()
    assert clear["resident_id"] == person.resident_id and clear["phone"] == person.phone
    assert clear["masked"] is False
    me_clear = (await client.get("/v1/me?unmask=true", headers=person.headers)).json()["account"]
    assert me_clear["resident_id"] == person.resident_id


async def test_admin_may_read_and_unmask(client: httpx.AsyncClient, admin: Actor) -> None:
    person = await register_person(client)
    masked = (await client.get(f"/v1/persons/{person.id}", headers=admin.headers)).json()
    assert masked["masked"] is True
    clear = (await client.get(f"/v1/persons/{person.id}?unmask=true", headers=admin.headers)).json()
    assert clear["resident_id"] == person.resident_id


async def test_others_get_404_and_403_for_unmask(client: httpx.AsyncClient, admin: Actor) -> None:
    alice = await register_person(client, "爱丽丝")
    bob = await register_person(client, "鲍勃")
    problem(
        await client.get(f"/v1/persons/{alice.id}", headers=bob.headers), 404, "identity.person_not_found"
    )
    # Same answer as for an id that does not exist: existence is not revealed.
    problem(await client.get("/v1/persons/no-such-id", headers=bob.headers), 404, "identity.person_not_found")
    problem(
        await client.get(f"/v1/persons/{alice.id}?unmask=true", headers=bob.headers),
        403,
        "identity.unmask_forbidden",
    )
    clerk = await create_staff(client, admin, "clerk9", ["window_clerk"])
    problem(await client.get(f"/v1/persons/{alice.id}", headers=clerk.headers), 404)
    problem(await client.get(f"/v1/persons/{alice.id}?unmask=true", headers=clerk.headers), 403)
    problem(await client.get(f"/v1/persons/{alice.id}"), 401, "auth.required")


async def test_me_for_staff(client: httpx.AsyncClient, admin: Actor) -> None:
    me = (await client.get("/v1/me", headers=admin.headers)).json()
    assert me["account"]["kind"] == "staff" and me["account"]["roles"] == ["admin"]
    assert me["account"]["org_unit"]["code"] == "110105" and me["acting_for"] is None


async def test_admin_raises_loa(client: httpx.AsyncClient, admin: Actor) -> None:
    person = await register_person(client)
    body = {"loa": 4, "reason": "证件与本人在窗口核验一致"}
    resp = await client.put(f"/v1/accounts/{person.id}/loa", headers=admin.headers, json=body)
    assert resp.status_code == 200 and resp.json()["loa"] == 4
    problem(await client.put(f"/v1/accounts/{person.id}/loa", headers=person.headers, json=body), 403)
    bad = await client.put(
        f"/v1/accounts/{person.id}/loa", headers=admin.headers, json={"loa": 6, "reason": "x"}
    )
    problem(bad, 422)


async def test_personal_numbers_never_reach_logs_or_problems(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    person = await register_person(client)
    assert person.resident_id and person.phone
    wrong = await client.post(
        "/v1/auth/login", json={"username": person.resident_id, "password": "wrong-pass-1"}
    )
    dup = await client.post(
        "/v1/persons",
        json={"name": "x", "resident_id": person.resident_id, "phone": person.phone, "password": PASSWORD},
    )
    await client.get("/v1/me?unmask=true", headers=person.headers)
    # At INFO nothing logs the numbers at all; at DEBUG the database driver logs query
    # parameters, which the shared log formatter masks.
    raw = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    formatter = JsonFormatter("identity")
    formatted = "\n".join(formatter.format(r) for r in caplog.records)
    for number in (person.resident_id, person.phone):
        assert number not in raw and number not in formatted
        assert number not in wrong.text and number not in dup.text
