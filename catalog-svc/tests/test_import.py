"""Bulk import (catalog.services.importer): CSV and XLSX, all-or-nothing, dry run, the report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalog.demo.data import demo_entries
from catalog.main import SERVICE_DIR
from catalog.models import Item, ItemVersion
from catalog.services.importer import (
    COLUMNS,
    column_of,
    elements_to_row,
    format_report,
    parse_row,
    read_rows,
    run,
    write_csv,
    write_xlsx,
)
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _rows(n: int = 4) -> list[dict[str, str]]:
    """Rows from demo entries that pass quality (publishable) — distinct names/units."""
    from catalog.demo import passes_quality

    good = [e for e in demo_entries() if passes_quality(e)]
    seen: set[str] = set()
    out = []
    for e in good:
        if e.name in seen:
            continue
        seen.add(e.name)
        out.append(elements_to_row(e))
        if len(out) == n:
            break
    return out


async def _counts(url: str) -> tuple[int, int, list[str]]:
    db = Database(url)
    try:
        async with db.transaction(write=False) as s:
            items = (await s.execute(select(func.count()).select_from(Item))).scalar_one()
            versions = (await s.execute(select(func.count()).select_from(ItemVersion))).scalar_one()
            statuses = list((await s.execute(select(Item.status).order_by(Item.code))).scalars())
    finally:
        await db.dispose()
    return items, versions, statuses


@pytest.fixture
async def migrated(database_url: str) -> str:
    await migrate(SERVICE_DIR, database_url)
    return database_url


async def _run(path: Path, url: str, **kw: object) -> tuple[int, str]:
    out = io.StringIO()
    code = await run(path, database_url=url, progress=False, out=out, **kw)  # type: ignore[arg-type]
    return code, out.getvalue()


async def test_csv_import_creates_drafts(migrated: str, tmp_path: Path) -> None:
    rows = _rows(4)
    path = tmp_path / "items.csv"
    write_csv(path, rows)
    code, out = await _run(path, migrated)
    assert code == 0, out
    items, versions, statuses = await _counts(migrated)
    assert (items, versions) == (4, 4)
    assert statuses == ["draft"] * 4


async def test_xlsx_import_with_publish(migrated: str, tmp_path: Path) -> None:
    path = tmp_path / "items.xlsx"
    write_xlsx(path, _rows(3))
    code, out = await _run(path, migrated, publish=True)
    assert code == 0, out
    items, _, statuses = await _counts(migrated)
    assert items == 3
    assert statuses == ["published"] * 3


async def test_committed_samples_import(migrated: str) -> None:
    code, out = await _run(SAMPLES / "items.csv", migrated, publish=True)
    assert code == 0, out
    code, out = await _run(SAMPLES / "items.xlsx", migrated)  # the same three: refused, nothing added
    assert code == 1
    assert "已有同名事项" in out
    items, _, statuses = await _counts(migrated)
    assert items == 3 and statuses == ["published"] * 3


async def test_invalid_rows_report_and_import_nothing(migrated: str, tmp_path: Path) -> None:
    rows = _rows(3)
    rows[1]["事项类型"] = "许可"
    rows[1]["承诺时限"] = "五"
    rows[2]["申请材料"] = "营业执照|市场监督管理部门|1|0|纸质"
    rows[2]["事项名称"] = ""
    path = tmp_path / "bad.csv"
    write_csv(path, rows)
    code, out = await _run(path, migrated)
    assert code == 1
    assert "未导入任何事项" in out
    lines = out.splitlines()
    assert any(line.startswith("3 ") and "事项类型" in line and "许可" in line for line in lines)
    assert any(line.startswith("3 ") and "承诺时限" in line and "不是整数" in line for line in lines)
    assert any(line.startswith("4 ") and "申请材料[1].介质" in line for line in lines)
    assert any(line.startswith("4 ") and "事项名称" in line for line in lines)
    assert await _counts(migrated) == (0, 0, [])  # row 2 was valid, yet nothing was imported


async def test_publish_refuses_rows_with_quality_errors(migrated: str, tmp_path: Path) -> None:
    rows = _rows(2)
    rows[1]["监督电话"] = rows[1]["咨询电话"]
    path = tmp_path / "q.csv"
    write_csv(path, rows)
    code, out = await _run(path, migrated, publish=True)
    assert code == 1
    assert "监督电话" in out and "质量检查" in out
    assert await _counts(migrated) == (0, 0, [])
    code, out = await _run(path, migrated)  # as drafts the same file is fine
    assert code == 0, out


async def test_dry_run_writes_nothing(migrated: str, tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    write_csv(path, _rows(3))
    code, out = await _run(path, migrated, dry_run=True, publish=True)
    assert code == 0, out
    assert "试运行通过" in out
    assert await _counts(migrated) == (0, 0, [])


async def test_service_refusal_rolls_back_everything(migrated: str, tmp_path: Path) -> None:
    rows = _rows(2)
    rows[1]["基本编码"] = "01999999999999"  # unknown basic code: refused by the service
    path = tmp_path / "items.csv"
    write_csv(path, rows)
    code, out = await _run(path, migrated)
    assert code == 1
    assert "01999999999999" in out
    assert await _counts(migrated) == (0, 0, [])


async def test_duplicate_rows_in_file(tmp_path: Path) -> None:
    rows = _rows(1) * 2
    path = tmp_path / "dup.csv"
    write_csv(path, rows)
    code, out = await _run(path, "sqlite+aiosqlite:///" + str(tmp_path / "never.db"))
    assert code == 1
    assert "与第 2 行重复" in out
    assert not (tmp_path / "never.db").exists()  # validation failed before touching the database


async def test_unknown_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("事项名称,颜色\n测试事项,红\n", encoding="utf-8")
    code, out = await _run(path, "sqlite+aiosqlite://")
    assert code == 1
    assert "颜色" in out and "未知列" in out
    assert "实施主体编码" in out and "缺少必需的列" in out


async def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    code, _ = await _run(path, "sqlite+aiosqlite://")
    assert code == 2


def test_round_trip_every_demo_entry() -> None:
    for entry in demo_entries():
        row = elements_to_row(entry)
        parsed, problems = parse_row(2, row)
        assert problems == [], (entry.name, problems)
        assert parsed is not None
        assert parsed.elements.model_dump() == entry.model_dump(), entry.name


def test_csv_and_xlsx_read_alike(tmp_path: Path) -> None:
    rows = _rows(2)
    write_csv(tmp_path / "a.csv", rows)
    write_xlsx(tmp_path / "a.xlsx", rows)
    assert read_rows(tmp_path / "a.csv", "csv") == read_rows(tmp_path / "a.xlsx", "xlsx")
    header, _ = read_rows(tmp_path / "a.csv", "csv")
    assert header == COLUMNS


def test_column_names_for_errors() -> None:
    assert column_of(("materials", 1, "originals")) == "申请材料[2].原件份数"
    assert column_of(("legal_limit", "unit")) == "法定时限单位"
    assert column_of(("implementing_unit", "code")) == "实施主体编码"
    assert column_of(("process", 0, "time_limit", "unit")) == "办理流程[1].时限单位"
    assert column_of(("fees", "items", 0, "name")) == "收费项目[1].名称"
    assert column_of(("supervision_phone",)) == "监督电话"


def test_report_table() -> None:
    from catalog.services.importer import Problem

    text = format_report([Problem(3, "事项类型", "无效"), Problem(2, "监督电话", "缺少区号")])
    lines = text.splitlines()
    assert lines[0].startswith("行 row")
    assert lines[2].startswith("2 ") and lines[3].startswith("3 ")


async def test_update_changes_existing_entries_as_new_drafts(migrated: str, tmp_path: Path) -> None:
    rows = _rows(2)
    path = tmp_path / "items.csv"
    write_csv(path, rows)
    code, out = await _run(path, migrated, publish=True)
    assert code == 0, out
    rows[0]["办理时间"] = "周一至周五 9:00-17:00"
    write_csv(path, rows)
    code, out = await _run(path, migrated)  # without --update: refused
    assert code == 1 and "已有同名事项" in out
    code, out = await _run(path, migrated, update=True)
    assert code == 0, out
    assert "已修改 1 个已有事项" in out and "1 个未变" in out
    items, versions, statuses = await _counts(migrated)
    assert (items, versions) == (2, 3)  # a new draft version of the first; the second unchanged
    assert statuses == ["published"] * 2
