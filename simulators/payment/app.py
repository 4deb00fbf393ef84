"""The payment simulator's HTTP API, pay pages and background work (callbacks, expiry)."""

# No `from __future__ import annotations`: the routes' Annotated dependencies are made in create_app.

import asyncio
import csv
import io
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, Query
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..common.app import notifier_for, simulator_app
from ..common.auth import signed_merchant
from ..common.errors import SimulatorError
from ..common.store import open_store, transaction
from .orders import SCHEMA, Orders
from .pages import lookup_page, order_page
from .schemas import Behaviour, Channel, OrderCreate, Payment, RefundCreate
from .settings import PaymentSettings

STATEMENT_COLUMNS = [
    "kind",
    "order_id",
    "merchant_order_no",
    "payment_code",
    "refund_no",
    "amount_fen",
    "channel",
    "occurred_at",
]


def create_app(settings: PaymentSettings) -> FastAPI:
    """The simulator as an ASGI app on its settings' SQLite file."""
    conn = open_store(settings.db_path, SCHEMA)
    notifier = notifier_for(conn, settings)
    orders = Orders(conn, settings, notifier)

    async def expiry_loop() -> None:
        while True:
            with transaction(conn):
                orders.expire_due()
            await asyncio.sleep(1.0)

    app = simulator_app("yiwang payment provider simulator", conn, notifier, expiry_loop)
    Merchant = Annotated[str, Depends(signed_merchant(conn, settings.merchants, settings.window_seconds))]

    @app.post("/v1/orders", status_code=201)
    async def create_order(body: OrderCreate, merchant: Merchant) -> JSONResponse:
        """Create an order (下单); the same merchant_order_no again answers 200 with the same order."""
        with transaction(conn):
            order, created = orders.create(merchant, body)
        return JSONResponse(orders.public(order), status_code=201 if created else 200)

    @app.get("/v1/orders/by-merchant-no/{merchant_order_no}")
    async def find_order(merchant_order_no: str, merchant: Merchant) -> dict[str, Any]:
        """Query an order by the merchant's own number."""
        order = orders.find_by_merchant_no(merchant, merchant_order_no)
        if order is None:
            raise SimulatorError(404, "ORDER_NOT_FOUND", f"商户订单号 {merchant_order_no} 不存在")
        return orders.public(order)

    @app.get("/v1/orders/{order_id}")
    async def get_order(order_id: str, merchant: Merchant) -> dict[str, Any]:
        """Query an order (查询订单)."""
        return orders.public(orders.get(merchant, order_id))

    @app.post("/v1/orders/{order_id}/close")
    async def close_order(order_id: str, merchant: Merchant) -> dict[str, Any]:
        """Close an unpaid order (关闭订单)."""
        with transaction(conn):
            return orders.public(orders.close(merchant, order_id))

    @app.post("/v1/orders/{order_id}/refunds", status_code=201)
    async def create_refund(order_id: str, body: RefundCreate, merchant: Merchant) -> JSONResponse:
        """Refund part or all of a paid order (申请退款); idempotent by refund_no."""
        with transaction(conn):
            refund, created = orders.refund(merchant, order_id, body)
        return JSONResponse(refund, status_code=201 if created else 200)

    @app.get("/v1/orders/{order_id}/refunds/{refund_no}")
    async def get_refund(order_id: str, refund_no: str, merchant: Merchant) -> dict[str, Any]:
        """Query a refund (查询退款)."""
        return orders.get_refund(merchant, order_id, refund_no)

    @app.get("/v1/statements/{day}", response_model=None)
    async def statement(
        day: date, merchant: Merchant, format: Annotated[str, Query(pattern="^(json|csv)$")] = "json"
    ) -> dict[str, Any] | Response:
        """The day's statement (对账单): JSON, or CSV with format=csv."""
        data = orders.statement(merchant, day)
        if format == "json":
            return data
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=STATEMENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for line in data["lines"]:
            writer.writerow({k: "" if line[k] is None else line[k] for k in STATEMENT_COLUMNS})
        filename = f"statement-{merchant}-{day.isoformat()}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    # The payer's side and the tests' controls: no merchant signature (the payer is not the merchant).

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def start_page() -> str:
        return lookup_page()

    @app.get("/pay", response_class=HTMLResponse, include_in_schema=False, response_model=None)
    async def by_code(code: str = "") -> HTMLResponse | RedirectResponse:
        try:
            order = orders.for_payer(code="".join(code.split()))
        except SimulatorError as exc:
            return HTMLResponse(lookup_page(exc.message), status_code=404)
        return RedirectResponse(f"/pay/{order['order_id']}", status_code=303)

    @app.get("/pay/{order_id}", response_class=HTMLResponse, include_in_schema=False)
    async def pay_page(order_id: str) -> HTMLResponse:
        try:
            return HTMLResponse(order_page(orders.for_payer(order_id=order_id)))
        except SimulatorError as exc:
            return HTMLResponse(lookup_page(exc.message), status_code=exc.status)

    @app.post("/pay/{order_id}", response_class=HTMLResponse, include_in_schema=False, response_model=None)
    async def pay_form(order_id: str, channel: Annotated[Channel, Form()] = "wechat") -> Response:
        try:
            with transaction(conn):
                orders.pay(order_id, channel)
        except SimulatorError as exc:
            if exc.status == 404:
                return HTMLResponse(lookup_page(exc.message), status_code=404)
            return HTMLResponse(order_page(orders.for_payer(order_id=order_id), exc.message), status_code=409)
        return RedirectResponse(f"/pay/{order_id}", status_code=303)

    @app.post("/sim/orders/{order_id}/pay")
    async def pay(order_id: str, body: Payment) -> dict[str, Any]:
        """The payer pays (the API the tests use instead of the page)."""
        with transaction(conn):
            return orders.public(orders.pay(order_id, body.channel))

    @app.post("/sim/orders/{order_id}/behaviour")
    async def behaviour(order_id: str, body: Behaviour) -> dict[str, Any]:
        """Make this order's notifications arrive twice and/or its payment's after a later one."""
        with transaction(conn):
            order = orders.set_behaviour(
                order_id, duplicate=body.duplicate_notify, reorder=body.reorder_notify
            )
        return {
            "order_id": order_id,
            "duplicate_notify": bool(order["duplicate_notify"]),
            "reorder_notify": bool(order["reorder_notify"]),
        }

    @app.get("/sim/orders/{order_id}/notifications")
    async def notifications(order_id: str) -> list[dict[str, Any]]:
        """Every notification of the order and how its delivery went."""
        keys = ["notify_id", "url", "status", "copies_left", "attempts", "last_status", "last_error"]
        return [{k: row[k] for k in keys} for row in notifier.deliveries(order_id)]

    return app
