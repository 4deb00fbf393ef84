"""Mappings from other services' event payloads to evaluation's model, one module per publisher.

Each module validates leniently (unknown fields ignored) and raises `PayloadRejected` when a
field evaluation needs is missing, so the consumer parks the event instead of retrying forever.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class PayloadRejected(ValueError):
    """A consumed payload lacks what evaluation needs (the reason says which field)."""


def month_of(at: datetime) -> str:
    """The reporting month (Asia/Shanghai) of an instant, as YYYY-MM."""
    return at.astimezone(SHANGHAI).strftime("%Y-%m")
