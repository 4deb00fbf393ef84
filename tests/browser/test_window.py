"""The window console (issue 17, 一窗受理): a walk-in at the counter is identified and registered, their
application filed on the window channel with the materials taken in, accepted with its printable
notice, handed over, decided by the department, delivered at the window against a signature drawn
on screen, and rated by the person on the window's rating pad — and the work list at a phone's width.
Then the other journeys at the counter: an enterprise's application by its agent, with the grant
checked (法人授权); a refusal to accept (不予受理) with its printed notice; a withdrawal; a 即办件
accepted and completed on the spot; results sent by post (with the courier's waybill) and put in a locker."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login, pick, tick, until

ITEM = "05110105000005-110105MZJ-01"
ITEM_NAME = "困难老年人养老服务补贴"
INTAKE = "/api/intake/v1"
E = "/api/evaluation/v1"
#: The demo enterprise (identity-svc's demo data): 张伟 its legal representative, 李娜 a confirmed
#: agent for every item; 王芳 holds no grant.
ENTERPRISE, USCC = "北京朝阳示例科技有限公司", "91110105MA01C7Q83T"


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
        tick(materials.nth(i))
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


def both_widths(p: Portal, name: str) -> None:
    """Screenshot the page as it stands at the desk's width and, resized, at a phone's (each checked
    by axe-core and for sideways scrolling): one journey shows every state at both."""
    desk = p.width
    p.shot(name)
    p.page.set_viewport_size({"width": 375, "height": 812})
    p.width = 375
    try:
        p.shot(name)
    finally:
        p.page.set_viewport_size({"width": desk, "height": 900})
        p.width = desk


def identify(page: Any, phone: str) -> None:
    """Find a demo person at the counter by mobile."""
    page.get_by_label("身份证号或手机号").fill(phone)
    page.get_by_role("button", name="查找").click()
    page.get_by_role("button", name="更换办事人").wait_for()


def find_enterprise(page: Any, typed: str) -> None:
    """Find the demo enterprise by what the clerk types (its credit code or part of its name) and
    choose it: the search gives way to the enterprise's card."""
    field = page.get_by_label("企业", exact=True)
    field.click()
    field.fill(typed)
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text=ENTERPRISE).click()
    page.get_by_text(USCC, exact=True).wait_for()


def tick_materials(page: Any) -> None:
    """Every material the item asks for, received on paper."""
    materials = page.locator("fieldset.window-materials input[type=checkbox]")
    materials.first.wait_for()
    for i in range(materials.count()):
        tick(materials.nth(i))


