"""Deadlines fire once with several replicas scanning at the same moment.

Cases are accepted today on the two real-clock intake replicas; then two more intake processes on
the same database and NATS, their clocks 60 days ahead (`INTAKE_CLOCK_OFFSET_SECONDS`, as the
deadlines e2e test does), run the overdue scan several times each, all at once. Every case must
get exactly one `intake.application.overdue.v1` on JetStream and one overdue trace entry.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from devstack import SERVICES, Platform
from scaleout_support import (
    api_bases,
    citizen_id,
    demo_item,
    last_seq,
    materials,
    query,
    staff_tokens,
    stream_messages,
    until,
    wait_org_units,
)

from yiwang_shared.testing.process import running_service

INTAKE = next(s for s in SERVICES if s.name == "intake")
N_CASES = 24
SCANS_PER_REPLICA = 3
OVERDUE = "intake.application.overdue.v1"


@contextlib.asynccontextmanager
async def shifted_intake(cluster: Platform, offset: timedelta) -> AsyncIterator[str]:
    """One more intake-svc process whose clock runs `offset` ahead; its API base."""
    config = {
        "database_url": cluster.database_url(INTAKE),
        "nats_url": cluster.nats_url,
        "jwks_url": cluster.service_url("identity") + "/v1/auth/jwks",
        "clock_offset_seconds": str(offset.total_seconds()),
        "supervision_scan_seconds": "0",  # scanned on demand, all at once
        "log_level": "WARNING",
    }
    async with running_service("intake", config) as base:
        yield base + "/v1"


async def test_overdue_is_flagged_once_per_case_when_replicas_scan_together(cluster: Platform) -> None:
    async with httpx.AsyncClient(timeout=120) as client:
        intake = api_bases(cluster, "intake")
        staff = await staff_tokens(client, cluster, "clerk", "supervisor")
        item = await demo_item(client, intake[0])
        applicant = await citizen_id(client, api_bases(cluster, "identity")[0], staff("clerk", 0))
        await wait_org_units(client, intake[0], staff("clerk", 0), item, applicant)

        async def accepted_case(n: int) -> str:
            base = intake[n % 2]
            resp = await client.post(
                f"{base}/applications",
                json={
                    "item_code": item["code"],
                    "applicant": {"id": applicant},
                    "materials": materials(item),
                },
                headers=staff("clerk", n),
            )
            assert resp.status_code == 201, resp.text
            app_id = str(resp.json()["id"])
            for k, action in enumerate(("accept", "hand-over")):
                r = await client.post(
                    f"{intake[(n + k + 1) % 2]}/applications/{app_id}/{action}",
                    json={},
                    headers=staff("clerk", n),
                )
                assert r.status_code == 200, r.text
            return app_id

        cases = set(await asyncio.gather(*(accepted_case(n) for n in range(N_CASES))))
        seq0 = await last_seq(cluster.nats_url, "INTAKE")

        later = timedelta(days=60)
        async with shifted_intake(cluster, later) as one, shifted_intake(cluster, later) as two:
            scans = await asyncio.gather(
                *(
                    client.post(f"{base}/supervision/scan", headers=staff("supervisor", i))
                    for i, base in enumerate([one, two] * SCANS_PER_REPLICA)
                )
            )
            assert [r.status_code for r in scans] == [200] * len(scans), [r.text for r in scans]
            flagged = [r.json()["overdue_flagged"] for r in scans]
            # Between them the scans flagged every case once (other tests' open cases may add more).
            assert sum(flagged) >= N_CASES, flagged

            async def overdue_on_stream() -> Counter[str]:
                msgs = await stream_messages(cluster.nats_url, OVERDUE, after_seq=seq0)
                return Counter(m.envelope["data"]["application_id"] for m in msgs)

            await until(lambda: _covers(overdue_on_stream, cases), "overdue events never reached JetStream")
        await asyncio.sleep(2)  # room for a late second event to show up
        per_case = await overdue_on_stream()
        assert {c: per_case[c] for c in cases} == dict.fromkeys(cases, 1)
        print(f"overdue scans flagged {flagged} (sum {sum(flagged)}); {N_CASES} cases, one event each")

        rows = await query(
            cluster,
            "intake",
            "SELECT application_id, count(*) AS n FROM trace_entries WHERE action = 'overdue' "
            "AND application_id = ANY($1::text[]) GROUP BY application_id",
            list(cases),
        )
        assert {r["application_id"]: r["n"] for r in rows} == dict.fromkeys(cases, 1)


async def _covers(counts, cases: set[str]) -> bool:  # type: ignore[no-untyped-def]
    got = await counts()
    return cases <= set(got)
