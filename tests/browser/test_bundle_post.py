"""一件事 sent by post in one parcel (issue 20 §3 and §6), with the courier's simulator: the clerk
opens a 开办餐饮店 一件事 whose three results are all ready, finds the delivery by post chosen with
the recipient and address the applicant gave, orders the courier (生成运单) for one parcel, and
delivers every result with that waybill; nothing typed, no courier named by hand. The courier's
tracking (物流轨迹) then shows on the window's bundle page and on the citizen's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from devstack import Platform
from portal import Portal, api_login, courier_moves, until
from test_bundles import _bundle_code, _wait_until_intake_knows

INTAKE = "/api/intake/v1"
CITIZEN = "13810000001"  # 张伟
ADDRESS = "北京市朝阳区吉祥里 1 号楼 2 单元 301"
#: A phone and a desk: the widths issue 20's pages are checked at.
PHONE, DESK = 390, 1440


def _ready_bundle(api: httpx.Client) -> dict[str, Any]:
    """A 开办餐饮店 一件事 of 张伟's taken at the window asking for the results by post, accepted, and
    decided and completed by both departments: ready to be delivered once."""
    code = _bundle_code(api)
    _wait_until_intake_knows(api, code)
    bundle = api.get(f"/api/catalog/v1/bundles/{code}").json()
    materials = [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in bundle["materials"]
        if m["requirement"] == "required" and not m["exempt"]
    ]
    citizen = api.get("/api/identity/v1/me", headers=api_login(api, CITIZEN)).json()["account"]
    clerk = api_login(api, "clerk")

    def applied() -> dict[str, Any] | None:
        resp = api.post(
            f"{INTAKE}/bundle-applications",
            json={
                "bundle_code": code,
                "applicant": {"id": citizen["id"]},
                "form": {
                    "applicant_name": "张伟",
                    "shop_name": "张记小馆",
                    "delivery": {"mode": "post", "address": ADDRESS, "recipient": "张伟", "phone": CITIZEN},
                },
                "materials": materials,
            },
            headers=clerk,
        )
        assert resp.status_code == 201, resp.text
        body = resp.json()
        # The org units reach intake as events too: until they have, a case has no owner yet.
        return dict(body) if all(c["owner_unit_code"] for c in body["cases"]) else None

    made = until(applied, "the bundle's departments never reached intake-svc")
    resp = api.post(f"{INTAKE}/bundle-applications/{made['id']}/accept", json={}, headers=clerk)
    assert resp.status_code == 200, resp.text
    first, food, insurance = resp.json()["cases"]
    for case, approver, result in (
        (first, "approver_scj", "营业执照"),
        (food, "approver_scj", "食品经营许可证"),
        (insurance, "approver_rsj", "参保登记凭证"),
    ):
        staff = api_login(api, approver)
        for action, body in (("approve", {"reasons": "符合条件"}), ("complete", {"result_name": result})):
            r = api.post(f"{INTAKE}/applications/{case['application_id']}/{action}", json=body, headers=staff)
            assert r.status_code == 200, r.text
    ready = api.get(f"{INTAKE}/bundle-applications/{made['id']}", headers=clerk).json()
    assert ready["status"] == "ready", ready
    return dict(ready)


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


def test_a_ready_bundle_goes_by_post_in_one_parcel_and_the_citizen_tracks_it(
    portal: Callable[..., Portal], api: httpx.Client, platform: Platform
) -> None:
    bundle = _ready_bundle(api)
    bid = bundle["id"]

    # At the window: by post is chosen (the applicant's wish), the recipient and address filled in.
    counter = portal(width=DESK)
    window = counter.staff_login("clerk", path=f"/work/window/bundles/{bid}")
    window.get_by_role("heading", name="送达办理结果").wait_for()
    window.get_by_text("参保登记凭证").first.wait_for()
    assert window.get_by_label("邮寄", exact=True).is_checked()
    assert window.get_by_label("收件人").input_value() == "张伟"
    assert window.get_by_label("收件电话").input_value() == CITIZEN
    assert window.get_by_label("邮寄地址").input_value() == ADDRESS
    assert window.get_by_label("快递公司").count() == 0  # the courier comes with the waybill
    window.get_by_text("全部 3 个事项的办理结果装入同一包裹").wait_for()
    _both(counter, "bundle-post-deliver")
    # No delivery by post without the courier's waybill.
    window.get_by_role("button", name="确认送达", exact=True).click()
    window.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()
    window.get_by_text("请先生成运单").wait_for()

    with window.expect_response(f"**{INTAKE}/bundle-applications/*/waybills") as made:
        window.get_by_role("button", name="生成运单").click()
    assert made.value.status == 201, made.value.text()
    waybill = made.value.json()
    waybill_no, carrier = waybill["waybill_no"], waybill["carrier"]
    assert waybill["bundle_application_id"] == bid and carrier
    window.get_by_text(f"运单已生成：{carrier} {waybill_no}").wait_for()
    assert window.get_by_label("运单号").input_value() == waybill_no
    _both(counter, "bundle-post-waybill")

    with window.expect_response(f"**{INTAKE}/bundle-applications/*/deliver") as sent:
        window.get_by_role("button", name="确认送达", exact=True).click()
        window.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()
    assert sent.value.status == 200, sent.value.text()
    assert "carrier" not in (sent.value.request.post_data_json or {})  # intake names it from the waybill
    window.get_by_text("全部办理结果已一次送达").wait_for()
    delivered = api.get(f"{INTAKE}/bundle-applications/{bid}", headers=api_login(api, "clerk")).json()
    assert delivered["status"] == "delivered" and delivered["delivery_mode"] == "post"
    assert {c["status"] for c in delivered["cases"]} == {"delivered"}

    # The courier picks it up and moves it on (the simulator's test control); its signed callbacks
    # come back through the gateway.
    courier_moves(platform, api, waybill_no, f"{INTAKE}/bundle-applications/{bid}/waybills")

    # The window's bundle page: the one parcel and its tracking.
    card = window.locator(".ant-card", has=window.get_by_role("heading", name="邮寄运单"))
    card.get_by_role("button", name="刷新物流信息").click()
    card.get_by_text(waybill_no, exact=True).wait_for()
    card.get_by_text("运输中").first.wait_for()
    card.get_by_text(carrier).first.wait_for()
    _both(counter, "bundle-post-tracking")

    # 张伟 follows it on his 一件事's page, on his phone and at a desk.
    for width in (PHONE, DESK):
        c = portal(width=width)
        c.login(CITIZEN, next_path=f"/my/bundles/{bid}")
        section = c.page.locator("section.fees-section")
        c.page.get_by_role("heading", name="物流信息").wait_for()
        section.get_by_text("全部办理结果已合为一个包裹交快递寄出").wait_for()
        section.get_by_text(waybill_no, exact=True).wait_for()
        section.get_by_text(carrier).first.wait_for()
        section.get_by_text("已揽收", exact=False).first.wait_for()
        c.shot("bundle-post-citizen-tracking")
        c.close()
