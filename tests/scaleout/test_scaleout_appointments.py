"""No double booking across replicas: concurrent bookings of the same slots, sent to both intake
processes at once, take exactly the slots' capacity — the seat is taken by a conditional UPDATE
in PostgreSQL, not decided by what either process read."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx
from devstack import Platform
from scaleout_support import api_bases, demo_item, query, staff_tokens

CAPACITY = 3
SLOTS = 4
REQUESTS_PER_SLOT = 16
HOURS = {
    "working_days": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:00"}],
    "weekend": [{"start": "09:00", "end": "12:00"}],
}


async def test_concurrent_bookings_on_both_replicas_take_exactly_the_capacity(cluster: Platform) -> None:
    async with httpx.AsyncClient(timeout=120) as client:
        intake = api_bases(cluster, "intake")
        staff = await staff_tokens(client, cluster, "admin", "clerk")
        item = await demo_item(client, intake[0])
        resp = await client.post(
            f"{intake[0]}/places",
            json={
                "code": f"SO-HALL-{uuid.uuid4().hex[:8]}",
                "name": "扩容测试大厅",
                "org_unit_code": "110105-ZWFW",
                "address": "朝阳区示例路1号",
                "hours": HOURS,
                "slot_minutes": 30,
            },
            headers=staff("admin", 0),
        )
        assert resp.status_code == 201, resp.text
        place = resp.json()["id"]
        resp = await client.post(
            f"{intake[1]}/places/{place}/slots/generate",
            json={"item_code": item["code"], "capacity": CAPACITY, "days": 7},
            headers=staff("admin", 1),
        )
        assert resp.status_code == 200, resp.text
        resp = await client.get(f"{intake[0]}/places/{place}/slots", params={"item_code": item["code"]})
        slots = [s["id"] for s in resp.json()["items"][:SLOTS]]
        assert len(slots) == SLOTS

        async def book(slot: str, n: int) -> int:
            # A clerk books for distinct people, so only the seat count can refuse them.
            r = await client.post(
                f"{intake[n % 2]}/appointments",
                json={"slot_id": slot, "phone": "13812345678", "person_id": f"so-{uuid.uuid4().hex[:12]}"},
                headers=staff("clerk", n),
            )
            assert r.status_code in (201, 409), r.text  # 409 intake.slot_full
            return r.status_code

        codes = await asyncio.gather(*(book(s, n) for s in slots for n in range(REQUESTS_PER_SLOT)))
        per_slot = [Counter(codes[i * REQUESTS_PER_SLOT : (i + 1) * REQUESTS_PER_SLOT]) for i in range(SLOTS)]
        assert [(c[201], c[409]) for c in per_slot] == [(CAPACITY, REQUESTS_PER_SLOT - CAPACITY)] * SLOTS

        rows = await query(
            cluster,
            "intake",
            "SELECT s.id, s.booked, count(a.id) FILTER (WHERE a.status = 'booked') AS n "
            "FROM appointment_slots s LEFT JOIN appointments a ON a.slot_id = s.id "
            "WHERE s.id = ANY($1::text[]) GROUP BY s.id, s.booked",
            slots,
        )
        assert sorted((r["booked"], r["n"]) for r in rows) == [(CAPACITY, CAPACITY)] * SLOTS
        # Both replicas read the same seats left: none.
        for base in intake:
            got = (
                await client.get(f"{base}/places/{place}/slots", params={"item_code": item["code"]})
            ).json()
            assert [s["available"] for s in got["items"] if s["id"] in slots] == [0] * SLOTS
