"""Clients for the external providers (payment, logistics) and the verifier of their callbacks.

Infrastructure only: what an order or waybill means to a case is the service's business. The wire
format (signatures both ways, endpoints, notifications) is in `simulators/README.md`; the
simulators there speak it for `make run` and the tests, and a real provider's adapter keeps these
clients' interface.
"""

from .callbacks import CallbackVerifier, MemoryNonceStore, NonceStore
from .errors import (
    CallbackRejected,
    ProviderAuthRefused,
    ProviderConflict,
    ProviderError,
    ProviderNotFound,
    ProviderProtocolError,
    ProviderRejected,
    ProviderUnavailable,
)
from .transport import provider_session

__all__ = [
    "CallbackRejected",
    "CallbackVerifier",
    "MemoryNonceStore",
    "NonceStore",
    "ProviderAuthRefused",
    "ProviderConflict",
    "ProviderError",
    "ProviderNotFound",
    "ProviderProtocolError",
    "ProviderRejected",
    "ProviderUnavailable",
    "provider_session",
]
