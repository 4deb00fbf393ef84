"""Reading whole JetStream streams (evaluation's own and the ones it consumes), for the rebuild.

An ordered consumer: ephemeral, acknowledgement-free, flow-controlled; it leaves the service's
durable consumers alone and disappears when unsubscribed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import nats
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from yiwang_shared.events import EventEnvelope


@asynccontextmanager
async def jetstream(nats_url: str) -> AsyncIterator[Any]:
    """A JetStream context on a connection to `nats_url`, closed on exit."""
    nc = await nats.connect(nats_url, connect_timeout=5, max_reconnect_attempts=3)
    try:
        yield nc.jetstream()
    finally:
        await nc.close()


async def stream_events(
    js: Any, stream: str, subject: str, *, idle_timeout: float
) -> AsyncIterator[EventEnvelope | None]:
    """Every message of `subject` on `stream` from the first sequence (None for a malformed one)."""
    try:
        await js.stream_info(stream)
    except NotFoundError:
        return  # nothing was ever published there
    sub = await js.subscribe(subject, stream=stream, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL)
    try:
        info = await sub.consumer_info()
        if info.num_pending == 0 and info.delivered.consumer_seq == 0:
            return
        while True:
            try:
                msg = await sub.next_msg(timeout=idle_timeout)
            except NatsTimeout as exc:
                raise RuntimeError(f"stream {stream} stopped delivering before its end") from exc
            try:
                yield EventEnvelope.model_validate_json(msg.data)
            except ValueError:
                yield None
            if msg.metadata.num_pending == 0:
                return
    finally:
        await sub.unsubscribe()
