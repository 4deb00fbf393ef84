"""Helpers for identity-svc tests: valid synthetic numbers, registering and logging in."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt

from identity.config import Settings
from identity.demo import demo_resident_id, demo_uscc
from identity.services.bootstrap import bootstrap_admin
from yiwang_shared.validators import USCC_ALPHABET

PASSWORD = "Passw0rd!x"
_seq = itertools.count(1)


def new_resident_id() -> str:
    """A resident ID that passes GB 11643 and is unique in this test run."""
    n = next(_seq)
    birth = f"19{random.randint(50, 99)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    return demo_resident_id(birth, f"{n % 1000:03d}", region=f"1101{(n // 1000) % 100:02d}")


def new_phone() -> str:
    """A mainland mobile number unique in this test run."""
    return f"139{next(_seq):08d}"


def new_uscc() -> str:
    """A USCC that passes GB 32100 and is unique in this test run."""
    n = next(_seq)
    digits = "".join(USCC_ALPHABET[(n // 31**i) % 31] for i in range(4))
    return demo_uscc("MA" + f"{n % 100:02d}" + digits)


def claims(token: str) -> dict[str, Any]:
    """The claims of a token, unverified (the app verifies; tests look)."""
    return jwt.decode(token, options={"verify_signature": False})


@dataclass
class Actor:
    """A logged-in account."""

    id: str
    access_token: str
    refresh_token: str | None = None
    resident_id: str | None = None
    phone: str | None = None
    username: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        """The Authorization header."""
        return {"Authorization": f"Bearer {self.access_token}"}


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    """Log in; asserts success; the token response."""
    resp = await client.post("/v1/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def register_person(client: httpx.AsyncClient, name: str = "张三", **fields: Any) -> Actor:
    """Register a person (resident ID unless a passport is given) and log them in."""
    body: dict[str, Any] = {"name": name, "phone": new_phone(), "password": PASSWORD}
    if "passport_number" not in fields:
        body["resident_id"] = new_resident_id()
    body.update(fields)
    resp = await client.post("/v1/persons", json=body)
    assert resp.status_code == 201, resp.text
    tokens = await login(client, body["phone"])
    return Actor(
        id=resp.json()["id"],
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        resident_id=body.get("resident_id"),
        phone=body["phone"],
    )


async def make_admin(client: httpx.AsyncClient, settings: Settings, username: str = "root") -> Actor:
    """Create an administrator through the bootstrap function and log in."""
    admin_id = await bootstrap_admin(
        settings.resolved_database_url(),
        username=username,
        name="管理员",
        password=PASSWORD,
        unit_code="110105",
        unit_name="北京市朝阳区",
        settings=settings,
    )
    assert admin_id is not None
    tokens = await login(client, username)
    return Actor(id=admin_id, access_token=tokens["access_token"], username=username)


async def district_id(client: httpx.AsyncClient) -> str:
    """The id of the district unit the bootstrap created."""
    resp = await client.get("/v1/org-units/110105")
    assert resp.status_code == 200, resp.text
    return resp.json()["id"]  # type: ignore[no-any-return]


async def create_staff(
    client: httpx.AsyncClient, admin: Actor, username: str, roles: list[str], unit_id: str | None = None
) -> Actor:
    """Create a staff account as `admin` and log it in."""
    resp = await client.post(
        "/v1/staff",
        headers=admin.headers,
        json={
            "username": username,
            "name": "工作人员" + username,
            "org_unit_id": unit_id or await district_id(client),
            "roles": roles,
            "password": PASSWORD,
        },
    )
    assert resp.status_code == 201, resp.text
    tokens = await login(client, username)
    return Actor(id=resp.json()["id"], access_token=tokens["access_token"], username=username)


def problem(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert `resp` is a problem+json with this status (and code); its body."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers
    body: dict[str, Any] = resp.json()
    if code is not None:
        assert body["code"] == code, body
    return body


async def verify_enterprise(client: httpx.AsyncClient, reviewer: Actor, enterprise_id: str) -> dict[str, Any]:
    """A window clerk (or admin) verifies a pending enterprise claim; asserts success."""
    resp = await client.post(
        f"/v1/enterprises/{enterprise_id}/verify",
        headers=reviewer.headers,
        json={"business_licence_checked": True, "representative_id_checked": True},
    )
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def verified_enterprise(
    client: httpx.AsyncClient, rep: Actor, reviewer: Actor, name: str = "示例公司"
) -> dict[str, Any]:
    """An enterprise claimed by `rep` and verified at a window by `reviewer`."""
    resp = await client.post("/v1/enterprises", headers=rep.headers, json={"name": name, "uscc": new_uscc()})
    assert resp.status_code == 201, resp.text
    return await verify_enterprise(client, reviewer, resp.json()["id"])
