"""Enterprises in the browser (issue 16): a legal representative registers an enterprise, a window
clerk verifies it (through the API), the representative authorises an agent, the agent confirms,
acts for the enterprise and sees its applications; the representative revokes and the agent's tab
goes back to acting as herself."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx
from portal import Portal, api_login

GUIDE = "05110105000003-110105MZJ-01"  # 高龄老年人津贴 in the demo catalogue
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
AGENT = {"phone": "13810000002", "name": "李娜", "resident_id": "110105199007180424"}


def new_uscc() -> str:
    """A fresh 统一社会信用代码 with a correct GB 32100 check character."""
    body = "91110105" + "".join(random.choice(ALPHABET) for _ in range(9))
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return body + ALPHABET[(31 - total % 31) % 31]


def wrong_check(uscc: str) -> str:
    """The same code with another check character."""
    return uscc[:17] + ALPHABET[(ALPHABET.index(uscc[17]) + 1) % 31]


def submit_for(api: httpx.Client, bearer: dict[str, str], enterprise_id: str | None) -> dict:
    """An online application for the guide's item, for the enterprise when acting for it."""
    body: dict = {"item_code": GUIDE}
    if enterprise_id:
        body["enterprise_id"] = enterprise_id
    resp = api.post(
        "/api/intake/v1/applications",
        json=body,
        headers={**bearer, "Idempotency-Key": f"ent-{random.random()}"},
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_a_legal_representative_authorises_an_agent_who_acts_for_the_enterprise(
    portal: Callable[..., Portal], api: httpx.Client
) -> None:
    uscc = new_uscc()
    name = f"北京朝阳浏览器测试{random.randint(1000, 9999)}科技有限公司"

    # The legal representative registers the enterprise; a wrong check digit is caught in the browser.
    rep = portal(width=1280)
    rep.login("13810000001", next_path="/enterprise")
    page = rep.page
    page.get_by_role("heading", name="企业服务", level=1).wait_for()
    page.get_by_label("企业名称（与营业执照一致）").fill(name)
    page.get_by_label("统一社会信用代码").fill(wrong_check(uscc).lower())
    page.get_by_role("button", name="提交登记").click()
    page.get_by_text("统一社会信用代码的校验位不正确").wait_for()
    rep.shot("enterprise-register-check-digit")
    page.get_by_label("统一社会信用代码").fill(uscc.lower())
    with page.expect_response("**/api/identity/v1/enterprises") as created:
        page.get_by_role("button", name="提交登记").click()
    assert created.value.status == 201
    card = page.locator("article", has_text=name)
    card.get_by_text("待核验", exact=True).wait_for()
    card.get_by_text("待窗口核验").wait_for()
    rep.shot("enterprise-pending")

    # The same code again: the platform's answer under the field.
    page.get_by_label("企业名称（与营业执照一致）").fill(name)
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.get_by_role("button", name="提交登记").click()
    page.locator(".ant-form-item-explain-error", has_text="您已提交过该统一社会信用代码").wait_for()

    # A window clerk has seen the licence and the ID, and verifies the claim.
    clerk = api_login(api, "clerk")
    found = api.get("/api/identity/v1/enterprises", params={"uscc": uscc, "status": "pending"}, headers=clerk)
    assert found.status_code == 200 and found.json()["total"] == 1, found.text
    enterprise_id = found.json()["items"][0]["id"]
    verified = api.post(
        f"/api/identity/v1/enterprises/{enterprise_id}/verify",
        json={"business_licence_checked": True, "representative_id_checked": True},
        headers=clerk,
    )
    assert verified.status_code == 200, verified.text

    # The representative sees it verified and authorises 李娜 for every item.
    rep.goto("/enterprise")
    card = page.locator("article", has_text=name)
    card.get_by_text("已核验", exact=True).wait_for()
    card.get_by_role("link", name="管理授权").click()
    page.wait_for_url(f"**/enterprise/{enterprise_id}")
    page.get_by_role("heading", name="授权经办人").wait_for()
    page.get_by_label("被授权人姓名").fill("李梅")
    page.get_by_label("被授权人居民身份证号码").fill(AGENT["resident_id"])
    page.get_by_role("button", name="发出授权").click()
    # A name that does not go with the ID: identity's words under the ID field.
    page.locator(".ant-form-item-explain-error", has_text="未找到与该姓名和证件号码一致").wait_for()
    page.get_by_label("被授权人姓名").fill(AGENT["name"])
    with page.expect_response(f"**/api/identity/v1/enterprises/{enterprise_id}/grants") as granted:
        page.get_by_role("button", name="发出授权").click()
    assert granted.value.status == 201
    page.get_by_text("已向 李* 发出授权").wait_for()
    page.locator("li", has_text="经办人 李*").get_by_text("待确认").wait_for()
    rep.shot("enterprise-granted")

    # The agent confirms (on a phone) and switches to acting for the enterprise.
    agent_api = api_login(api, AGENT["phone"])
    agent = portal(width=375)
    agent.login(AGENT["phone"], next_path="/enterprise")
    apage = agent.page
    apage.get_by_role("heading", name="待我确认的授权").wait_for()
    agent.shot("enterprise-offer")
    with apage.expect_response("**/confirm") as confirmed:
        apage.get_by_role("button", name="确认接受授权").click()
    assert confirmed.value.status == 200
    apage.get_by_text("已确认授权").wait_for()
    new_card = apage.locator("article", has_text=name)
    new_card.get_by_text("经办人（受托代办）").wait_for()

    # One application for the enterprise and one of her own (which the enterprise's list must not show).
    act = api.post("/api/identity/v1/auth/act-for", json={"enterprise_id": enterprise_id}, headers=agent_api)
    assert act.status_code == 200, act.text
    for_enterprise = submit_for(api, {"authorization": f"Bearer {act.json()['access_token']}"}, enterprise_id)
    own = submit_for(api, agent_api, None)

    new_card.get_by_role("button", name="代表该企业办事").click()
    apage.wait_for_url("**/enterprise/applications")
    bar = apage.get_by_role("region", name="代表企业办事")
    bar.get_by_text(name, exact=True).wait_for()
    apage.get_by_role("heading", name=f"{name} 的办件").wait_for()
    apage.get_by_text("以该企业为申请人的办件共 1 件").wait_for()
    apage.get_by_text(for_enterprise["application_no"]).wait_for()
    assert apage.get_by_text(own["application_no"]).count() == 0
    agent.shot("enterprise-applications")
    claims = apage.evaluate("() => JSON.parse(sessionStorage.getItem('yiwang.acting'))")
    assert claims["enterpriseId"] == enterprise_id

    # A reload keeps acting (a new act-for token for the same grant).
    apage.reload()
    apage.get_by_role("region", name="代表企业办事").get_by_text(name, exact=True).wait_for()
    apage.get_by_text(for_enterprise["application_no"]).wait_for()

    # Back to acting as herself, then for the enterprise again.
    apage.get_by_role("button", name="回到本人身份").click()
    apage.wait_for_url("**/enterprise")
    apage.get_by_role("heading", name="我的企业").wait_for()
    assert apage.get_by_role("region", name="代表企业办事").count() == 0
    apage.locator("article", has_text=name).get_by_role("button", name="代表该企业办事").click()
    apage.wait_for_url("**/enterprise/applications")
    apage.get_by_text(for_enterprise["application_no"]).wait_for()

    # The representative revokes the authorisation.
    rep.goto(f"/enterprise/{enterprise_id}")
    row = page.locator("li", has_text="经办人 李*")
    row.get_by_text("有效", exact=True).wait_for()
    row.get_by_role("button", name="撤销授权").click()
    popup = page.locator(".ant-popconfirm")
    popup.get_by_label("撤销原因（选填）").fill("经办人岗位调整")
    with page.expect_response("**/revoke") as revoked:
        popup.get_by_role("button", name="撤销授权").click()
    assert revoked.value.status == 200
    row.get_by_text("已撤销", exact=True).wait_for()
    rep.shot("enterprise-revoked")
    page.set_viewport_size({"width": 375, "height": 812})
    page.evaluate("() => window.scrollTo(0, 0)")
    rep.width = 375
    rep.shot("enterprise-revoked")

    # The agent's tab, reloaded, cannot act for the enterprise any more and says so.
    apage.reload()
    apage.get_by_role("alert").filter(has_text="已停止代").wait_for()
    assert apage.get_by_role("region", name="代表企业办事").count() == 0
    assert apage.evaluate("() => sessionStorage.getItem('yiwang.acting')") is None
    agent.shot("enterprise-acting-ended")
