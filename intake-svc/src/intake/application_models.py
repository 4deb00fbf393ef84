"""intake-svc application tables."""

from __future__ import annotations

from .models import Base  # noqa: F401
