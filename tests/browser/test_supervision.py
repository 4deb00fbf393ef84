"""Supervision (issue 17): a supervisor follows an overdue case on the electronic supervision board
(its red light, the scan that flags it, the 催办/督办 pass that escalates it, the case itself), handles
a citizen's bad review from call-back to closing, and reads the indicators with their charts —
every rate beside its sample size — and downloads the monthly report (XLSX and CSV, both read).
A bad review also goes back and forth between the unit rated and the supervisor: the unit asks for
the call-back, the supervisor calls back, the unit appeals, the appeal is rejected, the unit
rectifies by a promised date, reports it done and tells the rater, and the supervisor closes it;
another is answered with an explanation (解释说明) and closed by the unit."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
from devstack import SERVICES, Platform
from portal import Portal, api_login, until

from yiwang_shared.testing.process import running_service

INTAKE = "/api/intake/v1"
E = "/api/evaluation/v1"
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


def _materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]


def _person(api: httpx.Client) -> dict[str, Any]:
    me = api.get("/api/identity/v1/me", headers=api_login(api, CITIZEN)).json()
    return dict(me.get("account", me))


def overdue_case(platform: Platform, api: httpx.Client) -> dict[str, Any]:
    """An application accepted and handed to 区民政局 sixty days ago, so long overdue today: taken by
    a second intake-svc process on the platform's database whose clock reads sixty days back (days
    cannot pass during a test)."""
    item = _demo_item(api)
    person = _person(api)
    intake = next(s for s in SERVICES if s.name == "intake")
    offset = -(timedelta(days=60).total_seconds())

    async def run() -> dict[str, Any]:
        config = {
            "database_url": platform.database_url(intake),
            "nats_url": platform.nats_url,
            "jwks_url": platform.service_url("identity") + "/v1/auth/jwks",
            "clock_offset_seconds": str(offset),
            "supervision_scan_seconds": "0",
        }
        async with (
            running_service("intake", config) as base,
            httpx.AsyncClient(base_url=base + "/v1", timeout=30) as svc,
        ):
            deadline = time.monotonic() + 60
            while True:
                resp = await svc.post(
                    "/applications",
                    json={
                        "item_code": item["code"],
                        "applicant": {"id": person["id"]},
                        "materials": _materials(item),
                    },
                    headers=api_login(api, "clerk"),
                )
                assert resp.status_code == 201, resp.text
                app = resp.json()
                if app["intake_unit_code"] == "110105-ZWFW-W01":
                    break
                await svc.post(
                    f"/applications/{app['id']}/withdraw", json={}, headers=api_login(api, "clerk")
                )
                assert time.monotonic() < deadline, "org units never reached intake-svc"
                await asyncio.sleep(0.5)
            for action in ("accept", "hand-over"):
                resp = await svc.post(
                    f"/applications/{app['id']}/{action}", json={}, headers=api_login(api, "clerk")
                )
                assert resp.status_code == 200, resp.text
            return dict(resp.json())

    # Playwright's sync API runs an event loop in this thread: the second process is driven from another.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def bad_review(api: httpx.Client, comment: str) -> dict[str, Any]:
    """王芳's application completed by staff, then rated 非常不满意 with reasons from her account."""
    item = _demo_item(api)
    person = _person(api)

    def act(user: str, app_id: str, action: str, body: Any = None) -> dict[str, Any]:
        resp = api.post(f"{INTAKE}/applications/{app_id}/{action}", json=body, headers=api_login(api, user))
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    resp = api.post(
        f"{INTAKE}/applications",
        json={"item_code": item["code"], "applicant": {"id": person["id"]}, "materials": _materials(item)},
        headers=api_login(api, "clerk"),
    )
    assert resp.status_code == 201, resp.text
    app = resp.json()
    act("clerk", app["id"], "accept")
    act("clerk", app["id"], "hand-over")
    act("approver", app["id"], "approve", {"reasons": "符合条件"})
    act("approver", app["id"], "complete", {"result_name": "审批结果通知书"})
    me = api_login(api, CITIZEN)

    def rateable() -> list[Any]:
        items = api.get(f"{E}/service-events/mine", params={"rated": "false"}, headers=me).json()["items"]
        return [e for e in items if e["source_id"] == app["id"]]

    event = until(rateable, "the completed application never became the citizen's to rate")[0]
    rated = api.post(
        f"{E}/service-events/{event['id']}/rating",
        json={"level": 5, "channel": "pc", "aspects": ["多次跑动"], "comment": comment},
        headers=me,
    )
    assert rated.status_code == 201, rated.text
    return dict(rated.json())


