"""Queueing a message: one row in the caller's transaction, so it is sent iff the change commits."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import new_id, utcnow
from yiwang_shared.validators import mask_mobile, validate_mobile

from ..models.notifications import NotificationMessage
from .notification_texts import render

#: Key in `Session.info` set by a write that queued a message to send: the SMS dispatcher is woken
#: by commits that carry it (yiwang_shared.db.Database.add_commit_hook), not by every event.
MESSAGES_DIRTY = "intake_messages_dirty"


async def queue_message(
    session: AsyncSession,
    *,
    kind: str,
    phone: str | None,
    person_id: str | None,
    application_id: str | None,
    params: Mapping[str, str],
    appointment_id: str | None = None,
) -> None:
    """Queue an SMS of `kind` in the caller's transaction; ValueError for a bad kind or params.

    Without a usable mobile number the message is kept as `skipped` (the applicant still sees it
    in their message list), never raised: contact data is not a programming error.
    """
    text = render(kind, params)
    number: str | None = None
    problem: str | None = None
    if phone is not None and phone.strip():
        try:
            number = validate_mobile(phone)
        except ValueError as exc:
            # Bad contact data must not undo the state change the message announces: the row is
            # kept (skipped, with the reason) so staff see that the applicant was not reached.
            problem = f"not sent: {exc} ({mask_mobile(phone)})"
    now = utcnow()
    session.add(
        NotificationMessage(
            id=new_id(),
            kind=kind,
            phone=number,
            person_id=person_id,
            application_id=application_id,
            appointment_id=appointment_id,
            params={k: str(v) for k, v in params.items()},
            text=text,
            # Without a phone there is nothing to send; the row stays as the applicant's record.
            status="pending" if number else "skipped",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            last_error=problem,
        )
    )
    if number:
        session.info[MESSAGES_DIRTY] = True
