"""The working-day calendar's one owner: an administrator sets a day or imports a year's official
arrangement from a small file; identity's own calendar changes and the change goes out as
identity.calendar.changed.v1 (on the real NATS, valid against the committed schema)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from support import Actor, create_staff, problem
from test_events import collect

from identity import events
from yiwang_shared.calendar import package_years
from yiwang_shared.calendar_sync import CalendarChanged
from yiwang_shared.testing.nats import NatsServer

REPO = Path(__file__).resolve().parents[2]
#: The shipped test arrangement (invented; marked as test data in its header).
TEST_2027 = REPO / "tests" / "e2e" / "data" / "calendar-2027.test.yaml"
NEXT = max(package_years()) + 1


def _validator() -> Draft202012Validator:
    schema = json.loads(events.schema_path(CalendarChanged).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _saturday_after(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def arrangement(year: int = NEXT) -> dict[str, Any]:
    """A made-up, consistent arrangement of `year` (test data: every festival, a make-up day)."""

    def one(name: str, start: date, days: int = 1, make_up: list[date] | None = None) -> dict[str, Any]:
        return {
            "name": name,
            "from": start,
            "to": start + timedelta(days=days - 1),
            "make_up_days": make_up or [],
        }

    national = _weekday(date(year, 10, 1))
    return {
        "year": year,
        "notice": "测试数据（虚构安排）",
        "holidays": [
            one("元旦", _weekday(date(year, 1, 1))),
            one("春节", _weekday(date(year, 2, 10)), 3),
            one("清明节", _weekday(date(year, 4, 4))),
            one("劳动节", _weekday(date(year, 5, 1))),
            one("端午节", _weekday(date(year, 6, 10))),
            one("中秋节", _weekday(date(year, 9, 15))),
            one("国庆节", national, 5, [_saturday_after(national + timedelta(days=6))]),
        ],
    }


class _PlainDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _file(data: dict[str, Any] | str | bytes, name: str = "calendar.yaml") -> dict[str, Any]:
    body = data if isinstance(data, str | bytes) else yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True)
    return {"file": (name, body.encode() if isinstance(body, str) else body, "application/yaml")}


async def _import(client: httpx.AsyncClient, admin: Actor, year: int, data: Any, **kw: Any) -> httpx.Response:
    return await client.post(
        f"/v1/calendar/years/{year}/import", files=_file(data), headers=admin.headers, **kw
    )


async def _between(client: httpx.AsyncClient, start: date, end: date) -> int:
    r = await client.get("/v1/calendar/between", params={"from": start.isoformat(), "to": end.isoformat()})
    assert r.status_code == 200, r.text
    return int(r.json()["working_days"])


# --- a day ---------------------------------------------------------------------------------


async def test_an_admin_sets_a_day_and_the_change_is_published(
    client: httpx.AsyncClient, admin: Actor, nats_server: NatsServer
) -> None:
    started = datetime.now(UTC)
    day = _weekday(date(NEXT, 3, 10))
    assert await _between(client, day - timedelta(days=1), day) == 1
    r = await client.put(
        f"/v1/calendar/days/{day.isoformat()}",
        json={"is_working_day": False, "name": " 临时休息 "},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("day", "is_working_day", "name", "source")} == {
        "day": day.isoformat(),
        "is_working_day": False,
        "name": "临时休息",
        "source": "admin",
    }
    assert await _between(client, day - timedelta(days=1), day) == 0
    # Back to the Monday–Friday rule: the row goes, and that too is announced.
    r = await client.put(
        f"/v1/calendar/days/{day.isoformat()}", json={"is_working_day": True}, headers=admin.headers
    )
    assert r.json()["source"] == "weekday"

    def ours(env: dict[str, Any]) -> bool:
        # The suite's NATS is shared by both backends' runs: only this run's changes count.
        return (
            env["type"] == "identity.calendar.changed"
            and env["data"]["days"][0]["day"] == day.isoformat()
            and datetime.fromisoformat(env["data"]["changed_at"]) >= started
        )

    got = await collect(nats_server.url, ours, 2)
    validator = _validator()
    payloads = []
    for subject, headers, raw in got:
        envelope = json.loads(raw)
        assert subject == "identity.calendar.changed.v1" and headers["Nats-Msg-Id"] == envelope["event_id"]
        assert list(validator.iter_errors(envelope)) == []
        payloads.append(envelope["data"])
    first, second = sorted(payloads, key=lambda p: p["changed_at"])
    assert first["source"] == "admin" and first["year"] == NEXT and first["covered"] is False
    assert first["days"] == [{"day": day.isoformat(), "is_working_day": False, "name": "临时休息"}]
    assert second["days"] == [{"day": day.isoformat(), "is_working_day": True, "name": None}]


async def test_only_administrators_edit_the_calendar(client: httpx.AsyncClient, admin: Actor) -> None:
    clerk = await create_staff(client, admin, "clerk_cal", ["window_clerk"])
    body = {"is_working_day": False, "name": "x"}
    problem(await client.put("/v1/calendar/days/2026-03-10", json=body), 401, "auth.required")
    problem(
        await client.put("/v1/calendar/days/2026-03-10", json=body, headers=clerk.headers),
        403,
        "auth.role_required",
    )
    problem(
        await client.post(
            f"/v1/calendar/years/{NEXT}/import", files=_file(arrangement()), headers=clerk.headers
        ),
        403,
        "auth.role_required",
    )
    # Reading stays open to anyone.
    assert (await client.get("/v1/calendar/days", params={"year": 2026})).status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "fields"),
    [
        ("/v1/calendar/days/2024-02-30", {"is_working_day": False}, ["path.day"]),
        ("/v1/calendar/days/1800-01-01", {"is_working_day": False}, ["path.day"]),
        ("/v1/calendar/days/2024-10-08", {"name": "x"}, ["body.is_working_day"]),
        ("/v1/calendar/days/2024-10-08", {"is_working_day": "perhaps"}, ["body.is_working_day"]),
        ("/v1/calendar/days/2024-10-08", {"is_working_day": False, "nmae": "x"}, ["body.nmae"]),
        ("/v1/calendar/days/2024-10-08", {"is_working_day": False, "name": "x" * 101}, ["body.name"]),
    ],
)
async def test_a_bad_day_is_refused_naming_the_field(
    client: httpx.AsyncClient, admin: Actor, path: str, body: dict[str, Any], fields: list[str]
) -> None:
    r = await client.put(path, json=body, headers=admin.headers)
    assert [e["field"] for e in problem(r, 422)["errors"]] == fields


# --- a year --------------------------------------------------------------------------------


async def test_the_shipped_2027_test_file_imports_once(
    client: httpx.AsyncClient, admin: Actor, nats_server: NatsServer
) -> None:
    if 2027 in package_years():
        pytest.skip("the installed chinesecalendar covers 2027: importing test data over it proves nothing")
    started = datetime.now(UTC)
    text = TEST_2027.read_text(encoding="utf-8")
    assert text.startswith("# 测试数据 — TEST DATA")
    years = {
        y["year"]: y for y in (await client.get("/v1/calendar/years", params={"limit": 200})).json()["items"]
    }
    assert years[2027]["covered"] is False and years[2027]["covered_by"] is None
    assert await _between(client, date(2026, 12, 31), date(2027, 1, 4)) == 2  # 1 January counted: wrong

    r = await client.post(
        "/v1/calendar/years/2027/import", files=_file(text, "calendar-2027.test.yaml"), headers=admin.headers
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["changed"] is True and body["notice"].startswith("测试数据")
    assert (body["holidays"], body["make_up_days"]) == (17, 6)
    assert {d["day"]: (d["is_working_day"], d["name"], d["source"]) for d in body["days"]}["2027-01-01"] == (
        False,
        "元旦",
        "import",
    )
    assert await _between(client, date(2026, 12, 31), date(2027, 1, 4)) == 1
    years = {
        y["year"]: y for y in (await client.get("/v1/calendar/years", params={"limit": 200})).json()["items"]
    }
    assert years[2027]["covered"] is True and years[2027]["covered_by"] == "import"

    # The same file again: nothing changes and nothing more is announced.
    again = await client.post("/v1/calendar/years/2027/import", files=_file(text), headers=admin.headers)
    assert again.status_code == 200 and again.json()["changed"] is False

    def ours(env: dict[str, Any]) -> bool:
        # The suite's NATS is shared by both backends' runs: only this run's import counts.
        return (
            env["type"] == "identity.calendar.changed"
            and env["data"]["source"] == "import"
            and datetime.fromisoformat(env["data"]["changed_at"]) >= started
        )

    got = await collect(nats_server.url, ours, 2, timeout=4)
    ours_only = [json.loads(raw) for _, _, raw in got if json.loads(raw)["data"]["year"] == 2027]
    assert len(ours_only) == 1
    (envelope,) = ours_only
    assert list(_validator().iter_errors(envelope)) == []
    assert envelope["data"]["covered"] is True and len(envelope["data"]["days"]) == 23


async def test_an_import_replaces_hand_entries_and_json_works_too(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    year = NEXT + 1
    hand = _weekday(date(year, 3, 3))
    await client.put(
        f"/v1/calendar/days/{hand.isoformat()}",
        json={"is_working_day": False, "name": "临时"},
        headers=admin.headers,
    )
    data = arrangement(year)
    as_json = json.dumps(data, default=str, ensure_ascii=False)
    r = await client.post(
        f"/v1/calendar/years/{year}/import",
        files={"file": ("arrangement.json", as_json.encode(), "application/json")},
        headers=admin.headers,
    )
    assert r.status_code == 200, r.text
    days = {d["day"]: d for d in r.json()["days"]}
    assert hand.isoformat() not in days
    assert all(d["source"] == "import" for d in days.values())
    new_year = _weekday(date(year, 1, 1))
    assert days[new_year.isoformat()]["name"] == "元旦"
    assert await _between(client, new_year - timedelta(days=1), new_year) == 0


async def test_an_inconsistent_arrangement_is_refused_with_every_problem(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    data = arrangement()
    holidays = data["holidays"]
    national = holidays[6]
    national["make_up_days"] = [
        _weekday(date(NEXT, 9, 28)),
        national["from"] + timedelta(days=1),
    ]  # weekday; inside
    holidays[4]["from"] = holidays[3]["from"]  # 端午 on 劳动节: overlap
    holidays[4]["to"] = holidays[3]["from"]
    holidays[1]["to"] = holidays[1]["from"] - timedelta(days=1)  # ends before it starts
    holidays[2]["name"] = "植树节"
    del holidays[5]  # no 中秋节
    r = await _import(client, admin, NEXT, data)
    body = problem(r, 422, "identity.calendar_file_invalid")
    fields = [e["field"] for e in body["errors"]]
    assert fields == [
        "body.file.holidays.1.to",
        "body.file.holidays.2.name",
        "body.file.holidays.4.from",
        "body.file.holidays.5.make_up_days.0",
        "body.file.holidays.5.make_up_days.1",
        "body.file.holidays",
    ]
    messages = " ".join(e["message"] for e in body["errors"])
    assert "本来就是工作日" in messages and "缺少清明节、中秋节" in messages and "植树节" in messages
    assert "本次未作任何更改" in body["detail"]
    r = await client.post(
        f"/v1/calendar/years/{NEXT}/import",
        files=_file(data),
        headers={**admin.headers, "Accept-Language": "en"},
    )
    assert "is a working day already" in " ".join(e["message"] for e in r.json()["errors"])
    # Nothing was imported.
    years = {
        y["year"]: y for y in (await client.get("/v1/calendar/years", params={"limit": 200})).json()["items"]
    }
    assert years[NEXT]["covered"] is False


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        ("year: [unclosed", "body.file", "不是有效的 YAML 或 JSON"),
        (b"\xff\xfe\x00y", "body.file", "UTF-8"),
        ("- just\n- a list\n", "body.file", "year、notice 和 holidays"),
        ("a: &x [1]\nb: *x\n", "body.file", "别名"),
        ("year: 2027\nnotice: 测试\n", "body.file.holidays", "必填"),
        ("year: 2027\nnotice: 测试数据\nholidays: []\nextra: 1\n", "body.file.extra", ""),
    ],
)
async def test_a_file_that_is_no_arrangement_is_refused(
    client: httpx.AsyncClient, admin: Actor, content: str | bytes, field: str, words: str
) -> None:
    r = await client.post(f"/v1/calendar/years/{NEXT}/import", files=_file(content), headers=admin.headers)
    body = problem(r, 422, "identity.calendar_file_invalid")
    assert field in [e["field"] for e in body["errors"]], body
    assert words in " ".join(e["message"] for e in body["errors"])


async def test_the_file_must_arrange_the_year_imported(client: httpx.AsyncClient, admin: Actor) -> None:
    r = await _import(client, admin, NEXT + 1, arrangement(NEXT))
    body = problem(r, 422, "identity.calendar_file_invalid")
    assert [e["field"] for e in body["errors"]] == ["body.file.year"]
    r = await client.post(f"/v1/calendar/years/{NEXT}/import", headers=admin.headers)
    assert problem(r, 422)["errors"][0]["field"] == "body.file"
    too_big = "# " + "x" * (64 * 1024) + "\n"
    r = await _import(client, admin, NEXT, too_big)
    assert "最多 65536 字节" in problem(r, 422, "identity.calendar_file_invalid")["errors"][0]["message"]


def test_a_holiday_may_run_into_the_next_year_only_over_a_weekend() -> None:
    from identity.schemas.calendar import CalendarArrangement
    from identity.services.calendar import arrangement_days, arrangement_problems

    # 2022-12-31 (Sat) to 2023-01-02 (Mon): 元旦 of 2023 as its notice arranged it.
    data = arrangement(2023)
    data["holidays"][0] = {"name": "元旦", "from": date(2022, 12, 31), "to": date(2023, 1, 2)}
    parsed = CalendarArrangement.model_validate(data)
    assert arrangement_problems(parsed) == []
    assert arrangement_days(parsed)[date(2023, 1, 2)] == (False, "元旦")
    assert date(2022, 12, 31) not in arrangement_days(parsed)
    data["holidays"][0] = {"name": "元旦", "from": date(2022, 12, 30), "to": date(2023, 1, 2)}  # a Friday
    problems = arrangement_problems(CalendarArrangement.model_validate(data))
    assert [loc for loc, _ in problems] == [("holidays", 0, "from")]
