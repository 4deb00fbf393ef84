"""The events catalog-svc publishes (through the outbox), their payloads and JSON Schemas.

Subjects are `catalog.item.<past-tense>.v<N>` and `catalog.bundle.published.v1` on stream CATALOG.
`catalog.item.published.v1` carries the whole published version (every element), so intake,
hotline and evaluation keep their own read model without calling back. The committed schemas
under `catalog-svc/events/` are generated from these models (`python -m catalog.events` rewrites
them); a test checks they are current and that published payloads validate.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.events.payloads import EventCatalog, EventPayload
from yiwang_shared.migrations import service_dir

from .schemas.elements import ItemElements

PRODUCER = "catalog"
SCHEMA_DIR = service_dir("catalog") / "events"


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


class BundleMemberInfo(BaseModel):
    """One item of a bundle, with the stage it is decided in."""

    model_config = ConfigDict(extra="forbid")

    item_code: str = Field(description="Implementation code (实施编码).")
    item_name: str
    owner_unit_code: str = Field(description="The deciding unit when the bundle was published.")
    stage: int = Field(
        ge=1, description="办理阶段: decided with its stage's items, after every earlier stage is approved."
    )


class BundlePublished(EventPayload):
    """A "one thing" bundle (一件事) was published: its items can be applied for in one submission."""

    TYPE: ClassVar[str] = "catalog.bundle.published"
    VERSION: ClassVar[int] = 1

    bundle_code: str = Field(description="Bundle code, `YJS` + 6 digits.")
    name: str
    description: str | None
    items: list[BundleMemberInfo] = Field(min_length=2, description="Its items, in the bundle's order.")
    published_at: datetime


EVENTS: tuple[type[EventPayload], ...] = (ItemPublished, ItemRetired, BundlePublished)

#: This service's events: outbox writes and committed schemas (see yiwang_shared.events.payloads).
CATALOG = EventCatalog(producer=PRODUCER, schema_dir=SCHEMA_DIR, events=EVENTS)
publish = CATALOG.publish
event_schema = CATALOG.event_schema
schema_path = CATALOG.schema_path
render_schema = CATALOG.render_schema
write_schemas = CATALOG.write_schemas

if __name__ == "__main__":
    CATALOG.main()
