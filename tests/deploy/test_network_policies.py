"""The NetworkPolicies allow exactly the connections the code needs, and nothing else.

The needed connections are derived from the rendered configuration, not restated: every URL
setting (a service's NATS, JWKS and identity URLs, the gateway's upstreams, the development
database URLs) names a Service, whose selector names the pods that must be reachable on that
port. Add to those the ingress controller → gateway and web (the Ingress), Prometheus → each scraped
port, NATS ↔ NATS routes, and DNS. Then every (source, destination, port) is evaluated with
Kubernetes' NetworkPolicy semantics and must be allowed exactly when it is needed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from manifests import (
    OVERLAYS,
    SERVICES,
    Doc,
    Rendered,
    container_env,
    containers,
    main_container,
    pod_labels,
    rendered,
    selector_matches,
)


@dataclass(frozen=True)
class Peer:
    """A pod (or an address outside the cluster) that may send or receive."""

    name: str
    namespace: str | None
    labels: tuple[tuple[str, str], ...] = ()
    ports: tuple[tuple[str, int], ...] = ()
    ip: str | None = None
    ns_labels: tuple[tuple[str, str], ...] = field(default=())

    @property
    def label_map(self) -> dict[str, str]:
        return dict(self.labels)

    @property
    def namespace_labels(self) -> dict[str, str]:
        return {**dict(self.ns_labels), "kubernetes.io/metadata.name": self.namespace or ""}


def _external(name: str, namespace: str, labels: dict[str, str], ports: dict[str, int] | None = None) -> Peer:
    return Peer(name, namespace, tuple(labels.items()), tuple((ports or {"TCP": 80}).items()))


INGRESS_CONTROLLER = _external(
    "ingress-controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"}
)
PROMETHEUS = _external("prometheus", "monitoring", {"app.kubernetes.io/name": "prometheus"}, {"TCP": 9090})
KUBE_DNS = Peer("kube-dns", "kube-system", (("k8s-app", "kube-dns"),), (("UDP", 53), ("TCP", 53)))
STRANGER = _external("stranger", "default", {"app": "stranger"})
#: The managed database of production: an address inside deploy/k8s/overlays/production/database-egress.yaml.
MANAGED_POSTGRES = Peer("managed-postgres", None, ports=(("TCP", 5432),), ip="192.0.2.10")
INTERNET = Peer("internet", None, ports=(("TCP", 443),), ip="203.0.113.7")


def workload_peers(overlay: Rendered) -> list[Peer]:
    """One peer per Deployment/StatefulSet (its replicas share labels), plus a stray pod."""
    namespace = overlay.namespace()
    peers = []
    for workload in overlay.workloads():
        ports = tuple(
            (p.get("protocol", "TCP"), int(p["containerPort"]))
            for c in containers(workload)
            for p in c.get("ports") or []
        )
        peers.append(
            Peer(workload["metadata"]["name"], namespace, tuple(pod_labels(workload).items()), ports)
        )
    # Any other pod someone starts in the namespace (a debug shell) is denied everything.
    peers.append(Peer("stray", namespace, (("run", "debug"),), (("TCP", 8080),)))
    return peers


def _peer_matches(rule_peer: Doc, policy_ns: str, peer: Peer) -> bool:
    if "ipBlock" in rule_peer:
        if peer.ip is None:
            return False  # pod addresses are never inside the policies' ipBlocks
        block = rule_peer["ipBlock"]
        address = ipaddress.ip_address(peer.ip)
        if address not in ipaddress.ip_network(block["cidr"]):
            return False
        return not any(address in ipaddress.ip_network(e) for e in block.get("except") or [])
    if peer.namespace is None:
        return False
    ns_selector = rule_peer.get("namespaceSelector")
    pod_selector = rule_peer.get("podSelector")
    if ns_selector is None:
        in_namespace = peer.namespace == policy_ns
    else:
        in_namespace = selector_matches(ns_selector, peer.namespace_labels)
    return in_namespace and (pod_selector is None or selector_matches(pod_selector, peer.label_map))


def _port_matches(rule_ports: list[Doc] | None, protocol: str, port: int) -> bool:
    if not rule_ports:
        return True
    return any(
        p.get("protocol", "TCP") == protocol and ("port" not in p or p["port"] == port) for p in rule_ports
    )


def _side_allows(
    overlay: Rendered, direction: str, subject: Peer, other: Peer, protocol: str, port: int
) -> bool:
    """Whether the policies selecting `subject` let traffic in from / out to `other` (`direction`)."""
    namespace = overlay.namespace()
    if subject.namespace != namespace:
        return True  # another namespace's policies are not ours to judge
    policies = [
        p
        for p in overlay.all("NetworkPolicy")
        if direction in p["spec"].get("policyTypes", ["Ingress"])
        and selector_matches(p["spec"]["podSelector"], subject.label_map)
    ]
    if not policies:
        return True
    key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    for policy in policies:
        for rule in policy["spec"].get(key) or []:
            peers = rule.get(peers_key)
            if (not peers or any(_peer_matches(p, namespace, other) for p in peers)) and _port_matches(
                rule.get("ports"), protocol, port
            ):
                return True
    return False


def allowed(overlay: Rendered, src: Peer, dst: Peer, protocol: str, port: int) -> bool:
    return _side_allows(overlay, "Egress", src, dst, protocol, port) and _side_allows(
        overlay, "Ingress", dst, src, protocol, port
    )


def _service_targets(overlay: Rendered, url: str, peers: list[Peer]) -> set[tuple[str, str, int]]:
    """(pod, protocol, port) behind the Service a URL names."""
    parts = urlsplit(url)
    service = overlay.get("Service", (parts.hostname or "").split(".")[0])
    port = next(p for p in service["spec"]["ports"] if p["port"] == parts.port)
    out = set()
    for peer in peers:
        if peer.namespace == overlay.namespace() and selector_matches(
            {"matchLabels": service["spec"]["selector"]}, peer.label_map
        ):
            workload = next(w for w in overlay.workloads() if w["metadata"]["name"] == peer.name)
            target = port["targetPort"]
            if isinstance(target, str):
                target = next(
                    p["containerPort"]
                    for c in containers(workload)
                    for p in c.get("ports") or []
                    if p["name"] == target
                )
            out.add((peer.name, port.get("protocol", "TCP"), int(target)))
    assert out, f"{url}: the Service selects no pod"
    return out


def needed(overlay: Rendered, overlay_name: str, peers: list[Peer]) -> set[tuple[str, str, str, int]]:
    """(source, destination, protocol, port) the code and the platform need."""
    need: set[tuple[str, str, str, int]] = set()
    for workload in overlay.all("Deployment"):
        name = workload["metadata"]["name"]
        for var in container_env(overlay, main_container(workload)).values():
            if not var.name.endswith("_URL") or not var.value or var.name.endswith("_PUBLIC_BASE_URL"):
                continue  # (the public base URL is where clients come from, not a peer; empty: off)
            for pod, proto, port in _service_targets(overlay, var.value, peers):
                if pod != name:  # identity's own JWKS_URL: it verifies against its key store
                    need.add((name, pod, proto, port))
        if name in SERVICES and overlay_name == "production":
            need.add((name, MANAGED_POSTGRES.name, "TCP", 5432))
    for ingress in overlay.all("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                port = next(
                    p["port"]
                    for p in overlay.get("Service", backend["name"])["spec"]["ports"]
                    if p["name"] == backend["port"]["name"]
                )
                url = f"http://{backend['name']}:{port}"
                for pod, proto, target in _service_targets(overlay, url, peers):
                    need.add((INGRESS_CONTROLLER.name, pod, proto, target))
    for workload in overlay.workloads():
        annotations = workload["spec"]["template"]["metadata"].get("annotations") or {}
        if annotations.get("prometheus.io/scrape") == "true":
            need.add(
                (PROMETHEUS.name, workload["metadata"]["name"], "TCP", int(annotations["prometheus.io/port"]))
            )
    # intake calls the payment provider and the courier a deployment configures (issue 20 §6):
    # other parties, over HTTPS on the internet, their URLs set per deployment (deploy/README.md).
    need.add(("intake", INTERNET.name, "TCP", 443))
    nats = overlay.get("StatefulSet", "nats")
    need.add((PROMETHEUS.name, "nats", "TCP", 8222))  # the NATS exporter reads the monitor port
    need.add(("nats", "nats", "TCP", 6222))  # cluster routes
    assert nats["spec"]["replicas"] == 3
    for peer in peers:
        if peer.namespace == overlay.namespace():  # every pod may resolve names
            need.add((peer.name, KUBE_DNS.name, "UDP", 53))
            need.add((peer.name, KUBE_DNS.name, "TCP", 53))
    return need


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_policies_allow_exactly_the_needed_connections(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    pods = workload_peers(overlay)
    externals = [INGRESS_CONTROLLER, PROMETHEUS, KUBE_DNS, STRANGER, MANAGED_POSTGRES, INTERNET]
    need = needed(overlay, overlay_name, pods)
    wrong = []
    for src in pods + externals:
        for dst in pods + externals:
            if src.namespace != overlay.namespace() and dst.namespace != overlay.namespace():
                continue
            for protocol, port in dst.ports:
                expected = (src.name, dst.name, protocol, port) in need
                if allowed(overlay, src, dst, protocol, port) != expected:
                    wrong.append(
                        f"{src.name} → {dst.name}:{port}/{protocol} {'blocked' if expected else 'allowed'}"
                    )
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_the_connections_the_code_needs_are_there(overlay_name: str) -> None:
    """The derivation above is not empty-handed: the known calls are among the needed ones."""
    overlay = rendered(overlay_name)
    need = needed(overlay, overlay_name, workload_peers(overlay))
    assert ("intake", "identity", "TCP", 8001) in need  # INTAKE_IDENTITY_URL, grant checks
    for service in SERVICES:
        assert (
            "gateway",
            service,
            "TCP",
            main_container(overlay.get("Deployment", service))["ports"][0]["containerPort"],
        ) in need
        assert (service, "nats", "TCP", 4222) in need
        database = (service, "postgres" if overlay_name == "development" else "managed-postgres", "TCP", 5432)
        assert database in need
    assert ("ingress-controller", "gateway", "TCP", 8000) in need
    assert ("ingress-controller", "web", "TCP", 8080) in need  # the Ingress's `/`
    assert not any(src == "ingress-controller" and dst not in ("gateway", "web") for src, dst, _, _ in need)
    # The front end only serves files: it needs no one but DNS (the Ingress routes /api itself).
    assert {dst for src, dst, _, _ in need if src == "web"} == {"kube-dns"}
    assert not any(dst == "web" and src != "ingress-controller" for src, dst, _, _ in need)


def test_default_deny_covers_every_pod() -> None:
    for overlay_name in OVERLAYS:
        overlay = rendered(overlay_name)
        deny = overlay.get("NetworkPolicy", "default-deny")
        assert deny["spec"]["podSelector"] == {}
        assert set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        assert "ingress" not in deny["spec"] and "egress" not in deny["spec"]
