"""The halving report in fact (减材料、减时限): what applications of an item actually took — the
materials applicants brought and the working days — kept from intake's events, against what the
catalogue requires and promises."""

from __future__ import annotations

from typing import Any

import httpx
from catalog_support import create, editor, elements, publish
from fastapi import FastAPI

from catalog.consumers import on_application_completed, on_application_submitted
from yiwang_shared.db import Database
from yiwang_shared.events import make_event
from yiwang_shared.orm import utcnow
from yiwang_shared.testing.tokens import TestTokens


def _facts(code: str, n: int) -> dict[str, Any]:
    return {
        "application_id": f"app-{n}",
        "item_code": code,
        "received_at": utcnow().isoformat(),
        "promised_limit_days": 15,
    }


async def _deliver(db: Database, handler: Any, subject: str, data: dict[str, Any]) -> None:
    event = make_event(subject, 1, data, producer="intake")
    async with db.transaction() as session:
        await handler(session, event)


async def test_the_report_sets_what_applicants_brought_and_took_against_the_catalogue(
    app: FastAPI, cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    ed = editor(tokens)
    item = await create(cat, ed, elements())
    await publish(cat, ed, item["code"], reviewer=editor(tokens))
    db: Database = app.state.db
    for n, (brought, days) in enumerate([(2, 3), (1, 5), (2, 9), (0, 4)], start=1):
        facts = _facts(item["code"], n)
        submitted = {**facts, "resubmission": 0, "materials_handed_in": brought}
        await _deliver(db, on_application_submitted, "intake.application.submitted", submitted)
        await _deliver(db, on_application_submitted, "intake.application.submitted", submitted)  # again
        # A resubmission's materials are corrections, counted apart from what was brought at first.
        if n <= 2:
            later = {**facts, "resubmission": 1, "materials_handed_in": n}
            await _deliver(db, on_application_submitted, "intake.application.submitted", later)
            await _deliver(db, on_application_submitted, "intake.application.submitted", later)  # again
        if n < 4:
            done = {**facts, "working_days_used": days, "completed_at": utcnow().isoformat()}
            await _deliver(db, on_application_completed, "intake.application.completed", done)
    report = (await cat.get("/v1/reports/halving")).json()
    [row] = [r for r in report["by_item"] if r["item_code"] == item["code"]]
    assert (row["materials_listed"], row["materials_required"]) == (3, 2)
    assert row["applications"] == 4 and row["materials_brought_mean"] == 1.25
    # Two of four needed a correction round, handing in 1 and 2 materials: 3 / 4 per application.
    assert (row["corrected_share"], row["correction_materials_mean"]) == (0.5, 0.75)
    assert (row["completed"], row["days_taken_median"], row["days_taken_p90"]) == (3, 5.0, 9.0)
    assert row["promised_days"] == 15
    assert (await cat.get("/v1/reports/halving", params={"days": 0})).status_code == 422
