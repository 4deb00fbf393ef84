"""Citizens meet identity-svc's refusals in Chinese — registering, logging in, their own account,
grants — and an integrator who sends `Accept-Language: en` reads the same in English. The code
never changes with the language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from support import (
    PASSWORD,
    Actor,
    create_staff,
    make_admin,
    new_phone,
    new_resident_id,
    problem,
    register_person,
    verified_enterprise,
)

from identity.config import Settings
from identity.main import create_app
from yiwang_shared.testing.app import running_app

EN = {"Accept-Language": "en"}


def _until(days: int = 30) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def test_registration_refusals(client: httpx.AsyncClient) -> None:
    rid, phone = new_resident_id(), new_phone()
    first = {"name": "张三", "resident_id": rid, "phone": phone, "password": PASSWORD}
    assert (await client.post("/v1/persons", json=first)).status_code == 201

    again = problem(await client.post("/v1/persons", json={**first, "phone": new_phone()}), 409)
    assert again["title"] == "当前状态不允许此操作"
    assert again["detail"] == "该居民身份证号已注册过账号，请直接登录；如忘记密码，请联系管理员重置。"
    english = problem(await client.post("/v1/persons", json={**first, "phone": new_phone()}, headers=EN), 409)
    assert english["title"] == "Conflict" and english["detail"].startswith("An account is already registered")
    assert again["code"] == english["code"] == "identity.resident_id_taken"

    same_phone = {**first, "resident_id": new_resident_id()}
    assert problem(await client.post("/v1/persons", json=same_phone), 409)["detail"].startswith(
        "该手机号已被"
    )

    # A validator's own rule, in Chinese: a resident ID and a passport at once.
    both = {**first, "resident_id": new_resident_id(), "passport_number": "E1234567", "nationality": "GBR"}
    errors = problem(await client.post("/v1/persons", json=both), 422)["errors"]
    assert errors[0]["message"] == "请填写居民身份证号或护照号码中的一项（不能都填，也不能都不填）。"
    errors = problem(await client.post("/v1/persons", json=both, headers=EN), 422)["errors"]
    assert errors[0]["message"] == "give exactly one of resident_id or passport_number"
    weak = problem(await client.post("/v1/persons", json={**first, "password": "onlyletters"}), 422)
    assert weak["errors"][0]["message"] == "密码须同时包含字母和数字，请重新设置。"


async def test_login_refusals(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(lockout_delay_after=2, lockout_base_delay_seconds=30)
    async with running_app(create_app(settings)) as client:
        person = await register_person(client)
        bad = {"username": person.phone, "password": "wrong-pass-1"}
        wrong = problem(await client.post("/v1/auth/login", json=bad), 401, "identity.invalid_credentials")
        assert wrong["title"] == "需要登录" and wrong["detail"].startswith("账号或密码不正确")
        english = problem(await client.post("/v1/auth/login", json=bad, headers=EN), 401)
        assert english["detail"] == "The username or password is wrong."
        waiting = problem(await client.post("/v1/auth/login", json=bad), 429, "identity.login_throttled")
        assert waiting["title"] == "请求过于频繁"
        assert (
            waiting["detail"]
            == f"密码已连续输错多次，为保护账号安全，请 {waiting['retry_after_seconds']} 秒后再试。"
        )

        reused = person.refresh_token
        assert (await client.post("/v1/auth/refresh", json={"refresh_token": reused})).status_code == 200
        replay = problem(await client.post("/v1/auth/refresh", json={"refresh_token": reused}), 401)
        assert replay["detail"].startswith("该刷新令牌已使用过")


async def test_own_account_refusals(client: httpx.AsyncClient) -> None:
    alice = await register_person(client, "爱丽丝")
    bob = await register_person(client, "鲍勃")
    wrong = await client.post(
        "/v1/me/password",
        headers=alice.headers,
        json={"current_password": "not-it-123", "new_password": "N3w-password"},
    )
    assert problem(wrong, 403, "identity.password_wrong")["detail"] == "当前密码不正确，请核对后重新输入。"
    same = await client.post(
        "/v1/me/password",
        headers=alice.headers,
        json={"current_password": PASSWORD, "new_password": PASSWORD},
    )
    assert problem(same, 422, "identity.password_unchanged")["detail"].startswith("新密码不能与当前密码相同")
    peek = await client.get(f"/v1/persons/{bob.id}?unmask=true", headers=alice.headers)
    assert problem(peek, 403)["detail"] == "只有本人或管理员可以查看完整的证件号码和手机号。"
    other = problem(await client.get(f"/v1/persons/{bob.id}", headers={**alice.headers, **EN}), 404)
    assert other["detail"] == "No such person." and other["code"] == "identity.person_not_found"


async def test_grant_refusals(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client, "法人")
    agent = await register_person(client, "经办人")
    stranger = await register_person(client, "路人")
    ent = await verified_enterprise(client, rep, admin)

    async def act_for(who: Actor) -> httpx.Response:
        return await client.post("/v1/auth/act-for", headers=who.headers, json={"enterprise_id": ent["id"]})

    none = problem(await act_for(agent), 403, "identity.no_valid_grant")
    assert none["detail"].startswith("您没有代表该企业办事的有效授权")
    grant = (
        await client.post(
            f"/v1/enterprises/{ent['id']}/grants",
            headers=rep.headers,
            json={
                "grantee_id": agent.id,
                "scope": ["I1", "I2"],
                "valid_until": _until(),
                "may_delegate": True,
            },
        )
    ).json()
    await client.post(f"/v1/grants/{grant['id']}/confirm", headers=agent.headers)
    twice = problem(await client.post(f"/v1/grants/{grant['id']}/confirm", headers=agent.headers), 409)
    assert twice["detail"] == "只有待确认的授权才能确认，该授权当前为“有效”。"
    beyond = await client.post(
        f"/v1/enterprises/{ent['id']}/grants",
        headers=agent.headers,
        json={"grantee_id": stranger.id, "scope": ["I3"], "valid_until": _until(10)},
    )
    assert problem(beyond, 403, "identity.grant_exceeds_authority")["detail"].startswith(
        "转授权不能超出您本人的授权：授权范围为 I1、I2"
    )
    asked = await client.get(
        "/v1/grants/check",
        headers=stranger.headers,
        params={"person_id": agent.id, "enterprise_id": ent["id"]},
    )
    assert problem(asked, 403, "identity.check_forbidden")["detail"] == "您只能查询本人的授权情况。"
    hidden = problem(await client.get(f"/v1/grants/{grant['id']}", headers=stranger.headers), 404)
    assert hidden["detail"] == "未找到该授权，或您无权查看。"

    # An act-for token stops working at identity-svc once its grant is revoked.
    token = (await act_for(agent)).json()["access_token"]
    await client.post(f"/v1/grants/{grant['id']}/revoke", headers=rep.headers, json={"reason": "离职"})
    me = problem(await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}), 403)
    assert me["detail"].startswith("该令牌所依据的法人授权已撤销或已过期")
    me_en = problem(await client.get("/v1/me", headers={"Authorization": f"Bearer {token}", **EN}), 403)
    assert me_en["detail"].startswith("The authority this token acts under is no longer valid")


async def test_window_refusals(make_settings: Callable[..., Settings]) -> None:
    """A clerk at the window reads the walk-in and lookup refusals in Chinese; the citizen who
    claims a walk-in account with other details is sent to a window."""
    settings = make_settings(lookup_limit_per_minute=2)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        clerk = await create_staff(client, admin, "clerk1", ["window_clerk"])
        walk_in = {
            "name": "赵大爷",
            "id_type": "resident_id",
            "resident_id": new_resident_id(),
            "phone": new_phone(),
        }
        assert (
            await client.post("/v1/persons/walk-ins", headers=clerk.headers, json=walk_in)
        ).status_code == 201
        again = {**walk_in, "phone": new_phone()}
        exists = problem(await client.post("/v1/persons/walk-ins", headers=clerk.headers, json=again), 409)
        assert exists["title"] == "当前状态不允许此操作" and exists["detail"].startswith("该证件号码已有账号")
        english = problem(
            await client.post("/v1/persons/walk-ins", headers={**clerk.headers, **EN}, json=again), 409
        )
        assert english["detail"].startswith("This document is already registered")
        assert english["code"] == exists["code"] == "identity.person_exists"
        # Two lookups a minute in these settings: the third is held back, in both languages.
        held = problem(await client.post("/v1/persons/walk-ins", headers=clerk.headers, json=again), 429)
        assert held["detail"].startswith("查询人员过于频繁：每分钟最多 2 次。")
        held = problem(
            await client.post("/v1/persons/walk-ins", headers={**clerk.headers, **EN}, json=again), 429
        )
        assert held["detail"].startswith("Too many person lookups: at most 2 per minute.")

        claim = {**walk_in, "phone": new_phone(), "password": PASSWORD}
        del claim["id_type"]
        differs = problem(
            await client.post("/v1/persons", json=claim), 409, "identity.walk_in_details_differ"
        )
        assert differs["detail"] == (
            "该证件已在政务服务窗口登记，但您填写的姓名或手机号与登记信息不一致，无法在线注册。"
            "请携带本人有效身份证件到任一政务服务窗口核对信息。"
        )
        english = problem(await client.post("/v1/persons", json=claim, headers=EN), 409)
        assert english["detail"].startswith("This document was registered at a service window")
