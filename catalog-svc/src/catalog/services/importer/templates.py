"""Entries → rows of the import format: the samples, round trips and the blank templates."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ...schemas.elements import (
    COMMUNITY_KINDS,
    HANDLING_FORMS,
    HANDLING_TYPES,
    ITEM_TYPES,
    LIMIT_UNITS,
    MEDIA,
    PROCESS_STEPS,
    SERVICE_OBJECTS,
    SPECIAL_STEPS,
    ItemElements,
    TimeLimit,
)
from .columns import (
    _REQUIREMENTS,
    BASIC_CODE_COLUMN,
    COLUMN_HELP,
    COLUMNS,
    FIELD_SEP,
    LIST_SEP,
    REQUIRED_COLUMNS,
    SCALAR_COLUMNS,
)


def _fmt_limit(limit: TimeLimit | None) -> tuple[str, str, str]:
    if limit is None:
        return "", "", ""
    return str(limit.value), LIMIT_UNITS[limit.unit], limit.note or ""


def elements_to_row(elements: ItemElements, basic_code: str | None = None) -> dict[str, str]:
    """An entry as one row of the flat format (the inverse of parsing, for the common elements)."""
    row: dict[str, str] = {c: "" for c in COLUMNS}
    _scalar_cells(row, elements.model_dump(mode="json"))
    for key in ("legal_limit", "promised_limit"):
        v, u, n = _fmt_limit(getattr(elements, key))
        row[SCALAR_COLUMNS[f"{key}.value"]], row[SCALAR_COLUMNS[f"{key}.unit"]] = v, u
        row[SCALAR_COLUMNS[f"{key}.note"]] = n
    row[BASIC_CODE_COLUMN] = basic_code or ""
    row["服务对象"] = LIST_SEP.join(SERVICE_OBJECTS[o] for o in elements.service_objects)
    row["办理形式"] = LIST_SEP.join(HANDLING_FORMS[f] for f in elements.handling_forms)
    row["关键词"] = LIST_SEP.join(elements.keywords)
    row["主题"] = LIST_SEP.join(elements.themes)
    _list_cells(row, elements)
    return row


def _scalar_cells(row: dict[str, str], d: dict[str, Any]) -> None:
    """Fill the scalar columns (but the time limits) from the element document `d`."""
    yes_no = {True: "是", False: "否"}
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


def _join(entries: list[list[str]]) -> str:
    """List entries as one cell: fields by FIELD_SEP (trailing empty ones left out), entries by LIST_SEP."""
    out = []
    for fields in entries:
        while fields and not fields[-1]:
            fields = fields[:-1]
        out.append(FIELD_SEP.join(fields))
    return LIST_SEP.join(out)


def _list_cells(row: dict[str, str], elements: ItemElements) -> None:
    """Fill the list columns with more than one field per entry."""
    row["设定依据"] = _join([[b.law, b.article or "", b.text or ""] for b in elements.legal_basis])
    row["申请材料"] = _join(
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
                m.licence_type_code or "",
            ]
            for m in elements.materials
        ]
    )
    row["办理流程"] = _join(
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
    row["特殊环节"] = _join(
        [
            [SPECIAL_STEPS[s.kind], s.description or "", *_fmt_limit(s.time_limit)]
            for s in elements.special_steps
        ]
    )
    row["收费项目"] = _join(
        [
            [f.name, f.standard or "", f.basis or "", "" if f.amount_fen is None else str(f.amount_fen)]
            for f in elements.fees.items
        ]
    )
    if elements.commitment is not None:
        row["承诺替代材料"] = LIST_SEP.join(elements.commitment.replaces)
    if elements.auto_approval is not None:
        row["秒批规则"] = _join([[r.kind, r.value] for r in elements.auto_approval.rules])
    row["常见问题"] = _join([[f.question, f.answer] for f in elements.faq])


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
