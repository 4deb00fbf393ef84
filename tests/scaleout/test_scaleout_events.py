"""Every event is handled once when two processes of each service share the durable consumers.

Applications (intake → evaluation), hotline tickets (hotline → evaluation) and org-unit changes
(identity → catalog, intake, hotline, evaluation) are driven over both replicas of each
publisher — every step of a flow goes to the other replica than the step before — and then
counted on the consumer side: evaluation's additive indicator counters (a handler run twice would
add twice), its rateable service events and 响应率's obligations, the `processed_events` tables
(none missing), and each process's own `yiwang_events_handled_total` counter, whose sum over the
two replicas must equal the events on the stream while each replica's share shows the work was really shared.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter, defaultdict
from typing import Any

import httpx
from devstack import Platform
from scaleout_support import (
    api_bases,
    citizen_id,
    demo_item,
    handled_counts,
    last_seq,
    materials,
    query,
    spread,
    staff_tokens,
    stream_messages,
    until,
    wait_org_units,
)

N_APPLICATIONS = 100
N_TICKETS = 60
N_ORG_UNITS = 20
CONCURRENCY = 8

#: consumer → (its service, the subject it reads)
CONSUMERS = {
    "evaluation__intake_application": ("evaluation", "intake.application.>"),
    "evaluation__hotline_ticket": ("evaluation", "hotline.ticket.>"),
    "evaluation__org_unit_changed": ("evaluation", "identity.org_unit.changed.v1"),
    "catalog__org_unit_changed": ("catalog", "identity.org_unit.changed.v1"),
    "intake__org_unit_changed": ("intake", "identity.org_unit.changed.v1"),
    "hotline__org_unit_changed": ("hotline", "identity.org_unit.changed.v1"),
}
STREAMS = {
    "intake.application.>": "INTAKE",
    "hotline.ticket.>": "HOTLINE",
    "identity.org_unit.changed.v1": "IDENTITY",
}
CENTRE = "110105001-FWZX"  # where the noise complaints below are dispatched
NOISE = {
    "request_type": "complaint",
    "channel": "phone",
    "category_code": "noise",
    "title": "夜间施工噪声",
    "description": "工地每晚23点后仍施工。",
    "caller_name": "王女士",
    "caller_phone": "13812345678",
    "street_code": "110105001",
    "attributes": {"noise_period": "night"},
}


async def _processed(cluster: Platform, consumer: str) -> set[str]:
    service = CONSUMERS[consumer][0]
    rows = await query(
        cluster, service, "SELECT event_id FROM processed_events WHERE consumer = $1", consumer
    )
    return {r["event_id"] for r in rows}


async def _settled(cluster: Platform) -> None:
    """Wait until every consumer has handled everything already on its subject."""
    for consumer, (_svc, subject) in CONSUMERS.items():
        ids = {m.msg_id for m in await stream_messages(cluster.nats_url, subject)}

        async def caught_up(consumer: str = consumer, ids: set[str] = ids) -> bool:
            return ids <= await _processed(cluster, consumer)

        await until(caught_up, f"{consumer} never caught up")


async def _counters(cluster: Platform) -> dict[tuple[str, str, str], int]:
    """evaluation's indicator counters that these flows move, summed over months."""
    rows = await query(
        cluster,
        "evaluation",
        "SELECT dimension, key, name, sum(value) AS v FROM indicator_counters "
        "WHERE (dimension = 'item' AND name IN ('applied', 'completed')) "
        "OR (dimension = 'unit' AND key = $1 AND name = 'tickets_called_back') "
        "GROUP BY dimension, key, name",
        CENTRE,
    )
    return defaultdict(int, {(r["dimension"], r["key"], r["name"]): int(r["v"]) for r in rows})


async def _post(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: Any = None
) -> dict[str, Any]:
    resp = await client.post(url, json=body if body is not None else {}, headers=headers)
    assert resp.status_code in (200, 201), (url, resp.status_code, resp.text)
    return dict(resp.json())


