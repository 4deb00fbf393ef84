"""Checks of the fees, the online service (depth, appointment, payment, delivery) and the rest."""

from __future__ import annotations

from ...schemas.elements import ItemElements
from .results import Collector
from .rules import FEE_BASIS_RE, blank, valid_http_url


def check_fees(c: Collector, el: ItemElements) -> None:
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
            if blank(item.standard):
                c.error(
                    "fees.standard",
                    f"fees.items[{i}].standard",
                    f"收费项目“{item.name}”未列明收费标准",
                    "写明收费金额或计算方法",
                )
            if blank(item.basis):
                c.error(
                    "fees.basis",
                    f"fees.items[{i}].basis",
                    f"收费项目“{item.name}”未列明收费依据",
                    "写明依据的法律、法规、文件名称和条款",
                )
            elif item.basis is not None and not FEE_BASIS_RE.search(item.basis):
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


def check_online(c: Collector, el: ItemElements) -> None:
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


def check_other(c: Collector, el: ItemElements) -> None:
    if blank(el.result.name):
        c.error("result.name", "result.name", "未写明办理结果", "写明办理结果名称，如“准予给付决定”")
    if blank(el.result.sample_url):
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
