"""OpenAPI pieces the routes share: the Location header of a 201 and the non-JSON bodies."""

from __future__ import annotations

from typing import Any

from yiwang_shared.openapi import LOCATION_HEADER

#: The `Location` header of a 201: where the new resource is, as the client reaches it.
CREATED: dict[str, Any] = {"Location": LOCATION_HEADER}

#: A printable page (text/html).
HTML: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}


def binary(*media_types: str) -> dict[str, Any]:
    """The `content` of a response that sends a file of one of `media_types`."""
    return {t: {"schema": {"type": "string", "format": "binary", "contentMediaType": t}} for t in media_types}