def test_a_supervisor_follows_an_overdue_case_and_a_bad_review(
    portal: Callable[..., Portal], api: httpx.Client, platform: Platform
) -> None:
    case = overdue_case(platform, api)
    comment = f"为补一份材料跑了三次（{datetime.now(UTC):%H%M%S}）。"
    rating = bad_review(api, comment)

    p = portal(width=1280)
    page = p.staff_login("supervisor", path="/work/supervision")
    page.get_by_role("heading", name="电子监察").wait_for()
    row = page.locator(".sv-cases tr", has=page.get_by_role("link", name=case["application_no"]))
    row.get_by_text("红灯").wait_for()
    row.get_by_text("超期").first.wait_for()  # "超期 N 个工作日"
    # The unit's counts are the server's, over every open case (not the first page the list holds).
    summary = api.get(f"{INTAKE}/supervision/summary", headers=api_login(api, "supervisor")).json()
    mzj = next(u for u in summary["units"] if u["unit_code"] == MZJ)
    by_unit = page.locator(".sv-section", has=page.get_by_role("heading", name="各部门在办件"))
    mzj_row = by_unit.locator("tr", has=page.get_by_role("button", name="区民政局"))
    for n in (mzj["open"], mzj["red"]):
        mzj_row.get_by_role("cell", name=str(n), exact=True).first.wait_for()

    # The scan flags it; the 催办/督办 pass escalates it — buttons, not curl.
    page.get_by_role("button", name="扫描超期").click()
    page.locator(".ant-popover").get_by_role("button", name="扫描超期").click()
    page.get_by_text("扫描完成").wait_for()
    row.get_by_text("已标记超期").wait_for()
    page.get_by_role("button", name="执行催办督办").click()
    page.locator(".ant-popover").get_by_role("button", name="执行催办督办").click()
    page.get_by_text("催办督办完成").wait_for()
    escalations = page.locator(".sv-section", has=page.get_by_role("heading", name="催办与督办"))
    escalations.get_by_role("link", name=case["application_no"]).first.wait_for()
    # Only this unit's cases, only the red ones.
    page.locator(".sv-section", has=page.get_by_role("heading", name="各部门在办件")).get_by_role(
        "button", name="区民政局"
    ).click()
    page.locator(".ant-segmented").get_by_text("红灯", exact=True).click()
    row.wait_for()
    p.shot("supervision-board")

    row.get_by_role("link", name=case["application_no"]).click()
    page.wait_for_url(f"**/work/supervision/cases/{case['id']}")
    page.get_by_role("heading", name=case["item_name"]).wait_for()
    page.get_by_text("红灯").first.wait_for()
    page.get_by_role("heading", name="催办与督办").wait_for()
    page.get_by_text("当前没有您可以办理的环节。").wait_for()  # supervisors follow, the unit decides
    page.locator(".approval-trace").get_by_text("超期").first.wait_for()
    p.shot("supervision-case")

    # The bad review, from call-back to closing.
    page.goto(p.base + "/work/supervision/bad-reviews")
    page.get_by_role("heading", name="差评整改").wait_for()
    page.get_by_role("link", name=comment).click()
    page.get_by_role("heading", name="差评工单").wait_for()
    page.get_by_text("非常不满意").wait_for()

    def step(button: str, fields: dict[str, str], done: str, confirm: str | None = None) -> None:
        page.locator(".sv-actions").get_by_role("button", name=button).click()
        dialog = page.get_by_role("dialog")
        for label, value in fields.items():
            dialog.get_by_label(label).fill(value)
        dialog.locator(".ant-modal-footer").get_by_role("button", name=button).click()
        if confirm:
            page.locator(".ant-modal-confirm").get_by_role("button", name=confirm).click()
        page.get_by_text(done).first.wait_for()

    step("记录回访", {"回访情况": "已电话回访，情况属实。"}, "回访已记录")
    page.get_by_text("已回访").first.wait_for()
    step("整改", {"整改措施": "材料清单合并为一张表，并在指南中一次性告知。"}, "整改已记录")
    step("反馈评价人", {"反馈内容": "您反映的问题已整改，感谢监督。"}, "已反馈评价人")
    p.shot("supervision-bad-review")
    step("办结", {}, "工单已办结", confirm="办结")
    page.locator(".sv-head").get_by_text("已办结").wait_for()
    closed = next(
        c
        for c in api.get(f"{E}/bad-reviews", headers=api_login(api, "supervisor")).json()["items"]
        if c["rating_id"] == rating["id"]
    )
    assert closed["status"] == "closed" and closed["feedback"] == "您反映的问题已整改，感谢监督。"

    # Indicators: charts with the sample size beside each rate, and the monthly report.
    page.goto(p.base + "/work/supervision/indicators")
    page.get_by_role("heading", name="指标与排名").wait_for()
    good = page.locator(".sv-section", has=page.get_by_role("heading", name="好差评"))
    good.locator("figure svg").first.wait_for()
    good.get_by_text("（n=").first.wait_for()
    page.get_by_role("heading", name="12345 热线考核“三率”").wait_for()
    page.get_by_role("heading", name="红旗窗口").wait_for()
    _check_report_downloads(page)
    p.shot("supervision-indicators")

    phone = portal(width=375)
    phone.staff_login("supervisor", path="/work/supervision/indicators")
    phone.page.get_by_role("heading", name="指标与排名").wait_for()
    phone.page.locator("figure svg").first.wait_for()
    phone.shot("supervision-indicators")
    phone.page.goto(phone.base + "/work/supervision")
    phone.page.get_by_role("link", name=case["application_no"]).first.wait_for()
    phone.shot("supervision-board")


