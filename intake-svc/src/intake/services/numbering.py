"""Human-facing numbers: application numbers and notice numbers (e.g. 朝政受字〔2026〕第000012号).

Notice numbers are gapless per kind and year: the counter row is updated in the caller's
transaction, so concurrent callers wait for each other until commit (notices are rare). Application
numbers (SQ<year><8 digits>) need only be unique and never reused: on PostgreSQL they come from the
sequence `application_no_seq` (migration intake_0005), which holds no lock, because the reliability
drills found 14-18 of 20 connections queued on the counter row behind whole submissions; so they do
not restart at 1 each year and a refused submission leaves a gap. SQLite has one writer at a time
anyway and keeps a counter row per year."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..repositories.numbering import NumberRepository

#: Document number prefixes (文号代字) per kind: 补正告知, 受理, 撤销受理, 不予受理, 准予, 不予, 终止办理,
#: 撤销决定.
NOTICE_PREFIXES = {
    "correction": "朝政补字",
    "acceptance": "朝政受字",
    "revocation": "朝政撤字",
    "non_acceptance": "朝政不受字",
    "approval": "朝政准字",
    "refusal": "朝政不准字",
    "correction_expired": "朝政终字",
    "decision_revocation": "朝政撤决字",
}
#: What every document number ends with.
NOTICE_TAIL = "号"


async def next_value(session: AsyncSession, name: str) -> int:
    """The next value of counter `name` (starting at 1)."""
    return await NumberRepository(session).next_value(name)


async def application_no(session: AsyncSession, year: int) -> str:
    """A new application number: SQ<year><8 digits>."""
    value = await NumberRepository(session).next_application_seq()
    if value is None:
        value = await next_value(session, f"application-{year}")
    return f"SQ{year}{value:08d}"


def notice_counter(kind: str, year: int) -> str:
    """The counter behind the document numbers of `kind` in `year`."""
    return f"notice-{kind}-{year}"


def notice_head(kind: str, year: int) -> str:
    """What a document number of `kind` in `year` reads before its six digits."""
    return f"{NOTICE_PREFIXES[kind]}〔{year}〕第"


def notice_number(kind: str, year: int, seq: int) -> str:
    """Document number `seq` of `kind` in `year`: 朝政受字〔2026〕第000012号."""
    return f"{notice_head(kind, year)}{seq:06d}{NOTICE_TAIL}"


async def notice_no(session: AsyncSession, kind: str, year: int) -> str:
    """A new document number of `kind` (a key of NOTICE_PREFIXES)."""
    return notice_number(kind, year, await next_value(session, notice_counter(kind, year)))
