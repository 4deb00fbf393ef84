"""POST /v1/imports: a catalogue editor checks a CSV or XLSX file of entries, then imports it, all or
nothing, with a report row by row and column by column; the format and the template are public."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from catalog_support import MZ_CODE, SC_CODE, SC_ID, admin, editor, elements, publish
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy import func, select

from catalog.models import Item, ItemVersion
from catalog.schemas.elements import ItemElements
from catalog.services.importer import COLUMNS, elements_to_row, template_csv
from catalog.services.imports import MAX_FILE_BYTES, MAX_ROWS
from yiwang_shared.db import Database
from yiwang_shared.tables import outbox
from yiwang_shared.testing.tokens import TestTokens

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = ("最低生活保障审核确认", "临时救助审核", "特困人员认定")


def _row(name: str, unit_code: str = MZ_CODE, **over: Any) -> dict[str, str]:
    return elements_to_row(ItemElements.model_validate(elements(name, unit_code=unit_code, **over)))


def _csv(rows: list[dict[str, str]], columns: list[str] | None = None, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def _xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(COLUMNS)
    for row in rows:
        ws.append([row.get(c, "") for c in COLUMNS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


async def _upload(
    cat: httpx.AsyncClient,
    headers: dict[str, str],
    data: bytes,
    *,
    name: str = "items.csv",
    dry_run: bool = False,
    ctype: str = "text/csv",
) -> httpx.Response:
    return await cat.post(
        "/v1/imports",
        headers=headers,
        files={"file": (name, data, ctype)},
        data={"dry_run": "true" if dry_run else "false"},
    )


async def _counts(app: FastAPI) -> tuple[int, int, int]:
    """Items, versions, outbox rows."""
    db: Database = app.state.db
    async with db.transaction(write=False) as s:
        items = (await s.execute(select(func.count()).select_from(Item))).scalar_one()
        versions = (await s.execute(select(func.count()).select_from(ItemVersion))).scalar_one()
        events = (await s.execute(select(func.count()).select_from(outbox))).scalar_one()
    return int(items), int(versions), int(events)


async def test_check_then_import_a_good_csv(cat: httpx.AsyncClient, app: FastAPI, tokens: TestTokens) -> None:
    ed = editor(tokens)
    data = _csv([_row(n) for n in NAMES])
    before = await _counts(app)

    checked = await _upload(cat, ed, data, dry_run=True)
    assert checked.status_code == 200, checked.text
    report = checked.json()
    assert report["ok"] and report["dry_run"] and not report["imported"]
    assert report["counts"] == {
        "rows": 3,
        "created": 3,
        "updated": 0,
        "new_versions": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert [(i["row"], i["action"], i["item_code"]) for i in report["outcomes"]] == [
        (2, "created", None),
        (3, "created", None),
        (4, "created", None),
    ]
    assert await _counts(app) == before  # a check writes nothing

    done = await _upload(cat, ed, data)
    assert done.status_code == 200, done.text
    report = done.json()
    assert report["imported"] and report["ok"] and not report["dry_run"]
    assert report["counts"]["created"] == 3 and report["problems"] == []
    codes = [i["item_code"] for i in report["outcomes"]]
    assert all(codes)
    items, versions, events = await _counts(app)
    assert (items, versions) == (before[0] + 3, before[1] + 3)
    assert events == before[2]  # drafts publish no event, as on the command line

    # The editor's work list holds the three drafts, made by them.
    work = (await cat.get("/v1/item-versions", headers=ed, params={"status": "draft"})).json()
    mine = {v["item_code"]: v for v in work["items"]}
    assert set(codes) <= set(mine)
    assert {mine[c]["name"] for c in codes} == set(NAMES)
    assert all(mine[c]["created_by"] is not None and mine[c]["version_no"] == 1 for c in codes)


async def test_xlsx_is_imported_like_csv(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    resp = await _upload(
        cat, editor(tokens), _xlsx([_row(n) for n in NAMES[:2]]), name="事项.xlsx", ctype=XLSX
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["format"] == "xlsx"
    assert resp.json()["counts"]["created"] == 2


async def test_gbk_csv_from_excel_is_read(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    data = _csv([_row(NAMES[0])], encoding="gb18030")
    resp = await _upload(cat, editor(tokens), data, dry_run=True)
    assert resp.status_code == 200, resp.text
    assert resp.json()["ok"], resp.json()["problems"]


async def test_a_file_with_problems_imports_nothing_and_names_each_cell(
    cat: httpx.AsyncClient, app: FastAPI, tokens: TestTokens
) -> None:
    ed = editor(tokens)
    rows = [_row(n) for n in NAMES]
    rows[1]["事项类型"] = "许可"
    rows[1]["承诺时限"] = "五"
    rows[2]["申请材料"] = "营业执照|市场监督管理部门|1|0|纸质"
    before = await _counts(app)

    checked = await _upload(cat, ed, _csv(rows), dry_run=True)
    assert checked.status_code == 200, checked.text
    report = checked.json()
    assert not report["ok"] and not report["imported"]
    cells = {(p["row"], p["column"]) for p in report["problems"]}
    assert {(3, "事项类型"), (3, "承诺时限"), (4, "申请材料[1].介质")} <= cells
    assert any("不是整数" in p["message"] for p in report["problems"])
    assert report["counts"]["rejected"] == 2 and report["counts"]["created"] == 1
    assert [i["row"] for i in report["outcomes"]] == [2]  # the valid row was tried too

    refused = await _upload(cat, ed, _csv(rows))
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["code"] == "catalog.import_invalid"
    assert "未导入任何事项" in problem["detail"]
    assert problem["report"]["problems"] == report["problems"]
    assert not problem["report"]["imported"]
    assert await _counts(app) == before  # row 2 was valid, yet nothing was written


async def test_rows_of_another_unit_are_refused_per_row(
    cat: httpx.AsyncClient, app: FastAPI, tokens: TestTokens
) -> None:
    before = await _counts(app)
    rows = [_row(NAMES[0]), _row("食品经营许可", unit_code=SC_CODE), _row(NAMES[1], unit_code="NO-SUCH-UNIT")]
    resp = await _upload(cat, editor(tokens), _csv(rows))
    assert resp.status_code == 422, resp.text
    problems = resp.json()["report"]["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "实施主体编码"), (4, "实施主体编码")]
    assert "110105SCJ" in problems[0]["message"]
    assert await _counts(app) == before
    # An administrator may import for any unit.
    ok = await _upload(cat, admin(tokens), _csv(rows[:2]))
    assert ok.status_code == 200, ok.text


async def test_reimport_updates_drafts_and_starts_new_versions(
    cat: httpx.AsyncClient, app: FastAPI, tokens: TestTokens
) -> None:
    ed = editor(tokens)
    rows = [_row(n) for n in NAMES]
    first = (await _upload(cat, ed, _csv(rows))).json()
    codes = [i["item_code"] for i in first["outcomes"]]
    # The first entry gets published (by someone else), the third goes into review.
    await publish(cat, ed, codes[0], reviewer=editor(tokens))
    assert (await cat.post(f"/v1/items/{codes[2]}/versions/1/submit", headers=ed)).status_code == 200

    again = await _upload(cat, ed, _csv(rows), dry_run=True)
    assert [i["action"] for i in again.json()["outcomes"]] == ["unchanged"] * 3

    hours = "周一至周日 8:30-17:30"
    for row in rows:
        row["办理时间"] = hours
    resp = await _upload(cat, ed, _csv(rows))
    assert resp.status_code == 422  # the third is in review: nothing at all is changed
    assert [(p["row"], p["column"]) for p in resp.json()["report"]["problems"]] == [(4, "（整行）")]
    assert "审核中" in resp.json()["report"]["problems"][0]["message"]

    resp = await _upload(cat, ed, _csv(rows[:2]))
    assert resp.status_code == 200, resp.text
    report = resp.json()
    assert [(i["item_code"], i["action"], i["version_no"]) for i in report["outcomes"]] == [
        (codes[0], "new_version", 2),
        (codes[1], "updated", 1),
    ]
    assert report["counts"]["new_versions"] == 1 and report["counts"]["updated"] == 1
    v2 = (await cat.get(f"/v1/items/{codes[0]}/versions/2", headers=ed)).json()
    assert v2["status"] == "draft" and v2["elements"]["hours"] == hours
    in_force = (await cat.get(f"/v1/items/{codes[0]}")).json()
    assert in_force["current_version_no"] == 1 and in_force["version"]["elements"]["hours"] != hours


async def test_columns_left_out_keep_their_elements(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed = editor(tokens)
    first = (await _upload(cat, ed, _csv([_row(NAMES[0])]))).json()
    code = first["outcomes"][0]["item_code"]
    few = ["事项名称", "事项类型", "实施主体编码", "实施主体名称", "行使层级", "咨询电话"]
    row = _row(NAMES[0], enquiry_phone="010-85990009")
    resp = await _upload(cat, ed, _csv([row], columns=few))
    assert resp.status_code == 200, resp.text
    assert resp.json()["outcomes"][0]["action"] == "updated"
    saved = (await cat.get(f"/v1/items/{code}/versions/1", headers=ed)).json()["elements"]
    assert saved["enquiry_phone"] == "010-85990009"
    assert len(saved["materials"]) == 3 and saved["hours"]  # not in the file: kept


async def test_who_may_import(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    data = _csv([_row(NAMES[0])])
    clerk = tokens.headers(kind="staff", roles=["window_clerk"], org_unit=SC_ID, subject="clerk-1")
    refused = await _upload(cat, clerk, data, dry_run=True)
    assert refused.status_code == 403
    assert refused.json()["code"] == "catalog.not_editor"
    citizen = tokens.headers(kind="person", roles=["citizen"], subject="p-1")
    assert (await _upload(cat, citizen, data, dry_run=True)).status_code == 403
    assert (await _upload(cat, {}, data, dry_run=True)).status_code == 401


async def test_files_refused_before_reading(cat: httpx.AsyncClient, app: FastAPI, tokens: TestTokens) -> None:
    ed = editor(tokens)
    before = await _counts(app)
    big = _csv([_row(NAMES[0])]) + b"\n" * (MAX_FILE_BYTES + 1)
    too_big = await _upload(cat, ed, big)
    assert too_big.status_code == 413, too_big.text
    assert too_big.json()["code"] == "catalog.import_too_large" and "MB" in too_big.json()["detail"]

    pdf = await _upload(cat, ed, b"%PDF-1.4 not a table", name="items.pdf", ctype="application/pdf")
    assert pdf.status_code == 415 and pdf.json()["code"] == "catalog.import_format"
    xls = await _upload(
        cat, ed, b"\xd0\xcf\x11\xe0old excel", name="items.xls", ctype="application/vnd.ms-excel"
    )
    assert xls.status_code == 415 and ".xls" in xls.json()["detail"]

    empty = await _upload(cat, ed, b"")
    assert empty.status_code == 422 and empty.json()["code"] == "catalog.import_empty"
    broken = await _upload(cat, ed, b"PK\x03\x04 broken", name="items.xlsx", ctype=XLSX)
    assert broken.status_code == 422 and broken.json()["code"] == "catalog.import_unreadable"
    assert "XLSX" in broken.json()["detail"]

    header_only = await _upload(cat, ed, template_csv().encode("utf-8"), dry_run=True)
    assert header_only.status_code == 200
    assert header_only.json()["problems"] == [{"row": 1, "column": "（文件）", "message": "文件中没有数据行"}]

    many = _csv([_row(f"事项{n}") for n in range(MAX_ROWS + 1)])
    too_many = await _upload(cat, ed, many, dry_run=True)
    assert too_many.status_code == 422 and too_many.json()["code"] == "catalog.import_too_many_rows"

    unknown = await _upload(cat, ed, "事项名称,颜色\n测试事项,红\n".encode(), dry_run=True)
    cells = {(p["row"], p["column"]) for p in unknown.json()["problems"]}
    assert (1, "颜色") in cells and (1, "实施主体编码") in cells
    assert await _counts(app) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
async def test_template_and_format_are_public(cat: httpx.AsyncClient, fmt: str) -> None:
    resp = await cat.get("/v1/imports/template", params={"format": fmt})
    assert resp.status_code == 200
    assert "attachment" in resp.headers["content-disposition"]
    if fmt == "csv":
        assert resp.content.decode("utf-8-sig").strip().split(",") == COLUMNS
    else:
        wb = load_workbook(io.BytesIO(resp.content), read_only=True)
        assert wb.sheetnames == ["事项", "列说明"]
        assert [c for c in next(wb["事项"].iter_rows(values_only=True))] == COLUMNS
    spec = (await cat.get("/v1/imports/format")).json()
    assert [c["name"] for c in spec["columns"]] == COLUMNS
    assert {c["name"] for c in spec["columns"] if c["required"]} == {
        "事项名称",
        "事项类型",
        "实施主体编码",
        "实施主体名称",
        "行使层级",
    }
    assert spec["max_rows"] == MAX_ROWS and spec["list_separator"] == ";"


async def test_a_returned_draft_carries_the_reason_on_the_work_list(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    ed = editor(tokens)
    code = (await _upload(cat, ed, _csv([_row(NAMES[0])]))).json()["outcomes"][0]["item_code"]
    assert (await cat.post(f"/v1/items/{code}/versions/1/submit", headers=ed)).status_code == 200
    reason = "办理时间写全周六的预约服务"
    back = await cat.post(
        f"/v1/items/{code}/versions/1/return", headers=admin(tokens), json={"reason": reason}
    )
    assert back.status_code == 200, back.text
    work = (await cat.get("/v1/item-versions", headers=ed)).json()["items"]
    entry = next(v for v in work if v["item_code"] == code)
    assert entry["status"] == "draft" and entry["returned_reason"] == reason and entry["returned_at"]
    # Submitted again, it is no longer "returned".
    assert (await cat.post(f"/v1/items/{code}/versions/1/submit", headers=ed)).status_code == 200
    entry = next(
        v for v in (await cat.get("/v1/item-versions", headers=ed)).json()["items"] if v["item_code"] == code
    )
    assert entry["returned_reason"] is None and entry["returned_at"] is None
