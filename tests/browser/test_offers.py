"""免申即享 (issue 20 §5) in the portal: a resident turning 80 today is offered 高龄老年人津贴 by the
birthday pass; her 我的办件 page says an offer waits, she opens 为您推荐, confirms it with the result
sent by post (address and recipient), and follows the case it opened; the staff of 区民政局 see the
offer in their workspace."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from portal import Portal, api_login, until

from yiwang_shared.validators import resident_id_check_char

IDENTITY = "/api/identity/v1"
INTAKE = "/api/intake/v1"
ALLOWANCE = "高龄老年人津贴"
PASSWORD = "Passw0rd-browser"
PHONE, DESK = 390, 1440


def _eighty_today() -> tuple[str, str]:
    """A fresh resident ID of someone born 80 years ago today (Beijing), and a fresh mobile."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    try:
        born = today.replace(year=today.year - 80)
    except ValueError:  # 29 February
        born = date(today.year - 80, 2, 28)
    body = "110105" + born.strftime("%Y%m%d") + f"{random.randint(100, 999)}"
    return body + resident_id_check_char(body), "139" + f"{random.randrange(0, 10**8):08d}"


def _offered(api: httpx.Client) -> tuple[str, dict[str, Any]]:
    """A resident registered today who turns 80, and the offer the birthday pass made her."""
    until(
        lambda: any(
            i["name"] == ALLOWANCE
            for i in api.get(f"{INTAKE}/catalog-items", params={"limit": 200}).json()["items"]
        ),
        f"{ALLOWANCE} never reached intake-svc",
    )
    rid, phone = _eighty_today()
    made = api.post(
        f"{IDENTITY}/persons",
        json={"name": "钱淑珍", "resident_id": rid, "phone": phone, "password": PASSWORD},
    )
    assert made.status_code == 201, made.text
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    passed = api.post(f"{IDENTITY}/birthday-passes", json={"day": today}, headers=api_login(api, "admin"))
    assert passed.status_code == 200, passed.text
    person = api_login(api, phone, PASSWORD)

    def offer() -> dict[str, Any] | None:
        items = api.get(f"{INTAKE}/offers", headers=person).json()["items"]
        return next((o for o in items if o["item_name"] == ALLOWANCE), None)

    return phone, dict(until(offer, "she was never offered the allowance"))


def test_a_resident_turning_80_confirms_the_allowance_offered_to_her(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    phone_no, offer = _offered(api)
    p = portal(width=PHONE)
    page = p.page
    p.login(phone_no, PASSWORD, next_path="/my/applications")
    banner = page.get_by_text("您有 1 项“免申即享”服务待确认")
    banner.wait_for()
    p.shot("offers-banner")
    page.get_by_role("link", name="去确认").click()
    page.wait_for_url("**/my/offers")
    page.get_by_role("heading", name="为您推荐 · 免申即享").wait_for()
    card = page.locator(".offer-card", has_text=ALLOWANCE)
    card.get_by_text("您已年满80周岁").wait_for()
    card.get_by_text("待确认").wait_for()
    p.shot("offers")

    # 确认享受 with the result by post: where and to whom, asked before anything is sent.
    card.get_by_role("button", name="确认享受").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name="邮寄").check()
    assert dialog.get_by_label("收件人").input_value() == "钱淑珍"
    dialog.get_by_role("button", name="确认享受").click()
    dialog.get_by_text("请填写邮寄地址").wait_for()
    dialog.get_by_label("邮寄地址").fill("北京市朝阳区团结湖北里 3 号楼 201")
    dialog.get_by_label("收件电话").fill(phone_no)
    p.shot("offers-confirm")
    with page.expect_response(f"**{INTAKE}/offers/*/confirm") as confirmed:
        dialog.get_by_role("button", name="确认享受").click()
    assert confirmed.value.status == 200, confirmed.value.text()
    case_id = confirmed.value.json()["application_id"]
    assert case_id and confirmed.value.json()["delivery"]["mode"] == "post"
    card.get_by_text("已确认，正在为您办理。").wait_for()
    p.shot("offers-confirmed")
    card.get_by_role("link", name="查看办件进度").click()
    page.wait_for_url(f"**/my/applications/{case_id}")
    page.get_by_role("heading", name=ALLOWANCE).wait_for()

    # The staff of 区民政局 (the item's unit) see it in their workspace, with the case it opened.
    for width in (DESK, PHONE):
        s = portal(width=width)
        spage = s.staff_login("approver")
        if s.phone:
            spage.get_by_role("button", name="打开菜单").click()
        spage.get_by_role("navigation", name="工作台导航").get_by_role("link", name="免申即享").click()
        spage.wait_for_url("**/work/approval/offers")
        row = spage.get_by_role("row", name=re.compile(offer["number"]))
        row.get_by_text("已确认").wait_for()
        row.get_by_role("link", name="办件").wait_for()
        s.shot("offers-staff")
