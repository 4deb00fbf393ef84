"""Enterprises (法人): registration by the legal representative, visibility, LoA minimum."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from support import Actor, create_staff, make_admin, new_uscc, problem, register_person

from identity.config import Settings
from identity.main import create_app
from yiwang_shared.testing.app import running_app


async def register_enterprise(client: httpx.AsyncClient, rep: Actor, name: str = "示例科技有限公司") -> dict:
    resp = await client.post("/v1/enterprises", headers=rep.headers, json={"name": name, "uscc": new_uscc()})
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def test_register_and_read(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client, "张伟")
    ent = await register_enterprise(client, rep)
    assert ent["legal_representative"] == {"id": rep.id, "name": "张伟"}
    assert ent["relation"] == "legal_representative" and ent["loa"] == 2

    assert (await client.get(f"/v1/enterprises/{ent['id']}", headers=rep.headers)).status_code == 200
    clerk = await create_staff(client, admin, "clerk2", ["window_clerk"])
    seen = (await client.get(f"/v1/enterprises/{ent['id']}", headers=clerk.headers)).json()
    assert seen["relation"] == "staff"
    stranger = await register_person(client, "路人")
    problem(
        await client.get(f"/v1/enterprises/{ent['id']}", headers=stranger.headers),
        404,
        "identity.enterprise_not_found",
    )

    mine = (await client.get("/v1/enterprises", headers=rep.headers)).json()
    assert [e["id"] for e in mine["items"]] == [ent["id"]] and mine["total"] == 1
    assert (await client.get("/v1/enterprises", headers=stranger.headers)).json()["items"] == []
    everyone = (await client.get(f"/v1/enterprises?uscc={ent['uscc']}", headers=clerk.headers)).json()
    assert everyone["total"] == 1


async def test_bad_and_duplicate_uscc(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client)
    uscc = new_uscc()
    wrong = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    resp = await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲", "uscc": wrong})
    err = problem(resp, 422, "validation_failed")["errors"][0]
    assert err["field"] == "body.uscc" and "统一社会信用代码校验位不对" in err["message"]
    english = await client.post(
        "/v1/enterprises",
        headers={**rep.headers, "Accept-Language": "en"},
        json={"name": "甲", "uscc": wrong},
    )
    assert "check character" in problem(english, 422)["errors"][0]["message"]
    assert (
        await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲", "uscc": uscc})
    ).status_code == 201
    other = await register_person(client)
    dup = await client.post("/v1/enterprises", headers=other.headers, json={"name": "乙", "uscc": uscc})
    problem(dup, 409, "identity.enterprise_exists")
    problem(
        await client.post("/v1/enterprises", headers=admin.headers, json={"name": "丙", "uscc": new_uscc()}),
        403,
        "identity.persons_only",
    )


async def test_minimum_loa_is_configurable(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(enterprise_min_loa=3)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        rep = await register_person(client)
        body = {"name": "甲", "uscc": new_uscc()}
        problem(
            await client.post("/v1/enterprises", headers=rep.headers, json=body), 403, "identity.loa_too_low"
        )
        raised = await client.put(
            f"/v1/accounts/{rep.id}/loa", headers=admin.headers, json={"loa": 3, "reason": "两步验证"}
        )
        assert raised.status_code == 200
        assert (await client.post("/v1/enterprises", headers=rep.headers, json=body)).status_code == 201
