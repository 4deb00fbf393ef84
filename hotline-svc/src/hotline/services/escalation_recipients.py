"""Whom a rule's target names on a ticket: people from the staff read model, not only a role.

- handler: while the ticket waits for (re-)dispatch (registered, returned), the dispatchers of the
  coordination unit; otherwise the person handling it — the one who recorded this round's first
  contact, else the lead unit's staff member who acted on it last — and when that person is
  unknown or disabled, every active handler of the lead unit;
- unit_supervisor: the supervisors of the lead unit, or of the nearest unit above it that has
  one; with none anywhere, the district office's (`fallback`);
- district_office: the supervisors of the coordination unit (区政务服务管理局);
- unit: the supervisors of the unit the rule names (else the district office's, `fallback`);
- staff: the person the rule names (disabled since: the district office's, `fallback`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from ..models import EscalationRule, StaffMember, Ticket
from ..repositories.tickets import TicketRepository
from .escalation_staff import active_in_unit, find_staff, is_active
from .orgs import ancestry

SYSTEM = "system"
#: Ticket states in which the dispatch desk, not a unit, has the next step.
AWAITING_DISPATCH = ("registered", "returned")


@dataclass(frozen=True)
class Person:
    """One staff member named."""

    staff_id: str
    name: str | None
    org_unit_code: str | None
    role: str  # handler | dispatcher | supervisor | staff


@dataclass(frozen=True)
class Named:
    """The unit responsible and the people named in it."""

    unit_code: str | None
    people: list[Person] = field(default_factory=list)
    fallback: bool = False


def _person(staff: StaffMember, role: str) -> Person:
    return Person(staff.id, staff.name, staff.org_unit_code, role)


async def _supervisors(session: AsyncSession, code: str) -> list[Person]:
    return [_person(s, "supervisor") for s in await active_in_unit(session, code, ("supervisor",))]


async def district_office(session: AsyncSession, settings: Settings, *, fallback: bool = False) -> Named:
    """The supervisors of the district's coordination and supervision unit."""
    code = settings.coordination_unit
    return Named(code, await _supervisors(session, code), fallback=fallback)


async def _acting_person(session: AsyncSession, ticket: Ticket, unit: str) -> list[str]:
    """Who handles the ticket in `unit` now, most certain first: this round's responder, then the
    last person of the unit who acted on it."""
    out: list[str] = []
    repo = TicketRepository(session)
    due = await repo.response_due(ticket.id, ticket.reopen_count + 1)
    if due is not None and due.recorded_by and due.unit_code == unit:
        out.append(due.recorded_by)
    last = await repo.last_actor_in_unit(ticket.id, unit, besides=SYSTEM)
    if last is not None and last not in out:
        out.append(last)
    return out


async def handlers(session: AsyncSession, ticket: Ticket, settings: Settings) -> Named:
    """The person handling the ticket now, else the lead unit's handlers (or the dispatch desk)."""
    if ticket.status in AWAITING_DISPATCH or not ticket.lead_unit_code:
        desk = settings.coordination_unit
        return Named(
            desk, [_person(s, "dispatcher") for s in await active_in_unit(session, desk, ("dispatcher",))]
        )
    unit = ticket.lead_unit_code
    for staff_id in await _acting_person(session, ticket, unit):
        staff = await find_staff(session, staff_id)
        if staff is None:
            # identity has not told us about them yet: the ticket says they acted for this unit.
            return Named(unit, [Person(staff_id, None, unit, "handler")])
        if is_active(staff) and staff.org_unit_code == unit:
            return Named(unit, [_person(staff, "handler")])
    return Named(unit, [_person(s, "handler") for s in await active_in_unit(session, unit, ("handler",))])


async def unit_supervisors(session: AsyncSession, ticket: Ticket, settings: Settings) -> Named:
    """The lead unit's supervisors, or the nearest unit's above it; else the district office's."""
    for code in await ancestry(session, ticket.lead_unit_code or settings.coordination_unit):
        people = await _supervisors(session, code)
        if people:
            return Named(code, people)
    return await district_office(session, settings, fallback=True)


async def named_by(session: AsyncSession, rule: EscalationRule, ticket: Ticket, settings: Settings) -> Named:
    """The people `rule` names on `ticket`."""
    if rule.target == "handler":
        return await handlers(session, ticket, settings)
    if rule.target == "unit_supervisor":
        return await unit_supervisors(session, ticket, settings)
    if rule.target == "unit" and rule.target_unit_code:
        people = await _supervisors(session, rule.target_unit_code)
        if people:
            return Named(rule.target_unit_code, people)
        return await district_office(session, settings, fallback=True)
    if rule.target == "staff" and rule.target_staff_id:
        staff = await find_staff(session, rule.target_staff_id)
        if staff is None:
            return Named(None, [Person(rule.target_staff_id, None, None, "staff")])
        if is_active(staff):
            return Named(staff.org_unit_code, [_person(staff, "staff")])
        return await district_office(session, settings, fallback=True)
    return await district_office(session, settings)
