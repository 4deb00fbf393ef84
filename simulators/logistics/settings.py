"""The logistics simulator's settings (LOGISTICS_SIM_*)."""

from __future__ import annotations

from dataclasses import dataclass

from ..common.settings import SimulatorSettings, env_float

PREFIX = "LOGISTICS_SIM_"
DEFAULT_PORT = 8092


@dataclass
class LogisticsSettings(SimulatorSettings):
    """Plus: seconds between a waybill's tracking events (`make run` sets a fast pace)."""

    step_seconds: float = 600.0

    @classmethod
    def from_env(cls) -> LogisticsSettings:
        """LOGISTICS_SIM_* (see simulators/README.md)."""
        base = SimulatorSettings.load("logistics-simulator", PREFIX, DEFAULT_PORT)
        return cls(**vars(base), step_seconds=env_float(PREFIX, "STEP_SECONDS", 600.0))
