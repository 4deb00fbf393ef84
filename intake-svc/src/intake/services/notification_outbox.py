"""Queueing a message: one row in the caller's transaction, so it is sent iff the change commits.

While this process's SMS dispatcher runs, a message is claimed for it as it is written (status
`sending`, the dispatcher's token and lease: `SmsClaim` in the session's info) and handed to it
after the commit (`SmsClaim.handoff_key`), so sending it takes no claiming transaction; a process that
dies before sending leaves the row to any dispatcher once the lease runs out, as after a crash
mid-send. Without a running dispatcher the row is written `pending` for a claim pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import list_for_handoff
from yiwang_shared.orm import new_id, utcnow
from yiwang_shared.validators import mask_mobile, validate_mobile

from ..repositories.notifications import NotificationRepository
from .notification_senders import OutgoingSms
from .notification_texts import render

#: Key in `Session.info` set by a write that queued a message to send: the SMS dispatcher is woken
#: by commits that carry it (yiwang_shared.db.Database.add_commit_hook), not by every event.
MESSAGES_DIRTY = "intake_messages_dirty"
#: Key in `Session.info` (set for every session while the dispatcher runs) holding its `SmsClaim`.
SMS_CLAIM = "intake_sms_claim"


@dataclass(frozen=True)
class SmsClaim:
    """The running dispatcher's claim, stamped on each message as it is written."""

    token: str
    lease_seconds: float

    @property
    def handoff_key(self) -> str:
        """Key in `Session.info` listing the messages claimed for this dispatcher, handed to it
        (and to no other dispatcher of the same database) after the commit."""
        return f"intake_messages_handed:{self.token}"


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
    message_id = new_id()
    row: dict[str, object] = {
        "id": message_id,
        "kind": kind,
        "phone": number,
        "person_id": person_id,
        "application_id": application_id,
        "appointment_id": appointment_id,
        "params": {k: str(v) for k, v in params.items()},
        "text": text,
        # Without a phone there is nothing to send; the row stays as the applicant's record.
        "status": "pending" if number else "skipped",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "last_error": problem,
        "claimed_by": None,
        "lease_until": None,
    }
    claim: SmsClaim | None = session.info.get(SMS_CLAIM)
    if number and claim is not None:
        row.update(status="sending", claimed_by=claim.token, attempts=1)
        row["lease_until"] = now + timedelta(seconds=claim.lease_seconds)
        list_for_handoff(session, claim.handoff_key, [OutgoingSms(message_id, number, text, kind)])
    elif number:
        session.info[MESSAGES_DIRTY] = True
    await NotificationRepository(session).add(row)
