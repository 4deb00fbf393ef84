"""One safe writer for every CSV and XLSX export a person opens in a spreadsheet program.

Values in our tables can come from anyone (an anonymous guide view's item code, a ticket title),
so a text cell is written as text, never as something the program runs or chokes on:

- a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with
  ``'`` (OWASP's CSV-injection advice) — in XLSX it is also typed as a string, so no formula is
  stored at all;
- control characters (C0 except tab, line feed and carriage return, and DEL) are dropped: XLSX
  cannot hold them (openpyxl refuses the whole workbook), and no one typed them on purpose.

Numbers stay numbers. CSV starts with a UTF-8 BOM (so Excel reads the Chinese) and ends lines in
CRLF.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

__all__ = ["FORMULA_PREFIXES", "csv_text", "safe_text", "xlsx_bytes"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Cell = str | int | float | None


def safe_text(value: Any) -> str:
    """`value` as text a spreadsheet shows as written: no control characters, no formula."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_cell(value: Cell) -> str | int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return safe_text(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV document: BOM, the header, one line per row, every text cell made safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    number_formats: dict[int, str] | None = None,
    widths: dict[str, float] | None = None,
) -> bytes:
    """An XLSX workbook of one sheet: an optional bold title line, a bold header, the rows (text
    cells made safe and typed as strings; `number_formats` by 1-based column)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = safe_text(sheet)[:31]
    if title is not None:
        ws.append([safe_text(title)])
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.append([safe_text(h) for h in header])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    line = ws.max_row
    for row in rows:
        line += 1
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=line, column=col)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                if number_formats and col in number_formats:
                    cell.number_format = number_formats[col]
            elif value is not None:
                cell.value = safe_text(value)
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
    for column, width in (widths or {}).items():
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
