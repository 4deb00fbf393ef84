"""Validation messages a citizen can read: pydantic's error types in Chinese.

Pydantic words its messages in English ("Field required"); the problem details we send say the same
in Chinese unless the client asked for English. Each error type maps to a template filled from the
error's context; a validator's own message comes through when it raised a `TextError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .i18n import TextError, current_language

__all__ = ["message_for"]

_DATE = "应为日期，格式 YYYY-MM-DD（如 2026-11-20）"
_DATETIME = "应为日期时间，ISO 8601 格式（如 2026-11-20T09:30:00+08:00）"
_INT = "应为整数"
_NUMBER = "应为数字"
_OBJECT = "应为 JSON 对象"

_ZH: Mapping[str, str] = {
    "missing": "必填",
    "string_type": "应为文本",
    "string_sub_type": "应为文本",
    "string_unicode": "应为有效的 Unicode 文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符合要求（{pattern}）",
    "int_type": _INT,
    "int_parsing": _INT,
    "int_parsing_size": "整数超出可处理的范围",
    "int_from_float": _INT,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "应为日期，不带时间",
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "datetime_past": "应为过去的时间",
    "datetime_future": "应为将来的时间",
    "time_type": "应为时间，格式 HH:MM（如 09:30）",
    "time_parsing": "应为时间，格式 HH:MM（如 09:30）",
    "timezone_aware": "应带时区（如 +08:00）",
    "timezone_naive": "不应带时区",
    "time_delta_type": "应为时长",
    "time_delta_parsing": "应为时长",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为 UUID（如 3f2b8c1e-0000-4000-8000-000000000000）",
    "url_type": "应为网址",
    "url_parsing": "应为有效的网址",
    "url_scheme": "网址应以 {expected_schemes} 开头",
    "url_too_long": "网址过长",
    "json_type": "应为 JSON 文本",
    "json_invalid": "不是有效的 JSON",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "mapping_type": _OBJECT,
    "list_type": "应为数组",
    "tuple_type": "应为数组",
    "set_type": "应为不重复的数组",
    "frozen_set_type": "应为不重复的数组",
    "iterable_type": "应为数组",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "extra_forbidden": "不认识这个字段，请删除",
    "bytes_type": "应为文本",
    "bytes_too_short": "至少 {min_length} 个字节",
    "bytes_too_long": "最多 {max_length} 个字节",
    "union_tag_invalid": "{discriminator} 应为以下之一：{expected_tags}",
    "union_tag_not_found": "缺少用于区分类型的字段 {discriminator}",
    "frozen_field": "该字段不可修改",
    "frozen_instance": "不可修改",
    "none_required": "应为空（null）",
    "is_instance_of": "类型不符",
    "callable_type": "类型不符",
    "arguments_type": "参数类型不符",
    "missing_argument": "缺少参数",
    "unexpected_keyword_argument": "不认识这个参数，请删除",
    "unexpected_positional_argument": "多余的参数，请删除",
    "recursion_loop": "嵌套循环引用",
    "complex_type": _NUMBER,
    "complex_str_parsing": _NUMBER,
}


def _fill(template: str, ctx: Mapping[str, Any]) -> str:
    try:
        return template.format(**{k: v for k, v in ctx.items() if isinstance(v, str | int | float)})
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].rstrip("（ ：") or template


def message_for(err: Mapping[str, Any]) -> str:
    """The message for one pydantic error, in the request's language."""
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, TextError):
        return cause.text()
    english = str(err.get("msg", "invalid"))
    if english.startswith("Value error, "):
        english = english[len("Value error, ") :]
    if english.startswith("Assertion failed, "):
        english = english[len("Assertion failed, ") :]
    if current_language() == "en":
        return english
    kind = str(err.get("type", ""))
    template = _ZH.get(kind)
    if template is not None:
        if kind in ("literal_error", "enum") and isinstance(ctx.get("expected"), str):
            # pydantic joins the choices in English ("'a', 'b' or 'c'"): list them the Chinese way.
            choices = ctx["expected"].replace(" or ", ", ").split(", ")
            ctx = {**ctx, "expected": "、".join(choices)}
        return _fill(template, ctx)
    if kind in ("value_error", "assertion_error"):
        # A validator's own words; our validators raise TextError, a library's may be English.
        return english if _has_cjk(english) else f"取值无效：{english}"
    return f"取值无效：{english}"


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
