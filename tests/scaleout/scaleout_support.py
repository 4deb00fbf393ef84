"""What the scale-out tests share: API bases per replica, logins, the demo data, per-process
metrics, reading a JetStream stream by event id, and reading a service's PostgreSQL database."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import nats
from devstack import Platform
from prometheus_client.parser import text_string_to_metric_families

DEMO_PASSWORD = "Demo#2026"
MZJ = "110105-MZJ"
CLERK_WINDOW = "110105-ZWFW-W01"


def api_bases(cluster: Platform, service: str) -> list[str]:
    """The service's API base for each replica: through the gateway (replica 1), then direct."""
    urls = cluster.replica_urls(service)
    return [f"{cluster.gateway_url}/api/{service}/v1", *(u + "/v1" for u in urls[1:])]


async def login(
    client: httpx.AsyncClient, identity_base: str, username: str, password: str = DEMO_PASSWORD
) -> dict[str, str]:
    """A bearer header from the identity replica at `identity_base`."""
    resp = await client.post(f"{identity_base}/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return {"Authorization": "Bearer " + resp.json()["access_token"]}


@dataclass
class Staff:
    """Bearer headers of the demo staff, one set per identity replica (each logged in there)."""

    by_replica: list[dict[str, dict[str, str]]]

    def __call__(self, username: str, replica: int) -> dict[str, str]:
        return self.by_replica[replica % len(self.by_replica)][username]


async def staff_tokens(client: httpx.AsyncClient, cluster: Platform, *usernames: str) -> Staff:
    """Log the demo staff in at every identity replica."""
    return Staff(
        [{u: await login(client, base, u) for u in usernames} for base in api_bases(cluster, "identity")]
    )


async def until(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 90) -> Any:
    """Poll `check` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        got = await check()
        if got:
            return got
        assert time.monotonic() < deadline, f"timed out: {what}"
        await asyncio.sleep(0.5)


def materials(item: dict[str, Any]) -> list[dict[str, Any]]:
    """The required materials of an item, all handed in."""
    return [
        {"name": m["name"], "media": m["media"], "originals": m["originals"], "copies": m["copies"]}
        for m in item["elements"]["materials"]
        if not m.get("exempt") and m.get("requirement") == "required"
    ]


async def demo_item(client: httpx.AsyncClient, intake_base: str) -> dict[str, Any]:
    """A 承诺件 of 区民政局 from the demo catalogue, once it reached intake through NATS."""

    async def find() -> dict[str, Any] | None:
        for item in (await client.get(f"{intake_base}/catalog-items", params={"limit": 200})).json()["items"]:
            if item["owner_unit_code"] == MZJ:
                full = (await client.get(f"{intake_base}/catalog-items/{item['code']}")).json()
                if full["elements"].get("handling_type") == "2":
                    return dict(full)
        return None

    return dict(await until(find, "no demo item of 区民政局 reached intake-svc"))


async def citizen_id(client: httpx.AsyncClient, identity_base: str, clerk: dict[str, str]) -> str:
    """The demo citizen's account id, looked up by phone as a clerk finds a person at the window."""
    body = {"phone": "13810000003", "reason": "扩容测试：窗口代办申请"}
    resp = await client.post(f"{identity_base}/persons/lookup", headers=clerk, json=body)
    assert resp.status_code == 200, resp.text
    return str(resp.json()["id"])


async def wait_org_units(
    client: httpx.AsyncClient, intake_base: str, clerk: dict[str, str], item: dict[str, Any], applicant: str
) -> None:
    """Org units reach intake by events: wait until the clerk's window is known there."""

    async def known() -> bool:
        resp = await client.post(
            f"{intake_base}/applications",
            headers=clerk,
            json={
                "item_code": item["code"],
                "applicant": {"id": applicant},
                "materials": materials(item),
            },
        )
        assert resp.status_code == 201, resp.text
        app = resp.json()
        withdrawn = await client.post(
            f"{intake_base}/applications/{app['id']}/withdraw", headers=clerk, json={"reason": "预热"}
        )
        assert withdrawn.status_code == 200, withdrawn.text
        return bool(app["intake_unit_code"] == CLERK_WINDOW)

    await until(known, "org units never reached intake-svc")


# --- per-process metrics ----------------------------------------------------------------------


async def metric_samples(
    client: httpx.AsyncClient, base_url: str, name: str
) -> dict[frozenset[tuple[str, str]], float]:
    """The samples of one metric on one process: {labels: value}."""
    text = (await client.get(base_url + "/metrics")).text
    out: dict[frozenset[tuple[str, str]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                out[frozenset(sample.labels.items())] = sample.value
    return out


async def handled_counts(client: httpx.AsyncClient, cluster: Platform, service: str) -> list[Counter[str]]:
    """Per replica of `service`: events its consumers handled (first delivery), by consumer."""
    result = []
    for url in cluster.replica_urls(service):
        counts: Counter[str] = Counter()
        for labels, value in (await metric_samples(client, url, "yiwang_events_handled_total")).items():
            d = dict(labels)
            if d.get("outcome") == "handled":
                counts[d["consumer"]] += int(value)
        result.append(counts)
    return result


async def published_count(client: httpx.AsyncClient, base_url: str) -> int:
    """Events the outbox relay of the process at `base_url` published (JetStream acknowledged)."""
    samples = await metric_samples(client, base_url, "yiwang_events_published_total")
    return int(sum(samples.values()))


# --- JetStream --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamMessage:
    """One message of a stream: its sequence, Nats-Msg-Id, subject and envelope."""

    seq: int
    msg_id: str
    subject: str
    envelope: dict[str, Any]


async def stream_messages(nats_url: str, subject: str, *, after_seq: int = 0) -> list[StreamMessage]:
    """Every message on `subject` (stream sequence > after_seq), read with an ordered consumer."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        opts: dict[str, Any] = {"deliver_policy": nats.js.api.DeliverPolicy.ALL}
        if after_seq:
            opts = {
                "deliver_policy": nats.js.api.DeliverPolicy.BY_START_SEQUENCE,
                "opt_start_seq": after_seq + 1,
            }
        sub = await js.subscribe(subject, ordered_consumer=True, config=nats.js.api.ConsumerConfig(**opts))
        out: list[StreamMessage] = []
        while True:
            try:
                msg = await sub.next_msg(timeout=3)
            except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
                break
            meta = msg.metadata
            out.append(
                StreamMessage(
                    seq=meta.sequence.stream,
                    msg_id=(msg.headers or {}).get("Nats-Msg-Id", ""),
                    subject=msg.subject,
                    envelope=json.loads(msg.data),
                )
            )
            if meta.num_pending == 0:
                break
        await sub.unsubscribe()
        return out
    finally:
        await nc.close()


async def last_seq(nats_url: str, stream: str) -> int:
    """The stream's last sequence (0 when empty or missing)."""
    nc = await nats.connect(nats_url)
    try:
        try:
            info = await nc.jetstream().stream_info(stream)
        except nats.js.errors.NotFoundError:
            return 0
        return int(info.state.last_seq)
    finally:
        await nc.close()


# --- a service's database ---------------------------------------------------------------------


async def query(cluster: Platform, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Rows from a service's PostgreSQL database (the test reads; services never do this)."""
    url = cluster.database_urls[service].replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


def spread(counts: list[int]) -> str:
    """'12 + 30' for a report line."""
    return " + ".join(str(c) for c in counts)
