"""Cross-origin requests (CORS) for browsers calling the API from a front end on another origin.

Origins are allowed by the `GATEWAY_CORS_ORIGINS` setting only (none by default: a front end
served by the gateway itself is same-origin and needs nothing). For an allowed origin the gateway
answers the browser's preflight itself (`OPTIONS` with `Access-Control-Request-Method`) and adds
`Access-Control-Allow-Origin` to every response, problems included, so a script can read a 401 or
a 429 as well as a 200. No credentials mode: the API takes bearer tokens, not cookies.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["Cors", "parse_origins"]

ALLOWED_METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE"
#: Request headers a client of the API sends (lower-case).
ALLOWED_HEADERS = frozenset(
    {
        b"authorization",
        b"content-type",
        b"accept",
        b"accept-language",
        b"idempotency-key",
        b"if-none-match",
        b"x-request-id",
        b"traceparent",
        b"tracestate",
    }
)
#: Response headers a script may read beyond the CORS-safelisted ones.
EXPOSED_HEADERS = b"Location, Retry-After, X-Request-Id, ETag, Content-Disposition, WWW-Authenticate"
_METHODS = frozenset(ALLOWED_METHODS.decode().replace(" ", "").split(","))


def parse_origins(value: str) -> frozenset[str]:
    """The allowed origins from a comma-separated setting; each must be scheme://host[:port]."""
    origins = set()
    for raw in value.split(","):
        origin = raw.strip().rstrip("/")
        if not origin:
            continue
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            # not user-facing (a start-up setting)
            raise ValueError(f"CORS origin {raw.strip()!r} must look like https://host[:port]")
        origins.add(origin.lower())
    return frozenset(origins)


class Cors:
    """The CORS policy: which origins may call, and the headers that say so."""

    def __init__(self, origins: frozenset[str], max_age_seconds: int) -> None:
        self.origins = origins
        self.max_age = str(max_age_seconds).encode()
        self._allowed = {o.encode() for o in origins}

    @property
    def enabled(self) -> bool:
        """Whether any origin is allowed."""
        return bool(self._allowed)

    def allows(self, origin: bytes | None) -> bool:
        """Whether a request from `origin` may read our responses."""
        return origin is not None and origin.lower() in self._allowed

    def response_headers(self, origin: bytes) -> list[tuple[bytes, bytes]]:
        """What every response to an allowed origin carries."""
        return [
            (b"access-control-allow-origin", origin),
            (b"access-control-expose-headers", EXPOSED_HEADERS),
            (b"vary", b"Origin"),
        ]

    def preflight_refusal(self, method: bytes, headers: bytes | None) -> tuple[str, str] | None:
        """(Chinese, English) saying why a preflight for an allowed origin is refused, or None."""
        wanted = method.decode("latin-1").strip().upper()
        if wanted not in _METHODS:
            return (
                f"不允许跨域使用 {wanted} 方法。",
                f"Cross-origin {wanted} requests are not allowed.",
            )
        for name in (headers or b"").split(b","):
            name = name.strip().lower()
            if name and name not in ALLOWED_HEADERS:
                text = name.decode("latin-1")
                return (
                    f"不允许跨域发送请求头 {text}。",
                    f"Cross-origin requests may not send the header {text}.",
                )
        return None

    def preflight_headers(self, origin: bytes) -> list[tuple[bytes, bytes]]:
        """The headers of a successful preflight answer."""
        return [
            (b"access-control-allow-origin", origin),
            (b"access-control-allow-methods", ALLOWED_METHODS),
            (b"access-control-allow-headers", b", ".join(sorted(ALLOWED_HEADERS))),
            (b"access-control-max-age", self.max_age),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        ]
