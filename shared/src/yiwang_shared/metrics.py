"""Prometheus metrics common to every service, and a timer for gauges read from a database.

Names here are what the dashboards and alerts (deploy/) use: keep them stable.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

from .periodic import PeriodicTask

REQUESTS = Counter(
    "yiwang_http_requests_total",
    "HTTP requests handled",
    ["service", "method", "route", "status"],
)
LATENCY = Histogram(
    "yiwang_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge("yiwang_outbox_backlog", "Unpublished outbox rows", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "yiwang_outbox_oldest_age_seconds", "Age of the oldest unpublished outbox row", ["service"]
)
EVENTS_PUBLISHED = Counter("yiwang_events_published_total", "Events published", ["service"])
EVENTS_HANDLED = Counter(
    "yiwang_events_handled_total", "Events handled by consumers", ["service", "consumer", "outcome"]
)
EVENTS_REDELIVERED = Counter(
    "yiwang_events_redelivered_total", "Redelivered events seen", ["service", "consumer"]
)
EVENTS_DEAD_LETTERED = Counter(
    "yiwang_events_dead_lettered_total",
    "Events parked on a dead-letter subject",
    ["service", "consumer"],
)
CONSUMER_PENDING = Gauge(
    "yiwang_consumer_pending",
    "Messages on the stream not yet delivered to the durable consumer (JetStream num_pending)",
    ["service", "consumer"],
)
CONSUMER_ACK_PENDING = Gauge(
    "yiwang_consumer_ack_pending",
    "Messages delivered to the durable consumer and not yet acknowledged (num_ack_pending)",
    ["service", "consumer"],
)
# The working-day calendar in each service's own table (yiwang_shared.calendar_sync): a year is
# covered when the package or an imported State Council notice has its holidays.
CALENDAR_CURRENT_YEAR_COVERED = Gauge(
    "yiwang_calendar_current_year_covered",
    "1 when this year's (Asia/Shanghai) official holiday arrangement is in the calendar, else 0",
    ["service"],
)
CALENDAR_NEXT_YEAR_COVERED = Gauge(
    "yiwang_calendar_next_year_covered",
    "1 when next year's (Asia/Shanghai) official holiday arrangement is in the calendar, else 0",
    ["service"],
)
CALENDAR_DAYS_UNTIL_NEXT_YEAR = Gauge(
    "yiwang_calendar_days_until_next_year",
    "Days from today (Asia/Shanghai) to 1 January next year: 61 on 1 November",
    ["service"],
)
CALENDAR_LAST_COVERED_YEAR = Gauge(
    "yiwang_calendar_last_covered_year",
    "The latest year whose official holiday arrangement is in the calendar",
    ["service"],
)


async def metrics_endpoint(_: Request) -> Response:
    """Prometheus text exposition."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


log = logging.getLogger("yiwang.metrics")

Refresh = Callable[[FastAPI], Awaitable[None]]


def refreshed_gauges(
    name: str, refresh: Refresh, *, seconds: float | None = None
) -> tuple[Callable[[FastAPI], Awaitable[None]], Callable[[FastAPI], Awaitable[None]]]:
    """(startup, shutdown) hooks that run `refresh(app)` now and then every few seconds.

    The interval is `seconds`, else the app's `metrics_refresh_seconds` setting. A failing
    refresh is logged and retried on the next tick, keeping the gauges' last values.
    """
    attr = f"metrics_task_{name}"

    async def startup(app: FastAPI) -> None:
        interval = seconds or float(getattr(app.state.settings, "metrics_refresh_seconds", 5.0))

        async def refresh_gauges() -> None:
            await refresh(app)

        task = PeriodicTask(f"{name} gauges", refresh_gauges, seconds=interval, log=log)
        setattr(app.state, attr, task)
        task.start()

    async def shutdown(app: FastAPI) -> None:
        task: PeriodicTask | None = getattr(app.state, attr, None)
        if task is not None:
            await task.stop()

    return startup, shutdown
