"""Enterprises (法人): claims by the legal representative, verification at a window, visibility,
LoA minimum."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from support import (
    Actor,
    create_staff,
    make_admin,
    new_resident_id,
    new_uscc,
    problem,
    register_person,
    verify_enterprise,
)

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
    assert ent["status"] == "pending" and ent["reviewed_at"] is None

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
    first = await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲", "uscc": uscc})
    assert first.status_code == 201
    again = await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲", "uscc": uscc})
    problem(again, 409, "identity.enterprise_claim_exists")
    await verify_enterprise(client, admin, first.json()["id"])
    other = await register_person(client)
    dup = await client.post("/v1/enterprises", headers=other.headers, json={"name": "乙", "uscc": uscc})
    assert problem(dup, 409, "identity.enterprise_exists")["detail"].startswith(
        "该统一社会信用代码的企业已核验登记"
    )
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


def _until(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def test_a_claim_does_not_lock_the_real_owner_out(client: httpx.AsyncClient, admin: Actor) -> None:
    """Anyone could register any valid credit code and so become its legal
    representative, and the real owner got 409. Now a registration is a claim: several may name
    one code, and the one a window clerk verifies wins."""
    squatter = await register_person(client, "冒名者")
    owner = await register_person(client, "真法人")
    uscc = new_uscc()
    squat = await client.post(
        "/v1/enterprises", headers=squatter.headers, json={"name": "甲公司", "uscc": uscc}
    )
    assert squat.status_code == 201 and squat.json()["status"] == "pending"
    claim = await client.post("/v1/enterprises", headers=owner.headers, json={"name": "甲公司", "uscc": uscc})
    assert claim.status_code == 201, claim.text
    assert claim.json()["status"] == "pending" and claim.json()["id"] != squat.json()["id"]

    clerk = await create_staff(client, admin, "clerk6", ["window_clerk"])
    pending = (
        await client.get("/v1/enterprises", headers=clerk.headers, params={"uscc": uscc, "status": "pending"})
    ).json()
    assert {e["id"] for e in pending["items"]} == {squat.json()["id"], claim.json()["id"]}
    verified = await verify_enterprise(client, clerk, claim.json()["id"])
    assert verified["status"] == "verified" and verified["loa"] == 4 and verified["reviewed_at"]
    assert verified["legal_representative"]["id"] == owner.id
    # The other claim on the code is turned down, and the squatter is told so when acting.
    lost = (await client.get(f"/v1/enterprises/{squat.json()['id']}", headers=squatter.headers)).json()
    assert lost["status"] == "rejected" and lost["review_note"]
    acted = await client.post(
        "/v1/auth/act-for", headers=squatter.headers, json={"enterprise_id": squat.json()["id"]}
    )
    assert problem(acted, 403, "identity.enterprise_not_verified")["detail"].startswith(
        "该企业登记未通过核验"
    )
    owner_acts = await client.post(
        "/v1/auth/act-for", headers=owner.headers, json={"enterprise_id": claim.json()["id"]}
    )
    assert owner_acts.status_code == 200, owner_acts.text


async def test_a_pending_claim_cannot_act_grant_or_pass_a_check(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    """A self-registered enterprise could at once take act-for tokens, grant
    authority and file applications. Until verified it can do none of these."""
    rep = await register_person(client, "张伟")
    agent = await register_person(client, "李娜")
    ent = (
        await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲公司", "uscc": new_uscc()})
    ).json()
    acted = await client.post("/v1/auth/act-for", headers=rep.headers, json={"enterprise_id": ent["id"]})
    body = problem(acted, 403, "identity.enterprise_not_verified")
    assert body["detail"].startswith("该企业登记尚未核验") and body["enterprise_status"] == "pending"
    grant = await client.post(
        f"/v1/enterprises/{ent['id']}/grants",
        headers=rep.headers,
        json={"grantee_id": agent.id, "scope": ["*"], "valid_until": _until()},
    )
    problem(grant, 403, "identity.enterprise_not_verified")
    check = await client.get(
        "/v1/grants/check", headers=admin.headers, params={"person_id": rep.id, "enterprise_id": ent["id"]}
    )
    assert check.json() == {
        "allowed": False,
        "reason": "enterprise_not_verified",
        "grant_id": None,
        "scope": None,
        "valid_until": None,
    }
    # A stranger learns nothing about the claim's state.
    stranger = await register_person(client)
    strange = await client.post(
        f"/v1/enterprises/{ent['id']}/grants",
        headers=stranger.headers,
        json={"grantee_id": agent.id, "scope": ["*"], "valid_until": _until()},
    )
    problem(strange, 403, "identity.not_allowed_to_grant")
    await verify_enterprise(client, admin, ent["id"])
    assert (
        await client.post("/v1/auth/act-for", headers=rep.headers, json={"enterprise_id": ent["id"]})
    ).status_code == 200


async def test_only_window_clerks_and_admins_verify_or_reject(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    rep = await register_person(client)
    ent = (
        await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲公司", "uscc": new_uscc()})
    ).json()
    seen = {"business_licence_checked": True, "representative_id_checked": True}
    approver = await create_staff(client, admin, "approver6", ["approver"])
    for who in (rep, approver):
        problem(await client.post(f"/v1/enterprises/{ent['id']}/verify", headers=who.headers, json=seen), 403)
        problem(
            await client.post(
                f"/v1/enterprises/{ent['id']}/reject", headers=who.headers, json={"reason": "x"}
            ),
            403,
        )
    clerk = await create_staff(client, admin, "clerk7", ["window_clerk"])
    unseen = await client.post(
        f"/v1/enterprises/{ent['id']}/verify",
        headers=clerk.headers,
        json={"business_licence_checked": False, "representative_id_checked": True},
    )
    assert problem(unseen, 422)["errors"][0]["field"] == "body.business_licence_checked"
    problem(
        await client.post("/v1/enterprises/no-such-id/verify", headers=clerk.headers, json=seen),
        404,
        "identity.enterprise_not_found",
    )
    done = await client.post(
        f"/v1/enterprises/{ent['id']}/verify",
        headers=clerk.headers,
        json={**seen, "name": "甲科技有限公司", "note": "营业执照原件"},
    )
    assert done.status_code == 200 and done.json()["name"] == "甲科技有限公司"
    twice = problem(
        await client.post(f"/v1/enterprises/{ent['id']}/verify", headers=clerk.headers, json=seen),
        409,
        "identity.enterprise_not_pending",
    )
    assert twice["detail"] == "该企业登记已核验通过，不能再次核验。"

    other = await register_person(client)
    claim = (
        await client.post(
            "/v1/enterprises", headers=other.headers, json={"name": "乙公司", "uscc": new_uscc()}
        )
    ).json()
    rejected = await client.post(
        f"/v1/enterprises/{claim['id']}/reject",
        headers=clerk.headers,
        json={"reason": "营业执照上的法定代表人不是本人"},
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    mine = (await client.get(f"/v1/enterprises/{claim['id']}", headers=other.headers)).json()
    assert mine["review_note"] == "营业执照上的法定代表人不是本人"


async def test_granting_by_resident_id_reveals_no_name(client: httpx.AsyncClient, admin: Actor) -> None:
    """A grant by resident ID answered the holder's name (a resident-ID → name
    oracle). Now the grantor must give the name too; a wrong name is answered exactly like an
    unregistered ID, and the grant shows the name masked."""
    rep = await register_person(client, "张伟")
    agent = await register_person(client, "李娜娜")
    ent = (
        await client.post("/v1/enterprises", headers=rep.headers, json={"name": "甲公司", "uscc": new_uscc()})
    ).json()
    await verify_enterprise(client, admin, ent["id"])

    async def grant(**who: str) -> httpx.Response:
        return await client.post(
            f"/v1/enterprises/{ent['id']}/grants",
            headers=rep.headers,
            json={**who, "scope": ["*"], "valid_until": _until()},
        )

    bare = problem(await grant(grantee_resident_id=agent.resident_id or ""), 422)
    assert bare["errors"][0]["message"].startswith("按证件号码授权时，请同时填写被授权人的姓名")
    wrong_name = problem(
        await grant(grantee_resident_id=agent.resident_id or "", grantee_name="王芳"),
        422,
        "identity.grantee_not_found",
    )
    nobody = problem(
        await grant(grantee_resident_id=new_resident_id(), grantee_name="王芳"),
        422,
        "identity.grantee_not_found",
    )
    assert {k: v for k, v in wrong_name.items() if k not in ("request_id", "instance")} == {
        k: v for k, v in nobody.items() if k not in ("request_id", "instance")
    }
    made = await grant(grantee_resident_id=agent.resident_id or "", grantee_name="李娜娜")
    assert made.status_code == 201, made.text
    assert made.json()["grantee"] == {"id": agent.id, "name": "李**"}
    assert "李娜娜" not in made.text and (agent.resident_id or "") not in made.text
    by_id = await grant(grantee_id=agent.id)
    assert by_id.status_code == 201 and "李娜娜" not in by_id.text
    listed = (await client.get("/v1/grants", headers=rep.headers, params={"enterprise_id": ent["id"]})).json()
    assert {g["grantee"]["name"] for g in listed["items"]} == {"李**"}
    # The grantee and staff see the name in full.
    own = (await client.get(f"/v1/grants/{made.json()['id']}", headers=agent.headers)).json()
    assert own["grantee"]["name"] == "李娜娜"
    staff = (await client.get(f"/v1/grants/{made.json()['id']}", headers=admin.headers)).json()
    assert staff["grantee"]["name"] == "李娜娜"


async def test_a_window_clerk_finds_an_enterprise_by_part_of_its_name(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    """The person at the window names their company; the clerk does not know its credit
    code, so staff search by name (a part of it, any case); a person's own list filters the same."""
    rep = await register_person(client, "张伟")
    ent = await register_enterprise(client, rep, name="朝阳Example科技有限公司")
    await register_enterprise(client, await register_person(client), name="海淀示例贸易有限公司")
    clerk = await create_staff(client, admin, "clerk9", ["window_clerk"])
    for part in ("Example科技", "example", "朝阳"):
        found = (await client.get("/v1/enterprises", params={"name": part}, headers=clerk.headers)).json()
        assert [e["id"] for e in found["items"]] == [ent["id"]] and found["total"] == 1, part
    none = (await client.get("/v1/enterprises", params={"name": "无此公司"}, headers=clerk.headers)).json()
    assert none["items"] == [] and none["total"] == 0
    mine = (await client.get("/v1/enterprises", params={"name": "海淀"}, headers=rep.headers)).json()
    assert mine["items"] == []
    mine = (await client.get("/v1/enterprises", params={"name": "朝阳"}, headers=rep.headers)).json()
    assert [e["id"] for e in mine["items"]] == [ent["id"]]
    # A wildcard typed is a character, not a pattern.
    wild = (await client.get("/v1/enterprises", params={"name": "%"}, headers=clerk.headers)).json()
    assert wild["total"] == 0
