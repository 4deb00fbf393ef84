"""One row's cells → an entry's elements, and the validation of every row of a file."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import ValidationError
from tqdm import tqdm

from ...schemas.elements import (
    COMMUNITY_KINDS,
    DECISION_RULES,
    HANDLING_FORMS,
    HANDLING_TYPES,
    ITEM_TYPES,
    LEVELS,
    LIMIT_UNITS,
    MEDIA,
    ONLINE_DEPTHS,
    POWER_SOURCES,
    PROCESS_STEPS,
    SERVICE_OBJECTS,
    SPECIAL_STEPS,
    ItemElements,
)
from .columns import (
    _REQUIREMENTS,
    BASIC_CODE_COLUMN,
    COLUMNS,
    FIELD_SEP,
    LIST_COLUMNS,
    LIST_SEP,
    NO,
    REQUIRED_COLUMNS,
    SCALAR_COLUMNS,
    YES,
    ParsedRow,
    Problem,
    _CellError,
)


def _choice(column: str, value: str, table: dict[Any, str], what: str) -> Any:
    """A code from its code or its label (labels compared without spaces)."""
    raw = value.strip()
    for code, label in table.items():
        if raw == str(code) or raw == label or raw.replace(" ", "") == label.replace(" ", ""):
            return code
    options = "、".join(f"{c} {label}" for c, label in table.items())
    raise _CellError(column, f"“{raw}”不是有效的{what}；可用：{options}")


def _depth(column: str, value: str) -> str:
    roman = {
        "一级": "I",
        "二级": "II",
        "三级": "III",
        "四级": "IV",
        "1": "I",
        "2": "II",
        "3": "III",
        "4": "IV",
    }
    raw = value.strip().upper()
    if raw in ONLINE_DEPTHS:
        return raw
    if value.strip() in roman:
        return roman[value.strip()]
    return str(_choice(column, value, ONLINE_DEPTHS, "网办深度"))


def _int(column: str, value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise _CellError(column, f"“{value}”不是整数") from None


def _bool(column: str, value: str) -> bool:
    raw = value.strip().lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise _CellError(column, f"“{value}”应为“是”或“否”")


def _unit(column: str, value: str) -> str:
    return str(_choice(column, value, LIMIT_UNITS, "时限单位"))


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _limit(cells: dict[str, str], key: str, out: dict[str, Any], errors: list[_CellError]) -> None:
    value_col = SCALAR_COLUMNS[f"{key}.value"]
    unit_col = SCALAR_COLUMNS[f"{key}.unit"]
    note_col = SCALAR_COLUMNS[f"{key}.note"]
    value, unit, note = cells.get(value_col, ""), cells.get(unit_col, ""), cells.get(note_col, "")
    if not (value or unit or note):
        return
    limit: dict[str, Any] = {"note": note or None}
    try:
        if not value:
            raise _CellError(value_col, "给出了时限单位或说明，但没有时限数值")
        limit["value"] = _int(value_col, value)
        if not unit:
            raise _CellError(unit_col, "缺少时限单位（工作日/自然日/小时）")
        limit["unit"] = _unit(unit_col, unit)
    except _CellError as exc:
        errors.append(exc)
        return
    out[key] = limit


def _entries(value: str) -> list[list[str]]:
    return [[f.strip() for f in e.split(FIELD_SEP)] for e in value.split(LIST_SEP) if e.strip()]


def _list_entry(element: str, column: str, n: int, fields: list[str]) -> dict[str, Any]:
    spec = LIST_COLUMNS[element][1]
    if len(fields) > len(spec):
        raise _CellError(
            f"{column}[{n}]", f"字段过多：最多 {len(spec)} 个（{FIELD_SEP.join(s for _, s in spec)}）"
        )
    out: dict[str, Any] = {}
    for (key, label), raw in zip(spec, fields, strict=False):
        col = f"{column}[{n}].{label}"
        if not raw:
            continue
        value: Any = raw
        if key in ("originals", "copies", "time_limit.value", "amount_fen"):
            value = _int(col, raw)
        elif key == "time_limit.unit":
            value = _unit(col, raw)
        elif key == "media":
            value = [_choice(col, m, MEDIA, "介质") for m in raw.replace("，", ",").split(",") if m.strip()]
        elif key == "requirement":
            value = _choice(col, raw, _REQUIREMENTS, "必要性")
        elif key == "step":
            value = _choice(col, raw, PROCESS_STEPS, "办理环节")
        elif key == "kind" and element == "auto_approval.rules":
            value = _choice(col, raw, DECISION_RULES, "秒批规则类型")
        elif key == "kind":
            value = _choice(col, raw, SPECIAL_STEPS, "特殊环节类型")
        _set_path(out, key, value)
    if element == "materials" and out.get("exempt_source"):
        out["exempt"] = True
    if "time_limit" in out and "unit" not in out["time_limit"]:
        raise _CellError(f"{column}[{n}].时限单位", "给出了时限但缺少时限单位")
    if "time_limit" in out and "value" not in out["time_limit"]:
        raise _CellError(f"{column}[{n}].时限", "给出了时限单位但缺少时限数值")
    return out


_CONVERTERS: dict[str, Callable[[str, str], Any]] = {
    "item_type": lambda c, v: _choice(c, v, ITEM_TYPES, "事项类型"),
    "level": lambda c, v: _choice(c, v, LEVELS, "行使层级"),
    "power_source": lambda c, v: _choice(c, v, POWER_SOURCES, "权力来源"),
    "handling_type": lambda c, v: _choice(c, v, HANDLING_TYPES, "办件类型"),
    "community_kind": lambda c, v: _choice(c, v, COMMUNITY_KINDS, "社区事项类别"),
    "online_depth": _depth,
    "visits": _int,
    "no_special_steps": _bool,
    "fees.charged": _bool,
    "fees.pay_before_delivery": _bool,
    "commitment.post_check_days": _int,
    "auto_approval.version": _int,
    "proactive.min_age": _int,
    "appointment_supported": _bool,
    "online_payment_supported": _bool,
    "post_delivery_supported": _bool,
    "demo": _bool,
}


def row_to_dict(cells: dict[str, str]) -> tuple[dict[str, Any], str | None, list[_CellError]]:
    """The row as an `ItemElements`-shaped dict, its basic code, and the cell errors."""
    errors: list[_CellError] = []
    out: dict[str, Any] = {}
    for key, column in SCALAR_COLUMNS.items():
        if key.startswith(("legal_limit.", "promised_limit.")):
            continue
        raw = cells.get(column, "")
        if not raw:
            continue
        try:
            converted = _CONVERTERS[key](column, raw) if key in _CONVERTERS else raw
        except _CellError as exc:
            errors.append(exc)
            continue
        _set_path(out, key, converted)
    _limit(cells, "legal_limit", out, errors)
    _limit(cells, "promised_limit", out, errors)
    for element, (column, spec) in LIST_COLUMNS.items():
        raw = cells.get(column, "")
        if not raw:
            continue
        values: list[Any] = []
        for n, fields in enumerate(_entries(raw), start=1):
            try:
                if not spec:
                    value: Any = fields[0]
                    if element == "service_objects":
                        value = _choice(f"{column}[{n}]", value, SERVICE_OBJECTS, "服务对象")
                    elif element == "handling_forms":
                        value = _choice(f"{column}[{n}]", value, HANDLING_FORMS, "办理形式")
                    values.append(value)
                else:
                    values.append(_list_entry(element, column, n, fields))
            except _CellError as exc:
                errors.append(exc)
        _set_path(out, element, values)
    return out, (cells.get(BASIC_CODE_COLUMN) or None), errors


def governed_paths(columns: Iterable[str]) -> list[tuple[str, ...]]:
    """The element paths the given columns hold (an update replaces these and keeps the rest):
    ``办理地点`` → ``("place", "address")``; any of a time limit's three columns → the whole limit."""
    present = set(columns)
    paths: list[tuple[str, ...]] = []
    for key, column in SCALAR_COLUMNS.items():
        if column not in present:
            continue
        head = key.split(".")[0]
        path = (head,) if head in ("legal_limit", "promised_limit") else tuple(key.split("."))
        if path not in paths:
            paths.append(path)
    for element, (column, _) in LIST_COLUMNS.items():
        if column in present:
            paths.append(tuple(element.split(".")))
    return paths


