"""Reference data: request categories, the dispatch catalogue, time-limit rules."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select

from yiwang_shared.db import SessionDep
from yiwang_shared.orm import utcnow

from ..access import require
from ..models import Category, DispatchRule, TimeLimitRule
from ..schemas import CategoryView, DispatchRuleIn, DispatchRuleView, TimeLimitRuleIn, TimeLimitRuleView
from ..services import dispatch, limits
from .deps import Actor

router = APIRouter(prefix="/v1", tags=["rules"])


def _rule(r: DispatchRule) -> DispatchRuleView:
    return DispatchRuleView(
        id=r.id,
        category_code=r.category_code,
        area_code=r.area_code,
        lead_unit_code=r.lead_unit_code,
        co_unit_codes=list(r.co_unit_codes),
        updated_at=r.updated_at,
    )


def _limit(r: TimeLimitRule) -> TimeLimitRuleView:
    return TimeLimitRuleView(code=r.code, name=r.name, amount=r.amount, unit=r.unit)


@router.get("/categories", response_model=list[CategoryView])
async def categories_list(session: SessionDep) -> list[CategoryView]:
    """Request categories (诉求分类) (anyone)."""
    rows = await session.execute(select(Category).where(Category.active.is_(True)).order_by(Category.code))
    return [
        CategoryView(
            code=c.code,
            name=c.name,
            description=c.description,
            group_name=c.group_name,
            time_limit_rule=c.time_limit_rule,
            attributes=list(c.attributes),
        )
        for c in rows.scalars()
    ]


@router.get("/dispatch-rules", response_model=list[DispatchRuleView])
async def dispatch_rules_list(principal: Actor, session: SessionDep) -> list[DispatchRuleView]:
    """The dispatch catalogue (staff)."""
    require(
        principal, {"hotline_agent", "dispatcher", "supervisor", "handler"}, "Reading the dispatch catalogue"
    )
    return [_rule(r) for r in await dispatch.list_rules(session)]


@router.post("/dispatch-rules", response_model=DispatchRuleView, status_code=status.HTTP_201_CREATED)
async def dispatch_rules_create(
    body: DispatchRuleIn, principal: Actor, session: SessionDep
) -> DispatchRuleView:
    """Add a rule: category × area → lead unit and co-handlers (dispatcher, supervisor)."""
    return _rule(await dispatch.create_rule(session, body, principal))


@router.put("/dispatch-rules/{rule_id}", response_model=DispatchRuleView)
async def dispatch_rules_update(
    rule_id: str, body: DispatchRuleIn, principal: Actor, session: SessionDep
) -> DispatchRuleView:
    """Change a rule (dispatcher, supervisor)."""
    return _rule(await dispatch.update_rule(session, rule_id, body, principal))


@router.delete("/dispatch-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def dispatch_rules_delete(rule_id: str, principal: Actor, session: SessionDep) -> None:
    """Remove a rule (dispatcher, supervisor)."""
    await dispatch.delete_rule(session, rule_id, principal)


@router.get("/time-limit-rules", response_model=list[TimeLimitRuleView])
async def time_limit_rules_list(session: SessionDep) -> list[TimeLimitRuleView]:
    """Time-limit rules (anyone)."""
    return [_limit(r) for r in await limits.list_rules(session)]


@router.put("/time-limit-rules/{code}", response_model=TimeLimitRuleView)
async def time_limit_rules_update(
    code: str, body: TimeLimitRuleIn, principal: Actor, session: SessionDep
) -> TimeLimitRuleView:
    """Change a rule's amount and unit; applies to tickets registered from now on (supervisor)."""
    require(principal, {"supervisor"}, "Changing time-limit rules")
    rule = await limits.get_rule(session, code)
    rule.amount = body.amount
    rule.unit = body.unit
    if body.name:
        rule.name = body.name
    rule.updated_at = utcnow()
    return _limit(rule)
