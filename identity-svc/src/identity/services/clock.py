"""Time in one place: aware UTC datetimes everywhere (see yiwang_shared.orm)."""

from yiwang_shared.orm import as_utc, utcnow

__all__ = ["as_utc", "utcnow"]
