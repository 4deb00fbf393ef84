"""`python -m evaluation.services.rebuild`: recompute every indicator from the event streams and prove the
incremental values.

Every indicator counter is moved by an event, so the counters are a fold of the streams:

- INTAKE (`intake.application.>`) and HOTLINE (`hotline.ticket.>`): the events evaluation consumes;
- EVALUATION (`evaluation.>`): evaluation's own facts (services registered, ratings, call-backs,
  rectifications, explanations, appeal decisions, response ratings, guide views).

(IDENTITY and CATALOG feed read models only — names and the unit tree — and move no counter.)

The command first takes one consistent snapshot of the database: the stored counters, the ids of
the events each durable consumer has handled (`processed_events`) and evaluation's outbox (which
of its own events had committed, and the payloads of any the relay has not sent yet). It then
reads each stream from its first sequence with an ordered, ephemeral consumer (the durable
consumers are never touched), folds the events that the snapshot says were applied — once per
event id, through `indicators.event_increments`, the function the consumers and services use —
into counters in memory, and compares. Events not yet handled (consumer lag) or committed after
the snapshot are left out on both sides, so the check is exact on a running system.

The response obligations 响应率 is read from (`hotline_responses`, see `services.hotline_responses`)
are replayed the same way from the HOTLINE stream, through the same `hotline_responses.merge`, and
compared row by row.

Prints `MATCH …` and exits 0, or `MISMATCH …` with every differing counter (dimension, key,
month, counter) and the indicators it feeds, and every differing obligation, and exits 1.
`--repair` adds the differences to the stored counters (an atomic upsert, so increments made
meanwhile are kept) and sets each differing obligation to its replayed state where the row is
still what the snapshot read (one changed meanwhile is left to the consumer), then counts 响应率's
rollup (`hotline_response_months`) of the months touched again; run it again to see MATCH. The
streams are the record.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.events import EventEnvelope

from ..clients import PayloadRejected, hotline, month_of
from ..clients.streams import jetstream, stream_events
from ..config import Settings
from ..models import HotlineResponse
from ..repositories.counters import CounterRepository
from ..repositories.event_log import EventLogRepository
from ..repositories.hotline_responses import HotlineResponseRepository
from . import hotline_responses
from .consumed import HOTLINE_CONSUMER, INTAKE_CONSUMER
from .hotline_responses import Obligation
from .indicators import INDICATORS, Key, apply_increments, event_increments

ObligationKey = tuple[str, int]  # ticket id, round

OWN_STREAM = ("EVALUATION", "evaluation.>")


@dataclass
class Snapshot:
    """What the database held at one instant."""

    counters: dict[Key, int]
    obligations: dict[ObligationKey, Obligation]
    handled: dict[str, set[str]]  # durable consumer → event ids it applied
    own_sent: set[str]  # our committed events the relay has published
    own_unsent: dict[str, EventEnvelope]  # committed, not yet on the stream


@dataclass
class Replay:
    """The counters the streams say, and what was read."""

    counters: dict[Key, int] = field(default_factory=lambda: defaultdict(int))
    obligations: dict[ObligationKey, Obligation] = field(default_factory=dict)
    read: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    folded: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: int = 0  # on a stream but not applied by the snapshot (lag, later, other databases)
    rejected: int = 0  # applied once, yet the mapping refuses them now (a changed mapping)
    missing_own: int = 0  # published by us, no longer on the stream

    def fold(self, source: str, envelope: EventEnvelope) -> None:
        """Add one event's increments."""
        try:
            increments = event_increments(envelope.subject, dict(envelope.data))
        except PayloadRejected:
            self.rejected += 1
            return
        self.folded[source] += 1
        for key, value in increments.items():
            self.counters[key] += value
        if envelope.subject in hotline.OBLIGATIONS:
            hotline_responses.fold(self.obligations, envelope.subject, dict(envelope.data))


async def stored_counters(session: AsyncSession) -> dict[Key, int]:
    """The incrementally maintained counters (zeros left out)."""
    return await CounterRepository(session).all()


