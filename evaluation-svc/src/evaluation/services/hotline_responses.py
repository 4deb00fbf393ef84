"""响应率 (response rate) from hotline's response obligations, by the one rule in docs/indicators.md.

A response obligation is a unit's duty to contact the caller in one round of a ticket: dispatch
creates it (deadline `response_due_at`), a re-dispatch within the round moves it to the new lead
unit with a new deadline and clears any response, a reopening starts a new round, the unit's first
contact answers it. It counts in the month (Asia/Shanghai) of its deadline, and is *due* once it
was answered or its deadline has passed; it is *on time* when answered by the deadline. The rate
is on time / due.

"Due once the deadline has passed" depends on the instant the figure is read, so no counter can
hold it: evaluation keeps the obligations (`hotline_responses`, a read model built from
`hotline.ticket.dispatched.v1` and `…responded.v1`) and counts them when asked, exactly as
hotline-svc counts its own `response_dues` — one figure in both services. What does not depend on
the instant is kept as data (`hotline_response_months`, moved with every change of an obligation):
per unit and month, the obligations and those answered on time. Due = obligations − those still
ahead of their deadline unanswered, which only the current (or a future) month has, so a month's
figure reads a row per unit, not the month's tickets. `merge` is the one
place that applies an event to an obligation; the consumer and `services.rebuild` both use it,
and it orders events by their own timestamps, so a redelivered or late older event changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.orm import as_utc, utcnow

from ..clients import SHANGHAI
from ..clients.hotline import Dispatched, Responded, parse_obligation
from ..models import HotlineResponse
from ..repositories.hotline_responses import HotlineResponseRepository, MonthKey

#: The counters 响应率 is derived from; computed at read time, never stored.
RESPONSE_DUE = "response_due"
RESPONDED_ON_TIME = "responded_on_time"
RESPONSE_COUNTERS = frozenset({RESPONSE_DUE, RESPONDED_ON_TIME})


@dataclass(frozen=True)
class Obligation:
    """One round's response obligation as hotline-svc holds it."""

    unit_code: str
    due_at: datetime
    dispatched_at: datetime | None
    responded_at: datetime | None


def merge(current: Obligation | None, event: Dispatched | Responded) -> Obligation | None:
    """The obligation after `event`, or None when the event is older than what is held."""
    if isinstance(event, Dispatched):
        at = as_utc(event.dispatched_at)
        if current is not None and current.dispatched_at is not None and current.dispatched_at > at:
            return None  # an earlier dispatch of the round, arriving late
        # hotline clears the response on a re-dispatch; a response made after this dispatch stays.
        kept = current.responded_at if current is not None and current.responded_at is not None else None
        return Obligation(
            unit_code=event.unit_code,
            due_at=as_utc(event.response_due_at),
            dispatched_at=at,
            responded_at=kept if kept is not None and kept >= at else None,
        )
    responded = as_utc(event.responded_at)
    if current is not None and current.dispatched_at is not None and current.dispatched_at > responded:
        return None  # answered a dispatch that a later re-dispatch replaced
    return Obligation(
        unit_code=event.unit_code,
        due_at=as_utc(event.response_due_at),
        dispatched_at=current.dispatched_at if current is not None else None,
        responded_at=responded,
    )


def key_of(event: Dispatched | Responded) -> tuple[str, int]:
    """(ticket id, round): what an obligation is kept by."""
    return event.ticket_id, event.round


def _obligation(row: HotlineResponse) -> Obligation:
    return Obligation(
        unit_code=row.unit_code,
        due_at=as_utc(row.due_at),
        dispatched_at=as_utc(row.dispatched_at) if row.dispatched_at else None,
        responded_at=as_utc(row.responded_at) if row.responded_at else None,
    )


