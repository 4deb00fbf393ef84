"""一件事 (bundle applications): one submission for a bundle of the catalogue, split into a case per
item for each deciding department."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from yiwang_shared.pagination import Page

from ..lifecycles import ApplicationStatus
from . import ApplicantSubmit, DeliveryWishRead, MaterialSubmit, NoticeRead, Short, _In

#: A bundle application's status, the combination of its cases' (一件事办理状态).
BundleStatus = Literal["submitted", "correction_requested", "in_progress", "ready", "delivered", "closed"]
#: The steps taken on a bundle application (for all of its cases at once).
BundleAction = Literal["issue_notice", "resubmit", "accept", "deliver"]

BUNDLE_STATUS_NAMES: dict[str, str] = {
    "submitted": "已接件",
    "correction_requested": "待补正",
    "in_progress": "办理中",
    "ready": "已办结，待送达",
    "delivered": "已送达",
    "closed": "已终止",
}


class BundleApplicationSubmit(_In):
    """One submission for a "one thing" bundle (一件事): one merged form and one set of materials."""

    bundle_code: Short = Field(
        description="The bundle's code (一件事编码), from GET /api/catalog/v1/bundles."
    )
    applicant: ApplicantSubmit | None = Field(
        default=None,
        description="Whom it is for. Online: omit it (the caller's own account applies). Staff: "
        "`applicant.id` of the person served.",
    )
    enterprise_id: str | None = Field(
        default=None,
        max_length=64,
        description="Apply for this enterprise (法人); needs a grant for every item.",
    )
    form: dict[str, Any] = Field(
        default_factory=dict, description="The merged form (一表制): applicant fields once, each item's own."
    )
    conditions: list[Short] = Field(
        default_factory=list,
        max_length=100,
        description="Names of conditional materials whose condition applies (适用情形).",
    )
    materials: list[MaterialSubmit] = Field(
        default_factory=list,
        max_length=200,
        description="Each material once, however many items need it (材料共享): every item that asks "
        "for it gets it.",
    )


class BundleProblemRead(BaseModel):
    """A problem of the one completeness check, once however many items it concerns."""

    material: str = Field(description="The material's name (材料名称).")
    message: str = Field(description="What to hand in, in Chinese.")
    item_codes: list[str] = Field(description="The items that need it.")


class BundleCaseRead(BaseModel):
    """One of the bundle application's cases: an item decided by its department."""

    application_id: str
    application_no: str = Field(description="The case's own number (申请编号), for the department.")
    item_code: str
    item_name: str
    owner_unit_code: str = Field(description="The deciding unit (审批部门).")
    owner_unit_name: str | None = Field(
        default=None, description="The deciding unit's name, e.g. 北京市朝阳区市场监督管理局."
    )
    stage: int = Field(
        description="Its stage (办理阶段): it goes to its department once the earlier are approved."
    )
    status: ApplicationStatus
    status_name: str = Field(description="The status in Chinese.")
    handed_over: bool = Field(description="Whether its department has it (已分办).")
    due_on: date | None = Field(description="Its promised date (承诺办结日期).")
    decision: Literal["approved", "refused"] | None
    result_name: str | None = Field(description="What it produced (办理结果), once completed.")


class BundleApplicationRead(BaseModel):
    """A bundle application (一件事办件): one number, one acceptance number, one delivery."""

    id: str
    bundle_no: str = Field(description="The applicant's one number (一件事申请编号), e.g. YJ202600000001.")
    bundle_code: str
    bundle_name: str
    applicant_id: str
    applicant_name: str
    enterprise_id: str | None
    channel: str = Field(description="window | online | assisted.")
    intake_unit_code: str | None = Field(
        default=None,
        description="The window that receives it (受理窗口): the clerk's at a window; online, the "
        "centre's 一件事 window, which accepts every case of it as one.",
    )
    delivery_wish: DeliveryWishRead | None = Field(
        default=None,
        description="How the applicant asked to receive the results (领取方式, the form's `delivery`).",
    )
    received_at: datetime
    status: BundleStatus = Field(
        description="The combination of its cases' (一件事办理状态): submitted 已接件, correction_requested "
        "待补正, in_progress 办理中, ready 已办结待送达, delivered 已送达, closed 已终止."
    )
    status_name: str
    stage: int | None = Field(description="The stage being decided now, while in progress.")
    problems: list[BundleProblemRead] = Field(
        description="The one completeness check (一次性告知): what is still missing, each material once."
    )
    notice_numbers: list[str] = Field(description="The one-time notices issued (一次性告知书编号).")
    notices: list[NoticeRead] = Field(
        default_factory=list,
        description="Those notices, each printable (`html_url`): one for each case that lacked something.",
    )
    acceptance_no: str | None = Field(description="The one acceptance number (受理编号).")
    accepted_at: datetime | None
    due_on: date | None = Field(description="When every case is promised done (the latest case's date).")
    completed_at: datetime | None = Field(description="When its last case was completed (办结).")
    delivery_mode: str | None
    delivered_at: datetime | None
    cases: list[BundleCaseRead] = Field(description="Its cases (分办件), in the bundle's order.")
    allowed_actions: list[BundleAction] = Field(description="What the caller may do with it now.")


class BundleApplicationSummaryRead(BaseModel):
    """A bundle application in a list."""

    id: str
    bundle_no: str
    bundle_code: str
    bundle_name: str
    applicant_name: str
    received_at: datetime
    acceptance_no: str | None
    delivered_at: datetime | None


class BundleApplicationPage(Page[BundleApplicationSummaryRead]):
    """A page of bundle applications, newest first."""
