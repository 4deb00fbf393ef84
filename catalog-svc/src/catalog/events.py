"""The events catalog-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `catalog.item.<past-tense>.v<N>` on stream CATALOG. `catalog.item.published.v1`
carries the whole published version (every element), so intake, hotline and evaluation keep
their own read model without calling back. The committed schemas under `catalog-svc/events/`
are generated from these models (`python -m catalog.events` rewrites them); a test checks they
are current and that published payloads validate.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.events import EventEnvelope, add_event

from .elements import ItemElements

PRODUCER = "catalog"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "events"


class EventPayload(BaseModel):
    """Base of every payload: its type and version name the subject."""

    model_config = ConfigDict(extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]

    @classmethod
    def subject(cls) -> str:
        """The NATS subject, e.g. `catalog.item.published.v1`."""
        return f"{cls.TYPE}.v{cls.VERSION}"


class UnitInfo(BaseModel):
    """The implementing unit (实施主体) as the catalogue knows it."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(description="identity-svc org unit id; null if not in the read model.")
    code: str
    name: str
    uscc: str | None


class ItemPublished(EventPayload):
    """A version of an implementation entry was published and is now the one in force."""

    TYPE: ClassVar[str] = "catalog.item.published"
    VERSION: ClassVar[int] = 1

    item_id: str
    item_code: str = Field(description="Implementation code (实施编码).")
    basic_code: str = Field(description="Basic code (基本编码).")
    version_no: int = Field(ge=1, description="The published version; earlier ones are retired.")
    published_at: datetime
    level: int = Field(ge=1, le=7, description="行使层级.")
    owner_unit: UnitInfo
    quality_score: int | None = Field(description="Guide-quality score at publication (0-100).")
    elements: ItemElements = Field(description="Every element of the published version.")


class ItemRetired(EventPayload):
    """An item was retired: no new applications against any of its versions."""

    TYPE: ClassVar[str] = "catalog.item.retired"
    VERSION: ClassVar[int] = 1

    item_id: str
    item_code: str
    basic_code: str
    version_no: int | None = Field(description="The version that was in force.")
    owner_unit_code: str
    reason: str | None
    retired_at: datetime


EVENTS: tuple[type[EventPayload], ...] = (ItemPublished, ItemRetired)


async def publish(session: AsyncSession, payload: EventPayload) -> EventEnvelope:
    """Write the event to the outbox in the session's transaction."""
    return await add_event(
        session,
        payload.TYPE,
        payload.VERSION,
        payload.model_dump(mode="json"),
        producer=PRODUCER,
    )


def event_schema(payload: type[EventPayload]) -> dict[str, Any]:
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
            "producer": {"const": PRODUCER},
            "correlation_id": {"type": ["string", "null"]},
            "data": data,
        },
    }
    if defs:
        schema["$defs"] = defs
    return schema


def schema_path(payload: type[EventPayload]) -> Path:
    """Where the committed schema of `payload` lives."""
    return SCHEMA_DIR / f"{payload.subject()}.schema.json"


def render_schema(payload: type[EventPayload]) -> str:
    """The committed text of `payload`'s schema."""
    return json.dumps(event_schema(payload), ensure_ascii=False, indent=2) + "\n"


def write_schemas() -> list[Path]:
    """Rewrite every committed event schema from the models."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    paths = []
    for payload in EVENTS:
        path = schema_path(payload)
        path.write_text(render_schema(payload), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_schemas():
        sys.stdout.write(f"wrote {written}\n")
