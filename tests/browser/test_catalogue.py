"""The catalogue editor's workspace (issue 17): an editor starts a new version of a published item,
sees the quality findings beside the element as they type, submits it, is told they may not review
their own version, and an administrator — another person — reviews and publishes it."""

from __future__ import annotations

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
