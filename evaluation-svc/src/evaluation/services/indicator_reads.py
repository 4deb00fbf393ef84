"""Reading indicators and rankings from the counters (never from history).

Per unit, the counters behind 响应率 (`response_due`, `responded_on_time`) are not stored: they are
counted from the response obligations at read time (`hotline_responses`) and laid over the
stored ones, so every figure of a unit — indicators, public figures, reports, charts, rankings —
carries the one 响应率 hotline-svc shows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..models import RankingRule
from ..repositories.counters import CounterRepository
from ..repositories.ranking_rules import RankingRuleRepository
from ..repositories.ratings import RatingRepository
from ..schemas import ReportBy
from .cases import is_overseer, unit_visible
from .hotline_responses import RESPONSE_COUNTERS, response_counters
from .indicators import BAD_MIN, GOOD_MAX, INDICATOR_BY_NAME, derive, ratio
from .read_models import items_of_department, names

DEFAULT_RULES = (
    {
        "name": "red_flag_window",
        "title": "红旗窗口",
        "dimension": "window",
        "indicator": "good_rate",
        "min_ratings": 20,
        "min_value": 0.95,
        "max_bad_reviews": 0,
        "top_n": 3,
    },
    {
        "name": "service_star",
        "title": "服务之星",
        "dimension": "staff",
        "indicator": "good_rate",
        "min_ratings": 10,
        "min_value": 0.95,
        "max_bad_reviews": 0,
        "top_n": 5,
    },
)


async def counters_for(
    session: AsyncSession,
    *,
    dimension: str,
    month: str,
    key: str | None = None,
    prefix: str | None = None,
    names: set[str] | None = None,
) -> dict[str, dict[str, int]]:
    """{key: {counter: value}} for one dimension and month (one key, a key prefix, some names)."""
    stored = await CounterRepository(session).of(
        dimension=dimension, month=month, key=key, prefix=prefix, names=names
    )
    out: dict[str, dict[str, int]] = defaultdict(dict, stored)
    if dimension == "unit" and (names is None or names & RESPONSE_COUNTERS):
        for k, values in (await response_counters(session, month, key=key, prefix=prefix)).items():
            out[k].update(values)
    return dict(out)


def total(counters: dict[str, dict[str, int]]) -> dict[str, int]:
    """The sum of several keys' counters (the district from its units)."""
    out: dict[str, int] = defaultdict(int)
    for values in counters.values():
        for name, value in values.items():
            out[name] += value
    return dict(out)


def indicator_row(key: str, counters: dict[str, int]) -> dict[str, Any]:
    """One key's published indicators plus the counters they come from."""
    return {"key": key, "indicators": derive(counters), "counters": dict(sorted(counters.items()))}


async def ensure_default_rules(session: AsyncSession) -> None:
    """Insert the default ranking rules that are missing (an administrator may change them)."""
    repo = RankingRuleRepository(session)
    for rule in DEFAULT_RULES:
        if await repo.find(str(rule["name"])) is None:
            repo.add(RankingRule(**rule))
    await session.flush()


async def list_rules(session: AsyncSession) -> list[RankingRule]:
    """Every ranking rule."""
    await ensure_default_rules(session)
    return await RankingRuleRepository(session).all()


async def held_counters(session: AsyncSession, *, dimension: str, month: str) -> dict[str, dict[str, int]]:
    """{key: {ratings, ratings_good, ratings_bad}} of the ratings an open burst flag holds (疑似刷评).

    The indicators count them; the rankings (红旗窗口, 服务之星) subtract them until the evaluation
    office clears them.
    """
    return await RatingRepository(session).held_counts(
        dimension=dimension, month=month, good_max=GOOD_MAX, bad_min=BAD_MIN
    )


def _less(counters: dict[str, int], held: dict[str, int] | None) -> dict[str, int]:
    if not held:
        return counters
    return {**counters, **{name: counters.get(name, 0) - n for name, n in held.items()}}


