"""Helpers for intake-svc tests: the running service with a settable clock, org units and
catalogue items in the read models (as identity's and catalog's events would put them), the
people in the tests — real accounts in a real identity-svc (`Directory`), which intake asks for
an applicant's name and mobile — and tokens for them."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from intake.services.catalogue import record_published
from intake.services.orgs import upsert_org_unit
from yiwang_shared.db import Database
from yiwang_shared.testing.tokens import TestTokens
from yiwang_shared.validators import resident_id_check_char

SHANGHAI = ZoneInfo("Asia/Shanghai")
DISTRICT = "110105"

# (code, name, kind, level, parent code)
UNITS: list[tuple[str, str, str, int, str | None]] = [
    (DISTRICT, "北京市朝阳区", "district", 4, None),
    (f"{DISTRICT}-ZWFW", "区政务服务中心", "service_centre", 4, DISTRICT),
    (f"{DISTRICT}-ZWFW-W01", "综合受理窗口1", "window", 4, f"{DISTRICT}-ZWFW"),
    (f"{DISTRICT}-MZJ", "区民政局", "department", 4, DISTRICT),
    (f"{DISTRICT}-SCJGJ", "区市场监管局", "department", 4, DISTRICT),
    (f"{DISTRICT}-ZWGLJ", "区政务服务管理局", "department", 4, DISTRICT),
    (f"{DISTRICT}001", "朝外街道", "street", 5, DISTRICT),
    (f"{DISTRICT}001-FWZX", "朝外街道政务服务中心", "service_centre", 5, f"{DISTRICT}001"),
    (f"{DISTRICT}002", "建外街道", "street", 5, DISTRICT),
    (f"{DISTRICT}002-FWZX", "建外街道政务服务中心", "service_centre", 5, f"{DISTRICT}002"),
    (f"{DISTRICT}001001", "吉祥里社区", "community", 6, f"{DISTRICT}001"),
    (f"{DISTRICT}001001-FWZ", "吉祥里社区服务站", "station", 6, f"{DISTRICT}001001"),
]


def unit_id(code: str) -> str:
    """A stable org unit id for a code (as identity would have)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "unit:" + code))


def at(day: str, hour: int = 10) -> datetime:
    """A Beijing-time instant on `day` (YYYY-MM-DD) at `hour`, as aware UTC."""
    local = datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)
    return local.astimezone(UTC)


@dataclass
class Clock:
    """The service clock tests move."""

    now: datetime = field(default_factory=lambda: at("2026-09-21"))

    def __call__(self) -> datetime:
        return self.now

    def set(self, day: str, hour: int = 10) -> None:
        """Move to `day` at `hour` (Beijing time)."""
        self.now = at(day, hour)


def material(
    name: str,
    *,
    originals: int = 1,
    copies: int = 0,
    media: tuple[str, ...] = ("original",),
    condition: str | None = None,
    exempt: bool = False,
    notes: str | None = None,
) -> dict[str, Any]:
    """A material element."""
    return {
        "name": name,
        "source": "申请人",
        "originals": originals,
        "copies": copies,
        "media": list(media),
        "requirement": "conditional" if condition else "required",
        "condition": condition,
        "exempt": exempt,
        "exempt_source": "电子证照库" if exempt else None,
        "notes": notes,
    }


