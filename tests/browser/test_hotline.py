"""12345 online in the portal (issue 16): a citizen reports a complaint with its category, place
(street, community, address, the browser's location) and a photo; follows it while the unit
responds and replies and the hotline calls back and closes it; then rates the handling (好差评)."""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections.abc import Callable
from typing import Any

import httpx
from portal import DEMO_PASSWORD, Portal, api_login, pick

H = "/api/hotline/v1"
CITIZEN = "13810000003"


def png(width: int = 48, height: int = 32) -> bytes:
    """A small real PNG (a blue-grey picture), as a phone's camera would give a JPEG or PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + bytes([60, 90, 140]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def button_radio(scope: Any, name: str) -> None:
    radio = scope.get_by_role("radio", name=name, exact=True)
    scope.locator("label.ant-radio-button-wrapper").filter(
        has_text=re.compile(f"^{re.escape(name)}$")
    ).click()
    assert radio.is_checked()


def _act(api: httpx.Client, tid: str, action: str, who: str, body: dict[str, Any]) -> None:
    resp = api.post(f"{H}/tickets/{tid}/{action}", json=body, headers=api_login(api, who))
    assert resp.status_code == 200, (action, resp.text)


def test_a_citizen_reports_with_photo_and_place_follows_and_rates(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    p = portal(width=1280)
    p.context.grant_permissions(["geolocation"], origin=p.base)
    p.context.set_geolocation({"latitude": 39.921987, "longitude": 116.443612})
    p.login(CITIZEN, DEMO_PASSWORD, next_path="/hotline")
    page = p.page
    page.get_by_role("heading", name="12345 网上诉求").wait_for()
    page.get_by_role("link", name="我要反映").click()
    page.get_by_role("heading", name="我要反映").wait_for()
    button_radio(page, "投诉")
    pick(page, "诉求分类", "噪声扰民")
    page.get_by_label("标题").fill("夜间施工噪声扰民")
    page.get_by_label("详细描述").fill("小区东侧工地每晚 23 点后仍在施工，影响休息。")
    # The category asks for the time of the noise: required, said under the field.
    page.get_by_role("button", name="提交诉求").click()
    page.locator(".ant-form-item-explain-error").first.wait_for()
    pick(page, "街道", "朝外街道")
    pick(page, "社区", "吉祥里社区")
    page.get_by_label("详细地址").fill("吉祥里小区 3 号楼东侧")
    page.get_by_label("联系电话").fill(CITIZEN)  # the account's phone is shown masked: typed here
    page.get_by_role("button", name="使用当前位置").click()
    page.get_by_text("已定位：纬度 39.92199，经度 116.44361").wait_for()
    page.locator("input[type=file]").set_input_files(
        {"name": "工地夜间施工.png", "mimeType": "image/png", "buffer": png()}
    )
    page.locator(".ant-upload-list-item").first.wait_for()
    attribute = page.locator(".ant-form-item-has-error .ant-select").first
    attribute.click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="夜间").first.click()
    p.shot("hotline-new")
    with page.expect_response(f"**{H}/tickets") as created:
        page.get_by_role("button", name="提交诉求").click()
    assert created.value.status == 201, created.value.text()
    ticket = created.value.json()
    assert ticket["channel"] == "web" and ticket["request_type"] == "complaint"
    assert ticket["category_code"] == "noise" and ticket["attributes"] == {"noise_period": "night"}
    assert ticket["community_code"] == "110105001001" and ticket["street_code"] == "110105001"
    assert ticket["lat"] == 39.921987 and ticket["lon"] == 116.443612
    assert ticket["caller_name"]  # the name comes from the account
    (photo,) = ticket["attachments"]
    assert photo["media_type"] == "image/png" and photo["file_name"] == "工地夜间施工.png"
    page.wait_for_url(f"**/hotline/{ticket['id']}?new=1")
    page.get_by_text(f"诉求已提交，工单编号 {ticket['number']}").wait_for()
    page.get_by_text("工地夜间施工.png").wait_for()
    p.shot("hotline-ticket")

    # The street's service centre responds and replies; the hotline calls back and closes.
    _act(api, ticket["id"], "respond", "handler", {})
    _act(
        api,
        ticket["id"],
        "reply",
        "handler",
        {"reply": "已约谈施工单位，夜间 22 点后停止施工，城管将夜间巡查。"},
    )
    _act(api, ticket["id"], "call-back", "agent", {"resolved": True, "satisfaction": "satisfied"})
    _act(api, ticket["id"], "close", "admin", {})
    deadline = time.monotonic() + 60
    while True:
        page.reload()
        page.get_by_text("已约谈施工单位").first.wait_for()
        if page.get_by_role("link", name="评价办理结果").count() > 0:
            break
        assert time.monotonic() < deadline, "the closed ticket never became the caller's to rate"
        time.sleep(1)
    page.get_by_text("已办结").first.wait_for()
    p.shot("hotline-ticket-closed")
    page.get_by_role("link", name="评价办理结果").click()
    page.get_by_role("heading", name="评价服务").wait_for()
    button_radio(page, "满意")
    with page.expect_response("**/api/evaluation/v1/service-events/*/rating") as rated:
        page.get_by_role("button", name="提交评价").click()
    assert rated.value.status == 201
    page.get_by_text("感谢您的评价").wait_for()
    page.goto(p.base + f"/hotline/{ticket['id']}")
    page.get_by_text("您已评价：").wait_for()


def test_12345_on_a_phone(portal: Callable[..., Portal]) -> None:
    p = portal(width=375)
    p.login(CITIZEN, DEMO_PASSWORD, next_path="/hotline")
    p.page.get_by_role("heading", name="12345 网上诉求").wait_for()
    p.page.locator(".hotline-card, .ant-empty").first.wait_for()
    p.shot("hotline")
    p.page.get_by_role("link", name="我要反映").click()
    p.page.get_by_role("heading", name="我要反映").wait_for()
    button_radio(p.page, "建议")
    p.shot("hotline-new")
