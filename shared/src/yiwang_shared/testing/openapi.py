"""Each service's committed OpenAPI snapshot (`<svc>-svc/openapi.json`): render, check, rewrite.

`python -m yiwang_shared.testing.openapi <svc>-svc …` (from the repository's root) rewrites the
snapshots after an intended API change; a service's `tests/test_openapi.py` calls
`assert_snapshot_current`, so an API change shows up in review. The service is found by name
(`<package>.main.create_app`, `<package>.config.Settings`): shared's code imports no service.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path


def render(package: str) -> str:
    """The service's OpenAPI document as committed (stable key order, UTF-8)."""
    main = importlib.import_module(f"{package}.main")
    config = importlib.import_module(f"{package}.config")
    app = main.create_app(config.Settings(nats_enabled=False, database_url="sqlite+aiosqlite://"))
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def snapshot_of(service_dir: Path) -> tuple[str, Path]:
    """The package name and the snapshot's path of the service in `service_dir` (`<svc>-svc`)."""
    return service_dir.resolve().name.removesuffix("-svc"), service_dir / "openapi.json"


def assert_snapshot_current(service_dir: Path) -> None:
    """Fail with what to run when the committed snapshot differs from the service's document."""
    package, path = snapshot_of(service_dir)
    committed = path.read_text(encoding="utf-8") if path.exists() else ""
    assert committed == render(package), (
        f"{service_dir.resolve().name}/openapi.json is not current: run"
        f" `python -m yiwang_shared.testing.openapi {service_dir.resolve().name}` and review the difference"
    )


def write(service_dir: Path) -> Path:
    """Rewrite the service's snapshot."""
    package, path = snapshot_of(service_dir)
    path.write_text(render(package), encoding="utf-8")
    return path


if __name__ == "__main__":
    for folder in sys.argv[1:]:
        sys.stdout.write(f"wrote {write(Path(folder))}\n")
