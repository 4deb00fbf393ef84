"""The logistics simulator's HTTP API and its clock (tracking events, callbacks)."""

# No `from __future__ import annotations`: the routes' Annotated dependencies are made in create_app.

import asyncio
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse

from ..common.app import notifier_for, simulator_app
from ..common.auth import signed_merchant
from ..common.errors import SimulatorError
from ..common.store import open_store, transaction
from .schemas import Advance, WaybillCreate
from .settings import LogisticsSettings
from .waybills import SCHEMA, Waybills


def create_app(settings: LogisticsSettings) -> FastAPI:
    """The simulator as an ASGI app on its settings' SQLite file."""
    conn = open_store(settings.db_path, SCHEMA)
    notifier = notifier_for(conn, settings)
    waybills = Waybills(conn, settings, notifier)

    async def clock() -> None:
        while True:
            with transaction(conn):
                waybills.advance_due()
            await asyncio.sleep(min(1.0, settings.step_seconds / 4))

    app = simulator_app("yiwang logistics provider simulator", conn, notifier, clock)
    Customer = Annotated[str, Depends(signed_merchant(conn, settings.merchants, settings.window_seconds))]

    @app.post("/v1/waybills", status_code=201)
    async def create_waybill(body: WaybillCreate, customer: Customer) -> JSONResponse:
        """Order a pickup and get a waybill (下单取号); the same parcel_ref again answers 200."""
        with transaction(conn):
            waybill, created = waybills.create(customer, body)
        return JSONResponse(waybill, status_code=201 if created else 200)

    @app.get("/v1/waybills/by-parcel-ref/{parcel_ref}")
    async def find_waybill(parcel_ref: str, customer: Customer) -> dict[str, Any]:
        """Query a waybill by the customer's parcel reference."""
        waybill = waybills.find_by_parcel_ref(customer, parcel_ref)
        if waybill is None:
            raise SimulatorError(404, "WAYBILL_NOT_FOUND", f"包裹编号 {parcel_ref} 没有运单")
        return waybill

    @app.get("/v1/waybills/{waybill_no}")
    async def get_waybill(waybill_no: str, customer: Customer) -> dict[str, Any]:
        """Query a waybill and its tracking events (轨迹查询)."""
        return waybills.get(customer, waybill_no)

    @app.post("/v1/waybills/{waybill_no}/cancel")
    async def cancel_waybill(waybill_no: str, customer: Customer) -> dict[str, Any]:
        """Cancel a waybill before pickup (取消订单)."""
        with transaction(conn):
            return waybills.cancel(customer, waybill_no)

    @app.post("/sim/waybills/{waybill_no}/advance")
    async def advance(waybill_no: str, body: Advance) -> dict[str, Any]:
        """Test control: the waybill's next tracking event now."""
        with transaction(conn):
            return waybills.advance(waybill_no, body.outcome)

    @app.get("/sim/waybills/{waybill_no}/notifications")
    async def notifications(waybill_no: str) -> list[dict[str, Any]]:
        """Every callback of the waybill and how its delivery went."""
        keys = ("notify_id", "url", "status", "copies_left", "attempts", "last_status", "last_error")
        return [{k: row[k] for k in keys} for row in notifier.deliveries(waybill_no)]

    return app
