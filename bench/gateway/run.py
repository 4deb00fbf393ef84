"""Gateway overhead benchmark: direct backend vs nginx vs the yiwang gateway, side by side.

One run starts, on this machine:
  1. the backend: a FastAPI/uvicorn (uvloop + httptools) catalogue endpoint, `GET /v1/items/{code}`
     returning ~1 KB of JSON (bench/gateway/backend.py), one process;
  2. nginx as a plain reverse proxy to it (keepalive upstream), config in a temp dir, run as a child
     with `daemon off`; worker_processes = the gateway's process count;
  3. the gateway (`python -m gateway`) pointed at the same backend, requests carrying a valid RS256
     bearer token (so token verification is on the measured path) and the rate limit raised out
     of the way;
  4. a load generator (wrk if installed, else a built-in aiohttp one) with fixed connections and
     duration after a warm-up, against each target in turn; plus a 1-connection run for the
     unloaded per-hop latency;
  5. prints one table: requests/s, p50, p99, throughput ratio vs nginx, and added median latency of
     each proxy vs direct.

Every child process is stopped at the end (also on Ctrl-C). `--quick` runs 3 s per target.
`--candidates` also measures the engine prototypes under bench/gateway/candidates/ (ADR 0002);
`--servers` serves the gateway's own logic with uvicorn and granian too (bench/gateway/servers/).
All targets run side by side and are measured in interleaved rounds, so a burst of other load on
the machine hits them alike; CPU time per request of each proxy is read from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ITEM_PATH = "/v1/items/11010100001"
CANDIDATES = {
    "proto A: FastAPI + httpx": "fastapi_httpx.py",
    "proto B: raw ASGI/uvicorn + aiohttp client": "asgi_aiohttp.py",
    "proto C: aiohttp.web app + aiohttp client": "aiohttp_web.py",
    "proto D: aiohttp low-level server + client": "aiohttp_lowlevel.py",
    "proto E: aiohttp low-level server + lean client": "aiohttp_lean_client.py",
    "proto F: own httptools server + lean client": "raw_lean.py",
}


# ---------------------------------------------------------------------------------------- processes


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Children:
    """Every process this run starts; all are stopped at the end, whatever happens."""

    def __init__(self) -> None:
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(
        self,
        name: str,
        cmd: list[str],
        *,
        env: dict[str, str] | None = None,
        log: Path,
        cpu: int | None = None,
    ) -> subprocess.Popen[bytes]:
        """Start `cmd` in its own process group, output to `log` (pinned to `cpu` if given)."""
        fh = open(log, "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            cmd,
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            cwd=str(REPO),
            preexec_fn=_pin(cpu),
        )
        fh.close()
        self.procs.append((name, proc))
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        """Stop one child (and its process group: nginx workers, gateway workers)."""
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(8)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        else:
            # The leader is gone; make sure nothing of its group lingers.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        """Stop every child, newest first."""
        while self.procs:
            _, proc = self.procs.pop()
            self.stop(proc)


def _pin(cpu: int | None):  # type: ignore[no-untyped-def]
    """A preexec_fn pinning the child (and what it forks) to one CPU, or None."""
    if cpu is None:
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


LOADGEN_CPU: int | None = None


def wait_http(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    timeout: float = 20.0,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> None:
    """Wait until `url` answers 200; fail with the child's log if it died."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            text = log.read_text(errors="replace")[-3000:] if log else ""
            raise SystemExit(f"child exited ({proc.returncode}) before {url} answered:\n{text}")
        try:
            req = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(req, timeout=2) as resp:
                if resp.status == 200:
                    return
                last = str(resp.status)
        except urllib.error.HTTPError as exc:
            last = f"{exc.code} {exc.read()[:300]!r}"
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer 200 within {timeout}s (last: {last})")


# ---------------------------------------------------------------------------------------- token


