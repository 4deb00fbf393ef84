"""Publishing a case's events (transactional outbox) and queuing its SMS (the notification outbox),
both in the transaction of the state change they announce."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import events
from ..models.applications import Application
from .access import staff_id
from .bundle_steps import sent_by_bundle
from .notification_outbox import queue_message


def case_facts(application: Application, actor: Principal | None) -> dict[str, Any]:
    """The fields every application event carries (`actor`: who acts, None for the system)."""
    return {
        "application_id": application.id,
        "application_no": application.application_no,
        "item_code": application.item_code,
        "item_name": application.item_name,
        "version_no": application.version_no,
        "owner_unit_code": application.owner_unit_code,
        "intake_unit_code": application.intake_unit_code,
        "accepting_unit_code": application.accepting_unit_code,
        "entrusted": application.entrustment_id is not None,
        "channel": application.channel,
        "online": application.online,
        "applicant_kind": "enterprise" if application.enterprise_id else "person",
        "applicant_subject": application.applicant_id,
        "enterprise_id": application.enterprise_id,
        "staff_id": staff_id(actor),
        "handling_type": application.handling_type,
        "legal_limit_days": application.legal_limit_days,
        "promised_limit_days": application.promised_limit_days,
        "limit_unit": application.limit_unit,
        "visits": application.visits,
        "received_at": application.received_at,
        "accepted_at": application.accepted_at,
        "due_on": application.due_on,
    }


async def publish(
    session: AsyncSession,
    application: Application,
    payload: type[events.CaseFacts],
    actor: Principal | None,
    **extra: Any,
) -> None:
    """Write the event to the outbox in the current transaction (`extra` may redefine a fact, as
    the delivered event's `visits` does)."""
    await events.publish(session, payload(**{**case_facts(application, actor), **extra}))


async def publish_closed(
    session: AsyncSession,
    application: Application,
    closed_as: str,
    actor: Principal | None,
    *,
    notice_no: str | None,
    now: datetime,
) -> None:
    """Announce that the case closed without a decision (不予受理, 逾期未补正, 撤回, 撤销受理)."""
    await publish(
        session,
        application,
        events.ApplicationClosed,
        actor,
        closed_as=closed_as,
        reason=application.closed_reason or "",
        closed_at=now,
        notice_no=notice_no,
    )


async def notify(session: AsyncSession, application: Application, kind: str, **params: Any) -> None:
    """Queue an SMS of `kind` to the applicant in the current transaction (a 一件事 case's own
    notices, acceptance, completion and delivery are told once by its bundle instead)."""
    if sent_by_bundle(application, kind):
        return
    base = {"application_no": application.application_no, "item_name": application.item_name}
    await queue_message(
        session,
        kind=kind,
        phone=application.applicant_phone,
        person_id=application.applicant_id,
        application_id=application.id,
        params={k: str(v) for k, v in {**base, **params}.items()},
    )
