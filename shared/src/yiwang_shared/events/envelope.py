"""The event envelope every service publishes and consumes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from ..context import current_request_id, current_traceparent


class EventEnvelope(BaseModel):
    """A fact that happened, as published on `<svc>.<aggregate>.<event>.v<N>`."""

    event_id: str = Field(description="Unique id; also the JetStream Nats-Msg-Id (deduplication).")
    type: str = Field(description="`<svc>.<aggregate>.<past-tense>`, e.g. identity.user.registered")
    version: int = Field(ge=1, description="Payload schema version (the subject's .vN).")
    occurred_at: datetime
    producer: str = Field(description="The publishing service.")
    correlation_id: str | None = Field(default=None, description="Request id that caused it.")
    traceparent: str | None = Field(
        default=None,
        description="W3C traceparent of the span that caused it (absent on older events).",
    )
    data: dict[str, Any]

    @property
    def subject(self) -> str:
        """The NATS subject: type plus version."""
        return f"{self.type}.v{self.version}"


def make_event(
    type: str,
    version: int,
    data: dict[str, Any],
    *,
    producer: str,
    correlation_id: str | None = None,
    traceparent: str | None = None,
) -> EventEnvelope:
    """A new envelope, stamped now, correlated to (and in the trace of) the current request."""
    return EventEnvelope(
        event_id=str(uuid.uuid4()),
        type=type,
        version=version,
        occurred_at=datetime.now(UTC),
        producer=producer,
        correlation_id=correlation_id or current_request_id(),
        traceparent=traceparent or current_traceparent(),
        data=data,
    )


def envelope_json(envelope: EventEnvelope) -> bytes:
    """The envelope as published: `traceparent` left out when there is none (older readers)."""
    if envelope.traceparent is None:
        return envelope.model_dump_json(exclude={"traceparent"}).encode()
    return envelope.model_dump_json().encode()
