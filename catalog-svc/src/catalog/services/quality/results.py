"""Findings, scores and the ids of every check (`CHECKS`); `Collector` gathers one entry's findings."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]

ERROR_WEIGHT = 10
WARNING_WEIGHT = 3
INFO_WEIGHT = 0
WEIGHTS: dict[str, int] = {"error": ERROR_WEIGHT, "warning": WARNING_WEIGHT, "info": INFO_WEIGHT}

CODE_MAX_LENGTH = 50
#: Levels whose entries may be offered at community stations: district and street items extended
#: to the stations (延伸至社区, the community-station rules), and the community's own.
COMMUNITY_KIND_LEVELS = (4, 5, 6)
CODE_RE = re.compile(r"[0-9A-Za-z._-]+")


# Every check id this module emits, with the accuracy table's element (or domain.md rule) it belongs to.
CHECKS: dict[str, str] = {
    "code.empty": "事项编码",
    "code.too_long": "事项编码",
    "code.charset": "事项编码",
    "code.uscc_checksum": "事项编码",
    "implementing_unit.uscc_missing": "实施主体",
    "implementing_unit.uscc_invalid": "实施主体",
    "power_source.missing": "权力来源",
    "quantity_limit.missing": "许可数量",
    "handling_type.missing": "办件类型",
    "handling_type.on_the_spot": "办件类型",
    "service_objects.missing": "服务对象",
    "handling_forms.missing": "办理形式",
    "acceptance_conditions.missing": "受理条件",
    "community_kind.missing": "社区事项类别",
    "community_kind.unexpected": "社区事项类别",
    "legal_limit.missing": "法定办结时限",
    "legal_limit.unit": "法定办结时限",
    "promised_limit.missing": "承诺办结时限",
    "promised_limit.unit": "承诺办结时限",
    "promised_limit.exceeds_legal": "承诺办结时限",
    "promised_limit.not_halved": "承诺办结时限",
    "place.missing": "办理地点",
    "place.street": "办理地点",
    "place.number": "办理地点",
    "place.room": "办理地点",
    "hours.missing": "办理时间",
    "hours.format": "办理时间",
    "hours.no_days": "办理时间",
    "enquiry_phone.missing": "联系电话",
    "enquiry_phone.invalid": "电话准确性",
    "enquiry_phone.no_area_code": "电话准确性",
    "enquiry_phone.mobile": "电话准确性",
    "enquiry_phone.not_landline": "电话准确性",
    "enquiry_phone.hotline_no_area_code": "电话准确性",
    "supervision_phone.missing": "监督电话",
    "supervision_phone.invalid": "电话准确性",
    "supervision_phone.no_area_code": "电话准确性",
    "supervision_phone.mobile": "电话准确性",
    "supervision_phone.not_landline": "电话准确性",
    "supervision_phone.hotline_no_area_code": "电话准确性",
    "phones.same_number": "电话准确性",
    "legal_basis.missing": "设定依据",
    "legal_basis.law_vague": "设定依据",
    "legal_basis.article": "设定依据",
    "legal_basis.article_format": "设定依据",
    "legal_basis.text": "设定依据",
    "special_steps.undeclared": "中介机构或特殊环节",
    "special_steps.contradiction": "中介机构或特殊环节",
    "special_steps.description": "中介机构或特殊环节",
    "materials.missing": "材料名称",
    "materials.name.catch_all": "材料名称",
    "materials.name.compound": "材料名称",
    "materials.notes.vague": "材料名称",
    "materials.duplicate": "材料名称",
    "materials.source": "材料来源或出具单位",
    "materials.quantity": "数量要求",
    "materials.media": "介质要求",
    "materials.media_count_mismatch": "介质要求",
    "materials.condition": "材料名称",
    "materials.exempt_source": "材料来源或出具单位",
    "materials.blank_form": "空表下载服务",
    "materials.sample_form": "样表下载服务",
    "materials.blank_form_url.invalid": "空表准确性",
    "materials.sample_form_url.invalid": "样表准确性",
    "materials.sample_form.same_as_blank": "样表准确性",
    "process.missing": "流程环节完备性",
    "process.incomplete": "流程环节完备性",
    "process.order": "流程环节完备性",
    "process.actor": "流程内容详实性",
    "process.time_limit": "流程内容详实性",
    "process.description": "流程内容详实性",
    "process.exceeds_promised": "流程内容详实性",
    "process_chart_url.missing": "流程图",
    "process_chart_url.invalid": "流程图",
    "visits.missing": "到办事现场次数",
    "visits.reason_missing": "到办事现场次数",
    "visits.depth_iv": "到办事现场次数",
    "visits.depth_iii": "到办事现场次数",
    "visits.zero_without_remote": "到办事现场次数",
    "fees.items_missing": "收费标准",
    "fees.standard": "收费标准",
    "fees.basis": "收费依据",
    "fees.basis_vague": "收费依据",
    "fees.items_without_charge": "收费明确标识",
    "fees.online_payment_without_fee": "收费明确标识",
    "online_depth.missing": "网办深度",
    "online_depth.too_low_for_online": "网办深度",
    "online_depth.no_online_form": "网办深度",
    "online_depth.iv_delivery": "网办深度",
    "appointment.not_supported": "预约服务",
    "result.name": "办理结果",
    "result.sample_url": "办理结果",
    "result.sample_url.invalid": "办理结果",
    "faq.missing": "常见问题",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in one element of a guide."""

    check: str
    element: str
    severity: Severity
    message: str
    hint: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class QualityResult:
    """All findings of one entry and its score (0–100, see the module docstring)."""

    findings: list[Finding] = field(default_factory=list)
    score: int = 100

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def passed(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "passed": self.passed,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
            "findings": [f.to_dict() for f in self.findings],
        }


def score_of(findings: list[Finding]) -> int:
    """100 minus the weights of the findings, floored at 0."""
    return max(0, 100 - sum(WEIGHTS[f.severity] for f in findings))


class Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, check: str, element: str, severity: Severity, message: str, hint: str) -> None:
        if check not in CHECKS:  # a programming error: every id is listed in CHECKS
            raise KeyError(check)
        self.findings.append(Finding(check, element, severity, message, hint))

    def error(self, check: str, element: str, message: str, hint: str) -> None:
        self.add(check, element, "error", message, hint)

    def warning(self, check: str, element: str, message: str, hint: str) -> None:
        self.add(check, element, "warning", message, hint)

    def info(self, check: str, element: str, message: str, hint: str) -> None:
        self.add(check, element, "info", message, hint)
