"""`python -m evaluation.demo` migrates and loads the default ranking rules, idempotently, and
keeps a rule an evaluator changed."""

import subprocess
import sys

from sqlalchemy import update

from evaluation.models import RankingRule
from yiwang_shared.db import Database


async def test_demo_is_idempotent_and_keeps_changed_rules(database_url: str) -> None:
    cmd = [sys.executable, "-m", "evaluation.demo", "--database-url", database_url]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "red_flag_window (红旗窗口)" in first.stdout and "service_star (服务之星)" in first.stdout
    db = Database(database_url)
    try:
        async with db.transaction() as s:
            await s.execute(update(RankingRule).where(RankingRule.name == "service_star").values(top_n=9))
        assert subprocess.run(cmd, capture_output=True, text=True, timeout=120).returncode == 0
        async with db.transaction(write=False) as s:
            rule = await s.get(RankingRule, "service_star")
            assert rule is not None and rule.top_n == 9
    finally:
        await db.dispose()
