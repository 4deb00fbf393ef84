"""Swagger UI at /docs for the merged document, from a vendored copy when available.

The assets come from the `fastapi-offline` package (MIT; swagger-ui 5.x, which renders OpenAPI
3.1 — the `swagger-ui-bundle` package ships 4.x, which does not). Without it, the page falls back
to the jsDelivr CDN like FastAPI's default.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["DocsAssets"]

_CDN = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5"
_TYPES = {
    ".js": b"application/javascript; charset=utf-8",
    ".css": b"text/css; charset=utf-8",
    ".png": b"image/png",
}


def _static_dir() -> Path | None:
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "static"
    return path if (path / "swagger-ui-bundle.js").exists() else None


class DocsAssets:
    """The /docs page and its static files (read once, kept in memory)."""

    FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png")

    def __init__(self, openapi_url: str = "/api/openapi.json") -> None:
        self.static: dict[str, tuple[bytes, bytes]] = {}
        directory = _static_dir()
        if directory is not None:
            for name in self.FILES:
                f = directory / name
                if f.exists():
                    self.static[name] = (_TYPES[f.suffix], f.read_bytes())
        base = "/docs/static" if "swagger-ui-bundle.js" in self.static else _CDN
        favicon = (
            "/docs/static/favicon.png"
            if "favicon.png" in self.static
            else "https://fastapi.tiangolo.com/img/favicon.png"
        )
        self.vendored = base != _CDN
        self.page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>yiwang API</title>
<link rel="icon" href="{favicon}">
<link rel="stylesheet" href="{base}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{base}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "{openapi_url}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout"
}});
</script>
</body>
</html>
""".encode()
