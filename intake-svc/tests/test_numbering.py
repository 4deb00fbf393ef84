"""Application and notice numbers: unique, per year; application numbers never queue on PostgreSQL."""

import asyncio

import pytest
from intake_support import Env
from sqlalchemy import text

from intake.services import numbering


async def test_numbers_count_up_per_year(env: Env) -> None:
    async with env.db.transaction() as session:
        first = await numbering.application_no(session, 2026)
        second = await numbering.application_no(session, 2026)
        other_year = await numbering.application_no(session, 2027)
        notice = await numbering.notice_no(session, "acceptance", 2026)
    assert int(second[-8:]) == int(first[-8:]) + 1
    assert other_year.startswith("SQ2027") and other_year.endswith("00000001")
    assert notice.startswith("朝政受字〔2026〕第") and notice.endswith("号")


async def test_an_open_submission_does_not_hold_the_application_counter(env: Env) -> None:
    if not env.db.sqlite:
        # One submission's transaction is still open (it took its number and goes on working) ...
        async with env.db.transaction() as held:
            taken = await numbering.application_no(held, 2026)
            # ... a second one gets the next number at once instead of waiting for that commit.
            async with env.db.transaction() as other:
                await other.execute(text("SET LOCAL lock_timeout = '2s'"))
                nxt = await asyncio.wait_for(numbering.application_no(other, 2026), timeout=5)
        assert int(nxt[-8:]) == int(taken[-8:]) + 1
    else:
        pytest.skip("SQLite has one writer: numbers are taken in the caller's transaction")
