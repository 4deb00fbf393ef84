"""Bulk import of entries (批量导入): /v1/imports. Catalogue editors upload a CSV or XLSX file,
check it (`dry_run`), and import it — all or nothing; the format and an empty template are public."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Response

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems

from .. import errors
from ..schemas.imports import (
    ImportColumnRead,
    ImportFormatRead,
    ImportReportRead,
    ImportUpload,
    TemplateFormat,
)
from ..services import imports as svc
from ..services.importer import (
    COLUMN_HELP,
    COLUMNS,
    FIELD_SEP,
    LIST_SEP,
    REQUIRED_COLUMNS,
    template_csv,
    template_xlsx,
)

router = APIRouter(prefix="/v1/imports", tags=["imports"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_IMPORT_DESCRIPTION = """Import entries from a CSV or XLSX file (catalogue editors: their own unit's
entries; administrators: any unit's). Every row is checked — its cells, then against the stored
entries (the unit, the basic code, an entry of the same name) — and the report lists **every**
problem by row and column, in Chinese.

**All or nothing.** A file with any problem imports nothing:

- `dry_run=true` (检查): **200** with the report — `ok: true`, or `ok: false` and the problems;
  nothing is written either way.
- `dry_run=false` (导入): **200** with the report (`imported: true`) when the file has no problem;
  otherwise **422** `catalog.import_invalid`, nothing written, the report in the problem's
  `report` member.

A row names its entry by 事项名称 + 实施主体编码. A new one becomes an entry with draft version 1;
an existing one gets the row's columns in its open draft (`updated`), or in a new draft version
copied from the one in force (`new_version`); columns the file leaves out keep their elements; a
row equal to what is stored changes nothing (`unchanged`); an entry with a version in review is
not changed (a problem). Nothing is published: drafts go through review as any other.

Refused before any row is read: 403 for a caller who is no catalogue editor, 413 for a file over
2 MB, 415 for a file neither CSV nor XLSX (an old `.xls`, a PDF), 422 for an empty or unreadable
file or more than 500 rows."""


@router.post(
    "",
    response_model=ImportReportRead,
    description=_IMPORT_DESCRIPTION,
    responses=problems(
        413,
        415,
        s422="The file has problems (`catalog.import_invalid`, the report in `report`: nothing was "
        "imported), or is empty, unreadable or too long",
    ),
)
async def imports_create(
    body: Annotated[ImportUpload, Form(media_type="multipart/form-data")],
    principal: CurrentPrincipal,
    session: SessionDep,
) -> ImportReportRead:
    """Check (`dry_run`) or import a file of entries, all or nothing; the report row by row."""
    data = await body.file.read(svc.MAX_FILE_BYTES + 1)
    report = await svc.import_file(
        session,
        data=data,
        file_name=body.file.filename or "upload",
        actor=principal,
        dry_run=body.dry_run,
    )
    if not report.ok and not body.dry_run:
        raise errors.import_invalid(
            len(report.problems), report.counts.rejected, report.model_dump(mode="json")
        )
    return report


@router.get("/format", response_model=ImportFormatRead)
async def imports_format() -> ImportFormatRead:
    """The import format: every column with what to write in it, and the limits (anyone)."""
    return ImportFormatRead(
        columns=[
            ImportColumnRead(name=c, required=c in REQUIRED_COLUMNS, help=COLUMN_HELP[c]) for c in COLUMNS
        ],
        list_separator=LIST_SEP,
        field_separator=FIELD_SEP,
        max_rows=svc.MAX_ROWS,
        max_bytes=svc.MAX_FILE_BYTES,
    )


@router.get(
    "/template",
    response_class=Response,
    responses={
        200: {
            "description": "The empty template: the header row (XLSX also a sheet 列说明 on each column)",
            "content": {
                XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def imports_template(
    format: Annotated[
        TemplateFormat, Query(description="xlsx (with a sheet explaining each column) or csv.")
    ] = TemplateFormat.XLSX,
) -> Response:
    """An empty import file to fill in: the header row in the import format (anyone)."""
    if format is TemplateFormat.CSV:
        return Response(
            template_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="catalog-import-template.csv"'},
        )
    return Response(
        template_xlsx(),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": 'attachment; filename="catalog-import-template.xlsx"'},
    )


__all__ = ["router"]
