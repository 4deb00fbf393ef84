"""Outbox relays on two replicas never lose or double an event, even when one is killed (-9).

Registrations go to both identity processes at once; each commits its identity.user.registered
row to the shared outbox and both relays publish (rows claimed with FOR UPDATE SKIP LOCKED, each
sent with Nats-Msg-Id = event id). Part-way through, the second process is killed with SIGKILL —
whatever it had claimed and perhaps published but not yet marked goes back to the other relay,
and JetStream drops the repeat. Afterwards every outbox row written during the run is marked
published and is on the IDENTITY stream exactly once, and nothing else from the run is there.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import date, timedelta

import httpx
from devstack import SERVICES, Platform
from scaleout_support import api_bases, last_seq, published_count, query, stream_messages, until

IDENTITY = next(s for s in SERVICES if s.name == "identity")
N_REGISTRATIONS = 240
KILL_AFTER = 80
CONCURRENCY = 12
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(n: int) -> str:
    """A valid resident ID (GB 11643 check digit), distinct for each n < 10**7."""
    born = date(1950, 1, 1) + timedelta(days=n // 1000)
    body = f"110105{born:%Y%m%d}{n % 1000:03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return body + check


async def test_relays_on_two_replicas_publish_each_row_once_across_a_kill(cluster: Platform) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        identity = api_bases(cluster, "identity")
        id0 = (await query(cluster, "identity", "SELECT coalesce(max(id), 0) AS m FROM outbox"))[0]["m"]
        seq0 = await last_seq(cluster.nats_url, "IDENTITY")
        first, second = cluster.replica_urls("identity")
        first_before = await published_count(client, first)
        done = 0
        killed = asyncio.Event()
        second_published = 0
        sem = asyncio.Semaphore(CONCURRENCY)
        base_n = random.randrange(10_000) * 1000  # fresh resident ids (born 1950–1977), whatever ran before

        async def register(n: int) -> None:
            nonlocal done
            body = {
                "name": "扩容测试",
                "resident_id": _resident_id(base_n + n),
                "phone": f"137{(base_n + n) % 10**8:08d}",
                "password": "Passw0rd-so",
            }
            async with sem:
                target = identity[0] if killed.is_set() else identity[n % 2]
                try:
                    resp = await client.post(f"{target}/persons", json=body)
                except httpx.TransportError:
                    # The killed replica: it may or may not have committed; ask the survivor.
                    resp = await client.post(f"{identity[0]}/persons", json=body)
                    assert resp.status_code in (201, 409), resp.text
                    return
                assert resp.status_code == 201, resp.text
                done += 1

        async def kill_second() -> None:
            nonlocal second_published
            await until(lambda: _at_least(lambda: done, KILL_AFTER), "registrations stalled", timeout=120)
            second_published = await published_count(client, second)
            cluster.stop_process(cluster.replica_name("identity", 1), kill=True)
            killed.set()

        await asyncio.gather(kill_second(), *(register(n) for n in range(N_REGISTRATIONS)))
        first_published = await published_count(client, first) - first_before
        # The survivor's relay takes over whatever the killed one had claimed (its poll finds them).
        rows = await until(lambda: _all_published(cluster, int(id0)), "outbox rows never all published")
        await asyncio.sleep(1.5)  # room for a late duplicate to show up
        on_stream = Counter(
            m.msg_id for m in await stream_messages(cluster.nats_url, "identity.>", after_seq=seq0)
        )
        assert set(on_stream) == set(rows), "the stream and the outbox disagree"
        assert [i for i, c in on_stream.items() if c > 1] == []
        assert len(rows) >= N_REGISTRATIONS
        resent = first_published + second_published - len(rows)
        print(
            f"outbox rows {len(rows)}, each once on the stream; acknowledged publishes: replica 1 "
            f"{first_published}, replica 2 {second_published} before its kill -9 "
            f"(so at least {max(resent, 0)} re-sent and dropped by JetStream's deduplication)"
        )
        assert first_published > 0 and second_published > 0, "both relays must have published"
        # Leave the cluster whole for any test after this one.
        await asyncio.to_thread(cluster.start_replica, IDENTITY, 1)


async def _at_least(value, n: int) -> bool:  # type: ignore[no-untyped-def]
    return bool(value() >= n)


async def _all_published(cluster: Platform, after_id: int) -> list[str]:
    rows = await query(
        cluster, "identity", "SELECT event_id, published_at FROM outbox WHERE id > $1", after_id
    )
    if any(r["published_at"] is None for r in rows):
        return []
    return [r["event_id"] for r in rows]
