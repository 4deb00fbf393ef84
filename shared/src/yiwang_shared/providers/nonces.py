"""A NonceStore in the service's own database, for replicas behind one notify URL: a nonce one
replica has seen is refused by every other.

The service's migration creates the table (`create_provider_nonces_v1(op)`), and its migrations'
env and schema checks list `provider_nonce_metadata` beside its other metadata, as with
`read_model_metadata`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..db import Database

__all__ = [
    "DatabaseNonceStore",
    "create_provider_nonces_v1",
    "drop_provider_nonces_v1",
    "provider_nonce_metadata",
    "provider_nonces",
]

provider_nonce_metadata = sa.MetaData()

provider_nonces = sa.Table(
    "provider_nonces",
    provider_nonce_metadata,
    sa.Column("merchant_id", sa.String(64), primary_key=True),
    sa.Column("nonce", sa.String(64), primary_key=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_provider_nonces_expires_at", "expires_at"),
)
"""Nonces of providers' callbacks seen, until they can no longer pass the time window (随机串防重放)."""


def create_provider_nonces_v1(op: Any) -> None:
    """Create the provider_nonces table (version 1). Never change: add a v2 instead."""
    op.create_table(
        "provider_nonces",
        sa.Column("merchant_id", sa.String(64), primary_key=True),
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_provider_nonces_expires_at", "provider_nonces", ["expires_at"])


def drop_provider_nonces_v1(op: Any) -> None:
    """Drop what create_provider_nonces_v1 made."""
    op.drop_index("ix_provider_nonces_expires_at", table_name="provider_nonces")
    op.drop_table("provider_nonces")


class DatabaseNonceStore:
    """Remembers nonces in the provider_nonces table (each in a short transaction of its own)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def remember(self, merchant_id: str, nonce: str, *, expires_at: float) -> bool:
        """Record the nonce; True if it was new, False if a live one was there (expired ones go)."""
        now = datetime.now(UTC)
        try:
            async with self._db.transaction() as session:
                await session.execute(sa.delete(provider_nonces).where(provider_nonces.c.expires_at < now))
                await session.execute(
                    sa.insert(provider_nonces).values(
                        merchant_id=merchant_id,
                        nonce=nonce,
                        expires_at=datetime.fromtimestamp(expires_at, UTC),
                    )
                )
        except IntegrityError:
            return False
        return True
