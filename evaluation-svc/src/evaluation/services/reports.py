"""Monthly reports as tables (JSON, CSV, XLSX) and a bar chart per indicator as SVG."""

from __future__ import annotations

from html import escape
from typing import Any

from yiwang_shared.spreadsheets import csv_text, xlsx_bytes

from .indicators import INDICATOR_BY_NAME, INDICATORS


def _cell(value: float | int | None, percent: bool) -> str:
    if value is None:
        return ""
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cells(row: dict[str, Any]) -> list[str]:
    return [_cell(row["indicators"][i.name], i.percent) for i in INDICATORS]


def _values(row: dict[str, Any]) -> list[float | int | None]:
    return [row["indicators"][i.name] for i in INDICATORS]


def header() -> list[str]:
    """Column titles: the key, then each indicator's Chinese name."""
    return ["对象", "名称"] + [i.label for i in INDICATORS]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """The report as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese; keys and names
    anyone could have sent are written as text, never as formulas)."""
    lines = ([row["key"], row.get("name") or "", *_cells(row)] for row in rows)
    return csv_text(header(), lines)


def to_xlsx(title: str, rows: list[dict[str, Any]]) -> bytes:
    """The report as an XLSX workbook (rates as percentages; text cells never formulas)."""
    lines = ([row["key"], row.get("name") or "", *_values(row)] for row in rows)
    return xlsx_bytes(
        "指标",
        header(),
        lines,
        title=title,
        number_formats={col: "0.0%" for col, ind in enumerate(INDICATORS, start=3) if ind.percent},
        widths={"A": 24, "B": 20},
    )


def bar_chart_svg(indicator: str, title: str, rows: list[dict[str, Any]]) -> str:
    """A horizontal bar chart of one indicator across keys, labelled in Chinese, as SVG text."""
    ind = INDICATOR_BY_NAME[indicator]
    data = [
        (r.get("name") or r["key"], r["indicators"][indicator])
        for r in rows
        if r["indicators"][indicator] is not None
    ]
    data.sort(key=lambda kv: -float(kv[1]))
    bar_h, gap, left, right, top = 24, 10, 200, 90, 60
    width = 760
    height = top + max(len(data), 1) * (bar_h + gap) + 30
    peak = max([float(v) for _, v in data] + [1.0 if ind.percent else 0.0]) or 1.0
    span = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2}" y="32" font-size="18" text-anchor="middle" fill="#222">'
        f"{escape(title)} · {escape(ind.label)}</text>",
    ]
    if not data:
        parts.append(
            f'<text x="{width / 2}" y="{top + 20}" font-size="14" text-anchor="middle" '
            'fill="#888">暂无数据</text>'
        )
    for i, (key, value) in enumerate(data):
        y = top + i * (bar_h + gap)
        w = max(1.0, span * float(value) / peak)
        colour = "#2e86c1"
        parts += [
            f'<text x="{left - 8}" y="{y + bar_h * 0.7}" font-size="13" text-anchor="end" '
            f'fill="#333">{escape(key)}</text>',
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{colour}"/>',
            f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.7}" font-size="13" fill="#333">'
            f"{escape(_cell(value, ind.percent))}</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
