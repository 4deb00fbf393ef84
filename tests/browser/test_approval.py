"""The department approver's workspace (issue 17): a case accepted at the window and handed over to
区民政局 waits in the approver's inbox with its light; the approver records an opinion, pauses the
clock for an on-site inspection and resumes it, extends the deadline, approves (after confirming)
and opens the printed decision — no curl."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login, until

INTAKE = "/api/intake/v1"
CITIZEN = "13810000003"  # 王芳
MZJ = "110105-MZJ"


def _demo_item(api: httpx.Client) -> dict[str, Any]:
    """A 承诺件 of 区民政局 from the demo catalogue, once it reached intake through NATS."""

    def find() -> dict[str, Any] | None:
        listed = api.get(f"{INTAKE}/catalog-items", params={"limit": 200})
        for item in listed.json()["items"]:
            if item["owner_unit_code"] == MZJ:
                full = api.get(f"{INTAKE}/catalog-items/{item['code']}").json()
                if full["elements"].get("handling_type") == "2":
                    return dict(full)
        return None

    return dict(until(find, "no demo item of 区民政局 reached intake-svc"))


def handed_over_case(api: httpx.Client) -> dict[str, Any]:
    """王芳's application taken at the window by the demo clerk, accepted and handed to 区民政局."""
    me = api.get("/api/identity/v1/me", headers=api_login(api, CITIZEN)).json()
    person = me.get("account", me)
    item = _demo_item(api)
    materials = [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]

    def act(app_id: str, action: str, body: Any = None) -> dict[str, Any]:
        resp = api.post(
            f"{INTAKE}/applications/{app_id}/{action}", json=body, headers=api_login(api, "clerk")
        )
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    def submit() -> dict[str, Any] | None:
        resp = api.post(
            f"{INTAKE}/applications",
            json={"item_code": item["code"], "applicant": {"id": person["id"]}, "materials": materials},
            headers=api_login(api, "clerk"),
        )
        assert resp.status_code == 201, resp.text
        if resp.json()["intake_unit_code"] == "110105-ZWFW-W01":
            return dict(resp.json())
        act(resp.json()["id"], "withdraw", {"reason": "机构信息未同步，重新接件"})
        return None

    app = until(submit, "org units never reached intake-svc")
    act(app["id"], "accept")
    return act(app["id"], "hand-over")


def test_the_approver_decides_a_handed_over_case_and_prints_the_decision(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    app = handed_over_case(api)
    assert app["status"] == "under_review"
    p = portal(width=1280)
    page = p.staff_login("approver", path="/work/approval")
    page.get_by_role("heading", name="审批待办").wait_for()
    row = page.locator("tr", has=page.get_by_role("link", name=app["application_no"]))
    row.wait_for()
    row.get_by_text("绿灯").wait_for()  # a new case is well within its time limit
    p.shot("approval-inbox")

    row.get_by_role("link", name=app["application_no"]).click()
    page.wait_for_url(f"**/work/approval/cases/{app['id']}")
    page.get_by_role("heading", name=app["item_name"]).wait_for()
    page.get_by_text("王芳").first.wait_for()

    # An opinion (审查意见), kept with who wrote it.
    page.get_by_role("button", name="填写审查意见").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="记录意见").click()
    dialog.get_by_text("请填写审查意见").wait_for()  # the form says what is missing
    dialog.get_by_label("审查意见").fill("申请材料齐全，经核查情况属实，建议准予。")
    dialog.get_by_role("button", name="记录意见").click()
    dialog.wait_for(state="hidden")
    page.locator(".ant-list").get_by_text("申请材料齐全，经核查情况属实，建议准予。").wait_for()

    # A special procedure stops the clock; ending it restarts it.
    page.get_by_role("button", name="启动特别程序").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("启动理由").fill("需实地核查居住情况。")
    dialog.get_by_role("button", name="启动并暂停计时").click()
    dialog.wait_for(state="hidden")
    page.get_by_text("特别程序（现场勘查）进行中").wait_for()
    page.get_by_text("计时暂停").first.wait_for()
    p.shot("approval-case-paused")
    page.get_by_role("button", name="结束特别程序").click()
    page.get_by_role("button", name="结束并恢复计时").click()
    page.get_by_text("特别程序已结束，办理期限已顺延").wait_for()
    page.get_by_text("特别程序（现场勘查）进行中").wait_for(state="hidden")

    # An extension with its reasons, confirmed because it cannot be taken back.
    page.get_by_role("button", name="延长期限").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("延长工作日数").fill("3")
    dialog.get_by_label("延期理由").fill("需征求街道意见。")
    dialog.get_by_role("button", name="延长期限").click()
    page.get_by_role("button", name="确认延长").click()
    page.get_by_text("办理期限已延长").wait_for()
    page.get_by_text("已延长 3 个工作日：需征求街道意见。").wait_for()

    # The decision: confirmed, then the decision document is there to print.
    page.get_by_role("button", name="准予", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("准予理由（可选）").fill("符合条件。")
    dialog.get_by_role("button", name="作出准予决定").click()
    page.locator(".ant-modal-confirm-title", has_text="确认作出准予决定？").wait_for()
    page.get_by_role("button", name="确认准予").click()
    page.get_by_text("已作出准予决定，决定书已生成").wait_for()
    document = page.get_by_role("button", name="打开准予决定书")
    document.wait_for()
    decided = api.get(f"{INTAKE}/applications/{app['id']}", headers=api_login(api, "approver")).json()
    assert decided["status"] == "approved" and decided["decision_no"]
    assert decided["extension_days"] == 3 and len(decided["pauses"]) == 1
    assert any(s["opinion"] == "申请材料齐全，经核查情况属实，建议准予。" for s in decided["steps"])
    with p.context.expect_page() as opened:
        document.click()
    printed = opened.value
    # The tab opens blank inside the click and is filled with the document when it arrives.
    printed.wait_for_url(re.compile(r"^blob:"))
    printed.wait_for_load_state()
    text = printed.locator("body").inner_text()
    assert "准予" in text and "决定书" in text and decided["decision_no"] in text, text[:500]
    printed.close()
    # The trace shows every step, in order.
    for step in ("审查记录", "暂停计时（特别程序）", "恢复计时", "延长办理期限", "作出决定"):
        page.locator(".approval-trace").get_by_text(step).first.wait_for()
    page.get_by_role("button", name="办结").wait_for()  # next: completion
    p.shot("approval-case-decided")

    # The same page on a phone: nothing scrolls sideways.
    phone = portal(width=375)
    phone.staff_login("approver", path="/work/approval")
    phone.page.get_by_role("heading", name="审批待办").wait_for()
    phone.page.get_by_text("待办结").click()  # a decided case waits to be completed (办结)
    phone.page.get_by_role("link", name=app["application_no"]).wait_for()
    phone.shot("approval-inbox")
    phone.page.get_by_role("link", name=app["application_no"]).click()
    phone.page.get_by_role("heading", name=app["item_name"]).wait_for()
    phone.shot("approval-case-decided")
