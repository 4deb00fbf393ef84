"""A tiny service built with the shared factory, used to test the infrastructure end to end."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.db import SessionDep
from yiwang_shared.events import EventEnvelope, add_event
from yiwang_shared.events.consumer import Consumer
from yiwang_shared.settings import ServiceSettings

SERVICE_DIR = Path(__file__).resolve().parent

metadata = sa.MetaData()
notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("text", sa.String(200), nullable=False),
)
seen = sa.Table(
    "seen_notes",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("note_id", sa.Integer, nullable=False),
)

router = APIRouter(prefix="/v1")


class NoteCreate(BaseModel):
    text: str
    fail: bool = False


@router.post("/notes", status_code=201)
async def notes_create(body: NoteCreate, session: SessionDep) -> dict[str, object]:
    result = await session.execute(notes.insert().values(text=body.text))
    note_id = result.inserted_primary_key[0]  # type: ignore[index]
    event = await add_event(
        session,
        "sample.note.created",
        1,
        {"note_id": note_id, "text": body.text},
        producer="sample",
    )
    if body.fail:
        raise RuntimeError("failure after writing: nothing may be committed or published")
    return {"id": note_id, "event_id": event.event_id}


@router.get("/notes/{note_id}")
async def notes_read(note_id: int, session: SessionDep) -> dict[str, object]:
    row = (await session.execute(sa.select(notes).where(notes.c.id == note_id))).first()
    return {"id": note_id, "found": row is not None}


class Behaviour:
    """Lets a test make the consumer fail a number of times."""

    def __init__(self) -> None:
        self.failures_left = 0
        self.always_fail = False
        self.calls: Counter[str] = Counter()


def make_consumer(behaviour: Behaviour, *, max_deliver: int = 3) -> Consumer:
    async def handle(session: AsyncSession, event: EventEnvelope) -> None:
        behaviour.calls[event.event_id] += 1
        # Write first, then maybe fail: the write must roll back with the failure.
        await session.execute(seen.insert().values(event_id=event.event_id, note_id=event.data["note_id"]))
        if behaviour.always_fail or behaviour.failures_left > 0:
            behaviour.failures_left -= 1
            raise ValueError("handler failed on purpose")

    return Consumer(
        name="sample__note_created",
        stream="SAMPLE",
        subject="sample.note.created.v1",
        handler=handle,
        max_deliver=max_deliver,
        backoff=(0.1, 0.2),
    )


def create_app(settings: ServiceSettings, behaviour: Behaviour | None = None) -> FastAPI:
    consumers = [make_consumer(behaviour)] if behaviour is not None else []
    return create_service_app(
        ServiceSpec(
            name="sample",
            title="sample",
            description="test service",
            service_dir=SERVICE_DIR,
            routers=[router],
            consumers=consumers,
        ),
        settings,
    )
