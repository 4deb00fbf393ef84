"""The catalogue items as intake's read model has them (`/v1/catalog-items`).

Items arrive by catalog.item.published.v1; their elements are typed here as far as intake relies on
them (materials, limits, handling type), the rest passes through as catalog-svc published it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.pagination import Page

from . import HandlingType, LimitUnit, Medium


class _Published(BaseModel):
    # catalog-svc owns these documents and may add elements; intake passes them on unchanged.
    model_config = ConfigDict(extra="allow")


class CatalogUnitRead(_Published):
    """The implementing unit (实施主体)."""

    code: str
    name: str
    uscc: str | None = Field(default=None, description="统一社会信用代码.")


class CatalogTimeLimitRead(_Published):
    """A time limit (办结时限); 0 means on the spot (当场办结)."""

    value: int
    unit: LimitUnit = Field(description="working_day 工作日, natural_day 自然日, hour 小时.")
    note: str | None = None


class CatalogMaterialRead(_Published):
    """An application material (申请材料) as the item asks for it."""

    name: str = Field(description="Material name (材料名称); hand it in under exactly this name.")
    source: str | None = Field(default=None, description="Issuer (出具单位).")
    originals: int = Field(default=0, description="Originals (原件份数).")
    copies: int = Field(default=0, description="Copies (复印件份数).")
    media: list[Medium] = Field(default_factory=list, description="Accepted media (原件/复印件/电子版).")
    requirement: Literal["required", "conditional"] = Field(
        default="required",
        description="required 必要, conditional 情形材料 (only when its condition applies).",
    )
    condition: str | None = Field(default=None, description="When a conditional material applies (适用情形).")
    exempt: bool = Field(default=False, description="免提交: fetched or shared, never asked for.")
    exempt_source: str | None = None
    notes: str | None = None


class CatalogResultRead(_Published):
    """The result the item issues (办理结果)."""

    name: str | None = None


class CatalogElementsRead(_Published):
    """The elements of a published version (实施清单要素); catalog-svc's full document."""

    name: str
    implementing_unit: CatalogUnitRead | None = None
    level: int | None = Field(default=None, description="行使层级: 1 national … 6 community, 7 graded.")
    handling_type: HandlingType | None = Field(
        default=None, description="办件类型: 1 即办件, 2 承诺件, 9 其他."
    )
    legal_limit: CatalogTimeLimitRead | None = Field(default=None, description="Legal time limit (法定时限).")
    promised_limit: CatalogTimeLimitRead | None = Field(
        default=None, description="Promised time limit (承诺时限)."
    )
    materials: list[CatalogMaterialRead] = Field(default_factory=list)
    appointment_supported: bool | None = Field(default=None, description="是否支持预约.")
    result: CatalogResultRead | None = None


class CatalogItemRead(BaseModel):
    """An item applications can be made against (可申请的事项)."""

    code: str = Field(description="Implementation code (实施编码).")
    name: str
    owner_unit_code: str = Field(description="The deciding unit (审批部门).")
    version_no: int = Field(description="The version in force.")


class CatalogItemPage(Page[CatalogItemRead]):
    """A page of the items in force, by code."""


class CatalogItemVersionRead(CatalogItemRead):
    """The version in force of an item, with its elements."""

    elements: CatalogElementsRead
