"""Human-facing numbers from per-year counters: application numbers and notice numbers
(e.g. 朝政受字〔2026〕第000012号). Notice numbers are gapless: the counter row is updated in the
caller's transaction, so concurrent callers wait for each other until commit. Application numbers
need only be unique: on PostgreSQL they come from the counter in a short transaction of their own,
so concurrent submissions do not queue on the row (the reliability drills measured 14-18 of 20
connections waiting there); a refused submission leaves a gap. SQLite has one writer anyway, and a
second connection would wait on the caller's own write lock, so there it stays in the caller's."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from ..application_models import NumberSequence

NOTICE_PREFIXES = {"correction": "朝政补字", "acceptance": "朝政受字", "revocation": "朝政撤字"}


async def next_value(session: AsyncSession, name: str) -> int:
    """The next value of counter `name` (starting at 1)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(NumberSequence)
    await session.execute(insert.values(name=name, value=0).on_conflict_do_nothing())
    value = await session.scalar(
        update(NumberSequence)
        .where(NumberSequence.name == name)
        .values(value=NumberSequence.value + 1)
        .returning(NumberSequence.value)
    )
    return int(value or 0)


async def application_no(session: AsyncSession, year: int) -> str:
    """A new application number: SQ<year><8 digits>."""
    name = f"application-{year}"
    bind = session.bind
    if isinstance(bind, AsyncEngine) and bind.dialect.name == "postgresql":
        async with AsyncSession(bind) as own:
            value = await next_value(own, name)
            await own.commit()
    else:
        value = await next_value(session, name)
    return f"SQ{year}{value:08d}"


async def notice_no(session: AsyncSession, kind: str, year: int) -> str:
    """A new notice number of `kind` (correction, acceptance, revocation)."""
    seq = await next_value(session, f"notice-{kind}-{year}")
    return f"{NOTICE_PREFIXES[kind]}〔{year}〕第{seq:06d}号"
