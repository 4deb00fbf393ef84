"""The payment provider (统一公共支付平台-style): orders with a payment code (缴款码), refunds,
signed notifications and the day's statement, over `simulators/README.md`'s wire format.

    client = PaymentClient(provider_session(), base_url=..., merchant_id=..., secret=...)
    order = await client.create_order(merchant_order_no="F2026…", amount_fen=1000, subject="…",
                                      payer_name="王芳", notify_url="https://…/payments/notify")
    # the payer pays at order.pay_url (or with order.payment_code in a bank's or WeChat's app);
    # the provider then POSTs a signed PaymentNotification to notify_url until it gets a 2xx.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .callbacks import CallbackVerifier
from .errors import CallbackRejected, ProviderNotFound
from .transport import SignedTransport, answer_error, parse_model, segment

__all__ = [
    "OrderStatus",
    "PaymentChannel",
    "PaymentClient",
    "PaymentNotification",
    "PaymentOrder",
    "PaymentRefund",
    "PaymentStatement",
    "SimulatedPayer",
    "StatementLine",
    "read_payment_notification",
]

#: unpaid 待缴款 → paid 已缴款 → refunded 已全额退款; unpaid → closed 已关闭 | expired 已过期.
#: A partly refunded order stays `paid` with `refunded_fen` > 0.
OrderStatus = Literal["unpaid", "paid", "refunded", "closed", "expired"]
#: How the payer paid: WeChat Pay, Alipay, UnionPay, a bank counter or online bank.
PaymentChannel = Literal["wechat", "alipay", "unionpay", "bank"]


class _Wire(BaseModel):
    # A real provider may add fields: they are ignored, not an error.
    model_config = ConfigDict(extra="ignore", frozen=True)


class PaymentOrder(_Wire):
    """A payment order (缴款单) as the provider keeps it."""

    order_id: str
    merchant_order_no: str = Field(
        description="Our own number for the fee (商户订单号), unique per merchant."
    )
    payment_code: str = Field(description="缴款码: the 20 digits a payer can pay with anywhere.")
    pay_url: str
    amount_fen: int = Field(description="The amount in fen (分).")
    refunded_fen: int = 0
    subject: str
    payer_name: str
    status: OrderStatus
    channel: PaymentChannel | None = None
    created_at: datetime
    expire_at: datetime
    paid_at: datetime | None = None
    closed_at: datetime | None = None
    version: int = Field(description="Grows with every change: an older state has a lower version.")

    @property
    def is_paid(self) -> bool:
        """Paid, and not wholly refunded."""
        return self.status == "paid"


class PaymentRefund(_Wire):
    """A refund (退款) of part or all of a paid order."""

    refund_id: str
    refund_no: str = Field(description="Our own number for the refund (商户退款单号): one refund per number.")
    order_id: str
    merchant_order_no: str
    amount_fen: int
    reason: str = ""
    status: Literal["processing", "succeeded", "failed"]
    created_at: datetime
    succeeded_at: datetime | None = None


class PaymentNotification(_Wire):
    """A notify callback (支付结果通知 / 退款结果通知): the order's state when the event happened."""

    notify_id: str = Field(description="The same for every delivery of one notification.")
    event_type: Literal["payment.succeeded", "refund.succeeded"]
    created_at: datetime
    order: PaymentOrder
    refund: PaymentRefund | None = None


class StatementLine(_Wire):
    """One payment or refund in a day's statement (对账单)."""

    kind: Literal["payment", "refund"]
    order_id: str
    merchant_order_no: str
    payment_code: str
    refund_no: str | None = None
    amount_fen: int
    channel: PaymentChannel | None = None
    occurred_at: datetime


class PaymentStatement(_Wire):
    """Every payment and refund of one day (China Standard Time) for one merchant, with totals."""

    merchant_id: str
    date: date
    lines: list[StatementLine]
    payments_count: int
    payments_fen: int
    refunds_count: int
    refunds_fen: int
    net_fen: int


