"""Catalogue-wide reports: guide quality by department, and materials and time limits reduced."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from .items import FindingRead, Severity


class QualityReportFormat(StrEnum):
    """How a report is delivered: JSON for screens, CSV for the people who fix the findings."""

    JSON = "json"
    CSV = "csv"


class WorstCheckRead(BaseModel):
    """A check that fails often (常见问题项)."""

    check: str = Field(description="Stable check id.")
    severity: Severity
    count: int = Field(description="Findings of this check.")
    items: int = Field(description="Entries with at least one such finding.")


class QualityTotalsRead(BaseModel):
    """The whole catalogue's figures."""

    items: int = Field(description="Published entries checked.")
    departments: int
    average_score: float
    errors: int
    warnings: int
    items_with_errors: int
    items_passed: int
    worst_checks: list[WorstCheckRead]


class QualityDepartmentRead(BaseModel):
    """One department's figures (worst average score first)."""

    unit_code: str
    unit_name: str
    items: int = Field(description="Its published entries.")
    average_score: float
    min_score: int
    errors: int
    warnings: int
    items_with_errors: int
    worst_checks: list[WorstCheckRead]


class QualityItemRead(BaseModel):
    """One entry's result (lowest score first)."""

    code: str = Field(description="Implementation code (实施编码).")
    name: str
    unit: str = Field(description="Implementing unit's name.")
    unit_code: str
    score: int = Field(ge=0, le=100)
    passed: bool = Field(description="No errors: publishable.")
    errors: int
    warnings: int
    findings: list[FindingRead]


class QualityReportRead(BaseModel):
    """The guide-quality report (办事指南质量报告) over the versions in force."""

    generated_at: datetime
    totals: QualityTotalsRead
    departments: list[QualityDepartmentRead]
    item_results: list[QualityItemRead] = Field(description="Every published entry's result, worst first.")


class ReductionTargetsRead(BaseModel):
    """The targets of "halve materials, halve time" (减材料、减时限)."""

    materials_exempt_ratio: float = Field(description="Share of materials exempt (免提交) to reach.")
    time_compression_ratio: float = Field(description="Share by which promised limits undercut legal ones.")


class ReductionUnitRead(BaseModel):
    """One department's (or the district's) materials and time limits."""

    unit_code: str = Field(description="Unit code; `*` for the district total (全区合计).")
    unit_name: str
    items: int
    materials_total: int
    materials_required: int
    materials_exempt: int = Field(description="Materials not asked for (免提交).")
    materials_exempt_ratio: float | None = Field(description="Exempt / total; null without materials.")
    items_with_limits: int = Field(description="Entries with both a legal and a promised limit.")
    legal_days: float = Field(description="Sum of legal limits in working-day equivalents (法定时限).")
    promised_days: float = Field(description="Sum of promised limits in working-day equivalents (承诺时限).")
    time_compression_ratio: float | None = Field(
        description="(legal − promised) / legal; null without limits."
    )
    on_the_spot_items: int = Field(description="Entries handled on the spot (当场办结).")
    materials_target_met: bool
    time_target_met: bool


class ReductionReportRead(BaseModel):
    """The reduction report (减材料、减时限) per department and in total."""

    targets: ReductionTargetsRead
    units: list[ReductionUnitRead]
    totals: ReductionUnitRead = Field(description="The district (全区合计), unit code `*`.")


class HalvingItemRead(BaseModel):
    """One item: what the catalogue promises against what applications actually took."""

    item_code: str
    item_name: str
    owner_unit_code: str
    materials_listed: int = Field(description="Materials the item lists (申请材料).")
    materials_required: int = Field(description="Of them, not exempt (须提交).")
    applications: int = Field(description="Applications received in the period.")
    materials_brought_mean: float | None = Field(
        description="Materials applicants actually had to bring at submission, on average (实际提交材料数)."
    )
    corrected_share: float | None = Field(
        default=None,
        description="Share of the applications that needed a correction round after a one-time notice "
        "(需补正比例, 0–1): each such round is another trip or upload.",
    )
    correction_materials_mean: float | None = Field(
        default=None,
        description="Materials handed in for corrections, per application on average (补正材料数).",
    )
    promised_days: int | None = Field(description="The promised limit (承诺时限).")
    completed: int = Field(description="Applications completed in the period.")
    days_taken_median: float | None = Field(description="Working days taken, median (实际用时中位数).")
    days_taken_p90: float | None = Field(description="Working days taken, 90th percentile.")


class HalvingReportRead(BaseModel):
    """减材料、减时限 in fact: per item, required vs brought materials and promised vs actual time."""

    days: int = Field(description="The period: applications received in the last this many days.")
    generated_at: datetime
    by_item: list[HalvingItemRead] = Field(description="One row per item in force.")
