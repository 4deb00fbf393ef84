"""Time limits (办理时限): which rule applies to a ticket and when it falls due."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..models import Ticket, TimeLimitRule
from ..repositories.read_models import LimitRule
from ..repositories.rules import TimeLimitRuleRepository
from .read_models import categories, limit_rules, working_calendar

LimitUnit = Literal["hours", "working_days", "natural_days"]


async def rule_for(session: AsyncSession, ticket: Ticket) -> LimitRule | None:
    """The rule for a ticket: urgent, else complex, else its category's rule, else general."""
    code = "general"
    if ticket.urgent:
        code = "urgent"
    elif ticket.complex:
        code = "complex"
    elif ticket.category_code:
        category = (await categories(session)).get(ticket.category_code)
        if category is not None and category.time_limit_rule:
            code = category.time_limit_rule
    return await find_limit_rule(session, code)


async def find_limit_rule(session: AsyncSession, code: str) -> LimitRule | None:
    """The time-limit rule `code` (from memory), or None."""
    return (await limit_rules(session)).get(code)


async def add_limit(session: AsyncSession, start: datetime, amount: int, unit: str) -> datetime:
    """`start` plus `amount` hours, natural days, or working days (the shared calendar)."""
    if unit == "hours":
        return start + timedelta(hours=amount)
    if unit == "natural_days":
        return start + timedelta(days=amount)
    calendar = await working_calendar(session)
    return calendar.deadline_instant(start, amount)


async def apply_time_limit(session: AsyncSession, ticket: Ticket) -> None:
    """Set the ticket's rule and due time, counted from its registration."""
    rule = await rule_for(session, ticket)
    if rule is None:
        return
    ticket.time_limit_rule = rule.code
    ticket.due_at = await add_limit(session, ticket.created_at, rule.amount, rule.unit)


async def list_rules(session: AsyncSession, page: PageParams) -> tuple[list[TimeLimitRule], int]:
    """A page of the time-limit rules, shortest first, and how many there are."""
    return await TimeLimitRuleRepository(session).page(page)


async def get_rule(session: AsyncSession, code: str) -> TimeLimitRule:
    """The rule with `code`; 404 when missing."""
    rule = await TimeLimitRuleRepository(session).find(code)
    if rule is None:
        raise errors.time_limit_rule_not_found(code)
    return rule


async def update_rule(
    session: AsyncSession, code: str, *, amount: int, unit: str, name: str | None
) -> TimeLimitRule:
    """Change a rule's amount, unit and (when given) name; it applies to tickets registered from now on."""
    rule = await get_rule(session, code)
    rule.amount = amount
    rule.unit = unit
    if name:
        rule.name = name
    rule.updated_at = utcnow()
    return rule
