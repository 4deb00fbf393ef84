"""`python -m identity.demo`: idempotent, and its logins work."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from support import claims, login

from identity.config import Settings
from identity.demo import CITIZENS, DEMO_PASSWORD, ORG_UNITS, STAFF, load_demo
from identity.main import create_app
from identity.models import Base
from yiwang_shared.auth import STAFF_ROLES
from yiwang_shared.tables import outbox
from yiwang_shared.testing.app import running_app
from yiwang_shared.validators import is_valid_resident_id, is_valid_uscc


async def _row_counts(url: str) -> dict[str, int]:
    engine = create_async_engine(url)
    counts = {}
    async with engine.connect() as conn:
        for table in [*Base.metadata.sorted_tables, outbox]:
            counts[table.name] = (
                await conn.execute(sa.select(sa.func.count()).select_from(table))
            ).scalar_one()
    await engine.dispose()
    return counts


async def test_demo_loads_once_and_changes_nothing_the_second_time(settings: Settings) -> None:
    url = settings.resolved_database_url()
    first = await load_demo(url, settings=settings)
    counts = await _row_counts(url)
    second = await load_demo(url, settings=settings)
    assert await _row_counts(url) == counts
    assert first == second
    assert counts["org_units"] == len(ORG_UNITS) and counts["staff"] == len(STAFF)
    # The citizens, and the resident turning 80 the day the demo is first loaded (TURNING_80).
    assert counts["persons"] == len(CITIZENS) + 1 and counts["enterprises"] == 1 and counts["grants"] == 1
    assert {s[2] for s in STAFF} == STAFF_ROLES  # one account per role

    async with running_app(create_app(settings)) as client:
        for demo in first:
            tokens = await login(client, demo.username, DEMO_PASSWORD)
            assert claims(tokens["access_token"])["kind"] == demo.kind
        page = (await client.get("/v1/org-units", params={"limit": 200})).json()
        assert page["total"] == len(ORG_UNITS)
        units = {u["code"]: u for u in page["items"]}
        assert {"区民政局", "区人力社保局", "区卫生健康委", "区政务服务管理局"} <= {
            u["name"] for u in units.values()
        }
        assert units["110105"]["kind"] == "district" and units["110105001"]["level"] == 5
        assert sum(1 for u in units.values() if u["kind"] == "station") == sum(
            1 for u in units.values() if u["kind"] == "community"
        )
        # The agent (second citizen) may act for the demo enterprise.
        agent = next(d for d in first if d.kind == "person" and "经办人" in d.note)
        token = (await login(client, agent.username, DEMO_PASSWORD))["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        ent = (await client.get("/v1/enterprises", headers=headers)).json()["items"][0]
        assert is_valid_uscc(ent["uscc"]) and ent["relation"] == "agent"
        acted = await client.post("/v1/auth/act-for", headers=headers, json={"enterprise_id": ent["id"]})
        assert acted.status_code == 200 and acted.json()["act"]["scope"] == ["*"]
        rid = (await client.get("/v1/me?unmask=true", headers=headers)).json()["account"]["resident_id"]
        assert is_valid_resident_id(rid)
