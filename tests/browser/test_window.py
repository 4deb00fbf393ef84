"""The window console (issue 17, 一窗受理): a walk-in at the counter is identified and registered, their
application filed on the window channel with the materials taken in, accepted with its printable
notice, handed over, decided by the department, delivered at the window against a signature drawn
on screen, and rated by the person on the window's rating pad — and the work list at a phone's width."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login, pick, until

ITEM = "05110105000005-110105MZJ-01"
ITEM_NAME = "困难老年人养老服务补贴"
INTAKE = "/api/intake/v1"
E = "/api/evaluation/v1"


def resident_id() -> str:
    """A fresh, valid resident ID (GB 11643 check digit) for a walk-in nobody has registered."""
    born = f"{random.randint(1940, 1960)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    body = f"110105{born}{random.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(w * int(c) for w, c in zip(weights, body, strict=True)) % 11]


def confirm(page: Any, button: str) -> None:
    """Click a step's button and confirm it in its pop-over (irreversible steps ask first)."""
    page.get_by_role("button", name=button, exact=True).click()
    page.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()


def register_pad(api: httpx.Client) -> dict[str, Any]:
    """The evaluation office registers a rating pad at the demo clerk's window (by the window's unit code)."""
    me = api.get("/api/identity/v1/me", headers=api_login(api, "clerk")).json()["account"]
    pad = api.post(
        f"{E}/rating-devices",
        json={"window_code": me["org_unit"]["code"], "label": "综合受理窗口1台面"},
        headers=api_login(api, "evaluator"),
    )
    assert pad.status_code == 201, pad.text
    return dict(pad.json())


