"""好差评 in the portal (issue 16): a visitor rates a window visit with the one-time code of the
window's rating pad at `/rate/<code>` (what the pad's QR code links to), without logging in; a
citizen rates a completed application from their account with a bad review (reasons required),
follows its handling (整改) and rates the response."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from portal import DEMO_PASSWORD, Portal, api_login, tick, until

E = "/api/evaluation/v1"
INTAKE = "/api/intake/v1"
CITIZEN = "13810000003"
MZJ = "110105-MZJ"


def choose(scope: Any, level: str) -> None:
    """Pick a rating level: the radio buttons are labels over hidden inputs, as people click them."""
    radio = scope.get_by_role("radio", name=level, exact=True)
    scope.locator("label.ant-radio-button-wrapper").filter(
        has_text=re.compile(f"^{re.escape(level)}$")
    ).click()
    assert radio.is_checked()


def pad_code(api: httpx.Client, item_name: str) -> dict[str, Any]:
    """A clerk registers a window visit; the window's rating pad (registered by the evaluation
    office) fetches its one-time code, as it would to show it as text and QR code."""
    visit = api.post(f"{E}/window-visits", json={"item_name": item_name}, headers=api_login(api, "clerk"))
    assert visit.status_code == 201, visit.text
    pad = api.post(
        f"{E}/rating-devices",
        json={"window_code": visit.json()["window_code"], "label": "浏览器测试评价器"},
        headers=api_login(api, "evaluator"),
    )
    assert pad.status_code == 201, pad.text
    code = api.post(
        f"{E}/rating-devices/{pad.json()['device']['id']}/code",
        json={"secret": pad.json()["secret"], "service_event_id": visit.json()["id"]},
    )
    assert code.status_code == 200, code.text
    assert code.json()["rating_path"] == f"/rate/{code.json()['rating_code']}"
    return dict(code.json())


def test_a_visitor_rates_a_window_visit_with_the_pads_code(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    shown = pad_code(api, "高龄老年人津贴")
    p = portal(width=1280)
    page = p.goto(shown["rating_path"])  # no login
    page.get_by_role("heading", name="扫码评价").wait_for()
    page.get_by_text("高龄老年人津贴").first.wait_for()
    p.shot("rate-by-code")
    # A bad review needs a reason: the form says so under the reasons, in Chinese.
    choose(page, "不满意")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("请至少选择一项不满意的原因").wait_for()
    p.shot("rate-by-code-reason-required")
    tick(page.get_by_role("checkbox", name="等候时间过长"))
    page.get_by_label("补充说明（可选）").fill("排队一个多小时。")
    with page.expect_response(f"**{E}/service-events/*/rating") as sent:
        page.get_by_role("button", name="提交评价").click()
    assert sent.value.status == 201
    body = sent.value.json()
    assert body["level"] == 4 and body["aspects"] == ["等候时间过长"] and body["channel"] == "qr"
    assert body["real_name"] is False and body["comment"] == "排队一个多小时。"
    page.get_by_text("感谢您的评价").wait_for()
    p.shot("rate-by-code-done")
    # The code was used once: opened again, the page says so and offers to type another.
    page.goto(p.base + shown["rating_path"])
    page.get_by_text("评价码无效或已使用").first.wait_for()
    page.get_by_label("评价码").wait_for()


def test_the_code_page_on_a_phone(portal: Callable[..., Portal], api: httpx.Client) -> None:
    shown = pad_code(api, "最低生活保障")
    p = portal(width=375)
    page = p.goto(shown["rating_path"].lower())  # typed in lower case: still the code
    page.get_by_text("最低生活保障").first.wait_for()
    choose(page, "非常满意")
    tick(page.get_by_role("checkbox", name="办事效率高"))
    p.shot("rate-by-code")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价").wait_for()
    # Typing a code by hand: /rate without one.
    page.goto(p.base + "/rate")
    page.get_by_label("评价码").fill("abc")
    page.get_by_role("button", name="去评价").click()
    page.get_by_text("评价码为 10 位字母和数字").wait_for()
    p.shot("rate-enter-code")


def _demo_item(api: httpx.Client) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        listed = api.get(f"{INTAKE}/catalog-items", params={"limit": 200})
        for item in listed.json()["items"]:
            if item["owner_unit_code"] == MZJ:
                full = api.get(f"{INTAKE}/catalog-items/{item['code']}").json()
                if full["elements"].get("handling_type") == "2":
                    return dict(full)
        return None

    return dict(until(find, "no demo item of 区民政局 reached intake-svc"))


def completed_application(api: httpx.Client, person_id: str) -> dict[str, Any]:
    """An application for the person taken at the window, accepted, approved and completed by staff."""
    item = _demo_item(api)
    materials = [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]

    def act(user: str, app_id: str, action: str, body: Any = None) -> dict[str, Any]:
        resp = api.post(f"{INTAKE}/applications/{app_id}/{action}", json=body, headers=api_login(api, user))
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    def submit() -> dict[str, Any] | None:
        resp = api.post(
            f"{INTAKE}/applications",
            json={"item_code": item["code"], "applicant": {"id": person_id}, "materials": materials},
            headers=api_login(api, "clerk"),
        )
        assert resp.status_code == 201, resp.text
        if resp.json()["intake_unit_code"] == "110105-ZWFW-W01":
            return dict(resp.json())
        act("clerk", resp.json()["id"], "withdraw", {"reason": "机构信息未同步，重新接件"})
        return None

    app = until(submit, "org units never reached intake-svc")
    act("clerk", app["id"], "accept")
    act("clerk", app["id"], "hand-over")
    act("approver", app["id"], "approve", {"reasons": "符合条件"})
    return act("approver", app["id"], "complete", {"result_name": "审批结果通知书"})


def test_a_citizen_rates_a_completed_application_and_follows_the_bad_review(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    me = api_login(api, CITIZEN)
    found = api.get("/api/identity/v1/me", headers=me).json()
    person = found.get("account", found)  # {account, acting_for} since issue 16's 代办
    app = completed_application(api, person["id"])

    def rateable() -> list[Any]:
        items = api.get(f"{E}/service-events/mine", params={"rated": "false"}, headers=me).json()["items"]
        return [e for e in items if e["source_id"] == app["id"]]

    event = until(rateable, "the completed application never became the citizen's to rate")[0]
    p = portal(width=1280)
    p.login(CITIZEN, DEMO_PASSWORD, next_path="/my/ratings")
    page = p.page
    page.get_by_role("heading", name="好差评").first.wait_for()
    page.get_by_role("link", name=f"去评价：{app['item_name']}").first.wait_for()
    p.shot("my-ratings")
    page.locator(f"a[href='/my/ratings/{event['id']}']").click()
    page.get_by_role("heading", name="评价服务").wait_for()
    page.get_by_text(app["application_no"]).wait_for()
    choose(page, "非常不满意")
    tick(page.get_by_role("checkbox", name="多次跑动"))
    tick(page.get_by_role("checkbox", name="材料要求繁琐"))
    page.get_by_label("补充说明（可选）").fill("为补一份材料跑了三次。")
    p.shot("rate-application")
    with page.expect_response(f"**{E}/service-events/{event['id']}/rating") as sent:
        page.get_by_role("button", name="提交评价").click()
    assert sent.value.status == 201
    rating = sent.value.json()
    assert rating["real_name"] is True and rating["level"] == 5
    page.get_by_text("感谢您的评价").wait_for()
    page.get_by_role("link", name="查看差评整改进度").click()
    page.get_by_role("tab", name="差评整改", selected=True).wait_for()
    page.get_by_text("待处理").first.wait_for()

    # The unit and the evaluation office handle it through their API.
    case = next(
        c
        for c in api.get(f"{E}/bad-reviews", headers=api_login(api, "approver")).json()["items"]
        if c["rating_id"] == rating["id"]
    )
    for step, body, who in (
        ("call-back", {"reached": True, "note": "已电话回访，情况属实"}, "evaluator"),
        ("rectify", {"note": "已将该事项材料清单合并为一张表，并在指南中写明。"}, "approver"),
        ("feedback", {"text": "您反映的问题已整改：材料清单已精简并一次性告知。感谢监督。"}, "approver"),
    ):
        resp = api.post(f"{E}/bad-reviews/{case['id']}/{step}", json=body, headers=api_login(api, who))
        assert resp.status_code == 200, resp.text

    page.reload()
    page.get_by_text("您反映的问题已整改").first.wait_for()
    page.get_by_text("已将该事项材料清单合并为一张表").first.wait_for()
    p.shot("rating-cases")
    form = page.locator("form.rating-response").first
    form.get_by_role("button", name="提交整改评价").click()
    form.get_by_text("请选择评价等级").wait_for()
    choose(form, "满意")
    with page.expect_response(f"**{E}/bad-reviews/{case['id']}/response-rating") as second:
        form.get_by_role("button", name="提交整改评价").click()
    assert second.value.status == 200
    page.get_by_text("您对整改的评价").first.wait_for()
    p.shot("rating-cases-answered")
    assert api.get(f"{E}/bad-reviews/mine", headers=me).json()["items"][0]["response_level"] == 2


def test_my_ratings_on_a_phone(portal: Callable[..., Portal]) -> None:
    p = portal(width=375)
    p.login(CITIZEN, DEMO_PASSWORD, next_path="/my/ratings")
    p.page.get_by_role("heading", name="好差评").first.wait_for()
    p.page.get_by_role("tab", name="待评价").wait_for()
    p.page.locator(".ant-tabs-tabpane-active").locator(".rating-service, .ant-empty").first.wait_for()
    p.shot("my-ratings")
    p.page.get_by_role("tab", name="差评整改").click()
    p.page.wait_for_url("**/my/ratings?tab=cases")
    p.page.locator(".ant-tabs-tabpane-active").locator(".rating-case, .ant-empty").first.wait_for()
    p.shot("rating-cases")
