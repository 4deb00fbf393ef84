"""identity-svc application."""

from __future__ import annotations

from fastapi import FastAPI

from yiwang_shared.app import ServiceSpec, create_service_app
from yiwang_shared.auth import KeySource
from yiwang_shared.revocation import CallableRevocationSource, RevocationSource

from .api import routers
from .config import SERVICE_DIR, Settings
from .services.birthdays import birthday_task
from .services.keys import KeyStore
from .services.passwords import Passwords
from .services.revocation import RevocationCache
from .services.tokens import TokenIssuer

__all__ = ["SERVICE_DIR", "create_app"]

TAGS = [
    {"name": "auth", "description": "Login, refresh, logout, act-for tokens, JWKS, key rotation."},
    {"name": "accounts", "description": "Persons (自然人), staff (工作人员), the current account."},
    {"name": "org-units", "description": "Organisation units (组织机构)."},
    {"name": "enterprises", "description": "Legal persons (法人) and granting authority for them."},
    {"name": "grants", "description": "Legal-person multi-level authorisation (法人多级授权)."},
    {"name": "calendar", "description": "The working-day calendar (工作日历): holidays, imports, counts."},
    {
        "name": "birthdays",
        "description": "The birthday pass behind 免申即享 (proactive service) and the contact tickets of its "
        "events.",
    },
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build identity-svc: it signs tokens with keys from its own database and verifies its own
    tokens against the same key store and its own revocation list (not over HTTP)."""
    settings = settings or Settings()
    keys = KeyStore(settings)

    def key_source(app: FastAPI) -> KeySource:
        """Bind the key store to the app's database; the verifier's key source."""
        return keys.key_source(app.state.db)

    revocation_cache = RevocationCache(settings)

    def revocation_source(app: FastAPI) -> RevocationSource:
        """identity's own verifier reads the revocation list from its database, not over HTTP."""
        return CallableRevocationSource(lambda: revocation_cache.get(app.state.db))

    async def ensure_signing_key(_: FastAPI) -> None:
        """On start-up, make sure a signing key exists."""
        await keys.ensure_initial_key()

    async def start_birthday_pass(app: FastAPI) -> None:
        """The daily birthday pass (免申即享), in the background unless switched off."""
        app.state.birthday_task = birthday_task(app.state.db, settings)
        app.state.birthday_task.start()

    async def stop_birthday_pass(app: FastAPI) -> None:
        task = getattr(app.state, "birthday_task", None)
        if task is not None:
            await task.stop()

    app = create_service_app(
        ServiceSpec(
            name="identity",
            title="identity-svc",
            description="Unified identity (统一身份认证): accounts, organisation units, tokens and "
            "JWKS, legal-person authorisation.",
            service_dir=SERVICE_DIR,
            routers=routers,
            key_source=key_source,
            revocation_source=revocation_source,
            startup=[ensure_signing_key, start_birthday_pass],
            shutdown=[stop_birthday_pass],
            tags=TAGS,
        ),
        settings,
    )
    app.state.keys = keys
    app.state.revocation_cache = revocation_cache
    app.state.passwords = Passwords.from_settings(settings)
    app.state.issuer = TokenIssuer(settings, keys)
    return app
