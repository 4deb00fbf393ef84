"""The wire format's signature: README.md's worked example holds for the simulators' own code and
for the client library's, and malformed headers are refused."""

from __future__ import annotations

import pytest

from simulators.common import signing
from yiwang_shared.providers import signing as client_signing

# README.md, "Signatures": the worked example.
EXAMPLE = {
    "secret": "demo-secret",
    "method": "POST",
    "target": "/v1/orders",
    "timestamp": 1764900000,
    "nonce": "0123456789abcdef0123456789abcdef",
    "body": b'{"merchant_order_no":"F20261205001","amount_fen":5000}',
}
EXAMPLE_SIGNATURE = "YaHV57qq1f1t36b9VVaZbSUbWQjiuU24RItQGw0Kl7o="
EXAMPLE_CANONICAL = (
    "POST\n/v1/orders\n1764900000\n0123456789abcdef0123456789abcdef\n"
    "fb05df0997f1df9068216e5d85399b5f0c6778a4bddea2e66269977613da7242\n"
)


def test_the_readme_example_holds_for_both_implementations() -> None:
    e = EXAMPLE
    args = (e["method"], e["target"], e["timestamp"], e["nonce"], e["body"])
    assert signing.canonical(*args).decode() == EXAMPLE_CANONICAL  # type: ignore[arg-type]
    assert signing.signature(e["secret"], *args) == EXAMPLE_SIGNATURE  # type: ignore[arg-type]
    assert client_signing.sign(e["secret"], *args) == EXAMPLE_SIGNATURE  # type: ignore[arg-type]


def test_a_header_made_by_the_client_library_parses_and_verifies_here() -> None:
    value = client_signing.signed_authorization("m1", "s", "GET", "/v1/orders/PO1?x=1", b"")
    auth = signing.parse(value)
    assert auth is not None and auth.merchant_id == "m1"
    assert signing.matches("s", auth, "GET", "/v1/orders/PO1?x=1", b"")
    assert not signing.matches("s", auth, "GET", "/v1/orders/PO1?x=2", b""), "the query is signed"
    assert not signing.matches("s", auth, "GET", "/v1/orders/PO1?x=1", b"x"), "the body is signed"
    assert not signing.matches("t", auth, "GET", "/v1/orders/PO1?x=1", b""), "the secret is the key"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "Bearer abc",
        'HMAC-SHA256 merchant_id="m1", timestamp="1", nonce="0123456789abcdef"',  # no signature
        'HMAC-SHA256 merchant_id="m1", timestamp="soon", nonce="0123456789abcdef", signature="x"',
        'HMAC-SHA256 merchant_id="m1", timestamp="1", nonce="short", signature="x"',
        'HMAC-SHA256 merchant_id="m1", timestamp="1", nonce="0123456789abcdef", signature="x", extra="y"',
    ],
)
def test_malformed_headers_are_refused(value: str | None) -> None:
    assert signing.parse(value) is None
