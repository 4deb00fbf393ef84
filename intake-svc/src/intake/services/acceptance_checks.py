"""Who may decide a case's acceptance (受理、一次性告知、不予受理): the one place these checks live.

Accepting, issuing the one-time notice and refusing to accept are one decision about the same
application, so one rule says who may take it: a staff member with an accepting role whose unit
may accept the item — the deciding unit, a comprehensive window of a centre at or above the
item's level (一窗受理), or a unit entrusted under a valid agreement (委托受理协议). Rules that
narrow it further (what a community station may accept) belong here too, so the actions and the
`allowed_actions` a caller is offered never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..models.applications import Application
from . import access, stations
from .cases import version_of
from .entrustment import acceptance_basis

ACCEPTING_ROLES = ("window_clerk", "approver", "admin")


@dataclass(frozen=True)
class AcceptanceBasis:
    """On what footing the caller decides acceptance: their unit, and the agreement if entrusted."""

    unit_code: str | None
    entrustment_id: str | None


async def check_acceptance(
    session: AsyncSession, application: Application, deed: errors.Deed, actor: Principal, *, now: datetime
) -> AcceptanceBasis:
    """The caller's footing for deciding `application`'s acceptance; 403 when their role or unit may not."""
    access.require_role(actor, deed, ACCEPTING_ROLES)
    await stations.check_station_may_accept(session, application, actor)
    version = await version_of(session, application)
    unit, entrustment_id = await acceptance_basis(
        session, application, actor, item_level=version.elements.get("level"), now=now
    )
    return AcceptanceBasis(unit, entrustment_id)
