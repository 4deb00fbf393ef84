"""Service places and entrustment agreements (issue 17): an administrator creates a place (after the
platform refuses a code already taken and overlapping hours, each said where it belongs), edits its
hours in the form and sees them, generates a fortnight of slots and reads the result, stops its
bookings; records an entrustment agreement for chosen items (after the platform refuses a unit
entrusting itself) and revokes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login, pick, tick, until

INTAKE = "/api/intake/v1"
NEW_PLACE = "110105003-FWZX-HALL"
NEW_NAME = "呼家楼街道政务服务中心办事大厅（测试）"
REFERENCE = "朝民委受〔2026〕99号"


def field_error(scope: Any, label: str) -> Any:
    """The error shown under the form field labelled `label`."""
    # `has` is matched inside each form item, so the label is looked for from the page, not the scope.
    item = scope.locator(".ant-form-item").filter(has=scope.page.get_by_label(label, exact=True))
    return item.locator(".ant-form-item-explain-error")


def repick(page: Any, label: str, option: str) -> None:
    """Choose another option of a select that has one: its chosen value covers the input, so the
    select's box is clicked, then the input typed in."""
    field = page.get_by_label(label, exact=True)
    select = page.locator(".ant-select").filter(has=field)
    select.locator(".ant-select-selector").click()
    field.fill(option)
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text=option).first.click()
    select.locator(".ant-select-selection-item", has_text=option).wait_for()


def bookable_item(api: httpx.Client) -> dict[str, Any]:
    """An item of the catalogue that has reached intake-svc (slots can be generated for it)."""
    return until(
        lambda: next(iter(api.get(f"{INTAKE}/catalog-items", params={"limit": 1}).json()["items"]), None),
        "no catalogue item reached intake-svc",
    )