async def test_each_event_is_handled_once_and_both_replicas_share_the_work(cluster: Platform) -> None:
    async with httpx.AsyncClient(timeout=120) as client:
        intake, hotline, identity = (api_bases(cluster, s) for s in ("intake", "hotline", "identity"))
        staff = await staff_tokens(
            client, cluster, "clerk", "approver", "agent", "handler", "supervisor", "admin"
        )
        item = await demo_item(client, intake[0])
        applicant = await citizen_id(client, api_bases(cluster, "identity")[0], staff("clerk", 0))
        await wait_org_units(client, intake[0], staff("clerk", 0), item, applicant)

        async def area_known() -> bool:  # streets reach hotline by events too
            resp = await client.post(f"{hotline[0]}/tickets", json=NOISE, headers=staff("agent", 0))
            return resp.status_code == 201

        await until(area_known, "org units never reached hotline-svc")
        district = (await client.get(f"{identity[0]}/org-units/110105")).json()["id"]

        await _settled(cluster)
        seq0 = {stream: await last_seq(cluster.nats_url, stream) for stream in STREAMS.values()}
        before = {
            svc: await handled_counts(client, cluster, svc)
            for svc in ("evaluation", "catalog", "intake", "hotline")
        }
        counted = await _counters(cluster)

        sem = asyncio.Semaphore(CONCURRENCY)
        app_ids: list[str] = []
        ticket_ids: list[str] = []

        async def application(n: int) -> None:
            async with sem:
                r = n  # step k of flow n goes to replica (n + k) % 2

                def at(k: int, path: str) -> str:
                    return f"{intake[(r + k) % 2]}{path}"

                app = await _post(
                    client,
                    at(0, "/applications"),
                    staff("clerk", r),
                    {
                        "item_code": item["code"],
                        "applicant": {"id": applicant},
                        "materials": materials(item),
                    },
                )
                base = f"/applications/{app['id']}"
                await _post(client, at(1, base + "/accept"), staff("clerk", r + 1))
                await _post(client, at(2, base + "/hand-over"), staff("clerk", r))
                await _post(
                    client, at(3, base + "/approve"), staff("approver", r + 1), {"reasons": "符合条件"}
                )
                await _post(
                    client, at(4, base + "/complete"), staff("approver", r), {"result_name": "审批结果通知书"}
                )
                app_ids.append(app["id"])

        async def ticket(n: int) -> None:
            async with sem:

                def at(k: int, path: str) -> str:
                    return f"{hotline[(n + k) % 2]}/tickets{path}"

                t = await _post(client, at(0, ""), staff("agent", n), NOISE)
                assert t["status"] == "dispatched", t
                await _post(client, at(1, f"/{t['id']}/respond"), staff("handler", n + 1))
                await _post(
                    client, at(2, f"/{t['id']}/reply"), staff("handler", n), {"reply": "已约谈施工方。"}
                )
                await _post(
                    client,
                    at(3, f"/{t['id']}/call-back"),
                    staff("agent", n + 1),
                    {"resolved": True, "satisfaction": "satisfied"},
                )
                await _post(client, at(4, f"/{t['id']}/close"), staff("supervisor", n))
                ticket_ids.append(t["id"])

        async def org_unit(n: int) -> None:
            async with sem:
                code = f"SO-{uuid.uuid4().hex[:10]}"
                unit = await _post(
                    client,
                    f"{identity[n % 2]}/org-units",
                    staff("admin", n),
                    {"code": code, "name": f"扩容测试部门{n}", "kind": "department", "parent_id": district},
                )
                resp = await client.patch(
                    f"{identity[(n + 1) % 2]}/org-units/{unit['id']}",
                    json={"name": f"扩容测试部门{n}（改名）"},
                    headers=staff("admin", n + 1),
                )
                assert resp.status_code == 200, resp.text

        await asyncio.gather(
            *(application(n) for n in range(N_APPLICATIONS)),
            *(ticket(n) for n in range(N_TICKETS)),
            *(org_unit(n) for n in range(N_ORG_UNITS)),
        )

        # What each publisher put on its stream during the run: every event exactly once.
        new: dict[str, list[Any]] = {}
        for subject, stream in STREAMS.items():
            msgs = await stream_messages(cluster.nats_url, subject, after_seq=seq0[stream])
            ids = Counter(m.msg_id for m in msgs)
            assert all(m.msg_id == m.envelope["event_id"] for m in msgs)
            assert [i for i, c in ids.items() if c > 1] == [], f"{subject}: doubled on the stream"
            new[subject] = msgs
        assert len(new["identity.org_unit.changed.v1"]) == 2 * N_ORG_UNITS

        # Every consumer handled every new event (none missing) ...
        await _settled(cluster)
        after = {svc: await handled_counts(client, cluster, svc) for svc in before}
        for consumer, (svc, subject) in CONSUMERS.items():
            assert {m.msg_id for m in new[subject]} <= await _processed(cluster, consumer)
            # ... and ran its handler once per event, summed over both processes.
            shares = [a[consumer] - b[consumer] for a, b in zip(after[svc], before[svc], strict=True)]
            print(f"{consumer}: {len(new[subject])} events, handled {spread(shares)} by the two replicas")
            assert sum(shares) == len(new[subject]), (consumer, shares, len(new[subject]))
        for svc in before:
            per_replica = [
                sum(a[c] - b[c] for c, (s, _) in CONSUMERS.items() if s == svc)
                for a, b in zip(after[svc], before[svc], strict=True)
            ]
            assert all(n > 0 for n in per_replica), f"{svc}: one replica handled nothing {per_replica}"

        # The read models: additive counters moved once per event, one rateable service per case.
        grown = await _counters(cluster)
        expected = {
            ("item", item["code"], "applied"): N_APPLICATIONS,
            ("item", item["code"], "completed"): N_APPLICATIONS,
            ("unit", CENTRE, "tickets_called_back"): N_TICKETS,
        }
        assert {k: grown[k] - counted[k] for k in expected} == expected
        services = await query(
            cluster, "evaluation", "SELECT source_id, count(*) AS n FROM service_events GROUP BY source_id"
        )
        per_source = {r["source_id"]: r["n"] for r in services}
        assert [per_source.get(i) for i in app_ids + ticket_ids] == [1] * (N_APPLICATIONS + N_TICKETS)
        # 响应率's obligations (a read model, counted when asked): one per ticket, at the centre.
        obligations = await query(
            cluster,
            "evaluation",
            "SELECT ticket_id, unit_code, count(*) AS n FROM hotline_responses GROUP BY ticket_id, unit_code",
        )
        held = {r["ticket_id"]: (r["unit_code"], r["n"]) for r in obligations}
        assert [held.get(i) for i in ticket_ids] == [(CENTRE, 1)] * N_TICKETS
