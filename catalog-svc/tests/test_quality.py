"""The guide quality checker (办事指南质量检查): one complete entry, then one test per check."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest

from catalog.schemas.elements import ItemElements
from catalog.services.quality import (
    CHECKS,
    ERROR_WEIGHT,
    WARNING_WEIGHT,
    Finding,
    QualityResult,
    check,
    classify_phone,
    is_form,
    score_of,
    uscc_check_digit,
    valid_http_url,
    valid_uscc,
)

DOCS = "https://zwdt.changning.example.gov.cn/files/gljt"
CODE = "310105-11310105002425373D-05-0012-001"


def complete_entry() -> dict[str, Any]:
    """高龄老年人津贴 by 区民政局: complete, consistent, invented (demo) values."""
    return {
        "name": "高龄老年人津贴申领",
        "item_type": "05",
        "implementing_unit": {
            "code": "310105-MZJ",
            "name": "上海市长宁区民政局",
            "uscc": "11310105002425373D",
        },
        "level": 4,
        "power_source": "1",
        "legal_basis": [
            {
                "law": "《上海市老年人权益保障条例》",
                "article": "第三十二条",
                "text": "本市对高龄老年人发放高龄津贴，具体标准由市人民政府确定并公布。",
            }
        ],
        "handling_type": "2",
        "legal_limit": {"value": 20, "unit": "working_day"},
        "promised_limit": {"value": 10, "unit": "working_day", "note": "材料补正期间不计入"},
        "service_objects": ["1"],
        "handling_forms": ["1", "2", "3"],
        "place": {
            "address": "上海市长宁区长宁路1000号长宁区社区事务受理服务中心1楼",
            "street": "长宁路",
            "number": "1000号",
            "room": "1楼3号窗口",
        },
        "hours": "星期一至星期五：上午09:00-12:00，下午13:00-17:00（法定节假日除外）",
        "enquiry_phone": "021-62520000",
        "supervision_phone": "021-62521111",
        "acceptance_conditions": "具有本市户籍、年满80周岁的老年人。",
        "quantity_limit": "无数量限制",
        "no_special_steps": True,
        "materials": [
            {
                "name": "高龄老年人津贴申请表",
                "source": "申请人填写（窗口领取或网上下载）",
                "originals": 1,
                "media": ["original", "electronic"],
                "blank_form_url": f"{DOCS}/blank.docx",
                "sample_form_url": f"{DOCS}/sample.pdf",
                "notes": "申请人本人签名",
            },
            {
                "name": "申请人居民身份证",
                "source": "公安机关",
                "originals": 1,
                "copies": 1,
                "media": ["original", "copy"],
                "notes": "原件核验后退还",
            },
            {
                "name": "社会保障卡",
                "source": "市人力资源社会保障局",
                "copies": 1,
                "media": ["copy"],
            },
            {
                "name": "居民户口簿",
                "source": "公安机关",
                "exempt": True,
                "exempt_source": "电子证照库",
            },
            {
                "name": "授权委托书",
                "source": "申请人出具",
                "originals": 1,
                "media": ["original"],
                "requirement": "conditional",
                "condition": "委托他人代为申请的",
                "blank_form_url": f"{DOCS}/proxy-blank.docx",
                "sample_form_url": f"{DOCS}/proxy-sample.pdf",
            },
        ],
        "process": [
            {
                "step": "accept",
                "actor": "社区事务受理服务中心窗口工作人员",
                "time_limit": {"value": 0, "unit": "working_day"},
                "description": "核验身份证原件，材料齐全的当场受理并出具受理通知书。",
            },
            {
                "step": "review",
                "actor": "街道社区事务受理服务中心审核人员",
                "time_limit": {"value": 4, "unit": "working_day"},
                "description": "核对户籍、年龄信息。",
            },
            {
                "step": "decide",
                "actor": "区民政局社会救助科",
                "time_limit": {"value": 4, "unit": "working_day"},
                "description": "符合条件的作出准予给付决定。",
            },
            {
                "step": "complete",
                "actor": "区民政局社会救助科",
                "time_limit": {"value": 1, "unit": "working_day"},
                "description": "录入发放系统，次月起按月发放。",
            },
            {
                "step": "deliver",
                "actor": "社区事务受理服务中心窗口工作人员",
                "time_limit": {"value": 1, "unit": "working_day"},
                "description": "告知申请人结果，可选择邮寄或短信通知。",
            },
        ],
        "process_chart_url": f"{DOCS}/flow.png",
        "visits": 1,
        "visits_reason": "首次申请需到窗口核验身份证原件",
        "fees": {"charged": False},
        "online_depth": "III",
        "appointment_supported": True,
        "online_payment_supported": False,
        "post_delivery_supported": True,
        "faq": [
            {
                "question": "外省市户籍老人能申请吗？",
                "answer": "不能，本事项仅面向本市户籍老年人。",
            }
        ],
        "result": {"name": "高龄老年人津贴给付决定", "sample_url": f"{DOCS}/result.pdf"},
        "keywords": ["高龄津贴", "老年综合津贴"],
        "themes": ["养老服务"],
        "demo": True,
    }


def entry(change: Callable[[dict[str, Any]], Any] | None = None) -> ItemElements:
    data = copy.deepcopy(complete_entry())
    if change is not None:
        change(data)
    return ItemElements.model_validate(data)


BASELINE = {f.check for f in check(entry(), code=CODE).findings}


def new_findings(result: QualityResult) -> list[Finding]:
    return [f for f in result.findings if f.check not in BASELINE]


# --------------------------------------------------------------------------------------------
# The complete entry


def test_complete_entry_passes_with_full_score() -> None:
    result = check(entry(), code=CODE)
    assert result.passed
    assert result.errors == []
    assert result.warnings == []
    assert result.findings == []
    assert result.score == 100


def test_result_to_dict_is_json() -> None:
    result = check(entry(lambda d: d.pop("power_source")))
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["passed"] is False
    assert data["errors"] == 1
    assert data["score"] == 100 - ERROR_WEIGHT
    assert data["findings"][0] == {
        "check": "power_source.missing",
        "element": "power_source",
        "severity": "error",
        "message": "未标注权力来源",
        "hint": "标注权力来源，如“法定本级行使”",
    }


def test_finding_is_frozen() -> None:
    f = Finding("x", "y", "error", "m", "h")
    with pytest.raises(AttributeError):
        f.check = "z"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# One test per check: break exactly one element, expect exactly these findings


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set a dotted path (with [i] indexes) in the entry dict; value None pops the key."""

    def change(d: dict[str, Any]) -> None:
        target: Any = d
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if value is None and isinstance(target, dict):
            target.pop(last, None)
        elif last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _do(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        for ch in changes:
            ch(d)

    return change


def _mat(i: int, **fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["materials"][i].update(fields)


def _step(i: int, **fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["process"][i].update(fields)


def _drop_steps(*kinds: str) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        d["process"] = [s for s in d["process"] if s["step"] not in kinds]

    return change


CHARGED = {
    "charged": True,
    "items": [{"name": "工本费", "standard": "10元/件", "basis": "《沪价费〔2019〕12号》"}],
}

# (id, change, code or None, [(check, element, severity), ...] — all new findings, exactly)
CASES: list[tuple[str, Callable[[dict[str, Any]], Any], str | None, list[tuple[str, str, str]]]] = [
    # --- basic information
    ("power_source", _set("power_source", None), None, [("power_source.missing", "power_source", "error")]),
    (
        "quantity_licence",
        _do(_set("quantity_limit", None), _set("item_type", "01")),
        None,
        [("quantity_limit.missing", "quantity_limit", "error")],
    ),
    (
        "quantity_other",
        _set("quantity_limit", "  "),
        None,
        [("quantity_limit.missing", "quantity_limit", "warning")],
    ),
    (
        "handling_type",
        _set("handling_type", None),
        None,
        [("handling_type.missing", "handling_type", "error")],
    ),
    (
        "service_objects",
        _set("service_objects", []),
        None,
        [("service_objects.missing", "service_objects", "error")],
    ),
    (
        "handling_forms",
        _set("handling_forms", []),
        None,
        [("handling_forms.missing", "handling_forms", "error")],
    ),
    (
        "acceptance_conditions",
        _set("acceptance_conditions", None),
        None,
        [("acceptance_conditions.missing", "acceptance_conditions", "error")],
    ),
    (
        "uscc_missing",
        _set("implementing_unit.uscc", None),
        None,
        [("implementing_unit.uscc_missing", "implementing_unit.uscc", "warning")],
    ),
    (
        "uscc_invalid",
        _set("implementing_unit.uscc", "11310105002425373A"),
        None,
        [("implementing_unit.uscc_invalid", "implementing_unit.uscc", "error")],
    ),
    (
        "community_kind_missing",
        _set("level", 6),
        None,
        [("community_kind.missing", "community_kind", "error")],
    ),
    # A district department's item extended to the community stations carries its kind.
    ("community_kind_district_item_at_stations", _set("community_kind", "accept"), None, []),
    (
        "community_kind_street_item_at_stations",
        lambda d: (_set("community_kind", "accept")(d), _set("level", 5)(d)),
        None,
        [],
    ),
    (
        "community_kind_unexpected",
        lambda d: (_set("community_kind", "accept")(d), _set("level", 3)(d)),
        None,
        [("community_kind.unexpected", "community_kind", "warning")],
    ),
    # --- codes
    ("code_empty", lambda d: None, " ", [("code.empty", "code", "error")]),
    ("code_too_long", lambda d: None, "A" * 51, [("code.too_long", "code", "error")]),
    ("code_charset", lambda d: None, "310105 民政 0005", [("code.charset", "code", "error")]),
    (
        "code_uscc",
        lambda d: None,
        "310105-11310105002425373A-05",
        [("code.uscc_checksum", "code", "error")],
    ),
    # --- time limits
    ("legal_limit", _set("legal_limit", None), None, [("legal_limit.missing", "legal_limit", "error")]),
    (
        "legal_limit_unit",
        _set("legal_limit", {"value": 48, "unit": "hour"}),
        None,
        [("legal_limit.unit", "legal_limit.unit", "warning")],
    ),
    (
        "promised_limit",
        _set("promised_limit", None),
        None,
        [("promised_limit.missing", "promised_limit", "error")],
    ),
    (
        "promised_limit_unit",
        _do(_set("promised_limit", {"value": 8, "unit": "hour"}), _set("process", [])),
        None,
        [("promised_limit.unit", "promised_limit.unit", "warning"), ("process.missing", "process", "error")],
    ),
    (
        "promised_exceeds_legal",
        _set("promised_limit", {"value": 25, "unit": "working_day"}),
        None,
        [("promised_limit.exceeds_legal", "promised_limit.value", "error")],
    ),
    (
        "promised_not_halved",
        _set("promised_limit", {"value": 15, "unit": "working_day"}),
        None,
        [("promised_limit.not_halved", "promised_limit.value", "info")],
    ),
    (
        "on_the_spot_not_zero",
        _do(_set("handling_type", "1")),
        None,
        [("handling_type.on_the_spot", "promised_limit.value", "error")],
    ),
    (
        "zero_not_on_the_spot",
        _do(_set("promised_limit", {"value": 0, "unit": "working_day"})),
        None,
        [("handling_type.on_the_spot", "handling_type", "error")],
    ),
    # --- place and hours
    ("place_missing", _set("place", None), None, [("place.missing", "place", "error")]),
    (
        "place_street",
        _set("place", {"address": "长宁区1000号3号窗口"}),
        None,
        [("place.street", "place.street", "error")],
    ),
    (
        "place_number",
        _set("place", {"street": "长宁路", "room": "3号窗口"}),
        None,
        [("place.number", "place.number", "error")],
    ),
    (
        "place_room",
        _set("place", {"address": "上海市长宁区长宁路1000号"}),
        None,
        [("place.room", "place.room", "error")],
    ),
    ("hours_missing", _set("hours", ""), None, [("hours.missing", "hours", "error")]),
    ("hours_format", _set("hours", "星期一至星期五上班时间"), None, [("hours.format", "hours", "warning")]),
    ("hours_days", _set("hours", "09:00-17:00"), None, [("hours.no_days", "hours", "warning")]),
    # --- phones
    (
        "enquiry_missing",
        _set("enquiry_phone", None),
        None,
        [("enquiry_phone.missing", "enquiry_phone", "error")],
    ),
    (
        "supervision_missing",
        _set("supervision_phone", None),
        None,
        [("supervision_phone.missing", "supervision_phone", "error")],
    ),
    (
        "same_number",
        _set("supervision_phone", "（021）6252 0000"),
        None,
        [("phones.same_number", "supervision_phone", "error")],
    ),
    (
        "same_number_without_area_code",
        _set("supervision_phone", "62520000"),
        None,
        [
            ("supervision_phone.no_area_code", "supervision_phone", "error"),
            ("phones.same_number", "supervision_phone", "error"),
        ],
    ),
    (
        "no_area_code",
        _set("enquiry_phone", "62520000"),
        None,
        [("enquiry_phone.no_area_code", "enquiry_phone", "error")],
    ),
    (
        "phone_invalid",
        _set("enquiry_phone", "民政局办公室"),
        None,
        [("enquiry_phone.invalid", "enquiry_phone", "error")],
    ),
    (
        "phone_mobile",
        _set("enquiry_phone", "138 1234 5678"),
        None,
        [("enquiry_phone.mobile", "enquiry_phone", "warning")],
    ),
    (
        "phone_400",
        _set("enquiry_phone", "400-820-1234"),
        None,
        [("enquiry_phone.not_landline", "enquiry_phone", "warning")],
    ),
    (
        "hotline_bare",
        _set("supervision_phone", "12345"),
        None,
        [("supervision_phone.hotline_no_area_code", "supervision_phone", "warning")],
    ),
    # --- legal basis
    ("basis_missing", _set("legal_basis", []), None, [("legal_basis.missing", "legal_basis", "error")]),
    (
        "basis_vague",
        _set("legal_basis.0.law", "相关法律法规"),
        None,
        [("legal_basis.law_vague", "legal_basis[0].law", "error")],
    ),
    (
        "basis_article",
        _set("legal_basis.0.article", None),
        None,
        [("legal_basis.article", "legal_basis[0].article", "error")],
    ),
    (
        "basis_article_format",
        _set("legal_basis.0.article", "见条例"),
        None,
        [("legal_basis.article_format", "legal_basis[0].article", "warning")],
    ),
    (
        "basis_text",
        _set("legal_basis.0.text", None),
        None,
        [("legal_basis.text", "legal_basis[0].text", "error")],
    ),
    # --- special steps
    (
        "special_undeclared",
        _set("no_special_steps", False),
        None,
        [("special_steps.undeclared", "special_steps", "error")],
    ),
    (
        "special_contradiction",
        _set("special_steps", [{"kind": "inspection", "description": "入户核查居住情况"}]),
        None,
        [("special_steps.contradiction", "no_special_steps", "warning")],
    ),
    (
        "special_description",
        _do(_set("special_steps", [{"kind": "inspection"}]), _set("no_special_steps", False)),
        None,
        [("special_steps.description", "special_steps[0].description", "warning")],
    ),
    # --- materials
    ("materials_missing", _set("materials", []), None, [("materials.missing", "materials", "warning")]),
    (
        "catch_all",
        _mat(2, name="其他相关材料"),
        None,
        [("materials.name.catch_all", "materials[2].name", "error")],
    ),
    (
        "catch_all_tail",
        _mat(2, name="社会保障卡等"),
        None,
        [("materials.name.catch_all", "materials[2].name", "error")],
    ),
    (
        "compound",
        _mat(2, name="社会保障卡或银行卡"),
        None,
        [("materials.name.compound", "materials[2].name", "warning")],
    ),
    (
        "notes_vague",
        _mat(2, notes="按规定提供"),
        None,
        [("materials.notes.vague", "materials[2].notes", "warning")],
    ),
    ("source", _mat(1, source=None), None, [("materials.source", "materials[1].source", "error")]),
    ("media", _mat(2, media=[]), None, [("materials.media", "materials[2].media", "error")]),
    (
        "quantity_copies",
        _mat(2, copies=0),
        None,
        [("materials.quantity", "materials[2].copies", "error")],
    ),
    (
        "quantity_originals",
        _mat(1, originals=0),
        None,
        [("materials.quantity", "materials[1].originals", "error")],
    ),
    (
        "media_count_mismatch",
        _mat(2, originals=1),
        None,
        [("materials.media_count_mismatch", "materials[2].media", "warning")],
    ),
    (
        "condition",
        _mat(4, condition=None),
        None,
        [("materials.condition", "materials[4].condition", "error")],
    ),
    (
        "exempt_source",
        _mat(3, exempt_source=None),
        None,
        [("materials.exempt_source", "materials[3].exempt_source", "error")],
    ),
    (
        "blank_form",
        _mat(0, blank_form_url=None),
        None,
        [("materials.blank_form", "materials[0].blank_form_url", "error")],
    ),
    (
        "sample_form",
        _mat(4, sample_form_url=None),
        None,
        [("materials.sample_form", "materials[4].sample_form_url", "error")],
    ),
    (
        "blank_form_invalid",
        _mat(0, blank_form_url="javascript:alert(1)"),
        None,
        [("materials.blank_form_url.invalid", "materials[0].blank_form_url", "error")],
    ),
    (
        "sample_form_invalid",
        _mat(0, sample_form_url="ftp://files/sample.pdf"),
        None,
        [("materials.sample_form_url.invalid", "materials[0].sample_form_url", "error")],
    ),
    (
        "sample_same_as_blank",
        _mat(0, sample_form_url=f"{DOCS}/blank.docx"),
        None,
        [("materials.sample_form.same_as_blank", "materials[0].sample_form_url", "warning")],
    ),
    (
        "duplicate",
        lambda d: d["materials"].append(copy.deepcopy(d["materials"][2])),
        None,
        [("materials.duplicate", "materials[2].name", "warning")],
    ),
    # --- process
    ("process_missing", _set("process", []), None, [("process.missing", "process", "error")]),
    (
        "process_incomplete",
        _drop_steps("review", "deliver"),
        None,
        [("process.incomplete", "process", "error")],
    ),
    (
        "process_order",
        lambda d: d["process"].insert(1, d["process"].pop(2)),
        None,
        [("process.order", "process[2].step", "error")],
    ),
    ("process_actor", _step(1, actor=None), None, [("process.actor", "process[1].actor", "error")]),
    (
        "process_time_limit",
        _step(2, time_limit=None),
        None,
        [("process.time_limit", "process[2].time_limit", "error")],
    ),
    (
        "process_description",
        _step(3, description=None),
        None,
        [("process.description", "process[3].description", "warning")],
    ),
    (
        "process_exceeds_promised",
        _step(1, time_limit={"value": 9, "unit": "working_day"}),
        None,
        [("process.exceeds_promised", "process", "warning")],
    ),
    (
        "chart_missing",
        _set("process_chart_url", None),
        None,
        [("process_chart_url.missing", "process_chart_url", "error")],
    ),
    (
        "chart_invalid",
        _set("process_chart_url", "flow.png"),
        None,
        [("process_chart_url.invalid", "process_chart_url", "error")],
    ),
    # --- visits
    ("visits_missing", _set("visits", None), None, [("visits.missing", "visits", "error")]),
    (
        "visits_reason",
        _set("visits_reason", None),
        None,
        [("visits.reason_missing", "visits_reason", "error")],
    ),
    ("visits_depth_iv", _set("online_depth", "IV"), None, [("visits.depth_iv", "visits", "error")]),
    (
        "visits_depth_iii",
        _set("visits", 2),
        None,
        [("visits.depth_iii", "visits", "error")],
    ),
    (
        "zero_without_remote",
        _do(
            _set("visits", 0),
            _set("handling_forms", ["1"]),
            _set("online_depth", "I"),
        ),
        None,
        [("visits.zero_without_remote", "visits", "error")],
    ),
    # --- fees
    (
        "fee_items_missing",
        _set("fees", {"charged": True}),
        None,
        [("fees.items_missing", "fees.items", "error")],
    ),
    (
        "fee_standard",
        _set("fees", {"charged": True, "items": [{"name": "工本费", "basis": "《沪价费〔2019〕12号》"}]}),
        None,
        [("fees.standard", "fees.items[0].standard", "error")],
    ),
    (
        "fee_basis",
        _set("fees", {"charged": True, "items": [{"name": "工本费", "standard": "10元/件"}]}),
        None,
        [("fees.basis", "fees.items[0].basis", "error")],
    ),
    (
        "fee_basis_vague",
        _set("fees", {"charged": True, "items": [{"name": "工本费", "standard": "10元", "basis": "按文件"}]}),
        None,
        [("fees.basis_vague", "fees.items[0].basis", "warning")],
    ),
    (
        "fee_items_without_charge",
        _set("fees", {**CHARGED, "charged": False}),
        None,
        [("fees.items_without_charge", "fees.charged", "error")],
    ),
    (
        "online_payment_without_fee",
        _set("online_payment_supported", True),
        None,
        [("fees.online_payment_without_fee", "online_payment_supported", "error")],
    ),
    # --- online depth, appointment
    (
        "depth_missing",
        _set("online_depth", None),
        None,
        [("online_depth.missing", "online_depth", "error")],
    ),
    (
        "depth_too_low",
        _set("online_depth", "II"),
        None,
        [("online_depth.too_low_for_online", "online_depth", "error")],
    ),
    (
        "depth_no_online_form",
        _set("handling_forms", ["1", "4"]),
        None,
        [("online_depth.no_online_form", "handling_forms", "error")],
    ),
    (
        "depth_iv_delivery",
        _do(_set("online_depth", "IV"), _set("visits", 0), _set("post_delivery_supported", False)),
        None,
        [("online_depth.iv_delivery", "post_delivery_supported", "warning")],
    ),
    (
        "appointment",
        _set("appointment_supported", False),
        None,
        [("appointment.not_supported", "appointment_supported", "warning")],
    ),
    # --- result, FAQ
    ("result_name", _set("result.name", None), None, [("result.name", "result.name", "error")]),
    (
        "result_sample_missing",
        _set("result.sample_url", None),
        None,
        [("result.sample_url", "result.sample_url", "warning")],
    ),
    (
        "result_sample_invalid",
        _set("result.sample_url", "data:text/html,<b>x</b>"),
        None,
        [("result.sample_url.invalid", "result.sample_url", "error")],
    ),
    ("faq", _set("faq", []), None, [("faq.missing", "faq", "warning")]),
]


@pytest.mark.parametrize(("change", "code", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_check(
    change: Callable[[dict[str, Any]], Any], code: str | None, expected: list[tuple[str, str, str]]
) -> None:
    result = check(entry(change), code=code if code is not None else CODE)
    got = sorted((f.check, f.element, f.severity) for f in result.findings)
    assert got == sorted(expected)
    for f in result.findings:
        assert f.message and f.hint
    assert result.passed == all(sev != "error" for _, _, sev in expected)
    assert result.score == score_of(result.findings)


def test_every_check_id_is_exercised() -> None:
    """The cases above cover every check id the module can emit (CHECKS)."""
    covered = {exp[0] for case in CASES for exp in case[3]}
    covered |= {
        "supervision_phone.invalid",
        "supervision_phone.mobile",
        "supervision_phone.not_landline",
        "enquiry_phone.hotline_no_area_code",
    }  # same code path as the enquiry/supervision twin
    assert set(CHECKS) - covered == set()
    assert covered - set(CHECKS) == set()


# --------------------------------------------------------------------------------------------
# Decisions and helpers


def test_on_the_spot_item_needs_only_accept_complete_deliver() -> None:
    def on_the_spot(d: dict[str, Any]) -> None:
        d["handling_type"] = "1"
        d["legal_limit"] = {"value": 0, "unit": "working_day"}
        d["promised_limit"] = {"value": 0, "unit": "working_day"}
        d["process"] = [s for s in d["process"] if s["step"] in ("accept", "complete", "deliver")]

    result = check(entry(on_the_spot), code=CODE)
    assert result.findings == []


def test_on_the_spot_item_still_needs_accept() -> None:
    def on_the_spot(d: dict[str, Any]) -> None:
        d["handling_type"] = "1"
        d["promised_limit"] = {"value": 0, "unit": "working_day"}
        d["process"] = [s for s in d["process"] if s["step"] in ("complete", "deliver")]

    result = check(entry(on_the_spot))
    assert [(f.check, f.message) for f in new_findings(result)] == [
        ("process.incomplete", "办理流程缺少受理环节")
    ]


def test_different_units_are_not_compared() -> None:
    result = check(entry(_set("promised_limit", {"value": 25, "unit": "natural_day"})), code=CODE)
    assert result.findings == []


def test_address_alone_is_enough_when_it_has_street_number_and_window() -> None:
    result = check(entry(_set("place", {"address": "上海市长宁区长宁路1000号1楼3号窗口"})), code=CODE)
    assert result.findings == []


def test_several_phones_are_each_checked() -> None:
    result = check(entry(_set("enquiry_phone", "021-62520000、62522222")))
    assert [(f.check, f.element) for f in result.findings] == [
        ("enquiry_phone.no_area_code", "enquiry_phone")
    ]
    result = check(entry(_set("enquiry_phone", "021-62520000；021-62521111")))
    assert [f.check for f in result.findings] == ["phones.same_number"]


def test_hotline_with_area_code_is_accepted() -> None:
    assert check(entry(_set("supervision_phone", "021-12345")), code=CODE).findings == []


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("021-62520000", "landline"),
        ("(021)62520000", "landline"),
        ("（０２１）６２５２ ００００", "landline"),
        ("+86 21 6252 0000", "landline"),
        ("0571-8765432", "landline"),
        ("021-62520000转8001", "landline"),
        ("12345", "hotline_local"),
        ("021-12345", "hotline"),
        ("13812345678", "mobile"),
        ("+86 138 1234 5678", "mobile"),
        ("400-820-1234", "service"),
        ("62520000", "local"),
        ("021-123", "invalid"),
        ("电话", "invalid"),
        ("+44 20 7946 0000", "invalid"),
    ],
)
def test_classify_phone(raw: str, kind: str) -> None:
    assert classify_phone(raw)[0] == kind


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("高龄老年人津贴申请表", True),
        ("个人信息登记表（原件）", True),
        ("授权委托书", True),
        ("承诺书", True),
        ("法定代表人身份证明", False),
        ("营业执照", False),
        ("表彰决定书", False),
    ],
)
def test_is_form(name: str, form: bool) -> None:
    assert is_form(name) is form


def test_compound_name_ignores_country_name() -> None:
    result = check(entry(_mat(2, name="中华人民共和国社会保障卡")), code=CODE)
    assert result.findings == []


def test_uscc() -> None:
    assert valid_uscc("11310105002425373D")
    assert not valid_uscc("11310105002425373A")
    assert not valid_uscc("1131010500242537")
    assert uscc_check_digit("91310000MA1FL0000") in "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.gov.cn/a.pdf", True),
        ("http://example.gov.cn", True),
        ("HTTPS://EXAMPLE.GOV.CN/x", True),
        ("javascript:alert(1)", False),
        ("ftp://example.gov.cn/a", False),
        ("/files/a.pdf", False),
        ("https://", False),
        ("https://exa mple.gov.cn", False),
        ("", False),
        (None, False),
    ],
)
def test_valid_http_url(url: str | None, ok: bool) -> None:
    assert valid_http_url(url) is ok


