"""Screenshots of the main pages at 375 px and 1280 px against a running platform.

Usage (the platform from `make run`, the built app from `npx vite preview` on :4173):
    ../.venv/bin/python scripts/screenshots.py [base_url]
Index HTML is answered with the CSP ADR 0007 asks the gateway for, and every console error or
CSP violation is printed, so a page that needs more than that policy shows up here. Every page shot
is also checked with axe-core (WCAG 2.1 A and AA); serious and critical violations are printed.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4173"
OUT = Path(__file__).resolve().parent.parent / "screenshots"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)
GUIDE = "05110105000003-110105MZJ-01"  # 高龄老年人津贴 in the demo catalogue
AXE = (Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js").read_text()
problems: list[str] = []
violations: list[str] = []


def audit(page, name: str, width: int):
    """axe-core on the page as shown (evaluated through the DevTools protocol, so the CSP allows it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    for v in result["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            violations.append(f"{name}-{width}: {v['id']} ({v['impact']}, {len(v['nodes'])}x) {targets}")


def with_csp(route):
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": CSP}
    route.fulfill(response=response, headers=headers)


def page_for(browser, width: int, lang: str | None = None):
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 500 else 812}, locale="zh-CN"
    )
    if lang:
        context.add_init_script(f"localStorage.setItem('yiwang.lang', '{lang}')")
    page = context.new_page()
    page.route(lambda url: "/api/" not in url and "/assets/" not in url, with_csp)
    page.on("console", lambda m: m.type == "error" and problems.append(f"{width}px {page.url}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{width}px {page.url}: {e}"))
    return page


def shot(page, name: str, width: int, full: bool = True):
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    path = OUT / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=full)
    print(path)
    if page.evaluate("() => !matchMedia('print').matches"):
        audit(page, name, width)
        if page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"):
            violations.append(f"{name}-{width}: the page scrolls sideways")


def login(page, username: str, password: str = "Demo#2026"):
    page.goto(f"{BASE}/login?next=/my/applications")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").last.click()
    # After the wrong password above, identity may make this client wait (429 with Retry-After):
    # the page counts down; log in when it lets us.
    page.wait_for_timeout(1000)
    if "/login" in page.url and page.get_by_text("尝试次数过多").count() > 0:
        page.get_by_role("button", name="登录", exact=True).last.wait_for(timeout=120_000)
        page.get_by_role("button", name="登录", exact=True).last.click()


def main():
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for width in (375, 1280):
            page = page_for(browser, width)
            page.goto(BASE + "/")
            shot(page, "home", width)
            if width < 768:
                page.get_by_role("button", name="打开菜单").click()
                page.wait_for_timeout(600)
                shot(page, "menu-drawer", width, full=False)
                page.keyboard.press("Escape")
            page.goto(BASE + "/items?q=%E6%B4%A5%E8%B4%B4")
            shot(page, "search-q", width)
            page.goto(BASE + "/items?online_depth=IV&service_object=1")
            shot(page, "search-filters", width)
            page.goto(f"{BASE}/items/{GUIDE}")
            shot(page, "guide", width)
            page.emulate_media(media="print")
            shot(page, "guide-print", width)
            page.emulate_media(media="screen")
            page.goto(BASE + "/login")
            page.get_by_label("账号").fill("13810000003")
            page.get_by_label("密码").fill("wrong-password")
            page.get_by_role("button", name="登录").last.click()
            page.get_by_role("alert").first.wait_for()
            shot(page, "login-wrong-password", width)
            login(page, "13810000003")
            page.wait_for_url("**/my/applications")
            shot(page, "my-applications", width)
            page.get_by_role("link", name="高龄老年人津贴").first.click()
            page.wait_for_url("**/my/applications/*")
            page.get_by_text("办理过程").wait_for()
            shot(page, "application", width)
            # The one-time notice needs the token: fetched, then shown from a blob URL in a new tab.
            with page.expect_popup() as popup:
                page.get_by_role("button", name="补正材料一次性告知书").first.click()
            notice = popup.value
            notice.on(
                "console",
                lambda m, w=width: m.type == "error" and problems.append(f"{w}px notice: {m.text}"),
            )
            notice.wait_for_function("() => document.title.includes('告知书')")
            notice.wait_for_timeout(500)
            notice.screenshot(path=str(OUT / f"notice-{width}.png"), full_page=True)
            print(OUT / f"notice-{width}.png")
            notice.close()
            # A reload keeps the login (refresh token in sessionStorage, new access token).
            page.reload()
            page.get_by_text("办理过程").wait_for()
            # Logout ends the session at identity and here.
            if width < 768:
                page.get_by_role("button", name="打开菜单").click()
            with page.expect_response("**/api/identity/v1/auth/logout") as logout:
                page.get_by_role("button", name="退出登录").click()
            assert logout.value.status == 204, logout.value.status
            page.wait_for_url(BASE + "/")
            assert page.evaluate("() => sessionStorage.getItem('yiwang.refresh_token')") is None
            page.goto(BASE + "/my/applications")
            page.wait_for_url("**/login?next=*")
            # The language switch, remembered across a reload.
            page.goto(BASE + "/")
            if width < 768:
                page.get_by_role("button", name="打开菜单").click()
            page.get_by_role("button", name="切换语言为English").click()
            page.get_by_role("heading", name="One-Stop Government Services").wait_for()
            page.reload()
            page.get_by_role("heading", name="One-Stop Government Services").wait_for()
            assert page.evaluate("() => document.documentElement.lang") == "en"
            print(f"{width}px: logout, login redirect and language switch work")
            page.context.close()

            en = page_for(browser, width, lang="en")
            en.goto(BASE + "/")
            shot(en, "home-en", width)
            en.goto(f"{BASE}/items/{GUIDE}")
            shot(en, "guide-en", width)
            en.context.close()
        browser.close()
    print("axe-core serious/critical:", "none" if not violations else "")
    for line in violations:
        print("  ", line)
    if problems:
        print("console errors / CSP violations:")
        for line in problems:
            print("  ", line)
    else:
        print("no console errors, no CSP violations")


if __name__ == "__main__":
    main()
