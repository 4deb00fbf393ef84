"""Helpers for the end-to-end tests: valid identity numbers and common calls."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx

PASSWORD = "Passw0rd-e2e"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id(rng: random.Random | None = None) -> str:
    """A random resident ID with a correct GB 11643 check digit."""
    rng = rng or random.Random()
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
    body = "110105" + born.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return body + check


def uscc(rng: random.Random | None = None) -> str:
    """A random unified social credit code with a correct GB 32100 check character."""
    rng = rng or random.Random()
    body = "91110105" + "".join(rng.choice(_USCC_ALPHABET) for _ in range(9))
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


def mobile(rng: random.Random | None = None) -> str:
    """A random mainland mobile number."""
    rng = rng or random.Random()
    return "139" + f"{rng.randrange(0, 10**8):08d}"


def wrong_check_digit(rid: str) -> str:
    """The same ID with a wrong check digit."""
    digits = "0123456789X"
    return rid[:17] + digits[(digits.index(rid[17]) + 1) % len(digits)]


async def register(gw: httpx.AsyncClient, name: str = "张三") -> dict[str, str]:
    """Register a citizen through the gateway; returns its id, resident ID and phone."""
    rid, phone = resident_id(), mobile()
    resp = await gw.post(
        "/api/identity/v1/persons",
        json={"name": name, "resident_id": rid, "phone": phone, "password": PASSWORD},
    )
    assert resp.status_code == 201, resp.text
    return {"id": resp.json()["id"], "resident_id": rid, "phone": phone}


async def login(gw: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in; returns the token response."""
    resp = await gw.post("/api/identity/v1/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


#: The demo accounts' password (identity.demo).
DEMO_PASSWORD = "Demo#2026"


async def verify_enterprise(gw: httpx.AsyncClient, enterprise_id: str) -> dict[str, object]:
    """The demo window clerk verifies an enterprise claim, as after seeing the licence and the
    representative's ID at the window; returns the verified enterprise."""
    clerk = await login(gw, "clerk", DEMO_PASSWORD)
    resp = await gw.post(
        f"/api/identity/v1/enterprises/{enterprise_id}/verify",
        json={"business_licence_checked": True, "representative_id_checked": True},
        headers=bearer(clerk["access_token"]),
    )
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def bearer(token: str) -> dict[str, str]:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


def assert_problem(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, object]:
    """The response is a problem+json with this status (and code)."""
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers
    body = dict(resp.json())
    assert body["status"] == status and body["detail"] and body["code"]
    if code is not None:
        assert body["code"] == code, body
    return body


async def demo_item(
    gw: httpx.AsyncClient,
    name: str,
    *,
    unit: str | None = None,
    ready: Callable[[dict[str, Any]], bool] = lambda _item: True,
    timeout: float = 60,
) -> dict[str, Any]:
    """The demo item called `name` (of `unit`) as intake has it, once it reached intake over NATS
    and `ready(item)` holds (the version with what the test needs)."""
    deadline = time.monotonic() + timeout
    while True:
        offset = 0
        while True:
            page = (
                await gw.get("/api/intake/v1/catalog-items", params={"limit": 200, "offset": offset})
            ).json()
            for item in page["items"]:
                if item["name"] == name and unit in (None, item["owner_unit_code"]):
                    full = dict((await gw.get(f"/api/intake/v1/catalog-items/{item['code']}")).json())
                    if ready(full):
                        return full
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                break
        assert time.monotonic() < deadline, f"{name} never reached intake-svc as the test needs it"
        await asyncio.sleep(0.5)
