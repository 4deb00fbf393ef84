"""Outbound HTTP from a service (JWKS, the revocation list, another service's API)."""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context per process for every outbound client.

    Building one loads the CA bundle (30–100 ms of CPU); a client made per call — the revocation
    list is fetched every two seconds — would otherwise build one each time.
    """
    return httpx.create_ssl_context()


def async_client(*, timeout: float) -> httpx.AsyncClient:
    """An AsyncClient on the process's TLS context."""
    return httpx.AsyncClient(timeout=timeout, verify=ssl_context())
