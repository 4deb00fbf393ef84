"""Events: envelope, transactional outbox, relay to JetStream, durable idempotent consumers."""

from .consumer import PermanentError
from .envelope import EventEnvelope, make_event
from .outbox import add_event

__all__ = ["EventEnvelope", "PermanentError", "add_event", "make_event"]
