"""The organisation-unit read model (kept from identity-svc's events)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared import org_read_model

from ..models import OrgUnit


async def upsert_org_unit(session: AsyncSession, data: dict[str, Any]) -> OrgUnit:
    """Create or update the read-model row of an org unit (an older event never wins)."""
    return await org_read_model.upsert_org_unit(session, OrgUnit, data)
