"""Process entry point: uvloop, signals, and optional SO_REUSEPORT worker processes.

With `workers` > 1 the parent forks that many workers; each binds the same port with
SO_REUSEPORT and the kernel spreads connections among them. The parent restarts a worker that
dies and stops them all on SIGTERM/SIGINT. Each worker keeps its own rate-limit buckets, token
cache and metrics (see the README).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
import time

import uvloop

from yiwang_shared.logging import configure_logging

from .app import Gateway
from .config import GatewaySettings

__all__ = ["main", "serve"]

log = logging.getLogger("gateway")


async def serve(settings: GatewaySettings, *, reuse_port: bool = False) -> None:
    """Run one gateway process until SIGTERM/SIGINT."""
    gateway = Gateway(settings)
    await gateway.start(reuse_port=reuse_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # Everything allocated so far lives for the process: keep it out of the GC's generations.
    gc.collect()
    gc.freeze()
    log.info(
        "gateway listening on %s:%d (pid %d)",
        settings.host,
        gateway.port,
        os.getpid(),
        extra={"services": gateway.urls},
    )
    await stop.wait()
    log.info("gateway stopping (pid %d)", os.getpid())
    await gateway.stop()


def _run_worker(settings: GatewaySettings, reuse_port: bool) -> None:
    uvloop.run(serve(settings, reuse_port=reuse_port))


def _supervise(settings: GatewaySettings) -> int:
    children: dict[int, int] = {}
    stopping = False

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_DFL)
            try:
                _run_worker(settings, True)
            finally:
                os._exit(0)
        children[pid] = slot

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    for slot in range(settings.workers):
        spawn(slot)
    log.info("gateway supervisor (pid %d) started %d workers", os.getpid(), settings.workers)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        slot = children.pop(pid, -1)
        if slot >= 0 and not stopping:
            log.error("gateway worker %d exited (status %d); starting another", pid, status)
            time.sleep(0.5)
            spawn(slot)
    return 0


def main() -> None:
    """Start the gateway from GATEWAY_* settings."""
    settings = GatewaySettings()
    configure_logging("gateway", level=settings.log_level, json_logs=settings.log_json)
    if settings.workers <= 1:
        _run_worker(settings, False)
        return
    sys.exit(_supervise(settings))


if __name__ == "__main__":
    main()
