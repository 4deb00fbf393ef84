"""Request and response models of catalog-svc (never the tables' names)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .elements import ItemElements, LegalBasis, ShortText, Text

ItemStatus = Literal["draft", "published", "retired"]
VersionStatus = Literal["draft", "in_review", "published", "retired"]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class BasicItemCreate(BaseModel):
    """A new basic catalogue entry (基本目录); its code is generated."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText = Field(min_length=1)
    item_type: Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"]
    legal_basis: list[LegalBasis] = Field(default_factory=list, max_length=50)
    region: str | None = Field(
        default=None, pattern=r"^\d{6}$", description="6-digit region (行政区划代码) for the code."
    )


class BasicItemRead(_Out):
    """A basic catalogue entry."""

    basic_code: str
    name: str
    item_type: str
    legal_basis: list[dict[str, Any]]
    created_at: datetime


class ItemCreate(BaseModel):
    """A new implementation entry: its elements (draft version 1), optionally under a basic code."""

    model_config = ConfigDict(extra="forbid")

    basic_code: str | None = Field(default=None, max_length=50)
    elements: ItemElements


class VersionUpdate(BaseModel):
    """The whole element document of a draft (PUT semantics)."""

    model_config = ConfigDict(extra="forbid")

    elements: ItemElements


class ReasonBody(BaseModel):
    """An optional reason (for returning a version or retiring an item)."""

    model_config = ConfigDict(extra="forbid")

    reason: Text | None = None


class ItemView(_Out):
    """An implementation entry's summary."""

    id: str = Field(description="Stable item id (also `item_id` in events).")
    code: str = Field(description="Implementation code (实施编码).")
    basic_code: str = Field(description="Basic code (基本编码).")
    name: str
    item_type: str
    level: int
    owner_unit_code: str
    owner_unit_name: str
    status: ItemStatus
    current_version_no: int | None = Field(description="The published version in force.")
    latest_version_no: int = Field(description="The newest version, whatever its status.")
    online_depth: str | None
    visits: int | None
    community_kind: str | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime


class VersionView(_Out):
    """One version of an entry with its elements."""

    item_code: str
    version_no: int
    status: VersionStatus
    elements: ItemElements
    quality_score: int | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    published_by: str | None
    retired_at: datetime | None


class VersionSummary(_Out):
    """A version without its elements (for lists)."""

    version_no: int
    status: VersionStatus
    quality_score: int | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    retired_at: datetime | None


class ItemDetail(ItemView):
    """An entry with the version shown to the caller."""

    version: VersionView


class ItemPage(BaseModel):
    """A page of entries; `score` is set for text searches."""

    total: int
    limit: int
    offset: int
    items: list[ItemHit]


class ItemHit(ItemView):
    """An entry in a result list."""

    score: float | None = None


class DiffEntry(BaseModel):
    """One element path that differs between two versions."""

    path: str
    before: Any = None
    after: Any = None


class ChangeRead(_Out):
    """One audit-trail entry (留痕)."""

    version_no: int
    actor_id: str | None
    action: str
    changed_elements: list[str]
    reason: str | None
    at: datetime


class FindingRead(BaseModel):
    """One quality finding."""

    severity: str
    element: str
    check: str
    message: str
    hint: str | None = None


class QualityRead(BaseModel):
    """The quality check of one version."""

    item_code: str
    version_no: int
    score: int
    errors: int
    findings: list[FindingRead]


class BundleCreate(BaseModel):
    """A new "one thing" bundle (一件事) of existing items."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText = Field(min_length=1)
    description: Text | None = None
    item_codes: list[str] = Field(min_length=2, max_length=50)


ItemPage.model_rebuild()
