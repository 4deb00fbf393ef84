"""Links that work for the client that received them.

A service answers at `/v1/...`, but its clients reach it through the gateway at
`/api/<service>/v1/...`. The gateway says which prefix it stripped in `X-Forwarded-Prefix`
(replacing whatever a client sent); the request context middleware keeps it in `prefix_var`, and
every URL a service hands out — `Location`, `html_url`, problem `instance`, links — goes through
`public_path`. Absolute URLs (Open311 discovery) start from the `public_base_url` setting, never
from a request header.

The prefix is accepted only as plain path segments (`/api/intake`): no scheme, host, userinfo,
query, dot segments or encoded characters, so no header can make a service hand out a link to
another site.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from starlette.responses import Response

__all__ = ["PREFIX_HEADER", "clean_prefix", "prefix_var", "public_path", "public_url", "set_location"]

PREFIX_HEADER = b"x-forwarded-prefix"

prefix_var: ContextVar[str] = ContextVar("public_prefix", default="")

_SEGMENTS = re.compile(r"(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,62}){1,4}")


def clean_prefix(raw: str | None) -> str:
    """`raw` if it is a safe path prefix (`/api/intake`), else '' (the service's own paths)."""
    if not raw:
        return ""
    value = raw.strip().rstrip("/")
    if not _SEGMENTS.fullmatch(value) or "/.." in value or "/./" in value + "/":
        return ""
    return value


def public_path(path: str) -> str:
    """`path` (a service path such as `/v1/applications/x`) as the client reaches it."""
    prefix = prefix_var.get()
    if not prefix or path.startswith(prefix + "/"):
        return path
    return prefix + (path if path.startswith("/") else "/" + path)


def public_url(base_url: str, path: str) -> str:
    """An absolute URL for `path` under the configured public base URL."""
    return base_url.rstrip("/") + public_path(path)


def set_location(response: Response, path: str) -> None:
    """Point a 201's `Location` at `path` (a service path such as `/v1/items/x`), as the client reaches it."""
    response.headers["Location"] = public_path(path)