def _check_report_downloads(page: Any) -> None:
    """Download the monthly report as XLSX and as CSV, by unit and by item: each arrives, is not
    empty and is what its name says (a workbook; a CSV with the indicators' header)."""
    for by in ("按部门", "按事项"):
        page.locator(".ant-segmented").filter(has_text="按事项").get_by_text(by, exact=True).click()
        with page.expect_download() as xlsx:
            page.get_by_role("button", name="下载 Excel（XLSX）").click()
        assert xlsx.value.suggested_filename.endswith(".xlsx"), xlsx.value.suggested_filename
        assert xlsx.value.failure() is None, xlsx.value.failure()
        book = openpyxl.load_workbook(io.BytesIO(xlsx.value.path().read_bytes()), read_only=True)
        lines = [
            [str(v) for v in row if v is not None] for row in book.worksheets[0].iter_rows(values_only=True)
        ]
        assert any("对象" in line and "好评率" in line for line in lines), lines[:3]
        with page.expect_download() as got:
            page.get_by_role("button", name="下载 CSV").click()
        assert got.value.suggested_filename.endswith(".csv"), got.value.suggested_filename
        text = got.value.path().read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows and rows[0][:2] == ["对象", "名称"] and "好评率" in rows[0], rows[:2]


def _bad_review_step(
    page: Any,
    button: str,
    done: str,
    *,
    fields: dict[str, str] | None = None,
    radio: str | None = None,
    confirm: str | None = None,
    shot: Callable[[], Any] | None = None,
) -> None:
    """Take one step of a bad-review case through its dialog and wait for the page to confirm it."""
    page.locator(".sv-actions").get_by_role("button", name=button, exact=True).click()
    dialog = page.get_by_role("dialog")
    if radio:
        dialog.get_by_role("radio", name=radio).check()
    for label, value in (fields or {}).items():
        dialog.get_by_label(label).fill(value)
    if shot:
        shot()
    dialog.locator(".ant-modal-footer").get_by_role("button", name=button, exact=True).click()
    if confirm:
        page.locator(".ant-modal-confirm").get_by_role("button", name=confirm, exact=True).click()
    page.get_by_text(done).first.wait_for()
    dialog.wait_for(state="hidden")


