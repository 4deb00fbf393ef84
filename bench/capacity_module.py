"""What the benches that drive whole flows share (bench/events, bench/floor): bench/capacity/run.py
loaded as a module, for its flows, login and demo-data wait, and the platform's environment for a
measuring run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

PATH = Path(__file__).resolve().parent / "capacity" / "run.py"


def load_capacity() -> ModuleType:
    """bench/capacity/run.py as the module `bench_capacity_run` (loaded once per process)."""
    loaded = sys.modules.get("bench_capacity_run")
    if loaded is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("bench_capacity_run", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def measuring_env(var_dir: Path, prefixes: list[str]) -> dict[str, str]:
    """A platform's environment for a measuring run (`prefixes`: every service's env prefix): the
    gateway's rate limit and cheap argon2 out of the way, one clerk's contact budget unbounded,
    logs at WARNING."""
    return {
        "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
        "GATEWAY_RATE_LIMIT_BURST": "100000",
        "IDENTITY_ARGON2_TIME_COST": "1",
        "IDENTITY_ARGON2_MEMORY_COST_KIB": "8192",
        "INTAKE_STORAGE_DIR": str(var_dir / "files"),
        # One clerk files every application: the per-clerk contact budget must not throttle.
        "IDENTITY_CONTACT_LIMIT_PER_MINUTE": "1000000",
        "IDENTITY_CONTACT_LIMIT_PER_HOUR": "1000000",
        **{f"{prefix}LOG_LEVEL": "WARNING" for prefix in prefixes},
        "GATEWAY_LOG_LEVEL": "WARNING",
    }
