"""The logistics simulator's request bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PartyIn(BaseModel):
    """A sender or recipient."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    phone: str = Field(min_length=5, max_length=32)
    address: str = Field(min_length=4, max_length=256)


class WaybillCreate(BaseModel):
    """POST /v1/waybills."""

    model_config = ConfigDict(extra="forbid")

    parcel_ref: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-|*@.]+$")
    sender: PartyIn
    recipient: PartyIn
    notify_url: str = Field(pattern=r"^https?://[^\s]+$", max_length=512)
    remark: str = Field(default="", max_length=128)


class Advance(BaseModel):
    """POST /sim/waybills/{waybill_no}/advance: the next event now; how the journey ends."""

    outcome: Literal["delivered", "returned"] | None = None
