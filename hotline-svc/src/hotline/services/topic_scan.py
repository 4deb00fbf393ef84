"""The hot-topic pass (热点分析): place the tickets not yet in a topic (`topic_model`), then raise
an alert for each topic rising in a street.

**The rising rule.** For every (topic, street) the tickets of the last seven days (`now` − 7 d,
`now`] are counted, and so are the `topic_baseline_weeks` seven-day windows before them (the
baseline; a window without tickets counts 0). The topic rises in the street when the last seven
days hold at least `topic_rising_min_count` tickets and more than mean + k·sd of the baseline
(k = `topic_rising_sd`, sd the population standard deviation). A rolling seven days rather than
the calendar week, so a Monday morning does not hide a rise; one alert per topic, street and
Beijing week (the week of `now`), held by a unique constraint, so running the pass again (or on
another replica) raises nothing new that week.

One pass at a time: each transaction first locks the clustering's state row (PostgreSQL row lock;
SQLite has one writer). Tickets are placed in batches of `BATCH`, oldest first, each batch in its
own transaction; the alert and its `hotline.topic.rising.v1` event are written in one transaction
through the outbox.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.orm import new_id, utcnow
from yiwang_shared.periodic import PeriodicTask

from ..config import Settings
from ..events import TopicRising
from ..models import Topic, TopicAlert
from ..repositories.topics import TopicAlertRepository, TopicRepository
from .common import emit
from .topic_model import Cluster, TopicModel

log = logging.getLogger("hotline.topics")

#: Tickets placed per transaction.
BATCH = 2000
#: The periodic pass and a supervisor's run look only at tickets this recent (older ones were
#: placed by earlier passes); the demo loader and the first pass look at every ticket.
LOOKBACK = timedelta(days=14)
WEEK = timedelta(days=7)


@dataclass
class TopicScanResult:
    """What one pass did."""

    assigned: int = 0
    topics_created: int = 0
    alerts_raised: int = 0


@dataclass(frozen=True)
class Rise:
    """The rule's verdict on one (topic, street)."""

    rising: bool
    count: int
    mean: float
    sd: float
    threshold: float


def rising(count: int, baseline: list[int], *, k: float, min_count: int) -> Rise:
    """Whether `count` rises above `baseline` (counts of the weeks before): count ≥ min_count and
    count > mean + k·sd."""
    mean = sum(baseline) / len(baseline) if baseline else 0.0
    sd = math.sqrt(sum((b - mean) ** 2 for b in baseline) / len(baseline)) if baseline else 0.0
    threshold = mean + k * sd
    return Rise(
        count >= min_count and count > threshold, count, round(mean, 4), round(sd, 4), round(threshold, 4)
    )


def week_of(now: datetime) -> Any:
    """The Monday of `now`'s Beijing week."""
    day = local_date(now)
    return day - timedelta(days=day.weekday())


def _model(settings: Settings, state: Any, topics: list[Topic]) -> TopicModel:
    clusters = [
        Cluster(
            id=t.id,
            centroid={k: float(v) for k, v in t.centroid.items()},
            size=t.ticket_count,
            example_title=t.example_title,
        )
        for t in topics
    ]
    return TopicModel(
        documents=state.documents,
        document_frequencies={k: int(v) for k, v in state.document_frequencies.items()},
        clusters=clusters,
        threshold=settings.topic_similarity,
    )


def _save_clusters(session: AsyncSession, model: TopicModel, topics: dict[str, Topic], now: datetime) -> int:
    created = 0
    for c in model.clusters:
        if not c.changed:
            continue
        topic = topics.get(c.id)
        if topic is None:
            topic = Topic(id=c.id, example_title=c.example_title, created_at=now)
            session.add(topic)
            created += 1
        topic.label = c.label
        topic.keywords = c.keywords
        topic.centroid = {k: round(v, 5) for k, v in c.centroid.items()}
        topic.ticket_count = c.size
        topic.updated_at = now
    return created


async def place_batch(
    session: AsyncSession, settings: Settings, *, since: datetime | None
) -> tuple[int, int]:
    """Place up to BATCH tickets without a topic; (tickets placed, topics founded)."""
    repo = TopicRepository(session)
    state = await repo.lock_state()
    # Nothing placed yet: the first pass takes every ticket, however old.
    rows = await repo.unassigned(since=since if state.documents else None, limit=BATCH)
    if not rows:
        return 0, 0
    topics = {t.id: t for t in await repo.all_topics()}
    model = _model(settings, state, list(topics.values()))
    now = utcnow()
    placed = []
    for row in rows:
        cluster, similarity = model.assign(row.title, row.description or "")
        day = local_date(row.created_at)
        placed.append(
            {
                "ticket_id": row.id,
                "topic_id": cluster.id,
                "similarity": similarity,
                "street_code": row.street_code,
                "community_code": row.community_code,
                "day": day,
                "week": day - timedelta(days=day.weekday()),
                "created_at": row.created_at,
                "assigned_at": now,
            }
        )
    created = _save_clusters(session, model, topics, now)
    await session.flush()  # the new topics before the rows that refer to them
    await repo.add_assignments(placed)
    state.documents = model.documents
    state.document_frequencies = dict(model.document_frequencies)
    state.updated_at = now
    return len(placed), created