def elements(
    name: str = "食品经营许可（仅销售预包装食品备案）",
    unit: str = f"{DISTRICT}-SCJGJ",
    *,
    handling_type: str = "2",
    promised: int = 10,
    legal: int = 20,
    materials: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An element document as catalog.item.published.v1 carries it."""
    doc: dict[str, Any] = {
        "name": name,
        "item_type": "01",
        "implementing_unit": {"code": unit, "name": dict((u[0], u[1]) for u in UNITS)[unit]},
        "level": 4,
        "handling_type": handling_type,
        "legal_limit": {"value": legal, "unit": "working_day"},
        "promised_limit": {"value": promised, "unit": "working_day"},
        "materials": materials
        if materials is not None
        else [
            material("申请书"),
            material("营业执照", originals=1, copies=1, media=("original", "copy")),
            material("居民身份证", exempt=True),
            material("场所使用证明", condition="租赁场所的"),
            material("健康证明", notes="可容缺，受理后5个工作日内补齐"),
        ],
        "result": {"name": "食品经营许可证"},
        "appointment_supported": True,
    }
    doc.update(extra)
    return doc


def complete_materials() -> list[dict[str, Any]]:
    """Everything the default item asks for (without conditions)."""
    return [
        {"name": "申请书", "media": ["original"], "originals": 1},
        {"name": "营业执照", "media": ["original", "copy"], "originals": 1, "copies": 1},
        {"name": "健康证明", "media": ["original"], "originals": 1},
    ]


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 thumbprint of an RSA key: the kid identity-svc gives the key it signs with."""

    def b64(n: int) -> str:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    numbers = public_key.public_numbers()
    canonical = json.dumps({"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def resident_id(rng: random.Random) -> str:
    """A random resident ID with a correct check digit."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 50 * 365))
    body = "110105" + born.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return body + resident_id_check_char(body)


PASSWORD = "Secret#2026x"


class Directory:
    """The test session's real identity-svc (its own process and database, signing with the test
    key, so the tests' tokens are its tokens): persons and staff accounts to act as.

    Staff accounts are pooled per (role, unit): the n-th staff member of a kind a test asks for is
    the same account in every test (each test has its own intake database)."""

    def __init__(self, base_url: str, tokens: TestTokens) -> None:
        self.base_url = base_url
        self.tokens = tokens
        # Synchronous: an Env is built inside a running test, and identity is another process.
        self.http = httpx.Client(base_url=base_url, timeout=15)
        self._rng = random.Random()
        self._staff: dict[tuple[str, str, int], str] = {}
        self._persons: dict[tuple[str, str], str] = {}
        admin = {
            "Authorization": "Bearer " + tokens.token(kind="staff", roles=["admin"], subject="bootstrap")
        }
        unit = self.http.post(
            "/v1/org-units",
            headers=admin,
            json={"code": DISTRICT, "name": "北京市朝阳区", "kind": "district"},
        )
        assert unit.status_code == 201, unit.text
        self.unit_id = unit.json()["id"]
        self._admin = admin

    def staff_id(self, role: str, unit_code: str, n: int) -> str:
        """The account id of the n-th staff member with `role` (created on first use)."""
        key = (role, unit_code, n)
        if key not in self._staff:
            username = f"{role.replace('_', '')}{len(self._staff)}x{self._rng.randrange(10**6)}"
            resp = self.http.post(
                "/v1/staff",
                headers=self._admin,
                json={
                    "username": username,
                    "name": f"测试{len(self._staff)}号",
                    "org_unit_id": self.unit_id,
                    "roles": [role],
                    "password": PASSWORD,
                },
            )
            assert resp.status_code == 201, resp.text
            self._staff[key] = resp.json()["id"]
        return self._staff[key]

    def person(self, name: str = "张伟", phone: str | None = None) -> tuple[str, str]:
        """A registered person (the same one for the same name and phone): (id, phone)."""
        phone = phone or "137" + f"{self._rng.randrange(10**8):08d}"
        key = (name, phone)
        if key not in self._persons:
            resp = self.http.post(
                "/v1/persons",
                json={
                    "name": name,
                    "phone": phone,
                    "password": PASSWORD,
                    "resident_id": resident_id(self._rng),
                },
            )
            assert resp.status_code == 201, resp.text
            self._persons[key] = resp.json()["id"]
        return self._persons[key], phone

    def close(self) -> None:
        """Close the client."""
        self.http.close()


class Env:
    """The running service, its database, clock and the people in the tests."""

    def __init__(
        self, app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, clock: Clock, directory: Directory
    ) -> None:
        self.app = app
        self.client = client
        self.db: Database = app.state.db
        self.tokens = tokens
        self.clock = clock
        self.directory = directory
        self._asked: dict[tuple[str, str], int] = {}
        self.clerk = self.staff("window_clerk", f"{DISTRICT}-ZWFW-W01")
        self.approver = self.staff("approver", f"{DISTRICT}-SCJGJ")
        self.supervisor = self.staff("supervisor", f"{DISTRICT}-ZWGLJ")
        self.admin = self.staff("admin", f"{DISTRICT}-ZWGLJ")
        # 张伟, 13810000001: the applicant of most tests (registered once per session).
        self.citizen_id, _ = directory.person("张伟", "13810000001")
        self.citizen = tokens.headers(subject=self.citizen_id, kind="person")

    def staff(self, role: str, unit_code: str, subject: str | None = None) -> dict[str, str]:
        """Headers of a staff member (the token carries the unit id, as identity's does); without
        `subject`, a real identity-svc account (a new one for each call in a test)."""
        if subject is None:
            n = self._asked.get((role, unit_code), 0)
            self._asked[(role, unit_code)] = n + 1
            subject = self.directory.staff_id(role, unit_code, n)
        return self.tokens.headers(subject=subject, kind="staff", roles=[role], org_unit=unit_id(unit_code))

    def staff_subject(self, headers: dict[str, str]) -> str:
        """The account id in a staff member's (or anyone's) headers."""
        token = headers["Authorization"].removeprefix("Bearer ")
        return str(jwt.decode(token, options={"verify_signature": False})["sub"])

    def person(self, name: str = "李娜", phone: str | None = None) -> tuple[str, dict[str, str]]:
        """A new citizen registered in identity-svc: (id, headers)."""
        pid, _ = self.directory.person(name, phone)
        return pid, self.tokens.headers(subject=pid, kind="person")

    async def seed(self) -> None:
        """Org units and the default item in the read models."""
        async with self.db.transaction() as session:
            for code, name, kind, level, parent in UNITS:
                await upsert_org_unit(
                    session,
                    {
                        "org_unit_id": unit_id(code),
                        "code": code,
                        "name": name,
                        "kind": kind,
                        "level": level,
                        "parent_id": unit_id(parent) if parent else None,
                        "uscc": None,
                        "changed_at": "2026-01-01T00:00:00+00:00",
                    },
                )
        await self.publish_item("SCJ-0001", elements())

    async def publish_item(self, code: str, doc: dict[str, Any], version_no: int = 1) -> None:
        """Put a published version into the read model (as catalog.item.published.v1 would)."""
        async with self.db.transaction() as session:
            await record_published(
                session,
                {
                    "item_id": str(uuid.uuid5(uuid.NAMESPACE_URL, code)),
                    "item_code": code,
                    "basic_code": "B-" + code,
                    "version_no": version_no,
                    "published_at": "2026-09-01T00:00:00+00:00",
                    "level": 4,
                    "owner_unit": {
                        "id": unit_id(doc["implementing_unit"]["code"]),
                        "code": doc["implementing_unit"]["code"],
                        "name": doc["implementing_unit"]["name"],
                        "uscc": None,
                    },
                    "quality_score": 100,
                    "elements": doc,
                },
            )

    async def submit(
        self,
        headers: dict[str, str] | None = None,
        *,
        item_code: str = "SCJ-0001",
        materials: list[dict[str, Any]] | None = None,
        expect: int = 201,
        **body: Any,
    ) -> dict[str, Any]:
        """Submit an application (by the clerk for the test citizen by default)."""
        headers = headers or self.clerk
        payload: dict[str, Any] = {
            "item_code": item_code,
            "applicant": {"id": self.citizen_id, "name": "张伟", "phone": "13810000001"},
            "materials": complete_materials() if materials is None else materials,
        }
        payload.update(body)
        resp = await self.client.post("/v1/applications", json=payload, headers=headers)
        assert resp.status_code == expect, resp.text
        return resp.json()  # type: ignore[no-any-return]

    async def post(
        self, app_id: str, action: str, headers: dict[str, str], body: Any = None, expect: int = 200
    ) -> dict[str, Any]:
        """POST an action on an application and check the status."""
        resp = await self.client.post(f"/v1/applications/{app_id}/{action}", json=body, headers=headers)
        assert resp.status_code == expect, resp.text
        return resp.json()  # type: ignore[no-any-return]

    async def to_review(self, **submit: Any) -> dict[str, Any]:
        """Submit, accept and hand over; the case as it stands."""
        application = await self.submit(**submit)
        await self.post(application["id"], "accept", self.clerk)
        return await self.post(application["id"], "hand-over", self.clerk)

    async def scan(self) -> dict[str, Any]:
        """Run the supervision scan at the clock's time."""
        resp = await self.client.post("/v1/supervision/scan", headers=self.supervisor)
        assert resp.status_code == 200, resp.text
        return resp.json()  # type: ignore[no-any-return]
