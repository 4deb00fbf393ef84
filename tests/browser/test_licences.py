"""My licences (电子证照, issue 20 §1) in the portal: 王芳 sees the licences the library holds for her
(type, number, validity, state), opens one with its signed rendering, makes a time-limited share
code and withdraws it, and reads the record of who used it for which case; anyone verifies a
licence by type and number (valid or not, nothing personal) or opens a holder's share code."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from portal import Portal, api_login

CITIZEN = "13810000003"  # 王芳
LI = "/api/licence/v1"
INTAKE = "/api/intake/v1"
ITEM = "05110105000005-110105MZJ-01"  # 困难老年人养老服务补贴 (区民政局: the demo approver's unit)


def _id_card(api: httpx.Client, citizen: dict[str, str]) -> dict[str, object]:
    mine = api.get(f"{LI}/licences", headers=citizen).json()["items"]
    return next(lic for lic in mine if lic["type_code"] == "JMSFZ")


def test_a_citizen_sees_shares_and_follows_the_use_of_her_licences(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    citizen = api_login(api, CITIZEN)
    card = _id_card(api, citizen)
    # A case of hers, for which the deciding unit uses her ID card (recorded).
    applied = api.post(f"{INTAKE}/applications", json={"item_code": ITEM, "materials": []}, headers=citizen)
    assert applied.status_code == 201, applied.text
    used = api.post(
        f"{LI}/licences/{card['id']}/uses",
        json={"application_id": applied.json()["id"], "purpose": "核验申请人身份"},
        headers=api_login(api, "approver"),
    )
    assert used.status_code == 201, used.text

    for width in (375, 1280):
        p = portal(width=width)
        page = p.page
        p.login(CITIZEN, next_path="/my/licences")
        page.get_by_role("heading", name="我的证照").wait_for()
        page.get_by_text("居民户口簿").wait_for()
        page.get_by_text(str(card["number"])).wait_for()
        p.shot("licences")
        page.get_by_role("link", name=re.compile("居民身份证")).click()
        page.wait_for_url(f"**/my/licences/{card['id']}")
        page.get_by_role("heading", name="签章版式文件").wait_for()
        page.get_by_text("核验申请人身份").wait_for()
        page.get_by_text(applied.json()["application_no"]).wait_for()
        p.shot("licence")

        # A share for a day: its code shown once, with the link; then withdrawn.
        page.get_by_label("用途").fill("租房核验身份" if width == 375 else "入职登记")
        with page.expect_response(f"**{LI}/licences/*/shares") as made:
            page.get_by_role("button", name="生成核验码").click()
        assert made.value.status == 201, made.value.text()
        share = made.value.json()
        page.get_by_text(share["code"]).first.wait_for()
        p.shot("licence-shared")
        if width == 1280:
            # The link opens the licence as shared, for anyone, while the code works.
            other = portal(width=375)
            other.goto(f"/verify/{share['code']}")
            other.page.get_by_text("该证照今天有效").wait_for()
            other.shot("licence-shared-open")
            other.close()
        page.get_by_role("button", name="撤回").first.click()
        with page.expect_response(f"**{LI}/licences/*/shares/{share['id']}/withdraw") as withdrawn:
            page.locator(".ant-popconfirm:visible").get_by_role("button", name="撤回").click()
        assert withdrawn.value.status == 200, withdrawn.value.text()
        # Every share made so far is withdrawn now (one per width).
        page.get_by_text("已撤回", exact=True).nth(0 if width == 375 else 1).wait_for()
        assert api.get(f"{LI}/shared/{share['code']}").status_code == 404
        p.close()


def test_anyone_verifies_a_licence_by_number_without_personal_data(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    card = _id_card(api, api_login(api, CITIZEN))
    for width in (375, 1280):
        p = portal(width=width)
        page = p.page
        p.goto("/verify")
        page.get_by_role("heading", name="证照核验").wait_for()
        field = page.get_by_label("证照类型", exact=True)
        field.click()
        field.fill("居民身份证")
        page.locator(
            ".ant-select-dropdown:visible .ant-select-item-option", has_text="居民身份证（JMSFZ）"
        ).click()
        page.get_by_role("textbox", name="证照编号").fill(str(card["number"]))
        page.get_by_role("button", name="核验", exact=True).click()
        page.get_by_text("有效：该证照真实有效").wait_for()
        # Nothing about the holder: not her name.
        assert "王芳" not in page.locator("#main").inner_text()
        p.shot("verify-valid")
        page.get_by_role("textbox", name="证照编号").fill("110105000000000000")
        page.get_by_role("button", name="核验", exact=True).click()
        page.get_by_text("无效：未找到有效的该证照").wait_for()
        page.get_by_text("库中没有该编号的证照").wait_for()
        p.shot("verify-invalid")
        p.close()


def _item_code(api: httpx.Client, name: str) -> str:
    offset = 0
    while True:
        page = api.get(f"{INTAKE}/catalog-items", params={"limit": 200, "offset": offset}).json()
        for item in page["items"]:
            if item["name"] == name:
                return str(item["code"])
        offset += len(page["items"])
        assert page["items"] and offset < page["total"], f"{name} not in intake's catalogue"


def test_the_window_fetches_the_id_card_and_household_register_and_both_sides_see_them(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    """两个免于提交: the clerk receives 张伟's 低保 application with the forms he signs only, fetches
    his ID card and 户口簿 from the library on the case page; he sees on his application which
    licence stood for each material."""
    citizen = api_login(api, "13810000001")  # 张伟
    api.get(f"{LI}/licences", headers=citizen)  # the library learns whose licences his are
    me = api.get("/api/identity/v1/me", headers=citizen).json()["account"]
    code = _item_code(api, "城乡最低生活保障对象认定")
    item = api.get(f"{INTAKE}/catalog-items/{code}").json()
    brought = [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if m.get("requirement") == "required" and not m.get("exempt") and not m.get("licence_type_code")
    ]
    cases = []
    for width in (375, 1280):
        resp = api.post(
            f"{INTAKE}/applications",
            json={"item_code": code, "applicant": {"id": me["id"]}, "materials": brought},
            headers=api_login(api, "clerk"),
        )
        assert resp.status_code == 201, resp.text
        case = resp.json()
        cases.append(case)
        p = portal(width=width)
        page = p.staff_login("clerk", path=f"/work/window/cases/{case['id']}")
        page.get_by_role("heading", name="申请材料").wait_for()
        with page.expect_response(f"**{INTAKE}/applications/*/licence-fetches") as fetched:
            page.get_by_role("button", name="从电子证照库调取").click()
        assert fetched.value.status == 200, fetched.value.text()
        materials = {m["name"]: m for m in fetched.value.json()["materials"]}
        assert materials["申请人居民户口簿"]["licence_no"] == "110105001-0012031", materials
        page.get_by_text("证照编号 110105001-0012031").wait_for()  # his 户口簿
        assert page.get_by_text("电子证照库调取", exact=True).count() == 2
        p.shot("window-library-materials")

    p = portal(width=375)
    p.login("13810000001", next_path=f"/my/applications/{cases[0]['id']}")
    p.page.get_by_role("heading", name="申请材料").wait_for()
    p.page.get_by_text("申请人无需提交").wait_for()
    p.page.get_by_text("证照编号 110105001-0012031").wait_for()
    p.shot("my-application-library-materials")
