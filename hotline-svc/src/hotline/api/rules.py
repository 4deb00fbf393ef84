"""Reference data: request categories, the dispatch catalogue, time-limit rules."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from ..models import Category, DispatchRule, TimeLimitRule
from ..schemas import (
    CategoryPage,
    CategoryRead,
    DispatchRuleCreate,
    DispatchRulePage,
    DispatchRuleRead,
    DispatchRuleUpdate,
    TimeLimitRulePage,
    TimeLimitRuleRead,
    TimeLimitRuleUpdate,
)
from ..schemas.open311 import Open311AttributeRead
from ..services import dispatch, limits
from ..services.access import require
from ..services.tickets_support import list_categories
from .deps import Actor

router = APIRouter(prefix="/v1", tags=["rules"])

#: Who reads the dispatch catalogue.
RULE_READERS = {"hotline_agent", "dispatcher", "supervisor", "handler"}


def _rule(r: DispatchRule) -> DispatchRuleRead:
    return DispatchRuleRead(
        id=r.id,
        category_code=r.category_code,
        area_code=r.area_code,
        lead_unit_code=r.lead_unit_code,
        co_unit_codes=list(r.co_unit_codes),
        updated_at=r.updated_at,
    )


def _limit(r: TimeLimitRule) -> TimeLimitRuleRead:
    return TimeLimitRuleRead(code=r.code, name=r.name, amount=r.amount, unit=r.unit)  # type: ignore[arg-type]


def _category(c: Category) -> CategoryRead:
    return CategoryRead(
        code=c.code,
        name=c.name,
        description=c.description,
        group_name=c.group_name,
        time_limit_rule=c.time_limit_rule,
        attributes=[Open311AttributeRead.model_validate(a) for a in c.attributes],
    )


@router.get("/categories", response_model=CategoryPage)
async def categories_list(session: SessionDep, page: PageQuery) -> CategoryPage:
    """Request categories (诉求分类), by code (anyone)."""
    rows, total = await list_categories(session, page)
    return CategoryPage(items=[_category(c) for c in rows], total=total, limit=page.limit, offset=page.offset)


@router.get("/dispatch-rules", response_model=DispatchRulePage)
async def dispatch_rules_list(principal: Actor, session: SessionDep, page: PageQuery) -> DispatchRulePage:
    """The dispatch catalogue (派单目录), by category and area (staff)."""
    require(principal, RULE_READERS, "查阅派单目录", "Reading the dispatch catalogue")
    rows, total = await dispatch.list_rules(session, page)
    return DispatchRulePage(items=[_rule(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/dispatch-rules",
    response_model=DispatchRuleRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("Added.", 409),
)
async def dispatch_rules_create(
    body: DispatchRuleCreate, principal: Actor, session: SessionDep, response: Response
) -> DispatchRuleRead:
    """Add a rule: category × area → lead unit and co-handlers (dispatcher, supervisor)."""
    rule = await dispatch.create_rule(session, body, principal)
    set_location(response, f"/v1/dispatch-rules/{rule.id}")
    return _rule(rule)


@router.get("/dispatch-rules/{rule_id}", response_model=DispatchRuleRead)
async def dispatch_rules_get(rule_id: str, principal: Actor, session: SessionDep) -> DispatchRuleRead:
    """One rule of the dispatch catalogue (staff)."""
    require(principal, RULE_READERS, "查阅派单目录", "Reading the dispatch catalogue")
    return _rule(await dispatch.get_rule(session, rule_id))


@router.put("/dispatch-rules/{rule_id}", response_model=DispatchRuleRead, responses=problems(409))
async def dispatch_rules_update(
    rule_id: str, body: DispatchRuleUpdate, principal: Actor, session: SessionDep
) -> DispatchRuleRead:
    """Change a rule (dispatcher, supervisor)."""
    return _rule(await dispatch.update_rule(session, rule_id, body, principal))


@router.delete("/dispatch-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def dispatch_rules_delete(rule_id: str, principal: Actor, session: SessionDep) -> None:
    """Remove a rule (dispatcher, supervisor)."""
    await dispatch.delete_rule(session, rule_id, principal)


@router.get("/time-limit-rules", response_model=TimeLimitRulePage)
async def time_limit_rules_list(session: SessionDep, page: PageQuery) -> TimeLimitRulePage:
    """Time-limit rules (办理时限规则), shortest first (anyone)."""
    rows, total = await limits.list_rules(session, page)
    return TimeLimitRulePage(
        items=[_limit(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.put("/time-limit-rules/{code}", response_model=TimeLimitRuleRead)
async def time_limit_rules_update(
    code: str, body: TimeLimitRuleUpdate, principal: Actor, session: SessionDep
) -> TimeLimitRuleRead:
    """Change a rule's amount and unit; applies to tickets registered from now on (supervisor)."""
    require(principal, {"supervisor"}, "修改办理时限规则", "Changing time-limit rules")
    rule = await limits.update_rule(session, code, amount=body.amount, unit=body.unit, name=body.name)
    return _limit(rule)
