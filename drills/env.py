"""What the drill runner hands every drill: a started platform on one database backend."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "tools") not in sys.path:
    sys.path.insert(0, str(REPO / "tools"))

from devstack import Platform  # noqa: E402


@dataclass
class DrillEnv:
    """A running platform (every service and the gateway as real processes, demo data loaded).

    `platform.var_dir / "logs"` holds every process's log file (drill 12 scans them).
    `nats` is the platform's own restartable nats-server (yiwang_shared.testing.nats.NatsServer).
    Drills that break things (kill a process, stop NATS) must leave the platform running and healthy
    again when they return.
    """

    backend: str  # "sqlite" or "postgres"
    platform: Platform
    nats: object  # yiwang_shared.testing.nats.NatsServer
    quick: bool = False  # bounded sizes for CI (`make drills`); full sizes with --full
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        """Base URL of the gateway."""
        return self.platform.gateway_url
