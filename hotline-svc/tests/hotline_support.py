"""Shared test helpers: the demo org tree in the read model, principals' tokens, dispatch rules."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from hotline.models import DispatchRule
from hotline.services.orgs import upsert_org_unit
from yiwang_shared.testing.tokens import TestTokens

D = "110105"
#: (code, name, kind, level, parent code): a slice of identity's demo tree.
UNITS: list[tuple[str, str, str, int, str | None]] = [
    (D, "北京市朝阳区", "district", 4, None),
    (f"{D}-ZWGLJ", "区政务服务管理局", "department", 4, D),
    (f"{D}-MZJ", "区民政局", "department", 4, D),
    (f"{D}-RSJ", "区人力社保局", "department", 4, D),
    (f"{D}-ZJW", "区住房城乡建设委", "department", 4, D),
    (f"{D}-SCJGJ", "区市场监管局", "department", 4, D),
    (f"{D}001", "朝外街道", "street", 5, D),
    (f"{D}001-FWZX", "朝外街道政务服务中心", "service_centre", 5, f"{D}001"),
    (f"{D}001001", "吉祥里社区", "community", 6, f"{D}001"),
    (f"{D}002", "建外街道", "street", 5, D),
    (f"{D}002-FWZX", "建外街道政务服务中心", "service_centre", 5, f"{D}002"),
    (f"{D}002001", "永安里东社区", "community", 6, f"{D}002"),
    (f"{D}003", "呼家楼街道", "street", 5, D),
    (f"{D}003-FWZX", "呼家楼街道政务服务中心", "service_centre", 5, f"{D}003"),
]
IDS = {code: str(uuid.uuid5(uuid.NAMESPACE_URL, "org:" + code)) for code, *_ in UNITS}


async def seed_units(app: FastAPI) -> None:
    """Put the org units into hotline's read model (as identity's events would)."""
    async with app.state.db.transaction() as session:
        for code, name, kind, level, parent in UNITS:
            await upsert_org_unit(
                session,
                {
                    "org_unit_id": IDS[code],
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "level": level,
                    "parent_id": IDS[parent] if parent else None,
                    "changed_at": "2026-01-01T00:00:00+00:00",
                },
            )


async def seed_rules(app: FastAPI) -> None:
    """Water anywhere → 区住房城乡建设委 with the street; noise in 朝外 → its centre; in 建外 → its centre."""
    async with app.state.db.transaction() as session:
        session.add_all(
            [
                DispatchRule(
                    category_code="water", area_code="*", lead_unit_code=f"{D}-ZJW", co_unit_codes=[]
                ),
                DispatchRule(
                    category_code="noise",
                    area_code=f"{D}001",
                    lead_unit_code=f"{D}001-FWZX",
                    co_unit_codes=[f"{D}-SCJGJ"],
                ),
                DispatchRule(
                    category_code="noise",
                    area_code=f"{D}002",
                    lead_unit_code=f"{D}002-FWZX",
                    co_unit_codes=[],
                ),
                DispatchRule(
                    category_code="civil_affairs", area_code="*", lead_unit_code=f"{D}-MZJ", co_unit_codes=[]
                ),
            ]
        )


class People:
    """Tokens for the demo staff and citizens."""

    def __init__(self, tokens: TestTokens) -> None:
        self.tokens = tokens
        self.citizen_id = "citizen-" + uuid.uuid4().hex[:8]
        self.other_citizen_id = "citizen-" + uuid.uuid4().hex[:8]

    def staff(self, role: str, unit: str, subject: str | None = None) -> dict[str, str]:
        """A staff member's header."""
        return self.tokens.headers(
            subject=subject or f"{role}-{unit}", kind="staff", roles=[role], org_unit=unit
        )

    @property
    def agent(self) -> dict[str, str]:
        return self.staff("hotline_agent", f"{D}-ZWGLJ", "agent-zhaomin")

    @property
    def dispatcher(self) -> dict[str, str]:
        return self.staff("dispatcher", f"{D}-ZWGLJ", "dispatcher-sunlei")

    @property
    def supervisor(self) -> dict[str, str]:
        return self.staff("supervisor", f"{D}-ZWGLJ", "supervisor-wufang")

    @property
    def admin(self) -> dict[str, str]:
        return self.staff("admin", f"{D}-ZWGLJ", "admin")

    def handler(self, unit: str) -> dict[str, str]:
        return self.staff("handler", unit, f"handler-{unit}")

    @property
    def citizen(self) -> dict[str, str]:
        return self.tokens.headers(subject=self.citizen_id, kind="person")

    @property
    def other_citizen(self) -> dict[str, str]:
        return self.tokens.headers(subject=self.other_citizen_id, kind="person")


def ticket_body(**kw: Any) -> dict[str, Any]:
    """A valid ticket registration body."""
    body: dict[str, Any] = {
        "request_type": "complaint",
        "channel": "phone",
        "category_code": "noise",
        "title": "夜间施工噪声扰民",
        "description": "小区旁工地每晚十一点后仍在施工，严重影响休息。",
        "caller_name": "王女士",
        "caller_phone": "13812345678",
        "address": "朝阳区吉祥里小区3号楼",
        "street_code": f"{D}001",
        "attributes": {"noise_period": "night"},
    }
    body.update(kw)
    return body


async def create(client: httpx.AsyncClient, headers: dict[str, str], **kw: Any) -> dict[str, Any]:
    """Register a ticket; assert 201."""
    resp = await client.post("/v1/tickets", json=ticket_body(**kw), headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def act(
    client: httpx.AsyncClient,
    ticket_id: str,
    action: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
    expect: int = 200,
) -> dict[str, Any]:
    """POST /v1/tickets/{id}/{action}; assert the status."""
    resp = await client.post(f"/v1/tickets/{ticket_id}/{action}", json=body or {}, headers=headers)
    assert resp.status_code == expect, resp.text
    return resp.json()  # type: ignore[no-any-return]
