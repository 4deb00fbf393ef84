"""The administration's rule screens (issue 17): the 12345 dispatch catalogue and time limits, the
escalation rules, and the rating rankings' rules — an administrator changes each, the API's
problems show under the fields, and each role sees the screens whose rules it may change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login, until

PAGES = {
    "dispatch": "派单规则",
    "time-limits": "办理时限",
    "escalations": "催办督办规则",
    "ranking": "排名规则",
}


def _choose(page: Any, scope: Any, label: str, option: str) -> None:
    """Choose an option of a select of `scope` (a drawer, a dialog) by its label, typing to narrow it:
    `portal.pick` looks the label up in the whole page, where a sortable column has the same name."""
    field = scope.get_by_label(label, exact=True)
    # `has` is looked up inside each select: a locator from the page, not one chained from `scope`.
    select = scope.locator(".ant-select").filter(has=page.get_by_label(label, exact=True))
    select.locator(".ant-select-selector").click()  # the shown value covers a plain select's input
    if field.get_attribute("readonly") is None:  # a searchable select
        field.fill(option)
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text=option).first.click()
    select.locator(".ant-select-selection-item", has_text=option).first.wait_for()


def _field_error(page: Any, container: Any, label: str) -> str:
    """The error text shown under a form field of `container` (found by its label)."""
    item = container.locator(".ant-form-item").filter(has=page.get_by_label(label, exact=True))
    error = item.locator(".ant-form-item-explain-error").first
    error.wait_for()
    return str(error.inner_text())


def _open(p: Portal, key: str) -> Any:
    page = p.goto(f"/work/rules/{key}")
    page.get_by_role("heading", name=PAGES[key], exact=True).wait_for()
    page.locator(".ant-table-row").first.wait_for()
    return page


def test_an_administrator_changes_dispatch_time_limit_escalation_and_ranking_rules(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    p = portal(width=1280)
    page = p.staff_login("admin", path="/work/rules/dispatch")
    page.get_by_role("heading", name="派单规则", exact=True).wait_for()
    nav = page.get_by_role("navigation", name="工作台导航")
    for title in PAGES.values():
        nav.get_by_role("link", name=title, exact=True).wait_for()

    # A dispatch rule for the one category the demo leaves to district coordination.
    page.get_by_role("button", name="新建派单规则").click()
    drawer = page.get_by_role("dialog")
    _choose(page, drawer, "诉求分类", "其他")
    _choose(page, drawer, "主办单位", "区政务服务管理局")
    _choose(page, drawer, "协办单位", "区民政局")
    drawer.get_by_text("新建派单规则").first.click()  # closes the list left open by the multiple select
    drawer.get_by_role("button", name="创建").click()
    page.get_by_text("派单规则已创建").wait_for()
    row = page.get_by_role("row").filter(has_text="其他")
    until(lambda: all(u in row.inner_text() for u in ("区政务服务管理局", "区民政局")), "rule not listed")
    assert "全区" in row.inner_text()
    admin = api_login(api, "admin")
    rules = api.get("/api/hotline/v1/dispatch-rules", params={"limit": 200}, headers=admin).json()["items"]
    added = next(r for r in rules if r["category_code"] == "other")
    assert added["area_code"] == "*" and added["lead_unit_code"] == "110105-ZWGLJ"
    assert added["co_unit_codes"] == ["110105-MZJ"]

    # The same category × area again: the API's conflict is shown above the form.
    page.get_by_role("button", name="新建派单规则").click()
    drawer = page.get_by_role("dialog")
    _choose(page, drawer, "诉求分类", "其他")
    _choose(page, drawer, "主办单位", "区民政局")
    drawer.get_by_role("button", name="创建").click()
    drawer.get_by_role("alert").filter(has_text="已有派单规则").wait_for()
    drawer.get_by_role("button", name="取消").click()

    # Filtering by a unit keeps the rules it leads or co-handles.
    unit = page.get_by_role("combobox", name="按主办或协办单位筛选")
    unit.fill("区民政局")
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="区民政局").first.click()
    until(lambda: page.locator(".ant-table-row").count() == 2, "filter by unit")
    p.shot("rules-dispatch")

    # A time limit: out of range is refused by the API under the field; then a new value is listed.
    page = _open(p, "time-limits")
    page.get_by_role("button", name="编辑 一般诉求").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("时限数值").fill("400")
    dialog.get_by_role("button", name="保存").click()
    assert "365" in _field_error(page, dialog, "时限数值")
    p.shot("rules-time-limits-problem")
    dialog.get_by_label("时限数值").fill("5")
    _choose(page, dialog, "计时单位", "工作日")
    dialog.get_by_role("button", name="保存").click()
    row = page.get_by_role("row").filter(has_text="一般诉求")
    until(lambda: "5 个工作日" in row.inner_text(), "new time limit not listed")
    limits = api.get("/api/hotline/v1/time-limit-rules", params={"limit": 200}).json()["items"]
    general = next(r for r in limits if r["code"] == "general")
    assert (general["amount"], general["unit"]) == (5, "working_days")
    p.shot("rules-time-limits")

    # An escalation rule naming a unit's supervisors.
    page = _open(p, "escalations")
    page.get_by_role("button", name="新建催办督办规则").click()
    drawer = page.get_by_role("dialog")
    drawer.get_by_label("规则名称").fill("超时二倍督办（住建）")
    drawer.get_by_label("时限耗用比例").fill("200")
    _choose(page, drawer, "对象", "指定单位")
    _choose(page, drawer, "指定单位", "区住房城乡建设委")
    drawer.get_by_role("button", name="创建").click()
    row = page.get_by_role("row").filter(has_text="超时二倍督办（住建）")
    until(lambda: all(x in row.inner_text() for x in ("区住房城乡建设委", "200%")), "escalation not listed")
    p.shot("rules-escalations")

    # A ranking rule: a place count the API refuses, then a change and the preview of its ranking.
    page = _open(p, "ranking")
    page.get_by_role("heading", name="预览“红旗窗口”").wait_for()
    page.get_by_role("button", name="编辑 红旗窗口").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("名额").fill("0")
    dialog.get_by_role("button", name="保存").click()
    assert _field_error(page, dialog, "名额")
    dialog.get_by_label("名额").fill("5")
    dialog.get_by_label("最少评价数").fill("15")
    dialog.get_by_role("button", name="保存").click()
    row = page.get_by_role("row").filter(has_text="red_flag_window")
    until(lambda: "至少 15 条评价" in row.inner_text(), "ranking rule change not listed")
    rule = api.get("/api/evaluation/v1/ranking-rules/red_flag_window").json()
    assert (rule["top_n"], rule["min_ratings"]) == (5, 15)
    page.get_by_role("heading", name="预览“红旗窗口”").wait_for()
    # A new rule's name must be one the API takes and not in use (PUT would replace that rule).
    page.get_by_role("button", name="新建排名规则").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("规则标识").fill("service_star")
    dialog.get_by_label("名称", exact=True).fill("服务之星二")
    dialog.get_by_role("button", name="创建").click()
    assert "已有同名规则" in _field_error(page, dialog, "规则标识")
    dialog.get_by_label("规则标识").fill("good_item")
    dialog.get_by_role("button", name="创建").click()
    page.get_by_role("row").filter(has_text="good_item").wait_for()
    page.get_by_role("heading", name="预览“服务之星二”").wait_for()
    p.shot("rules-ranking")

    q = portal(width=375)
    q.staff_login("admin", path="/work/rules/dispatch")
    for key in PAGES:
        _open(q, key)
        q.shot(f"rules-{key}")
    # The form fits a phone: the drawer takes the whole width.
    page = _open(q, "escalations")
    page.get_by_role("button", name="新建催办督办规则").click()
    page.get_by_role("dialog").get_by_label("规则名称").wait_for()
    q.shot("rules-escalations-form")


def test_each_role_sees_the_rule_screens_it_may_change(portal: Callable[..., Portal]) -> None:
    seen = {
        "dispatcher": {"派单规则"},
        "supervisor": {"派单规则", "办理时限", "催办督办规则"},
        "evaluator": {"排名规则"},
        "agent": set(),
    }
    for username, titles in seen.items():
        p = portal(width=1280)
        page = p.staff_login(username)
        nav = page.get_by_role("navigation", name="工作台导航")
        nav.get_by_role("link", name="工作台首页").wait_for()
        for title in PAGES.values():
            shown = nav.get_by_role("link", name=title, exact=True).count() > 0
            assert shown == (title in titles), f"{username}: {title}"

    # A dispatcher changes the dispatch catalogue but only reads the time limits.
    p = portal(width=1280)
    p.staff_login("dispatcher", path="/work/rules/dispatch")
    page = _open(p, "dispatch")
    page.get_by_role("button", name="新建派单规则").wait_for()
    page = _open(p, "time-limits")
    assert page.get_by_role("button", name="编辑 一般诉求").count() == 0
