"""Checks of the legal and promised time limits."""

from __future__ import annotations

from ...schemas.elements import ItemElements, TimeLimit
from .results import Collector


def limit_text(limit: TimeLimit) -> str:
    if limit.value == 0:
        return "当场办结"
    unit = {"working_day": "个工作日", "natural_day": "个自然日", "hour": "小时"}[limit.unit]
    return f"{limit.value}{unit}"


def check_limits(c: Collector, el: ItemElements) -> None:
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
                f"承诺时限（{limit_text(promised)}）超过法定时限（{limit_text(legal)}）",
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
