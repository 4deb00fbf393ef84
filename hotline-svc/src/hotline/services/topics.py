"""Hot topics as the district sees them (热点问题): topics counted by period and place, a topic's
tickets, the duplicates the desk did not merge, and the rising-topic alerts (热点预警) with their
acknowledgement. Supervisors and dispatchers of the district read them; merge suggestions go to
those who merge (agents and dispatchers, as for likely duplicates); a supervisor may run the pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.orm import utcnow
from yiwang_shared.pagination import DateRange, PageParams

from .. import errors
from ..config import Settings
from ..lifecycles import FINISHED_STATUSES, TICKET
from ..models import Ticket, Topic, TopicAlert
from ..repositories.topics import TopicAlertRepository, TopicRepository
from . import duplicates
from .access import require

#: Who reads topics and alerts, and acknowledges alerts: the district's supervisors and dispatchers.
TOPIC_READERS = frozenset({"supervisor", "dispatcher"})
#: Who sees merge suggestions: those who merge tickets (services/duplicates).
MERGERS = frozenset({"hotline_agent", "dispatcher"})
#: Who runs the pass on demand.
SCANNERS = frozenset({"supervisor"})
#: The longest range counted: by day a quarter, by week two years.
MAX_DAYS = {"day": 92, "week": 728}
#: Ranges when none is asked: the last two weeks by day, the last eight weeks by week.
DEFAULT_DAYS = {"day": 14, "week": 56}
#: Unfinished tickets of a topic compared for merging, at most (the newest).
MERGE_CANDIDATES = 500


@dataclass
class TopicCounts:
    """A topic and its tickets in a range, by (period start, street, community)."""

    topic: Topic
    count: int = 0
    cells: list[tuple[date, str | None, str | None, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """A ticket to merge into an earlier one, scored as a likely duplicate."""

    ticket: Ticket
    into: duplicates.Match


@dataclass(frozen=True)
class AlertView:
    """An alert and the tickets behind it (with their similarity), oldest first."""

    alert: TopicAlert
    tickets: list[tuple[Ticket, float | None]]


def read_topics(principal: Principal) -> None:
    """403 unless the caller is a supervisor or dispatcher (or an administrator)."""
    require(principal, TOPIC_READERS, "查看热点问题", "Reading hot topics")


def resolve_range(period: str, asked: DateRange, now: datetime | None = None) -> tuple[date, date]:
    """The days counted: `to` (default today), `from` (default a period's default span back; for
    weeks moved back to its Monday); 422 past the period's longest range."""
    end = asked.end or local_date(now or utcnow())
    start = asked.start or end - timedelta(days=DEFAULT_DAYS[period] - 1)
    if period == "week":
        start -= timedelta(days=start.weekday())
    days = (end - start).days + 1
    if days > MAX_DAYS[period]:
        raise errors.topic_range_too_long(period, days, MAX_DAYS[period])
    return start, end


async def topic_counts(
    session: AsyncSession,
    principal: Principal,
    *,
    period: str,
    start: date,
    end: date,
    street_code: str | None,
    community_code: str | None,
) -> list[TopicCounts]:
    """The topics with tickets in [start, end] (at the place), the most tickets first."""
    read_topics(principal)
    repo = TopicRepository(session)
    rows = await repo.counts(
        start=start,
        end=end,
        by_week=period == "week",
        street_code=street_code,
        community_code=community_code,
    )
    topics = await repo.by_ids(sorted({r[0] for r in rows}))
    found: dict[str, TopicCounts] = {}
    for topic_id, period_start, street, community, count in rows:
        entry = found.setdefault(topic_id, TopicCounts(topics[topic_id]))
        entry.count += count
        entry.cells.append((period_start, street, community, count))
    for entry in found.values():
        entry.cells.sort(key=lambda c: (c[0], c[1] or "", c[2] or ""))
    return sorted(found.values(), key=lambda e: (-e.count, e.topic.label, e.topic.id))


