"""Bulk import of entries from a CSV or XLSX file (批量导入): the one path the command line
(`python -m catalog.services.importer`) and the API (`POST /v1/imports`) share.

A file is read (`catalog.services.importer.read_table`), every row validated (`validate_rows`), then the
valid rows written in a savepoint of the caller's transaction (`import_entries`). If any row has
a problem, or on a dry run, the savepoint is rolled back: **nothing** is written, yet every row
was tried against the database, so the report names all the problems at once.

A row is matched to an existing entry by name + implementing unit (事项名称 + 实施主体编码; retired
entries are not matched). Without one it becomes a new entry with draft version 1 (as
`POST /v1/items`). With one, and `update=True` (the API), the row's columns replace those elements
of the entry's open draft, or of a new draft version copied from the one in force; columns the
file leaves out keep their elements, and a row equal to what is stored changes nothing
(``unchanged``). A version in review is not touched (the row is a problem: return it first).
With `update=False` (the command line's default) an existing entry is a problem.

Who: an ``actor`` writes only what `catalog.services.items` lets them (a catalogue editor their
own unit's entries, an administrator any); ``actor=None`` is the system (the command line). No
event is published unless `publish` (command line only): drafts are not news; a publish writes
``catalog.item.published.v1`` to the outbox in the same transaction, as every publish does.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from tqdm import tqdm

from yiwang_shared.auth import Principal
from yiwang_shared.errors import ProblemError

from .. import errors
from ..lifecycles import VERSION
from ..models import Item
from ..repositories.items import ItemRepository
from ..schemas.elements import ItemElements
from ..schemas.imports import ImportCountsRead, ImportProblemRead, ImportReportRead, ImportRowRead
from . import items as item_service
from .importer import (
    BASIC_CODE_COLUMN,
    ParsedRow,
    Problem,
    UnreadableFile,
    column_of,
    finding_loc,
    merge_elements,
    pydantic_message,
    read_table,
    sniff_format,
    validate_rows,
)

#: The largest file taken (bytes). Far below the gateway's body limit (10 MiB), and a file of this
#: size holds a few thousand rows.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: The most data rows in one file: one request must import them well inside the gateway's upstream
#: timeout (10 s). A row costs ~7 ms on SQLite on a busy two-core machine (1,000 rows: 7–8 s, too
#: close), so 500; a report that long is also about what a person reads at once.
MAX_ROWS = 500

RowAction = Literal["created", "updated", "new_version", "unchanged"]
#: Report columns for problems that belong to the whole row, not one cell.
WHOLE_ROW = "（整行）"


@dataclass
class RowOutcome:
    """What one valid row did (or, rolled back, would do)."""

    row: int
    name: str
    action: RowAction
    code: str | None
    version_no: int | None
    published: bool = False


@dataclass
class ImportOutcome:
    """Every row's outcome, the problems, and whether anything was written."""

    rows: list[RowOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False


# ---------------------------------------------------------------------------------------------
# Writing the rows


async def import_entries(
    session: AsyncSession,
    rows: Sequence[ParsedRow],
    *,
    actor: Principal | None,
    columns: Collection[str] | None = None,
    update: bool = False,
    publish: bool = False,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportOutcome:
    """Write every row in a savepoint: kept only when no row has a problem and it is not a dry run.

    `columns` are the file's header (what an update replaces); `update` lets a row change an
    existing entry; `publish` publishes each entry written (the system only: the quality checker
    and "同一事项同标准" still apply)."""
    outcome = ImportOutcome()
    savepoint = await session.begin_nested()
    try:
        for row in tqdm(rows, desc="导入 import", unit="项", disable=not progress, file=sys.stderr):
            try:
                done = await _import_row(
                    session, row, actor=actor, columns=columns, update=update, publish=publish
                )
            except ProblemError as exc:
                done = [Problem(row.row, problem_column(exc), str(exc.detail))]
            if isinstance(done, RowOutcome):
                outcome.rows.append(done)
            else:
                outcome.problems.extend(done)
    except BaseException:
        await savepoint.rollback()
        raise
    if outcome.problems or dry_run:
        await savepoint.rollback()
    else:
        await savepoint.commit()
        outcome.written = True
    return outcome


async def _import_row(
    session: AsyncSession,
    row: ParsedRow,
    *,
    actor: Principal | None,
    columns: Collection[str] | None,
    update: bool,
    publish: bool,
) -> RowOutcome | list[Problem]:
    el = row.elements
    matches = await ItemRepository(session).active_by_name_and_unit(el.name, el.implementing_unit.code)
    if not matches:
        view = await item_service.create_item(session, elements=el, actor=actor, basic_code=row.basic_code)
        if publish:
            await item_service.publish_version(session, view.code, 1, actor=actor)
        return RowOutcome(row.row, el.name, "created", view.code, 1, published=publish)
    if not update:
        return [Problem(row.row, "事项名称", f"该实施主体已有同名事项 {matches[0].code}，不重复导入")]
    if len(matches) > 1:
        codes = "、".join(m.code for m in matches)
        return [
            Problem(
                row.row,
                "事项名称",
                f"该实施主体有 {len(matches)} 个同名事项（{codes}），无法确定更新哪一个，请在编辑页逐个修改",
            )
        ]
    return await _update_row(session, row, matches[0], actor=actor, columns=columns, publish=publish)


async def _update_row(
    session: AsyncSession,
    row: ParsedRow,
    item: Item,
    *,
    actor: Principal | None,
    columns: Collection[str] | None,
    publish: bool,
) -> RowOutcome | list[Problem]:
    """The row as a change of `item`: its open draft edited, or a new draft version."""
    await item_service.authorise_item_write(session, item, actor=actor)
    basic_code = await item_service.basic_code_of(session, item)
    if row.basic_code and row.basic_code != basic_code:
        return [
            Problem(
                row.row,
                BASIC_CODE_COLUMN,
                f"与已有事项 {item.code} 的基本编码 {basic_code} 不同；"
                f"已有事项不能改基本编码，请留空或填写 {basic_code}",
            )
        ]
    versions = await ItemRepository(session).versions_newest_first(item.id)
    open_version = next((v for v in versions if v.status in ("draft", "in_review")), None)
    base = open_version or next((v for v in versions if v.version_no == item.current_version_no), None)
    if base is None:  # an entry always has a draft or a version in force; a broken one is said so
        return [Problem(row.row, WHOLE_ROW, f"事项 {item.code} 没有可修改的版本")]
    merged = (
        merge_elements(base.elements, row.data, columns) if columns is not None else row.elements.model_dump()
    )
    try:
        elements = ItemElements.model_validate(merged)
    except ValidationError as exc:
        return [Problem(row.row, column_of(e["loc"]), pydantic_message(e)) for e in exc.errors()]
    stored = ItemElements.model_validate(base.elements).model_dump(mode="json")
    if elements.model_dump(mode="json") == stored:
        return RowOutcome(row.row, elements.name, "unchanged", item.code, base.version_no)
    if open_version is not None and not VERSION.can(open_version.status, "edit"):
        return [
            Problem(
                row.row,
                WHOLE_ROW,
                f"事项 {item.code} 的第 {open_version.version_no} 版正在审核中，不能导入修改；"
                "请由审核人退回修改后再导入，或待其发布后再导入",
            )
        ]
    action: RowAction = "updated"
    number = open_version.version_no if open_version is not None else 0
    if open_version is None:
        action = "new_version"
        number = (await item_service.new_version(session, item.code, actor=actor)).version_no
    await item_service.update_draft(session, item.code, number, elements=elements, actor=actor)
    if publish:
        await item_service.publish_version(session, item.code, number, actor=actor)
    return RowOutcome(row.row, elements.name, action, item.code, number, published=publish)


def problem_column(exc: ProblemError) -> str:
    """The report column a service refusal belongs to (the unit, the basic code, an element)."""
    extra = exc.extra or {}
    if exc.code in ("catalog.not_owner", "catalog.not_editor", "catalog.unknown_unit"):
        return "实施主体编码"
    if extra.get("field") == "basic_code":
        return BASIC_CODE_COLUMN
    if extra.get("field"):
        return column_of(finding_loc(str(extra["field"]).removeprefix("elements.")))
    if exc.code == "catalog.standard_mismatch" and extra.get("differences"):
        return column_of([str(extra["differences"][0]["element"])])
    findings = [f for f in extra.get("findings") or [] if f.get("severity") == "error"]
    if findings:
        return column_of(finding_loc(str(findings[0]["element"])))
    return WHOLE_ROW


# ---------------------------------------------------------------------------------------------
# An uploaded file (the API)


async def import_file(
    session: AsyncSession,
    *,
    data: bytes,
    file_name: str,
    actor: Principal,
    dry_run: bool,
) -> ImportReportRead:
    """Check an uploaded file and (unless `dry_run` or it has problems) import it; the report.

    Refused before reading: a caller who is no catalogue editor (403), a file over
    `MAX_FILE_BYTES` (413), an empty one, one of another format (415), unreadable (422), over
    `MAX_ROWS` rows (422). Every row is tried even when some are invalid, so one report lists all.
    """
    if not (actor.is_admin or item_service.EDITOR_ROLE in actor.roles):
        raise errors.not_editor()
    if len(data) > MAX_FILE_BYTES:
        raise errors.import_too_large(MAX_FILE_BYTES)
    if not data.strip():
        raise errors.import_empty(file_name)
    fmt = sniff_format(file_name, data)
    if fmt is None:
        raise errors.import_format(file_name)
    try:
        header, rows = read_table(data, fmt)
    except UnreadableFile as exc:
        raise errors.import_unreadable(file_name, str(exc)) from exc
    if len(rows) > MAX_ROWS:
        raise errors.import_too_many_rows(len(rows), MAX_ROWS)
    parsed, problems = validate_rows(header, rows, progress=False)
    refused = {p.row for p in problems}
    valid = [r for r in parsed if r.row not in refused]
    outcome = ImportOutcome()
    if not any(p.row == 1 for p in problems):  # a wrong header makes every row doubtful
        outcome = await import_entries(
            session, valid, actor=actor, columns=header, update=True, dry_run=dry_run or bool(problems)
        )
    return report(
        file_name=file_name,
        fmt=fmt,
        dry_run=dry_run,
        rows=len(rows),
        outcome=outcome,
        problems=[*problems, *outcome.problems],
    )


def report(
    *,
    file_name: str,
    fmt: str,
    dry_run: bool,
    rows: int,
    outcome: ImportOutcome,
    problems: list[Problem],
) -> ImportReportRead:
    """The report of an import: counts, each row's outcome, every problem by row and column."""
    written = outcome.written and not problems
    ordered = sorted(problems, key=lambda p: (p.row, p.column))
    actions = [r.action for r in outcome.rows]
    return ImportReportRead(
        file_name=file_name,
        format=fmt,  # type: ignore[arg-type]
        dry_run=dry_run,
        ok=not problems,
        imported=written,
        counts=ImportCountsRead(
            rows=rows,
            created=actions.count("created"),
            updated=actions.count("updated"),
            new_versions=actions.count("new_version"),
            unchanged=actions.count("unchanged"),
            rejected=len({p.row for p in problems if p.row > 1}),
        ),
        problems=[ImportProblemRead(row=p.row, column=p.column, message=p.message) for p in ordered],
        outcomes=[
            ImportRowRead(
                row=r.row,
                name=r.name,
                action=r.action,
                # A code handed out inside a rolled-back savepoint was never kept: not shown.
                item_code=r.code if written or r.action != "created" else None,
                version_no=r.version_no if written or r.action != "created" else None,
            )
            for r in outcome.rows
        ],
    )
