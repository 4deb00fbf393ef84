"""Grants (法人授权): whether an agent may act for an enterprise on an item, asked of identity-svc
with the caller's own bearer token at submission (`check_grant`, in `clients.identity`); and the
grants identity revoked since (identity.grant.revoked.v1), which end an agent's access to the
enterprise's cases at once rather than when their token expires."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..clients.identity import check_grant
from ..models.applications import RevokedGrant
from ..repositories.grants import RevokedGrantRepository

__all__ = ["check_grant", "record_revoked"]


async def record_revoked(session: AsyncSession, data: dict[str, Any]) -> None:
    """Remember a revoked grant (a redelivery changes nothing)."""
    revoked = RevokedGrantRepository(session)
    if await revoked.find(data["grant_id"]) is not None:
        return
    revoked.add(
        RevokedGrant(
            grant_id=data["grant_id"],
            enterprise_id=data["enterprise_id"],
            grantee_id=data["grantee_id"],
            revoked_at=datetime.fromisoformat(str(data["revoked_at"])),
        )
    )
