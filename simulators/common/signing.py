"""The wire format's signature, written from README.md on its own (not imported from the client
library), so that the simulator checks the clients against the document, not against themselves."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

SCHEME = "HMAC-SHA256"
_PARAMS = re.compile(r"^HMAC-SHA256 (?P<params>.+)$")
_PAIR = re.compile(r'^\s*(?P<key>[a-z_]+)="(?P<value>[^"]*)"\s*$')
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Authorization:
    """A parsed Authorization header."""

    merchant_id: str
    timestamp: int
    nonce: str
    signature: str


def canonical(method: str, target: str, timestamp: int, nonce: str, body: bytes) -> bytes:
    """METHOD, target (path?query), timestamp, nonce and hex SHA-256 of the body, each line ended by \\n."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{target}\n{timestamp}\n{nonce}\n{digest}\n".encode()


def signature(secret: str, method: str, target: str, timestamp: int, nonce: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, canonical))."""
    mac = hmac.new(secret.encode(), canonical(method, target, timestamp, nonce, body), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def authorization(merchant_id: str, secret: str, method: str, target: str, body: bytes) -> str:
    """A header value signed now with a fresh nonce."""
    ts, nonce = int(time.time()), secrets.token_hex(16)
    sig = signature(secret, method, target, ts, nonce, body)
    return f'{SCHEME} merchant_id="{merchant_id}", timestamp="{ts}", nonce="{nonce}", signature="{sig}"'


def parse(value: str | None) -> Authorization | None:
    """The header's parts, or None when it is not a well-formed HMAC-SHA256 header."""
    m = _PARAMS.match((value or "").strip())
    if m is None:
        return None
    params: dict[str, str] = {}
    for pair in m.group("params").split(","):
        p = _PAIR.match(pair)
        if p is None:
            return None
        params[p.group("key")] = p.group("value")
    if set(params) != {"merchant_id", "timestamp", "nonce", "signature"}:
        return None
    if not params["timestamp"].isdigit() or not _NONCE.match(params["nonce"]):
        return None
    return Authorization(
        params["merchant_id"], int(params["timestamp"]), params["nonce"], params["signature"]
    )


def matches(secret: str, auth: Authorization, method: str, target: str, body: bytes) -> bool:
    """Whether the signature is right (constant-time comparison)."""
    expected = signature(secret, method, target, auth.timestamp, auth.nonce, body)
    return hmac.compare_digest(expected, auth.signature)