_MISSING = object()


def merge_elements(base: dict[str, Any], data: dict[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    """`base` (a stored element document) with what `columns` hold replaced by the row's `data`:
    a column left out of the file keeps its element, an empty cell clears it."""
    out = copy.deepcopy(base)
    for path in governed_paths(columns):
        parent: Any = out
        for part in path[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
        value: Any = data
        for part in path:
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
        if value is _MISSING:
            continue
        target = out
        for part in path[:-1]:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        target[path[-1]] = copy.deepcopy(value)
    place = out.get("place")
    if isinstance(place, dict) and not any(place.values()):
        out["place"] = None  # as a row without any place cell has it
    return out


def column_of(loc: Iterable[str | int]) -> str:
    """The report column for a pydantic error location or a quality-finding element path."""
    parts = list(loc)
    dotted = ".".join(str(p) for p in parts if not isinstance(p, int))
    # Scalars (possibly nested: implementing_unit.code, legal_limit.value …)
    for length in range(len(parts), 0, -1):
        head = parts[:length]
        if any(isinstance(p, int) for p in head):
            continue
        key = ".".join(str(p) for p in head)
        if key in SCALAR_COLUMNS:
            return SCALAR_COLUMNS[key]
        if key in (
            "legal_limit",
            "promised_limit",
            "place",
            "implementing_unit",
            "result",
            "fees",
            "commitment",
            "auto_approval",
            "proactive",
        ):
            break
    for element, (column, spec) in LIST_COLUMNS.items():
        prefix = element.split(".")
        if [str(p) for p in parts[: len(prefix)]] == prefix:
            rest = parts[len(prefix) :]
            if rest and isinstance(rest[0], int):
                label = f"{column}[{rest[0] + 1}]"
                sub = ".".join(str(p) for p in rest[1:] if not isinstance(p, int))
                names = dict(spec)
                if sub in names:
                    return f"{label}.{names[sub]}"
                if sub.split(".")[0] == "time_limit" and spec:
                    return f"{label}.{names.get('time_limit.value', sub)}"
                return f"{label}.{sub}" if sub else label
            return column
    return SCALAR_COLUMNS.get(dotted.split(".")[0], dotted or "（整行）")


def finding_loc(element: str) -> list[str | int]:
    """'materials[2].name' → ['materials', 2, 'name']."""
    loc: list[str | int] = []
    for part in element.split("."):
        while "[" in part:
            head, _, rest = part.partition("[")
            if head:
                loc.append(head)
            idx, _, part = rest.partition("]")
            loc.append(int(idx) if idx.isdigit() else idx)
        if part:
            loc.append(part)
    return loc


def pydantic_message(err: Any) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "必填，未填写"
    if kind == "string_too_long":
        return f"过长：最多 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return "不能为空"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = ctx.get("le", ctx.get("ge"))
        return f"超出范围（{'≤' if kind == 'less_than_equal' else '≥'} {bound}）"
    if kind == "too_long":
        return f"条目过多：最多 {ctx.get('max_length')} 条"
    if kind == "literal_error":
        return f"取值无效：应为 {ctx.get('expected')}"
    return str(err.get("msg", kind))


def parse_row(
    row: int, cells: dict[str, str], *, check_quality: bool = False
) -> tuple[ParsedRow | None, list[Problem]]:
    """Validate one row: the parsed entry, or None and its problems."""
    data, basic_code, cell_errors = row_to_dict(cells)
    problems = [Problem(row, e.column, str(e)) for e in cell_errors]
    try:
        elements = ItemElements.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            column = column_of(err["loc"])
            if not any(p.column == column for p in problems):  # already told by the cell parser
                problems.append(Problem(row, column, pydantic_message(err)))
        return None, problems
    if problems:
        return None, problems
    if check_quality:
        from ..items import run_quality

        result = run_quality(elements)
        for finding in result.errors:
            problems.append(
                Problem(row, column_of(finding_loc(finding.element)), f"质量检查：{finding.message}")
            )
        if problems:
            return None, problems
    return ParsedRow(row, elements, basic_code, data), []


def validate_rows(
    header: list[str],
    rows: list[tuple[int, dict[str, str]]],
    *,
    check_quality: bool = False,
    progress: bool = True,
) -> tuple[list[ParsedRow], list[Problem]]:
    """Validate the header and every row; (valid rows, problems)."""
    problems: list[Problem] = []
    known = set(COLUMNS)
    for column in header:
        if column and column not in known:
            problems.append(Problem(1, column, "未知列（见 samples/README.md 的列清单）"))
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.append(Problem(1, column, "缺少必需的列"))
    if not rows:
        problems.append(Problem(1, "（文件）", "文件中没有数据行"))
    parsed: list[ParsedRow] = []
    seen: dict[tuple[str, str], int] = {}
    for n, cells in tqdm(rows, desc="校验 validate", unit="行", disable=not progress, file=sys.stderr):
        entry, row_problems = parse_row(n, cells, check_quality=check_quality)
        problems.extend(row_problems)
        if entry is not None:
            key = (entry.elements.name, entry.elements.implementing_unit.code)
            if key in seen:
                problems.append(Problem(n, "事项名称", f"与第 {seen[key]} 行重复（同一实施主体的同名事项）"))
            else:
                seen[key] = n
            parsed.append(entry)
    return parsed, problems
