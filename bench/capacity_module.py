"""bench/capacity/run.py loaded as a module, for the benches that drive its flows and reuse its
login and demo-data wait (bench/events, bench/floor) rather than copy them."""

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
