"""licence-svc settings (env prefix LICENCE_)."""

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from yiwang_shared.migrations import service_dir
from yiwang_shared.settings import ServiceSettings

#: The service's folder (alembic.ini, migrations/, openapi.json, events/).
SERVICE_DIR = service_dir("licence")


class Settings(ServiceSettings):
    """Settings for licence-svc."""

    model_config = SettingsConfigDict(env_prefix="LICENCE_", extra="ignore")

    service_name: str = "licence"
    port: int = 8006
    intake_url: str = Field(
        default="http://127.0.0.1:8003",
        description="intake-svc's base URL: a staff member's use of a licence names an application, "
        "which intake confirms (with the staff member's own token).",
    )
    identity_url: str = Field(
        default="",
        description="identity-svc's base URL: a citizen's resident ID is read from their own account "
        "(GET /v1/me) once, to find the licences issued to that ID; empty: the origin of jwks_url.",
    )
    signing_key_pem_file: Path | None = Field(
        default=None,
        description="PEM file with the Ed25519 key that signs renderings (e.g. a mounted Secret); "
        "without it (and without signing_key_pem) a key is generated once and kept in the database.",
    )
    signing_key_pem: SecretStr | None = Field(
        default=None, description="The Ed25519 signing key as PEM text (alternative to the file)."
    )
    holder_key_secret: SecretStr | None = Field(
        default=None,
        description="The secret shared with identity-svc (IDENTITY_HOLDER_KEY_SECRET, ADR 0014): a "
        "person's registered event carries HMAC-SHA256(secret, resident ID), and each licence issued "
        "to a resident ID keeps the same key, so staff find a resident's licences for their case "
        "before the resident has opened the library. Unset: only account ids and confirmed bindings "
        "match (logged once at start).",
    )
    expiry_scan_seconds: float = Field(
        default=300.0, gt=0, description="How often the pass that expires licences past their date runs."
    )
    verify_rate_per_minute: int = Field(
        default=30,
        ge=1,
        le=10_000,
        description="Public verifications (by number, or by share code) one client may make a minute; "
        "more is a 429.",
    )
    share_default_hours: int = Field(
        default=24, ge=1, le=24 * 90, description="How long a share code lasts when the holder names no time."
    )
    share_max_hours: int = Field(
        default=24 * 30, ge=1, le=24 * 365, description="The longest a holder may make a share code last."
    )

    def resolved_identity_url(self) -> str:
        """identity-svc's base URL: as set, else where the token keys come from."""
        if self.identity_url:
            return self.identity_url.rstrip("/")
        parts = urlsplit(self.jwks_url)
        return f"{parts.scheme}://{parts.netloc}"
