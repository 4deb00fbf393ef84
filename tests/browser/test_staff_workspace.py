"""The staff workspace's shell (issue 17): staff land on it after logging in, see the workspaces of
their roles in the side menu, and citizens are told it is not theirs."""

from __future__ import annotations

from collections.abc import Callable

from portal import Portal

WORKSPACE = "一网通办 · 工作台"


def test_a_clerk_logging_in_lands_on_the_workspace_with_the_menu_of_their_role(
    portal: Callable[..., Portal],
) -> None:
    for width in (1280, 375):
        p = portal(width=width)
        page = p.goto("/login")
        page.get_by_label("账号").fill("clerk")
        page.get_by_label("密码").fill("Demo#2026")
        page.get_by_role("button", name="登录").last.click()
        # No page asked for: staff land on their workspace, not on the citizens' home page.
        page.wait_for_url(p.base + "/work")
        page.get_by_role("heading", name="工作台", exact=True).wait_for()
        if p.phone:
            page.get_by_role("button", name="打开菜单").click()
        nav = page.get_by_role("navigation", name="工作台导航")
        nav.get_by_role("link", name="工作台首页").wait_for()
        # The clerk's role is shown with the account; the administrator's workspace is not offered.
        assert nav.get_by_text("系统管理").count() == 0
        if p.phone:
            page.keyboard.press("Escape")
            nav.wait_for(state="hidden")
        else:
            assert page.get_by_text("窗口工作人员").first.is_visible()
        p.shot("work-home-clerk")


def test_a_citizen_is_told_the_workspace_is_for_staff(portal: Callable[..., Portal]) -> None:
    p = portal(width=1280)
    p.login("13810000003")
    page = p.goto("/work")
    page.get_by_text("工作台仅供工作人员使用").wait_for()
    page.get_by_role("link", name="前往一网通办门户").click()
    page.wait_for_url(p.base + "/")
