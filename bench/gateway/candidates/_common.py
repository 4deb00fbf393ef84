"""Shared bits of the engine prototypes (ADR 0002): argument parsing and header rules."""

from __future__ import annotations

import argparse
import uuid

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
PREFIX = "/api/catalog"


def args() -> argparse.Namespace:
    """--port and --upstream."""
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--upstream", required=True)
    return p.parse_args()


def request_id(value: str | None) -> str:
    """The client's request id or a new one."""
    return value[:64] if value else uuid.uuid4().hex
