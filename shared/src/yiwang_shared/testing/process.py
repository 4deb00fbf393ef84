"""Another service as a real process, for tests that need a collaborator without importing it."""

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
from collections.abc import AsyncIterator, Mapping

import httpx

__all__ = ["free_port", "running_service"]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def running_service(
    package: str, settings: Mapping[str, str], *, ready_timeout: float = 60.0
) -> AsyncIterator[str]:
    """`python -m <package>` on a free port with `<PACKAGE>_<name>` settings; yields its base URL.

    Waits for /readyz; stops the process group on exit. The service's output goes to a temp file
    that is shown if it fails to start.
    """
    prefix = package.upper() + "_"
    port = free_port()
    env = {**os.environ, **{prefix + k.upper(): v for k, v in settings.items()}}
    env[prefix + "PORT"] = str(port)
    env[prefix + "HOST"] = "127.0.0.1"
    log = tempfile.NamedTemporaryFile(prefix=f"{package}-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", package], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{package} exited with {proc.returncode}:\n{_tail(log.name)}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(base + "/readyz")).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{package} not ready in {ready_timeout:.0f} s:\n{_tail(log.name)}")
                await asyncio.sleep(0.1)
        yield base
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
        log.close()
        with contextlib.suppress(OSError):
            os.unlink(log.name)


def _tail(path: str, chars: int = 3000) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()[-chars:]
