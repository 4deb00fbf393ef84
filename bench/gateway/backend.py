"""The benchmark's backend: a small, realistic catalogue read endpoint of this project.

`GET /v1/items/{code}` returns one published service item (~1 KB of JSON, Chinese texts included)
through a pydantic response model, the way catalog-svc answers it. Served by uvicorn with uvloop
and httptools, one process. It also answers `/healthz`, `/readyz`, `/openapi.json` and, when
`BENCH_JWKS_FILE` names a file, `/v1/auth/jwks` (so the gateway can verify the bench's token
against it, as it would against identity-svc).
"""

from __future__ import annotations

import json
import os
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field


class MaterialRead(BaseModel):
    """One material an applicant hands in (申请材料)."""

    name: str
    copies: int
    original_required: bool
    note: str | None = None


class ItemRead(BaseModel):
    """A published government-service item (政务服务事项)."""

    code: str
    name: str
    department: str
    kind: str
    legal_limit_days: int = Field(description="法定办结时限")
    promised_limit_days: int = Field(description="承诺办结时限")
    fee: str
    online_depth: int
    channels: list[str]
    materials: list[MaterialRead]
    conditions: str
    version: int
    published_at: str


def _item(code: str) -> ItemRead:
    return ItemRead(
        code=code,
        name="个体工商户设立登记",
        department="区市场监督管理局",
        kind="administrative_licence",
        legal_limit_days=15,
        promised_limit_days=3,
        fee="不收费",
        online_depth=4,
        channels=["online", "window", "self_service"],
        materials=[
            MaterialRead(name="个体工商户登记（备案）申请书", copies=1, original_required=True),
            MaterialRead(name="经营者身份证明", copies=1, original_required=True, note="核验原件"),
            MaterialRead(name="经营场所使用证明", copies=1, original_required=False),
            MaterialRead(
                name="委托代理人身份证明及授权委托书", copies=1, original_required=True, note="委托办理时提交"
            ),
        ],
        conditions="申请人具有经营能力，经营场所符合规划及安全要求；名称不与已登记名称相同或近似。",
        version=7,
        published_at="2026-03-01T09:00:00+08:00",
    )


app = FastAPI(title="bench catalog", version="0.1.0")
_ITEMS = {code: _item(code) for code in ("11010100001", "11010100002", "11010100003")}
_JWKS: dict[str, Any] | None = None
if os.environ.get("BENCH_JWKS_FILE"):
    with open(os.environ["BENCH_JWKS_FILE"], encoding="utf-8") as fh:
        _JWKS = json.load(fh)


@app.get("/v1/items/{code}", response_model=ItemRead, operation_id="items-get")
async def get_item(code: str) -> ItemRead:
    """One published item by its code."""
    item = _ITEMS.get(code)
    if item is None:
        raise HTTPException(404, "no such item")
    return item


@app.get("/v1/auth/jwks", include_in_schema=False)
async def jwks() -> dict[str, Any]:
    """The signing keys (only when BENCH_JWKS_FILE is set)."""
    if _JWKS is None:
        raise HTTPException(404, "no JWKS configured")
    return _JWKS


@app.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    """Alive."""
    return {"status": "ok"}


@app.get("/readyz", include_in_schema=False)
async def readyz() -> dict[str, str]:
    """Ready."""
    return {"status": "ready"}
