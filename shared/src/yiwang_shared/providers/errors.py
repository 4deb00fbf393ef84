"""What a call to a provider, or a callback from one, can fail with.

ProviderError
├── ProviderUnavailable    no answer: refused, reset, timed out, or a 5xx (try again later)
├── ProviderRejected       the provider answered 4xx (`status`, its `code` and `message`)
│   ├── ProviderAuthRefused  our signature refused (401: wrong secret or clock, a nonce reused)
│   ├── ProviderNotFound     no such order, refund or waybill (404)
│   └── ProviderConflict     not in this state, or a number reused with other content (409)
├── ProviderProtocolError  an answer we cannot read (not the documented JSON)
└── CallbackRejected       a callback that must not be believed (`reason`); answer it 401
"""

from __future__ import annotations

__all__ = [
    "CallbackRejected",
    "ProviderAuthRefused",
    "ProviderConflict",
    "ProviderError",
    "ProviderNotFound",
    "ProviderProtocolError",
    "ProviderRejected",
    "ProviderUnavailable",
]


class ProviderError(Exception):
    """Anything that went wrong talking to an external provider."""


class ProviderUnavailable(ProviderError):
    """The provider did not answer usefully (connection, timeout, 5xx): retry later."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ProviderRejected(ProviderError):
    """The provider refused the request (a 4xx) with its own error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class ProviderAuthRefused(ProviderRejected):
    """Our signature was refused (401): the merchant id, secret or clock is wrong, or a nonce reused."""


class ProviderNotFound(ProviderRejected):
    """No such order, refund or waybill (404)."""


class ProviderConflict(ProviderRejected):
    """The request clashes with the object's state or an earlier request with the same number (409)."""


class ProviderProtocolError(ProviderError):
    """The provider's answer is not what the wire format says."""


class CallbackRejected(ProviderError):
    """A callback failed verification; `reason` is one of: missing_signature, unknown_merchant,
    bad_signature, stale_timestamp, replayed_nonce, bad_body."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
