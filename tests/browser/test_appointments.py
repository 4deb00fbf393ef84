"""预约办事 in the portal (issue 16): a citizen chooses the place, the item and a slot, books it,
finds it among their appointments and cancels it (the seat goes back to the slot); a phone number
the platform refuses is said under the phone field, in Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from portal import DEMO_PASSWORD, Portal, api_login, pick, until

INTAKE = "/api/intake/v1"
CITIZEN = "13810000003"
HALL = "110105-ZWFW-HALL"


def open_slots(api: httpx.Client) -> dict[str, Any]:
    """The district hall gets a week of slots for an item of the catalogue (as its staff would)."""
    place = next(p for p in api.get(f"{INTAKE}/places").json()["items"] if p["code"] == HALL)
    item = until(
        lambda: next(iter(api.get(f"{INTAKE}/catalog-items", params={"limit": 1}).json()["items"]), None),
        "no catalogue item reached intake-svc",
    )
    made = api.post(
        f"{INTAKE}/places/{place['id']}/slots/generate",
        json={"item_code": item["code"], "days": 7, "capacity": 3},
        headers=api_login(api, "admin"),
    )
    assert made.status_code in (200, 201), made.text
    return {"place": place, "item": item}


def first_free(page: Any, group: str) -> str:
    """Click the first choice of a button group that is not full; its text."""
    label = page.locator(
        f"{group} label.ant-radio-button-wrapper:not(.ant-radio-button-wrapper-disabled)"
    ).first
    text = label.inner_text()
    label.click()
    return text


def _no_bookings(api: httpx.Client) -> None:
    """The citizen starts with no coming booking (a booking may not overlap another of theirs)."""
    me = api_login(api, CITIZEN)
    for a in api.get(f"{INTAKE}/appointments", params={"limit": 200}, headers=me).json()["items"]:
        if a["status"] == "booked":
            api.post(f"{INTAKE}/appointments/{a['id']}/cancel", json={}, headers=me)


def test_a_citizen_books_a_slot_and_cancels_it(portal: Callable[..., Portal], api: httpx.Client) -> None:
    setup = open_slots(api)
    _no_bookings(api)
    p = portal(width=1280)
    p.login(CITIZEN, DEMO_PASSWORD, next_path="/appointments")
    page = p.page
    page.get_by_role("heading", name="预约办事").wait_for()
    page.locator(".appt-card, .ant-empty").first.wait_for()
    p.shot("appointments")
    page.get_by_role("link", name="我要预约").first.click()
    page.get_by_role("heading", name="我要预约").wait_for()
    page.get_by_role("radio", name=re.compile(setup["place"]["name"])).check()
    pick(page, "办理事项", setup["item"]["name"])
    first_free(page, ".appt-days")
    first_free(page, ".appt-slots")
    # A number the platform refuses: its problem is shown under the phone field.
    page.get_by_label("手机号码").fill("12345")
    with page.expect_response(f"**{INTAKE}/appointments") as refused:
        page.get_by_role("button", name="提交预约").click()
    assert refused.value.status == 422
    phone_item = page.locator(".ant-form-item", has=page.get_by_label("手机号码"))
    phone_item.locator(".ant-form-item-explain-error").wait_for()
    assert re.search(r"[\u4e00-\u9fff]", phone_item.locator(".ant-form-item-explain-error").inner_text())
    page.get_by_label("手机号码").fill(CITIZEN)
    phone_item.locator(".ant-form-item-explain-error").wait_for(state="detached")  # corrected: it goes
    p.shot("appointments-book")
    with page.expect_response(f"**{INTAKE}/appointments") as made:
        page.get_by_role("button", name="提交预约").click()
    assert made.value.status == 201, made.value.text()
    booking = made.value.json()
    assert booking["item_code"] == setup["item"]["code"] and booking["status"] == "booked"
    page.wait_for_url("**/appointments?booked=*")
    page.get_by_text(f"预约成功，预约号 {booking['booking_no']}").wait_for()
    p.shot("appointments-booked")

    page.get_by_role("button", name=f"取消预约 {booking['booking_no']}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("取消原因（可选）").fill("临时有事，改日再约。")
    with page.expect_response(f"**{INTAKE}/appointments/{booking['id']}/cancel") as cancelled:
        dialog.get_by_role("button", name="确认取消").click()
    assert cancelled.value.status == 200 and cancelled.value.json()["status"] == "cancelled"
    page.get_by_role("button", name=f"取消预约 {booking['booking_no']}").wait_for(state="detached")
    page.get_by_text("显示已取消和已过期的预约").click()
    page.get_by_text("临时有事，改日再约。").wait_for()
    p.shot("appointments-cancelled")


def test_booking_on_a_phone(portal: Callable[..., Portal], api: httpx.Client) -> None:
    setup = open_slots(api)
    p = portal(width=375)
    p.login(CITIZEN, DEMO_PASSWORD, next_path="/appointments/new")
    page = p.page
    page.get_by_role("heading", name="我要预约").wait_for()
    page.get_by_role("radio", name=re.compile(setup["place"]["name"])).check()
    pick(page, "办理事项", setup["item"]["name"])
    first_free(page, ".appt-days")
    first_free(page, ".appt-slots")
    p.shot("appointments-book")
    p.goto("/appointments")
    page.locator(".appt-card, .ant-empty").first.wait_for()
    p.shot("appointments")
