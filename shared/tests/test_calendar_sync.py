"""Every service's calendar follows identity's: the change event applied (twice, late, through
real NATS), and the coverage gauges on a moved clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
import sqlalchemy as sa
import time_machine
import yaml
from nats.js.api import StreamConfig
from prometheus_client import REGISTRY
from sample_service.app import SERVICE_DIR
from waiting import eventually

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.calendar import (
    SHANGHAI,
    WorkingCalendar,
    calendar_router,
    package_years,
    seed_calendar,
    year_arrangement,
)
from yiwang_shared.calendar_sync import (
    CALENDAR_CHANGED,
    CalendarChanged,
    apply_calendar_change,
    calendar_consumer,
    on_calendar_changed,
    refresh_calendar_gauges,
)
from yiwang_shared.events import PermanentError, make_event
from yiwang_shared.settings import ServiceSettings
from yiwang_shared.tables import processed_events
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer

LAST = max(package_years())
NEXT = LAST + 1
ALERTS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "alerts.yml"


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekend(day: date) -> date:
    while day.weekday() < 5:
        day += timedelta(days=1)
    return day


NEW_YEAR = _weekday(date(NEXT, 1, 1))
MAKE_UP = _weekend(date(NEXT, 9, 26))
AT = datetime(LAST, 11, 20, 2, 0, tzinfo=UTC)


def _import(at: datetime = AT, **extra: Any) -> dict[str, Any]:
    """A made-up import of the first year the package lacks (test data, not a real notice)."""
    return {
        "year": NEXT,
        "days": [
            {"day": NEW_YEAR.isoformat(), "is_working_day": False, "name": "元旦"},
            {"day": MAKE_UP.isoformat(), "is_working_day": True, "name": "国庆节调休上班"},
        ],
        "source": "import",
        "changed_at": at.isoformat(),
        "covered": True,
        **extra,
    }


def _admin(day: date, working: bool, name: str | None, at: datetime) -> dict[str, Any]:
    return {
        "year": day.year,
        "days": [{"day": day.isoformat(), "is_working_day": working, "name": name}],
        "source": "admin",
        "changed_at": at.isoformat(),
        "covered": True,
    }


def _settings(database_url: str, nats_url: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="sample",
        database_url=database_url,
        nats_url=nats_url,
        outbox_poll_seconds=0.2,
        metrics_refresh_seconds=0.1,
    )


def _app(settings: ServiceSettings) -> Any:
    """A service like every other: its calendar table, the shared read routes, the consumer."""
    return create_service_app(
        ServiceSpec(
            name="sample",
            title="sample",
            description="calendar consumer test",
            service_dir=SERVICE_DIR,
            routers=[calendar_router()],
            consumers=[calendar_consumer("sample")],
        ),
        settings,
    )


@pytest.fixture
async def service(database_url: str, nats_server: NatsServer) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    app = _app(_settings(database_url, nats_server.url))
    async with running_app(app) as client:
        yield app, client


# --- the payload --------------------------------------------------------------------------


def test_a_payload_names_days_of_its_year_once() -> None:
    assert CalendarChanged.model_validate(_import()).year == NEXT
    with pytest.raises(ValueError, match="outside"):
        CalendarChanged.model_validate(_import(year=LAST))
    twice = _import()
    twice["days"].append(dict(twice["days"][0]))
    with pytest.raises(ValueError, match="twice"):
        CalendarChanged.model_validate(twice)
    with pytest.raises(ValueError):
        CalendarChanged.model_validate(_import(source="guess"))


# --- applying it --------------------------------------------------------------------------


async def test_an_import_applied_twice_has_one_effect(service: tuple[Any, httpx.AsyncClient]) -> None:
    app, client = service
    before = await client.get(
        "/v1/calendar/add", params={"start": (NEW_YEAR - timedelta(days=1)).isoformat(), "days": 1}
    )
    assert before.json()["result"] == NEW_YEAR.isoformat()  # Monday–Friday: nobody knows yet
    change = CalendarChanged.model_validate(_import())
    async with app.state.db.transaction() as session:
        assert await apply_calendar_change(session, change) == 2
    async with app.state.db.transaction() as session:
        first = await year_arrangement(session, NEXT)
        await apply_calendar_change(session, change)
        assert await year_arrangement(session, NEXT) == first
    assert first == {NEW_YEAR: (False, "元旦", "import"), MAKE_UP: (True, "国庆节调休上班", "import")}
    after = await client.get(
        "/v1/calendar/add", params={"start": (NEW_YEAR - timedelta(days=1)).isoformat(), "days": 1}
    )
    assert after.json()["result"] == _weekday(NEW_YEAR + timedelta(days=1)).isoformat()
    years = {y["year"]: y for y in (await client.get("/v1/calendar/years")).json()["items"]}
    assert years[NEXT]["covered_by"] == "import"


async def test_a_late_admin_event_never_undoes_a_newer_one(service: tuple[Any, httpx.AsyncClient]) -> None:
    app, _ = service
    day = _weekday(date(NEXT, 6, 1))
    newer = CalendarChanged.model_validate(_admin(day, False, "端午节", AT + timedelta(hours=2)))
    older = CalendarChanged.model_validate(_admin(day, False, "旧名", AT + timedelta(hours=1)))
    async with app.state.db.transaction() as session:
        await apply_calendar_change(session, CalendarChanged.model_validate(_import()))
        assert await apply_calendar_change(session, newer) == 1
        assert await apply_calendar_change(session, older) == 0
        # A late import older than the edit keeps the edit; the arrangement otherwise stands.
        assert (await year_arrangement(session, NEXT))[day] == (False, "端午节", "admin")
        back = CalendarChanged.model_validate(_admin(day, True, None, AT + timedelta(hours=3)))
        await apply_calendar_change(session, back)
        assert day not in await year_arrangement(session, NEXT)
        assert (await WorkingCalendar.load(session)).is_working_day(day)


async def test_a_malformed_event_is_parked_not_retried(service: tuple[Any, httpx.AsyncClient]) -> None:
    app, _ = service
    event = make_event("identity.calendar.changed", 1, _import(year=LAST), producer="identity")
    async with app.state.db.transaction() as session:
        with pytest.raises(PermanentError):
            await on_calendar_changed(session, event)


async def test_the_consumer_delivered_twice_through_nats_has_one_effect(
    service: tuple[Any, httpx.AsyncClient], nats_server: NatsServer
) -> None:
    app, client = service
    runner = app.state.consumers
    (consumer,) = runner.consumers
    assert (consumer.name, consumer.stream, consumer.subject) == (
        "sample__calendar_changed",
        "IDENTITY",
        CALENDAR_CHANGED,
    )
    event = make_event("identity.calendar.changed", 1, _import(), producer="identity")
    nc = await nats.connect(nats_server.url)
    try:
        js = nc.jetstream()
        try:
            await js.add_stream(StreamConfig(name="IDENTITY", subjects=["identity.>"]))
        except Exception:  # another test of the session made it already
            await js.stream_info("IDENTITY")
        # The same event twice under two message ids (so JetStream's own dedup does not hide it).
        for n in range(2):
            await js.publish(
                CALENDAR_CHANGED,
                event.model_dump_json().encode(),
                headers={"Nats-Msg-Id": f"{event.event_id}-{n}"},
            )
    finally:
        await nc.close()

    async def handled() -> bool:
        async with app.state.db.transaction(write=False) as session:
            rows = await session.execute(
                sa.select(sa.func.count())
                .select_from(processed_events)
                .where(processed_events.c.event_id == event.event_id)
            )
            return int(rows.scalar_one()) == 1

    await eventually(handled)
    await asyncio.sleep(0.5)  # time for the second copy to arrive and be recognised
    assert await runner.handle_envelope(consumer, event) == "duplicate"
    async with app.state.db.transaction(write=False) as session:
        assert await year_arrangement(session, NEXT) == {
            NEW_YEAR: (False, "元旦", "import"),
            MAKE_UP: (True, "国庆节调休上班", "import"),
        }
    between = await client.get(
        "/v1/calendar/between",
        params={"from": (NEW_YEAR - timedelta(days=1)).isoformat(), "to": NEW_YEAR.isoformat()},
    )
    assert between.json()["working_days"] == 0


# --- the gauges on a moved clock ----------------------------------------------------------


def _gauge(name: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"service": "sample"})


async def test_next_year_gauges_follow_the_clock_and_the_import(
    service: tuple[Any, httpx.AsyncClient],
) -> None:
    app, _ = service
    async with app.state.db.transaction() as session:
        await seed_calendar(session)
    # The evening of 31 October in Beijing: next year is not covered, 62 days to go (no alert yet).
    with time_machine.travel(datetime(LAST, 10, 31, 23, 59, tzinfo=SHANGHAI), tick=False):
        await refresh_calendar_gauges(app)
    assert _gauge("yiwang_calendar_next_year_covered") == 0
    assert _gauge("yiwang_calendar_current_year_covered") == 1
    assert _gauge("yiwang_calendar_days_until_next_year") == 62
    assert _gauge("yiwang_calendar_last_covered_year") == LAST
    # 1 November, 00:00:30 in Beijing (still 31 October in UTC): 61 days, the alert's threshold.
    with time_machine.travel(datetime(LAST, 11, 1, 0, 0, 30, tzinfo=SHANGHAI), tick=False):
        await refresh_calendar_gauges(app)
    assert _gauge("yiwang_calendar_days_until_next_year") == 61
    assert _gauge("yiwang_calendar_next_year_covered") == 0
    # New Year's Day with nothing imported: this year itself is uncovered.
    with time_machine.travel(datetime(NEXT, 1, 1, 0, 0, 30, tzinfo=SHANGHAI), tick=False):
        await refresh_calendar_gauges(app)
    assert _gauge("yiwang_calendar_current_year_covered") == 0
    assert _gauge("yiwang_calendar_days_until_next_year") == (date(NEXT + 1, 1, 1) - date(NEXT, 1, 1)).days
    # The arrangement arrives: covered from then on.
    async with app.state.db.transaction() as session:
        await apply_calendar_change(session, CalendarChanged.model_validate(_import()))
    with time_machine.travel(datetime(LAST, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        await refresh_calendar_gauges(app)
    assert _gauge("yiwang_calendar_next_year_covered") == 1
    assert _gauge("yiwang_calendar_last_covered_year") == NEXT


async def test_the_gauges_are_refreshed_while_the_service_runs(
    service: tuple[Any, httpx.AsyncClient],
) -> None:
    app, client = service
    async with app.state.db.transaction() as session:
        await apply_calendar_change(session, CalendarChanged.model_validate(_import()))

    async def refreshed() -> bool:
        return _gauge("yiwang_calendar_last_covered_year") == NEXT

    await eventually(refreshed, timeout=5)
    text = (await client.get("/metrics")).text
    assert 'yiwang_calendar_next_year_covered{service="sample"}' in text


def test_the_alert_fires_from_the_first_of_november() -> None:
    """The rule's threshold is the gauge's value on 1 November, whatever the year."""
    rules = {
        r["alert"]: r
        for g in yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
        for r in g["rules"]
    }
    expr = " ".join(rules["YiwangCalendarNextYearNotCovered"]["expr"].split())
    assert "yiwang_calendar_next_year_covered == 0" in expr
    assert "yiwang_calendar_days_until_next_year <= 61" in expr
    for year in (2026, 2027, 2028):  # a leap year's 1 November is just as far from 1 January
        assert (date(year + 1, 1, 1) - date(year, 11, 1)).days == 61
    assert "yiwang_calendar_current_year_covered == 0" in " ".join(
        rules["YiwangCalendarCurrentYearNotCovered"]["expr"].split()
    )
