"""The gateway in front of the real services: one API document, readiness, a service down."""

from __future__ import annotations

import asyncio
import time

import httpx
from devstack import SERVICES, Platform
from helpers import assert_problem
from openapi_spec_validator import validate


async def test_merged_openapi_is_valid_and_covers_every_service(gw: httpx.AsyncClient) -> None:
    resp = await gw.get("/api/openapi.json")
    assert resp.status_code == 200
    doc = resp.json()
    validate(doc)
    paths = doc["paths"]
    assert "/api/identity/v1/auth/login" in paths
    assert "/api/identity/v1/persons" in paths
    op_ids = [
        op["operationId"]
        for item in paths.values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert len(op_ids) == len(set(op_ids))
    assert (await gw.get("/docs")).status_code == 200


async def test_readyz_aggregates_every_service(gw: httpx.AsyncClient) -> None:
    resp = await gw.get("/readyz")
    assert resp.status_code == 200, resp.text
    text = resp.text
    for svc in SERVICES:
        assert svc.name in text


async def test_service_down_is_a_503_naming_it_and_recovers(
    gw: httpx.AsyncClient, platform: Platform
) -> None:
    hotline = next(s for s in SERVICES if s.name == "hotline")
    platform.stop_process("hotline", kill=True)
    try:
        start = time.monotonic()
        resp = await gw.get("/api/hotline/healthz")
        assert time.monotonic() - start < 5
        body = assert_problem(resp, 503)
        assert "hotline" in str(body["detail"])
        ready = await gw.get("/readyz")
        assert ready.status_code == 503 and "hotline" in ready.text
    finally:
        platform.start_service(hotline)
    deadline = time.monotonic() + 20
    while (await gw.get("/api/hotline/healthz")).status_code != 200:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
