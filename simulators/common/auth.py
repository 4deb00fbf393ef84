"""Checking a merchant's signed request: who signed it, that the signature fits, that it is recent
and that its nonce is new (README.md, "Signatures")."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Awaitable, Callable

from fastapi import Request

from . import signing
from .errors import SimulatorError
from .store import remember_nonce


def request_target(request: Request) -> str:
    """The path and query exactly as sent on the wire (what the client signed)."""
    path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    query: bytes = request.scope.get("query_string", b"")
    return path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")


def signed_merchant(
    conn: sqlite3.Connection, merchants: dict[str, str], window_seconds: float
) -> Callable[[Request], Awaitable[str]]:
    """A dependency that answers 401 unless the request is signed by a known merchant, now, once;
    it returns the merchant id."""

    async def dependency(request: Request) -> str:
        body = await request.body()
        auth = signing.parse(request.headers.get("authorization"))
        if auth is None:
            raise SimulatorError(401, "SIGN_MISSING", "缺少签名：Authorization 须为 HMAC-SHA256 格式")
        secret = merchants.get(auth.merchant_id)
        if secret is None:
            raise SimulatorError(401, "MERCHANT_UNKNOWN", f"商户号 {auth.merchant_id} 不存在")
        if not signing.matches(secret, auth, request.method, request_target(request), body):
            raise SimulatorError(401, "SIGN_ERROR", "签名错误")
        if abs(time.time() - auth.timestamp) > window_seconds:
            raise SimulatorError(401, "TIMESTAMP_EXPIRED", "请求时间戳超出允许范围")
        if not remember_nonce(conn, auth.merchant_id, auth.nonce, auth.timestamp + 2 * window_seconds):
            raise SimulatorError(401, "NONCE_REPLAYED", "随机串已使用过（重放请求）")
        return auth.merchant_id

    return dependency
