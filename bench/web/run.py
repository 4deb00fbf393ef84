"""The citizen portal's first load: bytes and time, side by side with an Ant Design baseline.

One run:
  1. builds web/ (tools/web_build.py; nothing to do when web/dist is current);
  2. bytes: the gzip JS and CSS the first page loads (the entry, its static imports and the home
     route's chunk — what `npm run size` counts), each area's lazy chunks, and, built the same way
     by Vite from the same node_modules, a baseline app that renders only Ant Design's
     ConfigProvider (zh_CN), Layout, Input.Search and Button with React — the floor any Ant Design
     front end pays;
  3. time: Chromium (Debian's /usr/bin/chromium through Playwright) opens `/` cold (new context,
     empty cache) on the platform — the one `make run` started at --base if it answers, else one of
     its own on free ports (SQLite, demo data) — and measures, median of --runs: the HTML's
     response, DOMContentLoaded, first contentful paint, and "interactive": the search box on the
     page enabled and the zero-visit list rendered (the home page's query answered). Once on this
     machine as is, and once as a mid-range phone: CPU 4× slower and a 1.6 Mbit/s, 150 ms RTT
     network (Chrome DevTools' "Fast 3G").

    .venv/bin/python bench/web/run.py [--runs 5] [--base http://127.0.0.1:8000] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WEB = REPO / "web"
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tools" / "contract"))

import web_build  # noqa: E402
from contract_tools import find_node  # noqa: E402

BUDGET_KB = 250
CHROMIUM = Path("/usr/bin/chromium")

BASELINE_MAIN = """
import { createRoot } from "react-dom/client";
import { Button, ConfigProvider, Input, Layout } from "antd";
import zhCN from "antd/locale/zh_CN";
createRoot(document.getElementById("root")!).render(
  <ConfigProvider locale={zhCN}>
    <Layout>
      <Layout.Content>
        <Input.Search placeholder="搜索" enterButton="搜索" />
        <Button type="primary">办理</Button>
      </Layout.Content>
    </Layout>
  </ConfigProvider>,
);
"""
BASELINE_CONFIG = """
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
export default defineConfig({ plugins: [react()], logLevel: "warn",
  build: { outDir: "dist", manifest: true, modulePreload: { polyfill: false } } });
"""


def gz(path: Path) -> int:
    """Gzip size (level 9) of a file."""
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def closure(manifest: dict[str, Any], keys: list[str]) -> list[str]:
    """The manifest entries `keys` load statically, themselves included."""
    seen: list[str] = []

    def visit(key: str) -> None:
        if key in seen:
            return
        seen.append(key)
        for dep in manifest.get(key, {}).get("imports", []):
            visit(dep)

    for key in keys:
        visit(key)
    return seen


def first_page_bytes(dist: Path) -> tuple[int, int, dict[str, int]]:
    """(JS, CSS) gzip bytes of the first page, and gzip bytes of each lazy chunk by source."""
    manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
    entry = next(k for k, v in manifest.items() if v.get("isEntry"))
    home = [k for k in manifest if k.endswith("pages/HomePage.tsx")]
    chunks = closure(manifest, [entry, *home])
    files: set[str] = set()
    for key in chunks:
        files.add(manifest[key]["file"])
        files.update(manifest[key].get("css", []))
    js = sum(gz(dist / f) for f in files if f.endswith(".js"))
    css = sum(gz(dist / f) for f in files if f.endswith(".css"))
    lazy = {
        key: gz(dist / value["file"])
        for key, value in manifest.items()
        if key not in chunks and value["file"].endswith(".js")
    }
    return js, css, lazy


def baseline_bytes() -> tuple[int, int]:
    """(JS, CSS) gzip bytes of the Ant Design baseline app, built with web/'s node_modules."""
    node = find_node()
    root = WEB / "node_modules" / ".tmp" / "bench-antd-baseline"
    if root.exists():
        shutil.rmtree(root)
    (root / "src").mkdir(parents=True)
    (root / "index.html").write_text(
        '<!doctype html><html lang="zh-CN"><body><div id="root"></div>'
        '<script type="module" src="/src/main.tsx"></script></body></html>'
    )
    (root / "src" / "main.tsx").write_text(BASELINE_MAIN)
    (root / "vite.config.ts").write_text(BASELINE_CONFIG)
    vite = WEB / "node_modules" / "vite" / "bin" / "vite.js"
    subprocess.run([str(node.node), str(vite), "build"], cwd=root, env=node.env(), check=True, timeout=900)
    dist = root / "dist"
    js = sum(gz(p) for p in (dist / "assets").glob("*.js"))
    css = sum(gz(p) for p in (dist / "assets").glob("*.css"))
    return js, css


def answers(base: str) -> bool:
    """True when a platform serving the portal answers at `base`."""
    try:
        resp = httpx.get(base + "/", timeout=2)
        return resp.status_code == 200 and '<div id="root"' in resp.text
    except httpx.HTTPError:
        return False


