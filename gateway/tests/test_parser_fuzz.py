"""The gateway's own HTTP/1.1 parser under mutated input (ADR 0002 keeps our server, so it is fuzzed
in CI): every answer is a well-formed HTTP/1.1 response — a 4xx for what is malformed, never a 500
—, no connection hangs, and the server keeps answering valid requests.

Seeded mutations of valid requests (bytes flipped, inserted, deleted, duplicated; framing numbers
made huge or negative; line ends and control bytes where they do not belong). FUZZ_SEED and
FUZZ_CASES change the run; a failure names the seed and the case to replay it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import re

import pytest

from .conftest import Running

SEED = int(os.environ.get("FUZZ_SEED", "20261203"))
CASES = int(os.environ.get("FUZZ_CASES", "600"))

CORPUS = [
    b"GET /api/catalog/echo/a?x=1&y=%E4%B8%AD HTTP/1.1\r\nhost: x\r\naccept: */*\r\n\r\n",
    b"POST /api/intake/echo/b HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
    b'content-length: 13\r\n\r\n{"a": "\xe4\xb8\xad"}x',
    b"POST /api/intake/echo/c HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n"
    b"5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\ntrailer: t\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\nGET /api/hotline/echo/d HTTP/1.1\r\nhost: x\r\n\r\n",
    b"PUT /api/intake/echo/e HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 2\r\n\r\nok",
    b"GET /api/catalog/echo/f HTTP/1.0\r\nconnection: keep-alive\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nhost: x\r\n\r\n",
    b"GET http://x/api/catalog/echo/g HTTP/1.1\r\nhost: x\r\nauthorization: Bearer abc.def.ghi\r\n\r\n",
]
NASTY = [
    b"\r\n",
    b"\n",
    b"\r",
    b"\x00",
    b" ",
    b"\t",
    b":",
    b";",
    b"#",
    b"%",
    b"\xff",
    b"\xe4\xb8",
    b"\x7f",
    b"\r\n\r\n",
    b"transfer-encoding: chunked\r\n",
    b"content-length: 5\r\n",
    b"content-length: -1\r\n",
    b"content-length: 99999999999999999999\r\n",
    b"ffffffffffffffff\r\n",
    b"HTTP/1.1",
    b"HTTP/9.9",
]
STATUS_LINE = re.compile(rb"HTTP/1\.1 (\d{3}) ")


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four random edits of `data`."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        at = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            buf[min(at, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:
            buf[at:at] = rng.choice(NASTY)
        elif op == 2 and buf:
            del buf[at : at + rng.randint(1, 16)]
        elif op == 3:
            end = min(len(buf), at + rng.randint(1, 64))
            buf[at:at] = buf[at:end] * rng.randint(1, 3)
        elif op == 4:
            buf[:] = re.sub(
                rb"\d+",
                lambda m: str(rng.choice([0, -1, 10**20, 2**63, 65536])).encode(),
                bytes(buf),
                count=1,
            )
        else:
            buf[:] = buf[:at]  # truncated
    return bytes(buf)


async def _exchange(port: int, data: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        writer.write_eof()  # nothing more comes: an incomplete request must not hold the line
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()


async def test_mutated_requests_get_well_formed_answers_and_never_a_500(
    gw: Running, caplog: pytest.LogCaptureFixture
) -> None:
    rng = random.Random(SEED)
    port = gw.gateway.port
    statuses: dict[int, int] = {}
    with caplog.at_level(logging.ERROR):
        for case in range(CASES):
            data = mutate(rng, rng.choice(CORPUS))
            where = f"FUZZ_SEED={SEED} case {case}: {data!r}"
            try:
                out = await _exchange(port, data)
            except TimeoutError:
                pytest.fail(f"no answer and no close within 5 s — {where}")
            except ConnectionResetError:
                out = b""  # refused mid-request: the server may reset a connection it gave up on
            answers = STATUS_LINE.findall(out)
            assert out == b"" or out.startswith(b"HTTP/1.1 "), f"not an HTTP answer: {out[:80]!r} — {where}"
            for status in answers:
                code = int(status)
                statuses[code] = statuses.get(code, 0) + 1
                assert code != 500 and code < 600, f"{code} — {where}"
            if case % 100 == 99:
                alive = await _exchange(
                    port, b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
                )
                assert alive.startswith(b"HTTP/1.1 200"), f"server stopped answering after {where}"
    crashed = [r.getMessage() for r in caplog.records if r.name.startswith("gateway")]
    assert crashed == [], f"unhandled errors (FUZZ_SEED={SEED}): {crashed[:3]}"
    # The mutations reach both outcomes: requests still valid and requests refused as malformed.
    assert statuses.get(200, 0) > 0 and sum(n for s, n in statuses.items() if 400 <= s < 500) > 0, statuses
