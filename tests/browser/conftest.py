"""Browser journeys (issue 16): the built portal in Debian's Chromium, driven by Playwright, against
the whole platform as real processes (SQLite, real NATS) reached through the gateway.

Without /usr/bin/chromium the tests say so and skip — except under CI=true, where they fail
(`.ci/run` installs chromium and fonts-noto-cjk). Screenshots land in var/test-artifacts/browser/
(each overwrites its own file: runs side by side do not wipe each other's).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_build  # noqa: E402
from devstack import SERVICES, Platform, free_port  # noqa: E402
from portal import Portal, chromium_path  # noqa: E402

from yiwang_shared.testing.nats import NatsServer  # noqa: E402


def _browser_missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser journeys (.ci/run installs chromium)")
    pytest.skip(f"{reason}: browser journeys skipped (apt-get install chromium fonts-noto-cjk)")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, or a skip (a failure under CI) saying it is missing."""
    path = chromium_path()
    if path is None:
        _browser_missing("/usr/bin/chromium is not installed")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _browser_missing("the playwright package is not installed")
    return str(path)


@pytest.fixture(scope="session")
def platform(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """The built front end served by the gateway, every service, demo data: what `make run` starts."""
    # YIWANG_WEB_DIST: a front end built elsewhere (`vite build --outDir …`), so people working on
    # the front end side by side need not share web/dist.
    prebuilt = os.environ.get("YIWANG_WEB_DIST")
    dist = Path(prebuilt) if prebuilt else web_build.build()
    assert dist is not None and (dist / "index.html").is_file(), "web/dist was not built"
    nats = NatsServer()
    nats.start()
    plat = Platform(
        var_dir=tmp_path_factory.mktemp("platform-browser"),
        nats_url=nats.url,
        gateway_port=free_port(),
        ports={svc.name: free_port() for svc in SERVICES},
        database_urls={},
        # The payment and logistics providers' simulators, as `make run` has them (issue 20 §6):
        # fees are paid on the simulator's page and posted results go with its waybills.
        simulators=True,
        simulator_ports={"payment": free_port(), "logistics": free_port()},
        extra_env={
            "GATEWAY_WEB_DIR": str(dist),
            "IDENTITY_ARGON2_TIME_COST": "1",
            "IDENTITY_ARGON2_MEMORY_COST_KIB": "8192",
            "IDENTITY_ARGON2_PARALLELISM": "1",
            "GATEWAY_RATE_LIMIT_PER_SECOND": "1000",
            "GATEWAY_RATE_LIMIT_BURST": "2000",
        },
    )
    try:
        plat.load_demo()
        plat.start()
        yield plat
    finally:
        plat.stop()
        nats.cleanup()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def portal(browser: Any, platform: Platform) -> Iterator[Callable[..., Portal]]:
    """Opens the portal in a fresh browser context (`portal(width=375, lang="en")`); at the end of
    the test every context is closed and any console error or CSP violation fails the test."""
    opened: list[Portal] = []

    def open_portal(width: int = 1280, lang: str | None = None) -> Portal:
        p = Portal.open(browser, platform.gateway_url, width=width, lang=lang)
        opened.append(p)
        return p

    yield open_portal
    problems = [problem for p in opened for problem in p.problems]
    for p in opened:
        p.close()
    assert problems == [], "console errors or CSP violations:\n" + "\n".join(problems)


@pytest.fixture
def api(platform: Platform) -> Iterator[httpx.Client]:
    """A plain HTTP client on the gateway, for what staff do through the API during a journey."""
    with httpx.Client(base_url=platform.gateway_url, timeout=30) as client:
        yield client
