"""intake-svc's own gauges: open cases by supervision colour (电子监察 green / yellow / red), and
the days of the last week whose payments did not reconcile with the provider's statement (对账).

Refreshed on a timer (`INTAKE_METRICS_REFRESH_SECONDS`) by one grouped COUNT over open
applications — per due date and running pause, not per case — whose groups are then coloured
with the same `light()` the supervisor's board uses, so the gauge and the board agree.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from prometheus_client import Gauge

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database

from ..config import Settings
from ..lifecycles import OPEN_STATES
from ..repositories.applications import ApplicationRepository
from ..repositories.fees import FeeRepository
from .fee_worker import RECONCILE_DAYS_BACK
from .read_models import working_calendar
from .supervision import light

COLOURS = ("green", "yellow", "red")

CASES = Gauge("yiwang_intake_cases", "Open applications by supervision colour", ["colour"])
RECONCILIATION_DAYS = Gauge(
    "yiwang_intake_fee_reconciliation_days",
    "Days of the last week by how their payments reconciled with the provider's statement",
    ["status"],
)
RECONCILIATION_STATUSES = ("matched", "mismatched", "failed")


async def case_colours(db: Database, settings: Settings, now: datetime) -> dict[str, int]:
    """{colour: open applications} as the supervision board colours them at `now`."""
    today = local_date(now)
    async with db.transaction(write=False) as session:
        rows = await ApplicationRepository(session).open_groups(OPEN_STATES)
        calendar = await working_calendar(session)
    counts: Counter[str] = Counter({colour: 0 for colour in COLOURS})
    for due_on, paused_since, n in rows:
        counts[light(calendar, today, due_on, settings.yellow_working_days, paused_since).colour] += n
    return dict(counts)


async def reconciliation_days(db: Database, now: datetime) -> dict[str, int]:
    """{status: days} of the days the fee worker's daily pass covers, as last reconciled."""
    async with db.transaction(write=False) as session:
        found = await FeeRepository(session).reconciliation_statuses(
            local_date(now) - timedelta(days=RECONCILE_DAYS_BACK)
        )
    return {status: found.get(status, 0) for status in RECONCILIATION_STATUSES}


async def refresh(db: Database, settings: Settings, now: datetime) -> None:
    """Set `yiwang_intake_cases{colour}` and `yiwang_intake_fee_reconciliation_days{status}`."""
    for colour, n in (await case_colours(db, settings, now)).items():
        CASES.labels(colour).set(n)
    for status, days in (await reconciliation_days(db, now)).items():
        RECONCILIATION_DAYS.labels(status).set(days)
