"""Legal-person multi-level authorisation: grant, confirm, act for, delegate, revoke, check."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from support import Actor, claims, create_staff, problem, register_person, verified_enterprise


def _until(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def _enterprise(client: httpx.AsyncClient, rep: Actor, admin: Actor) -> dict:
    return await verified_enterprise(client, rep, admin)


async def _grant(
    client: httpx.AsyncClient, grantor: Actor, ent_id: str, grantee: Actor, **body: object
) -> httpx.Response:
    payload = {"grantee_id": grantee.id, "scope": ["*"], "valid_until": _until(), **body}
    return await client.post(f"/v1/enterprises/{ent_id}/grants", headers=grantor.headers, json=payload)


async def _act_for(client: httpx.AsyncClient, who: Actor, ent_id: str) -> httpx.Response:
    return await client.post("/v1/auth/act-for", headers=who.headers, json={"enterprise_id": ent_id})


async def _check(
    client: httpx.AsyncClient, asker: Actor, person: Actor, ent_id: str, item: str | None = None
) -> dict:
    params = {"person_id": person.id, "enterprise_id": ent_id}
    if item:
        params["item_code"] = item
    resp = await client.get("/v1/grants/check", headers=asker.headers, params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def test_grant_lifecycle(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client, "张伟")
    agent = await register_person(client, "李娜")
    ent = await _enterprise(client, rep, admin)

    resp = await _grant(client, rep, ent["id"], agent, scope=["ITEM-1", "ITEM-2"], may_delegate=True)
    assert resp.status_code == 201, resp.text
    grant = resp.json()
    assert grant["status"] == "pending" and grant["current"] is False
    assert grant["grantee"] == {"id": agent.id, "name": "李*"} and grant["parent_grant_id"] is None  # masked

    # Pending: cannot act yet.
    problem(await _act_for(client, agent, ent["id"]), 403, "identity.no_valid_grant")
    assert (await _check(client, agent, agent, ent["id"], "ITEM-1"))["reason"] == "grant_pending"

    # Only the grantee confirms.
    problem(await client.post(f"/v1/grants/{grant['id']}/confirm", headers=rep.headers), 404)
    confirmed = await client.post(f"/v1/grants/{grant['id']}/confirm", headers=agent.headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "active"
    problem(
        await client.post(f"/v1/grants/{grant['id']}/confirm", headers=agent.headers),
        409,
        "identity.grant_not_pending",
    )

    acted = await _act_for(client, agent, ent["id"])
    assert acted.status_code == 200, acted.text
    act = acted.json()["act"]
    assert act == {
        "entity_id": ent["id"],
        "uscc": ent["uscc"],
        "grant_id": grant["id"],
        "scope": ["ITEM-1", "ITEM-2"],
    }
    token = acted.json()["access_token"]
    c = claims(token)
    assert c["act"] == act and c["sub"] == agent.id and c["typ"] == "access"
    me = (await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})).json()
    assert me["acting_for"]["entity_id"] == ent["id"] and me["acting_for"]["name"] == "示例公司"

    assert await _check(client, agent, agent, ent["id"], "ITEM-1") == {
        "allowed": True,
        "grant_id": grant["id"],
        "reason": "grant",
        "scope": ["ITEM-1", "ITEM-2"],
        "valid_until": confirmed.json()["valid_until"],
    }
    assert (await _check(client, agent, agent, ent["id"], "ITEM-9"))["reason"] == "out_of_scope"
    # The agent now sees the enterprise.
    seen = await client.get(f"/v1/enterprises/{ent['id']}", headers=agent.headers)
    assert seen.status_code == 200 and seen.json()["relation"] == "agent"

    # Revoked: act-for refused, the act-for token already issued stops working here.
    revoked = await client.post(
        f"/v1/grants/{grant['id']}/revoke", headers=rep.headers, json={"reason": "离职"}
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_ids"] == [grant["id"]]
    assert revoked.json()["grant"]["status"] == "revoked"
    problem(await _act_for(client, agent, ent["id"]), 403, "identity.no_valid_grant")
    problem(
        await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}),
        403,
        "identity.no_valid_grant",
    )
    assert (await _check(client, agent, agent, ent["id"], "ITEM-1"))["reason"] == "grant_revoked"
    # Revoking again changes nothing.
    again = await client.post(f"/v1/grants/{grant['id']}/revoke", headers=rep.headers)
    assert again.status_code == 200 and again.json()["revoked_ids"] == []


async def test_legal_rep_always_acts_with_full_scope(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client)
    ent = await _enterprise(client, rep, admin)
    acted = await _act_for(client, rep, ent["id"])
    assert acted.status_code == 200, acted.text
    assert acted.json()["act"] == {
        "entity_id": ent["id"],
        "uscc": ent["uscc"],
        "grant_id": "",
        "scope": ["*"],
    }
    assert await _check(client, rep, rep, ent["id"], "ANY") == {
        "allowed": True,
        "grant_id": None,
        "reason": "legal_representative",
        "scope": ["*"],
        "valid_until": None,
    }


async def test_multi_level_delegation_and_cascade(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client, "法人")
    a = await register_person(client, "经办人甲")
    b = await register_person(client, "经办人乙")
    c = await register_person(client, "经办人丙")
    ent = await _enterprise(client, rep, admin)

    ga = (
        await _grant(client, rep, ent["id"], a, scope=["I1", "I2"], may_delegate=True, valid_until=_until(30))
    ).json()
    # Not confirmed yet: A cannot delegate.
    problem(
        await _grant(client, a, ent["id"], b, scope=["I1"], valid_until=_until(10)),
        403,
        "identity.not_allowed_to_grant",
    )
    await client.post(f"/v1/grants/{ga['id']}/confirm", headers=a.headers)

    # Beyond A's scope or validity: refused.
    problem(
        await _grant(client, a, ent["id"], b, scope=["I3"], valid_until=_until(10)),
        403,
        "identity.grant_exceeds_authority",
    )
    problem(
        await _grant(client, a, ent["id"], b, scope=["*"], valid_until=_until(10)),
        403,
        "identity.grant_exceeds_authority",
    )
    problem(
        await _grant(client, a, ent["id"], b, scope=["I1"], valid_until=_until(60)),
        403,
        "identity.grant_exceeds_authority",
    )

    gb = await _grant(client, a, ent["id"], b, scope=["I1"], may_delegate=True, valid_until=_until(10))
    assert gb.status_code == 201, gb.text
    gb_body = gb.json()
    assert gb_body["parent_grant_id"] == ga["id"] and gb_body["grantor_id"] == a.id
    await client.post(f"/v1/grants/{gb_body['id']}/confirm", headers=b.headers)
    gc = (await _grant(client, b, ent["id"], c, scope=["I1"], valid_until=_until(5))).json()
    await client.post(f"/v1/grants/{gc['id']}/confirm", headers=c.headers)
    # C may not delegate further.
    problem(
        await _grant(client, c, ent["id"], a, scope=["I1"], valid_until=_until(1)),
        403,
        "identity.not_allowed_to_grant",
    )

    assert (await _check(client, c, c, ent["id"], "I1"))["allowed"] is True
    # The legal rep sees every grant of the enterprise; B sees the ones it gave or holds.
    all_grants = (await client.get(f"/v1/grants?enterprise_id={ent['id']}", headers=rep.headers)).json()
    assert {g["id"] for g in all_grants["items"]} == {ga["id"], gb_body["id"], gc["id"]}
    assert all_grants["total"] == 3
    b_sees = (await client.get(f"/v1/grants?enterprise_id={ent['id']}", headers=b.headers)).json()
    assert {g["id"] for g in b_sees["items"]} == {gb_body["id"], gc["id"]}
    active = (
        await client.get(f"/v1/grants?enterprise_id={ent['id']}&status=active", headers=rep.headers)
    ).json()
    assert active["total"] == 3

    # C (grantee, not grantor) may not revoke; a stranger gets 404.
    problem(
        await client.post(f"/v1/grants/{gc['id']}/revoke", headers=c.headers),
        403,
        "identity.not_allowed_to_revoke",
    )
    stranger = await register_person(client)
    problem(await client.post(f"/v1/grants/{gc['id']}/revoke", headers=stranger.headers), 404)
    problem(await client.get(f"/v1/grants/{gc['id']}", headers=stranger.headers), 404)

    # The legal rep revokes A's grant: B's and C's go with it.
    resp = await client.post(f"/v1/grants/{ga['id']}/revoke", headers=rep.headers)
    assert resp.status_code == 200
    assert resp.json()["revoked_ids"] == [ga["id"], gb_body["id"], gc["id"]]
    for person in (a, b, c):
        problem(await _act_for(client, person, ent["id"]), 403, "identity.no_valid_grant")
        assert (await _check(client, person, person, ent["id"], "I1"))["reason"] == "grant_revoked"
    got = (await client.get(f"/v1/grants/{gc['id']}", headers=c.headers)).json()
    assert (
        got["status"] == "revoked" and got["revoke_reason"] == f"上级授权 {ga['id']} 已撤销，本授权随之撤销。"
    )


async def test_grantor_revokes_own_sub_grant_only(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client)
    a = await register_person(client)
    b = await register_person(client)
    ent = await _enterprise(client, rep, admin)
    ga = (await _grant(client, rep, ent["id"], a, may_delegate=True)).json()
    await client.post(f"/v1/grants/{ga['id']}/confirm", headers=a.headers)
    gb = (await _grant(client, a, ent["id"], b, valid_until=_until(5))).json()
    resp = await client.post(f"/v1/grants/{gb['id']}/revoke", headers=a.headers)
    assert resp.json()["revoked_ids"] == [gb["id"]]
    # A's own grant is untouched.
    assert (await client.get(f"/v1/grants/{ga['id']}", headers=a.headers)).json()["status"] == "active"
    # A may not revoke the grant it holds (it is not the grantor).
    problem(await client.post(f"/v1/grants/{ga['id']}/revoke", headers=a.headers), 403)


async def test_grant_by_resident_id_and_bad_requests(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client)
    agent = await register_person(client)
    ent = await _enterprise(client, rep, admin)
    by_rid = await client.post(
        f"/v1/enterprises/{ent['id']}/grants",
        headers=rep.headers,
        json={
            "grantee_resident_id": agent.resident_id,
            "grantee_name": "张三",
            "scope": ["*"],
            "valid_until": _until(),
        },
    )
    assert by_rid.status_code == 201 and by_rid.json()["grantee"]["id"] == agent.id
    assert agent.resident_id not in by_rid.text

    problem(await _grant(client, rep, ent["id"], rep), 422, "identity.grant_to_self")
    mixed = await _grant(client, rep, ent["id"], agent, scope=["*", "I1"])
    assert "授权范围" in problem(mixed, 422)["errors"][0]["message"]
    past = await _grant(
        client, rep, ent["id"], agent, valid_until=(datetime.now(UTC) - timedelta(days=1)).isoformat()
    )
    problem(past, 422, "identity.grant_window")
    naive = await _grant(client, rep, ent["id"], agent, valid_until="2030-01-01T00:00:00")
    assert problem(naive, 422)["errors"][0]["field"] == "body.valid_until"
    stranger = await register_person(client)
    problem(await _grant(client, stranger, ent["id"], agent), 403, "identity.not_allowed_to_grant")
    problem(await _grant(client, admin, ent["id"], agent), 403, "identity.persons_only")


async def test_check_permissions_and_expiry(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client)
    agent = await register_person(client)
    other = await register_person(client)
    ent = await _enterprise(client, rep, admin)
    soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    g = (await _grant(client, rep, ent["id"], agent, valid_until=soon)).json()
    await client.post(f"/v1/grants/{g['id']}/confirm", headers=agent.headers)
    dispatcher = await create_staff(client, admin, "disp1", ["dispatcher"])
    assert (await _check(client, dispatcher, agent, ent["id"], "X"))["allowed"] is True
    # A person may ask only about themselves.
    resp = await client.get(
        "/v1/grants/check", headers=other.headers, params={"person_id": agent.id, "enterprise_id": ent["id"]}
    )
    problem(resp, 403, "identity.check_forbidden")
    assert (await _check(client, other, other, ent["id"]))["reason"] == "no_grant"
    acted = (await _act_for(client, agent, ent["id"])).json()
    assert claims(acted["access_token"])["exp"] <= int(datetime.fromisoformat(g["valid_until"]).timestamp())
    await asyncio.sleep(2.1)
    assert (await _check(client, dispatcher, agent, ent["id"], "X"))["reason"] == "grant_expired"
    problem(await _act_for(client, agent, ent["id"]), 403, "identity.no_valid_grant")
    listed = (await client.get(f"/v1/grants/{g['id']}", headers=agent.headers)).json()
    assert listed["status"] == "expired"
    # The state filter works out expiry from valid_until too.
    for state, expected in (("expired", [g["id"]]), ("active", []), ("pending", [])):
        page = (await client.get("/v1/grants", headers=agent.headers, params={"status": state})).json()
        assert [x["id"] for x in page["items"]] == expected and page["total"] == len(expected), state
    # An expired grant cannot be confirmed either.
    g2 = (
        await _grant(
            client, rep, ent["id"], other, valid_until=(datetime.now(UTC) + timedelta(seconds=1)).isoformat()
        )
    ).json()
    await asyncio.sleep(1.1)
    problem(
        await client.post(f"/v1/grants/{g2['id']}/confirm", headers=other.headers),
        409,
        "identity.grant_not_pending",
    )


async def test_staff_cannot_act_for(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client)
    ent = await _enterprise(client, rep, admin)
    problem(await _act_for(client, admin, ent["id"]), 403, "identity.persons_only")
    problem(await client.post("/v1/auth/act-for", headers=rep.headers, json={"enterprise_id": "nope"}), 404)
