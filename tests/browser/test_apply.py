"""Applying online (issue 16): from a search to the guide, the apply form with an upload, a one-time
notice from staff, the citizen's corrections, acceptance, and tracking the case with its printable
acceptance notice — at a desk's width and a phone's."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from portal import WIDTHS, Portal, api_login, tick

ITEM = "05110105000005-110105MZJ-01"  # 困难老年人养老服务补贴 (网办深度四级) in the demo catalogue
ITEM_NAME = "困难老年人养老服务补贴"
FORM = "困难老年人养老服务补贴申请表"  # uploaded (原件或电子版)
CARD = "北京通—养老助残卡"  # paper only (原件)
CITIZEN = "13810000003"  # 王芳
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
#: The deciding department's approver (区民政局) decides acceptance of online applications: the
#: demo window clerk's unit (政务服务中心窗口) does not see applications made online (404).
STAFF = "approver"


def _upload(page: object, button_name: str, name: str, data: bytes, mime: str) -> None:
    with page.expect_file_chooser() as chooser:  # type: ignore[attr-defined]
        page.get_by_role("button", name=re.compile(button_name)).first.click()  # type: ignore[attr-defined]
    chooser.value.set_files(files=[{"name": name, "mimeType": mime, "buffer": data}])


@pytest.mark.parametrize("width", WIDTHS)
def test_apply_correct_and_track(portal: Callable[..., Portal], api: httpx.Client, width: int) -> None:
    p = portal(width=width)
    page = p.page
    p.login(CITIZEN, next_path="/")

    # Search → guide → 在线申办.
    page.locator("#home-q").fill("养老服务补贴")
    page.keyboard.press("Enter")
    page.wait_for_url("**/items?*")
    page.get_by_role("link", name=ITEM_NAME).first.click()
    page.wait_for_url(f"**/items/{ITEM}")
    page.get_by_role("link", name="在线申办").click()
    page.wait_for_url(f"**/apply/{ITEM}")
    page.get_by_role("heading", name=f"在线申办：{ITEM_NAME}").wait_for()
    # Exempt materials are shown as such and not asked for.
    page.get_by_text("免提交：电子证照库（居民身份证）").wait_for()
    p.shot("apply-form")
    # Opened directly (a reload, a shared link, the login redirect) the page loads as well.
    page.reload()
    page.get_by_role("heading", name=f"在线申办：{ITEM_NAME}").wait_for()

    # Submitting at once lists every missing thing together, each next to its field too.
    page.get_by_role("button", name="提交申请").click()
    summary = page.get_by_role("alert").filter(has_text="还有 3 项")
    summary.wait_for()
    for text in (f"请上传“{FORM}”", f"请确认提交“{CARD}”的纸质材料", "请阅读并勾选承诺"):
        assert summary.get_by_text(text).count() == 1, text
    p.shot("apply-missing")

    # The browser refuses a file of the wrong kind before sending it.
    _upload(page, "选择文件上传", "说明.txt", b"plain text", "text/plain")
    page.get_by_text("说明.txt：不支持该文件格式").wait_for()
    _upload(page, "选择文件上传", "申请表.pdf", PDF, "application/pdf")
    page.get_by_text("申请表.pdf").first.wait_for()
    page.get_by_role("button", name=re.compile("重新选择文件")).wait_for()
    tick(page.get_by_label("我将提交纸质材料：原件 1 份"))
    page.get_by_label("邮寄").check()
    page.get_by_label("邮寄地址").fill("北京市朝阳区朝外大街 1 号院 3 号楼 502")
    tick(page.get_by_label(re.compile("^本人承诺")))
    p.shot("apply-filled")
    with page.expect_response("**/api/intake/v1/applications") as submitted:
        page.get_by_role("button", name="提交申请").click()
    assert submitted.value.status == 201
    assert submitted.value.request.header_value("idempotency-key")
    page.wait_for_url("**/my/applications/*")
    app_id = page.url.rsplit("/", 1)[-1]
    page.get_by_text("申请已提交，申请编号").wait_for()
    page.get_by_role("heading", name="办理进度").wait_for()
    p.shot("apply-submitted")

    # Staff issue the one-time notice (补正告知) with a problem of their own.
    staff = api_login(api, STAFF)
    resp = api.post(
        f"/api/intake/v1/applications/{app_id}/notice",
        headers=staff,
        json={"extra_problems": [{"material": FORM, "message": "申请表须由申请人本人签字后重新扫描上传。"}]},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "correction_requested"

    # The citizen reads it, corrects and resubmits.
    page.reload()
    page.get_by_role("heading", name="补正告知").wait_for()
    page.get_by_text("申请表须由申请人本人签字后重新扫描上传。").first.wait_for()
    page.get_by_role("button", name=re.compile("补正材料一次性告知书")).first.wait_for()
    p.shot("apply-correction")
    page.get_by_role("button", name="提交补正材料").click()
    page.get_by_role("alert").filter(has_text="还有 1 项").wait_for()
    _upload(page, "选择文件上传", "申请表-已签字.pdf", PDF + b"%signed\n", "application/pdf")
    page.get_by_text("申请表-已签字.pdf").first.wait_for()
    with page.expect_response(f"**/api/intake/v1/applications/{app_id}/resubmit") as resubmitted:
        page.get_by_role("button", name="提交补正材料").click()
    assert resubmitted.value.status == 200
    page.get_by_role("heading", name="补正告知").wait_for(state="detached")
    page.locator(".app-next").get_by_text("已提交").wait_for()

    # Staff accept; the citizen follows the case and prints the acceptance notice.
    resp = api.post(f"/api/intake/v1/applications/{app_id}/accept", headers=staff)
    assert resp.status_code == 200, resp.text
    accepted = resp.json()
    assert accepted["status"] == "accepted"
    page.reload()
    page.locator(".app-next").get_by_text("已受理").wait_for()
    page.get_by_text(f"承诺 {accepted['due_on']} 前办结").wait_for()
    history = page.locator(".history")
    for action in ("提交申请", "出具一次性告知书", "补正后重新提交", "受理"):
        history.get_by_text(action, exact=True).first.wait_for()
    p.shot("apply-tracking")
    with p.context.expect_page() as opened:
        page.get_by_role("button", name="打印受理通知书").click()
    notice = opened.value
    notice.wait_for_load_state()
    notice.get_by_text(accepted["acceptance_no"]).first.wait_for()
    assert "受理通知书" in notice.content()
    notice.close()

    # My applications show it with its state.
    page.get_by_role("link", name="我的办件").first.click() if not p.phone else p.goto("/my/applications")
    page.get_by_role("heading", name="我的办件").wait_for()
    page.get_by_role("link", name=ITEM_NAME).first.wait_for()
    p.shot("apply-my-applications")
