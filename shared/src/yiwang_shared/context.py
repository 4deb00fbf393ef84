"""Per-request context carried through logs, outgoing calls and events."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
#: The W3C `traceparent` of the span being handled (ours when tracing is on, else the caller's).
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)

REQUEST_ID_HEADER = "x-request-id"
TRACEPARENT_HEADER = "traceparent"

# version 00 (and later versions read the same way), non-zero trace and span ids (W3C Trace Context).
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}")


def new_request_id() -> str:
    """A fresh request id (32 hex characters)."""
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The request id of the request (or event) being handled, if any."""
    return request_id_var.get()


def valid_traceparent(value: str | None) -> str | None:
    """`value` if it is a well-formed W3C traceparent (version ff is invalid), else None."""
    if value and len(value) == 55 and value[:2] != "ff" and _TRACEPARENT.fullmatch(value):
        return value
    return None


def current_traceparent() -> str | None:
    """The traceparent of the request (or event) being handled, if any."""
    return traceparent_var.get()


def trace_ids(traceparent: str) -> tuple[str, str]:
    """(trace id, span id) of a valid traceparent."""
    return traceparent[3:35], traceparent[36:52]
