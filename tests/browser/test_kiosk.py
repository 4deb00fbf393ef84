"""The hall kiosk (自助终端, issue 16): search and a guide with touch-sized targets, a rating code
typed on the kiosk leads to the rating page, and the kiosk forgets the last person after a short
inactivity timeout (set with ?idle= for the test)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from portal import WIDTHS, Portal

GUIDE = "05110105000003-110105MZJ-01"  # 高龄老年人津贴 in the demo catalogue

#: The kiosk's touch targets: every visible link, button and text field in its shell.
SMALL_TARGETS = """
(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.offsetParent !== null && !el.closest('.visually-hidden, .skip-link'))
  .map((el) => ({el, r: el.getBoundingClientRect()}))
  .filter(({r}) => r.width > 0 && (r.height < 48 || r.width < 48))
  .map(({el, r}) => {
    const name = (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30);
    return `${el.tagName} "${name}" ${Math.round(r.width)}x${Math.round(r.height)}`;
  })
"""


#: The kiosk's main area: its links, buttons and text fields.
MAIN = (
    ".kiosk-main a, .kiosk-main button, .kiosk-main .ant-input-affix-wrapper, "
    ".kiosk-main input:not(.ant-input-affix-wrapper input)"
)
HEADER = ".kiosk-header a, .kiosk-header button"


def small_targets(p: Portal, selector: str) -> list[str]:
    return p.page.evaluate(SMALL_TARGETS, selector)


@pytest.mark.parametrize("width", WIDTHS)
def test_kiosk_search_and_guide_with_big_targets(portal: Callable[..., Portal], width: int) -> None:
    p = portal(width=width)
    page = p.goto("/kiosk")
    page.get_by_role("heading", name="欢迎使用政务服务自助终端").wait_for()
    # No account menu on a shared machine.
    assert page.get_by_role("link", name="登录").count() == 0
    assert page.get_by_role("button", name="退出登录").count() == 0
    assert (
        small_targets(
            p,
            f"{HEADER}, {MAIN}",
        )
        == []
    )
    p.shot("kiosk-home")

    page.get_by_label("搜索办事事项").fill("津贴")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/kiosk/items?q=*")
    page.get_by_role("link", name="高龄老年人津贴").first.wait_for()
    assert (
        small_targets(
            p,
            MAIN,
        )
        == []
    )
    p.shot("kiosk-search")

    page.get_by_role("link", name="高龄老年人津贴").first.click()
    page.wait_for_url(f"**/kiosk/items/{GUIDE}")
    page.get_by_role("heading", name="高龄老年人津贴").first.wait_for()
    page.get_by_role("heading", name="申请材料").first.wait_for()
    assert page.locator(".kiosk-header").count() == 1
    assert (
        small_targets(
            p, ".kiosk-header a, .kiosk-header button, .kiosk-guide button, .kiosk-guide .ant-breadcrumb a"
        )
        == []
    )
    p.shot("kiosk-guide")
    # The guide's links stay in the kiosk.
    page.locator(".kiosk-guide .ant-breadcrumb").get_by_role("link", name="办事指南").click()
    page.wait_for_url("**/kiosk/items")


def test_kiosk_rating_code_leads_to_the_rating_page(portal: Callable[..., Portal]) -> None:
    p = portal(width=1280)
    page = p.goto("/kiosk/rate")
    page.get_by_role("heading", name="服务评价", level=1).wait_for()
    page.get_by_role("button", name="去评价").click()
    page.get_by_role("alert").filter(has_text="评价码为 10 位").wait_for()
    assert (
        small_targets(
            p,
            MAIN,
        )
        == []
    )
    p.shot("kiosk-rate")
    for key in "AB23":
        page.locator(".kiosk-keys").get_by_role("button", name=key, exact=True).click()
    assert page.get_by_label("评价码", exact=True).input_value() == "AB23"
    page.get_by_label("评价码", exact=True).fill("ab23-cd45 ef")
    page.get_by_role("button", name="去评价").click()
    page.wait_for_url("**/rate/AB23CD45EF")
    # Outside the kiosk's shell, the way back is kept.
    page.get_by_role("button", name="返回自助终端首页").click()
    page.wait_for_url("**/kiosk")
    page.get_by_role("heading", name="欢迎使用政务服务自助终端").wait_for()


def _clears_itself(p: Portal) -> None:
    """The countdown, "still here", then clearing and returning home."""
    page = p.goto("/kiosk?idle=45")
    page.evaluate("() => { localStorage.setItem('someone', 'x'); sessionStorage.setItem('someone', 'x'); }")
    page.get_by_role("link", name="查办事指南").first.click()
    page.wait_for_url("**/kiosk/items")
    # The URL changes before React draws the new page, and the kiosk's home has a search field with
    # the same label: filled in that moment, the text went into the home page's field and was gone
    # (this journey's failures, 2 in 7 runs and again in a quiet one). Wait for the search page.
    page.get_by_role("heading", name="查办事指南", level=1).wait_for()
    page.get_by_label("搜索办事事项").fill("津贴")
    # The countdown shows in the last 15 seconds (a third of 45 s; 10 s of a 30 s timeout proved too
    # short for a click on a loaded CI machine) …
    dialog = page.get_by_role("alertdialog", name="还在使用吗？")
    dialog.wait_for(timeout=45_000)
    # … "still here" gives the full time again (pressed at once: on a busy machine a screenshot
    # with axe-core can take longer than the countdown has left) …
    # A dispatched click: under the load of two platforms side by side the modal's opening
    # animation kept its mask over the button past the countdown (twice in full runs), so a
    # pointer click raced the timeout; the button and its handler are what is tested here.
    dialog.get_by_role("button", name="继续使用").dispatch_event("click")
    dialog.wait_for(state="hidden")
    assert page.get_by_label("搜索办事事项").input_value() == "津贴"
    # … the second countdown is the one kept as a screenshot (no axe: the page may clear during it).
    dialog.wait_for(timeout=45_000)
    page.screenshot(path=str(p.shot_path("kiosk-countdown")))
    # … and without activity the kiosk clears everything and returns home.
    page.wait_for_url(p.base + "/kiosk", timeout=70_000)
    page.get_by_role("status").filter(has_text="上一位使用者的操作已全部清除").wait_for()
    page.get_by_role("heading", name="欢迎使用政务服务自助终端").wait_for()
    assert page.get_by_label("搜索办事事项").input_value() == ""
    assert page.evaluate("() => localStorage.getItem('someone')") is None
    assert page.evaluate("() => sessionStorage.getItem('someone')") is None
    # The short timeout is kept for the tab (the kiosk's own setting), so it clears again.
    assert page.evaluate("() => JSON.parse(sessionStorage.getItem('yiwang.kiosk')).idleSeconds") == 45


def test_kiosk_clears_itself_after_inactivity(portal: Callable[..., Portal]) -> None:
    _clears_itself(portal(width=1280))