def make_keys_and_token(tmp: Path) -> tuple[Path, str]:
    """An RSA key, its JWKS file (served by the backend as identity's JWKS) and a valid token."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "bench-1", "use": "sig", "alg": "RS256"})
    path = tmp / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    now = int(time.time())
    token = jwt.encode(
        {
            "sub": "p-bench-0001",
            "kind": "person",
            "roles": [],
            "loa": 3,
            "iss": "yiwang-identity",
            "aud": "yiwang",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "jti": "bench",
        },
        key,
        algorithm="RS256",
        headers={"kid": "bench-1"},
    )
    return path, token


# ---------------------------------------------------------------------------------------- nginx


def nginx_binary() -> str | None:
    """nginx on PATH or in /usr/sbin."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def nginx_conf(tmp: Path, *, port: int, backend_port: int, workers: int) -> Path:
    """A plain reverse proxy with a keepalive upstream, request ids and X-Forwarded-* like the gateway."""
    for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        (tmp / d).mkdir(exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""
worker_processes {workers};
error_log {tmp}/logs/error.log warn;
pid {tmp}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    keepalive_requests 100000;
    map $http_x_request_id $rid {{ default $http_x_request_id; "" $request_id; }}
    upstream backend {{
        server 127.0.0.1:{backend_port};
        keepalive 256;
    }}
    server {{
        listen 127.0.0.1:{port} reuseport;
        location /api/catalog/ {{
            proxy_pass http://backend/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Request-ID $rid;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_connect_timeout 10s;
            proxy_read_timeout 10s;
            add_header X-Request-ID $rid always;
        }}
    }}
}}
"""
    )
    return conf


# ---------------------------------------------------------------------------------------- load


@dataclass
class Result:
    """One load run's figures."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx: int
    low_p50_ms: float = float("nan")
    notes: list[str] = field(default_factory=list)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not m:
        return float("nan")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(out: str) -> Result:
    """Requests/s, p50, p99 and error counts from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    reqs = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2 = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = sum(int(x) for x in sock.groups()) if sock else 0
    return Result(rps, p50, p99, reqs, errors, int(non2.group(1)) if non2 else 0)


def run_wrk(url: str, headers: dict[str, str], *, connections: int, seconds: float, threads: int) -> Result:
    """One wrk run."""
    cmd = [
        "wrk",
        "-t",
        str(min(threads, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds:g}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(
        [*cmd, url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
        preexec_fn=_pin(LOADGEN_CPU),
    ).stdout
    return parse_wrk(out)


async def _aio_load(url: str, headers: dict[str, str], connections: int, seconds: float) -> Result:
    import aiohttp

    lat: list[float] = []
    errors = non2 = 0
    conn = aiohttp.TCPConnector(limit=connections, force_close=False)
    async with aiohttp.ClientSession(connector=conn, headers=headers) as session:
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal errors, non2
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                try:
                    async with session.get(url) as resp:
                        await resp.read()
                        if resp.status >= 400:
                            non2 += 1
                except aiohttp.ClientError:
                    errors += 1
                    continue
                lat.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - t0
    lat.sort()
    if not lat:
        return Result(0, float("nan"), float("nan"), 0, errors, non2)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return Result(len(lat) / elapsed, q[49] * 1000, q[98] * 1000, len(lat), errors, non2)


def run_aio(url: str, headers: dict[str, str], *, connections: int, seconds: float, threads: int) -> Result:
    """One run of the built-in aiohttp load generator (used when wrk is not installed)."""
    del threads
    return asyncio.run(_aio_load(url, headers, connections, seconds))


# ---------------------------------------------------------------------------------------- main


def fmt(x: float, nd: int = 2) -> str:
    """A number, or '-' for NaN."""
    return "-" if x != x else f"{x:.{nd}f}"


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds (user + system) used so far by every process in process group `pgid` (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid pgrp ... utime(14th field overall) stime(15th)
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


@dataclass
class Target:
    """One thing to measure: a URL, its headers, and the process group serving it."""

    name: str
    url: str
    headers: dict[str, str]
    cmd: list[str] | None = None
    env: dict[str, str] | None = None
    pgid: int | None = None
    rounds: list[Result] = field(default_factory=list)
    cpu_us: float = float("nan")
    backend_cpu_us: float = float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="3 s per target, one round")
    ap.add_argument("--duration", type=float, help="measured seconds per target (default 10)")
    ap.add_argument(
        "--rounds", type=int, help="split each target's time into this many interleaved rounds (default 2)"
    )
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--workers", type=int, default=1, help="gateway processes = nginx worker_processes")
    ap.add_argument("--loadgen", choices=("auto", "wrk", "aiohttp"), default="auto")
    ap.add_argument("--candidates", action="store_true", help="also measure the engine prototypes (ADR 0002)")
    ap.add_argument(
        "--servers",
        action="store_true",
        help="also serve the same gateway logic with uvicorn (httptools) and granian (ASGI, RSGI): "
        "servers/asgi_gateway.py (ADR 0002's server decision)",
    )
    ap.add_argument("--only", help="comma-separated target name prefixes (direct,nginx,gateway,proto A,...)")
    ap.add_argument(
        "--gateway-env", action="append", default=[], metavar="K=V", help="extra env for the gateway"
    )
    ap.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME:K=V[,K=V]",
        help="also measure a gateway started with this extra env, e.g. 'access log:GATEWAY_ACCESS_LOG=true'",
    )
    ap.add_argument(
        "--pin",
        action="store_true",
        help="pin the backend to CPU 0 and the proxy and the load generator to CPU 1 "
        "(less scheduler noise; the proxy then competes with wrk, not the backend)",
    )
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--keep-logs", action="store_true", help="keep the temp dir with child logs")
    opts = ap.parse_args()

    global LOADGEN_CPU
    pin = opts.pin and (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity")
    backend_cpu, proxy_cpu = (0, 1) if pin else (None, None)
    LOADGEN_CPU = 1 if pin else None
    seconds = opts.duration or (3.0 if opts.quick else 10.0)
    rounds = max(1, opts.rounds or (1 if opts.quick else 2))
    warmup = 1.0 if opts.quick else 2.0
    low_seconds = 2.0 if opts.quick else 3.0
    if opts.loadgen == "wrk" or (opts.loadgen == "auto" and shutil.which("wrk")):
        load, loadgen = run_wrk, "wrk (1 thread)"
    else:
        if opts.loadgen == "auto":
            print(
                "note: wrk not found (Debian: apt-get install -y wrk); "
                "using the built-in aiohttp load generator,\n"
                "      which is itself Python and takes much more CPU from the measured processes.\n"
            )
        load, loadgen = run_aio, "built-in aiohttp load generator"
    nginx = nginx_binary()
    if nginx is None:
        print(
            "nginx is not installed, so the reference proxy is skipped.\n"
            "  Install it with:  apt-get install -y nginx   (Debian/Ubuntu)\n"
        )

    py = str(Path(sys.executable))
    tmp = Path(tempfile.mkdtemp(prefix="yiwang-gw-bench-"))
    os.chmod(tmp, 0o755)  # nginx workers may run as another user
    children = Children()

    def on_signal(signum: int, _frame: object) -> None:
        children.stop_all()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    targets: list[Target] = []
    backend_pgid = 0
    try:
        jwks_file, token = make_keys_and_token(tmp)
        bport = free_port()
        benv = {**os.environ, "BENCH_JWKS_FILE": str(jwks_file), "PYTHONPATH": str(HERE)}
        blog = tmp / "backend.log"
        bproc = children.start(
            "backend",
            [
                py,
                "-m",
                "uvicorn",
                "backend:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(bport),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=benv,
            log=blog,
            cpu=backend_cpu,
        )
        backend_pgid = bproc.pid
        wait_http(f"http://127.0.0.1:{bport}/healthz", proc=bproc, log=blog)

        burl = f"http://127.0.0.1:{bport}"
        targets.append(Target("direct", f"{burl}{ITEM_PATH}", {}))
        if nginx:
            nport = free_port()
            conf = nginx_conf(tmp, port=nport, backend_port=bport, workers=opts.workers)
            targets.append(
                Target(
                    "nginx",
                    f"http://127.0.0.1:{nport}/api/catalog{ITEM_PATH}",
                    {},
                    [nginx, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                )
            )
        gport = free_port()
        genv = {
            **os.environ,
            **{
                f"GATEWAY_{s.upper()}_URL": burl
                for s in ("identity", "catalog", "intake", "hotline", "evaluation")
            },
            "GATEWAY_JWKS_URL": f"{burl}/v1/auth/jwks",
            "GATEWAY_PORT": str(gport),
            "GATEWAY_WORKERS": str(opts.workers),
            "GATEWAY_RATE_LIMIT_PER_SECOND": "1000000000",
            "GATEWAY_RATE_LIMIT_BURST": "1000000000",
        }
        for kv in opts.gateway_env:
            k, _, v = kv.partition("=")
            genv[k] = v
        targets.append(
            Target(
                "gateway",
                f"http://127.0.0.1:{gport}/api/catalog{ITEM_PATH}",
                {"Authorization": f"Bearer {token}"},
                [py, "-m", "gateway"],
                genv,
            )
        )
        for variant in opts.variant:
            vname, _, kvs = variant.partition(":")
            vport = free_port()
            venv = {**genv, "GATEWAY_PORT": str(vport)}
            for kv in filter(None, kvs.split(",")):
                k, _, v = kv.partition("=")
                venv[k] = v
            targets.append(
                Target(
                    f"gateway ({vname})",
                    f"http://127.0.0.1:{vport}/api/catalog{ITEM_PATH}",
                    {"Authorization": f"Bearer {token}"},
                    [py, "-m", "gateway"],
                    venv,
                )
            )
        if opts.servers:
            script = str(HERE / "servers" / "asgi_gateway.py")
            for server in ("uvicorn", "granian", "granian-rsgi"):
                sport = free_port()
                targets.append(
                    Target(
                        f"gateway logic on {server}",
                        f"http://127.0.0.1:{sport}/api/catalog{ITEM_PATH}",
                        {"Authorization": f"Bearer {token}"},
                        [py, script, "--server", server, "--port", str(sport)],
                        {**genv, "PYTHONPATH": str(HERE / "servers")},
                    )
                )
        if opts.candidates:
            for name, script in CANDIDATES.items():
                cport = free_port()
                targets.append(
                    Target(
                        name,
                        f"http://127.0.0.1:{cport}/api/catalog{ITEM_PATH}",
                        {},
                        [py, str(HERE / "candidates" / script), "--port", str(cport), "--upstream", burl],
                        {**os.environ, "PYTHONPATH": str(HERE / "candidates")},
                    )
                )
        if opts.only:
            wanted = [w.strip() for w in opts.only.split(",")]
            targets = [t for t in targets if any(t.name.startswith(w) for w in wanted)]

        for t in targets:
            if t.cmd is not None:
                log = tmp / (re.sub(r"\W+", "_", t.name) + ".log")
                proc = children.start(t.name, t.cmd, env=t.env, log=log, cpu=proxy_cpu)
                t.pgid = proc.pid
                wait_http(t.url, headers=t.headers, proc=proc, log=log)

        print(
            f"machine: {os.cpu_count()} cores shared by the load generator, the proxy and the backend; "
            "figures are relative, not capacity"
        )
        print(
            f"load: {loadgen}, {opts.connections} connections, {seconds:g} s per target in {rounds} "
            f"interleaved round(s) after a {warmup:g} s warm-up; "
            f"then 1 connection for {low_seconds:g} s (unloaded latency)"
        )
        if pin:
            print("pinned: backend on CPU 0; proxy and load generator on CPU 1")
        print(
            f"fairness: nginx worker_processes = gateway workers = {opts.workers}; "
            "backend = 1 uvicorn process; "
            "gateway requests carry an RS256 bearer token (verified, then cached)\n"
        )

        for t in targets:
            load(t.url, t.headers, connections=opts.connections, seconds=warmup, threads=1)
        cpu = {t.name: 0.0 for t in targets}
        bcpu = {t.name: 0.0 for t in targets}
        for r in range(rounds):
            for t in targets:
                print(f"  round {r + 1}/{rounds}  {t.name:<44}", end="", flush=True)
                c0 = group_cpu_seconds(t.pgid) if t.pgid else 0.0
                b0 = group_cpu_seconds(backend_pgid)
                res = load(
                    t.url, t.headers, connections=opts.connections, seconds=seconds / rounds, threads=1
                )
                cpu[t.name] += (group_cpu_seconds(t.pgid) if t.pgid else 0.0) - c0
                bcpu[t.name] += group_cpu_seconds(backend_pgid) - b0
                t.rounds.append(res)
                bad = (
                    f"  ({res.non_2xx} non-2xx, {res.errors} socket errors!)"
                    if res.non_2xx or res.errors
                    else ""
                )
                print(f" {res.rps:9.0f} req/s{bad}")
        for t in targets:
            t.rounds[0].low_p50_ms = load(
                t.url, t.headers, connections=1, seconds=low_seconds, threads=1
            ).p50_ms
            n = sum(x.requests for x in t.rounds)
            if n:
                t.cpu_us = cpu[t.name] / n * 1e6 if t.pgid else float("nan")
                t.backend_cpu_us = bcpu[t.name] / n * 1e6
    finally:
        children.stop_all()
        if opts.keep_logs:
            print(f"\nlogs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    summary: dict[str, dict[str, float]] = {}
    for t in targets:
        rs = t.rounds
        summary[t.name] = {
            "rps": sum(x.requests for x in rs) / sum(x.requests / x.rps for x in rs if x.rps)
            if rs
            else float("nan"),
            "p50_ms": statistics.median(x.p50_ms for x in rs),
            "p99_ms": statistics.median(x.p99_ms for x in rs),
            "low_p50_ms": rs[0].low_p50_ms,
            "proxy_cpu_us_per_req": t.cpu_us,
            "backend_cpu_us_per_req": t.backend_cpu_us,
            "non_2xx": sum(x.non_2xx for x in rs),
            "socket_errors": sum(x.errors for x in rs),
        }
    direct = summary.get("direct")
    ref = summary.get("nginx")
    print()
    head = (
        f"{'target':<44} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'x nginx':>7} {'+p50 ms':>7} "
        f"{'1c p50':>7} {'+1c ms':>7} {'cpu us/req':>10}"
    )
    print(head)
    print("-" * len(head))
    for name, r in summary.items():
        ratio = r["rps"] / ref["rps"] if ref else float("nan")
        added = r["p50_ms"] - direct["p50_ms"] if direct and name != "direct" else float("nan")
        added_low = r["low_p50_ms"] - direct["low_p50_ms"] if direct and name != "direct" else float("nan")
        r["x_nginx"], r["added_p50_ms"], r["added_low_p50_ms"] = ratio, added, added_low
        print(
            f"{name:<44} {r['rps']:8.0f} {fmt(r['p50_ms']):>7} {fmt(r['p99_ms']):>7} {fmt(ratio):>7} "
            f"{fmt(added):>7} {fmt(r['low_p50_ms'], 3):>7} {fmt(added_low, 3):>7} "
            f"{fmt(r['proxy_cpu_us_per_req'], 0):>10}"
        )
    print(
        "\nx nginx = throughput / nginx's;  "
        f"+p50 = median latency added vs direct at {opts.connections} connections;\n"
        "1c = one connection, no queueing (the per-hop cost);  "
        "cpu us/req = CPU time of the proxy's processes\n"
        "per request (the backend's own CPU is not included)."
    )
    print(
        f"Only {os.cpu_count()} cores run wrk, the proxy and the backend together: "
        "a proxy's CPU comes out of the "
        "backend's share, so read these as relative figures."
    )
    if "gateway" in summary and ref and direct:
        g = summary["gateway"]
        ok_rps = g["rps"] >= 0.9 * ref["rps"]
        ok_lat = g["added_p50_ms"] <= 1.0
        print(
            f"gateway: {g['rps'] / ref['rps']:.2f} x nginx throughput "
            f"(target >= 0.90: {'met' if ok_rps else 'MISSED'}); "
            f"{g['added_p50_ms']:+.2f} ms median vs direct (target <= 1 ms: {'met' if ok_lat else 'MISSED'})"
        )
    if opts.json:
        opts.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
