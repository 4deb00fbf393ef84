"""Reading an import file (CSV in UTF-8 or GB18030, or XLSX) into header and cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any


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
