"""What the tests read back from NATS."""

from __future__ import annotations

import nats
from nats.aio.msg import Msg
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError


async def dead_letters(nats_url: str, subject: str = "deadletter.>") -> list[Msg]:
    """The messages parked on the DEADLETTER stream under `subject` (none if it does not exist)."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        try:
            sub = await js.pull_subscribe(
                subject, stream="DEADLETTER", config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
            )
        except NotFoundError:
            return []  # nothing dead-lettered yet in this server
        try:
            return list(await sub.fetch(10, timeout=0.5))
        except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
            return []
    finally:
        await nc.close()