async def get_topic(session: AsyncSession, topic_id: str) -> Topic:
    """The topic, or 404."""
    topic = await TopicRepository(session).find(topic_id)
    if topic is None:
        raise errors.topic_not_found(topic_id)
    return topic


async def topic_tickets(
    session: AsyncSession,
    principal: Principal,
    topic_id: str,
    page: PageParams,
    *,
    days: DateRange,
    street_code: str | None,
) -> tuple[list[tuple[Ticket, float | None]], int]:
    """A page of the topic's tickets (in the days, at the street), newest first."""
    read_topics(principal)
    await get_topic(session, topic_id)
    rows, total = await TopicRepository(session).tickets_page(
        topic_id, page, start=days.start, end=days.end, street_code=street_code
    )
    return [(t, sim) for t, sim in rows], total


async def merge_suggestions(
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    topic_id: str,
    now: datetime | None = None,
) -> list[Suggestion]:
    """Unfinished tickets of the topic that likely duplicate an earlier one of the same street
    within `topic_merge_window_hours` (score ≥ `topic_merge_score`), the most alike first."""
    require(principal, MERGERS, "查看待合并的重复工单", "Reading merge suggestions")
    await get_topic(session, topic_id)
    now = now or utcnow()
    unfinished = sorted(set(TICKET.states) - FINISHED_STATUSES)
    tickets = await TopicRepository(session).tickets_of_topic(
        topic_id, since=now - duplicates.WINDOW, statuses=unfinished
    )
    window = timedelta(hours=settings.topic_merge_window_hours)
    by_street: dict[str | None, list[Ticket]] = defaultdict(list)
    for t in tickets[-MERGE_CANDIDATES:]:
        by_street[t.street_code].append(t)
    found = []
    for street, group in by_street.items():
        if street is None:
            continue
        for i, later in enumerate(group):
            earlier = [e for e in group[:i] if later.created_at - e.created_at <= window]
            matches = [duplicates.score(later, e) for e in earlier]
            best = max(matches, key=lambda m: (m.score, -m.ticket.created_at.timestamp()), default=None)
            if best is not None and best.score >= settings.topic_merge_score:
                found.append(Suggestion(later, best))
    found.sort(key=lambda s: (-s.into.score, s.ticket.created_at, s.ticket.id))
    return found


async def _views(session: AsyncSession, alerts: list[TopicAlert]) -> list[AlertView]:
    ids = sorted({i for a in alerts for i in a.ticket_ids})
    tickets = await TopicRepository(session).tickets(ids)
    return [AlertView(a, [tickets[i] for i in a.ticket_ids if i in tickets]) for a in alerts]


async def list_alerts(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: str | None,
    street_code: str | None,
) -> tuple[list[AlertView], int]:
    """A page of rising-topic alerts, newest first."""
    read_topics(principal)
    alerts, total = await TopicAlertRepository(session).page(page, status=status, street_code=street_code)
    return await _views(session, alerts), total


async def get_alert(session: AsyncSession, principal: Principal, alert_id: str) -> AlertView:
    """One alert with its tickets."""
    read_topics(principal)
    alert = await TopicAlertRepository(session).find(alert_id)
    if alert is None:
        raise errors.topic_alert_not_found(alert_id)
    return (await _views(session, [alert]))[0]


async def acknowledge(
    session: AsyncSession, principal: Principal, alert_id: str, *, note: str | None
) -> AlertView:
    """Acknowledge an alert (已阅签收); again keeps the first acknowledgement."""
    require(principal, TOPIC_READERS, "签收热点预警", "Acknowledging a topic alert")
    alert = await TopicAlertRepository(session).find(alert_id, lock=True)
    if alert is None:
        raise errors.topic_alert_not_found(alert_id)
    if alert.status == "open":
        alert.status = "acknowledged"
        alert.acknowledged_by = principal.subject
        alert.acknowledged_at = utcnow()
        alert.note = note
    return (await _views(session, [alert]))[0]
