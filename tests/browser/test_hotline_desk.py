"""The 12345 desk in the staff workspace (issue 17): a ticket from the call to the call-back, each
step in the browser by the role that does it — the agent registers the call while knowledge-base
answers are suggested, the dispatcher dispatches it from the queue, the street centre's handler
accepts and replies, the agent calls back and closes it — and an enquiry answered on the call from
the knowledge base. The work lists are also checked at a phone's width. From the ticket page: the
handler extends the time limit, an unresolved call-back is reopened (重办), a duplicate is merged
into its primary ticket and a request that belongs elsewhere is diverted (分流)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from portal import Portal, api_login, pick, tick

H = "/api/hotline/v1"
HEATING_ENTRY = "本市供暖期是什么时候？家里暖气不热找谁？"
CENTRE = "朝外街道政务服务中心"


def _dialog_ok(p: Portal, name: str) -> None:
    """Press the dialog's button `name` (its footer's OK)."""
    p.page.get_by_role("dialog").get_by_role("button", name=name, exact=True).click()


def _ticket_id(p: Portal) -> str:
    p.page.wait_for_url(re.compile(r"/work/hotline/tickets/[^/?]+"))
    match = re.search(r"/work/hotline/tickets/([^/?]+)", p.page.url)
    assert match, p.page.url
    return match.group(1)


def test_a_call_goes_from_the_agent_through_dispatch_and_the_unit_to_the_call_back(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    # The agent, on the call: the caller's words bring up the knowledge base's heating answer.
    agent = portal(width=1280)
    page = agent.staff_login("agent", path="/work/hotline/call")
    page.get_by_role("heading", name="接听登记").wait_for()
    page.get_by_label("姓名", exact=True).fill("王芳")
    page.get_by_label("联系电话", exact=True).fill("13810000003")
    page.get_by_label("诉求内容", exact=True).fill("小区暖气不热，物业一直不来修，屋里只有16度。")
    side = page.get_by_role("complementary", name="知识库与相同诉求")
    side.get_by_text(HEATING_ENTRY).wait_for()
    pick(page, "诉求分类", "物业管理")
    pick(page, "街道", "朝外街道")
    pick(page, "社区", "吉祥里社区")
    page.get_by_label("详细地址", exact=True).fill("吉祥里小区 5 号楼")
    # Left to the dispatcher: not dispatched by the catalogue at once.
    tick(page.get_by_label("登记后按派单目录自动派单", exact=True), checked=False)
    agent.shot("hotline-desk-call")
    page.get_by_role("button", name="登记工单").click()
    tid = _ticket_id(agent)
    page.get_by_text(re.compile(r"工单 \d{8}-\d{8} 已登记")).wait_for()
    number = api.get(f"{H}/tickets/{tid}", headers=api_login(api, "agent")).json()["number"]
    assert page.get_by_text("待派单").first.is_visible()

    # The dispatcher: the ticket waits in the queue with its light; dispatched by the catalogue
    # (category × street: the street's service centre leads, the housing commission co-handles).
    disp = portal(width=1280)
    page = disp.staff_login("dispatcher", path="/work/hotline/dispatch")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    row.wait_for()
    assert row.get_by_text("绿灯").is_visible()
    disp.shot("hotline-desk-dispatch")
    row.get_by_role("link", name=number).click()
    page.get_by_role("button", name="派单", exact=True).click()
    page.get_by_role("dialog").get_by_text("按派单目录").wait_for()
    _dialog_ok(disp, "派单")
    page.get_by_text("已派单。").wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    page.locator(".ant-descriptions").get_by_text(CENTRE, exact=True).wait_for()
    disp.shot("hotline-desk-dispatched")

    # The street centre's handler: accepts (签收) and replies (办结回复).
    handler = portal(width=1280)
    page = handler.staff_login("handler", path="/work/hotline/tickets")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    row.wait_for()
    handler.shot("hotline-desk-unit")
    row.get_by_role("link", name=number).click()
    # The unit sees the caller's phone masked.
    page.get_by_text("138****0003").wait_for()
    page.get_by_role("button", name="签收", exact=True).click()
    page.get_by_role("dialog").get_by_label("联系情况（可不填）", exact=True).fill(
        "已电话联系王芳，约定今天下午上门查看。"
    )
    _dialog_ok(handler, "签收")
    page.get_by_text("已签收，请尽快办理。").wait_for()
    page.get_by_role("button", name="办结回复", exact=True).click()
    page.get_by_role("dialog").get_by_label("办理答复", exact=True).fill(
        "经核实，5 号楼供暖管道阀门故障，已督促物业更换阀门，室温已恢复到 20℃。"
    )
    _dialog_ok(handler, "办结回复")
    page.get_by_text("已回复，热线将回访诉求人。").wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    handler.shot("hotline-desk-replied")

    # Back to the agent: the call-back (回访), then closing — confirmed, since it cannot be undone.
    page = agent.goto("/work/hotline/callbacks")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    row.wait_for()
    agent.shot("hotline-desk-callbacks")
    row.get_by_role("link", name=number).click()
    page.get_by_text("室温已恢复到 20℃").first.wait_for()
    page.get_by_role("button", name="回访", exact=True).click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_role("radio", name="已解决").is_checked()
    dialog.get_by_role("radio", name="满意", exact=True).check()
    dialog.get_by_label("回访记录（可不填）", exact=True).fill("王芳表示暖气已热，满意。")
    _dialog_ok(agent, "回访")
    page.get_by_text(re.compile("回访已记录")).wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    # Resolved and satisfied: nothing to reopen (hotline-svc would refuse it).
    page.get_by_role("button", name="重办", exact=True).wait_for(state="detached")
    page.get_by_role("button", name="办结", exact=True).click()
    _dialog_ok(agent, "办结")
    page.get_by_role("dialog").get_by_text("办结后工单不能再办理，确认办结？").wait_for()
    _dialog_ok(agent, "确认办理")
    page.get_by_text("工单已办结。").wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    agent.shot("hotline-desk-closed")

    # What the browser did is what the platform recorded.
    ticket = api.get(f"{H}/tickets/{tid}", headers=api_login(api, "agent")).json()
    assert ticket["status"] == "closed" and ticket["close_reason"] == "completed"
    assert ticket["lead_unit_code"] == "110105001-FWZX" and ticket["dispatches"][0]["mode"] == "rule"
    history = api.get(f"{H}/tickets/{tid}/history", headers=api_login(api, "agent")).json()["items"]
    assert [h["action"] for h in history] == ["create", "dispatch", "respond", "reply", "call_back", "close"]
    callback = next(h for h in history if h["action"] == "call_back")
    assert callback["data"]["resolved"] is True and callback["data"]["satisfaction"] == "satisfied"


def test_an_enquiry_is_answered_on_the_call_from_the_knowledge_base(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    p = portal(width=1280)
    page = p.staff_login("agent", path="/work/hotline/call")
    page.get_by_label("诉求内容", exact=True).fill("社保卡丢了，想问怎么补办")
    side = page.get_by_role("complementary", name="知识库与相同诉求")
    hit = side.locator("li").filter(has_text="社保卡丢了怎么补办？")
    hit.wait_for()
    hit.get_by_role("button", name="以此答复并办结").click()
    page.get_by_role("dialog").get_by_text("工单将登记为咨询").wait_for()
    _dialog_ok(p, "登记并办结")
    tid = _ticket_id(p)
    page.get_by_text("当场答复办结").wait_for()
    ticket = api.get(f"{H}/tickets/{tid}", headers=api_login(api, "agent")).json()
    assert ticket["status"] == "closed" and ticket["close_reason"] == "answered"
    assert ticket["request_type"] == "enquiry" and ticket["kb_entry_id"]
    p.shot("hotline-desk-answered")


def test_a_unit_disputes_a_dispatch_and_the_dispatcher_sends_it_where_the_unit_suggests(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    body = {
        "request_type": "report",
        "category_code": "roads",
        "title": "朝外大街井盖缺失",
        "description": "朝外大街 12 号门前井盖缺失，夜里很危险。",
        "street_code": "110105001",
        "caller_name": "张伟",
        "caller_phone": "13810000001",
    }
    sent = api.post(f"{H}/tickets", json=body, headers=api_login(api, "agent"))
    assert sent.status_code == 201 and sent.json()["lead_unit_code"] == "110105001-FWZX", sent.text
    tid, number = sent.json()["id"], sent.json()["number"]

    # The street centre returns it (退单) within the window, naming the unit it belongs to.
    handler = portal(width=1280)
    page = handler.staff_login("handler", path=f"/work/hotline/tickets/{tid}")
    page.get_by_role("button", name="退单", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("退单理由", exact=True).fill(
        "朝外大街是区管市政道路，井盖由区住房城乡建设委负责，不属街道职责。"
    )
    pick(page, "建议承办单位", "区住房城乡建设委")
    _dialog_ok(handler, "退单")
    page.get_by_text("已退单，派单员将重新派单。").wait_for()

    # The dispatcher finds it among the disputes and dispatches it to the suggested unit.
    disp = portal(width=1280)
    page = disp.staff_login("dispatcher", path="/work/hotline/dispatch")
    page.locator("label.ant-radio-button-wrapper").filter(has_text="退单争议").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    row.get_by_text("不属街道职责").wait_for()
    disp.shot("hotline-desk-disputes")
    row.get_by_role("link", name=number).click()
    page.get_by_role("button", name="派单", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("不属街道职责").wait_for()
    assert dialog.get_by_role("radio", name="指定承办单位").is_checked()
    dialog.locator(".ant-select-selection-item", has_text="区住房城乡建设委").wait_for()
    dialog.get_by_label("备注（可不填）", exact=True).fill("按退单建议改派区住房城乡建设委。")
    disp.shot("hotline-desk-redispatch")
    _dialog_ok(disp, "派单")
    page.get_by_text("已派单。").wait_for()

    ticket = api.get(f"{H}/tickets/{tid}", headers=api_login(api, "dispatcher")).json()
    assert ticket["status"] == "dispatched" and ticket["lead_unit_code"] == "110105-ZJW"
    assert ticket["dispatches"][-1]["mode"] == "manual"
    returned = [d for d in ticket["dispatches"] if d["returned_at"]]
    assert returned and returned[0]["unit_code"] == "110105001-FWZX"
    history = api.get(f"{H}/tickets/{tid}/history", headers=api_login(api, "dispatcher")).json()["items"]
    assert [h["action"] for h in history] == ["create", "dispatch", "return", "dispatch"]
    assert history[2]["data"]["suggested_unit_code"] == "110105-ZJW"


def test_the_hotline_work_lists_fit_a_phone(portal: Callable[..., Portal], api: httpx.Client) -> None:
    # A ticket in every list: one waiting for dispatch, one at the centre, one replied.
    agent = api_login(api, "agent")
    handler = api_login(api, "handler")
    body = {
        "request_type": "complaint",
        "category_code": "sanitation",
        "title": "垃圾三天没有清运",
        "description": "芳草地社区门口垃圾三天没有清运，气味很大。",
        "street_code": "110105001",
        "caller_name": "李娜",
        "caller_phone": "13810000002",
    }
    queued = api.post(f"{H}/tickets", json={**body, "auto_dispatch": False}, headers=agent)
    assert queued.status_code == 201, queued.text
    sent = api.post(f"{H}/tickets", json=body, headers=agent)
    assert sent.status_code == 201 and sent.json()["lead_unit_code"] == "110105001-FWZX", sent.text
    done = api.post(f"{H}/tickets", json={**body, "title": "楼道垃圾堆放"}, headers=agent).json()
    for action, payload in (("respond", {}), ("reply", {"reply": "已清运，并要求物业每日巡查。"})):
        resp = api.post(f"{H}/tickets/{done['id']}/{action}", json=payload, headers=handler)
        assert resp.status_code == 200, resp.text
    for who, path, shot, number in (
        ("dispatcher", "/work/hotline/dispatch", "hotline-desk-dispatch", queued.json()["number"]),
        ("handler", "/work/hotline/tickets", "hotline-desk-unit", sent.json()["number"]),
        ("agent", "/work/hotline/call", "hotline-desk-call", None),
        ("agent", "/work/hotline/callbacks", "hotline-desk-callbacks", done["number"]),
    ):
        p = portal(width=375)
        page = p.staff_login(who, path=path)
        page.locator("h1").wait_for()
        if number:
            page.get_by_role("link", name=number).wait_for()
        p.shot(shot)
    # The ticket page at a phone's width, for the handler who works from it.
    p = portal(width=375)
    page = p.staff_login("handler", path=f"/work/hotline/tickets/{sent.json()['id']}")
    page.get_by_role("button", name="签收", exact=True).wait_for()
    p.shot("hotline-desk-ticket")


def test_a_handler_reads_and_acknowledges_a_reminder_on_the_ticket(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    # A 催办 rule that fires at once on dispatched noise tickets, and the pass run by the supervisor.
    supervisor = api_login(api, "supervisor")
    rule = {
        "name": "噪声扰民即时催办（测试）",
        "kind": "reminder",
        "basis": "reply",
        "statuses": ["dispatched"],
        "after_share": 0,
        "target": "handler",
        "category_code": "noise",
    }
    resp = api.post(f"{H}/escalation-rules", json=rule, headers=supervisor)
    assert resp.status_code == 201, resp.text
    body = {
        "request_type": "complaint",
        "category_code": "noise",
        "attributes": {"noise_period": "night"},
        "title": "夜间施工噪声",
        "description": "吉祥里小区旁工地夜里十二点还在施工。",
        "street_code": "110105001",
        "caller_name": "王芳",
        "caller_phone": "13810000003",
    }
    sent = api.post(f"{H}/tickets", json=body, headers=api_login(api, "agent"))
    assert sent.status_code == 201 and sent.json()["lead_unit_code"] == "110105001-FWZX", sent.text
    tid = sent.json()["id"]
    scan = api.post(f"{H}/escalations/scan", headers=supervisor)
    assert scan.status_code == 200 and scan.json()["reminded"] >= 1, scan.text

    p = portal(width=1280)
    page = p.staff_login("handler", path=f"/work/hotline/tickets/{tid}")
    section = page.get_by_role("region", name="催办督办")
    section.get_by_text("噪声扰民即时催办（测试）").wait_for()
    section.get_by_label("办理情况（可不填）", exact=True).fill("已安排今晚到现场核查。")
    section.get_by_role("button", name="已阅签收").click()
    section.get_by_text(re.compile(r"周洋（.+ 已阅）")).wait_for()
    assert section.get_by_role("button", name="已阅签收").count() == 0
    p.shot("hotline-desk-reminder")
    mine = api.get(
        f"{H}/escalations/mine", params={"open_only": "false"}, headers=api_login(api, "handler")
    ).json()
    line = next(e for e in mine["items"] if e["ticket_id"] == tid)
    me = next(r for r in line["recipients"] if r["name"] == "周洋")
    assert me["acknowledged_at"] and me["note"] == "已安排今晚到现场核查。"


def _ticket(api: httpx.Client, **over: object) -> dict[str, object]:
    """A ticket registered by the agent through the API (dispatched by the catalogue unless told)."""
    body = {
        "request_type": "complaint",
        "category_code": "sanitation",
        "title": "小区垃圾站满溢",
        "description": "吉祥里小区垃圾站满溢，周末两天没人清运。",
        "street_code": "110105001",
        "caller_name": "王芳",
        "caller_phone": "13810000003",
        **over,
    }
    body = {k: v for k, v in body.items() if v is not None}  # None: leave the field out
    sent = api.post(f"{H}/tickets", json=body, headers=api_login(api, "agent"))
    assert sent.status_code == 201, sent.text
    return dict(sent.json())


def test_the_handler_extends_the_time_limit_and_an_unresolved_call_back_is_reopened(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    ticket = _ticket(api)
    assert ticket["lead_unit_code"] == "110105001-FWZX", ticket
    tid = str(ticket["id"])
    handler = api_login(api, "handler")
    assert api.post(f"{H}/tickets/{tid}/respond", json={}, headers=handler).status_code == 200

    # The street centre's handler needs more time: the time limit is extended at once, with its reason.
    h = portal(width=1280)
    page = h.staff_login("handler", path=f"/work/hotline/tickets/{tid}")
    page.get_by_role("button", name="延长时限", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("延长后立即生效").wait_for()
    dialog.get_by_label("延长", exact=True).fill("2")
    _dialog_ok(h, "延长时限")
    dialog.get_by_text("请填写理由").wait_for()  # a reason is required
    dialog.get_by_label("理由", exact=True).fill("需协调环卫所调配清运车辆，清运需两个工作日。")
    _dialog_ok(h, "延长时限")
    page.get_by_text("办理时限已延长。").wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    timeline = page.locator(".desk-timeline")
    timeline.get_by_text("延长办理时限").wait_for()
    timeline.get_by_text("需协调环卫所调配清运车辆").wait_for()
    timeline.get_by_text("延长 2 工作日").wait_for()  # not "派至 working_days"
    timeline.get_by_text(re.compile("新时限")).wait_for()
    h.shot("hotline-desk-extended")
    extended = api.get(f"{H}/tickets/{tid}", headers=handler).json()
    assert extended["due_at"] > str(ticket["due_at"]), (extended["due_at"], ticket["due_at"])

    reply = {"reply": "已联系环卫所，周一上午完成清运。"}
    assert api.post(f"{H}/tickets/{tid}/reply", json=reply, headers=handler).status_code == 200

    # The call-back finds it unresolved and the caller not satisfied: the agent reopens it (重办).
    a = portal(width=1280)
    page = a.staff_login("agent", path=f"/work/hotline/tickets/{tid}")
    page.get_by_role("button", name="回访", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name="未解决").check()
    dialog.get_by_role("radio", name="不满意", exact=True).check()
    dialog.get_by_text("未解决的工单记录回访后可重办").wait_for()
    dialog.get_by_label("回访记录（可不填）", exact=True).fill("王芳说垃圾站周一仍未清运。")
    _dialog_ok(a, "回访")
    page.get_by_text(re.compile("回访已记录")).wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    page.get_by_role("button", name="重办", exact=True).click()
    dialog = page.get_by_role("dialog")
    _dialog_ok(a, "重办")
    dialog.get_by_text("请填写理由").wait_for()
    dialog.get_by_label("重办理由", exact=True).fill(
        "回访未解决，诉求人不满意，请承办单位再次清运并上门说明。"
    )
    _dialog_ok(a, "重办")
    page.get_by_text("已重办，工单已重新派给承办单位。").wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    page.locator(".desk-summary").get_by_text("重办 1 次").wait_for()
    page.locator(".desk-summary").get_by_text("待签收").wait_for()
    page.get_by_role("cell", name="重办派单").wait_for()
    page.locator(".desk-timeline").get_by_text("回访未解决，诉求人不满意").wait_for()
    a.shot("hotline-desk-reopened")

    reopened = api.get(f"{H}/tickets/{tid}", headers=handler).json()
    assert reopened["status"] == "dispatched" and reopened["reopen_count"] == 1
    assert reopened["lead_unit_code"] == "110105001-FWZX" and reopened["dispatches"][-1]["mode"] == "reopen"
    history = api.get(f"{H}/tickets/{tid}/history", headers=handler).json()["items"]
    steps = ("create", "dispatch", "respond", "extend", "reply", "call_back", "reopen")
    assert tuple(x["action"] for x in history) == steps
    assert history[3]["data"]["amount"] == 2 and history[3]["data"]["unit"] == "working_days"

    # Back at the street centre, on a phone: the ticket is to be accepted again, marked reopened.
    phone = portal(width=375)
    page = phone.staff_login("handler", path=f"/work/hotline/tickets/{tid}")
    page.get_by_role("button", name="签收", exact=True).wait_for()
    page.get_by_text("重办 1 次").wait_for()
    phone.shot("hotline-desk-reopened")


def test_a_duplicate_is_merged_and_a_request_for_the_courts_is_diverted(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    words = {"category_code": "roads", "title": "朝外大街路灯不亮", "auto_dispatch": False}
    primary = _ticket(api, **words, description="朝外大街 20 号到 40 号路灯一周不亮。")
    duplicate = _ticket(
        api,
        **words,
        description="朝外大街路灯坏了一个星期，晚上很黑。",
        caller_name="李娜",
        caller_phone="13810000002",
    )

    # The dispatcher merges the duplicate into the ticket registered first, from the duplicate's page.
    d = portal(width=1280)
    page = d.staff_login("dispatcher", path=f"/work/hotline/tickets/{duplicate['id']}")
    page.get_by_role("button", name="合并", exact=True).click()
    dialog = page.get_by_role("dialog")
    _dialog_ok(d, "合并")
    dialog.get_by_text("请选择主工单").wait_for()
    # The ticket registered first is offered as a likely duplicate (疑似重复件), with why.
    likely = dialog.get_by_role("radio", name=re.compile(str(primary["number"])))
    likely.wait_for()
    dialog.get_by_text("诉求内容相近").first.wait_for()
    d.shot("hotline-desk-merge-dialog")
    likely.check()
    dialog.get_by_label("备注（可不填）", exact=True).fill("同一路段路灯故障，并入先登记的工单。")
    _dialog_ok(d, "合并")
    dialog.get_by_text("合并后本工单即关闭，不能撤销，确认？").wait_for()
    _dialog_ok(d, "确认办理")
    page.get_by_text("已合并，来电人将随主工单获知办理结果。").wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    page.locator(".desk-summary").get_by_text("已合并").wait_for()
    closed = page.locator(".desk-card", has=page.get_by_role("heading", name="办结情况"))
    closed.get_by_text("已合并到工单").wait_for()
    assert page.get_by_text("当前状态下您的角色没有可办理的操作。").is_visible()
    page.locator(".desk-timeline").get_by_text("同一路段路灯故障，并入先登记的工单。").wait_for()
    d.shot("hotline-desk-merged")

    # The primary ticket now has both callers, and its history says what it absorbed.
    closed.get_by_role("link", name=str(primary["number"])).click()
    page.wait_for_url(f"**/work/hotline/tickets/{primary['id']}")
    contacts = page.get_by_role("region", name="诉求人（含合并的相同诉求）")
    contacts.get_by_text("李娜").wait_for()
    contacts.get_by_text("（来自合并的工单）").wait_for()
    page.locator(".desk-timeline").get_by_text("并入相同诉求").wait_for()
    page.locator(".desk-timeline").get_by_role("link", name="查看被合并的工单").wait_for()
    # The message was about the duplicate: it does not follow the link to the primary.
    assert page.get_by_text("已合并，来电人将随主工单获知办理结果。").count() == 0
    d.shot("hotline-desk-merge-primary")
    merged = api.get(f"{H}/tickets/{duplicate['id']}", headers=api_login(api, "dispatcher")).json()
    assert merged["status"] == "merged" and merged["merged_into_id"] == primary["id"]
    kept = api.get(f"{H}/tickets/{primary['id']}", headers=api_login(api, "dispatcher")).json()
    assert kept["status"] == "registered" and {c["name"] for c in kept["contacts"]} == {"王芳", "李娜"}

    # The agent, on a phone: a wage dispute already before the labour arbitration is diverted (分流).
    wages = _ticket(
        api,
        request_type="help",
        category_code=None,
        title="公司拖欠工资",
        description="公司拖欠三个月工资，已经申请了劳动仲裁，想让政府催一催。",
        auto_dispatch=False,
    )
    a = portal(width=375)
    page = a.staff_login("agent", path=f"/work/hotline/tickets/{wages['id']}")
    page.get_by_role("button", name="分流", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("radio", name="应通过诉讼、仲裁、复议等法定途径解决").check()
    dialog.get_by_label("告知来电人的渠道和内容", exact=True).fill(
        "已告知来电人：劳动争议已进入仲裁程序，请向区劳动人事争议仲裁院了解进度。"
    )
    a.shot("hotline-desk-divert")
    _dialog_ok(a, "分流")
    dialog.get_by_text("分流后工单即办结，不能撤销，确认？").wait_for()
    _dialog_ok(a, "确认办理")
    page.get_by_text("已分流并办结。").wait_for()
    page.get_by_role("dialog").wait_for(state="hidden")
    page.get_by_text("分流办结（应通过诉讼、仲裁、复议等法定途径解决）").wait_for()
    page.locator(".desk-timeline").get_by_text("应通过诉讼、仲裁、复议等法定途径解决").wait_for()
    a.shot("hotline-desk-diverted")
    diverted = api.get(f"{H}/tickets/{wages['id']}", headers=api_login(api, "agent")).json()
    assert diverted["status"] == "closed" and diverted["close_reason"] == "diverted"
    assert diverted["diversion_reason"] == "legal_channel"
