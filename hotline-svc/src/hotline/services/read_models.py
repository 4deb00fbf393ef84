"""What every write step reads and almost nothing writes, held in memory (issue 19): the
organisation tree (identity's units), the request categories, the time-limit rules, the dispatch
catalogue and the working-day calendar. The first read in a unit of work checks all of them with
one statement (`yiwang_shared.read_model_cache`) and reloads only a table that changed, so an
edit is seen by the next request or transaction after it committed, in every process.

Never read them in a session that writes their table first (the consumers and the rule
administration write in sessions of their own, and read the rows they change from the tables)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import WorkingCalendar
from yiwang_shared.read_model_cache import CachedReadModel, ReadModelCache

from ..repositories.read_models import (
    CALENDAR,
    CATEGORIES,
    LIMIT_RULES,
    ORG_TREE,
    ROUTE_RULES,
    CategoryRef,
    LimitRule,
    OrgTree,
    RouteRule,
)

#: hotline-svc's one cache of read models (one fingerprint statement per unit of work for all).
CACHE = ReadModelCache(ORG_TREE, CATEGORIES, LIMIT_RULES, ROUTE_RULES, CALENDAR)

T = TypeVar("T")


async def _get(session: AsyncSession, model: CachedReadModel[T]) -> T:
    # The step's own changes are in other tables: they stay pending for the step's one flush
    # instead of being flushed by the fingerprint statement (which would write a row twice).
    with session.no_autoflush:
        return await CACHE.get(session, model)


async def org_tree(session: AsyncSession) -> OrgTree:
    """Every known organisation unit, by id and by code."""
    return await _get(session, ORG_TREE)


async def categories(session: AsyncSession) -> Mapping[str, CategoryRef]:
    """Every request category, active or not, by code."""
    return await _get(session, CATEGORIES)


async def limit_rules(session: AsyncSession) -> Mapping[str, LimitRule]:
    """Every time-limit rule, by code."""
    return await _get(session, LIMIT_RULES)


async def route_rules(session: AsyncSession) -> Mapping[tuple[str, str], RouteRule]:
    """The dispatch catalogue, by (category, area)."""
    return await _get(session, ROUTE_RULES)


async def working_calendar(session: AsyncSession) -> WorkingCalendar:
    """The working-day calendar."""
    return await _get(session, CALENDAR)
