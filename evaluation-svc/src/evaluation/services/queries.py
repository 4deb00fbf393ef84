"""Reading indicators and rankings from the counters (never from history).

Per unit, the counters behind 响应率 (`response_due`, `responded_on_time`) are not stored: they are
counted from the response obligations at read time (`evaluation.responses`) and laid over the
stored ones, so every figure of a unit — indicators, public figures, reports, charts, rankings —
carries the one 响应率 hotline-svc shows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..indicators import BAD_MIN, GOOD_MAX, INDICATOR_BY_NAME, derive, ratio
from ..models import IndicatorCounter, RankingRule, Rating
from ..responses import RESPONSE_COUNTERS, response_counters

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
    stmt = select(IndicatorCounter.key, IndicatorCounter.name, IndicatorCounter.value).where(
        IndicatorCounter.dimension == dimension, IndicatorCounter.month == month
    )
    if names is not None:
        stmt = stmt.where(IndicatorCounter.name.in_(sorted(names)))
    if key is not None:
        stmt = stmt.where(IndicatorCounter.key == key)
    elif prefix is not None:
        stmt = stmt.where(
            (IndicatorCounter.key == prefix) | IndicatorCounter.key.startswith(prefix + "-", autoescape=True)
        )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for k, name, value in (await session.execute(stmt)).all():
        out[k][name] = int(value)
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
    for rule in DEFAULT_RULES:
        if await session.get(RankingRule, rule["name"]) is None:
            session.add(RankingRule(**rule))
    await session.flush()


async def list_rules(session: AsyncSession) -> list[RankingRule]:
    """Every ranking rule."""
    await ensure_default_rules(session)
    return list((await session.execute(select(RankingRule).order_by(RankingRule.name))).scalars())


#: The rating columns a ranking's dimension is keyed by.
_RATING_KEY = {
    "unit": Rating.unit_code,
    "window": Rating.window_code,
    "staff": Rating.staff_id,
    "item": Rating.item_code,
}


async def held_counters(session: AsyncSession, *, dimension: str, month: str) -> dict[str, dict[str, int]]:
    """{key: {ratings, ratings_good, ratings_bad}} of the ratings an open burst flag holds (疑似刷评).

    The indicators count them; the rankings (红旗窗口, 服务之星) subtract them until the evaluation
    office clears them.
    """
    col = _RATING_KEY[dimension]
    stmt = (
        select(
            col,
            func.count(),
            func.sum(case((Rating.level <= GOOD_MAX, 1), else_=0)),
            func.sum(case((Rating.level >= BAD_MIN, 1), else_=0)),
        )
        .where(Rating.held.is_(True), Rating.excluded.is_(False), Rating.month == month, col.is_not(None))
        .group_by(col)
    )
    return {
        str(key): {"ratings": int(n), "ratings_good": int(good or 0), "ratings_bad": int(bad or 0)}
        for key, n, good, bad in (await session.execute(stmt)).all()
    }


def _less(counters: dict[str, int], held: dict[str, int] | None) -> dict[str, int]:
    if not held:
        return counters
    return {**counters, **{name: counters.get(name, 0) - n for name, n in held.items()}}


async def ranking(session: AsyncSession, *, rule: RankingRule, month: str) -> list[dict[str, Any]]:
    """The keys that qualify under `rule` in `month`, best first, without the ratings a burst flag
    holds (issue 15, point 2: ten forged ratings must not make a 服务之星 before the office looks).

    The counters are pivoted and filtered in SQL (one row per key, only keys with enough
    ratings), so a ranking over thousands of staff stays a single indexed scan of one month; the
    held ratings (few) are subtracted afterwards, and the thresholds judged on what is left.
    """
    ind = INDICATOR_BY_NAME[rule.indicator]
    held = await held_counters(session, dimension=rule.dimension, month=month)
    if rule.dimension == "unit" and RESPONSE_COUNTERS & {*ind.numerator, ind.denominator}:
        return await _ranking_in_memory(session, rule=rule, month=month, held=held)
    c = IndicatorCounter

    def total_of(*names: str) -> Any:
        return func.sum(case((c.name.in_(names), c.value), else_=0))

    num = total_of(*ind.numerator)
    den = total_of(ind.denominator) if ind.denominator else None
    ratings = total_of("ratings")
    bad = total_of("ratings_bad")
    needed = {*ind.numerator, "ratings", "ratings_bad"} | ({ind.denominator} if ind.denominator else set())
    stmt = (
        select(c.key, num, den if den is not None else literal(None), ratings, bad)
        .where(c.dimension == rule.dimension, c.month == month, c.name.in_(sorted(needed)))
        .group_by(c.key)
        .having(ratings >= rule.min_ratings)  # held ratings only lower it: still a safe pre-filter
    )
    if rule.max_bad_reviews is not None and not held:
        stmt = stmt.having(bad <= rule.max_bad_reviews)
    rows: list[dict[str, Any]] = []
    for key, n_sum, d_sum, r, b in (await session.execute(stmt)).all():
        # PostgreSQL sums bigints as numeric (Decimal): they are whole numbers.
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
