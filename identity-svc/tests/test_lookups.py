"""A clerk finds the person standing at the window: by resident ID or mobile,
masked numbers and the account id back, only for the staff who serve the public, every lookup
recorded (who, whom, why, when, found or not) and listed to supervisors; a clear phone only
through /contact, recorded too; a staff member looking people up too fast is held back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from support import Actor, create_staff, make_admin, new_phone, new_resident_id, problem, register_person

from identity.config import Settings
from identity.main import create_app
from yiwang_shared.testing.app import running_app

EN = {"Accept-Language": "en"}
REASON = "窗口代为申请高龄津贴"


def _masked_rid(rid: str) -> str:
    return rid[:6] + "********" + rid[-4:]


def _masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


async def _lookup(client: httpx.AsyncClient, who: Actor, **body: str) -> httpx.Response:
    return await client.post("/v1/persons/lookup", headers=who.headers, json={"reason": REASON, **body})


async def test_clerk_finds_a_citizen_by_resident_id_and_by_phone(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    citizen = await register_person(client, "王芳")
    clerk = await create_staff(client, admin, "clerk1", ["window_clerk"])
    assert citizen.resident_id and citizen.phone

    by_id = await _lookup(client, clerk, resident_id=citizen.resident_id.lower())  # a lower-case x too
    assert by_id.status_code == 200, by_id.text
    assert by_id.json() == {
        "id": citizen.id,
        "name": "王芳",
        "resident_id": _masked_rid(citizen.resident_id),
        "phone": _masked_phone(citizen.phone),
        "has_login": True,
    }
    by_phone = await _lookup(client, clerk, phone=citizen.phone)
    assert by_phone.status_code == 200 and by_phone.json()["id"] == citizen.id
    # Masked data only: the clear numbers never come back.
    for resp in (by_id, by_phone):
        assert citizen.resident_id not in resp.text and citizen.phone not in resp.text


async def test_nobody_found_is_a_404_and_is_recorded_all_the_same(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    clerk = await create_staff(client, admin, "clerk2", ["window_clerk"])
    supervisor = await create_staff(client, admin, "sup2", ["supervisor"])
    rid, phone = new_resident_id(), new_phone()
    missing = problem(await _lookup(client, clerk, resident_id=rid), 404, "identity.person_not_found")
    assert missing["detail"].startswith("未找到使用该居民身份证号的人员")
    assert rid not in str(missing)
    by_phone = problem(await _lookup(client, clerk, phone=phone), 404)
    assert by_phone["detail"].startswith("未找到使用该手机号的人员")
    english = problem(
        await client.post(
            "/v1/persons/lookup", headers={**clerk.headers, **EN}, json={"phone": phone, "reason": "核对"}
        ),
        404,
    )
    assert english["detail"].startswith("Nobody is registered with this mobile")

    listing = await client.get("/v1/persons/lookups", headers=supervisor.headers)
    assert listing.status_code == 200, listing.text
    records = listing.json()["items"]
    assert [(r["key_type"], r["key_masked"], r["found"], r["person"]) for r in records] == [
        ("phone", _masked_phone(phone), False, None),
        ("phone", _masked_phone(phone), False, None),
        ("resident_id", _masked_rid(rid), False, None),
    ]
    assert rid not in listing.text and phone not in listing.text


async def test_only_staff_who_serve_the_public_may_look_up(client: httpx.AsyncClient, admin: Actor) -> None:
    citizen = await register_person(client, "王芳")
    other = await register_person(client, "李娜")
    body = {"resident_id": citizen.resident_id, "reason": REASON}
    for role in ("window_clerk", "approver", "hotline_agent", "handler"):
        staff = await create_staff(client, admin, f"ok-{role.replace('_', '-')}", [role])
        resp = await client.post("/v1/persons/lookup", headers=staff.headers, json=body)
        assert resp.status_code == 200, (role, resp.text)
    assert (await client.post("/v1/persons/lookup", headers=admin.headers, json=body)).status_code == 200
    for role in ("evaluator", "catalog_editor", "dispatcher", "supervisor"):
        staff = await create_staff(client, admin, f"no-{role.replace('_', '-')}", [role])
        resp = await client.post("/v1/persons/lookup", headers=staff.headers, json=body)
        problem(resp, 403, "auth.role_required")
    # A citizen cannot look anyone up, not even by their own number.
    problem(
        await client.post("/v1/persons/lookup", headers=other.headers, json=body), 403, "auth.role_required"
    )
    problem(await client.post("/v1/persons/lookup", json=body), 401, "auth.required")


async def test_exactly_one_key_and_a_reason(client: httpx.AsyncClient, admin: Actor) -> None:
    clerk = await create_staff(client, admin, "clerk3", ["window_clerk"])
    both = await _lookup(client, clerk, resident_id=new_resident_id(), phone=new_phone())
    assert problem(both, 422)["errors"][0]["message"] == (
        "请填写居民身份证号或手机号中的一项进行查询（不能都填，也不能都不填）。"
    )
    problem(await _lookup(client, clerk), 422)
    for reason in ("", "   ", "理" * 201):
        resp = await client.post(
            "/v1/persons/lookup", headers=clerk.headers, json={"phone": new_phone(), "reason": reason}
        )
        assert problem(resp, 422)["errors"][0]["field"] == "body.reason", reason
    no_reason = await client.post("/v1/persons/lookup", headers=clerk.headers, json={"phone": new_phone()})
    assert problem(no_reason, 422)["errors"][0]["field"] == "body.reason"
    bad = await _lookup(client, clerk, resident_id="110105198503120310")  # wrong check digit
    assert problem(bad, 422)["errors"][0]["field"] == "body.resident_id"


async def test_lookups_are_listed_to_supervisors_with_who_whom_why_when(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    citizen = await register_person(client, "王芳")
    clerk = await create_staff(client, admin, "clerk4", ["window_clerk"])
    agent = await create_staff(client, admin, "agent4", ["hotline_agent"])
    supervisor = await create_staff(client, admin, "sup4", ["supervisor"])
    before = datetime.now(UTC)
    assert (await _lookup(client, clerk, resident_id=citizen.resident_id or "")).status_code == 200
    resp = await client.post(
        "/v1/persons/lookup",
        headers=agent.headers,
        json={"phone": citizen.phone, "reason": f"  12345来电核实身份，来电号码{citizen.phone}  "},
    )
    assert resp.status_code == 200

    page = (await client.get("/v1/persons/lookups", headers=supervisor.headers)).json()
    assert set(page) == {"items", "total", "total_exact", "limit", "offset"} and page["total"] == 2
    newest, oldest = page["items"]
    assert newest["staff"] == {"id": agent.id, "username": "agent4", "name": "工作人员agent4"}
    # The reason as given, trimmed, with a number typed into it masked.
    assert newest["reason"] == f"12345来电核实身份，来电号码{_masked_phone(citizen.phone or '')}"
    assert newest["purpose"] == "search"
    assert (citizen.phone or "") not in str(page) and (citizen.resident_id or "") not in str(page)
    assert newest["person"] == {"id": citizen.id, "name": "王芳"} and newest["found"] is True
    assert newest["key_type"] == "phone"
    assert oldest["staff"]["id"] == clerk.id and oldest["key_type"] == "resident_id"
    assert oldest["reason"] == REASON and oldest["org_unit_id"]
    at = datetime.fromisoformat(oldest["looked_up_at"])
    assert before - timedelta(seconds=1) <= at <= datetime.now(UTC)

    by_clerk = (
        await client.get("/v1/persons/lookups", headers=supervisor.headers, params={"staff_id": clerk.id})
    ).json()
    assert [r["staff"]["id"] for r in by_clerk["items"]] == [clerk.id] and by_clerk["total"] == 1
    of_citizen = (
        await client.get("/v1/persons/lookups", headers=admin.headers, params={"person_id": citizen.id})
    ).json()
    assert of_citizen["total"] == 2
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    todays = await client.get(
        "/v1/persons/lookups", headers=supervisor.headers, params={"from": str(today), "to": str(today)}
    )
    assert todays.json()["total"] == 2
    yesterday = str(today - timedelta(days=1))
    none = await client.get(
        "/v1/persons/lookups", headers=supervisor.headers, params={"from": yesterday, "to": yesterday}
    )
    assert none.json()["total"] == 0
    tomorrow = str(today + timedelta(days=1))
    later = await client.get("/v1/persons/lookups", headers=supervisor.headers, params={"from": tomorrow})
    assert later.json()["total"] == 0
    reversed_range = await client.get(
        "/v1/persons/lookups", headers=supervisor.headers, params={"from": tomorrow, "to": yesterday}
    )
    problem(reversed_range, 422, "date_range_reversed")
    # The clerks themselves do not read the record of lookups.
    problem(await client.get("/v1/persons/lookups", headers=clerk.headers), 403, "auth.role_required")
    problem(await client.get("/v1/persons/lookups", headers=agent.headers), 403)


async def test_contact_in_clear_only_through_contact_and_recorded(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    citizen = await register_person(client, "王芳")
    approver = await create_staff(client, admin, "appr5", ["approver"])
    agent = await create_staff(client, admin, "agent5", ["hotline_agent"])
    supervisor = await create_staff(client, admin, "sup5", ["supervisor"])
    resp = await client.get(
        f"/v1/persons/{citizen.id}/contact", headers=approver.headers, params={"reason": "发送办结短信"}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"id": citizen.id, "name": "王芳", "phone": citizen.phone}
    for role in ("window_clerk", "handler"):
        staff = await create_staff(client, admin, f"c-{role.replace('_', '-')}", [role])
        ok = await client.get(
            f"/v1/persons/{citizen.id}/contact", headers=staff.headers, params={"reason": "回访"}
        )
        assert ok.status_code == 200, (role, ok.text)
    # A hotline agent finds people but does not read their numbers; a citizen reads nobody's.
    problem(
        await client.get(f"/v1/persons/{citizen.id}/contact", headers=agent.headers, params={"reason": "x"}),
        403,
        "auth.role_required",
    )
    problem(
        await client.get(
            f"/v1/persons/{citizen.id}/contact", headers=citizen.headers, params={"reason": "x"}
        ),
        403,
    )
    no_reason = await client.get(f"/v1/persons/{citizen.id}/contact", headers=approver.headers)
    assert problem(no_reason, 422)["errors"][0]["field"] == "query.reason"
    blank = await client.get(
        f"/v1/persons/{citizen.id}/contact", headers=approver.headers, params={"reason": "   "}
    )
    assert problem(blank, 422)["errors"][0]["field"] == "query.reason"
    unknown = await client.get(
        "/v1/persons/no-such-person/contact", headers=approver.headers, params={"reason": "发送短信"}
    )
    problem(unknown, 404, "identity.person_not_found")

    records = (
        await client.get("/v1/persons/lookups", headers=supervisor.headers, params={"staff_id": approver.id})
    ).json()["items"]
    assert [(r["purpose"], r["found"], r["reason"], r["key_type"]) for r in records] == [
        ("contact", False, "发送短信", "person_id"),
        ("contact", True, "发送办结短信", "person_id"),
    ]
    assert records[1]["person"]["id"] == citizen.id
    # The record says whose number was read, never the number.
    assert (citizen.phone or "") not in str(records)


async def test_lookups_are_throttled_per_staff_member_with_retry_after(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(lookup_limit_per_minute=3, contact_limit_per_minute=2)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        citizen = await register_person(client, "王芳")
        clerk = await create_staff(client, admin, "clerk6", ["window_clerk"])
        other = await create_staff(client, admin, "clerk7", ["window_clerk"])
        supervisor = await create_staff(client, admin, "sup6", ["supervisor"])
        for key in ({"phone": citizen.phone}, {"resident_id": new_resident_id()}, {"phone": new_phone()}):
            assert (await _lookup(client, clerk, **key)).status_code in (200, 404)  # type: ignore[arg-type]
        held = await _lookup(client, clerk, phone=citizen.phone or "")
        body = problem(held, 429, "identity.lookup_throttled")
        wait = int(held.headers["retry-after"])
        assert 1 <= wait <= 60 and body["retry_after_seconds"] == wait
        assert (
            body["detail"]
            == f"查询人员过于频繁：每分钟最多 3 次。请 {wait} 秒后再试；如确因工作需要，请联系监督人员。"
        )
        again = problem(await _lookup(client, clerk, resident_id=new_resident_id()), 429)
        assert again["title"] == "请求过于频繁"
        # The budget is the clerk's own: a colleague at the next window is served.
        assert (await _lookup(client, other, phone=citizen.phone or "")).status_code == 200
        # Reading a phone for an SMS has its own budget.
        for _ in range(2):
            contact = await client.get(
                f"/v1/persons/{citizen.id}/contact", headers=clerk.headers, params={"reason": "短信"}
            )
            assert contact.status_code == 200, contact.text
        problem(
            await client.get(
                f"/v1/persons/{citizen.id}/contact", headers=clerk.headers, params={"reason": "短信"}
            ),
            429,
            "identity.lookup_throttled",
        )
        # A refused lookup disclosed nothing and is not a lookup: three searches, two reads.
        records = (
            await client.get("/v1/persons/lookups", headers=supervisor.headers, params={"staff_id": clerk.id})
        ).json()
        assert sorted(r["purpose"] for r in records["items"]) == ["contact"] * 2 + ["search"] * 3


async def test_the_hourly_budget_holds_back_a_slow_harvest(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(lookup_limit_per_minute=100, lookup_limit_per_hour=2)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        clerk = await create_staff(client, admin, "clerk8", ["window_clerk"])
        for _ in range(2):
            problem(await _lookup(client, clerk, phone=new_phone()), 404)
        held = await _lookup(client, clerk, phone=new_phone())
        body = problem(held, 429, "identity.lookup_throttled")
        assert 3500 <= int(held.headers["retry-after"]) <= 3600
        assert "每小时最多 2 次" in body["detail"]


async def test_parallel_lookups_are_counted_one_after_the_other(
    make_settings: Callable[..., Settings],
) -> None:
    settings = make_settings(lookup_limit_per_minute=3)
    async with running_app(create_app(settings)) as client:
        admin = await make_admin(client, settings)
        citizen = await register_person(client, "王芳")
        clerk = await create_staff(client, admin, "clerk9", ["window_clerk"])
        answers = await asyncio.gather(*(_lookup(client, clerk, phone=citizen.phone or "") for _ in range(8)))
        assert sorted(r.status_code for r in answers) == [200] * 3 + [429] * 5


@pytest.mark.parametrize("path", ["/v1/persons/lookups"])
async def test_the_record_is_a_page_with_a_hard_limit(
    client: httpx.AsyncClient, admin: Actor, path: str
) -> None:
    page = await client.get(path, headers=admin.headers, params={"limit": 201})
    assert problem(page, 422)["errors"][0]["field"] == "query.limit"
