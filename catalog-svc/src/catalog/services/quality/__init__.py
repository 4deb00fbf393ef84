"""Guide quality checker (办事指南质量检查).

`check(elements, code=...)` reads one implementation entry (`catalog.schemas.elements.ItemElements`) and
returns a `QualityResult`: findings per element (stable check id, element path, severity,
citizen-facing Chinese message, fix hint) and a score. Pure code: no database, no web framework.

Checks against the district's guide-accuracy table (办事指南准确度)
-----------------------------------------------------------------
Every check id is listed in `CHECKS` with the table's element it belongs to.
Severity: a missing or wrong element that the table checks is an **error**; softer style
issues are **warnings**; advisory figures (e.g. compression against the legal limit) are **info**.

Each element of the table, the check ids that judge it, and [what needs something outside the data]:

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
  "双减半" target of the district's reduction plan).
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
accuracy table are the district's *2018 ranking* per indicator (★★★ = places 1–4 in the city,
★★ = 5–9, ★ = 10–16, see the table's footnote), not an importance weight, so they are not used
as weights. More findings never raise the score. `passed` means no errors — publishing is
refused while errors remain.
"""

from __future__ import annotations

from ...schemas.elements import ItemElements
from .basic import check_basic, check_code
from .contacts import check_phones, check_place_and_hours
from .fees_online import check_fees, check_online, check_other
from .legal import check_legal_basis
from .limits import check_limits
from .materials import check_materials
from .process import check_process, check_special_steps, check_visits
from .results import (
    CHECKS,
    CODE_MAX_LENGTH,
    COMMUNITY_KIND_LEVELS,
    ERROR_WEIGHT,
    INFO_WEIGHT,
    WARNING_WEIGHT,
    WEIGHTS,
    Collector,
    Finding,
    QualityResult,
    Severity,
    score_of,
)
from .rules import (
    CATCH_ALL_TERMS,
    FORM_NAME_RE,
    VAGUE_TERMS,
    classify_phone,
    is_form,
    split_phones,
    uscc_check_digit,
    valid_http_url,
    valid_uscc,
)

__all__ = [
    "CATCH_ALL_TERMS",
    "CHECKS",
    "CODE_MAX_LENGTH",
    "COMMUNITY_KIND_LEVELS",
    "ERROR_WEIGHT",
    "FORM_NAME_RE",
    "INFO_WEIGHT",
    "VAGUE_TERMS",
    "WARNING_WEIGHT",
    "WEIGHTS",
    "Finding",
    "QualityResult",
    "Severity",
    "check",
    "classify_phone",
    "is_form",
    "score_of",
    "split_phones",
    "uscc_check_digit",
    "valid_http_url",
    "valid_uscc",
]


def check(elements: ItemElements, *, code: str | None = None) -> QualityResult:
    """Run every data-checkable guide-quality rule on one entry (see the package docstring)."""
    c = Collector()
    check_code(c, elements, code)
    check_basic(c, elements)
    check_limits(c, elements)
    check_place_and_hours(c, elements)
    check_phones(c, elements)
    check_legal_basis(c, elements)
    check_special_steps(c, elements)
    check_materials(c, elements)
    check_process(c, elements)
    check_visits(c, elements)
    check_fees(c, elements)
    check_online(c, elements)
    check_other(c, elements)
    return QualityResult(findings=list(c.findings), score=score_of(c.findings))
