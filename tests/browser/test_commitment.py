"""告知承诺 (issue 20 §4) in the portal and the workspaces: the item offers its standard commitment in
the citizen's and the clerk's application forms (the full text and the materials it replaces, which
are then not asked for); the case shows the commitment and is decided at acceptance; the deciding
unit's approver finds the post-checks by due date and records 属实 for one and 承诺不实 for the other
— told before confirming that it revokes the decision; the citizen's revoked case shows 已撤销决定 and
its 撤销决定书."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login, pick, tick, until

ITEM_NAME = "社会团体成立登记"  # the demo item on commitment (区民政局, whose approver checks it)
CITIZEN = "13810000003"  # 王芳
INTAKE = "/api/intake/v1"
CAT = "/api/catalog/v1"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REPLACED = ("住所使用权证明", "验资报告")


def commitment_item(api: httpx.Client) -> str:
    """The code of the demo's published item that offers 告知承诺."""
    found = api.get(f"{CAT}/items", params={"q": ITEM_NAME, "limit": 20}).json()["items"]
    code = next(str(item["code"]) for item in found if item["name"] == ITEM_NAME)
    guide = api.get(f"{CAT}/items/{code}/guide").json()
    assert guide["commitment"]["replaces"] == list(REPLACED)
    return code


def _upload_next(page: Any, name: str) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("^选择文件上传")).first.click()
    # Bytes of its own per file: the same bytes again are the same file (材料复用), under its first name.
    body = PDF + f"% {name}\n".encode()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": body}])


