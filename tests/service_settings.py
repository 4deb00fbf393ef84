"""Each service's Settings class, read by the repository checks (tests/compose, tests/deploy)."""

from __future__ import annotations

import importlib
import sys
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@cache
def settings_class(service: str) -> Any:
    """`<svc>.config.Settings`, importing from `<svc>-svc/src` (or `gateway/src`) if not installed."""
    try:
        module = importlib.import_module(f"{service}.config")
    except ModuleNotFoundError as exc:
        if exc.name not in (service, f"{service}.config"):
            raise
        folder = ROOT / ("gateway" if service == "gateway" else f"{service}-svc")
        sys.path.insert(0, str(folder / "src"))
        module = importlib.import_module(f"{service}.config")
    return module.Settings


def env_prefix(service: str) -> str:
    """The service's environment-variable prefix, e.g. `INTAKE_`."""
    return str(settings_class(service).model_config["env_prefix"])


def default_port(service: str) -> int:
    """The port the service listens on by default."""
    return int(settings_class(service).model_fields["port"].default)
