"""Writing the valid rows of a file: one transaction, all or nothing, as the system."""

from __future__ import annotations

from .columns import ImportResult, ParsedRow, Problem


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
    from yiwang_shared.db import Database

    from ...repositories import DatabaseError
    from ..imports import import_entries

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
    except DatabaseError as exc:
        result.problems.append(
            Problem(0, "（数据库）", f"数据库错误（是否已迁移？）：{exc.__class__.__name__}: {exc}")
        )
        result.created, result.published = [], []
    finally:
        await db.dispose()
    return result
