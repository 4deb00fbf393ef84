"""The tables every write step reads and hardly anything writes, loaded whole as plain frozen values
for `services.read_models` to keep in memory: identity's organisation tree, the request categories,
the time-limit rules, the dispatch catalogue and the working-day calendar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.read_model_cache import CachedReadModel
from yiwang_shared.tables import calendar_days

from ..models import Category, DispatchRule, OrgUnit, TimeLimitRule


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


@dataclass(frozen=True)
class Unit:
    """An organisation unit as the read model has it."""

    id: str
    code: str
    name: str
    kind: str
    level: int
    parent_id: str | None


@dataclass(frozen=True)
class OrgTree:
    """Every known unit, by id and by code."""

    by_id: Mapping[str, Unit]
    by_code: Mapping[str, Unit]


@dataclass(frozen=True)
class CategoryRef:
    """A request category: its time-limit rule and the attributes it asks for (Open311-shaped)."""

    code: str
    name: str
    time_limit_rule: str | None
    attributes: tuple[Mapping[str, Any], ...]
    active: bool


@dataclass(frozen=True)
class LimitRule:
    """A time-limit rule (办理时限)."""

    code: str
    name: str
    amount: int
    unit: str


@dataclass(frozen=True)
class RouteRule:
    """A dispatch-catalogue rule (派单目录): category × area → lead unit and co-handling units."""

    id: str
    category_code: str
    area_code: str
    lead_unit_code: str
    co_unit_codes: tuple[str, ...]


def _frozen(value: Any) -> Any:
    """A JSON value that nothing can change: dicts become read-only mappings, lists tuples."""
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


# The loaders select from the tables, not the ORM classes: a load in the middle of a step must not
# flush the step's pending rows early (each row is written once, by the step's one flush).


async def _load_org_tree(session: AsyncSession) -> OrgTree:
    u = _table(OrgUnit).c
    rows = await session.execute(select(u.id, u.code, u.name, u.kind, u.level, u.parent_id))
    units = [Unit(*row) for row in rows]
    return OrgTree(
        by_id=MappingProxyType({x.id: x for x in units}),
        by_code=MappingProxyType({x.code: x for x in units}),
    )


async def _load_categories(session: AsyncSession) -> Mapping[str, CategoryRef]:
    c = _table(Category).c
    rows = await session.execute(select(c.code, c.name, c.time_limit_rule, c.attributes, c.active))
    return MappingProxyType(
        {
            code: CategoryRef(code, name, rule, _frozen(list(attributes or [])), bool(active))
            for code, name, rule, attributes, active in rows
        }
    )


async def _load_limit_rules(session: AsyncSession) -> Mapping[str, LimitRule]:
    r = _table(TimeLimitRule).c
    rows = await session.execute(select(r.code, r.name, r.amount, r.unit))
    return MappingProxyType({row[0]: LimitRule(*row) for row in rows})


async def _load_route_rules(session: AsyncSession) -> Mapping[tuple[str, str], RouteRule]:
    r = _table(DispatchRule).c
    rows = await session.execute(
        select(r.id, r.category_code, r.area_code, r.lead_unit_code, r.co_unit_codes)
    )
    return MappingProxyType(
        {
            (category, area): RouteRule(rule_id, category, area, lead, tuple(co or ()))
            for rule_id, category, area, lead, co in rows
        }
    )


async def _load_calendar(session: AsyncSession) -> WorkingCalendar:
    return await WorkingCalendar.load(session)


ORG_TREE = CachedReadModel("org_units", _table(OrgUnit), _load_org_tree)
#: Categories change only with a migration (no API edits them, so they have no `updated_at`): their
#: count and largest code tell a re-seeded table from the one in memory.
CATEGORIES = CachedReadModel("categories", _table(Category), _load_categories)
LIMIT_RULES = CachedReadModel("time_limit_rules", _table(TimeLimitRule), _load_limit_rules)
ROUTE_RULES = CachedReadModel("dispatch_rules", _table(DispatchRule), _load_route_rules)
CALENDAR = CachedReadModel("calendar_days", calendar_days, _load_calendar)
