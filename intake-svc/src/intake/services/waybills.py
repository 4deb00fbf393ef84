"""Results sent by post (邮寄送达) through the courier: a waybill made for the case before it is
delivered (the courier picks the parcel up at the window), its tracking events from the courier's
signed callbacks, and the delivery step, which takes the waybill instead of a typed number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.providers.logistics import LogisticsClient, Party, TrackingNotification
from yiwang_shared.providers.logistics import Waybill as CourierWaybill

from .. import errors
from ..models.applications import Application
from ..models.fees import Waybill
from ..repositories.fees import FeeRepository
from ..schemas import WaybillCreate
from . import access, trace
from .orgs import place_phone
from .permissions import DELIVER, DELIVERING_ROLES

#: The courier's name on the delivery record.
CARRIER = "中国邮政EMS"


async def sender_of(session: AsyncSession, application: Application) -> Party:
    """Who sends: the window's centre, with its phone."""
    unit = application.intake_unit_code or application.owner_unit_code
    phone = await place_phone(session, unit) or "12345"
    return Party(name="政务服务中心出件窗口", phone=phone, address="北京市朝阳区政务服务中心")


async def create(
    session: AsyncSession,
    courier: LogisticsClient | None,
    application: Application,
    body: WaybillCreate,
    actor: Principal,
    *,
    notify_url: str,
    now: datetime,
) -> Waybill:
    """Order the courier's pickup of the case's result (the same case again: the same waybill)."""
    access.require_role(actor, DELIVER, DELIVERING_ROLES)
    if courier is None:
        raise errors.provider_not_configured("寄递服务", "courier")
    recipient = Party(name=body.recipient_name, phone=body.recipient_phone, address=body.address)
    made: CourierWaybill = await courier.create_waybill(
        parcel_ref=application.id,
        sender=await sender_of(session, application),
        recipient=recipient,
        notify_url=notify_url,
        remark=f"{application.item_name}办理结果（{application.application_no}）",
    )
    repo = FeeRepository(session)
    row = await repo.find_waybill(made.waybill_no, for_update=True)
    if row is None:
        row = Waybill(
            waybill_no=made.waybill_no,
            application_id=application.id,
            status=made.status,
            events=[e.model_dump(mode="json") for e in made.events],
            last_sequence=max((e.sequence for e in made.events), default=0),
            created_at=now,
            updated_at=now,
        )
        repo.add(row)
        trace.append(
            session,
            application,
            action="waybill_created",
            actor=actor.subject,
            at=now,
            data={"waybill_no": made.waybill_no, "carrier": CARRIER, "address": body.address},
        )
    return row


async def require_for_post(session: AsyncSession, application: Application, tracking_no: str | None) -> None:
    """With a courier configured, a posted result names one of the case's own waybills."""
    row = await FeeRepository(session).find_waybill(tracking_no or "")
    if row is None or row.application_id != application.id:
        raise errors.waybill_not_found(tracking_no or "")


async def apply_tracking(session: AsyncSession, note: TrackingNotification, *, now: datetime) -> str:
    """Apply a tracking event: 'applied', 'stale' (seen already, or older) or 'unknown'."""
    row = await FeeRepository(session).find_waybill(note.waybill_no, for_update=True)
    if row is None:
        return "unknown"
    if note.event.sequence <= row.last_sequence:
        return "stale"
    row.events = [*row.events, note.event.model_dump(mode="json")]
    row.last_sequence, row.status, row.updated_at = note.event.sequence, note.status, now
    return "applied"


async def of_case(session: AsyncSession, application: Application) -> list[Waybill]:
    """The case's waybills, oldest first."""
    return await FeeRepository(session).waybills_of(application.id)
