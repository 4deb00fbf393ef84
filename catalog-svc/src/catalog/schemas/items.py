"""Implementation entries (实施清单), their versions, audit trail, diffs and quality checks."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.pagination import Page

from ..lifecycles import ItemStatus, VersionStatus
from .elements import CommunityKind, ItemElements, ItemType, Level, OnlineDepth, Text

OpenVersionStatus = Literal["draft", "in_review"]
ChangeAction = Literal[
    "created", "edited", "submitted", "returned", "published", "retired", "new_version", "publish_refused"
]
Severity = Literal["error", "warning", "info"]

#: Version numbers a client may ask for; beyond this no entry has one (and the databases' integers
#: would overflow), so a larger one is a 422 naming the bound rather than a lookup.
MAX_VERSION_NO = 100_000


class LevelCode(IntEnum):
    """Level (行使层级) as a query parameter: 1 national … 6 community, 7 graded management."""

    NATIONAL = 1
    PROVINCIAL = 2
    MUNICIPAL = 3
    DISTRICT = 4
    STREET = 5
    COMMUNITY = 6
    GRADED = 7


class _FromRows(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ItemCreate(BaseModel):
    """A new implementation entry: its elements (draft version 1), optionally under a basic code."""

    model_config = ConfigDict(extra="forbid")

    basic_code: str | None = Field(
        default=None,
        max_length=50,
        description="Basic code (基本编码) to implement; omitted: a new basic entry is created.",
    )
    elements: ItemElements


class VersionUpdate(BaseModel):
    """The whole element document of a draft (PUT semantics)."""

    model_config = ConfigDict(extra="forbid")

    elements: ItemElements


class VersionReturn(BaseModel):
    """Returning a version in review to draft (退回修改), with the reason the editors will read."""

    model_config = ConfigDict(extra="forbid")

    reason: Text | None = Field(default=None, description="What to change (退回原因).")


class ItemRetire(BaseModel):
    """Retiring an entry (停用), with the reason recorded in the audit trail and the event."""

    model_config = ConfigDict(extra="forbid")

    reason: Text | None = Field(default=None, description="Why it is retired (停用原因).")


class ItemRead(_FromRows):
    """An implementation entry's summary."""

    id: str = Field(description="Stable item id (also `item_id` in events).")
    code: str = Field(description="Implementation code (实施编码).")
    basic_code: str = Field(description="Basic code (基本编码).")
    name: str = Field(description="Item name (事项名称).")
    item_type: ItemType = Field(description="Item type (事项类型) 01–10 or 20.")
    level: Level = Field(description="Level (行使层级) 1–7.")
    owner_unit_code: str = Field(description="Implementing unit's code (实施主体编码).")
    owner_unit_name: str = Field(description="Implementing unit's name (实施主体名称).")
    status: ItemStatus = Field(description="draft until first published, then published, then retired.")
    current_version_no: int | None = Field(description="The published version in force.")
    latest_version_no: int = Field(description="The newest version, whatever its status.")
    online_depth: OnlineDepth | None = Field(description="Online depth (网办深度) I–IV.")
    visits: int | None = Field(description="Visits in person (到办事现场次数); 0 = 零跑动.")
    community_kind: CommunityKind | None = Field(description="Community-level kind (社区事项类别).")
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ItemHitRead(ItemRead):
    """An entry in a list or search result."""

    score: float | None = Field(default=None, description="Relevance (相关度) of a text search; else null.")


class ItemPage(Page[ItemHitRead]):
    """A page of entries; with `q`, best match first."""


class VersionRead(_FromRows):
    """One version of an entry with its elements."""

    item_code: str = Field(description="Implementation code (实施编码) of the entry.")
    version_no: int = Field(description="Version number (版本号), from 1.")
    status: VersionStatus = Field(
        description="draft 草稿, in_review 审核中, published 已发布, retired 已停用."
    )
    elements: ItemElements
    quality_score: int | None = Field(description="Guide-quality score (质量得分) at publishing, 0–100.")
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    submitted_by: str | None = Field(description="Who sent it for review (提交审核人).")
    published_at: datetime | None
    published_by: str | None = Field(
        description="Who reviewed and published it (审核发布人); never one of its authors."
    )
    retired_at: datetime | None


