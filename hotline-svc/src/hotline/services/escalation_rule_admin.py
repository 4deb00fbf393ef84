"""Administering the escalation rules (催办/督办规则): supervisors add, change and remove them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import PageParams

from .. import errors
from ..models import EscalationRule
from ..repositories.escalations import EscalationRuleRepository
from ..schemas.escalations import EscalationRuleCreate, EscalationRuleUpdate
from . import access
from .escalation_staff import find_staff, is_active
from .orgs import check_unit
from .tickets_support import check_category

#: Who edits the escalation rules, and who reads them.
RULE_EDITORS = frozenset({"supervisor"})
RULE_READERS = frozenset({"hotline_agent", "dispatcher", "supervisor", "handler"})


async def list_rules(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[EscalationRule], int]:
    """A page of the escalation rules: by level, then how soon they fire."""
    access.require(principal, RULE_READERS, "查阅催办督办规则", "Reading the escalation rules")
    return await EscalationRuleRepository(session).page(page)


async def get_rule(session: AsyncSession, rule_id: str) -> EscalationRule:
    """The rule; 404 when missing."""
    rule = await EscalationRuleRepository(session).find(rule_id)
    if rule is None:
        raise errors.escalation_rule_not_found(rule_id)
    return rule


async def _check(session: AsyncSession, body: EscalationRuleCreate | EscalationRuleUpdate) -> None:
    if body.target == "unit":
        if not body.target_unit_code:
            raise errors.escalation_rule_incomplete("unit", "target_unit_code")
        await check_unit(session, body.target_unit_code, "target_unit_code")
    if body.target == "staff":
        if not body.target_staff_id:
            raise errors.escalation_rule_incomplete("staff", "target_staff_id")
        if not is_active(await find_staff(session, body.target_staff_id)):
            raise errors.unknown_staff(body.target_staff_id)
    await check_category(session, body.category_code)


def _apply(
    rule: EscalationRule, body: EscalationRuleCreate | EscalationRuleUpdate, principal: Principal
) -> None:
    rule.name = body.name
    rule.kind = body.kind
    rule.basis = body.basis
    rule.statuses = list(dict.fromkeys(body.statuses))
    rule.after_share = body.after_share
    rule.plus_hours = body.plus_hours
    rule.target = body.target
    rule.target_unit_code = body.target_unit_code if body.target == "unit" else None
    rule.target_staff_id = body.target_staff_id if body.target == "staff" else None
    rule.request_type = body.request_type
    rule.category_code = body.category_code
    rule.active = body.active
    rule.updated_at = utcnow()
    rule.updated_by = principal.subject


async def create_rule(
    session: AsyncSession, body: EscalationRuleCreate, principal: Principal
) -> EscalationRule:
    """Add a rule (supervisors)."""
    access.require(principal, RULE_EDITORS, "制定催办督办规则", "Adding escalation rules")
    await _check(session, body)
    rule = EscalationRule(created_at=utcnow())
    _apply(rule, body, principal)
    session.add(rule)
    await session.flush()
    return rule


async def update_rule(
    session: AsyncSession, rule_id: str, body: EscalationRuleUpdate, principal: Principal
) -> EscalationRule:
    """Replace a rule's content (supervisors); what it raised before stays as raised."""
    access.require(principal, RULE_EDITORS, "修改催办督办规则", "Changing escalation rules")
    rule = await get_rule(session, rule_id)
    await _check(session, body)
    _apply(rule, body, principal)
    await session.flush()
    return rule


async def delete_rule(session: AsyncSession, rule_id: str, principal: Principal) -> None:
    """Remove a rule (supervisors); what it raised stays, with the rule's name."""
    access.require(principal, RULE_EDITORS, "删除催办督办规则", "Removing escalation rules")
    await session.delete(await get_rule(session, rule_id))
