"""Per-request context carried through logs, outgoing calls and events."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

REQUEST_ID_HEADER = "x-request-id"


def new_request_id() -> str:
    """A fresh request id (32 hex characters)."""
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The request id of the request (or event) being handled, if any."""
    return request_id_var.get()
