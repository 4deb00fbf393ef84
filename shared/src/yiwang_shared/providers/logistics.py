"""The logistics provider (a courier's waybill API, EMS 中国邮政-style): waybills (运单), their
tracking events pushed as signed callbacks, cancellation before pickup; `simulators/README.md`
has the wire format.

    client = LogisticsClient(provider_session(), base_url=..., customer_id=..., secret=...)
    waybill = await client.create_waybill(parcel_ref="<application id>", sender=..., recipient=...,
                                          notify_url="https://…/waybills/notify")
    # each tracking event (已揽收, 运输中, 派送中, 已签收 or 退回) is POSTed to notify_url, signed.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .callbacks import CallbackVerifier
from .errors import CallbackRejected, ProviderNotFound
from .transport import SignedTransport, answer_error, parse_model, segment

__all__ = [
    "LogisticsClient",
    "Party",
    "SimulatedCourier",
    "TrackingCode",
    "TrackingEvent",
    "TrackingNotification",
    "Waybill",
    "WaybillStatus",
    "read_tracking_notification",
]

#: created 已下单 → picked_up 已揽收 → in_transit 运输中 → out_for_delivery 派送中 → delivered 已签收,
#: or returned 退回 after a failed delivery; created → cancelled 已取消 (only before pickup).
WaybillStatus = Literal[
    "created", "picked_up", "in_transit", "out_for_delivery", "delivered", "returned", "cancelled"
]
#: The tracking events' codes (a waybill's status is its last event's code).
TrackingCode = Literal["picked_up", "in_transit", "out_for_delivery", "delivered", "returned"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Party(_Wire):
    """A sender (寄件人) or recipient (收件人)."""

    name: str
    phone: str
    address: str


class TrackingEvent(_Wire):
    """One tracking event (物流轨迹): what happened, where and when."""

    sequence: int = Field(description="1, 2, 3 … per waybill, in the order the events happened.")
    code: TrackingCode
    description: str = Field(description="The courier's text, in Chinese (e.g. 已签收，签收人：本人).")
    location: str
    occurred_at: datetime


class Waybill(_Wire):
    """A waybill (运单) and its events so far."""

    waybill_no: str = Field(description="运单号, the number the recipient tracks the parcel by.")
    parcel_ref: str = Field(description="Our own reference for the parcel, unique per customer.")
    status: WaybillStatus
    sender: Party
    recipient: Party
    created_at: datetime
    cancelled_at: datetime | None = None
    events: list[TrackingEvent] = []

    @property
    def finished(self) -> bool:
        """Delivered, returned or cancelled: no event follows."""
        return self.status in ("delivered", "returned", "cancelled")


class TrackingNotification(_Wire):
    """A tracking callback (轨迹推送): one new event and the waybill's status after it."""

    notify_id: str
    event_type: Literal["waybill.tracking"]
    waybill_no: str
    parcel_ref: str
    status: WaybillStatus
    event: TrackingEvent


class LogisticsClient:
    """Our calls to the courier as one customer (大客户号)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        customer_id: str,
        secret: str,
        timeout: float = 5.0,
    ) -> None:
        self._t = SignedTransport(
            session, base_url=base_url, merchant_id=customer_id, secret=secret, timeout=timeout
        )

    async def create_waybill(
        self,
        *,
        parcel_ref: str,
        sender: Party,
        recipient: Party,
        notify_url: str,
        remark: str = "",
    ) -> Waybill:
        """Order a pickup and get the waybill; the same parcel_ref again returns the same waybill
        (ProviderConflict if the recipient differs)."""
        body = {
            "parcel_ref": parcel_ref,
            "sender": sender.model_dump(),
            "recipient": recipient.model_dump(),
            "notify_url": notify_url,
            "remark": remark,
        }
        return parse_model(Waybill, await self._t.call_json("POST", "/v1/waybills", body=body))

    async def get_waybill(self, waybill_no: str) -> Waybill:
        """The waybill with every event so far (ProviderNotFound if there is none)."""
        return parse_model(Waybill, await self._t.call_json("GET", f"/v1/waybills/{segment(waybill_no)}"))

    async def find_waybill(self, parcel_ref: str) -> Waybill | None:
        """The waybill made for our parcel reference, or None."""
        try:
            data = await self._t.call_json("GET", f"/v1/waybills/by-parcel-ref/{segment(parcel_ref)}")
        except ProviderNotFound:
            return None
        return parse_model(Waybill, data)

    async def cancel_waybill(self, waybill_no: str) -> Waybill:
        """Cancel before pickup (ProviderConflict once picked up)."""
        path = f"/v1/waybills/{segment(waybill_no)}/cancel"
        return parse_model(Waybill, await self._t.call_json("POST", path, body={}))


class SimulatedCourier:
    """The simulator's test control (not part of a real courier's API): the next event at once."""

    def __init__(self, session: aiohttp.ClientSession, *, base_url: str, timeout: float = 5.0) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def advance(
        self, waybill_no: str, *, outcome: Literal["delivered", "returned"] | None = None
    ) -> Waybill:
        """Add the waybill's next tracking event now; `outcome` chooses how its journey ends."""
        body: dict[str, Any] = {} if outcome is None else {"outcome": outcome}
        path = f"/sim/waybills/{segment(waybill_no)}/advance"
        async with self._session.post(self._base + path, json=body, timeout=self._timeout) as resp:
            raw = await resp.read()
            if resp.status >= 300:
                raise answer_error(resp.status, raw, "POST " + path)
        return parse_model(Waybill, json.loads(raw))


async def read_tracking_notification(
    verifier: CallbackVerifier, *, method: str, path: str, headers: Any, body: bytes
) -> TrackingNotification:
    """Verify a tracking callback and read it (CallbackRejected when it must not be believed)."""
    await verifier.verify(method=method, path=path, headers=headers, body=body)
    try:
        return TrackingNotification.model_validate_json(body)
    except ValidationError as exc:
        raise CallbackRejected(
            "bad_body", f"not a tracking notification: {exc.error_count()} errors"
        ) from exc
