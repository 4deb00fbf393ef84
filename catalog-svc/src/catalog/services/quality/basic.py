"""Checks of the entry's code and its basic elements (type, power source, units, service objects)."""

from __future__ import annotations

import re

from ...schemas.elements import ItemElements
from .results import CODE_MAX_LENGTH, CODE_RE, COMMUNITY_KIND_LEVELS, Collector
from .rules import USCC_RE, blank, valid_uscc


def check_code(c: Collector, el: ItemElements, code: str | None) -> None:
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
        if len(segment) == 18 and USCC_RE.fullmatch(segment.upper()) and not valid_uscc(segment):
            c.error(
                "code.uscc_checksum",
                "code",
                f"事项编码中的统一社会信用代码 {segment} 校验位错误",
                "核对实施主体的统一社会信用代码后重新赋码",
            )


def check_basic(c: Collector, el: ItemElements) -> None:
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
    if blank(el.quantity_limit):
        msg, hint = "未标注有无数量限制", "标注数量限制；没有限制的写“无数量限制”"
        if el.item_type == "01":
            c.error("quantity_limit.missing", "quantity_limit", msg, hint)
        else:
            c.warning("quantity_limit.missing", "quantity_limit", msg, hint)
    if blank(el.acceptance_conditions):
        c.error(
            "acceptance_conditions.missing",
            "acceptance_conditions",
            "未写明受理条件",
            "写明申请人需满足的条件，如户籍、年龄、资格",
        )
    uscc = el.implementing_unit.uscc
    if blank(uscc):
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
