"""Moving a case through the state machine, and reading what hangs off it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.lifecycle import TransitionRefused

from .. import errors
from ..lifecycles import APPLICATION, ApplicationAction, ApplicationStatus
from ..models.applications import Application
from ..repositories.materials import MaterialRepository
from .catalogue import CatalogueEntry, find_version
from .completeness import Problem, ProvidedMaterial, check


def allowed_target(application: Application, action: ApplicationAction) -> ApplicationStatus:
    """Where `action` leads the case; 409 naming the state and what is allowed when it may not."""
    try:
        return APPLICATION.target(application.status, action)
    except TransitionRefused:
        raise errors.invalid_transition(application.status, action) from None


def advance(application: Application, action: ApplicationAction, *, now: datetime) -> str:
    """Apply `action` to the case's state; 409 naming the state and what is allowed otherwise."""
    target = allowed_target(application, action)
    application.status = target
    application.updated_at = now
    return target


async def version_of(session: AsyncSession, application: Application) -> CatalogueEntry:
    """The catalogue version the case was opened under."""
    entry = await find_version(session, application.item_code, application.version_no)
    if entry is None:  # the read model always keeps versions a case refers to
        raise RuntimeError(f"catalogue version {application.item_code} v{application.version_no} is missing")
    return entry


async def provided_materials(session: AsyncSession, application: Application) -> list[ProvidedMaterial]:
    """What the applicant has handed in so far; a later round replaces a material by name."""
    latest: dict[str, ProvidedMaterial] = {}
    for m in await MaterialRepository(session).of_application(application.id):
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


async def current_problems(session: AsyncSession, application: Application) -> list[Problem]:
    """The completeness and format problems of the case as it stands."""
    version = await version_of(session, application)
    return check(
        version.materials, list(application.conditions), await provided_materials(session, application)
    )
