"""Results sent by post (邮寄送达) through the courier: a waybill made for the case before it is
delivered (the courier picks the parcel up at the window), its tracking events from the courier's
signed callbacks, and the delivery step, which takes the waybill instead of a typed number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.providers import ProviderError
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


async def sender_of(session: AsyncSession, unit_code: str) -> Party:
    """Who sends: the window's centre, with its phone."""
    phone = await place_phone(session, unit_code) or "12345"
    return Party(name="政务服务中心出件窗口", phone=phone, address="北京市朝阳区政务服务中心")


@dataclass(frozen=True)
class Parcel:
    """What goes in one parcel: one case's result, or every result of a bundle application."""

    ref: str  # the courier's parcel reference: the same parcel ordered again is the same waybill
    unit_code: str  # the centre whose window hands it to the courier
    remark: str
    application_id: str | None = None
    bundle_application_id: str | None = None


async def _order(
    session: AsyncSession,
    courier: LogisticsClient | None,
    parcel: Parcel,
    body: WaybillCreate,
    *,
    notify_url: str,
    now: datetime,
) -> tuple[Waybill, bool]:
    """The parcel's waybill at the courier, kept here; True when it is new here."""
    if courier is None:
        raise errors.provider_not_configured("寄递服务", "courier")
    sender = await sender_of(session, parcel.unit_code)
    try:
        made: CourierWaybill = await courier.create_waybill(
            parcel_ref=parcel.ref,
            sender=sender,
            recipient=Party(name=body.recipient_name, phone=body.recipient_phone, address=body.address),
            notify_url=notify_url,
            remark=parcel.remark,
        )
    except ProviderError as exc:
        raise errors.provider_failed("寄递下单", "courier", str(exc)) from None
    repo = FeeRepository(session)
    row = await repo.find_waybill(made.waybill_no, for_update=True)
    if row is not None:
        return row, False
    row = Waybill(
        waybill_no=made.waybill_no,
        application_id=parcel.application_id,
        bundle_application_id=parcel.bundle_application_id,
        status=made.status,
        events=[e.model_dump(mode="json") for e in made.events],
        last_sequence=max((e.sequence for e in made.events), default=0),
        created_at=now,
        updated_at=now,
    )
    repo.add(row)
    return row, True


def _record(
    session: AsyncSession, case: Application, row: Waybill, body: WaybillCreate, actor: Principal
) -> None:
    trace.append(
        session,
        case,
        action="waybill_created",
        actor=actor.subject,
        at=row.created_at,
        data={
            "waybill_no": row.waybill_no,
            "carrier": CARRIER,
            "address": body.address,
            **({"bundle_application_id": row.bundle_application_id} if row.bundle_application_id else {}),
        },
    )


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
    parcel = Parcel(
        ref=application.id,
        unit_code=application.intake_unit_code or application.owner_unit_code,
        remark=f"{application.item_name}办理结果（{application.application_no}）",
        application_id=application.id,
    )
    row, new = await _order(session, courier, parcel, body, notify_url=notify_url, now=now)
    if new:
        _record(session, application, row, body, actor)
    return row


async def create_for_bundle(
    session: AsyncSession,
    courier: LogisticsClient | None,
    parcel: Parcel,
    cases: list[Application],
    body: WaybillCreate,
    actor: Principal,
    *,
    notify_url: str,
    now: datetime,
) -> Waybill:
    """Order one pickup for every result of a bundle application; each case's trace records it."""
    access.require_role(actor, DELIVER, DELIVERING_ROLES)
    row, new = await _order(session, courier, parcel, body, notify_url=notify_url, now=now)
    if new:
        for case in cases:
            _record(session, case, row, body, actor)
    return row


async def require_for_post(session: AsyncSession, application: Application, tracking_no: str | None) -> None:
    """With a courier configured, a posted result names one of the case's own waybills (or its
    bundle application's)."""
    row = await FeeRepository(session).find_waybill(tracking_no or "")
    own = row is not None and row.application_id == application.id
    bundle = application.bundle_application_id
    in_bundle = row is not None and bundle is not None and row.bundle_application_id == bundle
    if not (own or in_bundle):
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
    """The case's waybills (its bundle application's too), oldest first."""
    return await FeeRepository(session).waybills_of(application.id, application.bundle_application_id)


async def of_bundle(session: AsyncSession, bundle_application_id: str) -> list[Waybill]:
    """The bundle application's waybills, oldest first."""
    return await FeeRepository(session).waybills_of(None, bundle_application_id)
