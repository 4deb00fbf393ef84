"""Indicators: incremental counters moved by events, and the rates derived from them.

Every change to an indicator is an event: one evaluation consumes (intake, hotline) or one it
publishes itself (`events.py`). `event_increments` is the one function that turns an event's
subject and payload into counter increments; the consumers (`apply_event`) and the services
(`publish_counted`, which writes the event to the outbox) add them to `indicator_counters` in the
transaction that causes them — no history is scanned — and `services.rebuild` folds the
JetStream streams through the same function and compares.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.events.payloads import EventPayload

from ..clients import hotline, intake
from ..events import (
    BadReviewAppealDecided,
    BadReviewCalledBack,
    BadReviewExplained,
    BadReviewRectified,
    BadReviewResponseRated,
    GuideViewed,
    RatingSubmitted,
    RatingWithdrawn,
    ServiceRegistered,
    ServiceVisitsCounted,
    publish_all,
)
from ..repositories.counters import CounterKey, CounterRepository

Key = CounterKey  # dimension, key, month, counter name


@dataclass(frozen=True)
class Indicator:
    """A published indicator: a ratio (or sum) of counters."""

    name: str
    label: str  # Chinese name used in reports and charts
    numerator: tuple[str, ...]
    denominator: str | None = None
    complement: bool = False  # 1 - num/den (time-limit compression)
    percent: bool = True


INDICATORS: tuple[Indicator, ...] = (
    Indicator("ratings", "评价数", ("ratings",), percent=False),
    Indicator("rated_share", "主动评价率", ("ratings",), "services"),
    Indicator("good_rate", "好评率", ("ratings_good",), "ratings"),
    Indicator("bad_reviews", "差评数", ("ratings_bad",), percent=False),
    Indicator("rectification_rate", "差评整改率", ("bad_rectified",), "ratings_bad"),
    Indicator("callback_rate", "差评回访率", ("bad_called_back",), "ratings_bad"),
    Indicator("rectification_satisfaction", "差评整改满意率", ("responses_satisfied",), "responses_rated"),
    Indicator("hotline_response_rate", "响应率", ("responded_on_time",), "response_due"),
    Indicator("hotline_resolution_rate", "解决率", ("tickets_resolved",), "tickets_called_back"),
    Indicator("hotline_satisfaction_rate", "满意率", ("tickets_satisfied",), "tickets_called_back"),
    Indicator("on_the_spot_share", "即办件占比", ("on_the_spot",), "completed"),
    Indicator(
        "limit_compression", "承诺时限压缩比", ("promised_limit_sum",), "legal_limit_sum", complement=True
    ),
    Indicator("avg_visits", "平均跑动次数", ("visits_sum",), "completed", percent=False),
    Indicator("online_intake_share", "网上受理率", ("online_applied",), "applied"),
    Indicator(
        "avg_completion_days",
        "平均办结时间(工作日)",
        ("completion_days_sum",),
        "completion_timed",
        percent=False,
    ),
    Indicator("zero_visit_share", "零跑动占比", ("zero_visit",), "completed"),
    Indicator("conversion", "办事指南转化率", ("applied",), "guide_views"),
)
INDICATOR_BY_NAME = {i.name: i for i in INDICATORS}


def _spread(
    out: dict[Key, int], month: str, dims: dict[str, str | None], inc: dict[str, int], sign: int = 1
) -> None:
    for dimension, key in dims.items():
        if not key:
            continue
        for name, value in inc.items():
            if value:
                out[(dimension, key, month, name)] += sign * value


def _dims(data: dict[str, Any]) -> dict[str, str | None]:
    """What one of evaluation's own events counts for."""
    return {
        "unit": data["unit_code"],
        "window": data.get("window_code"),
        "staff": data.get("staff_id"),
        "item": data.get("item_code"),
    }


#: Level ≤ 2 (非常满意, 满意) counts as good, ≥ 4 as bad; the same for the response rating.
GOOD_MAX, BAD_MIN = 2, 4


