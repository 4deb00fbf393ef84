"""The one safe CSV/XLSX writer (issue 15, point 7): text is never a formula, control characters
never break a workbook, numbers stay numbers."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from yiwang_shared.spreadsheets import csv_text, safe_text, xlsx_bytes

HOSTILE = ["=2+5*cmd|calc", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "a\x01b\x7f", "普通文字"]


def test_safe_text_neutralises_formulas_and_drops_control_characters() -> None:
    assert [safe_text(v) for v in HOSTILE] == [
        "'=2+5*cmd|calc",
        "'+1",
        "'-1+1",
        "'@SUM(A1)",
        "'\t=1",
        "'\r=1",
        "ab",
        "普通文字",
    ]
    assert safe_text(None) == "" and safe_text("line\nbreak") == "line\nbreak"


def test_csv_keeps_numbers_and_quotes_text() -> None:
    text = csv_text(["对象", "值"], [[v, -3] for v in HOSTILE])
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert rows[0] == ["对象", "值"]
    assert [r[0] for r in rows[1:]] == [safe_text(v) for v in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-3"}  # a number is not text: no quote added


def test_xlsx_stores_text_as_strings_and_survives_control_characters() -> None:
    data = xlsx_bytes(
        "指标\x02", ["对象", "率"], [[v, 0.5] for v in HOSTILE], title="=标题", number_formats={2: "0.0%"}
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None and ws.title == "指标" and ws["A1"].value == "'=标题"
    cells = [ws.cell(row=r, column=1) for r in range(3, 3 + len(HOSTILE))]
    # (XML keeps a carriage return as a line feed.)
    assert [c.value for c in cells] == [safe_text(v).replace("\r", "\n") for v in HOSTILE]
    assert {c.data_type for c in cells} == {"s"}  # no formula stored, whatever the text
    assert ws["B3"].value == 0.5 and ws["B3"].number_format == "0.0%"
