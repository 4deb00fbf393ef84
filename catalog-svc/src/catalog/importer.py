"""Bulk import of implementation entries (实施清单) from CSV or XLSX: the file format and the CLI.

    python -m catalog.importer FILE [--format csv|xlsx] [--publish] [--update] [--dry-run]
                                    [--database-url URL]

The same check and import serve the API (``POST /v1/imports``, `catalog.services.imports`): this
module reads and validates files; the service writes the rows.

Every row is validated first (shape by `ItemElements`, and with ``--publish`` also the quality
checker); if any row is invalid a report table (行 row, 列 column/element, 问题 problem) is
printed, the exit code is 1 and **nothing** is imported. Valid files are imported in **one
transaction** (created as drafts, version 1; with ``--publish`` also published); an error from
the service (e.g. "同一事项同标准" mismatch, an entry that already exists) is reported the same
way and rolls everything back. With ``--update`` a row naming an existing entry (same 事项名称 and
实施主体编码) changes it instead (its draft, or a new draft version; see
`catalog.services.imports`). ``--dry-run`` does the whole import and rolls it back: it checks
everything and writes nothing. The database must be migrated (the service does that when it
starts, or ``python -m catalog.demo``). Exit codes: 0 imported (or dry run passed), 1 invalid
rows / refused, 2 unusable file or arguments.

File format (see also ``samples/README.md``)
============================================

One header row, then one row per entry. CSV is UTF-8 (a BOM is fine, so Excel's "CSV UTF-8"
works) or GB18030/GBK (Excel's plain "CSV" on a Chinese Windows); XLSX uses the first sheet.
Column order does not matter; unknown columns are an error; empty cells mean "not given". Row
numbers in the report are the file's line/row numbers (the header is row 1). Codes or their
Chinese labels are accepted for enumerations.

Scalar columns::

    事项名称*  事项类型* (01…10, 20 or 行政许可…)  基本编码 (reuse a basic entry)
    实施主体编码*  实施主体名称*  实施主体统一社会信用代码  行使层级* (1–7 or 县级（区级）…)
    权力来源 (1–5, 9 or 法定本级行使…)  办件类型 (1/2/9 or 即办件/承诺件/其他)
    法定时限  法定时限单位  法定时限说明  承诺时限  承诺时限单位  承诺时限说明
        (units: 工作日 / 自然日 / 小时, or working_day / natural_day / hour; 0 = 当场办结)
    办理地点 (full address)  办理地点街道  办理地点门牌号  办理窗口 (room or window)
    办理时间  咨询电话  监督电话  受理条件  数量限制  无特殊环节 (是/否)  流程图
    到现场次数  到现场原因  是否收费 (是/否)  网办深度 (I–IV)  是否支持预约  是否支持网上支付
    是否支持物流快递  结果名称  结果样本  社区事项类别 (受理类/代收代办类/咨询预审类)  演示数据 (是/否)

List columns: entries separated by ``;`` (ASCII semicolon), fields inside an entry by ``|``;
trailing fields may be left out. ``;`` and ``|`` cannot appear inside values (use ``；``)::

    服务对象   自然人;企业法人            (codes 1–6 or labels)
    办理形式   窗口办理;网上办理          (codes 1–4 or labels)
    关键词     低保;社会救助
    主题       社会救助;民政
    设定依据   法律名称|条款号|条款内容
    申请材料   名称|来源|原件份数|复印件份数|介质,介质|必要性|情形条件|免提交来源|空白表格|示例样表|材料要求
               (介质: 原件,复印件,电子版; 必要性: 必要 / 情形必要 (or required / conditional))
    办理流程   环节|办理人员|时限|时限单位|说明|时限说明   (环节: 受理/审核/审批/办结/送达)
    特殊环节   类型|说明|时限|时限单位|时限说明  (类型: 听证/现场勘查/专家评审/评估/其他特殊环节)
    收费项目   名称|标准|依据
    常见问题   问题|答案

Problems name the column, and for list columns the entry and field, 1-based:
``申请材料[2].原件份数``.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import csv
import io
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tqdm import tqdm

from .elements import (
    COMMUNITY_KINDS,
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
    TimeLimit,
)

LIST_SEP = ";"
FIELD_SEP = "|"
YES = {"是", "y", "yes", "true", "1", "有"}
NO = {"否", "n", "no", "false", "0", "无"}

# element → column, for the scalar elements (dotted paths for nested ones).
SCALAR_COLUMNS: dict[str, str] = {
    "name": "事项名称",
    "item_type": "事项类型",
    "implementing_unit.code": "实施主体编码",
    "implementing_unit.name": "实施主体名称",
    "implementing_unit.uscc": "实施主体统一社会信用代码",
    "level": "行使层级",
    "power_source": "权力来源",
    "handling_type": "办件类型",
    "legal_limit.value": "法定时限",
    "legal_limit.unit": "法定时限单位",
    "legal_limit.note": "法定时限说明",
    "promised_limit.value": "承诺时限",
    "promised_limit.unit": "承诺时限单位",
    "promised_limit.note": "承诺时限说明",
    "place.address": "办理地点",
    "place.street": "办理地点街道",
    "place.number": "办理地点门牌号",
    "place.room": "办理窗口",
    "hours": "办理时间",
    "enquiry_phone": "咨询电话",
    "supervision_phone": "监督电话",
    "acceptance_conditions": "受理条件",
    "quantity_limit": "数量限制",
    "no_special_steps": "无特殊环节",
    "process_chart_url": "流程图",
    "visits": "到现场次数",
    "visits_reason": "到现场原因",
    "fees.charged": "是否收费",
    "online_depth": "网办深度",
    "appointment_supported": "是否支持预约",
    "online_payment_supported": "是否支持网上支付",
    "post_delivery_supported": "是否支持物流快递",
    "result.name": "结果名称",
    "result.sample_url": "结果样本",
    "community_kind": "社区事项类别",
    "demo": "演示数据",
}
BASIC_CODE_COLUMN = "基本编码"
# list element → (column, [(field, sub-column label)])
LIST_COLUMNS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "service_objects": ("服务对象", []),
    "handling_forms": ("办理形式", []),
    "keywords": ("关键词", []),
    "themes": ("主题", []),
    "legal_basis": ("设定依据", [("law", "法律名称"), ("article", "条款号"), ("text", "条款内容")]),
    "materials": (
        "申请材料",
        [
            ("name", "名称"),
            ("source", "来源"),
            ("originals", "原件份数"),
            ("copies", "复印件份数"),
            ("media", "介质"),
            ("requirement", "必要性"),
            ("condition", "情形条件"),
            ("exempt_source", "免提交来源"),
            ("blank_form_url", "空白表格"),
            ("sample_form_url", "示例样表"),
            ("notes", "材料要求"),
        ],
    ),
    "process": (
        "办理流程",
        [
            ("step", "环节"),
            ("actor", "办理人员"),
            ("time_limit.value", "时限"),
            ("time_limit.unit", "时限单位"),
            ("description", "说明"),
            ("time_limit.note", "时限说明"),
        ],
    ),
    "special_steps": (
        "特殊环节",
        [
            ("kind", "类型"),
            ("description", "说明"),
            ("time_limit.value", "时限"),
            ("time_limit.unit", "时限单位"),
            ("time_limit.note", "时限说明"),
        ],
    ),
    "fees.items": ("收费项目", [("name", "名称"), ("standard", "标准"), ("basis", "依据")]),
    "faq": ("常见问题", [("question", "问题"), ("answer", "答案")]),
}
COLUMNS: list[str] = [
    SCALAR_COLUMNS["name"],
    SCALAR_COLUMNS["item_type"],
    BASIC_CODE_COLUMN,
    *[c for k, c in SCALAR_COLUMNS.items() if k not in ("name", "item_type")],
    *[c for c, _ in LIST_COLUMNS.values()],
]
REQUIRED_COLUMNS = ["事项名称", "事项类型", "实施主体编码", "实施主体名称", "行使层级"]
#: What each column holds, for the template's 列说明 sheet and `GET /v1/imports/columns` (中文).
COLUMN_HELP: dict[str, str] = {
    "事项名称": "事项名称，最多 200 字；与实施主体编码一起确定一个事项（同名事项再次导入即为修改）",
    "事项类型": "代码 01–10、20 或名称，如 行政许可、行政给付、公共服务",
    "基本编码": "实施已有基本目录事项时填写；不填则同时新建基本目录事项",
    "实施主体编码": "统一身份认证组织机构中的单位编码，如 110105-MZJ",
    "实施主体名称": "实施单位全称",
    "实施主体统一社会信用代码": "18 位统一社会信用代码（GB 32100 校验）",
    "行使层级": "1–7 或名称，如 县级（区级）",
    "权力来源": "1–5、9 或名称，如 法定本级行使",
    "办件类型": "1 即办件、2 承诺件、9 其他",
    "法定时限": "整数；0 表示当场办结",
    "法定时限单位": "工作日、自然日或小时",
    "法定时限说明": "如 补正材料时间不计入",
    "承诺时限": "整数；0 表示当场办结",
    "承诺时限单位": "工作日、自然日或小时",
    "承诺时限说明": "如 公示期不计入",
    "办理地点": "详细地址",
    "办理地点街道": "街道或路名",
    "办理地点门牌号": "门牌号",
    "办理窗口": "房间号或窗口号",
    "办理时间": "如 周一至周五 上午9:00-12:00",
    "咨询电话": "带区号，如 010-65091101",
    "监督电话": "带区号，且不同于咨询电话",
    "受理条件": "文字",
    "数量限制": "如 无数量限制",
    "无特殊环节": "是 或 否",
    "流程图": "网址（https://…）",
    "到现场次数": "0–20；0 表示零跑动",
    "到现场原因": "需到现场时说明原因",
    "是否收费": "是 或 否",
    "网办深度": "I、II、III、IV（或 一级…四级）",
    "是否支持预约": "是 或 否",
    "是否支持网上支付": "是 或 否",
    "是否支持物流快递": "是 或 否",
    "结果名称": "办理结果（证照、批文）名称",
    "结果样本": "网址（https://…）",
    "社区事项类别": "受理类、代收代办类 或 咨询预审类",
    "演示数据": "是 或 否（虚构的演示数据填 是）",
    "服务对象": "多个用英文分号 ; 分隔，如 自然人;企业法人",
    "办理形式": "多个用 ; 分隔，如 窗口办理;网上办理",
    "关键词": "多个用 ; 分隔",
    "主题": "多个用 ; 分隔",
    "设定依据": "每条：法律名称|条款号|条款内容，多条用 ; 分隔",
    "申请材料": (
        "每条：名称|来源|原件份数|复印件份数|介质(原件,复印件,电子版)|必要性(必要/情形必要)|情形条件|"
        "免提交来源|空白表格|示例样表|材料要求，多条用 ; 分隔，末尾的空字段可省略"
    ),
    "办理流程": "每步：环节(受理/审核/审批/办结/送达)|办理人员|时限|时限单位|说明|时限说明，多步用 ; 分隔",
    "特殊环节": "每条：类型(听证/现场勘查/专家评审/评估/其他特殊环节)|说明|时限|时限单位|时限说明",
    "收费项目": "每项：名称|标准|依据，多项用 ; 分隔",
    "常见问题": "每条：问题|答案，多条用 ; 分隔",
}
_REQUIREMENTS = {"required": "必要", "conditional": "情形必要"}


@dataclass(frozen=True)
class Problem:
    """One line of the validation report."""

    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    """A valid row: its number, its elements, the basic code it names (if any), and the element
    document as the row gave it (only what its cells hold: an update replaces no more)."""

    row: int
    elements: ItemElements
    basic_code: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would have done)."""

    created: list[str] = field(default_factory=list)
    #: Entries given a changed draft or a new draft version (``--update``).
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False


