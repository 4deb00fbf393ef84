"""Likely duplicates of a ticket (疑似重复件): unfinished tickets of the last weeks about the same
thing, scored, for the agent or dispatcher deciding whether to merge (合并工单)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from ..lifecycles import FINISHED_STATUSES, TICKET
from ..models import Ticket
from ..repositories.tickets import TicketRepository
from .access import require
from .search import bigrams, normalise, words

#: How far back a duplicate is looked for: 12345 centres merge repeated calls about one problem
#: within its handling period, which is at most 15 working days (three weeks and a little more).
WINDOW = timedelta(days=30)
#: At most this many recent tickets sharing a street, category, caller or address are scored.
CANDIDATES = 300
#: Below this score a ticket is not worth showing.
THRESHOLD = 0.2
#: What each shared trait adds to the score (the text's similarity adds up to TEXT).
TEXT = 0.5
TRAITS = {"same_address": 0.2, "same_caller": 0.15, "same_category": 0.1, "same_street": 0.05}


@dataclass(frozen=True)
class Match:
    """One likely duplicate: the ticket, its score (0–1) and why it matched."""

    ticket: Ticket
    score: float
    reasons: list[str]


def _terms(ticket: Ticket) -> set[str]:
    text = f"{ticket.title} {ticket.description}"
    return set(words(text)) | set(bigrams(text))


def _address(ticket: Ticket) -> str | None:
    return "".join(normalise(ticket.address).split()) if ticket.address else None


def score(ticket: Ticket, other: Ticket, terms: set[str] | None = None) -> Match:
    """How alike two tickets are: text overlap (Jaccard of words and bigrams) plus shared traits."""
    mine = terms if terms is not None else _terms(ticket)
    theirs = _terms(other)
    union = mine | theirs
    text = len(mine & theirs) / len(union) if union else 0.0
    reasons: list[str] = []
    if _address(ticket) and _address(ticket) == _address(other):
        reasons.append("same_address")
    if ticket.caller_phone and ticket.caller_phone == other.caller_phone:
        reasons.append("same_caller")
    if ticket.category_code and ticket.category_code == other.category_code:
        reasons.append("same_category")
    if ticket.street_code and ticket.street_code == other.street_code:
        reasons.append("same_street")
    if text >= 0.2:
        reasons.insert(0, "similar_text")
    total = min(1.0, TEXT * min(1.0, text * 2) + sum(TRAITS[r] for r in reasons if r in TRAITS))
    return Match(ticket=other, score=round(total, 3), reasons=reasons)


async def likely_duplicates(session: AsyncSession, ticket: Ticket, actor: Principal) -> list[Match]:
    """The unfinished tickets most like `ticket`, best first (hotline agents and dispatchers)."""
    require(actor, {"hotline_agent", "dispatcher"}, "查找重复工单", "Looking for duplicate tickets")
    traits = [
        (column, value)
        for column, value in (
            ("street_code", ticket.street_code),
            ("category_code", ticket.category_code),
            ("caller_phone", ticket.caller_phone),
            ("address", ticket.address),
        )
        if value
    ]
    if not traits:
        return []
    rows = await TicketRepository(session).sharing_traits(
        ticket,
        traits,
        unfinished=sorted(set(TICKET.states) - FINISHED_STATUSES),
        since=ticket.created_at - WINDOW,
        until=ticket.created_at + WINDOW,
        limit=CANDIDATES,
    )
    terms = _terms(ticket)
    matches = [m for m in (score(ticket, other, terms) for other in rows) if m.score >= THRESHOLD]
    matches.sort(key=lambda m: (-m.score, -m.ticket.created_at.timestamp()))
    return matches
