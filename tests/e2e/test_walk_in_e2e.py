"""The window side of issue 14, point 2, through the gateway: the clerk finds the person standing at
the window by resident ID or mobile, registers one who has no account, the walk-in later claims the
account by registering online, citizens and evaluators cannot look anyone up, a staff member looking
people up too fast is held back, and a supervisor reads who looked whom up and why."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from helpers import PASSWORD, assert_problem, bearer, login, mobile, register, resident_id

ID = "/api/identity/v1"
DEMO_PASSWORD = "Demo#2026"
#: The demo citizen 王芳 (identity.demo): resident ID and mobile.
WANG_FANG = ("110105197809250261", "13810000003")


async def _staff(gw: httpx.AsyncClient, username: str) -> tuple[dict[str, str], str]:
    """A demo staff member's Authorization header and account id."""
    headers = bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])
    me = await gw.get(f"{ID}/me", headers=headers)
    assert me.status_code == 200, me.text
    return headers, me.json()["account"]["id"]


async def _lookup(gw: httpx.AsyncClient, headers: dict[str, str], reason: str, **key: str) -> httpx.Response:
    return await gw.post(f"{ID}/persons/lookup", headers=headers, json={"reason": reason, **key})


async def test_a_clerk_finds_the_person_at_the_window_and_registers_a_walk_in(gw: httpx.AsyncClient) -> None:
    clerk, clerk_id = await _staff(gw, "clerk")
    supervisor, _ = await _staff(gw, "supervisor")
    today = str(datetime.now(ZoneInfo("Asia/Shanghai")).date())

    # 王芳 comes to the window with her ID card: found by resident ID, and by mobile.
    by_id = await _lookup(gw, clerk, "窗口代为申请高龄津贴", resident_id=WANG_FANG[0])
    assert by_id.status_code == 200, by_id.text
    found = by_id.json()
    assert found["name"] == "王芳" and found["has_login"] is True
    assert found["resident_id"] == "110105********0261" and found["phone"] == "138****0003"
    assert WANG_FANG[0] not in by_id.text and WANG_FANG[1] not in by_id.text
    by_phone = await _lookup(gw, clerk, "电话预约核对身份", phone=WANG_FANG[1])
    assert by_phone.status_code == 200 and by_phone.json()["id"] == found["id"]

    # 赵大爷 has no account: not found (and that look is recorded too), so the clerk registers him.
    rid, phone = resident_id(), mobile()
    missing = await _lookup(gw, clerk, "窗口受理", resident_id=rid)
    assert_problem(missing, 404, "identity.person_not_found")
    walk_in = await gw.post(
        f"{ID}/persons/walk-ins",
        headers=clerk,
        json={"name": "赵大爷", "id_type": "resident_id", "resident_id": rid, "phone": phone},
    )
    assert walk_in.status_code == 201, walk_in.text
    person = walk_in.json()
    assert person["has_login"] is False and person["registration_channel"] == "window"
    location = walk_in.headers["location"]
    assert location == f"{ID}/persons/{person['id']}"
    followed = await gw.get(location, headers=clerk)  # the clerk reads back whom they registered
    assert followed.status_code == 200 and followed.json()["name"] == "赵大爷"
    # Nobody can log in to it yet.
    no_login = await gw.post(f"{ID}/auth/login", json={"username": rid, "password": PASSWORD})
    assert_problem(no_login, 401, "identity.invalid_credentials")

    # He comes back next week: registering him again gives the clerk his account to go on with.
    again = await gw.post(
        f"{ID}/persons/walk-ins",
        headers=clerk,
        json={"name": "赵大爷", "id_type": "resident_id", "resident_id": rid, "phone": phone},
    )
    assert assert_problem(again, 409, "identity.person_exists")["person_id"] == person["id"]
    now_found = await _lookup(gw, clerk, "窗口受理", resident_id=rid)
    assert now_found.json() == {
        "id": person["id"],
        "name": "赵大爷",
        "resident_id": rid[:6] + "********" + rid[-4:],
        "phone": phone[:3] + "****" + phone[-4:],
        "has_login": False,
    }

    # At home he registers online with what the clerk recorded: the account is his.
    claimed = await gw.post(
        f"{ID}/persons", json={"name": "赵大爷", "resident_id": rid, "phone": phone, "password": PASSWORD}
    )
    assert claimed.status_code == 201, claimed.text
    assert claimed.json()["id"] == person["id"] and claimed.json()["has_login"] is True
    tokens = await login(gw, phone)
    me = (await gw.get(f"{ID}/me", headers=bearer(tokens["access_token"]))).json()
    assert me["account"]["id"] == person["id"]
    # Anyone else trying the same document learns nothing about whose it is.
    stranger = await gw.post(
        f"{ID}/persons", json={"name": "赵大爷", "resident_id": rid, "phone": mobile(), "password": PASSWORD}
    )
    taken = assert_problem(stranger, 409, "identity.resident_id_taken")
    assert person["id"] not in str(taken)

    # The supervisor sees every look the clerk made today: who, whom, why, found or not.
    records = await gw.get(
        f"{ID}/persons/lookups",
        headers=supervisor,
        params={"staff_id": clerk_id, "from": today, "to": today, "limit": 200},
    )
    assert records.status_code == 200, records.text
    mine = [
        (r["purpose"], r["reason"], r["found"], (r["person"] or {}).get("id"))
        for r in records.json()["items"]
        if r["reason"]
        in ("窗口代为申请高龄津贴", "电话预约核对身份", "窗口受理", "窗口登记时发现该证件已有账号")
    ]
    for expected in (
        ("search", "窗口代为申请高龄津贴", True, found["id"]),
        ("search", "电话预约核对身份", True, found["id"]),
        ("search", "窗口受理", False, None),
        ("walk_in", "窗口登记时发现该证件已有账号", True, person["id"]),
        ("search", "窗口受理", True, person["id"]),
    ):
        assert expected in mine, (expected, mine)
    assert rid not in records.text and WANG_FANG[0] not in records.text
    assert all(r["staff"]["username"] == "clerk" for r in records.json()["items"])


