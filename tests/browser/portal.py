"""What the browser journeys share: a page on the portal that records console errors, screenshots
kept as artefacts, axe-core's accessibility check, logging in as a demo account."""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "var" / "test-artifacts" / "browser"
AXE = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
DEMO_PASSWORD = "Demo#2026"
#: Phone and desk widths every main page is checked at.
WIDTHS = (375, 1280)


def chromium_path() -> Path | None:
    """Debian's Chromium, if installed."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def api_login(api: httpx.Client, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Bearer headers for a demo account, logged in through the gateway."""
    resp = api.post("/api/identity/v1/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return {"authorization": f"Bearer {resp.json()['access_token']}"}


def until(fn: Callable[[], Any], what: str, timeout: float = 60) -> Any:
    """Poll `fn` every half second until it returns something true (returned); fail with `what`."""
    deadline = time.monotonic() + timeout
    while True:
        got = fn()
        if got:
            return got
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def pick(page: Any, label: str, option: str) -> None:
    """Choose an option of an Ant Design select by its label (typing to narrow a searchable one),
    and wait until the select shows it. On a busy machine the list can close between opening and
    the click (a re-render, a lost focus), so the whole choice is tried up to three times."""
    field = page.get_by_label(label, exact=True)
    chosen = (
        page.locator(".ant-select").filter(has=field).locator(".ant-select-selection-item", has_text=option)
    )
    for attempt in range(3):
        try:
            field.click()
            if field.get_attribute("readonly") is None:  # a searchable select: narrow the (virtual) list
                field.fill(option)
            page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text=option).first.click(
                timeout=8_000
            )
            chosen.first.wait_for(timeout=5_000)
            return
        except Exception:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def tick(box: Any, checked: bool = True) -> None:
    """Tick (or, `checked=False`, untick) an Ant Design checkbox, given its `<input>` (as
    `get_by_label` / `get_by_role("checkbox")` find it), and wait until the input shows it.

    Not Playwright's `check()`: that clicks, then reads the input's `checked` at once and fails with
    "Clicking the checkbox did not change its state" when the page has not caught up. An antd
    `Checkbox.Group` keeps its own copy of its value and copies the form's value into it in a
    `useEffect`; React runs that update at default priority, in a later task, and until then renders
    the group with the old value — so right after the click React puts the controlled input back
    to unticked, and ticks it again a moment later. Here the box's label (what a person clicks) is
    clicked and Playwright's retrying expectation waits for the state: no sleep, and the next click
    on the same group sees the value this one made.
    """
    from playwright.sync_api import expect  # the journeys skip without playwright

    if box.is_checked() != checked:
        box.locator("xpath=ancestor::label[1]").click()
    if checked:
        expect(box).to_be_checked()
    else:
        expect(box).not_to_be_checked()


