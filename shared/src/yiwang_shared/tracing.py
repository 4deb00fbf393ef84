"""OpenTelemetry tracing across gateway → service → outbox event → consumer (ADR 0004).

Off by default (`<PREFIX>_OTEL_EXPORTER=none`): the SDK is not even imported, and the request
path only passes an incoming W3C `traceparent` through (into logs and events) unchanged. With
`otlp` (OTLP/HTTP protobuf, to `<PREFIX>_OTEL_ENDPOINT` or the standard
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` / `OTEL_EXPORTER_OTLP_ENDPOINT`) or `console`, a `Tracing`
holds its own TracerProvider (batching exporter, sampler from `OTEL_TRACES_SAMPLER`, resource
from `OTEL_RESOURCE_ATTRIBUTES` plus `service.name`) and starts the server and consumer spans.

A `Tracing` is per application rather than the process-global provider, so tests can run several
apps in one process, each with its own exporter.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .context import valid_traceparent

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.trace import Span, SpanKind, Tracer

log = logging.getLogger("yiwang.tracing")

EXPORTERS = ("none", "otlp", "console")


def span_traceparent(span: Span) -> str:
    """The W3C traceparent naming `span` (what a child's parent is)."""
    ctx = span.get_span_context()
    return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{int(ctx.trace_flags):02x}"


class Tracing:
    """One application's tracer: None until `start` with an exporter other than `none`."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.tracer: Tracer | None = None
        self._provider: TracerProvider | None = None

    @property
    def enabled(self) -> bool:
        """True when spans are recorded and exported."""
        return self.tracer is not None

    def start(self, exporter: str, endpoint: str = "", *, span_exporter: SpanExporter | None = None) -> None:
        """Load the SDK and export spans (`span_exporter`, for tests, is used synchronously)."""
        if self.tracer is not None:
            return
        if span_exporter is None and exporter == "none":
            return
        if exporter not in EXPORTERS:
            # not user-facing
            raise ValueError(f"unknown OTel exporter {exporter!r}; use one of {', '.join(EXPORTERS)}")
        from opentelemetry.sdk.resources import SERVICE_NAME, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            BatchSpanProcessor,
            ConsoleSpanExporter,
            SimpleSpanProcessor,
        )

        provider = TracerProvider(resource=Resource.create({SERVICE_NAME: self.service}))
        if span_exporter is not None:
            provider.add_span_processor(SimpleSpanProcessor(span_exporter))
        elif exporter == "console":
            provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
        else:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint or None)))
        self._provider = provider
        self.tracer = provider.get_tracer("yiwang")
        log.info("tracing on: %s exporter%s", exporter, f" to {endpoint}" if endpoint else "")

    def shutdown(self) -> None:
        """Flush what is buffered and stop exporting."""
        provider, self._provider, self.tracer = self._provider, None, None
        if provider is not None:
            provider.force_flush(timeout_millis=5000)
            provider.shutdown()

    def start_span(
        self,
        name: str,
        kind: SpanKind,
        *,
        parent: str | None = None,
        tracestate: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Span:
        """A started span, child of the `parent` traceparent when valid (else a new trace)."""
        assert self.tracer is not None, "tracing is off"
        context = None
        if valid_traceparent(parent):
            from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

            carrier = {"traceparent": parent or ""}
            if tracestate:
                carrier["tracestate"] = tracestate
            context = TraceContextTextMapPropagator().extract(carrier)
        return self.tracer.start_span(name, context=context, kind=kind, attributes=attributes)


def mark_error(span: Span, exc: BaseException | None = None, description: str | None = None) -> None:
    """Set the span's status to error (recording `exc` if given)."""
    from opentelemetry.trace import Status, StatusCode

    if exc is not None:
        span.record_exception(exc)
    span.set_status(Status(StatusCode.ERROR, description or (type(exc).__name__ if exc else None)))
