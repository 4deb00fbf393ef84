"""identity-svc settings (env prefix IDENTITY_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from yiwang_shared.migrations import service_dir
from yiwang_shared.settings import ServiceSettings

#: identity-svc/ (its migrations, its OpenAPI snapshot), for the CLIs and the app alike.
SERVICE_DIR = service_dir("identity")


class Settings(ServiceSettings):
    """Settings for identity-svc; every field can be set as IDENTITY_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    service_name: str = "identity"
    port: int = 8001

    access_token_ttl_seconds: int = Field(
        default=900, ge=1, description="Lifetime of access tokens (and act-for tokens)."
    )
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600, ge=60, description="Lifetime of each refresh token."
    )

    # OWASP's m=19 MiB, t=2, p=1 (ADR 0009): ~20 ms of argon2 CPU per login, not ~180 ms for t=3,
    # 64 MiB, 4 lanes. Hashes made with other parameters still verify and are re-hashed with
    # these at the person's next successful login (identity.services.auth.login).
    argon2_time_cost: int = Field(default=2, ge=1, description="argon2id passes over the memory.")
    argon2_memory_cost_kib: int = Field(default=19456, ge=8, description="argon2id memory (KiB).")
    argon2_parallelism: int = Field(
        default=1, ge=1, description="argon2id lanes (threads per hash; 1 gives the most logins per core)."
    )

    # Wrong passwords are counted per login name and client (the address the gateway forwards),
    # never locking the account: see identity.services.auth.
    lockout_delay_after: int = Field(
        default=3,
        ge=1,
        description="Wrong passwords from one client for a login name after which its attempts must wait.",
    )
    lockout_base_delay_seconds: float = Field(
        default=2.0, gt=0, description="First forced wait; it doubles with each further failure."
    )
    lockout_max_delay_seconds: float = Field(
        default=900, gt=0, description="The longest forced wait between two attempts."
    )
    login_step_up_after: int = Field(
        default=10,
        ge=1,
        description="Wrong passwords for a login name from all clients after which it is under attack: a "
        "client that has failed waits from its first failure, and all failing clients share one "
        "growing wait (a client without failures still logs in).",
    )
    login_failure_memory_seconds: int = Field(
        default=24 * 3600,
        ge=60,
        description="Failures older than this (since the last one) are forgotten.",
    )

    key_rollover_delay_seconds: int = Field(
        default=3600,
        ge=0,
        description="A rotated-in key is published at once and signs only after this delay.",
    )
    key_cache_seconds: float = Field(
        default=10.0, ge=0, description="How long the signing-key choice is cached per process."
    )
    signing_key_pem_file: Path | None = Field(
        default=None, description="PEM file with the initial RSA signing key (e.g. a mounted Secret)."
    )
    signing_key_pem: SecretStr | None = Field(
        default=None, description="The initial RSA signing key as PEM text (alternative to the file)."
    )
    signing_key_passphrase: SecretStr | None = Field(
        default=None, description="When set, private keys are stored encrypted with it."
    )
    signing_key_bits: int = Field(default=2048, ge=2048, description="RSA size of generated keys.")

    enterprise_min_loa: int = Field(
        default=2, ge=2, le=5, description="Minimum LoA of a person registering an enterprise."
    )

    # A clerk serves one person every few minutes; hundreds of lookups a minute is harvesting.
    lookup_limit_per_minute: int = Field(
        default=30,
        ge=1,
        description="Person lookups (by resident ID or phone) one staff member may make per minute.",
    )
    lookup_limit_per_hour: int = Field(
        default=300, ge=1, description="Person lookups one staff member may make per hour."
    )
    contact_limit_per_minute: int = Field(
        default=60,
        ge=1,
        description="Clear contact reads (for SMS and call-backs) per staff member per minute.",
    )
    contact_limit_per_hour: int = Field(
        default=600, ge=1, description="Clear contact reads per staff member per hour."
    )

    # 免申即享: the daily birthday pass (identity.person.age_reached.v1) and the tickets its events carry.
    birthday_pass_seconds: float = Field(
        default=3600,
        ge=0,
        description="How often the birthday pass looks for days not passed yet (each day is passed "
        "once, the missed ones caught up); 0: no background pass (an administrator runs it).",
    )
    birthday_pass_delay_seconds: float = Field(
        default=60,
        ge=0,
        description="The background pass starts this long after the service does, so that on a fresh "
        "platform the other services' read models (the catalogue's items) are there before its events.",
    )
    birthday_catch_up_days: int = Field(
        default=31,
        ge=1,
        le=366,
        description="At most this many missed days are caught up (the latest ones); a birthday further "
        "back is a fact that is no longer news.",
    )
    contact_ticket_ttl_seconds: int = Field(
        default=7 * 24 * 3600,
        ge=60,
        description="How long the contact ticket in an age_reached event can be redeemed for the mobile.",
    )

    # ADR 0014: the keyed hash of a resident ID that lets licence-svc find a resident's licences.
    holder_key_secret: SecretStr | None = Field(
        default=None,
        description="The secret shared with licence-svc (LICENCE_HOLDER_KEY_SECRET): "
        "identity.user.registered.v1 carries resident_id_key = HMAC-SHA256(secret, resident ID), "
        "never the number. Unset: no key is published (logged once).",
    )
