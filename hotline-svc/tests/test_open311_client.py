"""Open311 checked with a third-party client from PyPI: `georeport` (GeoReport v2 wrapper; it
reads, it does not post). hotline-svc runs under uvicorn on a real port, as integrators see it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator

# A third-party GeoReport v2 client (requirements-dev.txt): it must be installed, not skipped.
import georeport
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from hotline_support import D

from hotline.config import Settings
from hotline.main import create_app
from hotline.services.open311 import create_key
from yiwang_shared.testing.nats import free_port


@pytest.fixture
async def served(settings: Settings, hl: httpx.AsyncClient) -> AsyncIterator[str]:
    """A second replica of the service on a real port, on the same database; its Open311 base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            # Yield to the loop: the first replica must be able to finish its transactions.
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}/open311/v2"
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 15)


async def test_georeport_client_lists_reads_in_json_and_xml(app: FastAPI, served: str) -> None:
    async with app.state.db.transaction() as session:
        _, key = await create_key(session, "georeport")
    async with httpx.AsyncClient() as http:
        posted = await http.post(
            served + "/requests.json",
            data={
                "api_key": key,
                "service_code": "noise",
                "address_id": f"{D}001",
                "attribute[noise_period]": "day",
            },
        )
    assert posted.status_code == 201, posted.text
    rid = posted.json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        client = georeport.GeoReport(served, api_key=key, output_format=fmt)
        services = await asyncio.to_thread(client.get_service_list)
        assert "noise" in {s["service_code"] for s in services}
        definition = await asyncio.to_thread(client.get_service_definition, "noise")
        assert definition["service_code"] == "noise"
        requests_ = await asyncio.to_thread(client.get_service_requests, status="open")
        if isinstance(requests_, dict):  # xmltodict gives a dict for a single <request>
            requests_ = [requests_]
        assert [r["service_request_id"] for r in requests_] == [rid]
        one = await asyncio.to_thread(client.get_service_request, rid)
        assert one["service_request_id"] == rid and one["status"] == "open"
