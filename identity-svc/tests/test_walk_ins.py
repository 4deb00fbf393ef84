"""A person without an account, at the window: the clerk registers them (no
password), a second registration of the same document gives the clerk the account's id to go on
(recorded as a lookup), and the person later claims the account by registering online with the
same document, name and mobile. Registration by a citizen never reveals an account's id."""

from __future__ import annotations

from typing import Any

import httpx
from support import (
    PASSWORD,
    Actor,
    create_staff,
    login,
    new_phone,
    new_resident_id,
    problem,
    register_person,
)

GATEWAY = {"X-Forwarded-Prefix": "/api/identity"}


def _walk_in(**fields: Any) -> dict[str, Any]:
    body = {
        "name": "赵大爷",
        "id_type": "resident_id",
        "resident_id": new_resident_id(),
        "phone": new_phone(),
    }
    body.update(fields)
    return body


async def _register_walk_in(client: httpx.AsyncClient, clerk: Actor, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/v1/persons/walk-ins", headers={**clerk.headers, **GATEWAY}, json=body)


async def test_clerk_registers_a_walk_in_without_a_password(client: httpx.AsyncClient, admin: Actor) -> None:
    clerk = await create_staff(client, admin, "clerk1", ["window_clerk"])
    body = _walk_in()
    resp = await _register_walk_in(client, clerk, body)
    assert resp.status_code == 201, resp.text
    person = resp.json()
    assert resp.headers["location"] == f"/api/identity/v1/persons/{person['id']}"
    assert (person["kind"], person["name"], person["id_type"]) == ("person", "赵大爷", "resident_id")
    assert person["has_login"] is False and person["registration_channel"] == "window"
    assert person["loa"] == 4  # the clerk checked the person against the document
    assert person["resident_id"] == body["resident_id"][:6] + "********" + body["resident_id"][-4:]
    assert body["resident_id"] not in resp.text and body["phone"] not in resp.text

    # The clerk who registered them can follow the Location (masked); not unmask, and no one else.
    mine = await client.get(f"/v1/persons/{person['id']}", headers=clerk.headers)
    assert mine.status_code == 200 and mine.json()["masked"] is True
    problem(
        await client.get(f"/v1/persons/{person['id']}?unmask=true", headers=clerk.headers),
        403,
        "identity.unmask_forbidden",
    )
    colleague = await create_staff(client, admin, "clerk2", ["window_clerk"])
    problem(await client.get(f"/v1/persons/{person['id']}", headers=colleague.headers), 404)

    # Nobody logs in to an account without a password: the same answer as for an unknown user.
    for username in (body["resident_id"], body["phone"]):
        resp = await client.post("/v1/auth/login", json={"username": username, "password": PASSWORD})
        problem(resp, 401, "identity.invalid_credentials")

    # A lookup finds the walk-in and says it has no login yet.
    found = await client.post(
        "/v1/persons/lookup",
        headers=colleague.headers,
        json={"resident_id": body["resident_id"], "reason": "窗口受理"},
    )
    assert found.status_code == 200 and found.json()["id"] == person["id"]
    assert found.json()["has_login"] is False


async def test_registering_a_known_document_gives_staff_the_account_id(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    clerk = await create_staff(client, admin, "clerk3", ["window_clerk"])
    supervisor = await create_staff(client, admin, "sup3", ["supervisor"])
    citizen = await register_person(client, "王芳")
    first = _walk_in()
    walk_in = (await _register_walk_in(client, clerk, first)).json()

    # A citizen registered online, and a walk-in registered earlier: both named by id to the clerk.
    for rid, owner in ((citizen.resident_id, citizen.id), (first["resident_id"], walk_in["id"])):
        again = problem(
            await _register_walk_in(client, clerk, _walk_in(resident_id=rid)), 409, "identity.person_exists"
        )
        assert again["person_id"] == owner
        assert (
            again["detail"] == "该证件号码已有账号，无需重复登记。请使用返回的 person_id 继续为申请人办理。"
        )

    # Each such answer disclosed who holds a document: recorded as the clerk's lookups.
    records = (
        await client.get("/v1/persons/lookups", headers=supervisor.headers, params={"staff_id": clerk.id})
    ).json()["items"]
    assert [(r["purpose"], r["found"], r["person"]["id"]) for r in records] == [
        ("walk_in", True, walk_in["id"]),
        ("walk_in", True, citizen.id),
    ]
    assert records[0]["reason"] == "窗口登记时发现该证件已有账号"


async def test_a_phone_of_another_account_is_refused_without_naming_it(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    clerk = await create_staff(client, admin, "clerk4", ["window_clerk"])
    relative = await register_person(client, "赵小明")
    refused = problem(
        await _register_walk_in(client, clerk, _walk_in(phone=relative.phone)), 409, "identity.phone_taken"
    )
    assert "person_id" not in refused and relative.id not in str(refused)
    assert refused["detail"] == "该手机号已登记在其他人的账号下。请向申请人确认本人的手机号后重新填写。"


async def test_the_walk_in_claims_the_account_by_registering_online(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    clerk = await create_staff(client, admin, "clerk5", ["window_clerk"])
    body = _walk_in(name="赵 大爷")
    walk_in = (await _register_walk_in(client, clerk, body)).json()
    register = {
        "name": "赵大爷",
        "resident_id": body["resident_id"],
        "phone": body["phone"],
        "password": PASSWORD,
    }

    # Another mobile: a 409 that sends them to a window, and tells nothing of what is on file.
    wrong_phone = new_phone()
    refused = problem(
        await client.post("/v1/persons", json={**register, "phone": wrong_phone}),
        409,
        "identity.walk_in_details_differ",
    )
    assert "窗口" in refused["detail"]
    text = str(refused)
    assert body["phone"] not in text and body["phone"][-4:] not in text and walk_in["id"] not in text
    problem(
        await client.post("/v1/persons", json={**register, "name": "赵二爷"}),
        409,
        "identity.walk_in_details_differ",
    )
    problem(
        await client.post("/v1/auth/login", json={"username": body["phone"], "password": PASSWORD}),
        401,
        "identity.invalid_credentials",
    )

    # The details the clerk recorded: the account is theirs, with a password and LoA 2.
    claimed = await client.post("/v1/persons", headers=GATEWAY, json=register)
    assert claimed.status_code == 201, claimed.text
    assert claimed.json()["id"] == walk_in["id"]
    assert claimed.json()["has_login"] is True and claimed.json()["loa"] == 2
    assert claimed.headers["location"] == f"/api/identity/v1/persons/{walk_in['id']}"
    tokens = await login(client, body["resident_id"])
    me = (await client.get("/v1/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})).json()
    assert me["account"]["id"] == walk_in["id"] and me["account"]["registration_channel"] == "window"

    # Claimed once: from now on a registration with the document is the ordinary 409, without an id.
    again = problem(await client.post("/v1/persons", json=register), 409, "identity.resident_id_taken")
    assert walk_in["id"] not in str(again) and "person_id" not in again


async def test_registration_by_a_citizen_never_reveals_the_account_id(client: httpx.AsyncClient) -> None:
    citizen = await register_person(client, "王芳")
    body = {"name": "王芳", "resident_id": citizen.resident_id, "phone": new_phone(), "password": PASSWORD}
    taken = await client.post("/v1/persons", json=body)
    problem(taken, 409, "identity.resident_id_taken")
    assert citizen.id not in taken.text and "person_id" not in taken.json()
    phone_taken = await client.post(
        "/v1/persons", json={**body, "resident_id": new_resident_id(), "phone": citizen.phone}
    )
    problem(phone_taken, 409, "identity.phone_taken")
    assert citizen.id not in phone_taken.text


async def test_only_window_clerks_and_admins_register_walk_ins(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    citizen = await register_person(client, "王芳")
    for role in ("approver", "hotline_agent", "handler", "supervisor", "evaluator"):
        staff = await create_staff(client, admin, f"w-{role.replace('_', '-')}", [role])
        problem(await _register_walk_in(client, staff, _walk_in()), 403, "auth.role_required")
    problem(await _register_walk_in(client, citizen, _walk_in()), 403, "auth.role_required")
    problem(await client.post("/v1/persons/walk-ins", json=_walk_in()), 401, "auth.required")
    resp = await _register_walk_in(client, admin, _walk_in())
    assert resp.status_code == 201, resp.text


async def test_a_foreigner_by_passport_and_the_document_type_rules(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    clerk = await create_staff(client, admin, "clerk6", ["window_clerk"])
    body = {"name": "John Smith", "id_type": "passport", "passport_number": "e7654321", "nationality": "GBR"}
    resp = await _register_walk_in(client, clerk, {**body, "phone": new_phone()})
    assert resp.status_code == 201, resp.text
    assert resp.json()["id_type"] == "passport" and resp.json()["passport_number"] == "E****321"
    again = problem(
        await _register_walk_in(client, clerk, {**body, "phone": new_phone()}), 409, "identity.person_exists"
    )
    assert again["person_id"] == resp.json()["id"]

    mixed = await _register_walk_in(client, clerk, {**body, "id_type": "resident_id", "phone": new_phone()})
    assert (
        problem(mixed, 422)["errors"][0]["message"]
        == "证件类型为居民身份证时，请填写居民身份证号 resident_id。"
    )
    no_nationality = {"name": "x", "id_type": "passport", "passport_number": "E1234567", "phone": new_phone()}
    assert (
        "国籍" in problem(await _register_walk_in(client, clerk, no_nationality), 422)["errors"][0]["message"]
    )
    both = _walk_in(id_type="passport", passport_number="E1234567", nationality="GBR")
    assert problem(await _register_walk_in(client, clerk, both), 422)["errors"][0]["message"] == (
        "证件类型为护照时，请删去居民身份证号。"
    )
    unknown_type = problem(await _register_walk_in(client, clerk, _walk_in(id_type="driving_licence")), 422)
    assert unknown_type["errors"][0]["field"] == "body.id_type"