class PaymentClient:
    """Our calls to the payment provider as one merchant (商户)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        merchant_id: str,
        secret: str,
        timeout: float = 5.0,
    ) -> None:
        self._t = SignedTransport(
            session, base_url=base_url, merchant_id=merchant_id, secret=secret, timeout=timeout
        )

    async def create_order(
        self,
        *,
        merchant_order_no: str,
        amount_fen: int,
        subject: str,
        payer_name: str,
        notify_url: str,
        expire_at: datetime | None = None,
    ) -> PaymentOrder:
        """Create a payment order, or get the one already made with this merchant order number
        (ProviderConflict if that one differs); the provider's default expiry when none is given
        (an aware datetime)."""
        body: dict[str, Any] = {
            "merchant_order_no": merchant_order_no,
            "amount_fen": amount_fen,
            "subject": subject,
            "payer_name": payer_name,
            "notify_url": notify_url,
        }
        if expire_at is not None:
            if expire_at.tzinfo is None:  # not user-facing: a caller's programming error
                raise ValueError("expire_at must carry its time zone")
            body["expire_at"] = expire_at.isoformat()
        return parse_model(PaymentOrder, await self._t.call_json("POST", "/v1/orders", body=body))

    async def get_order(self, order_id: str) -> PaymentOrder:
        """The order now (ProviderNotFound if there is none)."""
        return parse_model(PaymentOrder, await self._t.call_json("GET", f"/v1/orders/{segment(order_id)}"))

    async def find_order(self, merchant_order_no: str) -> PaymentOrder | None:
        """The order made with our merchant order number, or None."""
        try:
            data = await self._t.call_json("GET", f"/v1/orders/by-merchant-no/{segment(merchant_order_no)}")
        except ProviderNotFound:
            return None
        return parse_model(PaymentOrder, data)

    async def close_order(self, order_id: str) -> PaymentOrder:
        """Close an unpaid order so it can no longer be paid (ProviderConflict once paid)."""
        path = f"/v1/orders/{segment(order_id)}/close"
        return parse_model(PaymentOrder, await self._t.call_json("POST", path, body={}))

    async def refund(
        self,
        order_id: str,
        *,
        refund_no: str,
        amount_fen: int,
        reason: str = "",
        notify_url: str | None = None,
    ) -> PaymentRefund:
        """Refund part or all of a paid order; the same refund_no again returns the same refund
        (ProviderConflict if it differs, or if more than what is left is asked for)."""
        body: dict[str, Any] = {"refund_no": refund_no, "amount_fen": amount_fen, "reason": reason}
        if notify_url is not None:
            body["notify_url"] = notify_url
        path = f"/v1/orders/{segment(order_id)}/refunds"
        return parse_model(PaymentRefund, await self._t.call_json("POST", path, body=body))

    async def get_refund(self, order_id: str, refund_no: str) -> PaymentRefund:
        """One refund of an order by our refund number."""
        path = f"/v1/orders/{segment(order_id)}/refunds/{segment(refund_no)}"
        return parse_model(PaymentRefund, await self._t.call_json("GET", path))

    async def statement(self, day: date) -> PaymentStatement:
        """The day's statement (对账单): every payment and refund of that date, China time."""
        path = f"/v1/statements/{day.isoformat()}"
        return parse_model(PaymentStatement, await self._t.call_json("GET", path))

    async def statement_csv(self, day: date) -> str:
        """The day's statement as the provider's CSV file (UTF-8, a header row, then one line each)."""
        raw, _ = await self._t.call("GET", f"/v1/statements/{day.isoformat()}", query={"format": "csv"})
        return raw.decode("utf-8")


class SimulatedPayer:
    """What a payer and a test do at the simulator (not part of a real provider's API): pay an
    order, and choose how its notifications misbehave."""

    def __init__(self, session: aiohttp.ClientSession, *, base_url: str, timeout: float = 5.0) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def pay(self, order_id: str, *, channel: PaymentChannel = "wechat") -> PaymentOrder:
        """Pay the order as the payer would."""
        data = await self._post(f"/sim/orders/{segment(order_id)}/pay", {"channel": channel})
        return parse_model(PaymentOrder, data)

    async def misbehave(self, order_id: str, *, duplicate: bool = False, out_of_order: bool = False) -> None:
        """Make this order's notifications arrive twice, and/or its payment's after a later one."""
        body = {"duplicate_notify": duplicate, "reorder_notify": out_of_order}
        await self._post(f"/sim/orders/{segment(order_id)}/behaviour", body)

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        async with self._session.post(self._base + path, json=body, timeout=self._timeout) as resp:
            raw = await resp.read()
            if resp.status >= 300:
                raise answer_error(resp.status, raw, "POST " + path)
        return json.loads(raw)


async def read_payment_notification(
    verifier: CallbackVerifier, *, method: str, path: str, headers: Any, body: bytes
) -> PaymentNotification:
    """Verify a payment callback and read it (CallbackRejected when it must not be believed)."""
    await verifier.verify(method=method, path=path, headers=headers, body=body)
    try:
        return PaymentNotification.model_validate_json(body)
    except ValidationError as exc:
        raise CallbackRejected("bad_body", f"not a payment notification: {exc.error_count()} errors") from exc
