"""CPU per GET of the HTTP clients a service could call another service with (ADR 0011).

One process serves a fixed JSON answer on a keep-alive connection (asyncio + uvloop, as small as a
server gets, so the client's share is what is measured); in this process each client makes `--n`
GETs of the shape intake sends identity-svc on a window's submission (a bearer token, a Chinese
query parameter, the JSON body read), one at a time, and the process's own CPU (RUSAGE_SELF) is
divided by the count. The clients take turns `--rounds` times, so a busy moment hits both.

    .venv/bin/python bench/http_client/run.py [--n 3000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import socket
import statistics
import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpx
import uvloop
from yarl import URL

BODY = '{"id":"p1","name":"张三","phone":"13800000000"}'.encode()
ANSWER = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(BODY) + BODY
PARAMS = {"reason": "窗口代为申请事项（事项编码 SCJ-0001），用于办件登记和短信通知"}
HEADERS = {"Authorization": "Bearer " + "x" * 600, "Accept-Language": "zh-CN"}


def serve(port: int) -> None:
    """A keep-alive HTTP/1.1 server answering every request with ANSWER."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pending = b""
        while True:
            while b"\r\n\r\n" not in pending:
                chunk = await reader.read(65536)
                if not chunk:
                    writer.close()
                    return
                pending += chunk
            pending = pending.split(b"\r\n\r\n", 1)[1]
            writer.write(ANSWER)

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    uvloop.run(main())


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def per_get(get: Callable[[], Awaitable[None]], n: int) -> float:
    """Milliseconds of this process's CPU per GET."""
    for _ in range(min(200, n)):
        await get()
    start = cpu()
    for _ in range(n):
        await get()
    return 1000 * (cpu() - start) / n


async def measure(port: int, n: int, rounds: int) -> dict[str, list[float]]:
    url = f"http://127.0.0.1:{port}/v1/persons/p1/contact"
    results: dict[str, list[float]] = {"httpx": [], "aiohttp": []}
    async with httpx.AsyncClient(timeout=5) as hx, aiohttp.ClientSession(trust_env=False) as ah:

        async def with_httpx() -> None:
            (await hx.get(url, params=PARAMS, headers=HEADERS)).json()

        target = URL(url, encoded=True).with_query(PARAMS)
        timeout = aiohttp.ClientTimeout(total=5)

        async def with_aiohttp() -> None:
            async with ah.get(target, headers=HEADERS, timeout=timeout) as resp:
                await resp.json()

        for _ in range(rounds):
            results["httpx"].append(await per_get(with_httpx, n))
            results["aiohttp"].append(await per_get(with_aiohttp, n))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = multiprocessing.Process(target=serve, args=(port,), daemon=True)
    server.start()
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        results = uvloop.run(measure(port, args.n, args.rounds))
    finally:
        server.terminate()
    print(f"CPU per GET in the calling process, {args.n} GETs × {args.rounds} rounds (median, all rounds)")
    print("| client | ms CPU per GET | rounds |")
    print("| --- | --- | --- |")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values):.3f} | {', '.join(f'{v:.3f}' for v in values)} |")
    ratio = statistics.median(results["httpx"]) / statistics.median(results["aiohttp"])
    print(f"httpx costs {ratio:.1f}× aiohttp's CPU per call")


if __name__ == "__main__":
    main()