@dataclass
class Portal:
    """One browser context on the portal (a person at a phone or a desk)."""

    base: str
    width: int
    context: Any
    page: Any
    problems: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Any, base: str, *, width: int = 1280, lang: str | None = None) -> Portal:
        """A fresh context at `width` px (812 or 900 high), Chinese unless `lang` says otherwise."""
        context = browser.new_context(
            viewport={"width": width, "height": 812 if width < 768 else 900},
            locale="zh-CN",
            # The portal honours prefers-reduced-motion (no Ant Design animations): a click is not
            # lost to a list still sliding open on a loaded machine.
            reduced_motion="reduce",
        )
        context.set_default_timeout(20_000)
        if lang:
            context.add_init_script(f"localStorage.setItem('yiwang.lang', '{lang}')")
        page = context.new_page()
        portal = cls(base=base, width=width, context=context, page=page)
        page.on("console", portal._console)
        page.on("pageerror", lambda e: portal.problems.append(f"{width}px {page.url}: {e}"))
        page.on("response", portal._response)
        return portal

    def _console(self, message: Any) -> None:
        # A 4xx answer is part of a journey (a wrong password, a field to fix) and Chromium logs it
        # as "Failed to load resource"; a 5xx is caught by _response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"{self.width}px {self.page.url}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            request = response.request
            self.problems.append(f"{self.width}px {request.method} {response.url}: {response.status}")

    @property
    def phone(self) -> bool:
        """True at a phone's width (the menu is behind a button)."""
        return self.width < 768

    def goto(self, path: str) -> Any:
        """Open a path of the portal and wait until the app has rendered it."""
        self.page.goto(self.base + path)
        self.page.locator("main").first.wait_for()
        return self.page

    def shot(self, name: str, *, full: bool = True) -> Path:
        """Save a screenshot under var/test-artifacts/browser/<name>-<width>.png, check the page with
        axe-core (no serious or critical WCAG 2.1 A/AA violation) and that it does not scroll
        sideways."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout  # the journeys skip without it

        # Requests still running settle first; a page that keeps one open (a poll, a frame that
        # came and went) is shot after 5 s rather than never (networkidle need not come back).
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_load_state("networkidle", timeout=5_000)
        # From the top, so a sticky header is not drawn in the middle of a full-page shot.
        self.page.evaluate("window.scrollTo(0, 0)")
        path = self.shot_path(name)
        self.page.screenshot(path=str(path), full_page=full)
        violations = self.axe()
        assert violations == [], f"{name} at {self.width}px: {violations}"
        wide = self.page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, f"{name} at {self.width}px scrolls sideways"
        # A translation whose variable the page did not pass shows its placeholder ("在办件（1{{plus}} 件）").
        placeholder = "() => (document.body.innerText.match(/\\{\\{\\w+\\}\\}/) || [null])[0]"
        unfilled = self.page.evaluate(placeholder)
        assert unfilled is None, f"{name} at {self.width}px shows an unfilled placeholder {unfilled}"
        return path

    def shot_path(self, name: str) -> Path:
        """Where the screenshot `name` at this width is kept."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        return ARTIFACTS / f"{name}-{self.width}.png"

    def axe(self) -> list[str]:
        """Serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as shown."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, so the page's CSP does not stop it.
            self.page.evaluate(AXE.read_text())
        # resultTypes: only the violations are wanted; passes, incomplete and inapplicable results
        # are then kept to one node each, which halves axe's time on a large page (the violations
        # found are the same).
        result = self.page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
        )
        return [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}x) "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    def login(self, username: str, password: str = DEMO_PASSWORD, *, next_path: str = "/") -> None:
        """Log in through the login page and wait to land on `next_path`."""
        self.goto(f"/login?next={next_path}")
        self.page.get_by_label("账号").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").last.click()
        self.page.wait_for_url(f"**{next_path}" if next_path != "/" else self.base + "/")

    def staff_login(self, username: str, password: str = DEMO_PASSWORD, *, path: str = "/work") -> Any:
        """Log a demo staff account in through the login page; land on the workspace page `path`."""
        self.goto(f"/login?next={path}")
        self.page.get_by_label("账号").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").last.click()
        self.page.wait_for_url(self.base + path)
        self.page.locator("main").first.wait_for()
        return self.page

    def close(self) -> None:
        """Close the context (and its pages)."""
        self.context.close()


def courier_moves(
    platform: Any, api: httpx.Client, waybill_no: str, waybills_path: str, steps: int = 2
) -> None:
    """The courier picks the parcel up and moves it on `steps` times (the simulator's test control);
    wait until its signed callbacks, back through the gateway, show on `waybills_path`."""
    courier = platform.simulator_url("logistics")
    for _ in range(steps):
        moved = httpx.post(f"{courier}/sim/waybills/{waybill_no}/advance", json={}, timeout=10)
        assert moved.status_code == 200, moved.text

    def tracked() -> bool:
        waybills = api.get(waybills_path, headers=api_login(api, "clerk")).json()["waybills"]
        return len(waybills[0]["events"]) >= steps

    until(tracked, "the tracking callbacks never arrived")
