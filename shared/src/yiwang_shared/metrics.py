"""Prometheus metrics common to every service."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

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


async def metrics_endpoint(_: Request) -> Response:
    """Prometheus text exposition."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
