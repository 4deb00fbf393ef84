"""免申即享 (proactive service) offers: what a resident who became eligible is offered, and their answer."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yiwang_shared.pagination import Page
from yiwang_shared.validators import validate_mobile

from ..lifecycles import OfferAction, OfferStatus
from . import DeliveryMode, DeliveryWishRead, Short


class DeliveryWish(BaseModel):
    """How the person wants to receive the result (领取方式): the shape an online application's form
    carries as `delivery` (read back as `DeliveryWishRead`). Post needs where and to whom."""

    model_config = ConfigDict(extra="forbid")

    mode: DeliveryMode = Field(description="window 窗口领取, post 邮寄, locker 智能柜.")
    address: Short | None = Field(default=None, description="post: where to send it (邮寄地址).")
    recipient: Short | None = Field(default=None, description="post: who receives it (收件人).")
    phone: str | None = Field(default=None, description="post: the recipient's mobile (收件电话).")

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return validate_mobile(value) if value else None


class OfferConfirm(BaseModel):
    """The person confirms the offer (确认享受) and says where to receive the result."""

    model_config = ConfigDict(extra="forbid")

    delivery: DeliveryWish


class OfferRead(BaseModel):
    """An offer (免申即享服务) as its viewer may see it."""

    id: str
    number: str = Field(description="Offer number (服务编号), MS<year><8 digits>.")
    item_code: str = Field(description="Implementation code (实施编码) of the item offered.")
    item_name: str
    unit_code: str = Field(description="The item's implementing unit (实施主体).")
    account_id: str = Field(description="The person offered it (identity-svc account id).")
    person_name: str = Field(description="Their name (姓名).")
    age: int = Field(description="The age they reached (周岁) that made them eligible.")
    reached_on: date = Field(description="The day they reached it.")
    reason: str = Field(description="Why they are offered it, e.g. 您已年满80周岁.")
    status: OfferStatus = Field(
        description="offered 待确认, confirmed 已确认 (the case is opened), declined 已放弃, expired 已过期."
    )
    status_name: str = Field(description="The state in Chinese.")
    offered_at: datetime
    expires_at: datetime = Field(description="Unconfirmed by then, the offer lapses (expired).")
    decided_at: datetime | None = Field(description="When it was confirmed, declined or lapsed.")
    notified_at: datetime | None = Field(description="When the SMS asking to confirm was queued.")
    delivery_modes: list[DeliveryMode] = Field(
        description="The ways of receiving the result the item offers (post only where it sends by post)."
    )
    delivery: DeliveryWishRead | None = Field(description="The delivery chosen on confirming.")
    application_id: str | None = Field(
        description="The case opened on confirming (/v1/applications/{id}); null until confirmed."
    )
    allowed_actions: list[OfferAction] = Field(
        description="What the caller may do now: confirm and decline, for the person, while offered."
    )


class OfferPage(Page[OfferRead]):
    """A page of offers, newest first."""
