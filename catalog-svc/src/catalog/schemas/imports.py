"""Bulk import (批量导入) of entries from a CSV or XLSX file: the upload, the report, the columns."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from fastapi import UploadFile
from pydantic import BaseModel, Field

ImportAction = Literal["created", "updated", "new_version", "unchanged"]


class ImportUpload(BaseModel):
    """The file to import (multipart/form-data) and whether only to check it."""

    file: UploadFile = Field(
        description="The entries, one row each, in the import format (`GET /v1/imports/template`): "
        "an XLSX workbook (first sheet) or a CSV file (UTF-8, or GBK/GB18030), at most 2 MB and "
        "500 rows."
    )
    dry_run: bool = Field(
        default=False,
        description="true: check everything, including against the stored entries, and write "
        "nothing (检查，不导入).",
    )


class ImportProblemRead(BaseModel):
    """One problem of the file: where it is and what to fix (中文)."""

    row: int = Field(
        ge=0, description="The file's row number (the header is row 1; 0: not one row, e.g. the database)."
    )
    column: str = Field(
        description="The column (列), for list columns with the entry and field, e.g. "
        "`申请材料[2].原件份数`; `（文件）` or `（整行）` for the whole file or row."
    )
    message: str = Field(description="What is wrong and what to write instead (问题说明).")


class ImportRowRead(BaseModel):
    """What one row did — or, on a dry run or a refused file, would do."""

    row: int = Field(ge=2, description="The file's row number.")
    name: str = Field(description="Item name (事项名称).")
    action: ImportAction = Field(
        description="created 新建 (draft version 1), updated 修改了已有草稿, new_version 新建了草稿版本, "
        "unchanged 与已有内容相同，未修改."
    )
    item_code: str | None = Field(
        description="The entry's implementation code (实施编码); null for an entry not (yet) created."
    )
    version_no: int | None = Field(description="The draft version written (or that would be).")


class ImportCountsRead(BaseModel):
    """How the rows went (each row counts once)."""

    rows: int = Field(ge=0, description="Data rows in the file (not counting the header or blank rows).")
    created: int = Field(ge=0, description="New entries (新建), each with draft version 1.")
    updated: int = Field(ge=0, description="Existing drafts changed (修改草稿).")
    new_versions: int = Field(ge=0, description="Published entries given a new draft version (新建版本).")
    unchanged: int = Field(ge=0, description="Rows equal to what is stored (未变).")
    rejected: int = Field(ge=0, description="Rows with at least one problem (有问题的行).")


class ImportReportRead(BaseModel):
    """The report of an import or a check: the counts, each row's outcome, every problem."""

    file_name: str
    format: Literal["csv", "xlsx"]
    dry_run: bool = Field(description="True for a check only: nothing was written.")
    ok: bool = Field(description="True when the file has no problem (it can be, or was, imported).")
    imported: bool = Field(
        description="True when the entries were written; false on a dry run or with any problem "
        "(all or nothing: 有任何问题则不导入任何事项)."
    )
    counts: ImportCountsRead
    problems: list[ImportProblemRead] = Field(description="Every problem, by row then column.")
    outcomes: list[ImportRowRead] = Field(description="What each row without problems did, in file order.")


class ImportColumnRead(BaseModel):
    """One column of the import format."""

    name: str = Field(description="The column's header, as the file must spell it (列名).")
    required: bool = Field(description="The column must be present and filled in (必填).")
    help: str = Field(description="What to write in it (填写说明).")


class ImportFormatRead(BaseModel):
    """The import format: its columns and limits (what the template's 列说明 sheet says)."""

    columns: list[ImportColumnRead] = Field(description="Every column, in the template's order.")
    list_separator: str = Field(description="Between the entries of a list column (多条之间).")
    field_separator: str = Field(description="Between the fields of one entry (一条的各字段之间).")
    max_rows: int = Field(description="The most data rows one file may hold.")
    max_bytes: int = Field(description="The largest file taken, in bytes.")


class TemplateFormat(StrEnum):
    """The import template's file type."""

    XLSX = "xlsx"
    CSV = "csv"
