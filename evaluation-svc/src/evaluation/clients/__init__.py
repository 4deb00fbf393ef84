"""What evaluation knows of the other services: their event payloads mapped to evaluation's terms,
one module per publisher (no code of theirs is imported), and the reading of their streams
(`streams`).

Each payload module validates leniently (unknown fields ignored) and raises `PayloadRejected` when a
field evaluation needs is missing. It is a `PermanentError`, so the shared consumer runner
dead-letters the event at once (the reason in the `Yiwang-Error` header) and keeps nothing of the
handler's transaction: retrying would never fix it, and a corrected redelivery still applies.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from yiwang_shared.events import PermanentError

SHANGHAI = ZoneInfo("Asia/Shanghai")


class PayloadRejected(PermanentError):
    """A consumed payload lacks what evaluation needs (the reason says which field)."""


def month_of(at: datetime) -> str:
    """The reporting month (Asia/Shanghai) of an instant, as YYYY-MM."""
    return at.astimezone(SHANGHAI).strftime("%Y-%m")
