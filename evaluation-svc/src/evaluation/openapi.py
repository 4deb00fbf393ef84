"""The committed OpenAPI snapshot (`evaluation-svc/openapi.json`): `python -m evaluation.openapi`
rewrites it; a test checks it is current, so API changes show up in review."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .config import Settings
from .main import SERVICE_DIR, create_app

SNAPSHOT = SERVICE_DIR / "openapi.json"


def render() -> str:
    """The OpenAPI document as committed (stable key order, UTF-8)."""
    app = create_app(Settings(nats_enabled=False, database_url="sqlite+aiosqlite://"))
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(path: Path = SNAPSHOT) -> Path:
    """Rewrite the snapshot."""
    path.write_text(render(), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.stdout.write(f"wrote {write()}\n")
