"""Guide quality checker (办事指南质量检查).

`check(elements, code=...)` reads one implementation entry (`catalog.elements.ItemElements`) and
returns a `QualityResult`: findings per element (stable check id, element path, severity,
citizen-facing Chinese message, fix hint) and a score. Pure code: no database, no web framework.

Checks against the guide-accuracy table (办事指南准确度) of seed 003's appendix
--------------------------------------------------------------------------
Every check id is listed in `CHECKS` with the seed element it belongs to.
Severity: a missing or wrong element that the table checks is an **error**; softer style
issues are **warnings**; advisory figures (e.g. compression against the legal limit) are **info**.

Each seed element, the check ids that judge it, and [what needs something outside the data]:

* 事项类型 — enforced by `ItemElements` (a required enumeration).
* 权力来源 — `power_source.missing`.
* 许可数量 — `quantity_limit.missing` (error for 01 行政许可, warning for other types).
* 办件类型 — `handling_type.missing`.
* 事项编码 — `code.empty`, `code.too_long` (> 50), `code.charset` (ASCII letters, digits,
  ``-_.``), `code.uscc_checksum` (an 18-character ``-_.``-separated segment that looks like a
  USCC must pass the GB 32100 check digit); `implementing_unit.uscc_missing` (warning),
  `implementing_unit.uscc_invalid`. [uniqueness and no reuse: the database]
* 服务对象 — `service_objects.missing`.
* 法定办结时限 — `legal_limit.missing`, `legal_limit.unit` (hours instead of 工作日/自然日, warning).
* 承诺办结时限 — `promised_limit.missing`, `promised_limit.unit` (warning),
  `promised_limit.exceeds_legal` (same unit only), `promised_limit.not_halved` (info: the
  "双减半" target of seed 003).
* 办理地点 — `place.missing`, `place.street`, `place.number`, `place.room` (the structured
  field, or found in the free-text address; a floor alone is not a room or window).
* 办理时间 — `hours.missing`; `hours.format` (no HH:MM–HH:MM range) and `hours.no_days` (no
  weekday / 工作日 words) are warnings.
* 联系电话 / 监督电话 — `enquiry_phone.missing`, `supervision_phone.missing`. [接通率, answer
  rate: needs calling]
* 电话准确性 — `phones.same_number`; per phone `*.invalid`, `*.no_area_code` (errors),
  `*.mobile`, `*.not_landline` (400/800), `*.hotline_no_area_code` (warnings). [whether the
  number is in service]
* 设定依据 — `legal_basis.missing`, `legal_basis.law_vague` ("相关法律法规"…),
  `legal_basis.article`, `legal_basis.text` (errors), `legal_basis.article_format` (warning).
  [whether the quoted text matches the law]
* 中介机构或特殊环节 — `special_steps.undeclared` (neither listed nor `no_special_steps`),
  `special_steps.contradiction`, `special_steps.description` (warnings).
* 材料名称 — `materials.name.catch_all` (其他材料/相关材料/等材料/有关材料…, error),
  `materials.name.compound` (several materials in one name, warning), `materials.notes.vague`
  ("按规定", "视情况"…, warning), `materials.duplicate`, `materials.missing` (warnings);
  `materials.condition` (情形材料 without the condition). [finest grain is a human judgement;
  the catch-all and compound rules are heuristics]
* 材料来源或出具单位 — `materials.source`; `materials.exempt_source` for 免提交 materials.
* 数量要求 — `materials.quantity` (original/copy medium asked with a count of 0).
* 介质要求 — `materials.media`, `materials.media_count_mismatch` (warning).
* 流程环节完备性 — `process.missing`, `process.incomplete`, `process.order`.
* 流程内容详实性 — `process.actor`, `process.time_limit` (errors), `process.description`,
  `process.exceeds_promised` (step times add up to more than the promise; warnings).
* 流程图 — `process_chart_url.missing`, `process_chart_url.invalid`. [layout and content]
* 到办事现场次数 — `visits.missing`, `visits.reason_missing`, `visits.depth_iv`,
  `visits.depth_iii` (III = 最多跑一次), `visits.zero_without_remote` (0 visits but window only).
* 空表下载 / 样表下载 — `materials.blank_form`, `materials.sample_form` for materials whose
  name is a form (…表, 申请书, 承诺书 …). [which materials really are filled in]
* 空表 / 样表准确性 — `materials.blank_form_url.invalid`, `materials.sample_form_url.invalid`
  (syntax: http/https with a host), `materials.sample_form.same_as_blank` (warning). [dead
  links, garbled files, content]
* 收费 明确标识 — `fees.items_without_charge`, `fees.online_payment_without_fee`.
  [`Fees.charged` is a bool, so "not stated" cannot be told from "free"]
* 收费标准 / 收费依据 — `fees.items_missing`, `fees.standard`, `fees.basis`,
  `fees.basis_vague` (no document name or number, warning).
* 网办深度 — `online_depth.missing`, `online_depth.too_low_for_online` (web/mobile form ⇒
  ≥ III), `online_depth.no_online_form` (III/IV ⇒ web or mobile form), `online_depth.iv_delivery`
  (IV without post delivery, warning). [whether the online service really works]
* 预约服务 — `appointment.not_supported` (window items without online booking, warning).
  [`appointment_supported` is a bool: "not stated" ≡ "not supported"]

Consistency rules of domain.md ("Catalogue") and the other elements:

* depth IV ⇒ visits = 0 (`visits.depth_iv`); visits > 0 ⇒ reason (`visits.reason_missing`);
* 即办件 ⇔ promised limit 0 = on the spot (`handling_type.on_the_spot`);
* no fee ⇒ no online payment (`fees.online_payment_without_fee`); charged ⇒ items with standard
  and basis;
* enquiry ≠ supervision phone, both with area code (see *Phones* below);
* community-level entries (level 6) carry `community_kind` (`community_kind.missing`); a kind is
  also expected on district (4) and street (5) entries extended to the community stations (seed
  004's 社区（村）政务服务事项清单 lists district departments' items "延伸至社区（村）"), and is
  `community_kind.unexpected` (warning) on national, provincial, municipal or graded entries;
* `handling_forms.missing`, `acceptance_conditions.missing`, `result.name` (errors);
  `result.sample_url` missing (warning) or not http(s) (error); `faq.missing` (warning);
* the implementing unit's USCC: missing (warning), bad check digit (error).

Decisions
---------
* **Phones.** An office phone is a landline with its area code: ``021-12345678``,
  ``(021)12345678``, ``（021）1234 5678``, ``+86 21 12345678``, with an optional extension
  (``转123``). A number without area code is an error. The 123xx government hotlines (12345,
  12315 …) are accepted: with an area code (``021-12345``) silently, bare (``12345``) with a
  warning, because dialled from another city it reaches that city's centre. A mobile number is
  not an office phone (warning); 400/800 numbers are not landlines (warning). Several numbers
  may be listed separated by ``、，,;；/`` — each is checked, and enquiry and supervision may not
  share any number (compared without area code when one side lacks it).
* **Process.** A 承诺件/other item must show 受理 → 审核 → 审批 → 办结 → 送达 in that order
  (a kind may repeat, e.g. two 审核 steps). A 即办件 is decided at the window in one act, so
  受理 → 办结 → 送达 is enough; 审核/审批, if listed, must still be in order.
* **Time limits** are compared only when both have the same unit (working and natural days do
  not convert without a calendar). ``hour`` is allowed by the model but the guide must say
  工作日 or 自然日, so a non-zero hour limit is a warning.
* **Forms** are materials whose name ends in 表/表格/申请书/申报书/承诺书/委托书/声明书/登记书
  (optionally followed by a parenthesised note) — the applicant fills them, so a blank and a
  sample form are required. Exempt (免提交) materials are not checked for source/media/forms.

Scoring
-------
The score starts at 100 and loses **10 per error** and **3 per warning**; info findings cost
nothing; the floor is 0. Every finding costs the same whatever its element: the stars (★) in the
seed table are the district's *2018 ranking* per indicator (★★★ = places 1–4 in the city,
★★ = 5–9, ★ = 10–16, see the table's footnote), not an importance weight, so they are not used
as weights. More findings never raise the score. `passed` means no errors — publishing is
refused while errors remain.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from catalog.elements import PROCESS_STEPS, ItemElements, LegalBasis, Material, TimeLimit

Severity = Literal["error", "warning", "info"]

ERROR_WEIGHT = 10
WARNING_WEIGHT = 3
INFO_WEIGHT = 0
WEIGHTS: dict[str, int] = {"error": ERROR_WEIGHT, "warning": WARNING_WEIGHT, "info": INFO_WEIGHT}

CODE_MAX_LENGTH = 50
#: Levels whose entries may be offered at community stations: district and street items extended
#: to the stations (延伸至社区, seed 004), and the community's own.
COMMUNITY_KIND_LEVELS = (4, 5, 6)
CODE_RE = re.compile(r"[0-9A-Za-z._-]+")


# Every check id this module emits, with the seed-003 element (or domain.md rule) it belongs to.
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


# --------------------------------------------------------------------------------------------
# Helpers


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def valid_http_url(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host and no whitespace (syntax only)."""
    if _blank(url):
        return False
    assert url is not None
    if any(ch.isspace() for ch in url.strip()):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


