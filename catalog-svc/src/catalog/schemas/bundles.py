""" "One thing" bundles (一件事): items applied for together with one merged form and material set."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yiwang_shared.pagination import Page

from ..lifecycles import ItemStatus
from .elements import Medium, ServiceObject, ShortText, Text


class BundleCreate(BaseModel):
    """A new "one thing" bundle (一件事) of published items."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText = Field(min_length=1, description="The life event's name, e.g. 我要开餐馆.")
    description: Text | None = None
    item_codes: list[str] = Field(
        min_length=2, max_length=50, description="Implementation codes (实施编码), in the order to show."
    )
    stages: list[int] | None = Field(
        default=None,
        min_length=2,
        max_length=50,
        description="The stage (办理阶段) of each item, in the order of `item_codes`: items of one stage "
        "are decided in parallel (并联审批), a later stage only once every item of the earlier ones is "
        "approved. Absent: every item in stage 1.",
    )

    @model_validator(mode="after")
    def _stages_match_items(self) -> BundleCreate:
        if self.stages is not None:
            if len(self.stages) != len(self.item_codes):
                raise ValueError("stages 须与 item_codes 一一对应（数量相同）")
            if any(s < 1 for s in self.stages):
                raise ValueError("办理阶段（stages）从 1 开始编号")
        return self


class BundleSummaryRead(BaseModel):
    """A bundle in a list."""

    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="Bundle code, `YJS` + 6 digits.")
    name: str
    description: str | None
    created_at: datetime


class BundlePage(Page[BundleSummaryRead]):
    """A page of bundles, by code."""


class BundleMemberRead(BaseModel):
    """One item of a bundle."""

    code: str = Field(description="Implementation code (实施编码).")
    name: str
    status: ItemStatus = Field(description="A retired item stays listed but leaves the merged sets.")
    version_no: int | None = Field(description="The version in force.")
    owner_unit_code: str
    owner_unit_name: str
    stage: int = Field(
        ge=1, description="Its stage (办理阶段): decided with the items of its stage, after the earlier ones."
    )


class BundleMaterialNeedRead(BaseModel):
    """Which item asks for a merged material, and how."""

    item_code: str
    item_name: str
    requirement: Literal["required", "conditional"]
    condition: str | None


class BundleMaterialRead(BaseModel):
    """A material of the merged set: same name and source asked once."""

    name: str
    source: str | None
    originals: int = Field(description="The most any item asks for.")
    copies: int = Field(description="The most any item asks for.")
    media: list[Medium]
    requirement: Literal["required", "conditional"] = Field(description="required if any item requires it.")
    exempt: bool = Field(description="免提交 only when exempt for every item that needs it.")
    exempt_source: str | None
    needed_by: list[BundleMaterialNeedRead]
    shared: bool = Field(description="Needed by more than one item (asked once).")


class ServiceObjectLabelRead(BaseModel):
    """A service object (服务对象) with its Chinese name."""

    code: ServiceObject
    name: str


class FormFieldRead(BaseModel):
    """A field of the merged form."""

    key: str
    label: str = Field(description="The label printed on the form, in Chinese.")
    required: bool
    section: Literal["applicant"] | None = Field(default=None, description="`applicant` for the shared part.")


class FormSectionRead(BaseModel):
    """The merged form's section for one item."""

    item_code: str
    item_name: str
    fields: list[FormFieldRead]


class BundleFormRead(BaseModel):
    """The one merged form (一表制): applicant fields once, then one section per item."""

    service_objects: list[ServiceObjectLabelRead]
    applicant_fields: list[FormFieldRead]
    item_sections: list[FormSectionRead]


class BundleRead(BaseModel):
    """A bundle with its items, merged materials and merged form."""

    code: str = Field(description="Bundle code, `YJS` + 6 digits.")
    name: str
    description: str | None
    members: list[BundleMemberRead] = Field(description="Its items (事项), in the bundle's order.")
    materials: list[BundleMaterialRead]
    materials_asked: int = Field(description="Merged materials the applicant still hands in (not exempt).")
    materials_before_merge: int = Field(description="Materials of the items counted one by one.")
    form: BundleFormRead
    created_at: datetime
