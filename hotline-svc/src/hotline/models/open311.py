"""Open311 api keys (stored hashed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from yiwang_shared.orm import new_id, utcnow

from .base import Base


class Open311Key(Base):
    """An Open311 `api_key` an integrator posts requests with (stored hashed)."""

    __tablename__ = "open311_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