MEASURE = """async () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd,
          fcp: paint ? paint.startTime : null, interactive: window.__interactive};
}"""
# Marks the moment the search box is there and enabled and the home page's list is rendered.
WAIT_INTERACTIVE = """() => {
  const box = document.querySelector('#home-q');
  const list = document.querySelector(
    'section[aria-labelledby="home-zero"] .item-card, section[aria-labelledby="home-zero"] p:not(.muted-p)');
  if (!box || box.disabled || !list) return false;
  window.__interactive = window.__interactive ?? performance.now();
  return true;
}"""


def page_times(base: str, runs: int, phone: bool) -> dict[str, float]:
    """Median milliseconds from navigation start, over `runs` cold loads of `/`."""
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {"response": [], "dcl": [], "fcp": [], "interactive": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            for _ in range(runs):
                context = browser.new_context(
                    viewport={"width": 375, "height": 812} if phone else {"width": 1280, "height": 900},
                    locale="zh-CN",
                )
                page = context.new_page()
                if phone:
                    cdp = context.new_cdp_session(page)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    cdp.send("Network.enable")
                    cdp.send(
                        "Network.emulateNetworkConditions",
                        {
                            "offline": False,
                            "latency": 150,
                            "downloadThroughput": 1.6e6 / 8,
                            "uploadThroughput": 750e3 / 8,
                        },
                    )
                page.goto(base + "/", wait_until="commit")
                page.wait_for_function(WAIT_INTERACTIVE, polling=10, timeout=60_000)
                got = page.evaluate(MEASURE)
                for key in samples:
                    if got.get(key) is not None:
                        samples[key].append(float(got[key]))
                context.close()
        finally:
            browser.close()
    return {k: statistics.median(v) for k, v in samples.items() if v}


def own_platform() -> Any:
    """A platform of the bench's own (SQLite, demo data) serving web/dist; stop() it after."""
    from devstack import SERVICES, Platform, free_port

    from yiwang_shared.testing.nats import NatsServer

    nats = NatsServer()
    nats.start()
    plat = Platform(
        var_dir=Path(tempfile.mkdtemp(prefix="bench-web-")),
        nats_url=nats.url,
        gateway_port=free_port(),
        ports={svc.name: free_port() for svc in SERVICES},
        database_urls={},
        extra_env={"GATEWAY_WEB_DIR": str(WEB / "dist")},
    )
    plat.load_demo()
    plat.start()
    return plat, nats


def main(argv: list[str] | None = None) -> int:
    """Build, measure, print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    dist = web_build.build()
    if dist is None:
        print("no web/ in this checkout")
        return 1
    js, css, lazy = first_page_bytes(dist)
    base_js, base_css = baseline_bytes()
    kb = lambda n: f"{n / 1024:7.1f}"  # noqa: E731
    print("\nfirst load, KB gzip         JS      CSS")
    print(f"  portal first page     {kb(js)}  {kb(css)}   (budget {BUDGET_KB} KB JS)")
    what = "React + ConfigProvider, Layout, Input, Button"
    print(f"  Ant Design baseline   {kb(base_js)}  {kb(base_css)}   ({what})")
    print(f"  portal over baseline  {kb(js - base_js)}  {kb(css - base_css)}")
    print("lazy chunks, KB gzip (loaded by the pages that use them):")
    for key, size in sorted(lazy.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {key:<52} {kb(size)}")

    result: dict[str, Any] = {
        "first_page_js_gzip": js,
        "first_page_css_gzip": css,
        "antd_baseline_js_gzip": base_js,
        "antd_baseline_css_gzip": base_css,
        "lazy_chunks_gzip": lazy,
    }
    if not CHROMIUM.exists():
        print("\n/usr/bin/chromium is not installed: no load times (apt-get install chromium)")
    else:
        plat = nats = None
        base = args.base
        if not answers(base):
            print(f"\nnothing answers at {base}: starting a platform of the bench's own ...", flush=True)
            plat, nats = own_platform()
            base = plat.gateway_url
        try:
            desk = page_times(base, args.runs, phone=False)
            phone = page_times(base, args.runs, phone=True)
        finally:
            if plat is not None:
                plat.stop()
                nats.cleanup()
        print(f"\ncold load of / (median of {args.runs}, ms from navigation start)")
        print("                         response   DOMContentLoaded   first paint   interactive")
        for name, t in (("this machine, 1280 px", desk), ("phone: 4x CPU, Fast 3G", phone)):
            print(
                f"  {name:<22} {t.get('response', 0):8.0f}   {t.get('dcl', 0):16.0f}   "
                f"{t.get('fcp', 0):11.0f}   {t.get('interactive', 0):11.0f}"
            )
        result["desk_ms"] = desk
        result["phone_ms"] = phone
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if js / 1024 <= BUDGET_KB else 1


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"\n({time.monotonic() - started:.0f} s)")
    sys.exit(code)