def _case_of(api: httpx.Client, rating: dict[str, Any]) -> dict[str, Any]:
    """The bad-review case of `rating`, as the supervisor reads it."""
    cases = api.get(f"{E}/bad-reviews", params={"limit": 200}, headers=api_login(api, "supervisor"))
    return dict(next(c for c in cases.json()["items"] if c["rating_id"] == rating["id"]))


def test_a_bad_review_goes_between_the_unit_and_the_supervisor_until_it_is_closed(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    stamp = f"{datetime.now(UTC):%H%M%S}"
    comment = f"窗口说材料不全，却说不清缺什么（{stamp}）。"
    rating = bad_review(api, comment)

    # The unit rated (区民政局's approver): a real-name bad review must be called back first, so
    # the unit can only ask the evaluation office for it — it never learns who rated.
    unit = portal(width=1280)
    page = unit.staff_login("approver", path="/work/supervision/bad-reviews")
    page.get_by_role("heading", name="差评整改").wait_for()
    page.get_by_role("link", name=comment).click()
    page.get_by_role("heading", name="差评工单").wait_for()
    page.get_by_text(re.compile(r"实名用户 #")).wait_for()
    page.get_by_text("实名差评须先由好差评管理机构回访核实后").wait_for()
    assert page.locator(".sv-actions").get_by_role("button", name="整改", exact=True).count() == 0
    _bad_review_step(
        page,
        "申请回访",
        "已申请回访",
        fields={"需要回访核实的问题": "请核实评价人当天缺的是哪一份材料，窗口是否出具了一次性告知书。"},
    )
    page.locator(".ant-timeline").get_by_text("单位申请回访", exact=True).wait_for()
    unit.shot("supervision-bad-review-unit-asks")

    # The supervisor: the first call does not reach the rater (recorded, not counted); the second does.
    sup = portal(width=1280)
    sp = sup.staff_login("supervisor", path="/work/supervision/bad-reviews")
    sp.get_by_role("link", name=comment).click()
    sp.get_by_role("heading", name="差评工单").wait_for()
    sp.get_by_text("请核实评价人当天缺的是哪一份材料").wait_for()  # the unit's question
    _bad_review_step(sp, "记录回访", "回访已记录", radio="未联系上", fields={"回访情况": "电话无人接听。"})
    sp.locator(".ant-timeline").get_by_text("回访未联系上", exact=True).wait_for()
    sp.locator(".sv-head").get_by_text("待处理").wait_for()
    _bad_review_step(
        sp,
        "记录回访",
        "回访已记录",
        radio="已联系上",
        fields={"回访情况": "已联系评价人：窗口未出具一次性告知书，评价人补交材料跑了两次。"},
        shot=lambda: sup.shot("supervision-bad-review-call-back"),
    )
    sp.locator(".sv-head").get_by_text("已回访").wait_for()

    # The unit appeals; the supervisor rejects the appeal, so the case goes back to the unit.
    page.reload()
    page.locator(".sv-actions").get_by_role("button", name="整改", exact=True).wait_for()
    _bad_review_step(
        page, "申诉", "申诉已提交", fields={"申诉理由": "窗口已口头告知所缺材料，评价与事实不符。"}
    )
    page.locator(".sv-head").get_by_text("申诉中").wait_for()
    assert page.locator(".sv-actions").get_by_role("button").count() == 1  # only 转 12345 热线
    sp.reload()
    _bad_review_step(
        sp,
        "审核申诉",
        "申诉审核结果已记录",
        radio="申诉不成立",
        fields={"审核意见": "回访核实窗口未出具一次性告知书，申诉不成立。"},
        confirm="审核申诉",
        shot=lambda: sup.shot("supervision-bad-review-appeal"),
    )
    sp.locator(".ant-timeline").get_by_text("申诉不成立", exact=True).wait_for()

    # The unit rectifies by a promised date, reports it done and tells the rater.
    page.reload()
    promised = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=7)).isoformat()
    _bad_review_step(
        page,
        "整改",
        "整改已记录",
        fields={
            "承诺完成日期（可选，不填表示已整改）": promised,
            "整改措施": "修订材料清单，窗口一律出具一次性告知书，并组织窗口人员培训。",
        },
    )
    page.locator(".sv-head").get_by_text("整改中").wait_for()
    page.get_by_text(re.compile(r"承诺 .+ 前整改完成")).wait_for()
    _bad_review_step(
        page, "整改完成", "整改完成已记录", fields={"整改完成情况": "材料清单已修订，培训已完成。"}
    )
    _bad_review_step(
        page, "反馈评价人", "已反馈评价人", fields={"反馈内容": "已修订材料清单并培训窗口人员，感谢监督。"}
    )
    page.locator(".sv-head").get_by_text("已反馈").wait_for()
    unit.shot("supervision-bad-review-unit-answered")

    # The supervisor closes it; what the browser did is what evaluation-svc recorded.
    sp.reload()
    _bad_review_step(sp, "办结", "工单已办结", confirm="办结")
    sp.locator(".sv-head").get_by_text("已办结").wait_for()
    sup.shot("supervision-bad-review-closed")
    case = _case_of(api, rating)
    assert case["status"] == "closed" and case["resolution"] == "rectify"
    assert case["appeal_decision"] == "rejected" and case["rectify_due_on"] == promised
    assert [s["action"] for s in case["steps"]] == [
        "opened",
        "call_back_requested",
        "call_back_failed",
        "call_back",
        "appeal",
        "appeal_rejected",
        "rectify_planned",
        "rectification_done",
        "feedback",
        "closed",
    ]

    # Another bad review, already called back: the unit answers it with an explanation and closes
    # it itself — on a phone.
    other = bad_review(api, f"要求当场发证未获同意（{stamp}）。")
    called = api.post(
        f"{E}/bad-reviews/{_case_of(api, other)['id']}/call-back",
        json={"reached": True, "note": "已回访：评价人希望当场发证。"},
        headers=api_login(api, "supervisor"),
    )
    assert called.status_code == 200, called.text
    phone = portal(width=375)
    page = phone.staff_login("approver", path="/work/supervision/bad-reviews")
    page.get_by_role("link", name=f"要求当场发证未获同意（{stamp}）。").click()
    page.get_by_role("heading", name="差评工单").wait_for()
    _bad_review_step(
        page,
        "解释说明",
        "解释说明已记录",
        fields={"解释说明": "社会团体成立登记须经审查，法定不能当场发证，已向评价人说明办理时限。"},
        shot=lambda: phone.shot("supervision-bad-review-explain"),
    )
    page.locator(".sv-head").get_by_text("已解释").wait_for()
    _bad_review_step(
        page, "反馈评价人", "已反馈评价人", fields={"反馈内容": "已说明法定审查程序和办理时限。"}
    )
    _bad_review_step(page, "办结", "工单已办结", confirm="办结")
    page.locator(".sv-head").get_by_text("已办结").wait_for()
    phone.shot("supervision-bad-review-closed")
    explained = _case_of(api, other)
    assert explained["status"] == "closed" and explained["resolution"] == "explain"
