"""Fees and posted results (issue 20 §6) in the portal and the workspaces, with the payment and
courier simulators: 居民身份证申领 charges a 20 元 工本费 once approved. 张伟 sees the payment notice
(items, amount, 缴款码) on his application, goes to the payment platform's page and pays; his page
turns 已缴费. The deciding unit refunds part of it with a reason: recorded at once (退费中), then
已退费 once the platform reports it; he sees the refund, its reason and its state. The window
makes the courier's waybill from his delivery wish instead of typing a number, delivers, and both the
window and he follow the tracking (物流信息). The supervisor reconciles the day against the
platform's statement from the workspace menu."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from devstack import Platform
from portal import Portal, api_login, courier_moves, until

INTAKE = "/api/intake/v1"
CITIZEN = "13810000001"  # 张伟
ITEM_NAME = "居民身份证申领"
ADDRESS = "北京市朝阳区朝外大街 1 号院 3 号楼 502"
#: A phone and a desk: the widths issue 20's pages are checked at.
PHONE, DESK = 390, 1440


def _item(api: httpx.Client) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        items = api.get(f"{INTAKE}/catalog-items", params={"limit": 200}).json()["items"]
        hit = [i for i in items if i["name"] == ITEM_NAME]
        return dict(api.get(f"{INTAKE}/catalog-items/{hit[0]['code']}").json()) if hit else None

    return dict(until(found, f"{ITEM_NAME} never reached intake-svc"))


def _approved_case(api: httpx.Client) -> dict[str, Any]:
    """A case of 张伟's filed at the window asking for the result by post, accepted, handed over,
    approved and completed by the department: it owes the 工本费 now."""
    item = _item(api)
    citizen = api.get("/api/identity/v1/me", headers=api_login(api, CITIZEN)).json()["account"]
    materials = [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if m.get("requirement") == "required" and not m.get("exempt")
    ]
    clerk = api_login(api, "clerk")
    filed = api.post(
        f"{INTAKE}/applications",
        json={
            "item_code": item["code"],
            "applicant": {"id": citizen["id"]},
            "materials": materials,
            "form": {"delivery": {"mode": "post", "address": ADDRESS, "recipient": "张伟", "phone": CITIZEN}},
        },
        headers=clerk,
    )
    assert filed.status_code == 201, filed.text
    case = filed.json()
    for user, action, body in (
        ("clerk", "accept", {}),
        ("clerk", "hand-over", {}),
        # The demo has no approver at 公安分局: the administrator decides for the department.
        ("admin", "approve", {"reasons": "符合条件"}),
        ("admin", "complete", {"result_name": "居民身份证"}),
    ):
        resp = api.post(
            f"{INTAKE}/applications/{case['id']}/{action}", json=body, headers=api_login(api, user)
        )
        assert resp.status_code == 200, resp.text
    return dict(case)


def _both(p: Portal, name: str) -> None:
    """Screenshot the page at the desk's width and, resized, at a phone's (each checked)."""
    desk = p.width
    p.shot(name)
    p.page.set_viewport_size({"width": PHONE, "height": 844})
    p.width = PHONE
    try:
        p.shot(name)
    finally:
        p.page.set_viewport_size({"width": desk, "height": 900})
        p.width = desk


def _fees(api: httpx.Client, case_id: str) -> list[dict[str, Any]]:
    return list(
        api.get(f"{INTAKE}/applications/{case_id}/fees", headers=api_login(api, CITIZEN)).json()["fees"]
    )


def test_a_fee_paid_on_the_payment_page_refunded_in_part_and_the_result_posted_with_tracking(
    portal: Callable[..., Portal], api: httpx.Client, platform: Platform
) -> None:
    case = _approved_case(api)
    fee = until(lambda: [f for f in _fees(api, case["id"]) if f["payment_code"]], "no payment code")[0]
    assert fee["amount_fen"] == 2000 and fee["status"] == "awaiting"
    grouped = " ".join(fee["payment_code"][i : i + 4] for i in range(0, 20, 4))

    # 张伟 on his phone: the payment notice with the amount and the code, and the way to pay.
    phone = portal(width=PHONE)
    page = phone.page
    phone.login(CITIZEN, next_path=f"/my/applications/{case['id']}")
    page.get_by_role("heading", name="缴费通知").wait_for()
    notice = page.locator("section.fees-section")
    notice.get_by_text("待缴费").wait_for()
    notice.get_by_text("¥20.00").first.wait_for()
    notice.get_by_text(grouped).wait_for()
    phone.shot("fees-citizen-due")

    # 去缴费 opens the payment platform's page (the simulator): he pays there by WeChat.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="去缴费").click()
    pay = opened.value
    pay.wait_for_load_state()
    pay.get_by_text("缴款单").first.wait_for()
    assert "20.00" in pay.content()
    pay.get_by_label("支付方式").select_option("wechat")
    pay.get_by_role("button", name="支付").click()
    pay.get_by_text("缴款成功").wait_for()
    pay.screenshot(path=str(phone.shot_path("fees-pay-page")), full_page=True)
    pay.close()
    # His page asks again while the fee waits: the provider's signed notice turns it 已缴费.
    notice.get_by_text("已缴费", exact=True).first.wait_for(timeout=30_000)
    notice.get_by_text("微信支付", exact=False).wait_for()
    phone.shot("fees-citizen-paid")

    # The department (the administrator decides for 公安分局) refunds 5 元 of it, with the reason.
    desk = portal(width=DESK)
    staff = desk.staff_login("admin", path=f"/work/approval/cases/{case['id']}")
    card = staff.locator(".ant-card", has=staff.get_by_role("heading", name="收费", exact=True))
    card.get_by_text("已缴费", exact=True).wait_for()
    card.get_by_role("button", name="退费").click()
    dialog = staff.get_by_role("dialog")
    dialog.get_by_text("最多可退 ¥20.00").wait_for()
    dialog.get_by_label("退费金额（元）").fill("5")
    dialog.get_by_role("button", name="确认退费").click()
    dialog.get_by_text("请填写退费原因").wait_for()  # the reason the applicant is told, asked for first
    dialog.get_by_label("退费原因").fill("照片由本人自备，退还拍照费")
    desk.shot("fees-staff-refund")
    # The refund is recorded as soon as it is asked for (退费中, with its reason); the payment
    # simulator confirms refunds at once, so the card is held on what the refund answered (the
    # fee with its refund requested) while that state is looked at.
    fees_url = f"**{INTAKE}/applications/{case['id']}/fees"
    held: dict[str, Any] = {}

    def refund_route(route: Any) -> None:
        answer = route.fetch()
        held["fee"] = answer.json()
        route.fulfill(response=answer)

    def fees_route(route: Any) -> None:
        if "fee" in held:
            route.fulfill(json={"fees": [held["fee"]]})
        else:
            route.continue_()

    staff.route(f"**{INTAKE}/fees/*/refund", refund_route)
    staff.route(fees_url, fees_route)
    with staff.expect_response(f"**{INTAKE}/fees/*/refund") as refunded:
        dialog.get_by_role("button", name="确认退费").click()
    assert refunded.value.status == 200, refunded.value.text()
    asked = [line for line in held["fee"]["lines"] if line["refund_no"]]
    assert [(r["refund_status"], r["reason"], r["at"]) for r in asked] == [
        ("requested", "照片由本人自备，退还拍照费", None)
    ], asked
    refund = card.locator(".fees-refund")
    refund.get_by_text(re.compile(r"退费 ¥5\.00")).wait_for()
    refund.get_by_text("退费中", exact=True).wait_for()
    refund.get_by_text("退费原因：照片由本人自备，退还拍照费").wait_for()
    card.get_by_text(re.compile("退费已提交支付平台")).wait_for()
    _both(desk, "fees-staff-refund-requested")
    # He sees it too while it is under way (his page held on the same answer).
    page.route(fees_url, fees_route)
    page.reload()
    pending = page.locator("section.fees-section")
    pending.locator(".fees-refund").get_by_text("退费中", exact=True).wait_for()
    pending.locator(".fees-refund").get_by_text("退费原因：照片由本人自备，退还拍照费").wait_for()
    pending.get_by_text(re.compile("退费办理中")).wait_for()
    phone.shot("fees-citizen-refund-requested")
    page.unroute(fees_url)
    staff.unroute(fees_url)
    staff.unroute(f"**{INTAKE}/fees/*/refund")
    # The platform's report marks it succeeded; the card asks again until it has.
    refund.get_by_text("已退费", exact=True).wait_for(timeout=30_000)
    card.get_by_text("已退 ¥5.00").wait_for()
    refund.get_by_text("退费原因：照片由本人自备，退还拍照费").wait_for()
    # The case's trace records the request with its reason.
    trace = staff.locator(".approval-trace")
    trace.get_by_text("申请退费", exact=True).wait_for()
    trace.get_by_text("照片由本人自备，退还拍照费").wait_for()
    _both(desk, "fees-staff-refunded")

    # He sees the refund on his application: how much, why, and that it came through.
    page.reload()
    notice = page.locator("section.fees-section")
    mine = notice.locator(".fees-refund")
    mine.get_by_text(re.compile(r"退费 ¥5\.00")).wait_for()
    mine.get_by_text("已退费", exact=True).wait_for()
    mine.get_by_text("退费原因：照片由本人自备，退还拍照费").wait_for()
    page.locator("section", has=page.get_by_role("heading", name="办理过程")).get_by_text(
        "申请退费", exact=True
    ).wait_for()
    phone.shot("fees-citizen-refunded")
    big = portal(width=DESK)
    big.login(CITIZEN, next_path=f"/my/applications/{case['id']}")
    big.page.locator("section.fees-section .fees-refund").get_by_text(
        "退费原因：照片由本人自备，退还拍照费"
    ).wait_for()
    big.shot("fees-citizen-refunded")
    big.close()

    # The window posts the result: the waybill is made from his delivery wish, nothing typed.
    counter = portal(width=DESK)
    window = counter.staff_login("clerk", path=f"/work/window/cases/{case['id']}")
    window.get_by_role("heading", name="送达办理结果").wait_for()
    assert window.get_by_label("收件人").input_value() == "张伟"
    assert window.get_by_label("邮寄地址").input_value() == ADDRESS
    window.get_by_role("button", name="确认送达", exact=True).click()
    window.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()
    window.get_by_text("请先生成运单").wait_for()  # no delivery by post without the courier's waybill
    with window.expect_response(f"**{INTAKE}/applications/*/waybills") as made:
        window.get_by_role("button", name="生成运单").click()
    assert made.value.status == 201, made.value.text()
    waybill_no = made.value.json()["waybill_no"]
    window.get_by_text(f"运单已生成：中国邮政EMS {waybill_no}").wait_for()
    assert window.get_by_label("运单号").input_value() == waybill_no
    _both(counter, "fees-window-waybill")
    window.get_by_role("button", name="确认送达", exact=True).click()
    window.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()
    window.locator(".window-case-head").get_by_text("已送达", exact=True).wait_for()
    delivered = api.get(f"{INTAKE}/applications/{case['id']}", headers=api_login(api, "clerk")).json()
    assert delivered["delivery_mode"] == "post" and delivered["delivery"]["tracking_no"] == waybill_no

    # The courier picks it up and moves it on (the simulator's test control); its signed callbacks
    # come back through the gateway and the tracking shows on both sides.
    courier_moves(platform, api, waybill_no, f"{INTAKE}/applications/{case['id']}/waybills")
    wb = window.locator(".ant-card", has=window.get_by_role("heading", name="邮寄运单"))
    wb.get_by_role("button", name="刷新物流信息").click()
    wb.get_by_text("运输中").first.wait_for()
    _both(counter, "fees-window-tracking")

    for p in (phone, portal(width=DESK)):
        if p is not phone:
            p.login(CITIZEN, next_path=f"/my/applications/{case['id']}")
        else:
            p.page.reload()
        p.page.get_by_role("heading", name="物流信息").wait_for()
        p.page.get_by_text(waybill_no, exact=True).wait_for()
        p.page.get_by_text("已揽收", exact=False).first.wait_for()
        p.shot("fees-citizen-tracking")

    # The supervisor reconciles today from the workspace menu: the payment and the refund match.
    sups = []
    for width in (PHONE, DESK):
        sup = portal(width=width)
        sups.append(sup)
        spage = sup.staff_login("supervisor")
        if sup.phone:
            spage.get_by_role("button", name="打开菜单").click()
        spage.get_by_role("navigation", name="工作台导航").get_by_role("link", name="收费对账").click()
        spage.wait_for_url("**/work/supervision/fees")
        spage.get_by_role("heading", name="收费对账").wait_for()
        spage.get_by_text(re.compile(r"的缴费和退费与支付平台对账单一致")).wait_for()
        matched = spage.locator(".ant-statistic").filter(
            has=spage.locator(".ant-statistic-title", has_text=re.compile("^一致笔数$"))
        )
        assert (
            matched.locator(".ant-statistic-content-value").inner_text() == "2"
        )  # the payment and the refund
        sup.shot("fees-reconciliation")

    # The days kept by the daily pass: yesterday is run again by hand (重新对账) and kept.
    yesterday = (datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)).isoformat()
    supervisor = api_login(api, "supervisor")
    until(
        lambda: any(
            r["day"] == yesterday
            for r in api.get(f"{INTAKE}/fees/reconciliations", headers=supervisor).json()["items"]
        ),
        "the daily pass never kept yesterday's reconciliation",
    )
    spage.reload()  # the desk's
    spage.get_by_role("heading", name="对账记录").wait_for()
    with spage.expect_response(f"**{INTAKE}/fees/reconciliations") as rerun:
        spage.get_by_role("button", name=f"重新对账 {yesterday}").click()
    assert rerun.value.status == 201, rerun.value.text()
    assert rerun.value.json()["ran_by"] != "system"
    spage.get_by_role("cell", name=re.compile("人工")).first.wait_for()
    for sup in sups:
        sup.page.reload()
        sup.page.get_by_role("button", name=f"重新对账 {yesterday}").wait_for()
        sup.shot("fees-reconciliation-runs")