def _windows(
    rows: list[Any], now: datetime, weeks: int
) -> dict[tuple[str, str], tuple[list[int], list[Any]]]:
    """Per (topic, street): counts of the seven-day windows back from `now` (0 the last), and the
    last window's tickets (oldest first)."""
    out: dict[tuple[str, str], tuple[list[int], list[Any]]] = defaultdict(lambda: ([0] * (weeks + 1), []))
    for topic_id, street, created_at, ticket_id in sorted(rows, key=lambda r: (r[2], r[3])):
        if street is None or created_at > now:
            continue
        back = int((now - created_at) / WEEK)
        if back > weeks:
            continue
        counts, tickets = out[(topic_id, street)]
        counts[back] += 1
        if back == 0:
            tickets.append(ticket_id)
    return out


async def raise_alerts(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Raise an alert for every topic rising in a street not yet alerted this week; how many."""
    repo = TopicRepository(session)
    await repo.lock_state()
    weeks = settings.topic_baseline_weeks
    rows = await repo.assignments_since(now - WEEK * (weeks + 1))
    alerts = TopicAlertRepository(session)
    week = week_of(now)
    done = await alerts.keys_of_week(week)
    found = []
    for (topic_id, street), (counts, tickets) in sorted(_windows(rows, now, weeks).items()):
        if (topic_id, street) in done:
            continue
        rise = rising(
            counts[0], counts[1:], k=settings.topic_rising_sd, min_count=settings.topic_rising_min_count
        )
        if rise.rising:
            found.append((topic_id, street, rise, tickets))
    topics = await repo.by_ids(sorted({f[0] for f in found}))
    for topic_id, street, rise, tickets in found:
        topic = topics[topic_id]
        alert = TopicAlert(
            id=new_id(),
            topic_id=topic_id,
            topic_label=topic.label,
            district_code=settings.district_code,
            street_code=street,
            week=week,
            window_start=now - WEEK,
            window_end=now,
            count=rise.count,
            baseline_weeks=weeks,
            baseline_mean=rise.mean,
            baseline_sd=rise.sd,
            threshold=rise.threshold,
            ticket_ids=list(tickets),
            status="open",
            raised_at=now,
        )
        session.add(alert)
        await emit(session, _event(alert, list(topic.keywords)))
    return len(found)


def _event(alert: TopicAlert, keywords: list[str]) -> TopicRising:
    return TopicRising(
        alert_id=alert.id,
        topic_id=alert.topic_id,
        topic_label=alert.topic_label,
        keywords=keywords,
        district_code=alert.district_code,
        street_code=alert.street_code,
        week=alert.week,
        window_start=alert.window_start,
        window_end=alert.window_end,
        window_count=alert.count,
        baseline_weeks=alert.baseline_weeks,
        baseline_mean=alert.baseline_mean,
        baseline_sd=alert.baseline_sd,
        threshold=alert.threshold,
        ticket_ids=list(alert.ticket_ids),
        raised_at=alert.raised_at,
    )


async def analyse(
    db: Database, settings: Settings, now: datetime | None = None, *, everything: bool = True
) -> TopicScanResult:
    """One pass: place the tickets without a topic (all of them, or with `everything` false only
    the last LOOKBACK's), then raise the alerts due at `now`."""
    now = now or utcnow()
    result = TopicScanResult()
    since = None if everything else now - LOOKBACK
    while True:
        async with db.transaction() as session:
            placed, created = await place_batch(session, settings, since=since)
        result.assigned += placed
        result.topics_created += created
        if placed < BATCH:
            break
    async with db.transaction() as session:
        result.alerts_raised = await raise_alerts(session, settings, now)
    return result


def topic_task(db: Database, settings: Settings) -> PeriodicTask:
    """The hot-topic pass every `topic_scan_seconds` (0: off)."""

    async def topic_pass() -> None:
        done = await analyse(db, settings, everything=False)
        if done.assigned or done.alerts_raised:
            log.info(
                "topics: %d ticket(s) placed, %d new topic(s), %d alert(s)",
                done.assigned,
                done.topics_created,
                done.alerts_raised,
            )

    return PeriodicTask("hotline-topics", topic_pass, seconds=settings.topic_scan_seconds, log=log)