async def take_snapshot(db: Database) -> Snapshot:
    """Counters, handled event ids and our outbox, read in one consistent transaction."""
    async with db.transaction(write=False) as session:
        log = EventLogRepository(session)
        if not db.sqlite:
            # One snapshot for every statement below (SQLite's read transaction already is one).
            await log.repeatable_read()
        counters = await stored_counters(session)
        obligations = await hotline_responses.stored(session)
        handled: dict[str, set[str]] = {}
        for name, _stream, _subject in (INTAKE_CONSUMER, HOTLINE_CONSUMER):
            handled[name] = await log.handled_by(name)
        sent = await log.sent_ids()
        pending = [EventEnvelope.model_validate_json(p) for p in await log.unsent_payloads()]
        return Snapshot(
            counters=counters,
            obligations=obligations,
            handled=handled,
            own_sent=sent,
            own_unsent={e.event_id: e for e in pending},
        )


async def replay_streams(nats_url: str, snap: Snapshot, *, idle_timeout: float = 30.0) -> Replay:
    """Fold the applied events of every counter-moving stream into counters."""
    out = Replay()
    async with jetstream(nats_url) as js:
        for name, stream, subject in (INTAKE_CONSUMER, HOTLINE_CONSUMER):
            applied, seen = snap.handled[name], set()
            async for envelope in stream_events(js, stream, subject, idle_timeout=idle_timeout):
                out.read[stream] += 1
                if envelope is None or envelope.event_id not in applied or envelope.event_id in seen:
                    out.skipped += 1
                    continue
                seen.add(envelope.event_id)
                out.fold(stream, envelope)
        stream, subject = OWN_STREAM
        seen = set()
        async for envelope in stream_events(js, stream, subject, idle_timeout=idle_timeout):
            out.read[stream] += 1
            if envelope is None or envelope.event_id not in snap.own_sent or envelope.event_id in seen:
                out.skipped += 1
                continue
            seen.add(envelope.event_id)
            out.fold(stream, envelope)
        out.missing_own = len(snap.own_sent - seen)
        for envelope in snap.own_unsent.values():
            out.fold("outbox", envelope)
    out.counters = {k: v for k, v in out.counters.items() if v}
    return out


def differences(expected: dict[Key, int], actual: dict[Key, int]) -> list[dict[str, Any]]:
    """Every counter whose stored value differs from the replay, with the indicators it feeds."""
    out = []
    for key in sorted(set(expected) | set(actual)):
        if expected.get(key, 0) != actual.get(key, 0):
            d, k, m, n = key
            feeds = [i.name for i in INDICATORS if n in i.numerator or n == i.denominator]
            out.append(
                {
                    "dimension": d,
                    "key": k,
                    "month": m,
                    "name": n,
                    "replayed": expected.get(key, 0),
                    "stored": actual.get(key, 0),
                    "indicators": feeds,
                }
            )
    return out


OBLIGATION = "response_obligation"


def _shown(o: Obligation | None) -> str:
    if o is None:
        return "none"
    responded = o.responded_at.isoformat() if o.responded_at else "not responded"
    return f"{o.unit_code} due {o.due_at.isoformat()}, {responded}"


def obligation_differences(
    expected: dict[ObligationKey, Obligation], actual: dict[ObligationKey, Obligation]
) -> list[dict[str, Any]]:
    """Every response obligation whose stored state differs from the replay."""
    out = []
    for key in sorted(set(expected) | set(actual)):
        want, got = expected.get(key), actual.get(key)
        if want != got:
            due = (want or got).due_at  # type: ignore[union-attr]  # one of them exists
            out.append(
                {
                    "dimension": "response",
                    "key": f"{key[0]}#{key[1]}",
                    "month": month_of(due),
                    "name": OBLIGATION,
                    "replayed": _shown(want),
                    "stored": _shown(got),
                    "indicators": ["hotline_response_rate"],
                    "obligation": (key, want, got),
                }
            )
    return out