def filed(api: httpx.Client, item_code: str, phone: str = "13810000003") -> dict[str, Any]:
    """A case filed at the window through the API for a demo person, with every material handed in."""
    clerk = api_login(api, "clerk")
    person = api.post(
        "/api/identity/v1/persons/lookup", json={"phone": phone, "reason": "窗口收件"}, headers=clerk
    ).json()
    guide = api.get(f"/api/catalog/v1/items/{item_code}/guide").json()
    materials = [
        {
            "name": m["name"],
            "provided_as": "paper",
            "media": ["original"] + (["copy"] if m.get("copies") else []),
            "originals": m.get("originals") or 1,
            "copies": m.get("copies") or 0,
        }
        for m in guide["materials"]
        if m["requirement"]["code"] == "required" and not m["condition"] and not m["exempt"]
    ]
    resp = api.post(
        f"{INTAKE}/applications",
        json={"item_code": item_code, "applicant": {"id": person["id"]}, "materials": materials},
        headers=clerk,
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


#: The 即办件 published for these journeys, per platform (the demo catalogue has only 承诺件).
_ON_THE_SPOT: dict[str, tuple[str, str]] = {}


def on_the_spot_item(api: httpx.Client) -> tuple[str, str]:
    """(code, name) of a 即办件 — promised 0 days, decided at the window in one act — published by
    the demo editor and reviewed by the administrator, once intake knows it."""
    key = str(api.base_url)
    if key in _ON_THE_SPOT:
        return _ON_THE_SPOT[key]
    editor, admin = api_login(api, "editor"), api_login(api, "admin")
    base = api.get(f"/api/catalog/v1/items/{ITEM}").json()["version"]["elements"]
    none = {"value": 0, "unit": "working_day", "note": None}
    name = f"老年人优待证明开具（即办演示{uuid.uuid4().hex[:4]}）"
    elements = {k: v for k, v in base.items() if k != "demo"}
    elements.update(
        name=name,
        implementing_unit={"code": "110105-ZWGLJ", "name": "区政务服务管理局"},
        handling_type="1",
        legal_limit=none,
        promised_limit={**none, "note": "当场办结"},
        # 受理 → 办结 → 送达 at the window, all at once.
        process=[{**base["process"][i], "actor": "综合受理窗口", "time_limit": none} for i in (0, 3, 4)],
        materials=[{**base["materials"][0], "name": "老年人优待证明申请表"}],
        result={**base["result"], "name": "老年人优待证明"},
        community_kind=None,
    )
    created = api.post("/api/catalog/v1/items", json={"elements": elements}, headers=editor)
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    assert api.post(f"/api/catalog/v1/items/{code}/versions/1/submit", headers=editor).status_code == 200
    published = api.post(f"/api/catalog/v1/items/{code}/versions/1/publish", headers=admin)
    assert published.status_code == 200, published.text
    until(
        lambda: api.get(f"{INTAKE}/catalog-items/{code}").status_code == 200,
        "intake never learnt of the published 即办件",
    )
    _ON_THE_SPOT[key] = (code, name)
    return code, name


def test_an_enterprise_applies_through_its_agent_with_the_grant_checked(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    p = portal(width=1280)
    page = p.staff_login("clerk", path="/work/window/new")
    page.get_by_role("heading", name="窗口收件").wait_for()

    # 王芳 says she comes for the company: the clerk finds it by its credit code (营业执照).
    identify(page, "13810000003")
    page.get_by_text("代表企业申请（法人）").click()
    find_enterprise(page, USCC.lower())
    page.get_by_role("cell", name="张伟").wait_for()
    pick(page, "办理事项", ITEM_NAME)
    page.get_by_text(f"王芳 没有获得{ENTERPRISE}的授权。").wait_for()
    page.get_by_text("请法定代表人 张伟 登录一网通办").wait_for()
    tick_materials(page)
    both_widths(p, "window-enterprise-no-grant")

    # Submitted all the same: intake asks identity and refuses; the clerk reads why and what to do.
    with page.expect_response(f"**{INTAKE}/applications") as sent:
        page.get_by_role("button", name="提交收件").click()
    assert sent.value.status == 403 and sent.value.json()["reason"] == "no_grant", sent.value.text()
    refused = page.get_by_role("alert").filter(has_text="未能提交")
    refused.get_by_text(f"未能提交：王芳 没有代表{ENTERPRISE}办理本事项的有效授权").wait_for()
    refused.get_by_text("也可由法定代表人本人来窗口申请").wait_for()
    both_widths(p, "window-enterprise-refused")

    # The company's agent 李娜 comes instead; this time the enterprise is found by name.
    page.get_by_role("button", name="更换办事人").click()
    identify(page, "13810000002")
    page.get_by_role("button", name="更换企业").click()
    find_enterprise(page, "朝阳示例")
    pick(page, "办理事项", ITEM_NAME)
    page.get_by_text(f"李娜 持有{ENTERPRISE}的有效授权，可以代表企业办理本事项。").wait_for()
    page.get_by_text("授权范围：全部事项").wait_for()
    tick_materials(page)
    both_widths(p, "window-enterprise-granted")
    with page.expect_response(f"**{INTAKE}/applications") as sent:
        page.get_by_role("button", name="提交收件").click()
    assert sent.value.status == 201, sent.value.text()
    app = sent.value.json()
    assert app["applicant_name"] == "李娜" and app["enterprise_id"] and app["channel"] == "window"
    page.wait_for_url(f"**/work/window/cases/{app['id']}")
    page.get_by_text(f"{ENTERPRISE}（{USCC}）").wait_for()
    page.get_by_text("经办人", exact=True).wait_for()
    both_widths(p, "window-enterprise-case")

    # The legal representative, acting for the enterprise online, sees the application.
    rep = api_login(api, "13810000001")
    acting = api.post(
        "/api/identity/v1/auth/act-for", json={"enterprise_id": app["enterprise_id"]}, headers=rep
    )
    assert acting.status_code == 200, acting.text
    mine = api.get(
        f"{INTAKE}/applications", headers={"authorization": f"Bearer {acting.json()['access_token']}"}
    ).json()
    assert app["id"] in [a["id"] for a in mine["items"]]


def test_a_refusal_with_its_printed_notice_and_a_withdrawal(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    refused, withdrawn = filed(api, ITEM), filed(api, ITEM)
    p = portal(width=1280)
    page = p.staff_login("clerk", path=f"/work/window/cases/{refused['id']}")
    page.get_by_role("heading", name=ITEM_NAME).wait_for()

    # 不予受理: reasons, legal basis and where to apply instead; it asks first, then closes the case.
    reasons = "申请人户籍不在本区，不属于本机关受理范围。"
    page.get_by_label("不予受理的理由").fill(reasons)
    page.get_by_label("法律依据").fill("《中华人民共和国行政许可法》第三十二条")
    page.get_by_label("告知向哪个机关申请").fill("户籍所在区民政局")
    both_widths(p, "window-refuse")
    confirm(page, "作出不予受理决定")
    page.locator(".window-case-head").get_by_text("不予受理", exact=True).wait_for()
    page.get_by_text("已作出不予受理决定，办件终止。").wait_for()
    view = page.get_by_role("button", name="查看不予受理通知书")
    view.wait_for()

    # The notice, in a tab, and printed from a hidden frame for the applicant.
    with page.context.expect_page() as opened:
        view.click()
    notice = opened.value
    notice.wait_for_load_state()
    notice.get_by_text("不予受理通知书").first.wait_for()
    assert reasons in notice.content() and "户籍所在区民政局" in notice.content()
    notice.close()
    both_widths(p, "window-refused")
    # Headless Chromium has no printer: a frame's print() keeps what it would print and whether the
    # notice's web font was there, and says it is done (every new document of the context gets
    # this print, the hidden frame included).
    page.context.add_init_script(
        "window.print = () => { (top.__printed ||= []).push({text: document.body.innerText,"
        " font: document.fonts.check(\"16px 'Noto Serif SC'\", '不予受理通知书')});"
        " dispatchEvent(new Event('afterprint')); }"
    )
    page.get_by_role("button", name="打印不予受理通知书").click()
    printed = until(lambda: page.evaluate("window.__printed"), "the notice was never sent to the printer")
    assert len(printed) == 1 and "不予受理通知书" in printed[0]["text"] and reasons in printed[0]["text"]
    assert printed[0]["font"], "printed before the notice's font had arrived"
    # The hidden frame goes once printed. (Shots come before: Playwright's networkidle may never
    # come back after a frame came and went.)
    page.locator("iframe.print-frame").wait_for(state="detached")
    closed = api.get(f"{INTAKE}/applications/{refused['id']}", headers=api_login(api, "clerk")).json()
    assert closed["status"] == "not_accepted" and closed["allowed_actions"] == []

    # The applicant asks at the counter to withdraw the other application.
    p.goto(f"/work/window/cases/{withdrawn['id']}")
    page.get_by_role("heading", name=ITEM_NAME).wait_for()
    page.get_by_label("撤回原因").fill("申请人本人要求撤回，另行申请")
    confirm(page, "撤回申请")
    page.locator(".window-case-head").get_by_text("已撤回", exact=True).wait_for()
    page.get_by_text("申请已撤回，办件终止。").wait_for()
    page.get_by_text("申请人本人要求撤回，另行申请").first.wait_for()
    both_widths(p, "window-withdrawn")
    gone = api.get(f"{INTAKE}/applications/{withdrawn['id']}", headers=api_login(api, "clerk")).json()
    assert gone["status"] == "withdrawn"


def test_an_item_done_on_the_spot_and_its_result_put_in_a_locker(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    code, name = on_the_spot_item(api)
    p = portal(width=1280)
    page = p.staff_login("clerk", path="/work/window/new")
    identify(page, "13810000003")
    pick(page, "办理事项", name)
    page.locator(".window-desc").get_by_text("即办件").wait_for()
    tick_materials(page)
    page.get_by_text("智能柜", exact=True).click()
    with page.expect_response(f"**{INTAKE}/applications") as sent:
        page.get_by_role("button", name="提交收件").click()
    assert sent.value.status == 201, sent.value.text()
    app = sent.value.json()
    page.wait_for_url(f"**/work/window/cases/{app['id']}")

    # 即办: no 受理 then 转交 — accepted and completed at once, with the result issued now.
    page.get_by_role("heading", name="即办：当场受理并办结").wait_for()
    page.get_by_label("办理结果名称").fill("老年人优待证明")
    page.get_by_label("证照或文书编号").fill("YD-2026-0001")
    both_widths(p, "window-on-the-spot")
    confirm(page, "当场受理并办结")
    page.locator(".window-case-head").get_by_text("已办结", exact=True).wait_for()
    page.get_by_role("heading", name="送达办理结果").wait_for()

    # The person asked for the locker: the clerk puts the result in a box; the code goes by SMS.
    page.locator(".ant-radio-button-wrapper", has_text="智能柜").click()
    page.get_by_label("智能柜及格口").fill("大厅东侧智能柜 A-07")
    page.get_by_text("取件码由系统短信发给申请人，窗口不可见。").wait_for()
    both_widths(p, "window-deliver-locker")
    confirm(page, "确认送达")
    page.locator(".window-case-head").get_by_text("已送达", exact=True).wait_for()
    page.get_by_text("已放入 大厅东侧智能柜 A-07，取件码已短信发给申请人").wait_for()
    both_widths(p, "window-delivered-locker")
    done = api.get(f"{INTAKE}/applications/{app['id']}", headers=api_login(api, "clerk")).json()
    assert done["item_code"] == code and done["handling_type"] == "1"
    assert done["result"]["number"] == "YD-2026-0001"
    assert done["delivery_mode"] == "locker" and done["delivery"]["locker"] == "大厅东侧智能柜 A-07"
    assert "pickup_code" not in str(done["delivery"])


def test_a_result_sent_by_post_with_the_couriers_waybill(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    code, _ = on_the_spot_item(api)
    app = filed(api, code)
    clerk = api_login(api, "clerk")
    done = api.post(
        f"{INTAKE}/applications/{app['id']}/accept", json={"result_name": "老年人优待证明"}, headers=clerk
    )
    assert done.status_code == 200 and done.json()["status"] == "completed", done.text
    p = portal(width=1280)
    page = p.staff_login("clerk", path=f"/work/window/cases/{app['id']}")
    page.get_by_role("heading", name="送达办理结果").wait_for()
    page.locator(".ant-radio-button-wrapper", has_text="邮寄").click()
    # The recipient is the applicant unless changed; the address and the courier's waybill are
    # asked for before anything is sent (no typed tracking number while a courier is connected).
    assert page.get_by_label("收件人").input_value() == app["applicant_name"]
    confirm(page, "确认送达")
    for message in ("请填写邮寄地址", "请先生成运单"):
        page.get_by_text(message).wait_for()
    page.get_by_label("邮寄地址").fill("北京市朝阳区示例路 1 号院 2 号楼 301")
    with page.expect_response(f"**{INTAKE}/applications/*/waybills") as made:
        page.get_by_role("button", name="生成运单").click()
    assert made.value.status == 201, made.value.text()
    waybill_no = made.value.json()["waybill_no"]
    page.get_by_text(f"运单已生成：中国邮政EMS {waybill_no}").wait_for()
    both_widths(p, "window-deliver-post")
    confirm(page, "确认送达")
    page.locator(".window-case-head").get_by_text("已送达", exact=True).wait_for()
    page.get_by_text(f"中国邮政EMS 运单号 {waybill_no}").wait_for()
    page.get_by_text("寄往：北京市朝阳区示例路 1 号院 2 号楼 301").wait_for()
    page.get_by_role("heading", name="邮寄运单").wait_for()
    both_widths(p, "window-delivered-post")
    sent = api.get(f"{INTAKE}/applications/{app['id']}", headers=clerk).json()
    assert sent["delivery_mode"] == "post" and sent["delivery"]["tracking_no"] == waybill_no
    # The applicant follows it from home: the clerk's steps are staff's, not hers (本人).
    home = portal(width=390)
    home.login("13810000003", next_path=f"/my/applications/{app['id']}")
    history = home.page.locator(".history")
    history.get_by_text("工作人员").first.wait_for()
    assert history.get_by_text("本人", exact=False).count() == 0
    home.shot("citizen-window-application-history-390")
