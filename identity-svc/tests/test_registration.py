"""Registering persons (resident ID or passport) and creating staff accounts."""

from __future__ import annotations

import httpx
from support import PASSWORD, Actor, create_staff, district_id, new_phone, new_resident_id, problem

from yiwang_shared.validators import resident_id_check_char


async def test_register_person_masks_numbers_and_starts_at_loa_2(client: httpx.AsyncClient) -> None:
    rid, phone = new_resident_id(), new_phone()
    resp = await client.post(
        "/v1/persons", json={"name": "张三", "resident_id": rid, "phone": phone, "password": PASSWORD}
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["kind"] == "person" and body["loa"] == 2 and body["id_type"] == "resident_id"
    assert body["resident_id"] == rid[:6] + "********" + rid[-4:]
    assert body["phone"] == phone[:3] + "****" + phone[-4:]
    assert body["masked"] is True
    assert rid not in resp.text and phone not in resp.text


async def test_bad_resident_id_checksum_names_field_and_rule(client: httpx.AsyncClient) -> None:
    rid = new_resident_id()
    wrong = rid[:17] + ("0" if rid[17] != "0" else "1")
    resp = await client.post(
        "/v1/persons",
        json={"name": "张三", "resident_id": wrong, "phone": "12345", "password": "short"},
    )
    body = problem(resp, 422, "validation_failed")
    by_field = {e["field"]: e["message"] for e in body["errors"]}
    assert "身份证号校验位不对" in by_field["body.resident_id"]
    assert "手机号" in by_field["body.phone"]
    assert "密码至少需要 8 位" in by_field["body.password"]
    assert wrong not in resp.text  # the bad value is not echoed
    # The same in English for a client that asks for it.
    english = await client.post(
        "/v1/persons",
        json={"name": "张三", "resident_id": wrong, "phone": "12345", "password": "short"},
        headers={"Accept-Language": "en"},
    )
    by_field = {e["field"]: e["message"] for e in problem(english, 422)["errors"]}
    assert "check digit" in by_field["body.resident_id"]
    assert "mobile" in by_field["body.phone"]
    assert "at least 8" in by_field["body.password"]


async def test_bad_birth_date_is_refused(client: httpx.AsyncClient) -> None:
    body17 = "11010519901332123"  # month 13
    resp = await client.post(
        "/v1/persons",
        json={
            "name": "张三",
            "resident_id": body17 + resident_id_check_char(body17),
            "phone": new_phone(),
            "password": PASSWORD,
        },
    )
    errors = problem(resp, 422)["errors"]
    assert errors[0]["field"] == "body.resident_id" and "出生日期" in errors[0]["message"]


async def test_duplicate_resident_id_and_phone_are_409(client: httpx.AsyncClient) -> None:
    rid, phone = new_resident_id(), new_phone()
    first = {"name": "张三", "resident_id": rid, "phone": phone, "password": PASSWORD}
    assert (await client.post("/v1/persons", json=first)).status_code == 201
    again = await client.post("/v1/persons", json={**first, "phone": new_phone()})
    problem(again, 409, "identity.resident_id_taken")
    same_phone = await client.post("/v1/persons", json={**first, "resident_id": new_resident_id()})
    problem(same_phone, 409, "identity.phone_taken")


async def test_foreigner_registers_with_passport_and_logs_in_with_it(client: httpx.AsyncClient) -> None:
    body = {
        "name": "John Smith",
        "passport_number": "e12345678",
        "nationality": "GBR",
        "phone": new_phone(),
        "password": PASSWORD,
    }
    resp = await client.post("/v1/persons", json=body)
    assert resp.status_code == 201, resp.text
    assert resp.json()["id_type"] == "passport"
    assert resp.json()["passport_number"] == "E*****678"
    login = await client.post("/v1/auth/login", json={"username": "E12345678", "password": PASSWORD})
    assert login.status_code == 200, login.text
    dup = await client.post("/v1/persons", json={**body, "phone": new_phone()})
    problem(dup, 409, "identity.passport_taken")


async def test_exactly_one_identity_document(client: httpx.AsyncClient) -> None:
    base = {"name": "某人", "phone": new_phone(), "password": PASSWORD}
    neither = await client.post("/v1/persons", json=base)
    assert "一项" in problem(neither, 422)["errors"][0]["message"]
    passport_only = await client.post("/v1/persons", json={**base, "passport_number": "X1234567"})
    assert "国籍" in problem(passport_only, 422)["errors"][0]["message"]
    english = await client.post(
        "/v1/persons", json={**base, "passport_number": "X1234567"}, headers={"Accept-Language": "en"}
    )
    assert "nationality" in problem(english, 422)["errors"][0]["message"]


async def test_admin_creates_staff_with_roles_and_loa_4(client: httpx.AsyncClient, admin: Actor) -> None:
    unit = await district_id(client)
    resp = await client.post(
        "/v1/staff",
        headers=admin.headers,
        json={
            "username": "clerk1",
            "name": "刘静",
            "org_unit_id": unit,
            "roles": ["window_clerk", "approver"],
            "password": PASSWORD,
        },
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["loa"] == 4 and body["roles"] == ["approver", "window_clerk"]
    assert body["org_unit"]["code"] == "110105"
    dup = await client.post(
        "/v1/staff",
        headers=admin.headers,
        json={
            **{"username": "clerk1", "name": "x", "org_unit_id": unit},
            "roles": ["handler"],
            "password": PASSWORD,
        },
    )
    problem(dup, 409, "identity.username_taken")


async def test_unknown_role_and_unknown_unit_are_refused(client: httpx.AsyncClient, admin: Actor) -> None:
    unit = await district_id(client)
    bad_role = await client.post(
        "/v1/staff",
        headers=admin.headers,
        json={"username": "x1", "name": "x", "org_unit_id": unit, "roles": ["king"], "password": PASSWORD},
    )
    assert problem(bad_role, 422)["errors"][0]["field"].startswith("body.roles")
    bad_unit = await client.post(
        "/v1/staff",
        headers=admin.headers,
        json={
            "username": "x2",
            "name": "x",
            "org_unit_id": "nope",
            "roles": ["handler"],
            "password": PASSWORD,
        },
    )
    problem(bad_unit, 422, "identity.org_unit_unknown")


async def test_only_admins_create_staff(client: httpx.AsyncClient, admin: Actor) -> None:
    supervisor = await create_staff(client, admin, "sup1", ["supervisor"])
    body = {
        "username": "x3",
        "name": "x",
        "org_unit_id": await district_id(client),
        "roles": ["handler"],
        "password": PASSWORD,
    }
    problem(await client.post("/v1/staff", headers=supervisor.headers, json=body), 403, "auth.role_required")
    problem(await client.post("/v1/staff", json=body), 401, "auth.required")


async def test_staff_update_and_disable(client: httpx.AsyncClient, admin: Actor) -> None:
    handler = await create_staff(client, admin, "handler1", ["handler"])
    resp = await client.patch(
        f"/v1/staff/{handler.id}", headers=admin.headers, json={"roles": ["handler", "dispatcher"]}
    )
    assert resp.status_code == 200 and resp.json()["roles"] == ["dispatcher", "handler"]
    listing = await client.get("/v1/staff?role=dispatcher", headers=admin.headers)
    assert [s["username"] for s in listing.json()["items"]] == ["handler1"]
    resp = await client.patch(f"/v1/staff/{handler.id}", headers=admin.headers, json={"status": "disabled"})
    assert resp.status_code == 200
    login = await client.post("/v1/auth/login", json={"username": "handler1", "password": PASSWORD})
    problem(login, 403, "identity.account_disabled")
