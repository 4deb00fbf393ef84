"""`python -m catalog.services.importer FILE …`: check a file, then import it (see the package)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from .report import format_report
from .rows import validate_rows
from .saving import import_rows
from .sheet import detect_format, read_rows


async def run(
    path: Path,
    *,
    fmt: str | None = None,
    publish: bool = False,
    dry_run: bool = False,
    update: bool = False,
    database_url: str | None = None,
    progress: bool = True,
    out: Any = None,
) -> int:
    """The importer; returns the exit code (0 ok, 1 invalid/refused, 2 unusable input)."""
    out = out or sys.stdout
    try:
        header, rows = read_rows(path, detect_format(path, fmt))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        out.write(f"无法读取文件 cannot read {path}: {exc}\n")
        return 2
    except Exception as exc:  # openpyxl raises assorted errors on a non-xlsx file
        out.write(f"无法读取文件 cannot read {path}: {exc.__class__.__name__}: {exc}\n")
        return 2
    parsed, problems = validate_rows(header, rows, check_quality=publish, progress=progress)
    if problems:
        out.write(
            f"校验未通过：{len(problems)} 个问题，未导入任何事项。 Validation failed: nothing imported.\n"
        )
        out.write(format_report(problems) + "\n")
        return 1
    if database_url is None:
        from ...config import Settings

        database_url = Settings().resolved_database_url()
    result = await import_rows(
        database_url,
        parsed,
        publish=publish,
        dry_run=dry_run,
        update=update,
        columns=header,
        progress=progress,
    )
    if result.problems:
        out.write(
            f"导入被拒绝：{len(result.problems)} 个问题，已全部回滚，未导入任何事项。"
            " Import refused: nothing imported.\n"
        )
        out.write(format_report(result.problems) + "\n")
        return 1
    if dry_run:
        out.write(
            f"试运行通过：{len(parsed)} 行均可导入（未写入数据库）。"
            f" Dry run OK: {len(parsed)} row(s) would be imported.\n"
        )
        return 0
    state = "已发布 published" if publish else "草稿 drafts"
    out.write(f"已导入 {len(result.created)} 个事项（{state}）。 Imported {len(result.created)} item(s).\n")
    for code in result.created:
        out.write(f"  {code}\n")
    if update:
        out.write(
            f"已修改 {len(result.updated)} 个已有事项（{state}），{len(result.unchanged)} 个未变。"
            f" Changed {len(result.updated)}, unchanged {len(result.unchanged)}.\n"
        )
        for code in result.updated:
            out.write(f"  {code}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m catalog.services.importer FILE …`."""
    parser = argparse.ArgumentParser(
        prog="python -m catalog.services.importer",
        description="Bulk import of catalogue entries from CSV or XLSX (see samples/README.md).",
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--format", choices=["csv", "xlsx"], default=None, help="Default: from the extension")
    parser.add_argument(
        "--publish", action="store_true", help="Publish each entry (rows must pass the quality check)"
    )
    parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing")
    parser.add_argument(
        "--update",
        action="store_true",
        help="A row naming an existing entry (same name and unit) changes it: its draft, or a new "
        "draft version; columns left out of the file keep their elements",
    )
    parser.add_argument("--database-url", default=None, help="Default: CATALOG_DATABASE_URL")
    parser.add_argument("--no-progress", action="store_true", help="No progress bar")
    args = parser.parse_args(argv)
    return asyncio.run(
        run(
            args.file,
            fmt=args.format,
            publish=args.publish,
            dry_run=args.dry_run,
            update=args.update,
            database_url=args.database_url,
            progress=not args.no_progress,
        )
    )
