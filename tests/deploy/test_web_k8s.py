"""The front end on Kubernetes (issue 16): its own Deployment of the web image, routed at `/` by the
one Ingress while the API stays on the gateway.

Who may reach web (the ingress controller only) and that it reaches no one is checked with every
other connection in test_network_policies.py; its rollout, lock-down, HPA and PDB with the other
workloads in test_k8s.py. Here: what is particular to web — the image's user and port, nginx's
/healthz, no proxy in the cluster, and where the Ingress sends each kind of path.
"""

from __future__ import annotations

import re

import pytest
from manifests import (
    OVERLAYS,
    ROOT,
    Doc,
    container_env,
    main_container,
    pod_spec,
    rendered,
)

WEB = ROOT / "web"


def _dockerfile_user() -> tuple[int, int]:
    users = re.findall(r"^USER\s+(\S+)", (WEB / "Dockerfile").read_text(encoding="utf-8"), re.MULTILINE)
    uid, _, gid = users[-1].partition(":")
    return int(uid), int(gid)


def _nginx_port() -> int:
    listens = re.findall(
        r"^\s*listen\s+(\d+)\s*;", (WEB / "nginx" / "nginx.conf").read_text(encoding="utf-8"), re.M
    )
    assert len(listens) == 1, listens
    return int(listens[0])


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_web_runs_the_images_user_locked_down(overlay_name: str) -> None:
    deployment = rendered(overlay_name).get("Deployment", "web")
    pod = pod_spec(deployment)
    security = pod["securityContext"]
    uid, gid = _dockerfile_user()
    assert uid != 0 and (security["runAsUser"], security["runAsGroup"]) == (uid, gid)
    assert security["runAsNonRoot"] is True
    assert security["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    container = main_container(deployment)
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    # nginx writes its pid, temp files and rendered config under /tmp only (web/nginx/nginx.conf).
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    assert list(mounts) == ["/tmp"]
    volume = next(v for v in pod["volumes"] if v["name"] == mounts["/tmp"])
    assert "emptyDir" in volume
    spread = pod["topologySpreadConstraints"]
    assert spread and spread[0]["labelSelector"]["matchLabels"] == {"app.kubernetes.io/name": "web"}


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_web_port_probes_and_service(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    deployment = overlay.get("Deployment", "web")
    container = main_container(deployment)
    assert "command" not in container and "args" not in container, "the image's entrypoint renders the config"
    port = _nginx_port()
    assert [(p["name"], p["containerPort"]) for p in container["ports"]] == [("http", port)]
    for kind in ("readinessProbe", "livenessProbe"):
        assert container[kind]["httpGet"] == {"path": "/healthz", "port": "http"}, kind
    service = overlay.get("Service", "web")
    assert service["spec"]["selector"] == {"app.kubernetes.io/name": "web"}
    assert [(p["name"], p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [
        ("http", port, "http")
    ]
    annotations = deployment["spec"]["template"]["metadata"].get("annotations") or {}
    assert "prometheus.io/scrape" not in annotations, "nginx has no /metrics"


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_web_proxies_nothing_in_the_cluster(overlay_name: str) -> None:
    """The Ingress routes /api, /open311, /docs to the gateway; web's proxy is off (WEB_GATEWAY_URL empty)."""
    overlay = rendered(overlay_name)
    env = container_env(overlay, main_container(overlay.get("Deployment", "web")))
    template = (WEB / "nginx" / "gateway.conf.template").read_text(encoding="utf-8")
    settings = {v for v in re.findall(r"\$\{(\w+)\}", template) if not v.startswith("NGINX_")}
    assert set(env) == settings, "every setting web reads is set explicitly, and nothing else"
    assert env["WEB_GATEWAY_URL"].value == ""


# ── the Ingress ──────────────────────────────────────────────────────────────────────────────────


def _backend(ingress: Doc, path: str) -> str:
    """The Service the Ingress sends a request path to (Kubernetes' Exact and Prefix matching)."""
    best: tuple[int, int, str] | None = None  # (exact?, length, service)
    for rule in ingress["spec"]["rules"]:
        for p in rule["http"]["paths"]:
            rule_path, kind = p["path"], p["pathType"]
            if kind == "Exact":
                matched = path == rule_path
            else:  # Prefix: element-wise on "/"-separated parts
                prefix = rule_path.rstrip("/").split("/")
                matched = path.rstrip("/").split("/")[: len(prefix)] == prefix if rule_path != "/" else True
            if matched:
                candidate = (int(kind == "Exact"), len(rule_path), p["backend"]["service"]["name"])
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    assert best is not None, f"{path}: no route"
    return best[2]


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_the_ingress_routes_the_app_to_web_and_the_api_to_the_gateway(overlay_name: str) -> None:
    ingress = rendered(overlay_name).get("Ingress", "gateway")
    for path in (
        "/api/catalog/v1/items",
        "/api/openapi.json",
        "/api/identity/v1/auth/refresh",
        "/open311/v2/services.json",
        "/docs",
        "/docs/static/swagger-ui.css",
        "/healthz",
    ):
        assert _backend(ingress, path) == "gateway", path
    for path in (
        "/",
        "/index.html",
        "/assets/index-Ab12Cd34.js",
        "/favicon.svg",
        "/items/123",
        "/my/applications/A-1",
        "/login",
        "/apis",  # not /api: element-wise prefixes
        "/metrics",  # the gateway's stay inside the cluster
        "/readyz",
    ):
        assert _backend(ingress, path) == "web", path