async def ranking(session: AsyncSession, *, rule: RankingRule, month: str) -> list[dict[str, Any]]:
    """The keys that qualify under `rule` in `month`, best first, without the ratings a burst flag
    holds (ten forged ratings must not make a 服务之星 before the office looks).

    The counters are pivoted and filtered in SQL (one row per key, only keys with enough
    ratings), so a ranking over thousands of staff stays a single indexed scan of one month; the
    held ratings (few) are subtracted afterwards, and the thresholds judged on what is left.
    """
    ind = INDICATOR_BY_NAME[rule.indicator]
    held = await held_counters(session, dimension=rule.dimension, month=month)
    if rule.dimension == "unit" and RESPONSE_COUNTERS & {*ind.numerator, ind.denominator}:
        return await _ranking_in_memory(session, rule=rule, month=month, held=held)
    sums = await CounterRepository(session).ranking_sums(
        dimension=rule.dimension,
        month=month,
        numerator=ind.numerator,
        denominator=ind.denominator,
        min_ratings=rule.min_ratings,  # held ratings only lower it: still a safe pre-filter
        max_bad_reviews=rule.max_bad_reviews if not held else None,
    )
    rows: list[dict[str, Any]] = []
    for key, n_sum, d_sum, r, b in sums:
        minus = held.get(key, {})
        n = int(n_sum) - sum(minus.get(name, 0) for name in ind.numerator)
        d = None if d_sum is None else int(d_sum) - minus.get(ind.denominator or "", 0)
        r, b = int(r) - minus.get("ratings", 0), int(b) - minus.get("ratings_bad", 0)
        if r < rule.min_ratings or (rule.max_bad_reviews is not None and b > rule.max_bad_reviews):
            continue
        value = float(n) if d is None else ratio(ind, n, d)
        if value is None or (rule.min_value is not None and value < rule.min_value):
            continue
        rows.append({"key": key, "value": value, "ratings": r})
    return _ranked(rows, rule.top_n)


def _ranked(rows: list[dict[str, Any]], top_n: int) -> list[dict[str, Any]]:
    rows.sort(key=lambda row: (-float(row["value"]), -int(row["ratings"]), str(row["key"])))
    return [{"rank": i + 1, **row} for i, row in enumerate(rows[:top_n])]


async def _ranking_in_memory(
    session: AsyncSession, *, rule: RankingRule, month: str, held: dict[str, dict[str, int]]
) -> list[dict[str, Any]]:
    """A ranking of units on 响应率, whose counters are counted at read time (not in SQL)."""
    rows: list[dict[str, Any]] = []
    for key, stored in (await counters_for(session, dimension="unit", month=month)).items():
        counters = _less(stored, held.get(key))
        if counters.get("ratings", 0) < rule.min_ratings:
            continue
        if rule.max_bad_reviews is not None and counters.get("ratings_bad", 0) > rule.max_bad_reviews:
            continue
        value = derive(counters)[rule.indicator]
        if value is None or (rule.min_value is not None and value < rule.min_value):
            continue
        rows.append({"key": key, "value": float(value), "ratings": counters.get("ratings", 0)})
    return _ranked(rows, rule.top_n)


def may_see(principal: Principal, dimension: str, key: str) -> bool:
    """True if the principal may see one key's indicators (the office: all; staff: their unit's,
    their windows', their own)."""
    if is_overseer(principal):
        return True
    if dimension in ("unit", "window"):
        return unit_visible(principal, key)
    if dimension == "staff":
        return principal.is_staff and principal.subject == key
    return False


async def indicators_for(
    session: AsyncSession, *, viewer: Principal, dimension: str, month: str, key: str | None
) -> dict[str, dict[str, int]]:
    """{key: counters} of one dimension for a month: one key, or (none named) all the viewer may see."""
    if key is not None and not may_see(viewer, dimension, key):
        raise errors.indicators_not_found(dimension, key)
    if key is None and not is_overseer(viewer):
        if dimension in ("unit", "window") and viewer.is_staff and viewer.org_unit:
            return await counters_for(session, dimension=dimension, month=month, prefix=viewer.org_unit)
        if dimension == "staff" and viewer.is_staff:
            return await counters_for(session, dimension=dimension, month=month, key=viewer.subject)
        raise errors.indicators_forbidden()
    return await counters_for(session, dimension=dimension, month=month, key=key)


