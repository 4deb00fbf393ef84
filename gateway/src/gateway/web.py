"""The web front end (`web/dist`, built by Vite) at `/`: a single-page app with hashed assets.

Files are read once at start and kept in memory with a gzip copy of what compresses (the whole
build is a few MB). Vite names what it builds under `assets/` by content hash, so those are cached
for a year and immutable; `index.html` is never cached, so a new build is picked up on the next
visit. A path with no file and no file extension is a route of the app (`/items/123`): it gets
`index.html` (SPA fallback); a missing file with an extension is a 404.

The page's Content-Security-Policy allows only our own scripts and connections. Styles allow
'unsafe-inline' because Ant Design writes its CSS-in-JS into <style> elements at run time.
"""

from __future__ import annotations

import gzip
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path

__all__ = ["WEB_CSP", "WebAssets", "WebFile"]

log = logging.getLogger("gateway.web")

WEB_CSP = (
    b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    b"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    b"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_IMMUTABLE = b"public, max-age=31536000, immutable"
_SHORT = b"public, max-age=3600"
_NO_CACHE = b"no-cache"
_COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map", ".webmanifest", ".xml")
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class WebFile:
    """One file of the build, ready to send."""

    content_type: bytes
    cache_control: bytes
    body: bytes
    gzipped: bytes | None  # None when compressing does not pay


def _content_type(path: Path) -> bytes:
    guessed = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    return (guessed or "application/octet-stream").encode()


class WebAssets:
    """The built front end, by URL path."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.files: dict[str, WebFile] = {}
        root = directory.resolve()
        for f in sorted(root.rglob("*")):
            if not f.is_file() or f.is_symlink():
                continue
            rel = f.relative_to(root).as_posix()
            if rel.startswith(".") or "/." in rel:
                continue
            body = f.read_bytes()
            packed = gzip.compress(body, 9, mtime=0) if f.suffix.lower() in _COMPRESSIBLE else None
            if packed is not None and len(packed) >= len(body) * 0.9:
                packed = None
            if rel == "index.html":
                cache = _NO_CACHE
            elif rel.startswith("assets/"):
                cache = _IMMUTABLE
            else:
                cache = _SHORT
            self.files["/" + rel] = WebFile(_content_type(f), cache, body, packed)
        self.index = self.files.get("/index.html")
        log.info("web front end: %d files from %s", len(self.files), directory)

    @classmethod
    def load(cls, directory: Path | None) -> WebAssets | None:
        """The build in `directory`, or None when there is none (no index.html)."""
        if directory is None or not (directory / "index.html").is_file():
            return None
        return cls(directory)

    def find(self, path: str) -> WebFile | None:
        """The file for a request path: the file itself, else index.html for an app route."""
        if path == "/":
            return self.index
        hit = self.files.get(path)
        if hit is not None:
            return hit
        last = path.rsplit("/", 1)[-1]
        if "." in last:
            return None  # a file that is not there: 404, not the app
        return self.index
