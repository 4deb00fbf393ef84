"""Supervision (issue 17): a supervisor follows an overdue case on the electronic supervision board
(its red light, the scan that flags it, the 催办/督办 pass that escalates it, the case itself), handles
a citizen's bad review from call-back to closing, and reads the indicators with their charts —
every rate beside its sample size — and downloads the monthly report."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
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
    with page.expect_download() as xlsx:
        page.get_by_role("button", name="下载 Excel（XLSX）").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as csv:
        page.get_by_role("button", name="下载 CSV").click()
    assert csv.value.suggested_filename.endswith(".csv")
    p.shot("supervision-indicators")

    phone = portal(width=375)
    phone.staff_login("supervisor", path="/work/supervision/indicators")
    phone.page.get_by_role("heading", name="指标与排名").wait_for()
    phone.page.locator("figure svg").first.wait_for()
    phone.shot("supervision-indicators")
    phone.page.goto(phone.base + "/work/supervision")
    phone.page.get_by_role("link", name=case["application_no"]).first.wait_for()
    phone.shot("supervision-board")
