"""The portal's first pages in a real browser: search, a guide and its print view, logging in,
my applications, the English switch — at a phone's width and a desk's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from portal import WIDTHS, Portal

GUIDE = "05110105000003-110105MZJ-01"  # 高龄老年人津贴 in the demo catalogue


@pytest.mark.parametrize("width", WIDTHS)
def test_search_then_read_and_print_a_guide(portal: Callable[..., Portal], width: int) -> None:
    p = portal(width=width)
    page = p.goto("/")
    p.shot("home")
    page.locator("#home-q").fill("津贴")
    page.keyboard.press("Enter")
    page.wait_for_url("**/items?*")
    page.get_by_role("link", name="高龄老年人津贴").first.wait_for()
    p.shot("search")
    page.get_by_role("link", name="高龄老年人津贴").first.click()
    page.wait_for_url(f"**/items/{GUIDE}")
    page.get_by_role("heading", name="高龄老年人津贴").first.wait_for()
    for section in ("申请材料", "办理时限与收费"):
        page.get_by_role("heading", name=section).first.wait_for()
    guide = p.shot("guide")
    page.emulate_media(media="print")
    page.screenshot(path=str(guide.with_name(f"guide-print-{width}.png")), full_page=True)
    page.emulate_media(media="screen")


def test_a_citizen_logs_in_and_follows_an_application(portal: Callable[..., Portal]) -> None:
    p = portal(width=1280)
    page = p.goto("/my/applications")
    page.wait_for_url("**/login?next=*")
    page.get_by_label("账号").fill("13810000003")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").last.click()
    page.get_by_role("alert").first.wait_for()
    p.shot("login-wrong-password")
    p.login("13810000003", next_path="/my/applications")
    page.get_by_role("heading", name="我的办件").first.wait_for()
    p.shot("my-applications")
    # A reload keeps the login: the refresh token is in sessionStorage, the access token renewed.
    page.reload()
    page.get_by_role("heading", name="我的办件").first.wait_for()
    assert "/login" not in page.url
    with page.expect_response("**/api/identity/v1/auth/logout") as logout:
        page.get_by_role("button", name="退出登录").click()
    assert logout.value.status == 204
    page.wait_for_url(p.base + "/")
    assert page.evaluate("() => sessionStorage.getItem('yiwang.refresh_token')") is None


def test_english_is_one_click_away_and_remembered(portal: Callable[..., Portal]) -> None:
    p = portal(width=375)
    page = p.goto("/items")
    if p.phone:
        page.get_by_role("button", name="打开菜单").click()
    page.get_by_role("button", name="切换语言为English").first.click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.reload()
    page.locator("main").first.wait_for()
    assert page.evaluate("() => document.documentElement.lang") == "en"
    p.shot("search-en")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_page_whose_code_cannot_load_says_so_and_offers_a_reload(
    portal: Callable[..., Portal], width: int
) -> None:
    p = portal(width=width)
    page = p.goto("/")
    # As after a release that replaced the page's chunk: the search page's code does not arrive.
    page.route("**/assets/SearchPage-*.js", lambda route: route.abort())
    page.locator("#home-q").fill("津贴")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="页面加载失败").wait_for()
    page.get_by_role("button", name="重新加载").wait_for()
    p.shot("route-error")
    # The one console error expected here is the page's own report of what failed.
    expected = [
        m for m in p.problems if "page failed:" in m or "Failed to fetch dynamically imported module" in m
    ]
    assert expected, "the failure was not reported on the console"
    p.problems[:] = [m for m in p.problems if m not in expected]
