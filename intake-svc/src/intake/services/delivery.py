"""Delivery of the result (送达): window pickup with a signed receipt, post with a tracking
number, or a self-service locker with a pickup code sent by SMS. Delivery is complete when signed,
posted or placed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date

from .. import errors, events
from ..models.applications import Application
from ..schemas import ApplicationDeliver
from . import fees, permissions, trace, waybills
from .cases import advance, version_of
from .facts import notify, publish
from .orgs import staff_unit_code

LOCKER_DAYS = 3
MODE_NAMES = {"window": "窗口领取", "post": "邮寄", "locker": "智能柜自助领取"}
_REQUIRED = {
    "window": ("signed_by",),
    "post": ("carrier", "tracking_no", "address"),
    "locker": ("locker",),
}


async def deliver(
    session: AsyncSession,
    application: Application,
    body: ApplicationDeliver,
    actor: Principal,
    *,
    now: datetime,
    courier: bool = False,
) -> Application:
    """Deliver the completed case's result (`courier`: a courier is configured, so a posted result
    names the waybill made for the case instead of a typed number)."""
    await permissions.authorise(session, application, "deliver", actor, now=now)
    await fees.require_paid(session, application, await version_of(session, application))
    if body.mode == "post" and courier:  # the courier is ours: its name need not be typed
        body = body.model_copy(update={"carrier": body.carrier or waybills.CARRIER})
    missing = [f for f in _REQUIRED[body.mode] if not getattr(body, f)]
    if missing:
        raise errors.delivery_incomplete(body.mode, MODE_NAMES[body.mode], missing)
    if body.mode == "post" and courier:
        await waybills.require_for_post(session, application, body.tracking_no)
    advance(application, "deliver", now=now)
    detail: dict[str, Any] = {"by": actor.subject, "unit": await staff_unit_code(session, actor)}
    visits = 1 if body.mode == "window" else 0  # the applicant came to collect it
    application.visits += visits
    if body.mode == "window":
        detail |= {"signed_by": body.signed_by, "signature_ref": body.signature_ref}
        await notify(
            session, application, "delivered", mode=MODE_NAMES["window"], detail=f"签收人：{body.signed_by}"
        )
    elif body.mode == "post":
        detail |= {"carrier": body.carrier, "tracking_no": body.tracking_no, "address": body.address}
        await notify(
            session,
            application,
            "delivered",
            mode=MODE_NAMES["post"],
            detail=f"{body.carrier}运单号{body.tracking_no}",
        )
    else:
        code = f"{secrets.randbelow(10**6):06d}"
        expires = local_date(now) + timedelta(days=LOCKER_DAYS)
        # Only the applicant learns the code (by SMS); the record keeps its hash.
        detail |= {
            "locker": body.locker,
            "pickup_code_sha256": hashlib.sha256(code.encode()).hexdigest(),
            "expires_on": expires.isoformat(),
        }
        await notify(
            session,
            application,
            "locker_pickup",
            locker=body.locker,
            pickup_code=code,
            expires=expires.isoformat(),
        )
    application.delivery_mode = body.mode
    application.delivery = detail
    application.delivered_at = now
    trace.append(
        session,
        application,
        action="delivered",
        actor=actor.subject,
        at=now,
        data={"mode": body.mode, **{k: v for k, v in detail.items() if k != "pickup_code_sha256"}},
    )
    await publish(
        session,
        application,
        events.ApplicationDelivered,
        actor,
        delivered_at=now,
        delivery_mode=body.mode,
        completed_at=application.completed_at,
        visits=visits,
        total_visits=application.visits,
    )
    return application
