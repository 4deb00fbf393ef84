"""Signed JSON calls to a provider over aiohttp, and its errors as our exceptions."""

from __future__ import annotations

import json
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import aiohttp
from pydantic import BaseModel, ValidationError
from yarl import URL

from .errors import (
    ProviderAuthRefused,
    ProviderConflict,
    ProviderNotFound,
    ProviderProtocolError,
    ProviderRejected,
    ProviderUnavailable,
)
from .signing import signed_authorization

__all__ = ["SignedTransport", "answer_error", "parse_model", "provider_session", "segment"]


def provider_session() -> aiohttp.ClientSession:
    """A client session for provider calls (make it in the running loop; close it at shutdown)."""
    # No proxies from the environment, no cookies: a provider is called with our signature alone.
    return aiohttp.ClientSession(trust_env=False, cookie_jar=aiohttp.DummyCookieJar())


def segment(value: str) -> str:
    """One path segment, percent-encoded, so an odd number stays inside its segment."""
    return quote(value, safe="")


class SignedTransport:
    """Sends requests signed with one merchant's id and secret to one provider's base URL."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        merchant_id: str,
        secret: str,
        timeout: float = 5.0,
    ) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._base_path = urlsplit(self._base).path
        self._merchant_id = merchant_id
        self._secret = secret
        self._timeout = timeout

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> tuple[bytes, str]:
        """Send a signed request to `path` (already encoded); the answer's body and content type on
        2xx, else the matching exception."""
        target = self._base_path + path + (("?" + urlencode(query)) if query else "")
        data = b"" if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Authorization": signed_authorization(self._merchant_id, self._secret, method, target, data),
            "Accept": "application/json",
        }
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        url = URL(self._base + path + (("?" + urlencode(query)) if query else ""), encoded=True)
        try:
            async with self._session.request(
                method,
                url,
                data=data or None,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self._timeout),
            ) as resp:
                status, content_type, raw = (
                    resp.status,
                    resp.headers.get("Content-Type", ""),
                    await resp.read(),
                )
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise ProviderUnavailable(f"{method} {path}: {exc or type(exc).__name__}") from exc
        if 200 <= status < 300:
            return raw, content_type
        raise answer_error(status, raw, f"{method} {path}")

    async def call_json(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        query: dict[str, str] | None = None,
    ) -> Any:
        """`call`, the answer parsed as JSON."""
        raw, _ = await self.call(method, path, body=body, query=query)
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise ProviderProtocolError(f"{method} {path}: the answer is not JSON") from exc


def answer_error(status: int, raw: bytes, what: str) -> Exception:
    """The exception for a non-2xx answer (the provider's `code` and `message` when it sent them)."""
    if status >= 500:
        return ProviderUnavailable(f"{what}: the provider answered {status}", status=status)
    try:
        problem = json.loads(raw)
        code, message = str(problem["code"]), str(problem.get("message", ""))
    except (ValueError, KeyError, TypeError):
        code, message = "HTTP_" + str(status), raw[:200].decode("utf-8", errors="replace")
    kind: type[ProviderRejected] = {
        401: ProviderAuthRefused,
        404: ProviderNotFound,
        409: ProviderConflict,
    }.get(status, ProviderRejected)
    return kind(status, code, message)


M = TypeVar("M", bound=BaseModel)


def parse_model(kind: type[M], data: Any) -> M:
    """The provider's JSON as a typed result (ProviderProtocolError when it does not fit)."""
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        raise ProviderProtocolError(f"not a {kind.__name__}: {exc.error_count()} errors: {exc}") from exc
