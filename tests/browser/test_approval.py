"""The department approver's workspace (issue 17): a case accepted at the window and handed over to
区民政局 waits in the approver's inbox with its light; the approver records an opinion, pauses the
clock for an on-site inspection and resumes it, extends the deadline, approves (after confirming)
and opens the printed decision — no curl. Another case is refused with its printed refusal
decision, completed (办结) and its result delivered (送达) — every step the API offers after a
decision."""

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


def _open_notice(p: Portal, button: Any) -> str:
    """Open the notice behind `button` in its new tab; its text (the tab is closed again)."""
    with p.context.expect_page() as opened:
        button.click()
    printed = opened.value
    # The tab opens blank inside the click and is filled with the document when it arrives.
    printed.wait_for_url(re.compile(r"^blob:"))
    printed.wait_for_load_state()
    text = str(printed.locator("body").inner_text())
    printed.close()
    return text


def test_the_approver_refuses_completes_and_delivers_a_case(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    app = handed_over_case(api)
    p = portal(width=1280)
    page = p.staff_login("approver", path=f"/work/approval/cases/{app['id']}")
    page.get_by_role("heading", name=app["item_name"]).wait_for()

    # A refusal needs its reasons: the form says so before anything is sent.
    page.get_by_role("button", name="不予许可", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="作出不予许可决定").click()
    dialog.get_by_text("请填写不予许可的理由").wait_for()
    reasons = "申请人户籍不在本区，不符合《办法》第五条规定的申请条件。"
    dialog.get_by_label("不予许可的理由").fill(reasons)
    dialog.get_by_role("button", name="作出不予许可决定").click()
    page.locator(".ant-modal-confirm-title", has_text="确认作出不予许可决定？").wait_for()
    page.get_by_role("button", name="确认不予许可").click()
    page.get_by_text("已作出不予许可决定，决定书已生成").wait_for()
    refused = api.get(f"{INTAKE}/applications/{app['id']}", headers=api_login(api, "approver")).json()
    assert refused["status"] == "refused" and refused["decision"] == "refused", refused["status"]
    assert refused["decision_reasons"] == reasons and refused["decision_no"]

    # The printed refusal decision carries its number and the reasons.
    document = page.get_by_role("button", name=re.compile(r"打开不予决定书"))
    text = _open_notice(p, document)
    assert "不予" in text and "决定书" in text, text[:500]
    assert refused["decision_no"] in text and reasons in text, text[:800]
    page.get_by_role("button", name="填写审查意见").wait_for(state="detached")  # decided: no more review
    p.shot("approval-case-refused")

    # Completion (办结): the result named after the decision, confirmed because it cannot be undone.
    page.get_by_role("button", name="办结", exact=True).click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_label("结果名称").input_value() == "不予许可决定书"
    assert dialog.get_by_label("证照或文书编号（可选）").input_value() == refused["decision_no"]
    dialog.get_by_role("button", name="办结", exact=True).click()
    page.get_by_role("button", name="确认办结").click()
    page.get_by_text("已办结，已短信告知申请人").wait_for()
    page.locator(".approval-head").get_by_text("已办结").wait_for()
    page.locator(".approval-trace").get_by_text("办结", exact=True).wait_for()

    # The completed case waits in the inbox for its result to be delivered (送达) — here from a phone.
    phone = portal(width=375)
    phone.staff_login("approver", path="/work/approval")
    phone.page.get_by_text("待送达").click()
    phone.page.get_by_role("link", name=app["application_no"]).wait_for()
    phone.shot("approval-inbox-delivering")
    phone.page.get_by_role("link", name=app["application_no"]).click()
    phone.page.get_by_role("heading", name=app["item_name"]).wait_for()
    phone.page.get_by_role("button", name="送达", exact=True).click()
    dialog = phone.page.get_by_role("dialog")
    assert dialog.get_by_role("radio", name="邮寄").is_checked()
    # By post: the courier's waybill is made for the case (recipient from the case), never typed.
    assert dialog.get_by_label("收件人").input_value() == app["applicant_name"]
    dialog.get_by_role("button", name="送达", exact=True).click()
    dialog.get_by_text("请先生成运单").wait_for()  # every field the mode needs, before sending
    dialog.get_by_text("请填写邮寄地址").wait_for()
    dialog.get_by_label("邮寄地址").fill("北京市朝阳区吉祥里小区 5 号楼 2 单元 301")
    with phone.page.expect_response(f"**{INTAKE}/applications/*/waybills") as made:
        dialog.get_by_role("button", name="生成运单").click()
    assert made.value.status == 201, made.value.text()
    waybill_no = made.value.json()["waybill_no"]
    dialog.get_by_text(f"运单已生成：中国邮政EMS {waybill_no}").wait_for()
    phone.shot("approval-deliver")
    dialog.get_by_role("button", name="送达", exact=True).click()
    phone.page.get_by_role("button", name="确认送达").click()
    phone.page.get_by_text("办理结果已送达").wait_for()
    phone.page.get_by_text(f"中国邮政EMS 运单号 {waybill_no}").wait_for()
    phone.page.get_by_text("当前没有您可以办理的环节。").wait_for()
    phone.shot("approval-case-delivered")

    delivered = api.get(f"{INTAKE}/applications/{app['id']}", headers=api_login(api, "approver")).json()
    assert delivered["status"] == "delivered" and delivered["delivery_mode"] == "post"
    assert delivered["delivery"]["tracking_no"] == waybill_no
    assert delivered["result"]["name"] == "不予许可决定书"
    trace = api.get(f"{INTAKE}/applications/{app['id']}/trace", headers=api_login(api, "approver")).json()
    assert [e["action"] for e in trace["items"]][-4:] == [
        "decided",
        "completed",
        "waybill_created",
        "delivered",
    ]

    # Back at the desk: the trace shows each step after the decision.
    page.reload()
    for step in ("作出决定", "办结", "送达"):
        page.locator(".approval-trace").get_by_text(step, exact=True).first.wait_for()
    p.shot("approval-case-delivered")
