"""intake-svc's own gauges: open cases by supervision colour (电子监察 green / yellow / red).

Refreshed on a timer (`INTAKE_METRICS_REFRESH_SECONDS`) by one grouped COUNT over open
applications — per due date and running pause, not per case — whose groups are then coloured
with the same `light()` the supervisor's board uses, so the gauge and the board agree.
"""

from __future__ import annotations

from collections import Counter

from fastapi import FastAPI
from prometheus_client import Gauge
from sqlalchemy import and_, func, select

from yiwang_shared.calendar import local_date
from yiwang_shared.metrics import refreshed_gauges

from .config import Settings
from .models.applications import Application, ClockPause
from .services.calendar_cache import load_calendar
from .services.supervision import light
from .states import OPEN_STATES

COLOURS = ("green", "yellow", "red")

CASES = Gauge("yiwang_intake_cases", "Open applications by supervision colour", ["colour"])


async def case_colours(app: FastAPI) -> dict[str, int]:
    """{colour: open applications} as the supervision board colours them now."""
    settings: Settings = app.state.settings
    today = local_date(app.state.clock())
    groups = (
        select(Application.due_on, ClockPause.started_on, func.count())
        .select_from(Application)
        .outerjoin(
            ClockPause,
            and_(
                ClockPause.application_id == Application.id,
                ClockPause.ended_on.is_(None),
                Application.status == "suspended",
            ),
        )
        .where(Application.status.in_(OPEN_STATES))
        .group_by(Application.due_on, ClockPause.started_on)
    )
    async with app.state.db.transaction(write=False) as session:
        rows = (await session.execute(groups)).all()
        calendar = await load_calendar(session)
    counts: Counter[str] = Counter({colour: 0 for colour in COLOURS})
    for due_on, paused_since, n in rows:
        counts[light(calendar, today, due_on, settings.yellow_working_days, paused_since).colour] += n
    return dict(counts)


async def refresh(app: FastAPI) -> None:
    """Set `yiwang_intake_cases{colour}`."""
    for colour, n in (await case_colours(app)).items():
        CASES.labels(colour).set(n)


#: Start-up and shutdown hooks (after the clock is set up).
start_metrics, stop_metrics = refreshed_gauges("intake_cases", refresh)
