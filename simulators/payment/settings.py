"""The payment simulator's settings (PAYMENT_SIM_*)."""

from __future__ import annotations

from dataclasses import dataclass

from ..common.settings import SimulatorSettings, env, env_bool, env_float

PREFIX = "PAYMENT_SIM_"
DEFAULT_PORT = 8091


@dataclass
class PaymentSettings(SimulatorSettings):
    """Plus: how notifications misbehave for every order, how long orders live, the region code."""

    duplicate_notify: bool = False
    reorder_notify: bool = False
    hold_seconds: float = 30.0
    order_ttl_seconds: float = 24 * 3600.0
    region_code: str = "110105"

    @classmethod
    def from_env(cls) -> PaymentSettings:
        """PAYMENT_SIM_* (see simulators/README.md)."""
        base = SimulatorSettings.load("payment-simulator", PREFIX, DEFAULT_PORT)
        return cls(
            **vars(base),
            duplicate_notify=env_bool(PREFIX, "DUPLICATE_NOTIFY"),
            reorder_notify=env_bool(PREFIX, "REORDER_NOTIFY"),
            hold_seconds=env_float(PREFIX, "HOLD_SECONDS", 30.0),
            order_ttl_seconds=env_float(PREFIX, "ORDER_TTL_SECONDS", 24 * 3600.0),
            region_code=env(PREFIX, "REGION_CODE", "110105"),
        )
