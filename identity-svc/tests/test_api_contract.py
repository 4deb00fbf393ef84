"""The API contract (docs/api.md) as a client meets it: one page shape with a hard limit, closed
sets that refuse unknown values, a Location on every 201 that works through the gateway, a typed
JWKS, and named response bodies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from support import (
    PASSWORD,
    Actor,
    create_staff,
    district_id,
    new_phone,
    new_resident_id,
    new_uscc,
    problem,
    register_person,
    verify_enterprise,
)

from identity.schemas.auth import JwkSetRead

#: What the gateway sends: the prefix it stripped from the client's path.
GATEWAY = {"X-Forwarded-Prefix": "/api/identity"}
PAGE_KEYS = {"items", "total", "total_exact", "limit", "offset"}


def _until(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _enterprise(client: httpx.AsyncClient, rep: Actor, **headers: str) -> httpx.Response:
    return await client.post(
        "/v1/enterprises",
        headers={**rep.headers, **headers},
        json={"name": "示例公司", "uscc": new_uscc()},
    )


async def _verified(client: httpx.AsyncClient, rep: Actor, admin: Actor, **headers: str) -> httpx.Response:
    resp = await _enterprise(client, rep, **headers)
    await verify_enterprise(client, admin, resp.json()["id"])
    return resp


async def test_every_collection_is_one_page_shape_with_a_hard_limit(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    person = await register_person(client)
    for path, who in (
        ("/v1/staff", admin),
        ("/v1/enterprises", person),
        ("/v1/grants", person),
        ("/v1/org-units", None),
        ("/v1/auth/keys", admin),
        ("/v1/persons/lookups", admin),
    ):
        headers = who.headers if who else {}
        page = await client.get(path, headers=headers)
        assert page.status_code == 200, (path, page.text)
        body = page.json()
        assert set(body) == PAGE_KEYS and body["limit"] == 50 and body["offset"] == 0, (path, body)
        # Never a silent cut: a limit over 200 is refused and named.
        too_many = problem(await client.get(path, headers=headers, params={"limit": 201}), 422)
        assert too_many["errors"] == [
            {"field": "query.limit", "message": "应不大于 200", "type": "less_than_equal"}
        ], path


async def test_pages_window_and_count_every_match(client: httpx.AsyncClient, admin: Actor) -> None:
    district = await district_id(client)
    for n in range(3):
        resp = await client.post(
            "/v1/org-units",
            headers=admin.headers,
            json={"code": f"D-{n}", "name": f"部门{n}", "kind": "department", "parent_id": district},
        )
        assert resp.status_code == 201, resp.text
    page = (await client.get("/v1/org-units", params={"kind": "department", "limit": 2})).json()
    assert [u["code"] for u in page["items"]] == ["D-0", "D-1"] and page["total"] == 3
    rest = (await client.get("/v1/org-units", params={"kind": "department", "limit": 2, "offset": 2})).json()
    assert [u["code"] for u in rest["items"]] == ["D-2"] and rest["total"] == 3 and rest["offset"] == 2

    rep = await register_person(client)
    ent = (await _verified(client, rep, admin)).json()
    agents = [await register_person(client) for _ in range(3)]
    made = []
    for agent in agents:
        resp = await client.post(
            f"/v1/enterprises/{ent['id']}/grants",
            headers=rep.headers,
            json={"grantee_id": agent.id, "scope": ["*"], "valid_until": _until()},
        )
        made.append(resp.json()["id"])
    await client.post(f"/v1/grants/{made[0]}/confirm", headers=agents[0].headers)
    first = (await client.get("/v1/grants", headers=rep.headers, params={"limit": 2})).json()
    second = (await client.get("/v1/grants", headers=rep.headers, params={"limit": 2, "offset": 2})).json()
    assert first["total"] == second["total"] == 3
    assert [g["id"] for g in first["items"] + second["items"]] == made[::-1]  # newest first
    pending = (await client.get("/v1/grants", headers=rep.headers, params={"status": "pending"})).json()
    assert pending["total"] == 2 and {g["id"] for g in pending["items"]} == set(made[1:])


@pytest.mark.parametrize(
    ("path", "params", "field", "allowed"),
    [
        ("/v1/grants", {"status": "flying"}, "query.status", "'pending'、'active'、'revoked'、'expired'"),
        ("/v1/org-units", {"kind": "flying"}, "query.kind", "'district'、'street'"),
        ("/v1/staff", {"role": "king"}, "query.role", "'window_clerk'、'approver'"),
    ],
)
async def test_unknown_filter_values_are_refused_with_the_allowed_ones(
    client: httpx.AsyncClient, admin: Actor, path: str, params: dict[str, str], field: str, allowed: str
) -> None:
    body = problem(await client.get(path, headers=admin.headers, params=params), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == [field]
    assert (
        body["errors"][0]["message"].startswith("应为以下之一：") and allowed in body["errors"][0]["message"]
    )


async def test_a_malformed_uscc_filter_is_refused_not_answered_empty(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    body = problem(await client.get("/v1/enterprises", headers=admin.headers, params={"uscc": "123"}), 422)
    assert body["errors"][0]["field"] == "query.uscc"
    assert "统一社会信用代码应为 18 位" in body["errors"][0]["message"]


async def test_closed_sets_in_bodies_list_the_allowed_values(client: httpx.AsyncClient, admin: Actor) -> None:
    person = await register_person(client)
    loa = await client.put(
        f"/v1/accounts/{person.id}/loa", headers=admin.headers, json={"loa": 6, "reason": "核验"}
    )
    assert problem(loa, 422)["errors"][0]["message"] == "应为以下之一：2、3、4、5"
    level = await client.post(
        "/v1/org-units",
        headers=admin.headers,
        json={
            "code": "X-9",
            "name": "局",
            "kind": "department",
            "parent_id": await district_id(client),
            "level": 9,
        },
    )
    error = problem(level, 422)["errors"][0]
    assert error["field"] == "body.level" and error["message"].startswith("应为以下之一：1、2、3")
    staff = await create_staff(client, admin, "clerk5", ["window_clerk"])
    frozen = await client.patch(f"/v1/staff/{staff.id}", headers=admin.headers, json={"status": "frozen"})
    assert problem(frozen, 422)["errors"][0]["message"] == "应为以下之一：'active'、'disabled'"


async def test_every_201_has_a_location_the_client_can_follow(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    district = await district_id(client)
    rep = await register_person(client)
    agent = await register_person(client)
    as_admin = {**admin.headers, **GATEWAY}
    person = await client.post(
        "/v1/persons",
        headers=GATEWAY,
        json={"name": "张三", "resident_id": new_resident_id(), "phone": new_phone(), "password": PASSWORD},
    )
    staff = await client.post(
        "/v1/staff",
        headers=as_admin,
        json={
            "username": "clerk7",
            "name": "刘静",
            "org_unit_id": district,
            "roles": ["window_clerk"],
            "password": PASSWORD,
        },
    )
    unit = await client.post(
        "/v1/org-units",
        headers=as_admin,
        json={"code": "L-1", "name": "区民政局", "kind": "department", "parent_id": district},
    )
    ent = await _verified(client, rep, admin, **GATEWAY)
    grant = await client.post(
        f"/v1/enterprises/{ent.json()['id']}/grants",
        headers={**rep.headers, **GATEWAY},
        json={"grantee_id": agent.id, "scope": ["*"], "valid_until": _until()},
    )
    key = await client.post("/v1/auth/keys/rotate", headers=as_admin)
    clerk = await create_staff(client, admin, "clerk8", ["window_clerk"])
    walk_in = await client.post(
        "/v1/persons/walk-ins",
        headers={**clerk.headers, **GATEWAY},
        json={
            "name": "赵大爷",
            "id_type": "resident_id",
            "resident_id": new_resident_id(),
            "phone": new_phone(),
        },
    )
    for resp, collection, reader in (
        (walk_in, "persons", clerk),  # the clerk who registered the walk-in reads it back
        (person, "persons", admin),
        (staff, "staff", admin),
        (unit, "org-units", admin),
        (ent, "enterprises", rep),
        (grant, "grants", rep),
        (key, "auth/keys", admin),
    ):
        assert resp.status_code == 201, resp.text
        ident = resp.json().get("id") or resp.json()["kid"]
        assert resp.headers["location"] == f"/api/identity/v1/{collection}/{ident}"
        # Behind the gateway's prefix is the new resource itself.
        got = await client.get(resp.headers["location"].removeprefix("/api/identity"), headers=reader.headers)
        assert got.status_code == 200, (collection, got.text)
        assert (got.json().get("id") or got.json()["kid"]) == ident
    # Without the gateway the Location is the service's own path.
    direct = await _enterprise(client, rep)
    assert direct.headers["location"] == f"/v1/enterprises/{direct.json()['id']}"


async def test_jwks_is_a_typed_jwk_set(client: httpx.AsyncClient) -> None:
    resp = await client.get("/v1/auth/jwks")
    assert resp.headers["content-type"] == "application/jwk-set+json"
    assert resp.headers["cache-control"] == "public, max-age=300"
    jwks = JwkSetRead.model_validate(resp.json())
    assert [(k.kty, k.use, k.alg) for k in jwks.keys] == [("RSA", "sig", "RS256")]


async def test_key_by_kid_and_rotation_bounds(client: httpx.AsyncClient, admin: Actor) -> None:
    kid = (await client.get("/v1/auth/jwks")).json()["keys"][0]["kid"]
    key = await client.get(f"/v1/auth/keys/{kid}", headers=admin.headers)
    assert key.status_code == 200 and key.json()["status"] == "signing"
    missing = problem(
        await client.get("/v1/auth/keys/nope", headers=admin.headers), 404, "identity.key_not_found"
    )
    assert missing["detail"].startswith("未找到标识为 nope 的签名密钥")
    # A delay past the calendar's end used to overflow into a 500; it is a 422 naming the field.
    huge = await client.post("/v1/auth/keys/rotate", headers=admin.headers, json={"delay_seconds": 10**12})
    assert problem(huge, 422)["errors"][0]["field"] == "body.delay_seconds"


async def test_loa_change_answers_the_account_by_kind(client: httpx.AsyncClient, admin: Actor) -> None:
    person = await register_person(client)
    staff = await create_staff(client, admin, "handler5", ["handler"])
    body = {"loa": 5, "reason": "窗口现场核验"}
    as_person = (await client.put(f"/v1/accounts/{person.id}/loa", headers=admin.headers, json=body)).json()
    as_staff = (await client.put(f"/v1/accounts/{staff.id}/loa", headers=admin.headers, json=body)).json()
    assert (as_person["kind"], as_person["loa"], as_person["masked"]) == ("person", 5, True)
    assert (as_staff["kind"], as_staff["loa"], as_staff["roles"]) == ("staff", 5, ["handler"])
    problem(await client.put("/v1/accounts/nope/loa", headers=admin.headers, json=body), 404)
