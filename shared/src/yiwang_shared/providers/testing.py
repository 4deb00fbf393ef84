"""For tests: a provider simulator as a real process, and a callback receiver on a real port.

    async with running_simulator("payment", merchants={"m1": "s1"}) as sim:   # sim.url
        async with CallbackReceiver(CallbackVerifier(...)) as receiver:      # receiver.url("/notify")
            ...
            await receiver.wait_for(lambda calls: len(calls) >= 2)

The simulators live in the checkout's `simulators/` (python -m simulators.<kind>); a test that uses
this runs from a checkout, as every test here does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import aiohttp
from aiohttp import web

from ..settings import REPO_ROOT
from .callbacks import CallbackVerifier
from .errors import CallbackRejected

__all__ = ["CallbackReceiver", "ReceivedCallback", "RunningSimulator", "free_port", "running_simulator"]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningSimulator:
    """A simulator process: its base URL, the settings it got, its SQLite file."""

    url: str
    env: dict[str, str]
    db_path: Path
    process: subprocess.Popen[bytes]


@contextlib.asynccontextmanager
async def running_simulator(
    kind: Literal["payment", "logistics"],
    *,
    merchants: Mapping[str, str],
    db_path: Path | None = None,
    port: int | None = None,
    settings: Mapping[str, str] | None = None,
    ready_timeout: float = 30.0,
) -> AsyncIterator[RunningSimulator]:
    """`python -m simulators.<kind>` on a free port (fast retries), stopped on exit; `settings` are
    its variables without the prefix (e.g. {"STEP_SECONDS": "0.2"})."""
    prefix = f"{kind.upper()}_SIM_"
    port = port or free_port()
    tmp = tempfile.TemporaryDirectory(prefix=f"{kind}-sim-")
    db = db_path or Path(tmp.name) / f"{kind}.db"
    values = {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DB": str(db),
        "MERCHANTS": ",".join(f"{k}:{v}" for k, v in merchants.items()),
        "RETRY_BASE_SECONDS": "0.2",
        "RETRY_MAX_SECONDS": "1",
        **(settings or {}),
    }
    env = {**os.environ, **{prefix + k: v for k, v in values.items()}}
    log_path = Path(tmp.name) / "sim.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"simulators.{kind}"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(url, proc, log_path, ready_timeout)
        yield RunningSimulator(url=url, env=env, db_path=db, process=proc)
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                await asyncio.to_thread(proc.wait, 10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                await asyncio.to_thread(proc.wait, 5)
        tmp.cleanup()


async def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"simulator exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(aiohttp.ClientError, OSError):
                async with session.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return
            if time.monotonic() > deadline:
                raise RuntimeError(f"simulator not ready in {timeout:.0f} s:\n{log.read_text()[-3000:]}")
            await asyncio.sleep(0.1)


@dataclass(frozen=True)
class ReceivedCallback:
    """One callback as it arrived: what we answered, and why we refused it if we did."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    rejected: str | None


@dataclass
class CallbackReceiver:
    """An HTTP server on a free port that verifies each callback with `verifier` and records it.

    It answers 401 to a callback that fails verification, else the next of `answers` (then 204):
    `answers=[500, 500]` makes the provider retry twice.
    """

    verifier: CallbackVerifier
    answers: list[int] = field(default_factory=list)
    calls: list[ReceivedCallback] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str = "/notify") -> str:
        """The URL of a path on this receiver (the notify URL to give the provider)."""
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def accepted(self) -> list[ReceivedCallback]:
        """The callbacks that passed verification and got a 2xx."""
        return [c for c in self.calls if c.rejected is None and 200 <= c.status < 300]

    async def __aenter__(self) -> CallbackReceiver:
        app = web.Application()
        app.router.add_route("POST", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self.port = self.port or free_port()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(
        self, condition: Callable[[list[ReceivedCallback]], bool], *, timeout: float = 15.0
    ) -> list[ReceivedCallback]:
        """Wait until `condition(calls)` holds (TimeoutError otherwise); the calls so far."""
        deadline = time.monotonic() + timeout
        while not condition(self.calls):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(
                    f"condition not met; calls so far: {[(c.status, c.rejected) for c in self.calls]}"
                )
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return list(self.calls)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        rejected: str | None = None
        try:
            await self.verifier.verify(
                method=request.method, path=request.path_qs, headers=request.headers, body=body
            )
            status = self.answers.pop(0) if self.answers else 204
        except CallbackRejected as exc:
            rejected, status = exc.reason, 401
        self.calls.append(ReceivedCallback(request.path_qs, dict(request.headers), body, status, rejected))
        self._changed.set()
        return web.Response(status=status)
