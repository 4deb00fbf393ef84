"""一件事 (issue 20 §3) in the portal and at the window: a citizen finds 开办餐饮店 一件事, reads the
merged list of what to bring (shared materials marked), applies once online and sees its stages;
a clerk takes the bundle for a person at the window, runs the one completeness check, issues the one
notice, takes the corrections in once, accepts with one acceptance number, watches the stages go
by as the two departments decide, and delivers every result once (the same delivery form as a
single case); the citizen follows it with its one acceptance number and each department's case."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login, pick, tick, until

BUNDLE = "开办餐饮店 一件事"
CITIZEN = "13810000003"  # 王芳
INTAKE = "/api/intake/v1"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _bundle_code(api: httpx.Client) -> str:
    listed = api.get("/api/catalog/v1/bundles", params={"limit": 100}).json()["items"]
    return str(next(b["code"] for b in listed if b["name"] == BUNDLE))


def _confirm(page: Any, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()


def _upload_next(page: Any, name: str) -> None:
    """Upload a PDF through the first material still waiting for its file."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("^选择文件上传")).first.click()
    # Bytes of its own per file: the same bytes again are the same file (材料复用), under its first name.
    body = PDF + f"% {name}\n".encode()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": body}])


def _wait_until_intake_knows(api: httpx.Client, code: str) -> None:
    """The catalogue's bundle reaches intake as an event: wait for it before the journeys submit."""
    clerk = api_login(api, "clerk")

    def known() -> bool:
        resp = api.post(
            f"{INTAKE}/bundle-applications", json={"bundle_code": code, "materials": []}, headers=clerk
        )
        # 422 bundle_not_found until the event arrives; then the body's missing applicant is refused.
        return not (resp.status_code == 422 and resp.json().get("code") == "intake.bundle_not_found")

    until(known, "the demo bundle never reached intake-svc")