async def test_a_citizen_or_an_evaluator_cannot_look_anyone_up(gw: httpx.AsyncClient) -> None:
    someone = await register(gw, "李四")
    citizen = bearer((await login(gw, WANG_FANG[1], DEMO_PASSWORD))["access_token"])
    evaluator, _ = await _staff(gw, "evaluator")
    for headers in (citizen, evaluator):
        refused = await _lookup(gw, headers, "想看看", resident_id=someone["resident_id"])
        assert_problem(refused, 403, "auth.role_required")
        assert someone["id"] not in refused.text
        contact = await gw.get(
            f"{ID}/persons/{someone['id']}/contact", headers=headers, params={"reason": "想看看"}
        )
        assert_problem(contact, 403, "auth.role_required")
        assert_problem(await gw.get(f"{ID}/persons/lookups", headers=headers), 403, "auth.role_required")
    # Nor can anyone without logging in, and a walk-in needs a window clerk.
    assert_problem(
        await gw.post(f"{ID}/persons/lookup", json={"phone": someone["phone"], "reason": "x"}), 401
    )
    walk_in = {"name": "某人", "id_type": "resident_id", "resident_id": resident_id(), "phone": mobile()}
    assert_problem(await gw.post(f"{ID}/persons/walk-ins", headers=evaluator, json=walk_in), 403)
    # A hotline agent finds callers, but reads no number in clear; an approver does, for the SMS.
    agent, _ = await _staff(gw, "agent")
    assert (await _lookup(gw, agent, "12345来电核实", phone=someone["phone"])).status_code == 200
    assert_problem(
        await gw.get(f"{ID}/persons/{someone['id']}/contact", headers=agent, params={"reason": "回访"}), 403
    )
    approver, approver_id = await _staff(gw, "approver")
    contact = await gw.get(
        f"{ID}/persons/{someone['id']}/contact", headers=approver, params={"reason": "发送办结短信"}
    )
    assert contact.status_code == 200 and contact.json()["phone"] == someone["phone"]
    supervisor, _ = await _staff(gw, "supervisor")
    reads = await gw.get(
        f"{ID}/persons/lookups",
        headers=supervisor,
        params={"staff_id": approver_id, "person_id": someone["id"]},
    )
    assert [(r["purpose"], r["reason"]) for r in reads.json()["items"]] == [("contact", "发送办结短信")]


async def test_a_staff_member_looking_people_up_too_fast_is_held_back(gw: httpx.AsyncClient) -> None:
    admin, _ = await _staff(gw, "admin")
    units = await gw.get(f"{ID}/org-units", params={"kind": "window", "limit": 200})
    window = next(u for u in units.json()["items"] if u["code"] == "110105-ZWFW-W02")
    username = f"clerk-{secrets.token_hex(3)}"
    made = await gw.post(
        f"{ID}/staff",
        headers=admin,
        json={
            "username": username,
            "name": "窗口二",
            "org_unit_id": window["id"],
            "roles": ["window_clerk"],
            "password": PASSWORD,
        },
    )
    assert made.status_code == 201, made.text
    clerk = bearer((await login(gw, username))["access_token"])
    # 30 a minute serves any queue (the default); the 31st look within the minute waits.
    answers = [(await _lookup(gw, clerk, "批量核对", phone=mobile())).status_code for _ in range(31)]
    assert answers == [404] * 30 + [429]
    held = await _lookup(gw, clerk, "批量核对", resident_id=WANG_FANG[0])
    body = assert_problem(held, 429, "identity.lookup_throttled")
    assert 1 <= int(held.headers["retry-after"]) <= 60
    assert "每分钟最多 30 次" in str(body["detail"]) and "王芳" not in held.text
    # The clerk at the next window is not held back.
    colleague, _ = await _staff(gw, "clerk")
    assert (await _lookup(gw, colleague, "窗口受理", resident_id=WANG_FANG[0])).status_code == 200