async def apply(session: AsyncSession, subject: str, data: dict[str, Any]) -> None:
    """Apply a dispatched or responded event to its obligation, in the consumer's transaction."""
    event = parse_obligation(subject, data)
    ticket_id, round_no = key_of(event)
    repo = HotlineResponseRepository(session)
    # FOR UPDATE: two replicas handling the same ticket's events serialise here (PostgreSQL).
    row = await repo.find(ticket_id, round_no, for_update=True)
    held = _obligation(row) if row is not None else None
    merged = merge(held, event)
    if merged is None:
        return
    if row is None:
        row = HotlineResponse(ticket_id=ticket_id, round=round_no)
        repo.add(row)
    row.unit_code = merged.unit_code
    row.due_at = merged.due_at
    row.dispatched_at = merged.dispatched_at
    row.responded_at = merged.responded_at
    await repo.move_months(moves(held, merged))
    await session.flush()


def month_of_due(due_at: datetime) -> str:
    """The month (YYYY-MM, Asia/Shanghai) an obligation counts in: its deadline's, as `month_bounds`."""
    try:
        local = as_utc(due_at).astimezone(SHANGHAI)
    except OverflowError:  # past 9999-12-31 in Beijing: month_bounds("9999-12") runs to the end
        return "9999-12"
    return f"{local.year:04d}-{local.month:02d}"


def on_time(o: Obligation) -> bool:
    """Whether the obligation was answered by its deadline."""
    return o.responded_at is not None and o.responded_at <= o.due_at


def moves(before: Obligation | None, after: Obligation | None) -> dict[MonthKey, tuple[int, int]]:
    """What an obligation's change moves in the rollup: {(month, unit): (obligations, on time)}."""
    out: dict[MonthKey, tuple[int, int]] = {}
    for o, sign in ((before, -1), (after, 1)):
        if o is None:
            continue
        k = (month_of_due(o.due_at), o.unit_code)
        n, ok = out.get(k, (0, 0))
        out[k] = (n + sign, ok + sign * on_time(o))
    return {k: v for k, v in out.items() if v != (0, 0)}


def fold(state: dict[tuple[str, int], Obligation], subject: str, data: dict[str, Any]) -> None:
    """Apply one event to obligations held in memory (the rebuild's replay)."""
    event = parse_obligation(subject, data)
    merged = merge(state.get(key_of(event)), event)
    if merged is not None:
        state[key_of(event)] = merged


async def stored(session: AsyncSession) -> dict[tuple[str, int], Obligation]:
    """Every obligation in the read model."""
    rows = await HotlineResponseRepository(session).all()
    return {(r.ticket_id, r.round): _obligation(r) for r in rows}


def _day_start(day: date) -> datetime:
    try:
        return datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)
    except OverflowError:  # midnight of 0001-01-01 in Beijing is before UTC's first instant
        return datetime.min.replace(tzinfo=UTC)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a month (YYYY-MM) in the district's time, as UTC instants."""
    year, mon = int(month[:4]), int(month[5:7])
    if year < 1:  # the YYYY-MM pattern lets 0000 through: it has no days
        nothing = datetime.min.replace(tzinfo=UTC)
        return nothing, nothing
    start = _day_start(date(year, mon, 1))
    if (year, mon) == (9999, 12):
        return start, datetime.max.replace(tzinfo=UTC)
    return start, _day_start(date(year + (mon == 12), mon % 12 + 1, 1))


async def response_counters(
    session: AsyncSession,
    month: str,
    *,
    key: str | None = None,
    prefix: str | None = None,
    now: datetime | None = None,
) -> dict[str, dict[str, int]]:
    """{unit: {response_due, responded_on_time}} for the month, as of `now` (default: this instant)."""
    start, end = month_bounds(month)
    now = now or utcnow()
    repo = HotlineResponseRepository(session)
    kept = await repo.months(month, key=key, prefix=prefix)
    # Only a month that has not ended holds obligations not yet due: a past month's are all due.
    waiting = await repo.awaiting(start=start, end=end, now=now, key=key, prefix=prefix) if end > now else {}
    out: dict[str, dict[str, int]] = {}
    for unit, (obligations, ok) in kept.items():
        due = obligations - waiting.get(unit, 0)
        if due > 0:
            out[unit] = {RESPONSE_DUE: due, RESPONDED_ON_TIME: ok}
    return out
