"""Settings base: every service subclasses ServiceSettings with its own env prefix."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The repository root when running from a checkout; `var/` lives beside the services.
REPO_ROOT = Path(__file__).resolve().parents[3]


def default_var_dir() -> Path:
    """Where embedded SQLite files, NATS data and uploads go by default.

    `YIWANG_VAR_DIR` when set (the images: /app/var); else `var/` of the checkout this code runs
    from; else (an installed package, no checkout around it) `var/` in the working directory.
    """
    if configured := os.environ.get("YIWANG_VAR_DIR"):
        return Path(configured)
    if (REPO_ROOT / "shared" / "pyproject.toml").is_file():
        return REPO_ROOT / "var"
    return Path.cwd() / "var"


class ServiceSettings(BaseSettings):
    """Settings every service has. Subclasses set `model_config` with their env prefix."""

    model_config = SettingsConfigDict(env_prefix="YIWANG_", extra="ignore")

    service_name: str = "service"
    database_url: str = Field(
        default="",
        description="SQLAlchemy async URL; empty means SQLite at var/<service>.db",
    )
    nats_url: str = "nats://127.0.0.1:4222"
    nats_enabled: bool = True
    nats_stream_replicas: int = Field(
        default=1,
        ge=1,
        le=5,
        description="Replicas of the JetStream stream this service creates (3 on a 3-node cluster).",
    )
    jwks_url: str = "http://127.0.0.1:8001/v1/auth/jwks"
    revocations_url: str = Field(
        default="",
        description="identity-svc's list of revoked sessions and accounts; empty: beside jwks_url "
        "(…/v1/auth/revocations).",
    )
    revocation_refresh_seconds: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="How often the revocation list is fetched: a logout or a disabled account stops "
        "its access tokens here within about this long.",
    )
    token_issuer: str = "yiwang-identity"
    token_audience: str = "yiwang"
    token_leeway_seconds: float = Field(
        default=5, ge=0, le=300, description="Clock skew allowed when checking exp/nbf."
    )
    migrate_on_start: bool = True
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True
    otel_exporter: Literal["none", "otlp", "console"] = Field(
        default="none",
        description="Where trace spans go: none (off, no SDK loaded), otlp (OTLP/HTTP) or console.",
    )
    otel_endpoint: str = Field(
        default="",
        description="OTLP/HTTP traces URL (e.g. http://collector:4318/v1/traces); empty: the "
        "standard OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT, else localhost.",
    )
    metrics_refresh_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often gauges read from the database or NATS (outbox, consumer lag) refresh.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        pattern=r"^https?://[^/?#@\s]+$",
        description="Scheme and host clients reach the platform at (the gateway's public address), "
        "for the absolute URLs a service hands out (Open311 discovery); never taken from a request.",
    )
    max_body_bytes: int = 10 * 1024 * 1024
    outbox_poll_seconds: float = 1.0
    request_timeout_seconds: float = 5.0

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to an SQLite file under var/."""
        if self.database_url:
            return self.database_url
        path = default_var_dir() / f"{self.service_name}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{path}"
