"""Who a reminder or an escalation names: a person from the staff read model, not only a role.

- 催办 goes to the person handling the case: under review, the deciding-unit staff member who
  recorded its latest step (else whoever accepted it there); accepted and not yet handed over, the
  one who accepted it. When that person is unknown or disabled, every active approver and handler
  of the responsible unit is named instead.
- 督办 level 1 goes to the supervisors of the deciding unit, or of the nearest unit above it that
  has one; with none anywhere, to the district supervision office's (`fallback`).
- 督办 level 2 goes to the supervisors of the district supervision office.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Application, DecisionStep
from ..models.escalation import StaffMember
from ..repositories.escalations import EscalationRepository
from .access import SYSTEM_ACTOR, unit_covers
from .escalation_settings import EscalationSettings
from .escalation_staff import active_in_unit, find_staff, is_active
from .orgs import unit_chain


@dataclass(frozen=True)
class Person:
    """One staff member named."""

    staff_id: str
    name: str | None
    org_unit_code: str | None
    role: str  # handler | supervisor


@dataclass(frozen=True)
class Named:
    """The unit responsible and the people named in it."""

    unit_code: str
    people: list[Person] = field(default_factory=list)
    fallback: bool = False


def _person(staff: StaffMember, role: str) -> Person:
    return Person(staff.id, staff.name, staff.org_unit_code, role)


async def _last_step_actor(session: AsyncSession, app: Application) -> DecisionStep | None:
    steps = await EscalationRepository(session).steps_by_people(app.id, not_by=SYSTEM_ACTOR)
    return next((s for s in steps if unit_covers(app.owner_unit_code, s.actor_unit_code)), None)


async def handlers(session: AsyncSession, app: Application) -> Named:
    """The person handling the case now, else the responsible unit's approvers and handlers."""
    candidates: list[tuple[str | None, str | None]]
    if app.status == "accepted":
        unit = app.accepting_unit_code or app.owner_unit_code
        roles: tuple[str, ...] = ("window_clerk", "approver", "handler")
        # Whoever accepted it hands it over (接件转交); the case records their unit.
        candidates = [(app.accepted_by, unit)]
    else:
        unit = app.owner_unit_code
        roles = ("approver", "handler")
        step = await _last_step_actor(session, app)
        candidates = [(step.actor, step.actor_unit_code)] if step else []
        if app.accepting_unit_code and unit_covers(unit, app.accepting_unit_code):
            candidates.append((app.accepted_by, app.accepting_unit_code))
    for staff_id, known_unit in candidates:
        if not staff_id or staff_id == SYSTEM_ACTOR:
            continue
        staff = await find_staff(session, staff_id)
        if is_active(staff) and unit_covers(unit, staff.org_unit_code if staff else None):
            assert staff is not None
            return Named(unit, [_person(staff, "handler")])
        if staff is None:
            # identity has not told us about them yet: the case itself says where they work.
            return Named(unit, [Person(staff_id, None, known_unit, "handler")])
    return Named(unit, [_person(s, "handler") for s in await active_in_unit(session, unit, roles)])


async def unit_supervisors(session: AsyncSession, app: Application, settings: EscalationSettings) -> Named:
    """The supervisors of the deciding unit or the nearest unit above it; else the district office's."""
    codes = [u.code for u in await unit_chain(session, app.owner_unit_code)] or [app.owner_unit_code]
    for code in codes:
        people = await active_in_unit(session, code, ("supervisor",))
        if people:
            return Named(code, [_person(s, "supervisor") for s in people])
    office = await district_office(session, settings)
    return Named(office.unit_code, office.people, fallback=True)


async def district_office(session: AsyncSession, settings: EscalationSettings) -> Named:
    """The supervisors of the district supervision office."""
    code = settings.supervision_office_unit
    return Named(
        code, [_person(s, "supervisor") for s in await active_in_unit(session, code, ("supervisor",))]
    )
