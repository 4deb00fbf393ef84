"""Publishing a case's events (transactional outbox) and queuing its SMS (helper C's outbox),
both in the transaction of the state change they announce."""

from __future__ import annotations

from typing import Any

from .. import events
from ..models.applications import Application
from ..notifications import queue_message
from .context import Ctx


def case_facts(app: Application, ctx: Ctx) -> dict[str, Any]:
    """The fields every application event carries."""
    return {
        "application_id": app.id,
        "application_no": app.application_no,
        "item_code": app.item_code,
        "item_name": app.item_name,
        "version_no": app.version_no,
        "owner_unit_code": app.owner_unit_code,
        "intake_unit_code": app.intake_unit_code,
        "accepting_unit_code": app.accepting_unit_code,
        "entrusted": app.entrustment_id is not None,
        "channel": app.channel,
        "online": app.online,
        "applicant_kind": "enterprise" if app.enterprise_id else "person",
        "applicant_subject": app.applicant_id,
        "staff_id": ctx.staff_id,
        "handling_type": app.handling_type,
        "legal_limit_days": app.legal_limit_days,
        "promised_limit_days": app.promised_limit_days,
        "limit_unit": app.limit_unit,
        "visits": app.visits,
        "received_at": app.received_at,
        "accepted_at": app.accepted_at,
        "due_on": app.due_on,
    }


async def publish(ctx: Ctx, payload: type[events.CaseFacts], app: Application, **extra: Any) -> None:
    """Write the event to the outbox in the current transaction (`extra` may redefine a fact, as
    the delivered event's `visits` does)."""
    await events.publish(ctx.session, payload(**{**case_facts(app, ctx), **extra}))


async def publish_closed(ctx: Ctx, app: Application, closed_as: str, *, notice_no: str | None) -> None:
    """Announce that the case closed without a decision (不予受理, 逾期未补正, 撤回, 撤销受理)."""
    await publish(
        ctx,
        events.ApplicationClosed,
        app,
        closed_as=closed_as,
        reason=app.closed_reason or "",
        closed_at=ctx.now,
        notice_no=notice_no,
    )


async def notify(ctx: Ctx, app: Application, kind: str, **params: Any) -> None:
    """Queue an SMS of `kind` to the applicant in the current transaction."""
    base = {"application_no": app.application_no, "item_name": app.item_name}
    await queue_message(
        ctx.session,
        kind=kind,
        phone=app.applicant_phone,
        person_id=app.applicant_id,
        application_id=app.id,
        params={k: str(v) for k, v in {**base, **params}.items()},
    )
