"""The citizen guide (办事指南) as JSON: every element, codes with their Chinese labels.

Mirrors `catalog.services.guide.guide_json`; the API validates that function's output against `GuideRead`,
so the document and the answer cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ..lifecycles import VersionStatus
from .elements import Commitment, Faq, FeeItem, LegalBasis, Proactive, Result, UnitRef


class CodeLabelRead(BaseModel):
    """A standard code with its Chinese label (e.g. `{"code": "07", "label": "行政确认"}`)."""

    code: str | int = Field(description="The code as stored (level codes are integers).")
    label: str = Field(description="Its Chinese label from the code table (GB/T 39046-2020).")


class GuideMetaRead(BaseModel):
    """What the guide was rendered from."""

    code: str | None = Field(description="Implementation code (实施编码).")
    basic_code: str | None = Field(description="Basic code (基本编码).")
    version_no: int | None = Field(description="The published version shown.")
    status: VersionStatus | None = Field(
        description="That version's status: published, or retired for an older one."
    )
    published_at: datetime | None
    unit_name: str | None = Field(description="Implementing unit (实施主体).")
    unit_code: str | None


class GuideLimitRead(BaseModel):
    """A time limit with a ready-made Chinese text ("20个工作日", "当场办结")."""

    value: int
    unit: CodeLabelRead
    note: str | None
    on_the_spot: bool = Field(description="0: on the spot (当场办结).")
    text: str


class GuidePlaceRead(BaseModel):
    """Where to go (办理地点), with the address in one line."""

    address: str | None
    street: str | None
    number: str | None
    room: str | None
    text: str = Field(description="The address as one line for display.")


class GuideMaterialRead(BaseModel):
    """One application material (申请材料) with labelled codes."""

    name: str
    source: str | None
    originals: int
    copies: int
    media: list[CodeLabelRead]
    requirement: CodeLabelRead = Field(description="required 必要, conditional 情形材料.")
    condition: str | None
    blank_form_url: str | None
    sample_form_url: str | None
    exempt: bool = Field(description="免提交: not asked for because it is shared or looked up.")
    exempt_source: str | None
    licence_type_code: str | None = Field(
        default=None, description="证照类型代码: fetched from the licence library when held."
    )
    notes: str | None


class GuideSpecialStepRead(BaseModel):
    """A special procedure (特殊环节)."""

    kind: CodeLabelRead
    description: str | None
    time_limit: GuideLimitRead | None


class GuideProcessStepRead(BaseModel):
    """A step of the handling process (办理流程)."""

    step: CodeLabelRead
    actor: str | None
    time_limit: GuideLimitRead | None
    description: str | None


class GuideFeesRead(BaseModel):
    """Fees (收费)."""

    charged: bool
    label: str = Field(description="收费 or 不收费.")
    items: list[FeeItem]


class GuideDecisionRuleRead(BaseModel):
    """A rule of 秒批 with its Chinese wording."""

    kind: CodeLabelRead
    value: str


class GuideAutoApprovalRead(BaseModel):
    """秒批: the rules' version and the rules."""

    version: int
    rules: list[GuideDecisionRuleRead]


class GuideRead(BaseModel):
    """The citizen guide (办事指南) of a published version."""

    meta: GuideMetaRead
    html_url: str = Field(
        description="The printable HTML page of this guide (打印版), as the client reaches it."
    )
    demo: bool = Field(description="True when values are invented demo data (演示数据).")
    name: str
    item_type: CodeLabelRead
    implementing_unit: UnitRef
    level: CodeLabelRead
    power_source: CodeLabelRead | None
    legal_basis: list[LegalBasis]
    handling_type: CodeLabelRead | None
    legal_limit: GuideLimitRead | None
    promised_limit: GuideLimitRead | None
    service_objects: list[CodeLabelRead]
    handling_forms: list[CodeLabelRead]
    place: GuidePlaceRead | None
    hours: str | None
    enquiry_phone: str | None
    supervision_phone: str | None
    acceptance_conditions: str | None
    quantity_limit: str | None
    special_steps: list[GuideSpecialStepRead]
    no_special_steps: bool
    materials: list[GuideMaterialRead]
    process: list[GuideProcessStepRead]
    process_chart_url: str | None
    visits: int | None
    visits_text: str = Field(description='"零跑动（0次）", "1次", or "" when unknown.')
    visits_reason: str | None
    fees: GuideFeesRead
    online_depth: CodeLabelRead | None
    appointment_supported: bool
    online_payment_supported: bool
    post_delivery_supported: bool
    faq: list[Faq]
    result: Result
    commitment: Commitment | None = Field(description="告知承诺制, when the item allows it.")
    auto_approval: GuideAutoApprovalRead | None = Field(description="秒批 rules, when the item has them.")
    proactive: Proactive | None = Field(description="免申即享, when the item is offered unasked.")
    community_kind: CodeLabelRead | None
    keywords: list[str]
    themes: list[str]
