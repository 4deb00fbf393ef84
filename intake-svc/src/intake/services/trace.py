"""The trace (办事留痕): every action on a case, appended to a hash chain per application.

hash = sha256(prev_hash + canonical JSON of the entry), where the entry is the application id,
sequence number, action, actor, time and data; the first entry's prev_hash is 64 zeros. Callers
hold the application row locked, so appends to one case never interleave, and the row's anchor
(`trace_seq`, `trace_head`) is the chain's end.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Application, TraceEntry
from ..repositories.trace import TraceRepository
from ..schemas import TraceAction

GENESIS = "0" * 64


def canonical(entry: dict[str, Any]) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(
    prev_hash: str,
    *,
    application_id: str,
    seq: int,
    action: str,
    actor: str,
    at: datetime,
    data: dict[str, Any],
) -> str:
    """The hash of one entry chained to `prev_hash`."""
    body = canonical(
        {
            "application_id": application_id,
            "seq": seq,
            "action": action,
            "actor": actor,
            "at": at.isoformat(),
            "data": data,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    session: AsyncSession,
    application: Application,
    *,
    action: TraceAction,
    actor: str,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> TraceEntry:
    """Append an entry to the case's chain, staged with the step's other writes.

    The chain's end is the case's own anchor (`trace_seq`, `trace_head`: the caller holds the row
    locked, or has just created it), so no query looks for it; the anchor moves with the entry,
    written by the step's single UPDATE (or INSERT) of the case."""
    seq, prev = application.trace_seq + 1, application.trace_head or GENESIS
    payload = json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))
    entry = TraceEntry(
        application_id=application.id,
        seq=seq,
        action=action,
        actor=actor,
        at=at,
        data=payload,
        prev_hash=prev,
        hash=entry_hash(
            prev,
            application_id=application.id,
            seq=seq,
            action=action,
            actor=actor,
            at=at,
            data=payload,
        ),
    )
    TraceRepository(session).add(entry)
    application.trace_seq, application.trace_head = seq, entry.hash
    return entry


async def entries(session: AsyncSession, application_id: str) -> list[TraceEntry]:
    """The case's entries in order."""
    return await TraceRepository(session).of_application(application_id)


async def entries_page(
    session: AsyncSession, application_id: str, *, limit: int, offset: int
) -> tuple[list[TraceEntry], int]:
    """One page of the case's entries in order, and how many there are in all."""
    return await TraceRepository(session).page(application_id, limit=limit, offset=offset)


@dataclass(frozen=True)
class ChainCheck:
    """The result of verifying a chain: valid, or where and why it breaks."""

    valid: bool
    entries: int
    first_broken_seq: int | None = None
    #: Why, in Chinese (for the person reading the verification) and in English.
    reason_zh: str | None = None
    reason: str | None = None


def verify_chain(
    chain: list[TraceEntry], *, recorded_seq: int | None = None, recorded_head: str | None = None
) -> ChainCheck:
    """Recompute every hash; name the first entry that does not match.

    With the case's anchor (`recorded_seq`, `recorded_head`: its recorded chain length and
    newest hash), a chain whose newest entries were deleted is caught too."""
    prev = GENESIS
    for expected_seq, entry in enumerate(chain, start=1):
        if entry.seq != expected_seq:
            return ChainCheck(
                False,
                len(chain),
                entry.seq,
                f"第 {expected_seq} 条留痕缺失。",
                f"entry {expected_seq} is missing",
            )
        if entry.prev_hash != prev:
            return ChainCheck(
                False,
                len(chain),
                entry.seq,
                "本条留痕记录的前一哈希值与上一条不符。",
                "prev_hash does not match the entry before",
            )
        recomputed = entry_hash(
            prev,
            application_id=entry.application_id,
            seq=entry.seq,
            action=entry.action,
            actor=entry.actor,
            at=entry.at,
            data=entry.data,
        )
        if recomputed != entry.hash:
            return ChainCheck(
                False,
                len(chain),
                entry.seq,
                "本条留痕的内容与其哈希值不符，可能被改动。",
                "content does not match its hash",
            )
        prev = entry.hash
    if recorded_seq and len(chain) < recorded_seq:
        missing = len(chain) + 1
        return ChainCheck(
            False, len(chain), missing, f"第 {missing} 条留痕缺失。", f"entry {missing} is missing"
        )
    if recorded_head and chain and prev != recorded_head:
        return ChainCheck(
            False,
            len(chain),
            chain[-1].seq,
            "最新一条留痕不是办件记录在案的那一条。",
            "the newest entry is not the one the case recorded",
        )
    return ChainCheck(True, len(chain))