def test_an_administrator_creates_a_place_edits_its_hours_and_generates_slots(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    item = bookable_item(api)
    p = portal(width=1280)
    page = p.staff_login("admin", path="/work/places")
    page.get_by_role("heading", name="服务场所", exact=True).wait_for()
    demo = page.get_by_role("row").filter(has_text="朝阳区政务服务中心办事大厅（演示）")
    demo.wait_for()
    assert "周二、周四 17:00–19:00" in demo.inner_text()  # the demo hall's extended hours, in words
    demo.get_by_role("link", name="朝阳区政务服务中心办事大厅（演示）的排队设置").wait_for()
    p.shot("places")

    # A code already taken: said under the code field, by the platform.
    page.get_by_role("button", name="新建场所").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("场所编码").fill("110105-ZWFW-HALL")
    dialog.get_by_label("场所名称").fill(NEW_NAME)
    pick(page, "所属单位", "呼家楼街道政务服务中心")
    dialog.get_by_label("地址").fill("北京市朝阳区测试路3号")
    dialog.get_by_label("咨询电话").fill("010-11112222")
    dialog.get_by_role("button", name="创建场所").click()
    taken = field_error(dialog, "场所编码")
    taken.wait_for()
    assert "已被其他办事场所使用" in taken.inner_text()

    # Extended hours overlapping the working-day hours: refused, said above the hours.
    dialog.get_by_label("场所编码").fill(NEW_PLACE)
    dialog.get_by_role("button", name="添加错峰延时时段").click()
    extended = dialog.get_by_role("group", name="错峰延时时段 1")
    extended.get_by_label("开始").fill("11:00")
    extended.get_by_label("结束").fill("13:00")
    dialog.get_by_role("button", name="创建场所").click()
    overlap = dialog.locator(".pl-hours-errors").filter(has_text="重叠")
    overlap.wait_for()
    p.shot("places-new-problem")
    dialog.get_by_role("button", name="删除错峰延时时段 1").click()
    dialog.get_by_role("button", name="创建场所").click()
    page.get_by_role("heading", name=NEW_NAME).wait_for()
    place = next(x for x in api.get(f"{INTAKE}/places").json()["items"] if x["code"] == NEW_PLACE)
    assert page.url.endswith(f"/work/places/{place['id']}")

    # Weekend hours added in the form: an end before the start is caught at once; then saved.
    page.get_by_role("button", name="修改信息和营业时间").click()
    page.get_by_role("button", name="添加周末时段").click()
    weekend = page.get_by_role("group", name="周末时段 1")
    weekend.get_by_label("开始").fill("09:00")
    weekend.get_by_label("结束").fill("08:00")
    weekend.get_by_text("结束时间应晚于开始时间").wait_for()
    weekend.get_by_label("结束").fill("12:00")
    tick(weekend.get_by_label("周六"))
    page.get_by_role("button", name="保存").click()
    shown = page.locator(".pl-hours-row").filter(has_text="周末")
    until(lambda: "周六 09:00–12:00" in shown.inner_text(), "the new weekend hours are not shown")
    hours = api.get(f"{INTAKE}/places/{place['id']}").json()["hours"]
    assert hours["weekend"] == [{"start": "09:00:00", "end": "12:00:00", "weekdays": [6]}], hours

    # A fortnight of slots for an item found by its code; the result is shown, then the slots.
    pick(page, "事项", item["code"])
    page.get_by_label("每个时段号源数").fill("4")
    page.get_by_role("button", name="生成时段").click()
    result = page.get_by_role("status").filter(has_text="已生成")
    result.wait_for()
    slots = api.get(f"{INTAKE}/places/{place['id']}/slots", params={"limit": 200}).json()
    assert slots["total"] > 0 and all(s["capacity"] == 4 for s in slots["items"])
    assert f"已生成 {slots['total']} 个时段" in result.inner_text()
    page.locator(".ant-table-row").filter(has_text=item["name"]).first.wait_for()
    p.shot("place")

    # Generating again creates nothing new, and says so.
    page.get_by_role("button", name="生成时段").click()
    page.get_by_role("status").filter(has_text="此前已经生成").wait_for()

    # The place's hall settings open on this place, not on the first hall (the address carries it).
    page.get_by_role("link", name="排队设置", exact=True).click()
    page.wait_for_url(f"**/work/hall/settings?place={place['id']}")
    page.locator(".staff-toolbar .ant-select-selection-item").filter(has_text=NEW_NAME).wait_for()
    page.go_back()
    page.get_by_role("heading", name=NEW_NAME).wait_for()

    # Bookings stopped after a confirmation.
    page.locator(".staff-toolbar").get_by_role("button", name="暂停预约").click()
    page.get_by_role("dialog").get_by_role("button", name="暂停预约").click()
    page.get_by_role("heading", name=NEW_NAME).filter(has_text="暂停预约").wait_for()
    assert api.get(f"{INTAKE}/places/{place['id']}").json()["active"] is False

    q = portal(width=375)
    q.staff_login("admin", path="/work/places").get_by_role("heading", name="服务场所", exact=True).wait_for()
    q.page.get_by_role("row").filter(has_text=NEW_NAME).wait_for()
    q.shot("places")
    q.goto(f"/work/places/{place['id']}").get_by_role("heading", name=NEW_NAME).wait_for()
    q.page.locator(".pl-hours-row").first.wait_for()
    q.shot("place")
    q.page.get_by_role("button", name="修改信息和营业时间").click()
    q.page.get_by_role("group", name="工作日时段 1").wait_for()
    q.shot("place-edit")


def test_an_administrator_records_an_entrustment_and_revokes_it(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    admin = api_login(api, "admin")
    item = until(
        lambda: next(
            iter(api.get("/api/catalog/v1/items", params={"unit": "110105-MZJ", "limit": 1}).json()["items"]),
            None,
        ),
        "区民政局 has no published item",
    )
    p = portal(width=1280)
    page = p.staff_login("admin", path="/work/places/entrustments")
    page.get_by_role("heading", name="委托受理协议", exact=True).wait_for()
    page.get_by_role("row").filter(has_text="朝民委受〔2026〕1号").wait_for()

    # A unit entrusting itself: refused by the platform, said under the entrusted unit.
    page.get_by_role("button", name="新建协议").click()
    dialog = page.get_by_role("dialog")
    pick(page, "委托方", "区民政局")
    pick(page, "受托方", "区民政局")
    dialog.get_by_label("指定事项").check()
    pick(page, "委托事项", item["name"])
    page.keyboard.press("Escape")
    dialog.get_by_label("协议编号").fill(REFERENCE)
    dialog.get_by_role("button", name="登记协议").click()
    same = field_error(dialog, "受托方")
    same.wait_for()
    assert "不能是同一单位" in same.inner_text()
    p.shot("entrustments-new-problem")

    repick(page, "受托方", "呼家楼街道政务服务中心")
    dialog.get_by_role("button", name="登记协议").click()
    row = page.get_by_role("row").filter(has_text=REFERENCE)
    row.wait_for()
    assert "有效" in row.inner_text()
    until(lambda: item["name"] in row.inner_text(), "the agreement's item is not named")
    agreements = api.get(f"{INTAKE}/entrustments", params={"limit": 200}, headers=admin).json()["items"]
    recorded = next(a for a in agreements if a["reference"] == REFERENCE)
    assert recorded["item_codes"] == [item["code"]]
    assert recorded["entrusted_unit_code"] == "110105003-FWZX"

    # Revoked after a confirmation: the row says so, and the filter finds it among the revoked.
    row.get_by_role("button", name=f"终止协议 {REFERENCE}").click()
    page.get_by_role("dialog").get_by_role("button", name="终止协议").click()
    until(
        lambda: "已终止" in page.get_by_role("row").filter(has_text=REFERENCE).inner_text(),
        "not shown revoked",
    )
    got = api.get(f"{INTAKE}/entrustments/{recorded['id']}", headers=admin).json()
    assert got["revoked_at"] is not None
    # The filter's aria-label is on Ant Design's box and on its input: the combobox is the one to use.
    page.get_by_role("combobox", name="按状态筛选").click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="已终止").first.click()
    page.wait_for_url("**state=revoked*")
    # The rows follow the filter a moment after the address: wait for the in-force one to go.
    until(
        lambda: page.get_by_role("row").filter(has_text="朝民委受〔2026〕1号").count() == 0,
        "the filter still shows agreements in force",
    )
    page.get_by_role("row").filter(has_text=REFERENCE).wait_for()
    p.shot("entrustments")

    q = portal(width=375)
    page = q.staff_login("admin", path="/work/places/entrustments")
    page.get_by_role("row").filter(has_text=REFERENCE).wait_for()
    q.shot("entrustments")
    page.get_by_role("button", name="新建协议").click()
    page.get_by_role("dialog").get_by_label("协议编号").wait_for()
    q.shot("entrustments-new")
