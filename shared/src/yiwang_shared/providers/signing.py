"""The providers' request signature: HMAC-SHA256 over a canonical string, both ways.

Our requests to a provider and its callbacks to us carry the same header (simulators/README.md):

    Authorization: HMAC-SHA256 merchant_id="M", timestamp="1733365200", nonce="…", signature="…"

The signature is base64(HMAC-SHA256(secret, canonical)) with

    canonical = METHOD "\\n" PATH "\\n" TIMESTAMP "\\n" NONCE "\\n" hex(SHA-256(body)) "\\n"

PATH is the request target as sent: the path and, when there is one, "?" and the query, both
percent-encoded as on the wire. An empty body hashes as SHA-256 of no bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

__all__ = [
    "SCHEME",
    "SignedHeader",
    "body_digest",
    "canonical_string",
    "new_nonce",
    "parse_authorization",
    "sign",
    "signature_matches",
    "signed_authorization",
]

#: The Authorization scheme's name.
SCHEME = "HMAC-SHA256"

_PARAM = re.compile(r'\s*([a-z_]+)="([^"]*)"\s*')
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class SignedHeader:
    """The parts of a signed Authorization header."""

    merchant_id: str
    timestamp: int
    nonce: str
    signature: str


def body_digest(body: bytes) -> str:
    """Hex SHA-256 of the body (of no bytes when there is none)."""
    return hashlib.sha256(body).hexdigest()


def canonical_string(method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """The string that is signed: method, path with query, timestamp, nonce, body hash."""
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{body_digest(body)}\n"


def sign(secret: str, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    """base64 of HMAC-SHA256 over the canonical string with the merchant's secret."""
    mac = hmac.new(secret.encode(), canonical_string(method, path, timestamp, nonce, body).encode(), "sha256")
    return base64.b64encode(mac.digest()).decode()


def signature_matches(secret: str, header: SignedHeader, method: str, path: str, body: bytes) -> bool:
    """Whether the header's signature is right for this request (compared in constant time)."""
    expected = sign(secret, method, path, header.timestamp, header.nonce, body)
    return hmac.compare_digest(expected, header.signature)


def new_nonce() -> str:
    """A fresh random nonce (32 URL-safe characters)."""
    return secrets.token_hex(16)


def signed_authorization(
    merchant_id: str,
    secret: str,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> str:
    """The Authorization header's value for a request (now, with a fresh nonce, unless given)."""
    ts = int(time.time()) if timestamp is None else timestamp
    nc = nonce or new_nonce()
    signature = sign(secret, method, path, ts, nc, body)
    return f'{SCHEME} merchant_id="{merchant_id}", timestamp="{ts}", nonce="{nc}", signature="{signature}"'


def parse_authorization(value: str | None) -> SignedHeader | None:
    """The header's parts, or None when it is missing or not of this scheme's shape."""
    if not value:
        return None
    scheme, _, rest = value.strip().partition(" ")
    if scheme != SCHEME:
        return None
    params: dict[str, str] = {}
    for part in rest.split(","):
        m = _PARAM.fullmatch(part)
        if m is None:
            return None
        params[m.group(1)] = m.group(2)
    try:
        header = SignedHeader(
            merchant_id=params["merchant_id"],
            timestamp=int(params["timestamp"]),
            nonce=params["nonce"],
            signature=params["signature"],
        )
    except (KeyError, ValueError):
        return None
    if not header.merchant_id or not _NONCE.fullmatch(header.nonce):
        return None
    return header
