"""Load hotline demo data: dispatch rules over the demo org tree, a few knowledge-base entries,
an Open311 api key, and a year of tickets about everyday topics with one rising (`history`).

    python -m hotline.demo [--database-url URL]

Runs the migrations first (they also seed the default categories and time-limit rules), then in
one transaction adds what is missing: rules by (category, area), entries by question, the key by
its hash, the year of tickets once (bulk-inserted); then the hot-topic pass groups them and raises
the planted topic's alert. Idempotent: running it again adds nothing. Unit codes are identity-svc's demo tree
(identity.demo); the org read model fills from identity's events when the service runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate
from yiwang_shared.orm import utcnow

from ..config import SERVICE_DIR, Settings
from ..models import DispatchRule, KbEntry, KbVersion, Open311Key, Ticket
from ..repositories.kb import KbRepository
from ..repositories.open311 import Open311Repository
from ..repositories.rules import DispatchRuleRepository
from ..services.kb import publish_version
from ..services.open311 import hash_key
from ..services.topic_scan import analyse
from .history import HISTORY_ACTOR, generate

D = "110105"
STREETS = ("001", "002", "003")
DEMO_OPEN311_KEY = "demo-open311-key-2026"
SYSTEM = "system:hotline-demo"

#: (category, area, lead unit, co-handling units); street matters are led by the street's centre.
CITYWIDE_RULES: list[tuple[str, str, str, list[str]]] = [
    ("water", "*", f"{D}-ZJW", []),
    ("power", "*", f"{D}-ZJW", []),
    ("gas", "*", f"{D}-ZJW", []),
    ("heating", "*", f"{D}-ZJW", []),
    ("social_security", "*", f"{D}-RSJ", []),
    ("civil_affairs", "*", f"{D}-MZJ", []),
    ("medical_insurance", "*", f"{D}-YBJ", []),
    ("market", "*", f"{D}-SCJGJ", []),
    ("public_service", "*", f"{D}-ZWGLJ", []),
]
STREET_CATEGORIES: list[tuple[str, list[str]]] = [
    ("noise", [f"{D}-ZJW"]),
    ("sanitation", []),
    ("roads", []),
    ("property", [f"{D}-ZJW"]),
]

#: (question, answer, keywords, owner unit) — demo content, not official policy text.
KB_ENTRIES = [
    (
        "最低生活保障怎么申请？",
        "（演示数据）本区户籍、家庭月人均收入低于本市最低生活保障标准且财产符合规定的家庭，可向户籍所在地"
        "街道（乡镇）提出申请，携带户口簿、居民身份证，如实申报家庭收入和财产；街道受理后入户调查、"
        "民主评议并公示，区民政局审批。咨询：区民政局。",
        ["低保", "最低生活保障", "社会救助"],
        f"{D}-MZJ",
    ),
    (
        "居住证到期了怎么签注？",
        "（演示数据）居住证每年签注一次，在有效期满前30日内，持居住证到居住地社区服务站或派出所办理签注，"
        "需提供连续居住证明。",
        ["居住证", "签注", "续签"],
        f"{D}-GAFJ",
    ),
    (
        "社保卡丢了怎么补办？",
        "（演示数据）先拨打社保卡服务热线或通过手机应用办理挂失，再持居民身份证到任一社保卡服务网点或"
        "合作银行网点申请补卡；补卡期间可使用电子社保卡。",
        ["社保卡", "补办", "挂失"],
        f"{D}-RSJ",
    ),
    (
        "本市供暖期是什么时候？家里暖气不热找谁？",
        "（演示数据）本市法定供暖期为每年11月15日至次年3月15日，室温不低于18℃。暖气不热请先联系供热单位"
        "报修；24小时未处理可拨打12345反映，热线将派单至区住房城乡建设委督办。",
        ["供暖", "暖气", "供热", "暖气不热"],
        f"{D}-ZJW",
    ),
    (
        "12345热线受理哪些诉求？",
        "（演示数据）12345受理企业和群众对经济社会发展、城市建设管理和民生保障等方面的咨询、求助、投诉、"
        "举报和建议。涉及110、119、120、122紧急事项，以及应通过诉讼、仲裁、行政复议等法定途径解决的事项，"
        "热线将告知相应渠道。",
        ["12345", "受理范围", "热线"],
        f"{D}-ZWGLJ",
    ),
]


@dataclass
class DemoResult:
    """What one load did."""

    rules: int = 0
    entries: int = 0
    keys: int = 0
    tickets: int = 0
    topics: int = 0
    alerts: int = 0


def demo_rules() -> list[tuple[str, str, str, list[str]]]:
    """Every demo dispatch rule."""
    rules = list(CITYWIDE_RULES)
    for seq in STREETS:
        street = D + seq
        rules += [(cat, street, f"{street}-FWZX", co) for cat, co in STREET_CATEGORIES]
    return rules


async def load_rules(session: AsyncSession, result: DemoResult) -> None:
    """Add the missing dispatch rules."""
    existing = await DispatchRuleRepository(session).keys()
    for category, area, lead, co in demo_rules():
        if (category, area) in existing:
            continue
        session.add(
            DispatchRule(category_code=category, area_code=area, lead_unit_code=lead, co_unit_codes=co)
        )
        result.rules += 1


async def load_entries(session: AsyncSession, result: DemoResult) -> None:
    """Add and publish the missing knowledge-base entries."""
    have = await KbRepository(session).questions()
    now = utcnow()
    for question, answer, keywords, owner in KB_ENTRIES:
        if question in have:
            continue
        entry = KbEntry(
            source="manual",
            owner_unit_code=owner,
            status="draft",
            question=question,
            created_by=SYSTEM,
            usage_count=0,
        )
        session.add(entry)
        await session.flush()
        version = KbVersion(
            entry_id=entry.id,
            version_no=1,
            status="published",
            question=question,
            answer=answer,
            keywords=keywords,
            item_codes=[],
            author=SYSTEM,
            reviewer=SYSTEM,
            review_note="demo data",
            published_at=now,
        )
        session.add(version)
        await session.flush()
        await publish_version(session, entry, version)
        result.entries += 1


async def load_key(session: AsyncSession, result: DemoResult) -> None:
    """Add the demo Open311 api key."""
    digest = hash_key(DEMO_OPEN311_KEY)
    if await Open311Repository(session).find_key_by_hash(digest) is not None:
        return
    session.add(Open311Key(key_sha256=digest, name="demo", active=True))
    result.keys += 1


async def load_history(session: AsyncSession, result: DemoResult, now: datetime) -> None:
    """Add the year of demo tickets (once), in batches of one statement each."""
    query = select(Ticket.id).where(Ticket.created_by == HISTORY_ACTOR).limit(1)
    if (await session.execute(query)).first() is not None:
        return
    rows = [t.row for t in generate(now)]
    for i in range(0, len(rows), 500):
        await session.execute(insert(Ticket), rows[i : i + 500])
    result.tickets = len(rows)


async def load_demo(database_url: str, now: datetime | None = None) -> DemoResult:
    """Migrate, then add whatever demo data is missing, then run the hot-topic pass."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    result = DemoResult()
    now = now or utcnow()
    try:
        async with db.transaction() as session:
            await load_rules(session, result)
            await load_entries(session, result)
            await load_key(session, result)
            await load_history(session, result, now)
        done = await analyse(db, Settings(database_url=database_url), now)
        result.topics, result.alerts = done.topics_created, done.alerts_raised
    finally:
        await db.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m hotline.demo", description=__doc__)
    parser.add_argument("--database-url", default=None, help="Default: HOTLINE_DATABASE_URL")
    args = parser.parse_args(argv)
    url = args.database_url or Settings().resolved_database_url()
    result = asyncio.run(load_demo(url))
    sys.stdout.write(
        f"Hotline demo: {result.rules} dispatch rule(s), {result.entries} knowledge-base entry(ies), "
        f"{result.keys} Open311 key(s), {result.tickets} ticket(s) of demo history added "
        f"({result.topics} topic(s) found, {result.alerts} rising-topic alert(s); "
        f"demo api_key: {DEMO_OPEN311_KEY}).\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
