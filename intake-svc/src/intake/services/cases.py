"""Moving a case through the state machine, and reading what hangs off it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import errors
from ..catalogue import CatalogueEntry, find_version
from ..models.applications import Application, ApplicationMaterial
from ..states import ApplicationAction, next_status
from .completeness import Problem, ProvidedMaterial, check
from .context import Ctx


def advance(ctx: Ctx, app: Application, action: ApplicationAction) -> str:
    """Apply `action` to the case's state; 409 naming the state and what is allowed otherwise."""
    target = next_status(app.status, action)
    if target is None:
        raise errors.invalid_transition(app.status, action)
    app.status = target
    app.updated_at = ctx.now
    return target


async def version_of(session: AsyncSession, app: Application) -> CatalogueEntry:
    """The catalogue version the case was opened under."""
    entry = await find_version(session, app.item_code, app.version_no)
    if entry is None:  # the read model always keeps versions a case refers to
        raise RuntimeError(f"catalogue version {app.item_code} v{app.version_no} is missing")
    return entry


async def provided_materials(session: AsyncSession, app: Application) -> list[ProvidedMaterial]:
    """What the applicant has handed in so far; a later round replaces a material by name."""
    rows = await session.execute(
        select(ApplicationMaterial)
        .where(ApplicationMaterial.application_id == app.id)
        .order_by(ApplicationMaterial.round, ApplicationMaterial.created_at)
    )
    latest: dict[str, ProvidedMaterial] = {}
    for m in rows.scalars():
        latest[m.name] = ProvidedMaterial(
            name=m.name,
            provided_as=m.provided_as,
            media=tuple(m.media),
            originals=m.originals,
            copies=m.copies,
            file_ok=m.provided_as != "upload" or m.file_id is not None,
            licence_no=m.licence_no,
        )
    return list(latest.values())


async def current_problems(session: AsyncSession, app: Application) -> list[Problem]:
    """The completeness and format problems of the case as it stands."""
    version = await version_of(session, app)
    return check(version.materials, list(app.conditions), await provided_materials(session, app))
