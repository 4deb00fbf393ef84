"""Moving a case through the state machine, and reading what hangs off it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.lifecycle import TransitionRefused

from .. import errors
from ..lifecycles import APPLICATION, ApplicationAction, ApplicationStatus
from ..models.applications import Application
from ..repositories.applications import ApplicationRepository
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


async def with_children(session: AsyncSession, application: Application, *collections: str) -> Application:
    """The case with its `collections` (notices, steps, pauses, materials; all by default) in
    memory: as loaded with it (a step loads them with the locked row), else read now in one
    statement."""
    await ApplicationRepository(session).load_children(application, *collections)
    return application


async def provided_materials(session: AsyncSession, application: Application) -> list[ProvidedMaterial]:
    """What the applicant has handed in so far; a later round replaces a material by name."""
    await with_children(session, application, "materials")
    latest: dict[str, ProvidedMaterial] = {}
    for m in sorted(application.materials, key=lambda m: (m.round, m.created_at)):
        latest[m.name] = ProvidedMaterial(
            name=m.name,
            provided_as=m.provided_as,
            media=tuple(m.media),
            originals=m.originals,
            copies=m.copies,
            file_ok=m.provided_as != "upload" or m.file_id is not None,
            licence_no=m.licence_no,
            licence_verified=m.provided_as == "e_licence" and m.licence_status == "valid",
        )
    return list(latest.values())


def materials_in_memory(application: Application) -> bool:
    """Were the case's materials read with it (no statement to show them)?"""
    return ApplicationRepository.has_loaded(application, "materials")


async def materials_after_round(session: AsyncSession, application: Application, round_no: int) -> set[str]:
    """The names of the materials handed in after round `round_no`."""
    await with_children(session, application, "materials")
    return {m.name for m in application.materials if m.round > round_no}


async def current_problems(session: AsyncSession, application: Application) -> list[Problem]:
    """The completeness and format problems of the case as it stands (a material the signed
    commitment stands in for is not asked for: 告知承诺)."""
    if from_offer(application):
        return []  # 免申即享: the government offered it on its own data; nothing is asked of the person
    version = await version_of(session, application)
    replaced = set((application.commitment or {}).get("replaces") or [])
    wanted = (
        [m for m in version.materials if m.get("name") not in replaced] if replaced else version.materials
    )
    return check(wanted, list(application.conditions), await provided_materials(session, application))


#: The form key of a case opened from a 免申即享 offer; only the system writes it (submission
#: refuses it from a client).
OFFER_KEY = "proactive_offer"


def from_offer(application: Application) -> bool:
    """Was the case opened by confirming a 免申即享 offer (its materials waived)?"""
    return isinstance((application.form or {}).get(OFFER_KEY), dict)


def decided_at_once(application: Application) -> bool:
    """Is the case decided at acceptance: a 即办件, or one applied for on commitment (告知承诺)?"""
    return application.handling_type == "1" or application.commitment is not None
