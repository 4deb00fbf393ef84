"""材料复用 and 表单预填: the caller's uploaded materials they may hand in again, and an item's
application form filled in from their identity account and their licences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from yiwang_shared.pagination import Page


class ReusableFileRead(BaseModel):
    """A file the caller handed in before as a material, still within its validity (可复用材料)."""

    file_id: str = Field(description="Hand it in again as `materials[].file_id` (provided_as upload).")
    filename: str
    content_type: str
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="sha256 of the content, hex.")
    material: str = Field(description="The material name (材料名称) it was handed in as.")
    uploaded_at: datetime = Field(description="When it was uploaded (the latest time, for the same bytes).")
    last_used_at: datetime = Field(description="When it was last handed in as this material.")
    times_used: int = Field(
        description="In how many of the caller's applications it was handed in as this material."
    )
    valid_until: date = Field(
        description="The last day it may be reused (有效期至): 180 days after its upload; later it must be "
        "uploaded anew."
    )


class ReusableFilePage(Page[ReusableFileRead]):
    """A page of the caller's reusable files, most recently used first."""


PrefillSourceKind = Literal["profile", "licence"]


class PrefillSourceRead(BaseModel):
    """Where a prefilled value came from (数据来源)."""

    kind: PrefillSourceKind = Field(
        description="profile: the caller's identity account (统一身份认证账号; for an enterprise, the "
        "enterprise the token acts for); licence: a licence in the electronic licence library (电子证照)."
    )
    licence_type_code: str | None = Field(default=None, description="The licence's type code (证照类型代码).")
    licence_no: str | None = Field(default=None, description="The licence's number (证照编号).")
    licence_name: str | None = Field(default=None, description="The licence type's name (证照名称).")


class PrefillFieldRead(BaseModel):
    """A field of the item's application form (申请表) as the prefill knows it."""

    key: str = Field(description="The field's key, as in catalog-svc's merged forms (一表制).")
    label: str = Field(description="The label printed on the form, in Chinese.")


class HeldMaterialRead(BaseModel):
    """A material of the item the licence library holds for the caller (两个免于提交): not handed in."""

    material: str = Field(description="The material name (材料名称).")
    licence_type_code: str = Field(description="The licence type standing for it (证照类型代码).")
    licence_no: str = Field(description="The caller's valid licence of that type (证照编号).")
    valid_until: date | None = Field(description="Its validity (有效期至); null: without end (长期).")


class PrefillRead(BaseModel):
    """The item's application form prefilled for the caller (表单预填): values from their identity
    account and their licences, what the library holds for them, what they may hand in again."""

    item_code: str
    fields: list[PrefillFieldRead] = Field(
        description="The form's applicant fields (申请人信息): a person's, or an organisation's when the "
        "token acts for an enterprise."
    )
    values: dict[str, str] = Field(description="Field key → prefilled value (only fields with a value).")
    sources: dict[str, PrefillSourceRead] = Field(description="Field key → where its value came from.")
    held_materials: list[HeldMaterialRead] = Field(
        description="The item's materials the licence library holds for the caller, valid now."
    )
    reusable_files: list[ReusableFileRead] = Field(
        description="Files the caller handed in before as one of the item's materials, still valid "
        "(newest use first, at most 100)."
    )
    licences_checked: bool = Field(
        description="False when the licence library could not be asked: values and held materials "
        "from licences are then missing, not absent."
    )
