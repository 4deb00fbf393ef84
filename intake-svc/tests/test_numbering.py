"""Application and notice numbers: unique and increasing; application numbers never queue on PostgreSQL."""

import asyncio

from intake_support import Env
from sqlalchemy import text

from intake.services import numbering


async def test_numbers_count_up(env: Env) -> None:
    async with env.db.transaction() as session:
        first = await numbering.application_no(session, 2026)
        second = await numbering.application_no(session, 2026)
        other_year = await numbering.application_no(session, 2027)
        notice = await numbering.notice_no(session, "acceptance", 2026)
        next_notice = await numbering.notice_no(session, "acceptance", 2026)
    assert first.startswith("SQ2026") and int(second[-8:]) == int(first[-8:]) + 1
    assert other_year.startswith("SQ2027")
    if env.db.sqlite:
        assert other_year.endswith("00000001")  # a counter per year
    else:
        assert int(other_year[-8:]) == int(second[-8:]) + 1  # one sequence, never reused
    assert notice.startswith("朝政受字〔2026〕第") and notice.endswith("号")
    assert int(next_notice[-7:-1]) == int(notice[-7:-1]) + 1  # notices stay gapless


async def test_an_open_submission_does_not_hold_the_application_number(env: Env) -> None:
    if env.db.sqlite:
        return  # one writer at a time: the number is taken in the caller's transaction
    # One submission's transaction is still open (it took its number and goes on working) ...
    async with env.db.transaction() as held:
        taken = await numbering.application_no(held, 2026)
        # ... a second one gets the next number at once instead of waiting for that commit.
        async with env.db.transaction() as other:
            await other.execute(text("SET LOCAL lock_timeout = '2s'"))
            nxt = await asyncio.wait_for(numbering.application_no(other, 2026), timeout=5)
            await other.rollback()
        await held.rollback()
    assert int(nxt[-8:]) > int(taken[-8:])
    # Rolled back: the numbers are gone (a gap), never handed out again.
    async with env.db.transaction() as later:
        again = await numbering.application_no(later, 2026)
    assert int(again[-8:]) > int(nxt[-8:])


async def test_a_notice_numbered_in_its_own_insert_moves_the_counter_on(env: Env) -> None:
    # On SQLite the document's number is taken in the INSERT that records it (one statement, issue
    # 19) and a trigger moves the counter on; every way of numbering must see the same counter.
    first = await env.post((await env.submit())["id"], "accept", env.clerk)
    async with env.db.transaction() as session:
        taken = await numbering.notice_no(session, "acceptance", 2026)
    second = await env.post((await env.submit())["id"], "accept", env.clerk)
    numbers = [int(n[-7:-1]) for n in (first["acceptance_no"], taken, second["acceptance_no"])]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