def uscc_check_digit(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters of a USCC."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def valid_uscc(value: str) -> bool:
    """True when `value` is an 18-character 统一社会信用代码 with a correct check digit."""
    value = value.strip().upper()
    if not _USCC_RE.fullmatch(value):
        return False
    return uscc_check_digit(value[:17]) == value[17]


# Phones ---------------------------------------------------------------------------------------

PhoneKind = Literal["landline", "hotline", "hotline_local", "mobile", "service", "local", "invalid"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９（）－—–＋　", "0123456789()---+ ")
_PHONE_SPLIT_RE = re.compile(r"[、,，;；/]|或")
_EXTENSION_RE = re.compile(r"(转|分机|ext\.?|EXT\.?|#).*$")


def classify_phone(raw: str) -> tuple[PhoneKind, str]:
    """Classify one phone number; returns its kind and its normalised digits.

    landline: area code + 7–8 digits; hotline: area code + 123xx; hotline_local: bare 123xx;
    mobile: 1[3-9]xxxxxxxxx; service: 400/800; local: 7–8 digits without area code.
    """
    text = raw.translate(_FULLWIDTH).strip()
    text = _EXTENSION_RE.sub("", text)
    if not re.fullmatch(r"[\d\s()+\-]+", text):
        return "invalid", re.sub(r"\D", "", text)
    digits = re.sub(r"[\s()\-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
        if not digits.startswith("0") and not re.fullmatch(r"1[3-9]\d{9}", digits):
            digits = "0" + digits
    elif digits.startswith("+"):
        return "invalid", digits[1:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return "mobile", digits
    if re.fullmatch(r"123\d{2}", digits):
        return "hotline_local", digits
    if re.fullmatch(r"0\d{2,3}123\d{2}", digits):
        return "hotline", digits
    if re.fullmatch(r"[48]00\d{7}", digits):
        return "service", digits
    if re.fullmatch(r"0[1-9]\d{1,2}[2-9]\d{6,7}", digits) and 10 <= len(digits) <= 12:
        return "landline", digits
    if re.fullmatch(r"[2-9]\d{6,7}", digits):
        return "local", digits
    return "invalid", digits


def split_phones(value: str) -> list[str]:
    return [p.strip() for p in _PHONE_SPLIT_RE.split(value) if p.strip()]


def _same_number(a: str, b: str) -> bool:
    if a == b:
        return True
    # one side without area code: compare the subscriber part
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return not short.startswith("0") and long_.startswith("0") and long_.endswith(short)


# Materials ------------------------------------------------------------------------------------

CATCH_ALL_TERMS: tuple[str, ...] = (
    "其他材料",
    "其它材料",
    "相关材料",
    "其他相关材料",
    "有关材料",
    "等材料",
    "其他资料",
    "相关资料",
    "有关资料",
    "其他证明",
    "相关证明",
    "有关证明",
    "其他文件",
    "相关文件",
    "有关文件",
    "其他证件",
    "相关证件",
    "需要的其他",
    "要求的其他",
    "规定的其他",
    "认为需要",
    "补充材料",
)
_CATCH_ALL_TAIL_RE = re.compile(r"等(相关|有关)?$")
VAGUE_TERMS: tuple[str, ...] = (
    "相关要求",
    "有关要求",
    "按规定",
    "按照规定",
    "有关规定",
    "相关规定",
    "视情况",
    "必要时",
    "根据需要",
    "如需",
    "酌情",
)
_COMPOUND_RE = re.compile(r"、|以及|及|或|和")
_COMPOUND_SAFE = ("共和国", "涉及", "或者", "和平", "及时")
FORM_NAME_RE = re.compile(r"(表|表格|申请书|申报书|承诺书|委托书|声明书|登记书)\s*([（(][^）)]*[）)])?\s*$")


def is_form(name: str) -> bool:
    """A material the applicant fills in (…表, 申请书, 承诺书 …): needs blank and sample forms."""
    return bool(FORM_NAME_RE.search(name.strip()))


def _catch_all(name: str) -> str | None:
    for term in CATCH_ALL_TERMS:
        if term in name:
            return term
    if _CATCH_ALL_TAIL_RE.search(name.strip()):
        return "等"
    return None


def _compound(name: str) -> bool:
    stripped = name
    for safe in _COMPOUND_SAFE:
        stripped = stripped.replace(safe, "")
    # a parenthesised note may legitimately say "原件及复印件"
    stripped = re.sub(r"[（(][^）)]*[）)]", "", stripped)
    return bool(_COMPOUND_RE.search(stripped))


_VAGUE_LAW_RE = re.compile(r"^(国家|本市|省|市|区)?(相关|有关)(法律|法规|规定|文件|政策)")
_ARTICLE_RE = re.compile(r"第\s*[0-9一二三四五六七八九十百千零〇两]+\s*[条款项章]")
_TIME_RANGE_RE = re.compile(
    r"\d{1,2}\s*[:：.点时]\s*\d{0,2}\s*分?\s*[-—–~～至到]\s*\d{1,2}\s*[:：.点时]?\s*\d{0,2}"
)
_DAYS_RE = re.compile(r"周|星期|礼拜|工作日|每天|每日|节假日|全天")
_STREET_RE = re.compile(r"[路街道巷弄里胡同]|大道|公路")
_NUMBER_RE = re.compile(r"\d+\s*号|[一二三四五六七八九十百]+号")
_ROOM_RE = re.compile(r"室|房间|窗口|号窗|[A-Za-z]?\d+\s*[区厅]")
_FEE_BASIS_RE = re.compile(r"《[^》]+》|〔\d{4}〕|\[\d{4}\]|\d{4}\s*[号〕]|第.+[条号]")


# --------------------------------------------------------------------------------------------
# The checker


class _Collector:
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


def check(elements: ItemElements, *, code: str | None = None) -> QualityResult:
    """Run every data-checkable guide-quality rule on one entry (see the module docstring)."""
    c = _Collector()
    _check_code(c, elements, code)
    _check_basic(c, elements)
    _check_limits(c, elements)
    _check_place_and_hours(c, elements)
    _check_phones(c, elements)
    _check_legal_basis(c, elements)
    _check_special_steps(c, elements)
    _check_materials(c, elements)
    _check_process(c, elements)
    _check_visits(c, elements)
    _check_fees(c, elements)
    _check_online(c, elements)
    _check_other(c, elements)
    return QualityResult(findings=list(c.findings), score=score_of(c.findings))


def _check_code(c: _Collector, el: ItemElements, code: str | None) -> None:
    if code is None:
        return
    if not code.strip():
        c.error("code.empty", "code", "事项编码为空", "按本区统一编码规则赋码")
        return
    if len(code) > CODE_MAX_LENGTH:
        c.error(
            "code.too_long",
            "code",
            f"事项编码长度为 {len(code)}，超过 {CODE_MAX_LENGTH} 位",
            "按本区统一编码规则重新赋码",
        )
    if not CODE_RE.fullmatch(code):
        c.error(
            "code.charset",
            "code",
            "事项编码含有不允许的字符",
            "编码只能由英文字母、数字和 - _ . 组成，不含空格和中文",
        )
    for segment in re.split(r"[-_.]", code):
        if len(segment) == 18 and _USCC_RE.fullmatch(segment.upper()) and not valid_uscc(segment):
            c.error(
                "code.uscc_checksum",
                "code",
                f"事项编码中的统一社会信用代码 {segment} 校验位错误",
                "核对实施主体的统一社会信用代码后重新赋码",
            )


def _check_basic(c: _Collector, el: ItemElements) -> None:
    if el.power_source is None:
        c.error("power_source.missing", "power_source", "未标注权力来源", "标注权力来源，如“法定本级行使”")
    if el.handling_type is None:
        c.error("handling_type.missing", "handling_type", "未标注办件类型", "标注办件类型：即办件或承诺件")
    if not el.service_objects:
        c.error(
            "service_objects.missing", "service_objects", "未标注服务对象", "标注服务对象，如自然人、企业法人"
        )
    if not el.handling_forms:
        c.error(
            "handling_forms.missing",
            "handling_forms",
            "未标注办理形式",
            "标注办理形式：窗口办理、网上办理、移动端办理或快递申请",
        )
    if _blank(el.quantity_limit):
        msg, hint = "未标注有无数量限制", "标注数量限制；没有限制的写“无数量限制”"
        if el.item_type == "01":
            c.error("quantity_limit.missing", "quantity_limit", msg, hint)
        else:
            c.warning("quantity_limit.missing", "quantity_limit", msg, hint)
    if _blank(el.acceptance_conditions):
        c.error(
            "acceptance_conditions.missing",
            "acceptance_conditions",
            "未写明受理条件",
            "写明申请人需满足的条件，如户籍、年龄、资格",
        )
    uscc = el.implementing_unit.uscc
    if _blank(uscc):
        c.warning(
            "implementing_unit.uscc_missing",
            "implementing_unit.uscc",
            "未填写实施主体的统一社会信用代码",
            "填写实施主体的 18 位统一社会信用代码",
        )
    elif uscc is not None and not valid_uscc(uscc):
        c.error(
            "implementing_unit.uscc_invalid",
            "implementing_unit.uscc",
            "实施主体的统一社会信用代码格式或校验位错误",
            "核对 18 位统一社会信用代码",
        )
    if el.level == 6 and el.community_kind is None:
        c.error(
            "community_kind.missing",
            "community_kind",
            "村（社区）级事项未标注类别",
            "标注为受理类、代收代办类或咨询预审类",
        )
    elif el.community_kind is not None and el.level not in COMMUNITY_KIND_LEVELS:
        c.warning(
            "community_kind.unexpected",
            "community_kind",
            "非区级、街镇级或社区级事项标注了社区事项类别",
            "删除社区事项类别，或核对行使层级",
        )


def _limit_text(limit: TimeLimit) -> str:
    if limit.value == 0:
        return "当场办结"
    unit = {"working_day": "个工作日", "natural_day": "个自然日", "hour": "小时"}[limit.unit]
    return f"{limit.value}{unit}"


def _check_limits(c: _Collector, el: ItemElements) -> None:
    legal, promised = el.legal_limit, el.promised_limit
    if legal is None:
        c.error(
            "legal_limit.missing", "legal_limit", "未标注法定办结时限", "标注法定时限，并注明工作日或自然日"
        )
    elif legal.unit == "hour" and legal.value > 0:
        c.warning(
            "legal_limit.unit",
            "legal_limit.unit",
            "法定办结时限未注明是工作日还是自然日",
            "以工作日或自然日表示法定时限",
        )
    if promised is None:
        c.error(
            "promised_limit.missing",
            "promised_limit",
            "未标注承诺办结时限",
            "标注承诺时限，并注明工作日或自然日",
        )
    elif promised.unit == "hour" and promised.value > 0:
        c.warning(
            "promised_limit.unit",
            "promised_limit.unit",
            "承诺办结时限未注明是工作日还是自然日",
            "以工作日或自然日表示承诺时限，当场办结填 0",
        )
    if legal is not None and promised is not None and legal.unit == promised.unit:
        if promised.value > legal.value:
            c.error(
                "promised_limit.exceeds_legal",
                "promised_limit.value",
                f"承诺时限（{_limit_text(promised)}）超过法定时限（{_limit_text(legal)}）",
                "承诺时限不得超过法定时限",
            )
        elif legal.value > 0 and promised.value * 2 > legal.value:
            c.info(
                "promised_limit.not_halved",
                "promised_limit.value",
                f"承诺时限为法定时限的 {promised.value * 100 // legal.value}%，未压缩一半",
                "按“双减半”要求，承诺时限宜在法定时限基础上压缩一半",
            )
    if el.handling_type is not None and promised is not None:
        on_the_spot = promised.value == 0
        if el.handling_type == "1" and not on_the_spot:
            c.error(
                "handling_type.on_the_spot",
                "promised_limit.value",
                "办件类型为即办件，但承诺时限不是当场办结",
                "即办件承诺时限填 0（当场办结），或将办件类型改为承诺件",
            )
        elif el.handling_type != "1" and on_the_spot:
            c.error(
                "handling_type.on_the_spot",
                "handling_type",
                "承诺时限为当场办结，但办件类型不是即办件",
                "将办件类型改为即办件，或填写实际承诺时限",
            )


def _check_place_and_hours(c: _Collector, el: ItemElements) -> None:
    place = el.place
    if place is None or all(_blank(v) for v in (place.address, place.street, place.number, place.room)):
        c.error("place.missing", "place", "未标注办理地点", "写明街道（路）名称、门牌号和房间号或窗口号")
    else:
        address = place.address or ""
        if _blank(place.street) and not _STREET_RE.search(address):
            c.error(
                "place.street", "place.street", "办理地点缺少街道（路）名称", "补充街道或路名，如“长宁路”"
            )
        if _blank(place.number) and not _NUMBER_RE.search(address):
            c.error("place.number", "place.number", "办理地点缺少门牌号", "补充门牌号，如“599号”")
        if _blank(place.room) and not _ROOM_RE.search(address):
            c.error(
                "place.room", "place.room", "办理地点缺少房间号或窗口号", "补充房间号或窗口号，如“3号窗口”"
            )
    if _blank(el.hours):
        c.error(
            "hours.missing",
            "hours",
            "未标注办理时间",
            "写明受理时间，如“星期一至星期五：上午09:00-12:00，下午13:00-17:00”",
        )
    else:
        hours = el.hours or ""
        if not _TIME_RANGE_RE.search(hours):
            c.warning("hours.format", "hours", "办理时间未写明起止时刻", "写明起止时刻，如“09:00-12:00”")
        if not _DAYS_RE.search(hours):
            c.warning(
                "hours.no_days", "hours", "办理时间未写明哪些日子受理", "写明受理日，如“星期一至星期五”"
            )


_PHONE_LABELS = {"enquiry_phone": "咨询电话", "supervision_phone": "监督电话"}


def _check_one_phone(c: _Collector, name: str, value: str | None) -> list[str]:
    label = _PHONE_LABELS[name]
    if _blank(value):
        c.error(f"{name}.missing", name, f"未标注{label}", f"填写带区号的{label}，如 021-12345678")
        return []
    assert value is not None
    numbers: list[str] = []
    for raw in split_phones(value):
        kind, digits = classify_phone(raw)
        numbers.append(digits)
        if kind == "invalid":
            c.error(f"{name}.invalid", name, f"{label}“{raw}”不是有效的电话号码", "填写带区号的固定电话")
        elif kind == "local":
            c.error(f"{name}.no_area_code", name, f"{label}“{raw}”没有区号", f"加上区号，如 021-{digits}")
        elif kind == "mobile":
            c.warning(
                f"{name}.mobile", name, f"{label}“{raw}”是手机号码，不是办公电话", "改为受理部门的固定电话"
            )
        elif kind == "service":
            c.warning(
                f"{name}.not_landline", name, f"{label}“{raw}”不是带区号的固定电话", "改为受理部门的固定电话"
            )
        elif kind == "hotline_local":
            c.warning(
                f"{name}.hotline_no_area_code",
                name,
                f"{label}“{raw}”未加区号，外地拨打会接到当地热线",
                f"写成带区号的形式，如 021-{digits}",
            )
    return numbers


def _check_phones(c: _Collector, el: ItemElements) -> None:
    enquiry = _check_one_phone(c, "enquiry_phone", el.enquiry_phone)
    supervision = _check_one_phone(c, "supervision_phone", el.supervision_phone)
    if any(_same_number(a, b) for a in enquiry for b in supervision if a and b):
        c.error(
            "phones.same_number",
            "supervision_phone",
            "咨询电话与监督电话相同",
            "监督电话应为监督部门的号码，与咨询电话不同",
        )


def _check_basis(c: _Collector, path: str, basis: LegalBasis) -> None:
    if _VAGUE_LAW_RE.match(basis.law) or basis.law.strip() in ("无", "暂无", "/"):
        c.error(
            "legal_basis.law_vague",
            f"{path}.law",
            f"设定依据“{basis.law}”没有写明法律法规名称",
            "写明法律、法规或文件的全称，如《上海市老年人权益保障条例》",
        )
    if _blank(basis.article):
        c.error(
            "legal_basis.article",
            f"{path}.article",
            "设定依据未写明条款号",
            "写明引用的条、款、项，如“第三十二条”",
        )
    elif basis.article is not None and not _ARTICLE_RE.search(basis.article):
        c.warning(
            "legal_basis.article_format",
            f"{path}.article",
            f"设定依据条款号“{basis.article}”格式不规范",
            "写成“第×条第×款”的形式",
        )
    if _blank(basis.text):
        c.error("legal_basis.text", f"{path}.text", "设定依据未引用条款内容", "引用所依据条款的具体内容")


def _check_legal_basis(c: _Collector, el: ItemElements) -> None:
    if not el.legal_basis:
        c.error(
            "legal_basis.missing",
            "legal_basis",
            "未标注设定依据",
            "写明依据的法律、法规、文件名称，条款号和条款内容",
        )
    for i, basis in enumerate(el.legal_basis):
        _check_basis(c, f"legal_basis[{i}]", basis)


def _check_special_steps(c: _Collector, el: ItemElements) -> None:
    if not el.special_steps and not el.no_special_steps:
        c.error(
            "special_steps.undeclared",
            "special_steps",
            "未说明是否涉及中介服务或特殊环节",
            "列出评审、评估、现场勘查等特殊环节；没有的标注“无特殊环节”",
        )
    if el.special_steps and el.no_special_steps:
        c.warning(
            "special_steps.contradiction",
            "no_special_steps",
            "已列出特殊环节，却又标注“无特殊环节”",
            "删除“无特殊环节”标注，或删除所列特殊环节",
        )
    for i, step in enumerate(el.special_steps):
        if _blank(step.description):
            c.warning(
                "special_steps.description",
                f"special_steps[{i}].description",
                "特殊环节未说明内容",
                "说明特殊环节的内容、实施机构和所需时间",
            )


def _check_material(c: _Collector, i: int, m: Material) -> None:
    path = f"materials[{i}]"
    term = _catch_all(m.name)
    if term is not None:
        c.error(
            "materials.name.catch_all",
            f"{path}.name",
            f"材料名称“{m.name}”含有兜底性用语“{term}”",
            "逐项列明具体材料名称，不使用“其他材料”“相关材料”等兜底表述",
        )
    elif _compound(m.name):
        c.warning(
            "materials.name.compound",
            f"{path}.name",
            f"材料名称“{m.name}”包含多项材料",
            "拆分为最小颗粒度的单项材料；可选其一的材料分别列出并写明情形",
        )
    if m.notes and any(t in m.notes for t in VAGUE_TERMS):
        c.warning(
            "materials.notes.vague",
            f"{path}.notes",
            f"材料“{m.name}”的要求含有模糊表述",
            "写明具体要求，不使用“按规定”“视情况”等表述",
        )
    if m.requirement == "conditional" and _blank(m.condition):
        c.error(
            "materials.condition",
            f"{path}.condition",
            f"材料“{m.name}”为情形材料，但未说明在什么情形下提交",
            "写明需要提交该材料的情形",
        )
    if m.exempt:
        if _blank(m.exempt_source):
            c.error(
                "materials.exempt_source",
                f"{path}.exempt_source",
                f"材料“{m.name}”标为免提交，但未说明从何处获取",
                "写明获取途径，如“电子证照库”“数据共享”",
            )
        return
    if _blank(m.source):
        c.error(
            "materials.source",
            f"{path}.source",
            f"材料“{m.name}”未注明来源或出具单位",
            "写明出具单位，如“户口所在地派出所”；申请人自备的写“申请人自备”",
        )
    if not m.media:
        c.error(
            "materials.media",
            f"{path}.media",
            f"材料“{m.name}”未注明介质要求",
            "注明原件、复印件或电子版",
        )
    else:
        missing_counts = []
        if "original" in m.media and m.originals == 0:
            missing_counts.append("原件")
        if "copy" in m.media and m.copies == 0:
            missing_counts.append("复印件")
        if missing_counts:
            c.error(
                "materials.quantity",
                f"{path}.{'originals' if missing_counts[0] == '原件' else 'copies'}",
                f"材料“{m.name}”未注明{'、'.join(missing_counts)}份数",
                "注明原件和复印件各需几份",
            )
        if (m.originals > 0 and "original" not in m.media) or (m.copies > 0 and "copy" not in m.media):
            c.warning(
                "materials.media_count_mismatch",
                f"{path}.media",
                f"材料“{m.name}”的份数与介质要求不一致",
                "份数大于 0 的介质应列入介质要求",
            )
    if is_form(m.name):
        if _blank(m.blank_form_url):
            c.error(
                "materials.blank_form",
                f"{path}.blank_form_url",
                f"表格“{m.name}”未提供空白表格下载",
                "上传空白表格并提供下载链接",
            )
        if _blank(m.sample_form_url):
            c.error(
                "materials.sample_form",
                f"{path}.sample_form_url",
                f"表格“{m.name}”未提供示例样表下载",
                "上传填写示范样表并提供下载链接",
            )
    for attr, label in (("blank_form_url", "空白表格"), ("sample_form_url", "示例样表")):
        url = getattr(m, attr)
        if not _blank(url) and not valid_http_url(url):
            c.error(
                f"materials.{attr}.invalid",
                f"{path}.{attr}",
                f"材料“{m.name}”的{label}链接无效",
                "提供以 http:// 或 https:// 开头的有效下载地址",
            )
    if not _blank(m.blank_form_url) and m.blank_form_url == m.sample_form_url:
        c.warning(
            "materials.sample_form.same_as_blank",
            f"{path}.sample_form_url",
            f"材料“{m.name}”的样表与空表链接相同",
            "样表应为填写示范，与空白表格分别提供",
        )


def _check_materials(c: _Collector, el: ItemElements) -> None:
    if not el.materials:
        c.warning(
            "materials.missing",
            "materials",
            "未列明申请材料",
            "列明申请材料；零材料提交的事项请列出免提交材料及获取途径",
        )
    for i, m in enumerate(el.materials):
        _check_material(c, i, m)
    counts = Counter(m.name.strip() for m in el.materials)
    for name, n in counts.items():
        if n > 1:
            first = next(i for i, m in enumerate(el.materials) if m.name.strip() == name)
            c.warning(
                "materials.duplicate",
                f"materials[{first}].name",
                f"材料“{name}”重复列出 {n} 次",
                "合并重复材料；不同情形的材料写明情形",
            )


_STEP_ORDER = list(PROCESS_STEPS)


def _check_process(c: _Collector, el: ItemElements) -> None:
    if not el.process:
        c.error("process.missing", "process", "未提供办理流程", "写明受理、审核、审批、办结、送达各环节")
    else:
        present = {s.step for s in el.process}
        required = ["accept", "complete", "deliver"] if el.handling_type == "1" else _STEP_ORDER
        missing = [PROCESS_STEPS[s] for s in required if s not in present]
        if missing:
            c.error(
                "process.incomplete",
                "process",
                f"办理流程缺少{'、'.join(missing)}环节",
                "办理流程应涵盖受理、审核、审批、办结、送达等环节",
            )
        indexes = [_STEP_ORDER.index(s.step) for s in el.process]
        for i in range(1, len(indexes)):
            if indexes[i] < indexes[i - 1]:
                c.error(
                    "process.order",
                    f"process[{i}].step",
                    f"办理流程中“{PROCESS_STEPS[el.process[i].step]}”排在"
                    f"“{PROCESS_STEPS[el.process[i - 1].step]}”之后，顺序不对",
                    "按受理、审核、审批、办结、送达的顺序排列",
                )
                break
    for i, step in enumerate(el.process):
        label = PROCESS_STEPS[step.step]
        if _blank(step.actor):
            c.error(
                "process.actor",
                f"process[{i}].actor",
                f"“{label}”环节未写明办理人员或岗位",
                "写明办理岗位或窗口",
            )
        if step.time_limit is None:
            c.error(
                "process.time_limit",
                f"process[{i}].time_limit",
                f"“{label}”环节未写明办理时限",
                "写明该环节的办理时长，当场办理填 0",
            )
        if _blank(step.description):
            c.warning(
                "process.description",
                f"process[{i}].description",
                f"“{label}”环节未说明办理内容和标准",
                "说明该环节做什么、依据什么标准",
            )
    promised = el.promised_limit
    if promised is not None and promised.value > 0:
        same_unit = [
            s.time_limit.value for s in el.process if s.time_limit and s.time_limit.unit == promised.unit
        ]
        if sum(same_unit) > promised.value:
            c.warning(
                "process.exceeds_promised",
                "process",
                f"各环节时限合计 {sum(same_unit)}，超过承诺时限（{_limit_text(promised)}）",
                "核对各环节时限，使其合计不超过承诺时限",
            )
    if _blank(el.process_chart_url):
        c.error(
            "process_chart_url.missing", "process_chart_url", "未提供办理流程图", "上传规范完整的办理流程图"
        )
    elif not valid_http_url(el.process_chart_url):
        c.error(
            "process_chart_url.invalid",
            "process_chart_url",
            "办理流程图链接无效",
            "提供以 http:// 或 https:// 开头的有效地址",
        )


def _check_visits(c: _Collector, el: ItemElements) -> None:
    if el.visits is None:
        c.error("visits.missing", "visits", "未标注到办事现场次数", "标注到现场次数，零跑动填 0")
        return
    if el.visits > 0 and _blank(el.visits_reason):
        c.error(
            "visits.reason_missing",
            "visits_reason",
            f"需到现场 {el.visits} 次，但未说明原因",
            "说明需要到现场的原因，如“核验原件”",
        )
    if el.online_depth == "IV" and el.visits != 0:
        c.error(
            "visits.depth_iv",
            "visits",
            "网办深度为四级（全程网办），但到现场次数不是 0",
            "全程网办事项到现场次数应为 0；否则降低网办深度",
        )
    if el.online_depth == "III" and el.visits > 1:
        c.error(
            "visits.depth_iii",
            "visits",
            "网办深度为三级（最多跑一次），但到现场次数超过 1 次",
            "将到现场次数压减到 1 次以内，或核对网办深度",
        )
    remote = {"2", "3", "4"}
    if el.visits == 0 and el.handling_forms and not remote.intersection(el.handling_forms):
        c.error(
            "visits.zero_without_remote",
            "visits",
            "标注零跑动，但只能到窗口办理",
            "开通网上、移动端或快递办理，或改正到现场次数",
        )


def _check_fees(c: _Collector, el: ItemElements) -> None:
    fees = el.fees
    if fees.charged:
        if not fees.items:
            c.error(
                "fees.items_missing",
                "fees.items",
                "事项收费，但未列明收费项目",
                "列明收费项目名称、收费标准和收费依据",
            )
        for i, item in enumerate(fees.items):
            if _blank(item.standard):
                c.error(
                    "fees.standard",
                    f"fees.items[{i}].standard",
                    f"收费项目“{item.name}”未列明收费标准",
                    "写明收费金额或计算方法",
                )
            if _blank(item.basis):
                c.error(
                    "fees.basis",
                    f"fees.items[{i}].basis",
                    f"收费项目“{item.name}”未列明收费依据",
                    "写明依据的法律、法规、文件名称和条款",
                )
            elif item.basis is not None and not _FEE_BASIS_RE.search(item.basis):
                c.warning(
                    "fees.basis_vague",
                    f"fees.items[{i}].basis",
                    f"收费项目“{item.name}”的收费依据未写明文件名称或文号",
                    "写明文件全称（加书名号）、文号和条款",
                )
    else:
        if fees.items:
            c.error(
                "fees.items_without_charge",
                "fees.charged",
                "标注不收费，却列有收费项目",
                "核对是否收费：收费的标注“收费”，不收费的删除收费项目",
            )
        if el.online_payment_supported:
            c.error(
                "fees.online_payment_without_fee",
                "online_payment_supported",
                "事项不收费，却标注支持网上支付",
                "不收费事项取消网上支付标注",
            )


def _check_online(c: _Collector, el: ItemElements) -> None:
    depth = el.online_depth
    online_forms = {"2", "3"}.intersection(el.handling_forms)
    if depth is None:
        c.error("online_depth.missing", "online_depth", "未标注网办深度", "按四级标准标注网办深度")
    else:
        if online_forms and depth in ("I", "II"):
            c.error(
                "online_depth.too_low_for_online",
                "online_depth",
                "办理形式含网上或移动端办理，但网办深度低于三级",
                "可网上申报的事项网办深度至少为三级",
            )
        if depth in ("III", "IV") and el.handling_forms and not online_forms:
            c.error(
                "online_depth.no_online_form",
                "handling_forms",
                f"网办深度为{'三' if depth == 'III' else '四'}级，但办理形式不含网上或移动端办理",
                "办理形式增加网上办理，或核对网办深度",
            )
        if depth == "IV" and not el.post_delivery_supported:
            c.warning(
                "online_depth.iv_delivery",
                "post_delivery_supported",
                "全程网办事项未提供结果快递送达",
                "开通快递送达，或说明结果以电子证照方式送达",
            )
    if "1" in el.handling_forms and not el.appointment_supported:
        c.warning(
            "appointment.not_supported",
            "appointment_supported",
            "窗口办理事项未提供网上预约服务",
            "开通网上预约",
        )


def _check_other(c: _Collector, el: ItemElements) -> None:
    if _blank(el.result.name):
        c.error("result.name", "result.name", "未写明办理结果", "写明办理结果名称，如“准予给付决定”")
    if _blank(el.result.sample_url):
        c.warning("result.sample_url", "result.sample_url", "未提供办理结果样本", "上传办理结果样本")
    elif not valid_http_url(el.result.sample_url):
        c.error(
            "result.sample_url.invalid",
            "result.sample_url",
            "办理结果样本链接无效",
            "提供以 http:// 或 https:// 开头的有效地址",
        )
    if not el.faq:
        c.warning("faq.missing", "faq", "未提供常见问题", "整理群众咨询较多的问题及解答")
