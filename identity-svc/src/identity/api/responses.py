"""What the OpenAPI document says about the `Retry-After` of a refusal to wait."""

from __future__ import annotations

from typing import Any

__all__ = ["retry_after"]

_RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 1},
}


def retry_after(
    responses: dict[int | str, dict[str, Any]], *statuses: int
) -> dict[int | str, dict[str, Any]]:
    """`responses` with a Retry-After header documented on each of `statuses`."""
    for status in statuses:
        responses[status] = {**responses[status], "headers": {"Retry-After": _RETRY_AFTER}}
    return responses
