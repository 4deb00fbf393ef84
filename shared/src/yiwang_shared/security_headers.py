"""Response headers that keep a browser from misreading, framing or extending what we serve.

Every answer says `X-Content-Type-Options: nosniff` (a download is never run as a script because
its bytes look like one). Every HTML page — printable notices and guides, the API docs — carries
a Content-Security-Policy that loads nothing from elsewhere and lets no one frame it, and
`X-Frame-Options: DENY` for browsers that predate `frame-ancestors`. Notices and guides need no
script at all; the docs page (Swagger UI, vendored) needs its own script and one inline call.
A response that sets any of these itself keeps its own.
"""

from __future__ import annotations

__all__ = ["DOCS_CSP", "PAGE_CSP", "add_security_headers"]

_COMMON = b"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
#: Printable pages: their own stylesheet (inline and the shipped web font), images, no scripts.
PAGE_CSP = (
    b"default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; " + _COMMON
)
#: Swagger UI: its vendored bundle, the inline call that starts it, and the API it tries out.
DOCS_CSP = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; " + _COMMON
)
_DOCS_PATHS = ("/docs", "/redoc")


def add_security_headers(headers: list[tuple[bytes, bytes]], path: str) -> None:
    """Append the headers above to a response's raw `headers` (for the request `path`)."""
    names = {name.lower() for name, _ in headers}
    if b"x-content-type-options" not in names:
        headers.append((b"x-content-type-options", b"nosniff"))
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    if not content_type.startswith(b"text/html"):
        return
    if b"content-security-policy" not in names:
        headers.append((b"content-security-policy", DOCS_CSP if path in _DOCS_PATHS else PAGE_CSP))
    if b"x-frame-options" not in names:
        headers.append((b"x-frame-options", b"DENY"))