class ItemDetailRead(ItemRead):
    """An entry with the version shown to the caller (the one in force, or an editor's draft)."""

    version: VersionRead


class VersionSummaryRead(_FromRows):
    """A version without its elements (for lists)."""

    version_no: int
    status: VersionStatus
    quality_score: int | None
    created_by: str | None = Field(default=None, description="Who started it; null for the system.")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    submitted_by: str | None = Field(default=None, description="Who sent it for review (提交审核人).")
    published_at: datetime | None
    published_by: str | None = Field(default=None, description="Who reviewed and published it (审核发布人).")
    retired_at: datetime | None


class VersionPage(Page[VersionSummaryRead]):
    """A page of an entry's versions, oldest first."""


class OpenVersionRead(BaseModel):
    """A draft or a version in review (草稿、审核中) on an editor's work list."""

    item_id: str = Field(description="Stable item id.")
    item_code: str = Field(description="Implementation code (实施编码).")
    name: str = Field(description="Item name (事项名称) as this version has it.")
    owner_unit_code: str = Field(description="Implementing unit's code (实施主体编码).")
    owner_unit_name: str = Field(description="Implementing unit's name (实施主体名称).")
    item_status: ItemStatus = Field(description="The entry's status: draft until first published.")
    current_version_no: int | None = Field(description="The published version in force, if any.")
    version_no: int = Field(description="This version's number (版本号).")
    status: OpenVersionStatus = Field(description="draft 草稿 or in_review 审核中.")
    created_by: str | None = Field(description="Who started this version; null for the system.")
    created_at: datetime
    updated_at: datetime
    submitted_by: str | None = Field(description="Who sent it for review (提交审核人).")
    submitted_at: datetime | None
    can_publish: bool = Field(
        description="True when it is in review and the caller is not one of its authors "
        "(起草、修改、提交人), so the caller may review and publish it."
    )
    returned_at: datetime | None = Field(
        default=None,
        description="When a reviewer returned this draft (退回修改), if it has not been submitted again "
        "since; null otherwise.",
    )
    returned_reason: str | None = Field(
        default=None, description="The reviewer's reason (退回原因) for that return, if one was given."
    )


class OpenVersionPage(Page[OpenVersionRead]):
    """A page of drafts and versions in review, the oldest change first."""


#: A leaf of the element document: a value, or an empty list or object (a non-empty one is
#: compared element by element, under its own paths).
DiffValue = (
    str
    | int
    | float
    | bool
    | Annotated[list[str], Field(max_length=0)]
    | Annotated[dict[str, str], Field(max_length=0)]
    | None
)


class DiffEntryRead(BaseModel):
    """One element path that differs between two versions."""

    path: str = Field(description="Element path, e.g. `materials[0].name`.")
    before: DiffValue = Field(default=None, description="The value in `from_version`; null when absent.")
    after: DiffValue = Field(default=None, description="The value in `to_version`; null when absent.")


class ItemDiffRead(BaseModel):
    """Element-by-element differences between two versions of an entry (版本比对)."""

    item_code: str
    from_version: int
    to_version: int
    changes: list[DiffEntryRead] = Field(description="Every differing leaf path, in document order.")


class ChangeRead(_FromRows):
    """One audit-trail entry (留痕)."""

    version_no: int
    actor_id: str | None = Field(description="Who did it (the token's subject); null for the system.")
    action: ChangeAction
    changed_elements: list[str] = Field(description="Top-level elements an edit changed.")
    reason: str | None
    at: datetime


class ChangePage(Page[ChangeRead]):
    """A page of an entry's audit trail, oldest first."""


class FindingRead(BaseModel):
    """One guide-quality finding (质量问题)."""

    severity: Severity = Field(description="error 错误 (blocks publishing), warning 警告, info 提示.")
    element: str = Field(description="Element path, e.g. `materials[2].source`.")
    check: str = Field(description="Stable check id, e.g. `phones.same_number`.")
    message: str = Field(description="What is wrong, in Chinese.")
    hint: str | None = Field(default=None, description="How to fix it (修改建议), in Chinese.")


class QualityRead(BaseModel):
    """The guide-quality check of one version."""

    item_code: str
    version_no: int
    score: int = Field(ge=0, le=100, description="100 minus the weights of the findings.")
    errors: int = Field(description="Findings of severity error; publishing needs none.")
    findings: list[FindingRead]