class _CellError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


# ---------------------------------------------------------------------------------------------
# Reading


def detect_format(path: Path, fmt: str | None) -> str:
    """csv or xlsx: the given one, else from the file extension."""
    if fmt:
        return fmt
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise ValueError(
        f"无法从文件名判断 {path.name} 的格式，请加 --format csv 或 --format xlsx。"
        f" Cannot tell the format of {path.name}; pass --format csv or --format xlsx."
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class UnreadableFile(ValueError):
    """The file cannot be read as the format it claims (a broken workbook, undecodable text)."""


#: An XLSX is a zip: a small file may unpack to gigabytes. Past this, it is refused unread.
MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024
#: The magic numbers of formats people upload by mistake: (prefix, what it is).
XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else GB18030 (Excel's "CSV (逗号分隔)" on a
    Chinese Windows writes GBK, which GB18030 contains)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(
            "CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。"
        ) from None


def _resave(exc: Exception) -> str:
    return f"无法读取 XLSX 工作簿（{exc.__class__.__name__}），请在 Excel 中重新保存后再试。"


def _xlsx_table(data: bytes) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile(
            "不是有效的 XLSX 工作簿（文件已损坏，或并非 Excel 2007 及以后的格式）。"
        ) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"XLSX 工作簿解压后有 {unpacked} 字节，超过 {MAX_XLSX_UNPACKED_BYTES} 字节的上限，"
            "请分成几个文件导入。"
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises assorted errors on a broken workbook
        raise UnreadableFile(_resave(exc)) from exc
    try:
        if not wb.worksheets:
            return []
        return [[_cell_text(c) for c in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    except Exception as exc:
        raise UnreadableFile(_resave(exc)) from exc
    finally:
        wb.close()


def read_table(data: bytes, fmt: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-empty data rows of a file's bytes as (row number, {column: text});
    `UnreadableFile` when the bytes are not a readable file of that format."""
    table: list[list[str]] = []
    if fmt == "csv":
        try:
            lines = io.StringIO(decode_csv(data), newline="")
            table = [[_cell_text(c) for c in row] for row in csv.reader(lines)]
        except csv.Error as exc:
            raise UnreadableFile(f"CSV 文件格式有误：{exc}（请检查引号是否成对）。") from exc
    elif fmt == "xlsx":
        table = _xlsx_table(data)
    else:
        raise ValueError(f"不支持的格式 {fmt!r}，应为 csv 或 xlsx。 Unknown format {fmt!r}: csv or xlsx.")
    if not table:
        return [], []
    header = [h.strip() for h in table[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for n, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        rows.append((n, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return header, rows


def read_rows(path: Path, fmt: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-empty data rows of a file (see `read_table`)."""
    return read_table(path.read_bytes(), fmt)


def sniff_format(file_name: str, data: bytes) -> str | None:
    """csv or xlsx for an uploaded file, from its content first (a workbook renamed .csv is still
    a workbook), else its name; None for anything else (an old .xls, a PDF, a picture …)."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(OLD_EXCEL_MAGIC) or data.startswith(b"%PDF"):
        return None
    suffix = Path(file_name).suffix.lower()
    if suffix in (".csv", ".txt", ""):
        return "csv"
    return None


# ---------------------------------------------------------------------------------------------
# Parsing one row


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
        if key in ("originals", "copies", "time_limit.value"):
            value = _int(col, raw)
        elif key == "time_limit.unit":
            value = _unit(col, raw)
        elif key == "media":
            value = [_choice(col, m, MEDIA, "介质") for m in raw.replace("，", ",").split(",") if m.strip()]
        elif key == "requirement":
            value = _choice(col, raw, _REQUIREMENTS, "必要性")
        elif key == "step":
            value = _choice(col, raw, PROCESS_STEPS, "办理环节")
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
        if key in ("legal_limit", "promised_limit", "place", "implementing_unit", "result", "fees"):
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
        from .services.items import run_quality

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


# ---------------------------------------------------------------------------------------------
# Importing


async def import_rows(
    database_url: str,
    rows: list[ParsedRow],
    *,
    publish: bool = False,
    dry_run: bool = False,
    update: bool = False,
    columns: list[str] | None = None,
    progress: bool = True,
) -> ImportResult:
    """Create (and optionally publish) every row in one transaction, all or nothing, as the system
    (`catalog.services.imports.import_entries`; with `update`, rows change existing entries)."""
    from sqlalchemy.exc import SQLAlchemyError

    from yiwang_shared.db import Database

    from .services.imports import import_entries

    result = ImportResult(dry_run=dry_run)
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            outcome = await import_entries(
                session,
                rows,
                actor=None,
                columns=columns if update else None,
                update=update,
                publish=publish,
                dry_run=dry_run,
                progress=progress,
            )
        result.problems = outcome.problems
        if not result.problems:
            result.created = [r.code for r in outcome.rows if r.action == "created" and r.code]
            changed = ("updated", "new_version")
            result.updated = [r.code for r in outcome.rows if r.action in changed and r.code]
            result.unchanged = [r.code for r in outcome.rows if r.action == "unchanged" and r.code]
            result.published = [r.code for r in outcome.rows if r.published and r.code]
            if dry_run:
                result.created = []
    except SQLAlchemyError as exc:
        result.problems.append(
            Problem(0, "（数据库）", f"数据库错误（是否已迁移？）：{exc.__class__.__name__}: {exc}")
        )
        result.created, result.published = [], []
    finally:
        await db.dispose()
    return result


# ---------------------------------------------------------------------------------------------
# Report


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_report(problems: list[Problem]) -> str:
    """The problems as an aligned text table: 行 row | 列（要素） column | 问题 problem."""
    headers = ("行 row", "列（要素） column", "问题 problem")
    rows = [(str(p.row), p.column, p.message) for p in sorted(problems, key=lambda p: (p.row, p.column))]
    w0 = max(_width(headers[0]), *(_width(r[0]) for r in rows)) if rows else _width(headers[0])
    w1 = max(_width(headers[1]), *(_width(r[1]) for r in rows)) if rows else _width(headers[1])
    lines = [
        f"{_pad(headers[0], w0)} | {_pad(headers[1], w1)} | {headers[2]}",
        f"{'-' * w0}-+-{'-' * w1}-+-{'-' * 12}",
    ]
    lines += [f"{_pad(r[0], w0)} | {_pad(r[1], w1)} | {r[2]}" for r in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Writing rows (the samples, and round trips)


def _fmt_limit(limit: TimeLimit | None) -> tuple[str, str, str]:
    if limit is None:
        return "", "", ""
    return str(limit.value), LIMIT_UNITS[limit.unit], limit.note or ""


def elements_to_row(elements: ItemElements, basic_code: str | None = None) -> dict[str, str]:
    """An entry as one row of the flat format (the inverse of parsing, for the common elements)."""
    d = elements.model_dump(mode="json")
    yes_no = {True: "是", False: "否"}
    row: dict[str, str] = {c: "" for c in COLUMNS}
    for key, column in SCALAR_COLUMNS.items():
        if key.startswith(("legal_limit.", "promised_limit.")):
            continue
        value: Any = d
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        if isinstance(value, bool):
            row[column] = yes_no[value]
        elif key == "item_type":
            row[column] = ITEM_TYPES[value]
        elif key == "handling_type":
            row[column] = HANDLING_TYPES[value]
        elif key == "community_kind":
            row[column] = COMMUNITY_KINDS[value]
        else:
            row[column] = str(value)
    for key in ("legal_limit", "promised_limit"):
        v, u, n = _fmt_limit(getattr(elements, key))
        row[SCALAR_COLUMNS[f"{key}.value"]], row[SCALAR_COLUMNS[f"{key}.unit"]] = v, u
        row[SCALAR_COLUMNS[f"{key}.note"]] = n
    row[BASIC_CODE_COLUMN] = basic_code or ""
    row["服务对象"] = LIST_SEP.join(SERVICE_OBJECTS[o] for o in elements.service_objects)
    row["办理形式"] = LIST_SEP.join(HANDLING_FORMS[f] for f in elements.handling_forms)
    row["关键词"] = LIST_SEP.join(elements.keywords)
    row["主题"] = LIST_SEP.join(elements.themes)

    def join(entries: list[list[str]]) -> str:
        out = []
        for fields in entries:
            while fields and not fields[-1]:
                fields = fields[:-1]
            out.append(FIELD_SEP.join(fields))
        return LIST_SEP.join(out)

    row["设定依据"] = join([[b.law, b.article or "", b.text or ""] for b in elements.legal_basis])
    row["申请材料"] = join(
        [
            [
                m.name,
                m.source or "",
                str(m.originals),
                str(m.copies),
                ",".join(MEDIA[x] for x in m.media),
                _REQUIREMENTS[m.requirement],
                m.condition or "",
                m.exempt_source or "",
                m.blank_form_url or "",
                m.sample_form_url or "",
                m.notes or "",
            ]
            for m in elements.materials
        ]
    )
    row["办理流程"] = join(
        [
            [
                PROCESS_STEPS[s.step],
                s.actor or "",
                *(_fmt_limit(s.time_limit)[:2]),
                s.description or "",
                _fmt_limit(s.time_limit)[2],
            ]
            for s in elements.process
        ]
    )
    row["特殊环节"] = join(
        [
            [SPECIAL_STEPS[s.kind], s.description or "", *_fmt_limit(s.time_limit)]
            for s in elements.special_steps
        ]
    )
    row["收费项目"] = join([[f.name, f.standard or "", f.basis or ""] for f in elements.fees.items])
    row["常见问题"] = join([[f.question, f.answer] for f in elements.faq])
    return row


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows in the flat format as UTF-8 CSV with a BOM (opens cleanly in Excel)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows in the flat format as an XLSX workbook (sheet 事项)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("事项")
    ws.append(COLUMNS)
    for row in rows:
        ws.append([row.get(c, "") for c in COLUMNS])
    wb.save(path)


def template_csv() -> str:
    """An empty import file: the header row only (UTF-8 with BOM, opens cleanly in Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out, lineterminator="\r\n").writerow(COLUMNS)
    return out.getvalue()


def template_xlsx() -> bytes:
    """An empty import workbook: sheet 事项 with the header row, sheet 列说明 saying what each
    column holds (the import reads the first sheet only)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "事项"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    help_sheet = wb.create_sheet("列说明")
    help_sheet.append(["列", "必填", "填写说明"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append([column, "是" if column in REQUIRED_COLUMNS else "", COLUMN_HELP[column]])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["C"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Command line


async def run(
    path: Path,
    *,
    fmt: str | None = None,
    publish: bool = False,
    dry_run: bool = False,
    update: bool = False,
    database_url: str | None = None,
    progress: bool = True,
    out: Any = None,
) -> int:
    """The importer; returns the exit code (0 ok, 1 invalid/refused, 2 unusable input)."""
    out = out or sys.stdout
    try:
        header, rows = read_rows(path, detect_format(path, fmt))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        out.write(f"无法读取文件 cannot read {path}: {exc}\n")
        return 2
    except Exception as exc:  # openpyxl raises assorted errors on a non-xlsx file
        out.write(f"无法读取文件 cannot read {path}: {exc.__class__.__name__}: {exc}\n")
        return 2
    parsed, problems = validate_rows(header, rows, check_quality=publish, progress=progress)
    if problems:
        out.write(
            f"校验未通过：{len(problems)} 个问题，未导入任何事项。 Validation failed: nothing imported.\n"
        )
        out.write(format_report(problems) + "\n")
        return 1
    if database_url is None:
        from .config import Settings

        database_url = Settings().resolved_database_url()
    result = await import_rows(
        database_url,
        parsed,
        publish=publish,
        dry_run=dry_run,
        update=update,
        columns=header,
        progress=progress,
    )
    if result.problems:
        out.write(
            f"导入被拒绝：{len(result.problems)} 个问题，已全部回滚，未导入任何事项。"
            " Import refused: nothing imported.\n"
        )
        out.write(format_report(result.problems) + "\n")
        return 1
    if dry_run:
        out.write(
            f"试运行通过：{len(parsed)} 行均可导入（未写入数据库）。"
            f" Dry run OK: {len(parsed)} row(s) would be imported.\n"
        )
        return 0
    state = "已发布 published" if publish else "草稿 drafts"
    out.write(f"已导入 {len(result.created)} 个事项（{state}）。 Imported {len(result.created)} item(s).\n")
    for code in result.created:
        out.write(f"  {code}\n")
    if update:
        out.write(
            f"已修改 {len(result.updated)} 个已有事项（{state}），{len(result.unchanged)} 个未变。"
            f" Changed {len(result.updated)}, unchanged {len(result.unchanged)}.\n"
        )
        for code in result.updated:
            out.write(f"  {code}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m catalog.importer FILE …`."""
    parser = argparse.ArgumentParser(
        prog="python -m catalog.importer",
        description="Bulk import of catalogue entries from CSV or XLSX (see samples/README.md).",
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--format", choices=["csv", "xlsx"], default=None, help="Default: from the extension")
    parser.add_argument(
        "--publish", action="store_true", help="Publish each entry (rows must pass the quality check)"
    )
    parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing")
    parser.add_argument(
        "--update",
        action="store_true",
        help="A row naming an existing entry (same name and unit) changes it: its draft, or a new "
        "draft version; columns left out of the file keep their elements",
    )
    parser.add_argument("--database-url", default=None, help="Default: CATALOG_DATABASE_URL")
    parser.add_argument("--no-progress", action="store_true", help="No progress bar")
    args = parser.parse_args(argv)
    return asyncio.run(
        run(
            args.file,
            fmt=args.format,
            publish=args.publish,
            dry_run=args.dry_run,
            update=args.update,
            database_url=args.database_url,
            progress=not args.no_progress,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
