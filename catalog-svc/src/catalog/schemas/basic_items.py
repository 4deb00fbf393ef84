"""The basic catalogue (基本目录): one entry per item, implemented by units at their levels."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.pagination import Page

from .elements import ItemType, LegalBasis, Level, ShortText


class BasicItemCreate(BaseModel):
    """A new basic catalogue entry (基本目录); its code is generated."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText = Field(min_length=1, description="Item name (事项名称).")
    item_type: ItemType = Field(description="Item type (事项类型) 01–10 or 20.")
    legal_basis: list[LegalBasis] = Field(default_factory=list, max_length=50)
    region: str | None = Field(
        default=None, pattern=r"^\d{6}$", description="6-digit region (行政区划代码) for the code."
    )


class BasicItemRead(BaseModel):
    """A basic catalogue entry."""

    model_config = ConfigDict(from_attributes=True)

    basic_code: str = Field(description="Basic code (基本编码).")
    name: str = Field(description="Item name (事项名称).")
    item_type: ItemType = Field(description="Item type (事项类型) 01–10 or 20.")
    legal_basis: list[LegalBasis] = Field(description="Legal basis (设定依据) every implementation shares.")
    created_at: datetime


class BasicItemPage(Page[BasicItemRead]):
    """A page of basic catalogue entries, by code."""


class BasicItemImplementationRead(BaseModel):
    """A published implementation entry of a basic entry."""

    code: str = Field(description="Implementation code (实施编码).")
    owner_unit_code: str
    owner_unit_name: str
    level: Level = Field(description="Level (行使层级) 1–7.")


class BasicItemDetailRead(BasicItemRead):
    """A basic entry with its published implementations, by code."""

    implementations: list[BasicItemImplementationRead]
