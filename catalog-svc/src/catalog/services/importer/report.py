"""The validation report: a table of row, column and problem."""

from __future__ import annotations

import unicodedata

from .columns import Problem


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