def event_increments(subject: str, data: dict[str, Any]) -> dict[Key, int]:
    """The counter increments one event causes (raises PayloadRejected for unusable payloads)."""
    out: dict[Key, int] = defaultdict(int)
    if subject in intake.SUBJECTS:
        month, dims, inc = intake.counters(subject, data)
        _spread(out, month, dims, inc)
    elif subject in hotline.SUBJECTS:
        month, dims, inc = hotline.counters(subject, data)
        _spread(out, month, dims, inc)
    elif subject == ServiceRegistered.subject():
        _spread(out, data["month"], _dims(data), {"services": 1})
    elif subject == ServiceVisitsCounted.subject():
        # The completion counted `visits_before`; the delivered case has `visits_total`.
        before, after = int(data["visits_before"]), int(data["visits_total"])
        inc = {"visits_sum": after - before, "zero_visit": int(after == 0) - int(before == 0)}
        _spread(out, data["month"], _dims(data), inc)
    elif subject == GuideViewed.subject():
        _spread(out, data["month"], {"item": data["item_code"]}, {"guide_views": 1})
    elif subject == RatingSubmitted.subject():
        level = int(data["level"])
        inc = {"ratings": 1, "ratings_good": int(level <= GOOD_MAX), "ratings_bad": int(level >= BAD_MIN)}
        _spread(out, data["month"], _dims(data), inc)
    elif subject == BadReviewCalledBack.subject():
        _spread(out, data["month"], _dims(data), {"bad_called_back": 1})
    elif subject == BadReviewRectified.subject():
        _spread(out, data["month"], _dims(data), {"bad_rectified": 1})
    elif subject == BadReviewExplained.subject():
        _spread(out, data["month"], _dims(data), {"bad_explained": 1})
    elif subject == BadReviewAppealDecided.subject() and data["upheld"]:
        # The rating stays (never deleted) but leaves the indicators: undo what it counted.
        level = int(data["level"])
        undo = {
            "ratings": 1,
            "ratings_good": int(level <= GOOD_MAX),
            "ratings_bad": int(level >= BAD_MIN),
            "bad_called_back": int(bool(data["called_back"])),
        }
        _spread(out, data["month"], _dims(data), undo, sign=-1)
        _spread(out, data["month"], _dims(data), {"ratings_excluded": 1})
    elif subject == RatingWithdrawn.subject() and data["counted"]:
        # Superseded or forged: undo what the rating and its case counted (it stays, never deleted).
        level, response = int(data["level"]), data.get("response_level")
        undo = {
            "ratings": 1,
            "ratings_good": int(level <= GOOD_MAX),
            "ratings_bad": int(level >= BAD_MIN),
            "bad_called_back": int(bool(data["called_back"])),
            "bad_rectified": int(bool(data["rectified"])),
            "bad_explained": int(bool(data["explained"])),
            "responses_rated": int(response is not None),
            "responses_satisfied": int(response is not None and int(response) <= GOOD_MAX),
        }
        _spread(out, data["month"], _dims(data), undo, sign=-1)
    elif subject == BadReviewResponseRated.subject():
        level = int(data["response_level"])
        inc = {"responses_rated": 1, "responses_satisfied": int(level <= GOOD_MAX)}
        _spread(out, data["month"], _dims(data), inc)
    return {k: v for k, v in out.items() if v}


async def apply_increments(session: AsyncSession, increments: dict[Key, int]) -> None:
    """Add increments to the counters (an upsert per counter, atomic under concurrency)."""
    await CounterRepository(session).add(increments)


async def apply_event(session: AsyncSession, subject: str, data: dict[str, Any]) -> None:
    """Apply a consumed event's increments, in the consumer's transaction."""
    await apply_increments(session, event_increments(subject, data))


async def publish_counted(session: AsyncSession, *payloads: EventPayload) -> None:
    """Publish events of ours (outbox) and apply their increments, in the caller's transaction: one
    statement for the events and one for the counters, however many.

    The increments come from the payloads exactly as they are published (their JSON form), so the
    replay of the EVALUATION stream computes the same numbers.
    """
    increments: dict[Key, int] = defaultdict(int)
    for envelope in await publish_all(session, payloads):
        for key, value in event_increments(envelope.subject, dict(envelope.data)).items():
            increments[key] += value
    await apply_increments(session, {k: v for k, v in increments.items() if v})


def ratio(ind: Indicator, num: int, den: int) -> float | None:
    """An indicator's value from its summed counters: exact, then rounded half-even to 4 places.

    Exact arithmetic (not floats) so that a rate reads the same here as hotline-svc's percentage
    of the same counts (0.6667 and 66.67): docs/indicators.md.
    """
    if den == 0:
        return None
    exact = Fraction(num, den)
    return float(round(1 - exact if ind.complement else exact, 4))


def derive(counters: dict[str, int]) -> dict[str, float | int | None]:
    """The published indicators from one (dimension, key, month)'s counters (None: no base)."""
    values: dict[str, float | int | None] = {}
    for ind in INDICATORS:
        num = sum(counters.get(n, 0) for n in ind.numerator)
        if ind.denominator is None:
            values[ind.name] = num
            continue
        values[ind.name] = ratio(ind, num, counters.get(ind.denominator, 0))
    return values
