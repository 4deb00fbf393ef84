"""Run the drills: `python -m drills.run [--backend sqlite|postgres|both] [--only 1,7] [--full] [--markdown]`.

One platform per backend (PostgreSQL when TEST_POSTGRES_URL is set, as the end-to-end tests do):
the non-destructive drills first (6–11), the destructive ones after (1–5), the log scan (12) last.
Prints one line per drill and backend, a summary, and exits non-zero if any drill failed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from drills.env import DrillEnv  # noqa: E402
from drills.result import DrillResult  # noqa: E402

#: Non-destructive first, then the ones that crash things, then the log scan over everything.
ORDER = (6, 7, 8, 9, 10, 11, 1, 2, 3, 4, 5, 12)


def discover() -> dict[int, ModuleType]:
    """Every drill module (drills/dNN_*.py), by number."""
    found: dict[int, ModuleType] = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if len(info.name) > 3 and info.name[0] == "d" and info.name[1:3].isdigit() and info.name[3] == "_":
            module = importlib.import_module(f"drills.{info.name}")
            found[int(module.NUMBER)] = module
    return found


def backends(choice: str) -> list[str]:
    """The backends to run on: PostgreSQL only when TEST_POSTGRES_URL is set."""
    pg = bool(os.environ.get("TEST_POSTGRES_URL"))
    if choice == "sqlite":
        return ["sqlite"]
    if choice == "postgres":
        if not pg:
            raise SystemExit("--backend postgres needs TEST_POSTGRES_URL")
        return ["postgres"]
    return ["sqlite", "postgres"] if pg else ["sqlite"]


async def run_one(module: ModuleType, env: DrillEnv) -> list[DrillResult]:
    """Run one drill; a crash of the drill itself is a failed result, not a crashed runner."""
    start = time.monotonic()
    try:
        out = await module.run(env)
        results = out if isinstance(out, list) else [out]
    except Exception as exc:
        traceback.print_exc()
        results = [
            DrillResult(
                int(module.NUMBER),
                str(module.NAME),
                env.backend,
                ok=False,
                notes=f"drill raised {type(exc).__name__}: {str(exc)[:300]}",
            )
        ]
    elapsed = time.monotonic() - start
    for r in results:
        if not r.seconds:
            r.seconds = elapsed
    return results


async def run_backend(backend: str, modules: list[ModuleType], quick: bool) -> list[DrillResult]:
    """Start a platform on `backend`, run the drills in order, stop it."""
    from drills.support import start_platform, stop_platform

    print(f"== {backend}: starting the platform", flush=True)
    t0 = time.monotonic()
    env = await start_platform(backend, quick=quick)
    print(f"== {backend}: platform up in {time.monotonic() - t0:.1f} s ({env.platform.var_dir})", flush=True)
    results: list[DrillResult] = []
    try:
        for module in modules:
            for r in await run_one(module, env):
                print(r.line(), flush=True)
                results.append(r)
    finally:
        await stop_platform(env)
    return results


def markdown(results: list[DrillResult]) -> str:
    """The results as a markdown table (docs/reliability.md)."""
    lines = [
        "| # | drill | backend | result | figures | seconds | notes |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        figs = ", ".join(f"{k}={v}" for k, v in r.figures.items())
        status = "PASS" if r.ok else "FAIL"
        notes = r.notes.replace("|", "\\|")
        lines.append(
            f"| {r.number} | {r.name} | {r.backend} | {status} | {figs} | {r.seconds:.1f} | {notes} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--only", default="", help="comma-separated drill numbers, e.g. 1,7")
    parser.add_argument("--full", action="store_true", help="the sizes issue 8 states (slow)")
    parser.add_argument("--markdown", action="store_true", help="also print the results as a markdown table")
    args = parser.parse_args(argv)

    available = discover()
    wanted = [int(x) for x in args.only.split(",") if x.strip()] if args.only else list(ORDER)
    unknown = [n for n in wanted if n not in ORDER]
    if unknown:
        parser.error(f"no such drill: {unknown}")
    missing = [n for n in wanted if n not in available]
    modules = [available[n] for n in ORDER if n in wanted and n in available]
    start = time.monotonic()
    results: list[DrillResult] = []
    for backend in backends(args.backend):
        try:
            results.extend(asyncio.run(run_backend(backend, modules, quick=not args.full)))
        except Exception as exc:  # the platform did not start: every drill of this backend failed
            traceback.print_exc()
            note = f"platform did not start: {type(exc).__name__}: {str(exc)[:200]}"
            for module in modules:
                r = DrillResult(int(module.NUMBER), str(module.NAME), backend, ok=False, notes=note)
                print(r.line(), flush=True)
                results.append(r)
    failed = [r for r in results if not r.ok]
    print(
        f"\n{len(results)} drill results, {len(results) - len(failed)} passed, {len(failed)} failed"
        + (f"; not available: {missing}" if missing else "")
        + f" ({time.monotonic() - start:.0f} s, {'full' if args.full else 'quick'} sizes)"
    )
    for r in failed:
        print("FAILED " + r.line())
    if args.markdown:
        print("\n" + markdown(results))
    return 1 if failed or missing or not results else 0


if __name__ == "__main__":
    sys.exit(main())
