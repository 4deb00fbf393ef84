"""The service hall (排队叫号, 限时等候; issue 17): a person takes a number at the kiosk, the window
clerk calls it in the calling panel, the hall's screen shows and announces it, the clerk serves and
completes it, and its wait is counted in the supervisor's indicator; a no-show is confirmed first;
the administrator changes the waiting limit, the supervisor reads it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from portal import Portal, api_login, until
from test_kiosk import MAIN, small_targets

HALL = "110105-ZWFW-HALL"


def _hall_id(api: httpx.Client) -> str:
    places = api.get("/api/intake/v1/places", params={"limit": 200}).json()["items"]
    return next(p["id"] for p in places if p["code"] == HALL)


def _tickets(api: httpx.Client, place_id: str, headers: dict[str, str]) -> list[dict]:
    resp = api.get(f"/api/intake/v1/places/{place_id}/queue/tickets", params={"limit": 200}, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def test_a_number_taken_at_the_kiosk_is_called_served_and_its_wait_counted(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    place_id = _hall_id(api)

    # At a phone-sized kiosk width: 出件领证 (B), which window 1 does not call.
    small = portal(width=375)
    page = small.goto(f"/kiosk?place={place_id}")
    page.get_by_role("link", name="取号").first.click()
    page.wait_for_url("**/kiosk/queue")
    page.get_by_role("button", name="出件领证").click()
    page.get_by_role("heading", name="取号成功").wait_for()
    assert page.locator(".kiosk-slip-no").inner_text().startswith("B")
    assert small_targets(small, MAIN) == []
    small.shot("hall-kiosk-ticket")

    # The hall's screen is switched on before anything is called today.
    screen = portal(width=1920)
    screen.page.set_viewport_size({"width": 1920, "height": 1080})
    shown = screen.goto(f"/hall/{place_id}/display")
    shown.get_by_role("heading", name="正在叫号").wait_for()
    shown.get_by_text("今天尚未叫号").wait_for()
    shown.get_by_text("限时等候 20 分钟").first.wait_for()

    # A person at the kiosk takes a number for 综合受理 (A): the ticket says who is ahead and the limit.
    kiosk = portal(width=1280)
    page = kiosk.goto("/kiosk")
    page.get_by_role("link", name="取号").first.click()
    page.get_by_role("button", name="综合受理").click()
    page.get_by_role("heading", name="取号成功").wait_for()
    number = page.locator(".kiosk-slip-no").inner_text().strip()
    assert number.startswith("A"), number
    slip = page.locator(".kiosk-slip")
    assert "前面等候" in slip.inner_text() and "限时等候" in slip.inner_text()
    assert "20 分钟" in slip.inner_text()
    page.get_by_role("button", name="打印凭条").wait_for()
    assert small_targets(kiosk, MAIN) == []
    kiosk.shot("hall-kiosk-ticket")

    # The clerk of window 1 sees it in the work list with its light, and calls it.
    desk = portal(width=1280)
    panel = desk.staff_login("clerk", path="/work/hall/window")
    panel.get_by_role("heading", name="窗口叫号").wait_for()
    panel.get_by_text("综合受理窗口1").first.wait_for()
    row = panel.locator(".ant-table-row", has_text=number)
    row.wait_for()
    assert "绿灯" in row.inner_text()
    # Nothing is open yet: only 叫号 is offered.
    assert panel.get_by_role("button", name="开始办理").is_disabled()
    panel.get_by_role("button", name="叫号", exact=True).click()
    panel.get_by_role("status").filter(has_text=f"已叫号 {number}").wait_for()
    panel.locator(".hall-current-no", has_text=number).wait_for()
    panel.locator(".hall-current").get_by_text("已叫号").wait_for()
    # Focus moved to the next step, so the clerk can go on from the keyboard.
    until(
        lambda: panel.evaluate("() => document.activeElement?.textContent?.includes('开始办理')"),
        "focus on 开始办理",
    )
    desk.shot("hall-window")

    # The screen shows the number with its window, and says it in its live region.
    shown.locator(".hall-display-newest-no", has_text=number).wait_for(timeout=30_000)
    shown.locator(".hall-display-newest").get_by_text("请到 1 号窗口").wait_for()
    shown.get_by_role("status").filter(has_text=f"请 {number} 号到 综合受理窗口1 办理").wait_for()
    screen.shot("hall-display")

    # 重呼, then the person comes: Alt+3 starts serving, 办结 completes.
    panel.get_by_role("button", name="重呼").click()
    panel.get_by_role("status").filter(has_text=f"已重呼 {number}").wait_for()
    panel.keyboard.press("Alt+3")
    panel.get_by_role("status").filter(has_text=f"{number} 开始办理").wait_for()
    panel.locator(".hall-current").get_by_text("办理中").wait_for()
    panel.get_by_role("button", name="办结").click()
    panel.get_by_role("status").filter(has_text=f"{number} 已办结").wait_for()
    panel.get_by_text("当前没有已叫或办理中的号码").wait_for()

    # Nothing waits for window 1 now (the B number is window 3's): the clerk is told so, in Chinese.
    panel.get_by_role("button", name="叫号", exact=True).click()
    panel.get_by_role("alert").filter(has_text="当前没有等候的号码").wait_for()

    # The wait is recorded on the ticket …
    boss = api_login(api, "supervisor")
    done = next(t for t in _tickets(api, place_id, boss) if t["ticket_no"] == number)
    assert done["status"] == "completed"
    assert done["wait_minutes"] is not None and done["called_at"] is not None

    # … and counted in the supervisor's indicator, with the sample beside the rate.
    office = portal(width=1280)
    waits = office.staff_login("supervisor", path="/work/hall/waits")
    waits.get_by_role("heading", name="限时等候指标").wait_for()
    result = waits.locator("section", has=waits.get_by_role("heading", name="区政务服务中心", exact=False))
    waits.get_by_text("样本 1 个号码").wait_for()
    assert "0 / 1 个号码超过限时 20 分钟" in waits.locator("main").inner_text()
    assert "0.0%" in result.inner_text()
    office.shot("hall-waits")


def test_a_no_show_is_confirmed_and_the_clerk_panel_fits_a_phone(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    place_id = _hall_id(api)
    taken = api.post(f"/api/intake/v1/places/{place_id}/queue/tickets", json={"category_code": "A"})
    assert taken.status_code == 201, taken.text
    number = taken.json()["ticket_no"]
    later = api.post(f"/api/intake/v1/places/{place_id}/queue/tickets", json={"category_code": "A"})
    assert later.status_code == 201, later.text

    p = portal(width=375)
    panel = p.staff_login("clerk", path="/work/hall/window")
    panel.get_by_role("heading", name="窗口叫号").wait_for()
    panel.locator(".ant-table-row", has_text=number).wait_for()
    panel.get_by_role("button", name="叫号", exact=True).click()
    panel.locator(".hall-current-no", has_text=number).wait_for()
    # The next number waits in the work list, with its light.
    assert "绿灯" in panel.locator(".ant-table-row", has_text=later.json()["ticket_no"]).inner_text()
    p.shot("hall-window")

    panel.get_by_role("button", name="过号").click()
    dialog = panel.get_by_role("dialog").filter(has_text=f"确认 {number} 过号？")
    dialog.wait_for()
    # Cancelling leaves the number called.
    dialog.get_by_role("button", name="取消").click()
    dialog.wait_for(state="hidden")
    panel.locator(".hall-current-no", has_text=number).wait_for()
    panel.get_by_role("button", name="过号").click()
    dialog.get_by_role("button", name="确认过号").click()
    panel.get_by_role("status").filter(has_text=f"{number} 已过号").wait_for()
    boss = api_login(api, "supervisor")
    assert next(t for t in _tickets(api, place_id, boss) if t["ticket_no"] == number)["status"] == "no_show"


def test_a_booking_that_does_not_match_is_told_at_the_kiosk(portal: Callable[..., Portal]) -> None:
    p = portal(width=1280)
    page = p.goto("/kiosk")
    page.get_by_role("link", name="预约签到").first.click()
    page.wait_for_url("**/kiosk/queue/check-in")
    page.get_by_role("heading", name="预约签到", level=1).wait_for()
    page.get_by_label("预约号").fill("yy20261203-nothere1")
    page.get_by_label("手机号").fill("1381000")
    page.get_by_role("button", name="签到取号").click()
    page.get_by_text("请输入 11 位手机号").wait_for()
    page.get_by_label("手机号").fill("13810000003")
    page.get_by_role("button", name="签到取号").click()
    page.get_by_role("alert").filter(has_text="未找到与预约号和手机号相符的本场所预约").wait_for()
    assert small_targets(p, MAIN) == []
    p.shot("hall-kiosk-check-in")


def test_the_administrator_sets_the_waiting_limit_and_the_supervisor_reads_it(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    place_id = _hall_id(api)
    p = portal(width=1280)
    page = p.staff_login("admin", path="/work/hall/settings")
    page.get_by_role("heading", name="大厅排队配置", level=1).wait_for()
    limit = page.get_by_label("限时等候（分钟）")
    limit.wait_for()
    assert limit.input_value() == "20"
    # The demo's three windows, with their units.
    assert page.locator(".hall-fieldset", has_text="窗口 3").count() == 1
    p.shot("hall-settings")
    limit.fill("25")
    page.get_by_role("button", name="保存配置").click()
    dialog = page.get_by_role("dialog").filter(has_text="保存朝阳区政务服务中心办事大厅")
    dialog.get_by_text("限时等候 25 分钟").wait_for()
    dialog.get_by_role("button", name="保存配置").click()
    page.get_by_role("status").filter(has_text="配置已保存").wait_for()
    admin = api_login(api, "admin")
    saved = api.get(f"/api/intake/v1/places/{place_id}/queue", headers=admin).json()
    assert saved["wait_limit_minutes"] == 25
    assert [w["number"] for w in saved["windows"]] == ["1", "2", "3"]

    # A window without a category is not saved: the field says what is missing.
    page.locator(".hall-fieldset", has_text="窗口 3").locator(
        ".ant-select-selection-item-remove"
    ).first.click()
    page.get_by_role("button", name="保存配置").click()
    page.get_by_text("请填写").first.wait_for()

    # The supervisor reads the same settings and cannot change them.
    s = portal(width=375)
    read = s.staff_login("supervisor", path="/work/hall/settings")
    read.get_by_text("只有管理员可以修改").wait_for()
    read.locator(".ant-descriptions").get_by_text("25 分钟").wait_for()
    read.get_by_role("cell", name="综合出件窗口").wait_for()
    assert read.get_by_role("button", name="保存配置").count() == 0
    s.shot("hall-settings")
