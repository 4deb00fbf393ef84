"""Event payload models and their committed JSON Schemas, the same way in every service.

A service declares its payloads as `EventPayload` subclasses (TYPE and VERSION name the subject)
and one `EventCatalog(producer, schema_dir, events)`. `python -m <pkg>.events` rewrites the
committed schemas (`<svc>-svc/events/<subject>.schema.json`); each service has a test that they are
current and that what it publishes validates against them, so consumers and reviewers see every
change to a payload.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from .envelope import EventEnvelope
from .outbox import add_event, add_events


class EventPayload(BaseModel):
    """Base of every payload: its type and version name the subject."""

    model_config = ConfigDict(extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]

    @classmethod
    def subject(cls) -> str:
        """The NATS subject, e.g. `catalog.item.published.v1`."""
        return f"{cls.TYPE}.v{cls.VERSION}"


@dataclass(frozen=True)
class EventCatalog:
    """The events one service publishes: writing them to the outbox and their schemas."""

    producer: str
    schema_dir: Path
    events: tuple[type[EventPayload], ...]

    async def publish(self, session: AsyncSession, payload: EventPayload) -> EventEnvelope:
        """Write the event to the outbox in the session's transaction."""
        return await add_event(
            session,
            payload.TYPE,
            payload.VERSION,
            payload.model_dump(mode="json"),
            producer=self.producer,
        )

    async def publish_all(
        self, session: AsyncSession, payloads: Sequence[EventPayload]
    ) -> list[EventEnvelope]:
        """Write a step's events to the outbox in one statement, in order (see `add_events`)."""
        if len(payloads) == 1:
            return [await self.publish(session, payloads[0])]
        events = [(p.TYPE, p.VERSION, p.model_dump(mode="json")) for p in payloads]
        return await add_events(session, events, producer=self.producer)

    def event_schema(self, payload: type[EventPayload]) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of the whole envelope carrying `payload`."""
        data = payload.model_json_schema()
        defs = data.pop("$defs", None)
        schema: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://yiwang.dev/events/{payload.subject()}.schema.json",
            "title": payload.subject(),
            "description": (payload.__doc__ or "").strip(),
            "type": "object",
            "required": ["event_id", "type", "version", "occurred_at", "producer", "data"],
            "additionalProperties": False,
            "properties": {
                "event_id": {"type": "string", "description": "Unique id; also the Nats-Msg-Id."},
                "type": {"const": payload.TYPE},
                "version": {"const": payload.VERSION},
                "occurred_at": {"type": "string", "format": "date-time"},
                "producer": {"const": self.producer},
                "correlation_id": {"type": ["string", "null"]},
                "traceparent": {
                    "type": ["string", "null"],
                    "pattern": "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
                },
                "data": data,
            },
        }
        if defs:
            schema["$defs"] = defs
        return schema

    def schema_path(self, payload: type[EventPayload]) -> Path:
        """Where the committed schema of `payload` lives."""
        return self.schema_dir / f"{payload.subject()}.schema.json"

    def render_schema(self, payload: type[EventPayload]) -> str:
        """The committed text of `payload`'s schema."""
        return json.dumps(self.event_schema(payload), ensure_ascii=False, indent=2) + "\n"

    def write_schemas(self) -> list[Path]:
        """Rewrite every committed event schema from the models."""
        self.schema_dir.mkdir(exist_ok=True)
        paths = []
        for payload in self.events:
            path = self.schema_path(payload)
            path.write_text(self.render_schema(payload), encoding="utf-8")
            paths.append(path)
        return paths

    def main(self) -> None:
        """`python -m <pkg>.events`: rewrite the committed schemas."""
        for written in self.write_schemas():
            sys.stdout.write(f"wrote {written}\n")
