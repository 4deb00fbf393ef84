"""`python -m gateway` starts from GATEWAY_* settings, answers, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from .conftest import Upstreams
from .upstreams import free_port


def _wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(url)


def _run(upstreams: Upstreams, workers: int) -> None:
    port = free_port()
    env = {
        **os.environ,
        **{f"GATEWAY_{k.upper()}": v for k, v in upstreams.urls().items()},
        "GATEWAY_PORT": str(port),
        "GATEWAY_WORKERS": str(workers),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_ready(f"http://127.0.0.1:{port}/healthz", proc)
        r = httpx.get(f"http://127.0.0.1:{port}/api/catalog/echo/main?a=1")
        assert r.status_code == 200
        assert r.json()["query"] == "a=1"
        r = httpx.get(f"http://127.0.0.1:{port}/api/nosuch/x")
        assert r.status_code == 404
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out.decode()
    lines = out.decode().splitlines()
    assert any('"msg":"gateway listening on' in line for line in lines), out.decode()


def test_python_m_gateway(upstreams: Upstreams) -> None:
    _run(upstreams, workers=1)


def test_python_m_gateway_with_workers(upstreams: Upstreams) -> None:
    _run(upstreams, workers=2)
