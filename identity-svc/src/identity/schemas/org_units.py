"""Organisation-unit (组织机构) schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.pagination import Page
from yiwang_shared.validators import Uscc

OrgUnitKind = Literal["district", "street", "community", "department", "service_centre", "station", "window"]
#: 行使层级 codes: 1 national … 7 graded management.
OrgUnitLevel = Literal[1, 2, 3, 4, 5, 6, 7]
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"

KIND_DESCRIPTION = (
    "Kind (机构类型): district 区, street 街道, community 社区, department 委办局, "
    "service_centre 服务中心, station 服务站, window 窗口."
)
LEVEL_DESCRIPTION = (
    "Level (行使层级): 1 national, 2 provincial, 3 municipal, 4 district, 5 street, 6 community, "
    "7 graded management. Districts, streets and communities have their own level; other kinds "
    "take their parent's."
)
_LEVEL = Field(default=None, description=LEVEL_DESCRIPTION + " Omit it to have it derived.")


class OrgUnitCreate(BaseModel):
    """A new organisation unit."""

    code: str = Field(
        pattern=CODE_PATTERN,
        description="Unit code (机构编码): unique, never reused; letters, digits, - and _, ≤ 32.",
        examples=["110105001"],
    )
    name: str = Field(min_length=1, max_length=100, description="Name (机构名称).")
    kind: OrgUnitKind = Field(description=KIND_DESCRIPTION)
    level: OrgUnitLevel | None = _LEVEL
    parent_id: str | None = Field(default=None, description="Parent unit id; null only for a district.")
    uscc: Uscc | None = Field(
        default=None, description="USCC (统一社会信用代码) when the unit is a legal entity."
    )


class OrgUnitUpdate(BaseModel):
    """Changes to a unit; only the fields sent are changed. Code and kind never change."""

    name: str | None = Field(default=None, min_length=1, max_length=100, description="Name (机构名称).")
    level: OrgUnitLevel | None = _LEVEL
    parent_id: str | None = Field(default=None, description="Move the unit under this parent.")
    uscc: Uscc | None = Field(default=None, description="USCC (统一社会信用代码); null removes it.")


class OrgUnitRead(BaseModel):
    """An organisation unit."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str = Field(description="Unit code (机构编码), e.g. 110105-MZJ.")
    name: str = Field(description="Name (机构名称).")
    kind: OrgUnitKind = Field(description=KIND_DESCRIPTION)
    level: OrgUnitLevel = Field(description=LEVEL_DESCRIPTION)
    parent_id: str | None = Field(description="The parent unit's id; null for a district.")
    uscc: str | None = Field(description="USCC (统一社会信用代码) when the unit is a legal entity.")
    created_at: datetime
    updated_at: datetime


class OrgUnitPage(Page[OrgUnitRead]):
    """A page of organisation units, by code."""


class OrgUnitNodeRead(OrgUnitRead):
    """A unit with its children, for the tree."""

    children: list[OrgUnitNodeRead] = Field(description="Child units, by code.")


class OrgUnitTreeRead(BaseModel):
    """The organisation tree (组织机构树): its roots (or the one subtree asked for), each with children."""

    roots: list[OrgUnitNodeRead] = Field(description="Top units (districts), or the subtree's root.")