def test_a_walk_in_from_identification_to_delivery_and_the_rating_pad(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    pad = register_pad(api)
    p = portal(width=1280)
    page = p.staff_login("clerk", path="/work/window")
    page.get_by_role("heading", name="窗口待办").wait_for()
    page.get_by_role("columnheader", name="时限").wait_for()
    page.locator(".ant-table .ant-spin-spinning").wait_for(state="detached")
    p.shot("window-worklist")

    # 窗口收件: nobody has this resident ID yet — the clerk registers the person at the window.
    page.get_by_role("button", name="窗口收件").click()
    page.wait_for_url("**/work/window/new")
    rid = resident_id()
    page.get_by_label("身份证号或手机号").fill(rid)
    page.get_by_role("button", name="查找").click()
    page.get_by_text(f"未找到 {rid} 对应的人员。").wait_for()
    assert page.get_by_label("居民身份证号").input_value() == rid
    page.get_by_label("姓名（与证件一致）").fill("赵敏")
    phone = f"139{random.randint(0, 99_999_999):08d}"
    page.get_by_label("联系手机号").fill(phone)
    p.shot("window-walk-in")
    page.get_by_role("button", name="登记并继续").click()
    page.get_by_text("窗口登记，尚未认领").wait_for()
    page.get_by_text("赵敏").first.wait_for()

    # The item from the catalogue; every material the item asks for is ticked as received on paper.
    pick(page, "办理事项", ITEM_NAME)
    materials = page.locator("fieldset.window-materials input[type=checkbox]")
    materials.first.wait_for()
    for i in range(materials.count()):
        materials.nth(i).check()
    p.shot("window-new-application")
    with page.expect_response(f"**{INTAKE}/applications") as sent:
        page.get_by_role("button", name="提交收件").click()
    assert sent.value.status == 201, sent.value.text()
    app = sent.value.json()
    assert app["channel"] == "window" and app["applicant_name"] == "赵敏"
    page.wait_for_url(f"**/work/window/cases/{app['id']}")
    page.get_by_role("heading", name=ITEM_NAME).wait_for()
    page.get_by_text("材料齐全，符合法定形式。").wait_for()
    p.shot("window-case-submitted")

    # Accept (asks first), then the acceptance notice opens printable in a new tab.
    confirm(page, "受理")
    page.get_by_text("已受理", exact=True).first.wait_for()
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="查看受理通知书").click()
    notice = opened.value
    notice.wait_for_load_state()
    notice.get_by_text("受理通知书").first.wait_for()
    assert "赵敏" in notice.content()
    notice.close()
    p.shot("window-case-accepted")

    # 转交 to the deciding department, which decides and completes it through its own workspace.
    confirm(page, "转交")
    page.get_by_text("审查中", exact=True).first.wait_for()
    approver = api_login(api, "approver")
    for action, body in (
        ("approve", {"reasons": "符合条件"}),
        ("complete", {"result_name": "养老服务补贴核定通知书"}),
    ):
        resp = api.post(f"{INTAKE}/applications/{app['id']}/{action}", json=body, headers=approver)
        assert resp.status_code == 200, resp.text

    # The work list shows the result waiting to be delivered.
    p.goto("/work/window?status=completed")
    page.get_by_role("link", name=app["application_no"]).click()
    page.get_by_text("养老服务补贴核定通知书").first.wait_for()

    # Delivered at the window: the applicant signs on screen; the signature is kept with the receipt.
    page.get_by_role("button", name="确认送达").wait_for()
    confirm(page, "确认送达")
    page.get_by_text("请办事人在签名区签名").wait_for()
    canvas = page.locator("canvas.signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + 100 - (step % 3) * 30, steps=3)
    page.mouse.up()
    page.get_by_text("已签名", exact=True).wait_for()
    p.shot("window-deliver")
    confirm(page, "确认送达")
    page.get_by_text("办理结果已当面送达").wait_for()
    delivered = api.get(f"{INTAKE}/applications/{app['id']}", headers=api_login(api, "clerk")).json()
    assert delivered["status"] == "delivered" and delivered["delivery"]["signed_by"] == "赵敏"
    signature = delivered["delivery"]["signature_ref"]
    receipt = api.get(f"{INTAKE}/files/{signature}", headers=api_login(api, "clerk"))
    assert receipt.status_code == 200 and receipt.content.startswith(b"\x89PNG")
    p.shot("window-delivered")

    # The rating pad: set up once with the pad's number and secret, then shown full-screen to the person.
    page.get_by_role("button", name="请办事人评价").click()
    page.wait_for_url(re.compile(r".*/work/window/pad\?event=.+"))
    page.get_by_label("评价器编号").fill(pad["device"]["id"])
    page.get_by_label("评价器密钥").fill(pad["secret"])
    page.get_by_role("button", name="保存").click()
    page.get_by_text("将为刚刚送达的这次服务请办事人评价。").wait_for()
    page.get_by_role("button", name="请办事人评价").click()
    screen = page.get_by_role("dialog", name="请您对本次服务进行评价")
    failed = page.locator(".ant-alert-error")
    screen.or_(failed).first.wait_for()
    assert failed.count() == 0, failed.first.inner_text()
    screen.get_by_text(ITEM_NAME).wait_for()
    p.shot("window-pad")
    with page.expect_response(f"**{E}/service-events/*/rating") as rated:
        screen.get_by_role("button", name="非常满意").click()
    assert rated.value.status == 201, rated.value.text()
    rating = rated.value.json()
    assert rating["level"] == 1 and rating["channel"] == "device"
    page.get_by_role("heading", name="感谢您的评价！").wait_for()
    p.shot("window-pad-thanks")
    # The visit rated is this delivery's, at the clerk's window, for the person served.
    event = api.get(
        f"{E}/service-events/{rating['service_event_id']}", headers=api_login(api, "clerk")
    ).json()
    assert event["kind"] == "visit" and event["item_code"] == ITEM


def test_the_work_list_and_a_case_on_a_phone(portal: Callable[..., Portal], api: httpx.Client) -> None:
    # A case waiting at the window: filed there through the API, with nothing handed in.
    clerk = api_login(api, "clerk")
    person = api.post(
        "/api/identity/v1/persons/lookup", json={"phone": "13810000003", "reason": "窗口收件"}, headers=clerk
    ).json()
    resp = api.post(
        f"{INTAKE}/applications", json={"item_code": ITEM, "applicant": {"id": person["id"]}}, headers=clerk
    )
    assert resp.status_code == 201, resp.text
    app = resp.json()
    assert app["problems"], "nothing handed in: the completeness check finds problems"
    p = portal(width=375)
    page = p.staff_login("clerk", path="/work/window")
    page.get_by_role("heading", name="窗口待办").wait_for()
    page.get_by_label("按申请编号或申请人查找").fill(app["application_no"])
    link = page.get_by_role("link", name=app["application_no"])
    link.wait_for()
    assert page.locator(".ant-table-row").count() == 1
    page.locator(".ant-table .ant-spin-spinning").wait_for(state="detached")
    p.shot("window-worklist")
    link.click()
    page.get_by_text(f"形式审查问题（{len(app['problems'])} 项）").wait_for()
    for problem in app["problems"]:
        page.get_by_text(problem["message"]).first.wait_for()
    p.shot("window-case-problems")
    # Every problem at once in the one-time notice, with one the clerk found.
    page.get_by_role("button", name="补充问题").click()
    page.get_by_label("材料", exact=True).fill("申请表")
    page.get_by_label("需要补正的内容").fill("申请表缺少申请人签名，请签名后提交。")
    confirm(page, "出具告知书")
    page.get_by_text("待补正", exact=True).first.wait_for()
    page.get_by_role("button", name="查看补正材料一次性告知书").wait_for()
    issued = until(
        lambda: (
            api.get(f"{INTAKE}/applications/{app['id']}", headers=clerk).json()["status"]
            == "correction_requested"
        ),
        "the notice never put the case into correction",
    )
    assert issued


def test_todays_appointments_at_the_windows_place(portal: Callable[..., Portal]) -> None:
    p = portal(width=1280)
    page = p.staff_login("clerk", path="/work/window/appointments")
    page.get_by_role("heading", name="今日预约").wait_for()
    # The clerk's window belongs to the district centre: its place is chosen, today's bookings listed.
    page.locator(".window-place .ant-select-selection-item").wait_for()
    page.get_by_role("columnheader", name="签到").wait_for()
    page.locator(".ant-table .ant-spin-spinning").wait_for(state="detached")
    p.shot("window-appointments")
