"""The payment simulator's request bodies (answers are plain dicts in the documented shape)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Channel = Literal["wechat", "alipay", "unionpay", "bank"]


class OrderCreate(BaseModel):
    """POST /v1/orders."""

    model_config = ConfigDict(extra="forbid")

    merchant_order_no: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-|*@]+$")
    amount_fen: int = Field(gt=0, le=100_000_000_00)
    subject: str = Field(min_length=1, max_length=128)
    payer_name: str = Field(min_length=1, max_length=64)
    notify_url: str = Field(pattern=r"^https?://[^\s]+$", max_length=512)
    expire_at: datetime | None = None


class RefundCreate(BaseModel):
    """POST /v1/orders/{order_id}/refunds."""

    model_config = ConfigDict(extra="forbid")

    refund_no: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-|*@]+$")
    amount_fen: int = Field(gt=0)
    reason: str = Field(default="", max_length=80)
    notify_url: str | None = Field(default=None, pattern=r"^https?://[^\s]+$", max_length=512)


class Payment(BaseModel):
    """POST /sim/orders/{order_id}/pay: the payer pays."""

    channel: Channel = "wechat"


class Behaviour(BaseModel):
    """POST /sim/orders/{order_id}/behaviour: how this order's notifications misbehave."""

    duplicate_notify: bool = False
    reorder_notify: bool = False
