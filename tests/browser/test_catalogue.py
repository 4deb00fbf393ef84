"""The catalogue editor's workspace (issue 17): an editor starts a new version of a published item,
sees the quality findings beside the element as they type, submits it, is told they may not review
their own version, and an administrator — another person — reviews and publishes it. An editor
imports a file (the check finds a problem and nothing is imported; the fixed file is); a reviewer
returns a version with a reason the editor reads; an editor retires a published item."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from portal import Portal, api_login

#: A demo entry of the editor's unit kept as a draft because its guide has errors: the enquiry
#: phone lacks the area code and the legal basis names no article and quotes no text.
DRAFT = "政务服务“办不成事”反映受理"
ERRORS = {"enquiry_phone.no_area_code", "legal_basis.article", "legal_basis.text"}


def _section(page: Any, name: str) -> Any:
    """The editor's button that shows one section of the item (基本信息, 设定依据 …)."""
    return page.get_by_role("navigation", name="事项要素分组").get_by_role("button", name=name)


def test_an_editor_sees_the_quality_findings_beside_the_fields_and_fixes_them(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    editor = api_login(api, "editor")
    drafts = api.get("/api/catalog/v1/item-versions", params={"status": "draft"}, headers=editor).json()[
        "items"
    ]
    draft = next(d for d in drafts if d["name"] == DRAFT)
    code, number, name = draft["item_code"], draft["version_no"], draft["name"]
    quality = api.get(f"/api/catalog/v1/items/{code}/versions/{number}/quality", headers=editor).json()
    assert {f["check"] for f in quality["findings"] if f["severity"] == "error"} == ERRORS
    phone = api.get(f"/api/catalog/v1/items/{code}/versions/{number}", headers=editor).json()["elements"][
        "enquiry_phone"
    ]

    # The editor's work list, on a phone and at a desk: the draft waits for them.
    for width in (375, 1280):
        p = portal(width=width)
        page = p.staff_login("editor", path="/work/catalogue")
        page.get_by_role("heading", name="事项目录工作台").wait_for()
        row = page.get_by_role("row").filter(has_text=name)
        row.get_by_text("继续编辑、提交审核").wait_for()
        p.shot("catalogue-work")
        page.get_by_role("tab", name="已发布事项").click()
        page.locator(".ant-tabs-tabpane-active .ant-table-row").first.wait_for()
        p.shot("catalogue-items")
        if width == 375:
            p.close()

    # The draft: its quality errors are shown beside their fields.
    page.get_by_role("tab", name="待处理").click()
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(f"**/work/catalogue/items/{code}?v={number}")
    page.get_by_text("修改后自动保存并重新检查质量").wait_for()
    # Each error is shown beside its field; corrected as the editor types, it goes.
    _section(page, "地点与电话").click()
    field = page.locator(".ant-form-item").filter(has=page.get_by_label("咨询电话", exact=True))
    field.locator(".cat-finding-error", has_text="没有区号").wait_for()
    p.shot("catalogue-editor-finding")
    page.get_by_label("咨询电话", exact=True).fill(f"010-{phone}")
    field.locator(".cat-finding-error").wait_for(state="detached", timeout=30_000)
    saved = api.get(f"/api/catalog/v1/items/{code}/versions/{number}", headers=editor).json()["elements"]
    assert saved["enquiry_phone"] == f"010-{phone}"


def _second_editor(api: httpx.Client, unit_code: str) -> tuple[str, str]:
    """A catalogue editor of `unit_code`, created by the administrator through the identity API (the
    demo has one editor, of a unit whose entries are all drafts)."""
    admin = api_login(api, "admin")
    unit = api.get(f"/api/identity/v1/org-units/{unit_code}").json()
    username, password = "mzj-editor", "Editor#2026x"
    created = api.post(
        "/api/identity/v1/staff",
        json={
            "username": username,
            "name": "孔静",
            "org_unit_id": unit["id"],
            "roles": ["catalog_editor"],
            "password": password,
            "loa": 4,
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    return username, password


def test_an_editor_publishes_a_new_version_reviewed_by_another_person(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    username, password = _second_editor(api, "110105-MZJ")
    editor = api_login(api, username, password)
    items = api.get("/api/catalog/v1/items", params={"unit": "110105-MZJ", "limit": 100}).json()["items"]
    item = next(
        i
        for i in items
        if i["latest_version_no"] == i["current_version_no"]
        and api.get(f"/api/catalog/v1/items/{i['code']}/versions/{i['current_version_no']}/quality").json()[
            "errors"
        ]
        == 0
    )
    code, current, name = item["code"], item["current_version_no"], item["name"]
    hours = "周一至周五 9:00-12:00，13:30-17:30（法定节假日除外）"

    # The editor opens the entry from the published list and starts a new version.
    p = portal(width=1280)
    page = p.staff_login(username, password, path="/work/catalogue")
    page.get_by_role("tab", name="已发布事项").click()
    page.get_by_label("搜索已发布事项").fill(name)
    page.locator(".cat-search").get_by_role("button", name="搜索").click()
    page.locator(".ant-tabs-tabpane-active").get_by_role("link", name=name).first.click()
    page.get_by_role("button", name="新建版本").click()
    page.wait_for_url(f"**/work/catalogue/items/{code}?v={current + 1}")
    _section(page, "地点与电话").click()
    page.get_by_label("办理时间", exact=True).fill(hours)
    page.get_by_text("已自动保存").wait_for(timeout=30_000)

    # Submitted: they are told someone else must review it, and have no publish button.
    page.get_by_role("button", name="提交审核").click()
    page.get_by_role("dialog").get_by_role("button", name="提交审核").click()
    page.get_by_text("本版本须由他人审核").wait_for()
    assert page.get_by_role("button", name="审核通过并发布").count() == 0
    p.shot("catalogue-editor-in-review")
    # The API refuses the author too (and the trail records the attempt).
    refused = api.post(f"/api/catalog/v1/items/{code}/versions/{current + 1}/publish", headers=editor)
    assert refused.status_code == 403, refused.text

    # The administrator — another person — finds it on their work list and publishes it.
    a = portal(width=1280)
    admin_page = a.staff_login("admin", path="/work/catalogue")
    admin_page.get_by_text("可由我审核").click()
    admin_page.get_by_role("row").filter(has_text=name).get_by_text("待我审核发布").wait_for()
    admin_page.get_by_role("link", name=name).first.click()
    admin_page.wait_for_url(f"**/work/catalogue/items/{code}?v={current + 1}")
    admin_page.get_by_role("button", name="审核通过并发布").click()
    dialog = admin_page.get_by_role("dialog")
    dialog.get_by_text("此操作不能撤回").wait_for()
    dialog.get_by_role("button", name="审核通过并发布").click()
    admin_page.get_by_role("link", name="打印办事指南").wait_for()
    detail = api.get(f"/api/catalog/v1/items/{code}").json()
    assert detail["current_version_no"] == current + 1
    assert detail["version"]["elements"]["hours"] == hours
    assert detail["version"]["published_by"] != detail["version"]["submitted_by"]

    _section(admin_page, "修改记录").click()
    admin_page.get_by_role("cell", name="本人审核被拒绝").first.wait_for()
    admin_page.get_by_role("cell", name="审核发布", exact=True).first.wait_for()
    a.shot("catalogue-history")
    _section(admin_page, "版本比对").click()
    change = admin_page.get_by_role("row").filter(has_text="hours")
    change.wait_for()
    assert "13:30-17:30" in change.inner_text()
    a.shot("catalogue-diff")


def test_bundles_are_listed_with_their_merged_materials(portal: Callable[..., Portal]) -> None:
    for width in (1280, 375):
        p = portal(width=width)
        page = p.staff_login("editor", path="/work/catalogue/bundles")
        page.get_by_role("heading", name="一件事套餐").wait_for()
        page.get_by_role("button", name="新建一件事").wait_for()
        p.shot("catalogue-bundles")


# ---------------------------------------------------------------------------------------- imports

#: The demo editor (郑涛) edits the entries of 区政务服务管理局.
EDITOR_UNIT = ("110105-ZWGLJ", "区政务服务管理局")
IMPORT_HEADER = "事项名称,事项类型,实施主体编码,实施主体名称,行使层级,承诺时限,承诺时限单位,咨询电话,办理形式"


def _import_file(name: str, unit: str) -> bytes:
    """A small import file of one entry of the editor's unit (UTF-8 with BOM, as Excel saves it)."""
    code, unit_name = EDITOR_UNIT
    row = f"{name},公共服务,{code},{unit_name},县级（区级）,5,{unit},010-65094401,窗口办理;网上办理"
    return ("\ufeff" + IMPORT_HEADER + "\n" + row + "\n").encode("utf-8")


def _choose(page: Any, name: str, data: bytes) -> None:
    """Put a file into the page's (hidden) file input."""
    page.locator("input[type=file]").set_input_files({"name": name, "mimeType": "text/csv", "buffer": data})


def test_an_editor_imports_a_file_after_fixing_the_problem_the_check_found(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    editor = api_login(api, "editor")
    name = "政务服务事项批量导入演练"
    bad, good = _import_file(name, "周"), _import_file(name, "工作日")

    def drafts() -> list[str]:
        work = api.get("/api/catalog/v1/item-versions", params={"limit": 200}, headers=editor).json()
        return [v["item_code"] for v in work["items"] if v["name"] == name]

    # Through the gateway: a file over the service's 2 MB limit is refused in Chinese.
    big = api.post(
        "/api/catalog/v1/imports",
        headers=editor,
        files={"file": ("big.csv", bad + b"\n" * (3 * 1024 * 1024), "text/csv")},
    )
    assert big.status_code == 413 and "MB" in big.json()["detail"], big.text

    # On a phone: the check lists the problem by row and column; nothing can be imported.
    p = portal(width=375)
    page = p.staff_login("editor", path="/work/catalogue/imports")
    page.get_by_role("heading", name="批量导入事项").wait_for()
    _choose(page, "事项.csv", bad)
    page.get_by_role("button", name="检查").click()
    problems = page.locator(".cat-import-problems")
    problems.get_by_role("cell", name="承诺时限单位").wait_for()
    assert "“周”不是有效的时限单位" in problems.inner_text()
    assert page.get_by_role("button", name="导入").is_disabled()
    p.shot("catalogue-import-problems")
    p.close()

    # At a desk: the same file, then the fixed one, checked and imported.
    p = portal(width=1280)
    page = p.staff_login("editor", path="/work/catalogue")
    page.get_by_role("link", name="批量导入").first.click()
    page.get_by_role("heading", name="批量导入事项").wait_for()
    # However many columns the format has (issue 20 added the commitment's, fees', 秒批's…).
    page.get_by_role("button", name=re.compile(r"列说明（\d+ 列，带 \* 的必填）")).wait_for()
    p.shot("catalogue-imports")
    _choose(page, "事项.csv", bad)
    page.get_by_role("button", name="检查").click()
    page.get_by_text("发现 1 个问题，涉及 1 行").wait_for()
    assert page.get_by_role("button", name="导入").is_disabled()
    p.shot("catalogue-import-problems")
    assert drafts() == []  # a check writes nothing

    _choose(page, "事项（已修改）.csv", good)
    page.get_by_text("文件已更换，请重新检查").wait_for()
    page.get_by_role("button", name="检查").click()
    page.get_by_text("检查通过，没有发现问题。可以导入 1 行").wait_for()
    assert drafts() == []
    page.get_by_role("button", name="导入").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("将新建 1 个事项").wait_for()
    dialog.get_by_role("button", name="导入").click()
    page.get_by_text("已导入：新建 1 个事项").wait_for()
    [code] = drafts()
    page.locator(".cat-import-report").get_by_role("cell", name=code).wait_for()
    p.shot("catalogue-import-done")

    # The entry waits in the editor's work list as a draft.
    page.get_by_role("link", name="到工作台查看草稿").click()
    row = page.get_by_role("row").filter(has_text=name)
    row.get_by_text("继续编辑、提交审核").wait_for()
    assert code in row.inner_text()


def _own_item(api: httpx.Client, editor: dict[str, str], name: str, *, complete: bool) -> str:
    """An entry of the demo editor's unit, created through the API (complete: with the elements of a
    published entry that passes the quality check, so it can be published)."""
    code, unit_name = EDITOR_UNIT
    elements: dict[str, Any] = {"name": name, "item_type": "20", "level": 4}
    if complete:
        published = api.get("/api/catalog/v1/items", params={"unit": "110105-MZJ", "limit": 100}).json()

        def errors(item: dict[str, Any]) -> int:
            path = f"/api/catalog/v1/items/{item['code']}/versions/{item['current_version_no']}/quality"
            return int(api.get(path).json()["errors"])

        source = next(i for i in published["items"] if errors(i) == 0)
        elements = api.get(f"/api/catalog/v1/items/{source['code']}").json()["version"]["elements"]
        elements["name"] = name
    elements["implementing_unit"] = {"code": code, "name": unit_name, "uscc": None}
    created = api.post("/api/catalog/v1/items", json={"elements": elements}, headers=editor)
    assert created.status_code == 201, created.text
    return str(created.json()["code"])


def test_a_reviewer_returns_a_version_with_a_reason_the_editor_reads(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    editor = api_login(api, "editor")
    name = "退回修改演练事项"
    code = _own_item(api, editor, name, complete=False)
    submitted = api.post(f"/api/catalog/v1/items/{code}/versions/1/submit", headers=editor)
    assert submitted.status_code == 200, submitted.text
    reason = "请补充申请材料和办理流程，咨询电话写明区号。"

    # The administrator — not its author — finds it to review and returns it with the reason.
    a = portal(width=1280)
    page = a.staff_login("admin", path="/work/catalogue")
    page.get_by_text("可由我审核").click()
    page.get_by_role("row").filter(has_text=name).get_by_text("待我审核发布").wait_for()
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url(f"**/work/catalogue/items/{code}?v=1")
    page.get_by_role("button", name="退回修改").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("原因").fill(reason)
    dialog.get_by_role("button", name="退回修改").click()
    page.get_by_text("已退回修改").first.wait_for()
    a.close()

    # The editor sees the reason on the work list and on the version, at a desk and on a phone.
    for width in (1280, 375):
        p = portal(width=width)
        page = p.staff_login("editor", path="/work/catalogue")
        row = page.get_by_role("row").filter(has_text=name)
        row.get_by_text(f"退回原因：{reason}").wait_for()
        row.get_by_text("按退回意见修改后重新提交").wait_for()
        p.shot("catalogue-returned-list")
        page.get_by_role("link", name=name).first.click()
        page.wait_for_url(f"**/work/catalogue/items/{code}?v=1")
        page.get_by_text("审核人已退回此版本").wait_for()
        page.get_by_text(f"退回原因：{reason}").wait_for()
        page.get_by_role("button", name="提交审核").wait_for()  # a draft again, to revise
        p.shot("catalogue-returned")
        p.close()
    history = api.get(f"/api/catalog/v1/items/{code}/history", headers=editor).json()["items"]
    assert [(h["action"], h["reason"]) for h in history][-1] == ("returned", reason)


def test_an_editor_retires_a_published_item_with_a_reason(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    editor = api_login(api, "editor")
    admin = api_login(api, "admin")
    name = "停用演练事项"
    code = _own_item(api, editor, name, complete=True)
    assert api.post(f"/api/catalog/v1/items/{code}/versions/1/submit", headers=editor).status_code == 200
    published = api.post(f"/api/catalog/v1/items/{code}/versions/1/publish", headers=admin)
    assert published.status_code == 200, published.text
    found = api.get("/api/catalog/v1/items", params={"q": name}).json()["items"]
    assert code in [i["code"] for i in found]
    reason = "职能调整，本事项不再由本单位办理。"

    for width in (375, 1280):
        p = portal(width=width)
        page = p.staff_login("editor", path=f"/work/catalogue/items/{code}")
        page.get_by_role("button", name="停用事项").wait_for()
        p.shot("catalogue-published")
        if width == 375:
            p.close()
    page.get_by_role("button", name="停用事项").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("此操作不能撤回").wait_for()
    assert dialog.get_by_role("button", name="停用事项").is_disabled()  # a reason is required
    dialog.get_by_label("原因").fill(reason)
    dialog.get_by_role("button", name="停用事项").click()
    page.locator(".cat-meta").get_by_text("已停用", exact=True).wait_for()
    dialog.wait_for(state="detached")
    page.get_by_text("本事项已停用").wait_for()
    assert page.get_by_role("button", name="停用事项").count() == 0
    assert page.get_by_role("button", name="新建版本").count() == 0
    p.shot("catalogue-retired")

    detail = api.get(f"/api/catalog/v1/items/{code}").json()
    assert detail["status"] == "retired"
    found = api.get("/api/catalog/v1/items", params={"q": name}).json()["items"]
    assert code not in [i["code"] for i in found]  # out of search
    history = api.get(f"/api/catalog/v1/items/{code}/history", headers=editor).json()["items"]
    assert (history[-1]["action"], history[-1]["reason"]) == ("retired", reason)
