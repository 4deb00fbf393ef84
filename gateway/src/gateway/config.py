"""Gateway settings: `GatewaySettings`, env prefix `GATEWAY_` (e.g. GATEWAY_INTAKE_URL)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from yiwang_shared.settings import REPO_ROOT, ServiceSettings

__all__ = ["SERVICES", "GatewaySettings", "Settings", "default_web_dir"]

#: The services behind the gateway, in the order they are listed.
SERVICES = ("identity", "catalog", "intake", "hotline", "evaluation", "licence")


class GatewaySettings(ServiceSettings):
    """Where the services are, and the gateway's limits."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    host: str = "127.0.0.1"
    port: int = 8000
    identity_url: str = "http://127.0.0.1:8001"
    catalog_url: str = "http://127.0.0.1:8002"
    intake_url: str = "http://127.0.0.1:8003"
    hotline_url: str = "http://127.0.0.1:8004"
    evaluation_url: str = "http://127.0.0.1:8005"
    licence_url: str = "http://127.0.0.1:8006"
    jwks_url: str = "http://127.0.0.1:8001/v1/auth/jwks"
    revocations_url: str = Field(
        default="",
        description="identity-svc's revocation list; empty: beside jwks_url (…/v1/auth/revocations).",
    )
    revocation_refresh_seconds: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="How often the revocation list is fetched (a logout stops its tokens within this).",
    )
    upstream_timeout_seconds: float = Field(default=10.0, gt=0)
    upstream_connect_timeout_seconds: float = Field(default=3.0, gt=0)
    upstream_pool_size: int = Field(default=512, ge=1, description="connections per service, per worker")
    rate_limit_per_second: float = Field(
        default=50.0, description="tokens per second per client; <= 0 disables"
    )
    rate_limit_burst: float = Field(default=100.0, ge=1)
    workers: int = Field(default=1, ge=1)
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)
    openapi_cache_seconds: float = Field(default=30.0, ge=0)
    token_cache_size: int = Field(default=10_000, ge=0)
    access_log: bool = Field(default=False, description="one INFO line per request (costs throughput)")
    trusted_proxies: str = Field(
        default="",
        description="comma-separated peer IPs (e.g. the ingress) whose X-Forwarded-* headers are trusted",
    )
    keep_alive_timeout_seconds: float = Field(default=75.0, gt=0)
    request_read_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="time for a request's line and headers to arrive; the body gets 1 s more per 16 KiB",
    )
    max_connections: int = Field(
        default=10_000, ge=1, description="open client connections per worker; more get 503 and close"
    )
    cors_origins: str = Field(
        default="",
        description="comma-separated origins (https://host[:port]) whose browsers may call the API; "
        "empty (the default) allows none — a front end served by the gateway needs none",
    )
    cors_max_age_seconds: int = Field(
        default=600, ge=0, le=86400, description="how long a preflight is cached"
    )
    docs_enabled: bool = True
    web_dir: str = Field(
        default="",
        description="The built web front end served at / (Vite's dist); empty: web/dist of the checkout "
        "when it has been built; 'none': serve no front end.",
    )
    fast_path: bool = Field(
        default=True, description="answer cached-token requests from callbacks (ADR 0002)"
    )

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, value: str) -> str:
        from .cors import parse_origins

        parse_origins(value)  # raises on anything but scheme://host[:port]
        return value

    def service_urls(self) -> dict[str, str]:
        """{service: base URL} for every service."""
        return {name: str(getattr(self, f"{name}_url")).rstrip("/") for name in SERVICES}

    def trusted_proxy_set(self) -> frozenset[str]:
        """The trusted proxy IPs."""
        return frozenset(p.strip() for p in self.trusted_proxies.split(",") if p.strip())


#: The name every service's config module uses (the repository checks look for `<pkg>.config.Settings`).
Settings = GatewaySettings


def default_web_dir(setting: str) -> Path | None:
    """Where the front end's build is, from the `web_dir` setting."""
    if setting.lower() == "none":
        return None
    return Path(setting) if setting else REPO_ROOT / "web" / "dist"