async def with_names(
    session: AsyncSession, rows: list[dict[str, Any]], dimension: str
) -> list[dict[str, Any]]:
    """Each row with its key's name."""
    found = await names(session, [r["key"] for r in rows], dimension)
    return [r | {"name": found.get(r["key"])} for r in rows]


async def _item_report(
    session: AsyncSession, month: str, unit: str | None
) -> tuple[str, list[dict[str, Any]]]:
    """The items' report: the whole, then each item (of the unit, when one is named)."""
    if unit is None:
        items = await counters_for(session, dimension="item", month=month)
    else:
        codes = set(await items_of_department(session, unit))
        items = {
            k: v
            for k, v in (await counters_for(session, dimension="item", month=month)).items()
            if k in codes
        }
    rows = [indicator_row("合计", total(items))] + [indicator_row(k, v) for k, v in sorted(items.items())]
    return f"{unit or '全区'} 事项好差评及一网通办指标 {month}", await with_names(session, rows, "item")


async def report_rows(
    session: AsyncSession, *, viewer: Principal, month: str, unit: str | None, by: ReportBy
) -> tuple[str, list[dict[str, Any]]]:
    """The monthly report's title and rows: first the whole (district or unit), then its parts."""
    if unit is None and not is_overseer(viewer):
        raise errors.district_report_forbidden()
    if unit is not None and not unit_visible(viewer, unit):
        raise errors.indicators_not_found("unit", unit)
    if by == ReportBy.ITEM:
        return await _item_report(session, month, unit)
    if unit is None:
        units = await counters_for(session, dimension="unit", month=month)
        rows = [indicator_row("全区合计", total(units))] + [
            indicator_row(k, v) for k, v in sorted(units.items())
        ]
        return f"全区好差评及一网通办指标 {month}", await with_names(session, rows, "unit")
    own = await counters_for(session, dimension="unit", month=month, key=unit)
    windows = await counters_for(session, dimension="window", month=month, prefix=unit)
    rows = [indicator_row(unit, own.get(unit, {}))] + [
        indicator_row(k, v) for k, v in sorted(windows.items())
    ]
    return f"{unit} 好差评及一网通办指标 {month}", await with_names(session, rows, "unit")


async def get_rule(session: AsyncSession, name: str) -> RankingRule:
    """The ranking rule named `name` (the defaults are always there), or 404."""
    await ensure_default_rules(session)
    rule = await RankingRuleRepository(session).find(name)
    if rule is None:
        raise errors.ranking_rule_not_found(name)
    return rule


async def put_rule(session: AsyncSession, name: str, *, values: dict[str, Any]) -> tuple[RankingRule, bool]:
    """Create or replace the ranking rule named `name`; (the rule, whether it was created)."""
    repo = RankingRuleRepository(session)
    rule = await repo.find(name)
    created = rule is None
    if rule is None:
        rule = RankingRule(name=name, **values)
        repo.add(rule)
    else:
        for k, v in values.items():
            setattr(rule, k, v)
    await session.flush()
    return rule, created


async def ranking_for(
    session: AsyncSession, *, name: str, month: str, viewer: Principal | None
) -> tuple[RankingRule, list[dict[str, Any]]]:
    """A ranking under its rule for a month, best first, keys named; staff members are shown by place
    (S1, S2, …) to anyone but the evaluation office: an account id is a handle on a person."""
    rule = await get_rule(session, name)
    rows = await with_names(session, await ranking(session, rule=rule, month=month), rule.dimension)
    if rule.dimension == "staff" and not (viewer is not None and is_overseer(viewer)):
        rows = [r | {"key": f"S{r['rank']}"} for r in rows]
    return rule, rows
