"""The web front end at `/`: files of the build, SPA fallback, caching, CSP, gzip."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

INDEX = '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-3f9a.js"></script>'
APP_JS = "console.log('一网通办');\n" * 200


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A build as Vite lays it out."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX + "</head><body><div id=root></div></body></html>")
    (tmp_path / "assets" / "index-3f9a.js").write_text(APP_JS)
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / ".hidden").write_text("secret")
    return tmp_path


async def test_the_front_end_is_served_at_the_root_with_the_app_routes_falling_back_to_it(
    start_gateway: Callable[..., Any], dist: Path
) -> None:
    gw = await start_gateway(web_dir=str(dist))
    root = await gw.client.get("/")
    assert root.status_code == 200
    assert root.text.startswith("<!doctype html>")
    assert root.headers["content-type"] == "text/html; charset=utf-8"
    assert root.headers["cache-control"] == "no-cache"  # a new build is seen on the next visit
    csp = root.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert root.headers["x-content-type-options"] == "nosniff"
    assert root.headers["x-frame-options"] == "DENY"

    # A route of the app (no file there, no extension): index.html, so a reload works.
    route = await gw.client.get("/items/110105-MZJ-001")
    assert route.status_code == 200 and route.text == root.text

    asset = await gw.client.get("/assets/index-3f9a.js", headers={"accept-encoding": "gzip"})
    assert asset.status_code == 200 and asset.text == APP_JS  # httpx decodes gzip
    assert asset.headers["content-encoding"] == "gzip"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("text/javascript")
    raw = await gw.client.get("/assets/index-3f9a.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers and raw.content == APP_JS.encode()
    assert gzip.decompress(gzip.compress(raw.content)) == raw.content

    # A missing file is a 404 problem, never the app; dotfiles are not served.
    for path in ("/assets/missing-123.js", "/.hidden", "/favicon.ico"):
        missing = await gw.client.get(path)
        assert missing.status_code == 404, path
        assert missing.headers["content-type"] == "application/problem+json"
    assert (await gw.client.get("/favicon.svg")).headers["cache-control"] == "public, max-age=3600"

    # The API, the docs and the operations endpoints are untouched.
    assert (await gw.client.get("/healthz")).json()["service"] == "gateway"
    assert (await gw.client.get("/api/nothing/x")).json()["code"] == "gateway.unknown_service"
    assert (await gw.client.post("/")).status_code == 405


async def test_without_a_build_the_root_is_a_clear_404(
    start_gateway: Callable[..., Any], tmp_path: Path
) -> None:
    gw = await start_gateway(web_dir=str(tmp_path))  # no index.html: nothing built
    resp = await gw.client.get("/")
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/problem+json"
