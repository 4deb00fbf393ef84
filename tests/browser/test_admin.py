"""The administrators' workspace (issue 17): the organisation tree, staff and their roles, and the
working-day calendar — an administrator imports a year's holiday arrangement and reads the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import yaml
from portal import Portal, api_login, until

from yiwang_shared.calendar import package_years


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _saturday_after(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return day


def _arrangement(year: int) -> dict[str, Any]:
    """A made-up, consistent arrangement of `year` (test data): every festival, one make-up day."""

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


def test_an_administrator_imports_a_calendar_year_and_reads_the_report(
    portal: Callable[..., Portal], api: httpx.Client, tmp_path: Path
) -> None:
    year = max(package_years()) + 2
    good = tmp_path / f"calendar-{year}.yaml"
    good.write_text(yaml.safe_dump(_arrangement(year), allow_unicode=True, sort_keys=False), encoding="utf-8")
    bad_arrangement = _arrangement(year)
    bad_arrangement["holidays"][0]["name"] = "植树节"
    bad = tmp_path / f"calendar-{year}-wrong.yaml"
    bad.write_text(yaml.safe_dump(bad_arrangement, allow_unicode=True, sort_keys=False), encoding="utf-8")

    p = portal(width=1280)
    page = p.staff_login("admin", path="/work/admin/calendar")
    page.get_by_role("heading", name="工作日历", exact=True).wait_for()
    page.get_by_label("导入年份").fill(str(year))

    # A file with a wrong holiday: every problem listed, nothing changed.
    page.locator(".ant-upload input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="导入", exact=True).click()
    problem = page.get_by_role("alert").filter(has_text="植树节")
    problem.wait_for()
    assert "不是法定节假日" in problem.inner_text()
    p.shot("admin-calendar-import-problem")

    # The right file: the report names the notice, the counts and every day.
    page.locator(".ant-upload input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text(f"{year} 年放假安排已导入").wait_for()
    report = page.locator(".adm-report")
    assert "测试数据（虚构安排）" in report.inner_text()
    national = _weekday(date(year, 10, 1))
    report.get_by_role("cell", name=national.isoformat(), exact=True).wait_for()
    page.get_by_role("heading", name=f"{year} 年日历").wait_for()
    p.shot("admin-calendar")

    admin = api_login(api, "admin")
    years = api.get("/api/identity/v1/calendar/years", params={"limit": 200}, headers=admin).json()["items"]
    imported = next(y for y in years if y["year"] == year)
    assert imported["covered"] and imported["covered_by"] == "import" and imported["make_up_days"] == 1

    # The same file again changes nothing, and says so.
    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text(f"{year} 年已是这份放假安排，没有变化").wait_for()

    q = portal(width=375)
    q.staff_login("admin", path="/work/admin/calendar").get_by_role("heading", name="已维护年份").wait_for()
    q.shot("admin-calendar")


def test_an_administrator_adds_a_unit_and_a_second_catalogue_editor_then_deactivates_them(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    p = portal(width=1280)
    page = p.staff_login("admin", path="/work/admin/org")
    page.get_by_role("heading", name="组织机构", exact=True).wait_for()
    tree = page.locator(".adm-tree")
    tree.get_by_text("区政务服务管理局（部门）").click()
    page.get_by_role("button", name="新建下级机构").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("机构编码").fill("110105-ZWGLJ-MLK")
    dialog.get_by_label("机构名称").fill("事项目录管理科")
    dialog.get_by_role("button", name="创建").click()
    tree.get_by_text("事项目录管理科（部门）").wait_for()
    page.get_by_role("heading", name="事项目录管理科").wait_for()
    p.shot("admin-org")

    page.get_by_role("link", name="查看本机构人员").click()
    page.get_by_role("heading", name="人员与角色").wait_for()
    page.get_by_role("button", name="新建人员").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("账号").fill("editor2")
    dialog.get_by_label("姓名").fill("钱进")
    dialog.get_by_label("所属机构").fill("事项目录管理科")
    page.locator(
        ".ant-select-dropdown:visible .ant-select-item-option", has_text="事项目录管理科"
    ).first.click()
    dialog.get_by_label("角色").click()
    page.locator(
        ".ant-select-dropdown:visible .ant-select-item-option", has_text="事项目录编辑"
    ).first.click()
    page.keyboard.press("Escape")
    dialog.get_by_label("初始密码").fill("Editor2#2026")
    dialog.get_by_role("button", name="创建账号").click()
    row = page.get_by_role("row").filter(has_text="editor2")
    row.wait_for()
    assert "事项目录编辑" in row.inner_text() and "在用" in row.inner_text()
    p.shot("admin-staff")

    # The new editor can log in and works in the catalogue.
    editor2 = api_login(api, "editor2", "Editor2#2026")
    assert api.get("/api/catalog/v1/item-versions", headers=editor2).status_code == 200

    # Deactivated after a confirmation: the account can no longer log in.
    row.get_by_role("button", name="停用 钱进").click()
    page.get_by_role("dialog").get_by_role("button", name="停用").click()
    until(
        lambda: "已停用" in page.get_by_role("row").filter(has_text="editor2").inner_text(),
        "not shown disabled",
    )
    refused = api.post(
        "/api/identity/v1/auth/login", json={"username": "editor2", "password": "Editor2#2026"}
    )
    assert refused.status_code in (401, 403), refused.text

    q = portal(width=375)
    q.staff_login("admin", path="/work/admin/staff").get_by_role("heading", name="人员与角色").wait_for()
    q.shot("admin-staff")
    q.goto("/work/admin/org").get_by_role("heading", name="组织机构", exact=True).wait_for()
    q.shot("admin-org")