def _confirm(page: Any, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.locator(".ant-popconfirm:visible").get_by_role("button", name="确定").click()


def test_a_commitment_application_is_decided_at_once_and_post_checked(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    code = commitment_item(api)
    approver = api_login(api, "approver")

    # The citizen, online at a phone's width: the commitment in full, and what it replaces.
    p = portal(width=375)
    page = p.page
    p.login(CITIZEN, next_path=f"/apply/{code}")
    page.get_by_role("heading", name="告知承诺", exact=True).wait_for()
    page.get_by_text("愿意承担撤销登记等法律责任").wait_for()
    p.shot("commitment-offer")
    tick(page.get_by_label(re.compile("^签署告知承诺书")))
    page.get_by_text("已签署：2 项材料以承诺替代，无需提交。").wait_for()
    for name in REPLACED:
        page.locator(".apply-material").filter(has_text=name).get_by_text("承诺替代", exact=True).wait_for()
    p.shot("commitment-signed")
    uploads = page.get_by_role("button", name=re.compile("^选择文件上传"))
    for n in range(uploads.count()):
        _upload_next(page, f"申请材料{n + 1}.pdf")
        page.get_by_text(f"申请材料{n + 1}.pdf").first.wait_for()
    for box in page.get_by_label(re.compile("^我将提交纸质材料")).all():
        tick(box)
    tick(page.get_by_label(re.compile("^本人承诺")))

    def submit() -> Any:
        with page.expect_response(f"**{INTAKE}/applications") as sent:
            page.get_by_role("button", name="提交申请").click()
        return sent.value

    answer = submit()
    if answer.status == 422 and "item_not_found" in answer.text():  # the publication is on its way to intake
        until(lambda: submit().status == 201, "intake never learnt of the published item", timeout=30)
    else:
        assert answer.status == 201, answer.text()
    page.wait_for_url("**/my/applications/*")
    online_id = page.url.rsplit("/", 1)[-1]
    online = api.get(f"{INTAKE}/applications/{online_id}", headers=approver).json()
    assert online["commitment"]["replaces"] == list(REPLACED) and online["problems"] == [], online
    # Decided at acceptance by the deciding unit (online applications are theirs to accept).
    decided = api.post(f"{INTAKE}/applications/{online_id}/accept", json={}, headers=approver)
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "completed" and decided.json()["decision"] == "approved"
    page.reload()
    page.get_by_role("heading", name="告知承诺书").wait_for()
    p.shot("commitment-case")

    # The clerk at the window offers it too, and accepts on the spot.
    w = portal(width=1280)
    wp = w.staff_login("clerk", path="/work/window/new")
    wp.get_by_label("身份证号或手机号").fill("13810000001")
    wp.get_by_role("button", name="查找").click()
    wp.get_by_text("张伟").first.wait_for()
    pick(wp, "办理事项", ITEM_NAME)
    wp.get_by_text("以承诺替代的材料：").wait_for()
    tick(wp.get_by_label(re.compile("^签署告知承诺书")))
    materials = wp.locator("fieldset.window-materials:not(.window-commitment) input[type=checkbox]")
    for i in range(materials.count()):
        tick(materials.nth(i))
    wp.get_by_text("以告知承诺替代，无需收取").first.wait_for()
    w.shot("window-commitment")
    with wp.expect_response(f"**{INTAKE}/applications") as sent:
        wp.get_by_role("button", name="提交收件").click()
    assert sent.value.status == 201, sent.value.text()
    window_case = sent.value.json()
    wp.wait_for_url(f"**/work/window/cases/{window_case['id']}")
    wp.get_by_text("告知承诺件：受理即作出准予决定并办结").wait_for()
    _confirm(wp, "当场受理并办结")
    wp.get_by_text("已办结", exact=True).first.wait_for()

    # The approver's post-checks: both, by due date; one true, one not.
    a = portal(width=1280)
    ap = a.staff_login("approver", path="/work/approval/post-checks")
    ap.get_by_role("heading", name="事后核查").wait_for()
    for case in (online, window_case):
        ap.get_by_text(case["application_no"]).wait_for()
    ap.get_by_text(re.compile(r"还剩 \d+ 天")).first.wait_for()
    a.shot("post-checks")
    ap.get_by_role("button", name=f"记录核查结果 {window_case['application_no']}").click()
    dialog = ap.get_by_role("dialog")
    dialog.get_by_label("属实：承诺内容与实际相符").check()
    dialog.get_by_label("核查情况").fill("现场核查：住所租赁合同真实有效，验资证明与申报一致。")
    dialog.get_by_role("button", name="确认属实").click()
    dialog.wait_for(state="detached")
    ap.get_by_role("button", name=f"记录核查结果 {online['application_no']}").click()
    dialog = ap.get_by_role("dialog")
    dialog.get_by_label("承诺不实").check()
    dialog.get_by_text("确认“承诺不实”将撤销准予决定").wait_for()
    dialog.get_by_label("核查情况").fill("住所为他人住宅，未经产权人同意；注册资金未到位。")
    a.shot("post-check-untrue")
    with ap.expect_response(f"**{INTAKE}/post-checks/*/result") as recorded:
        dialog.get_by_role("button", name="确认承诺不实并撤销决定").click()
    assert recorded.value.status == 200, recorded.value.text()
    assert recorded.value.json()["revocation_no"]
    ap.get_by_text("全部", exact=True).click()
    ap.get_by_text(re.compile("撤销决定书 ")).wait_for()
    a.shot("post-checks-done")
    phone = portal(width=375)
    phone.staff_login("approver", path="/work/approval/post-checks")
    phone.page.get_by_role("heading", name="事后核查").wait_for()
    phone.page.get_by_text("全部", exact=True).click()
    phone.page.get_by_text(online["application_no"]).wait_for()
    phone.shot("post-checks")

    # The citizen's case: 已撤销决定, the reason, and the 撤销决定书 to print.
    for portal_ in (p, portal(width=1280)):
        if portal_ is not p:
            portal_.login(CITIZEN, next_path="/")
        portal_.goto(f"/my/applications/{online_id}")
        portal_.page.get_by_text("已撤销决定：告知承诺经核查不实").wait_for()
        portal_.page.get_by_role("button", name=re.compile("打印撤销决定书")).wait_for()
        portal_.shot("commitment-revoked")
