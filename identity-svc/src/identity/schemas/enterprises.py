"""Enterprise (法人) schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from yiwang_shared.validators import Uscc

from .common import PersonRef


class EnterpriseCreate(BaseModel):
    """Register an enterprise with the caller as its legal representative (法定代表人)."""

    name: str = Field(min_length=1, max_length=200, description="Registered name (名称).")
    uscc: Uscc


class EnterpriseRead(BaseModel):
    """An enterprise, and how the caller relates to it."""

    id: str
    name: str
    uscc: str
    legal_representative: PersonRef
    loa: int
    relation: Literal["legal_representative", "agent", "staff"] = Field(
        description="Why the caller may see it: they represent it, act for it, or are staff."
    )
    created_at: datetime