# --------------------------------------------------------------------------------------------
# Scoring


def test_score_weights_and_floor() -> None:
    warn = Finding("a", "a", "warning", "m", "h")
    err = Finding("b", "b", "error", "m", "h")
    info = Finding("c", "c", "info", "m", "h")
    assert score_of([]) == 100
    assert score_of([info]) == 100
    assert score_of([warn]) == 100 - WARNING_WEIGHT
    assert score_of([err, warn]) == 100 - ERROR_WEIGHT - WARNING_WEIGHT
    assert score_of([err] * 50) == 0


def test_score_decreases_monotonically_with_more_errors() -> None:
    breaks: list[Callable[[dict[str, Any]], Any]] = [
        _set("power_source", None),
        _set("handling_type", None),
        _set("hours", None),
        _set("enquiry_phone", None),
        _set("legal_basis", []),
        _mat(1, source=None),
        _set("visits_reason", None),
        _set("process_chart_url", None),
        _set("online_depth", None),
        _set("result.name", None),
        _set("service_objects", []),
        _set("no_special_steps", False),
    ]
    scores = []
    errors = []
    for n in range(len(breaks) + 1):
        result = check(entry(_do(*breaks[:n])), code=CODE)
        scores.append(result.score)
        errors.append(len(result.errors))
    assert errors == sorted(errors) and errors[-1] >= len(breaks)
    assert all(a > b or b == 0 for a, b in itertools.pairwise(scores))
    assert scores[0] == 100 and scores[-1] == 0


def test_an_empty_draft_fails_with_many_errors() -> None:
    draft = ItemElements.model_validate(
        {"name": "草稿", "item_type": "20", "implementing_unit": {"code": "u", "name": "某单位"}, "level": 4}
    )
    result = check(draft)
    assert not result.passed
    assert result.score == 0
    assert len(result.errors) >= 15
    assert {"legal_basis.missing", "process.missing", "visits.missing", "place.missing"} <= {
        f.check for f in result.errors
    }
