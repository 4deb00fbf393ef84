"""Organisation-unit (组织机构) schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.validators import Uscc

OrgUnitKind = Literal["district", "street", "community", "department", "service_centre", "station", "window"]
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"

_KIND = Field(
    description="Kind (机构类型): district 区, street 街道, community 社区, department 委办局, "
    "service_centre 服务中心, station 服务站, window 窗口."
)
_LEVEL = Field(
    default=None,
    ge=1,
    le=7,
    description="Level (行使层级): 4 district, 5 street, 6 community. Territorial kinds have their "
    "own level; other kinds take their parent's. Omit it to have it derived.",
)


class OrgUnitCreate(BaseModel):
    """A new organisation unit."""

    code: str = Field(
        pattern=CODE_PATTERN,
        description="Unit code (机构编码): unique, never reused; letters, digits, - and _, ≤ 32.",
        examples=["110105001"],
    )
    name: str = Field(min_length=1, max_length=100, description="Name (机构名称).")
    kind: OrgUnitKind = _KIND
    level: int | None = _LEVEL
    parent_id: str | None = Field(default=None, description="Parent unit id; null only for a district.")
    uscc: Uscc | None = Field(
        default=None, description="USCC (统一社会信用代码) when the unit is a legal entity."
    )


class OrgUnitUpdate(BaseModel):
    """Changes to a unit; only the fields sent are changed. Code and kind never change."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    level: int | None = _LEVEL
    parent_id: str | None = None
    uscc: Uscc | None = None


class OrgUnitRead(BaseModel):
    """An organisation unit."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    kind: OrgUnitKind
    level: int
    parent_id: str | None
    uscc: str | None
    created_at: datetime
    updated_at: datetime


class OrgUnitNode(OrgUnitRead):
    """A unit with its children, for the tree."""

    children: list[OrgUnitNode] = Field(default_factory=list)
