"""Enterprise (法人) schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from yiwang_shared.pagination import Page
from yiwang_shared.validators import Uscc

from .common import LOA_DESCRIPTION, Loa, PersonSummaryRead

EnterpriseRelation = Literal["legal_representative", "agent", "staff"]


class EnterpriseCreate(BaseModel):
    """Register an enterprise with the caller as its legal representative (法定代表人)."""

    name: str = Field(min_length=1, max_length=200, description="Registered name (名称).")
    uscc: Uscc


class EnterpriseRead(BaseModel):
    """An enterprise, and how the caller relates to it."""

    id: str
    name: str = Field(description="Registered name (名称).")
    uscc: str = Field(description="Unified social credit code (统一社会信用代码).")
    legal_representative: PersonSummaryRead = Field(description="The legal representative (法定代表人).")
    loa: Loa = Field(description=LOA_DESCRIPTION)
    relation: EnterpriseRelation = Field(
        description="Why the caller may see it: they represent it, act for it, or are staff."
    )
    created_at: datetime


class EnterprisePage(Page[EnterpriseRead]):
    """A page of enterprises, by name."""
