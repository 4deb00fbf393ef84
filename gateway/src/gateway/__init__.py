"""yiwang API gateway: one thin entry point in front of every service.

Routing by path prefix, bearer-token checks, per-client rate limits, request ids, upstream
timeouts with clear errors, aggregate health, Prometheus metrics and one merged OpenAPI document.
No domain logic and no database. Engine and its measurements: docs/adr/0002-gateway-proxy-engine.md.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .app import Gateway
from .config import SERVICES, GatewaySettings
from .openapi import merge_openapi

__all__ = ["SERVICES", "Gateway", "GatewaySettings", "__version__", "merge_openapi"]