async def repair_obligations(session: AsyncSession, diffs: list[dict[str, Any]]) -> None:
    """Set each differing obligation to its replayed state, where it is still what the snapshot read."""
    repo = HotlineResponseRepository(session)
    months: set[str] = set()
    for d in diffs:
        key, want, got = d["obligation"]
        if got is not None:
            if want is None:
                changed = await repo.delete_if_unchanged(key[0], key[1], asdict(got))
            else:
                changed = await repo.update_if_unchanged(key[0], key[1], asdict(got), asdict(want))
        else:
            changed = await repo.find(key[0], key[1]) is None
            if changed:
                repo.add(HotlineResponse(ticket_id=key[0], round=key[1], **asdict(want)))
        if changed:
            months |= {hotline_responses.month_of_due(o.due_at) for o in (got, want) if o is not None}
    await session.flush()
    # The rollup 响应率 reads is counted again from the obligations of the months touched: the
    # stored state that differed never went through the consumer, so its rows cannot be trusted.
    for month in sorted(months):
        start, end = hotline_responses.month_bounds(month)
        await repo.recount_month(month, start=start, end=end)


async def check(
    database_url: str, nats_url: str, *, repair: bool = False
) -> tuple[Replay, list[dict[str, Any]]]:
    """(the replay, the differences) — and repair the counters and obligations when `repair`."""
    db = Database(database_url)
    try:
        snap = await take_snapshot(db)
        replay = await replay_streams(nats_url, snap)
        diffs = differences(replay.counters, snap.counters)
        moved = obligation_differences(replay.obligations, snap.obligations)
        if repair and (diffs or moved):
            delta = {
                (d["dimension"], d["key"], d["month"], d["name"]): d["replayed"] - d["stored"] for d in diffs
            }
            async with db.transaction() as session:
                await apply_increments(session, delta)
                await repair_obligations(session, moved)
        return replay, diffs + moved
    finally:
        await db.dispose()


def summary(replay: Replay) -> str:
    """One line on what was read and folded."""
    read = ", ".join(f"{s} {n}" for s, n in sorted(replay.read.items())) or "nothing"
    folded = sum(replay.folded.values())
    parts = [
        f"{len(replay.counters)} counters and {len(replay.obligations)} response obligations "
        f"from {folded} applied events (read: {read})"
    ]
    if replay.folded.get("outbox"):
        parts.append(f"{replay.folded['outbox']} of ours still in the outbox")
    if replay.skipped:
        parts.append(f"{replay.skipped} not applied here (not yet handled, later, or another database's)")
    if replay.rejected:
        parts.append(f"{replay.rejected} applied but refused by today's mapping")
    if replay.missing_own:
        parts.append(f"{replay.missing_own} of ours missing from the EVALUATION stream")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database-url", default=None, help="defaults to EVALUATION_DATABASE_URL / var/evaluation.db"
    )
    parser.add_argument("--nats-url", default=None, help="defaults to EVALUATION_NATS_URL")
    parser.add_argument("--repair", action="store_true", help="write the recomputed values")
    args = parser.parse_args(argv)
    settings = Settings()
    url = args.database_url or settings.resolved_database_url()
    replay, diffs = asyncio.run(check(url, args.nats_url or settings.nats_url, repair=args.repair))
    if not diffs:
        sys.stdout.write(f"MATCH: {summary(replay)}\n")
        return 0
    moved = sum(1 for d in diffs if d["name"] == OBLIGATION)
    what = f"{len(diffs) - moved} counter(s)" + (f" and {moved} response obligation(s)" if moved else "")
    sys.stdout.write(f"MISMATCH: {what} differ{' (repaired)' if args.repair else ''}; {summary(replay)}\n")
    for d in diffs[:200]:
        sys.stdout.write(
            f"  {d['dimension']} {d['key']} {d['month']} {d['name']}: replayed {d['replayed']}, "
            f"stored {d['stored']} (feeds {', '.join(d['indicators']) or 'no published indicator'})\n"
        )
    if len(diffs) > 200:
        sys.stdout.write(f"  … and {len(diffs) - 200} more\n")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
