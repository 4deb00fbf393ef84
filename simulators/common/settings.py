"""A simulator's settings, from environment variables with its prefix (PAYMENT_SIM_, LOGISTICS_SIM_)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Used when no merchants are configured: fine on a laptop, said loudly at start.
DEV_MERCHANT = ("yiwang-dev", "dev-secret-not-for-production")


def env(prefix: str, name: str, default: str) -> str:
    """The variable <prefix><name>, or the default."""
    return os.environ.get(prefix + name, default)


def env_float(prefix: str, name: str, default: float) -> float:
    """A number from the environment."""
    return float(env(prefix, name, str(default)))


def env_bool(prefix: str, name: str) -> bool:
    """true/1/yes from the environment (default false)."""
    return env(prefix, name, "").strip().lower() in ("1", "true", "yes", "on")


def merchants_from(value: str) -> dict[str, str]:
    """`id:secret,id2:secret2` as a mapping (a secret may contain colons, never commas)."""
    merchants: dict[str, str] = {}
    for item in value.split(","):
        if item.strip():
            merchant_id, sep, secret = item.strip().partition(":")
            if not sep or not merchant_id or not secret:
                raise ValueError(f"merchant {item!r} is not id:secret")
            merchants[merchant_id] = secret
    return merchants


@dataclass
class SimulatorSettings:
    """What both simulators read: where to listen and store, who may call, how callbacks go."""

    name: str
    host: str = "127.0.0.1"
    port: int = 0
    db_path: Path = REPO / "var" / "simulator.db"
    public_url: str = ""
    merchants: dict[str, str] = field(default_factory=dict)
    window_seconds: float = 300.0
    retry_base_seconds: float = 2.0
    retry_max_seconds: float = 300.0
    max_attempts: int = 15
    poll_seconds: float = 0.2

    @classmethod
    def load(cls, name: str, prefix: str, default_port: int) -> SimulatorSettings:
        """From <prefix>HOST, PORT, DB, PUBLIC_URL, MERCHANTS, WINDOW_SECONDS, RETRY_*_SECONDS,
        MAX_ATTEMPTS; var/ is YIWANG_VAR_DIR when set."""
        var = Path(os.environ.get("YIWANG_VAR_DIR") or REPO / "var")
        host = env(prefix, "HOST", "127.0.0.1")
        port = int(env(prefix, "PORT", str(default_port)))
        merchants = merchants_from(env(prefix, "MERCHANTS", ""))
        if not merchants:
            print(
                f"{name}: no {prefix}MERCHANTS set; accepting the development merchant "
                f"{DEV_MERCHANT[0]!r} with its well-known secret",
                file=sys.stderr,
            )
            merchants = dict([DEV_MERCHANT])
        return cls(
            name=name,
            host=host,
            port=port,
            db_path=Path(env(prefix, "DB", str(var / f"{name}.db"))),
            public_url=env(prefix, "PUBLIC_URL", f"http://{host}:{port}").rstrip("/"),
            merchants=merchants,
            window_seconds=env_float(prefix, "WINDOW_SECONDS", 300.0),
            retry_base_seconds=env_float(prefix, "RETRY_BASE_SECONDS", 2.0),
            retry_max_seconds=env_float(prefix, "RETRY_MAX_SECONDS", 300.0),
            max_attempts=int(env(prefix, "MAX_ATTEMPTS", "15")),
        )
