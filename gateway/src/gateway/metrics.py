"""Prometheus metrics of the gateway, counted in plain dicts and exposed by a custom collector.

prometheus_client's labelled children take a lock and a label lookup per call; counting in dicts
on the hot path and building the metric families only when /metrics is scraped is cheaper.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

__all__ = ["BUCKETS", "GatewayMetrics"]

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class GatewayMetrics(Collector):
    """Requests by service/method/status, latency by service, upstream errors, rate limiting."""

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, int], int] = {}
        self.latency: dict[str, list[float]] = {}  # bucket counts + [sum]
        self.upstream_errors: dict[tuple[str, str], int] = {}
        self.rate_limited = 0
        self.auth_failures: dict[str, int] = {}
        self.pool_sizes: Callable[[], dict[str, tuple[int, int]]] = dict
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)

    def observe(self, service: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        key = (service, method, status)
        requests = self.requests
        requests[key] = requests.get(key, 0) + 1
        hist = self.latency.get(service)
        if hist is None:
            hist = self.latency[service] = [0.0] * (len(BUCKETS) + 2)
        hist[bisect_left(BUCKETS, seconds)] += 1
        hist[-1] += seconds

    def upstream_error(self, service: str, kind: str) -> None:
        """Count one failed upstream call."""
        key = (service, kind)
        self.upstream_errors[key] = self.upstream_errors.get(key, 0) + 1

    def auth_failure(self, code: str) -> None:
        """Count one refused token."""
        self.auth_failures[code] = self.auth_failures.get(code, 0) + 1

    def collect(self) -> Iterator[Any]:
        """Metric families for the scrape."""
        req = CounterMetricFamily(
            "yiwang_gateway_requests",
            "Requests answered by the gateway",
            labels=["service", "method", "status"],
        )
        for (service, method, status), n in sorted(self.requests.items()):
            req.add_metric([service, method, str(status)], n)
        yield req
        lat = HistogramMetricFamily(
            "yiwang_gateway_request_duration_seconds",
            "Time from request to answer at the gateway",
            labels=["service"],
        )
        for service, hist in sorted(self.latency.items()):
            cumulative, buckets = 0.0, []
            for bound, count in zip((*BUCKETS, float("inf")), hist[:-1], strict=True):
                cumulative += count
                buckets.append((str(bound) if bound != float("inf") else "+Inf", cumulative))
            lat.add_metric([service], buckets, hist[-1])
        yield lat
        err = CounterMetricFamily(
            "yiwang_gateway_upstream_errors", "Upstream calls that failed", labels=["service", "kind"]
        )
        for (service, kind), n in sorted(self.upstream_errors.items()):
            err.add_metric([service, kind], n)
        yield err
        yield CounterMetricFamily(
            "yiwang_gateway_rate_limited", "Requests refused by the rate limit", value=self.rate_limited
        )
        auth = CounterMetricFamily("yiwang_gateway_auth_failures", "Tokens refused", labels=["code"])
        for code, n in sorted(self.auth_failures.items()):
            auth.add_metric([code], n)
        yield auth
        pools = GaugeMetricFamily(
            "yiwang_gateway_upstream_connections", "Open upstream connections", labels=["service", "state"]
        )
        for service, (open_, idle) in sorted(self.pool_sizes().items()):
            pools.add_metric([service, "open"], open_)
            pools.add_metric([service, "idle"], idle)
        yield pools

    def exposition(self) -> bytes:
        """The Prometheus text format."""
        return generate_latest(self.registry)