def test_a_citizen_reads_what_to_bring_and_applies_once(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    code = _bundle_code(api)
    _wait_until_intake_knows(api, code)
    desk = portal(width=1280)
    desk.goto("/bundles")
    desk.page.get_by_role("link", name=re.compile(BUNDLE)).click()
    desk.page.wait_for_url(f"**/bundles/{code}")
    desk.page.get_by_role("heading", name="需要准备的材料（合并清单）").wait_for()
    # 营业执照 and 法定代表人居民身份证 are needed by two items: marked, asked once.
    assert desk.page.get_by_text("2 个事项共用，只交一次").count() >= 2
    desk.page.get_by_text("第 2 环节").wait_for()
    desk.shot("bundle-guide")

    p = portal(width=375)
    page = p.page
    p.login(CITIZEN, next_path="/bundles")
    page.get_by_role("heading", name="一件事").wait_for()
    page.get_by_role("link", name=re.compile("新生儿出生 一件事")).wait_for()
    p.shot("bundles-list")
    page.get_by_role("link", name=re.compile(BUNDLE)).click()
    page.wait_for_url(f"**/bundles/{code}")
    page.get_by_role("heading", name="办理环节").wait_for()
    p.shot("bundle-guide")
    page.get_by_role("link", name="在线申办一件事").click()
    page.wait_for_url(f"**/bundles/{code}/apply")
    page.get_by_role("heading", name=f"在线申办：{BUNDLE}").wait_for()

    # One form: the applicant's fields once, each item's confirmations.
    page.get_by_label("身份证件号码", exact=True).fill("110105197809250261")
    page.get_by_label("联系电话", exact=True).fill("13810000003")
    page.get_by_label("联系地址", exact=True).fill("北京市朝阳区建外街道永安里东社区5号楼101")
    boxes = page.locator("fieldset.bundle-section input[type=checkbox]")
    for i in range(boxes.count()):
        tick(boxes.nth(i))
    # One set of materials: each uploaded once, the paper one confirmed.
    uploads = page.get_by_role("button", name=re.compile("^选择文件上传"))
    for n in range(uploads.count()):
        _upload_next(page, f"材料{n + 1}.pdf")
        page.get_by_text(f"材料{n + 1}.pdf").first.wait_for()
    tick(page.get_by_label(re.compile("^我将提交纸质材料")))
    tick(page.get_by_label(re.compile("^本人承诺")))
    p.shot("bundle-apply")
    with page.expect_response(f"**{INTAKE}/bundle-applications") as sent:
        page.get_by_role("button", name="一次提交全部事项").click()
    assert sent.value.status == 201, sent.value.text()
    applied = sent.value.json()
    assert applied["channel"] == "online" and len(applied["cases"]) == 3
    # Each material went once, even those two items need: no problem is left for any case.
    assert applied["problems"] == [], applied["problems"]
    page.wait_for_url(f"**/my/bundles/{applied['id']}")
    page.get_by_text(f"已提交，一件事申请编号 {applied['bundle_no']}").wait_for()
    page.get_by_role("heading", name="各部门办理情况").wait_for()
    assert page.get_by_text("职工参保登记").count() >= 1
    p.shot("bundle-submitted")
    desk.page.goto(desk.base + "/login?next=/my/bundles")
    desk.page.get_by_label("账号").fill(CITIZEN)
    desk.page.get_by_label("密码").fill("Demo#2026")
    desk.page.get_by_role("button", name="登录").last.click()
    desk.page.get_by_role("link", name=BUNDLE).first.click()
    desk.page.get_by_role("heading", name="各部门办理情况").wait_for()
    desk.shot("bundle-submitted")


def _decide(api: httpx.Client, case: dict[str, Any], approver: str, result: str) -> None:
    staff = api_login(api, approver)
    for action, body in (("approve", {"reasons": "符合条件"}), ("complete", {"result_name": result})):
        resp = api.post(f"{INTAKE}/applications/{case['application_id']}/{action}", json=body, headers=staff)
        assert resp.status_code == 200, resp.text


def test_the_clerk_takes_a_bundle_at_the_window_accepts_it_once_and_delivers_once(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    code = _bundle_code(api)
    _wait_until_intake_knows(api, code)
    p = portal(width=1280)
    page = p.staff_login("clerk", path="/work/window/bundles")
    page.get_by_role("heading", name="一件事收件").wait_for()
    page.get_by_role("button", name="新的一件事收件").click()
    page.wait_for_url("**/work/window/bundles/new")
    page.get_by_label("身份证号或手机号").fill(CITIZEN)
    page.get_by_role("button", name="查找").click()
    page.get_by_text("王芳").first.wait_for()
    pick(page, "一件事", BUNDLE)
    materials = page.locator("fieldset.window-materials input[type=checkbox]")
    materials.first.wait_for()
    # Everything but the last material is handed in at the counter.
    for i in range(materials.count() - 1):
        tick(materials.nth(i))
    p.shot("window-bundle-new")
    with page.expect_response(f"**{INTAKE}/bundle-applications") as sent:
        page.get_by_role("button", name="一次提交全部事项").click()
    assert sent.value.status == 201, sent.value.text()
    bundle = sent.value.json()
    assert bundle["channel"] == "window" and len(bundle["problems"]) == 1, bundle
    page.wait_for_url(f"**/work/window/bundles/{bundle['id']}")
    page.get_by_text("形式审查（一次）：1 项问题").wait_for()
    p.shot("window-bundle-check")

    # The one notice, then the corrections taken in once at the counter.
    _confirm(page, "出具告知书")
    page.get_by_text("待补正", exact=True).first.wait_for()
    tick(page.locator(".window-checks input[type=checkbox]").first)
    page.get_by_role("button", name="提交材料").click()
    page.get_by_text("已接件", exact=True).first.wait_for()

    # One acceptance number; the first stage goes to its department, the second waits.
    _confirm(page, "受理")
    page.get_by_text("办理中", exact=True).first.wait_for()
    accepted = api.get(f"{INTAKE}/bundle-applications/{bundle['id']}", headers=api_login(api, "clerk")).json()
    assert accepted["acceptance_no"] and accepted["stage"] == 1
    page.get_by_text(accepted["acceptance_no"]).first.wait_for()
    page.get_by_text("等待前一环节").first.wait_for()
    p.shot("window-bundle-accepted")

    # The departments decide, stage by stage.
    first, food, insurance = accepted["cases"]
    _decide(api, first, "approver_scj", "营业执照")
    _decide(api, food, "approver_scj", "食品经营许可证")
    _decide(api, insurance, "approver_rsj", "参保登记凭证")
    page.reload()
    page.get_by_text("已办结待送达", exact=True).first.wait_for()

    # The citizen follows it: one acceptance number, each department's case and its stage.
    for width in (375, 1280):
        c = portal(width=width)
        c.login(CITIZEN, next_path="/my/bundles")
        c.page.get_by_role("link", name=BUNDLE).first.wait_for()
        c.goto(f"/my/bundles/{bundle['id']}")
        c.page.get_by_text(accepted["acceptance_no"]).first.wait_for()
        c.page.get_by_text("全部事项已办结，等待一次送达。").wait_for()
        c.shot("bundle-tracking")
        c.close()

    # One delivery at the window, against a signature drawn on screen: the single case's form.
    page.get_by_role("button", name="确认送达").wait_for()
    page.get_by_text("参保登记凭证").first.wait_for()
    confirm_deliver = page.get_by_role("button", name="确认送达", exact=True)
    confirm_deliver.click()
    page.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()
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
    p.shot("window-bundle-deliver")
    _confirm(page, "确认送达")
    page.get_by_text("全部办理结果已一次送达").wait_for()
    delivered = api.get(
        f"{INTAKE}/bundle-applications/{bundle['id']}", headers=api_login(api, "clerk")
    ).json()
    assert delivered["status"] == "delivered" and {c["status"] for c in delivered["cases"]} == {"delivered"}
    p.shot("window-bundle-delivered")

    # The clerk's list and the bundle at a phone's width.
    phone = portal(width=375)
    phone.staff_login("clerk", path="/work/window/bundles")
    phone.page.get_by_role("link", name=bundle["bundle_no"]).wait_for()
    phone.shot("window-bundles")
    phone.page.get_by_role("link", name=bundle["bundle_no"]).click()
    phone.page.get_by_text("全部办理结果已一次送达").wait_for()
    time.sleep(0.2)
    phone.shot("window-bundle-delivered")
