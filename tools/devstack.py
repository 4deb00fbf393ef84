"""Start the whole platform as local processes: NATS (if needed), every service, the gateway.

Used by `make run` (tools/run.py) and by the end-to-end tests, so both run the same thing.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass(frozen=True)
class ServiceDef:
    """One service of the platform: its package, env prefix and default port."""

    name: str
    package: str
    prefix: str
    port: int

    @property
    def directory(self) -> Path:
        """The service's folder in the repo."""
        return REPO / f"{self.name}-svc"


SERVICES = (
    ServiceDef("identity", "identity", "IDENTITY_", 8001),
    ServiceDef("catalog", "catalog", "CATALOG_", 8002),
    ServiceDef("intake", "intake", "INTAKE_", 8003),
    ServiceDef("hotline", "hotline", "HOTLINE_", 8004),
    ServiceDef("evaluation", "evaluation", "EVALUATION_", 8005),
    ServiceDef("licence", "licence", "LICENCE_", 8006),
)
GATEWAY_PORT = 8000


@dataclass(frozen=True)
class SimulatorDef:
    """A provider simulator started beside the platform (simulators/README.md): its name, env
    prefix and default port."""

    name: str
    prefix: str
    port: int


SIMULATORS = (
    SimulatorDef("payment", "PAYMENT_SIM_", 8091),
    SimulatorDef("logistics", "LOGISTICS_SIM_", 8092),
)
#: The merchant (and courier customer) id the platform has at the simulators.
PROVIDER_MERCHANT_ID = "yiwang"
#: The services that call the providers: they get the simulators' URLs, the id and the secret.
PROVIDER_CLIENTS = frozenset({"intake"})


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    """True if something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until GET url answers 200 (or the process dies)."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s ({last})")


def private_var(var_dir: Path) -> None:
    """Make `var_dir` this user's alone and keep it so (issue 15, point 3): from now on every file
    this process and its children create is 0600 and every folder 0700 (umask 077), and what is
    there already — databases, uploaded materials, logs, NATS data — is made so too."""
    os.umask(0o077)
    var_dir.mkdir(parents=True, exist_ok=True)
    for root, _dirs, files in os.walk(var_dir):
        os.chmod(root, 0o700)
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                os.chmod(path, 0o600)


def signing_key_passphrase(var_dir: Path) -> str:
    """The passphrase identity-svc encrypts its signing keys with under `make run`: made once, kept
    in a file of its own (var/secrets, 0600), never in the database it protects."""
    path = var_dir / "secrets" / "identity-signing-key.passphrase"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


def provider_secret_file(var_dir: Path) -> str:
    """The HMAC secret `make run` shares between the platform and the provider simulators: made
    once, kept in var/secrets (0600), so pending callbacks still verify after a restart."""
    path = var_dir / "secrets" / "providers.secret"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


def holder_key_secret_file(var_dir: Path) -> str:
    """The secret identity-svc and licence-svc key resident IDs with under `make run` (ADR 0014):
    made once, kept in var/secrets (0600), so the keys already stored still match after a restart."""
    path = var_dir / "secrets" / "holder-key.secret"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip()


@dataclass
class Platform:
    """The running platform: child processes, their ports and log files."""

    var_dir: Path
    nats_url: str = "nats://127.0.0.1:4222"
    gateway_port: int = GATEWAY_PORT
    ports: dict[str, int] = field(default_factory=lambda: {s.name: s.port for s in SERVICES})
    database_urls: dict[str, str] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    nats_proc: subprocess.Popen[bytes] | None = None
    #: Processes per service (default 1). Extra replicas share the database and NATS, each on a
    #: free port; the gateway points at the first. Their ports land in `replica_ports`.
    replicas: dict[str, int] = field(default_factory=dict)
    replica_ports: dict[str, list[int]] = field(default_factory=dict)
    #: Start the provider simulators too (`make run`); tests that want them pass free ports.
    simulators: bool = False
    simulator_ports: dict[str, int] = field(default_factory=lambda: {s.name: s.port for s in SIMULATORS})
    #: The HMAC secret the platform shares with the simulators (`make run`: var/secrets).
    provider_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    #: The secret identity and licence key resident IDs with (ADR 0014; `make run`: var/secrets).
    holder_key_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def gateway_url(self) -> str:
        """Base URL of the gateway."""
        return f"http://127.0.0.1:{self.gateway_port}"

    def service_url(self, name: str) -> str:
        """Base URL of a service."""
        return f"http://127.0.0.1:{self.ports[name]}"

    def simulator_url(self, name: str) -> str:
        """Base URL of a provider simulator."""
        return f"http://127.0.0.1:{self.simulator_ports[name]}"

    def provider_env(self, prefix: str) -> dict[str, str]:
        """A service's provider settings (yiwang_shared.providers.settings) for the simulators."""
        return {
            prefix + "PAYMENT_PROVIDER_URL": self.simulator_url("payment"),
            prefix + "PAYMENT_MERCHANT_ID": PROVIDER_MERCHANT_ID,
            prefix + "PAYMENT_SECRET": self.provider_secret,
            prefix + "LOGISTICS_PROVIDER_URL": self.simulator_url("logistics"),
            prefix + "LOGISTICS_CUSTOMER_ID": PROVIDER_MERCHANT_ID,
            prefix + "LOGISTICS_SECRET": self.provider_secret,
            # The providers call back through the gateway, as they would reach a deployment.
            prefix + "PAYMENT_NOTIFY_URL": f"{self.gateway_url}/api/intake/v1/payments/notify",
            prefix + "LOGISTICS_NOTIFY_URL": f"{self.gateway_url}/api/intake/v1/waybills/notify",
        }

    def simulator_env(self, sim: SimulatorDef) -> dict[str, str]:
        """Environment for one simulator process: its port, SQLite file under var/, the merchant;
        callbacks retried quickly and (logistics) an event every 20 s, for demos."""
        p = sim.prefix
        env = dict(os.environ)
        env.update(
            {
                p + "HOST": "127.0.0.1",
                p + "PORT": str(self.simulator_ports[sim.name]),
                p + "DB": str(self.var_dir / f"{sim.name}-simulator.db"),
                p + "MERCHANTS": f"{PROVIDER_MERCHANT_ID}:{self.provider_secret}",
                p + "RETRY_BASE_SECONDS": "1",
                p + "RETRY_MAX_SECONDS": "30",
            }
        )
        if sim.name == "logistics":
            env[p + "STEP_SECONDS"] = os.environ.get(p + "STEP_SECONDS", "20")
        return env

    def start_simulators(self) -> None:
        """Start the provider simulators and wait until they answer."""
        for sim in SIMULATORS:
            self._spawn(f"{sim.name}-simulator", f"simulators.{sim.name}", self.simulator_env(sim))
        for sim in SIMULATORS:
            proc = self.procs[f"{sim.name}-simulator"]
            wait_http(self.simulator_url(sim.name) + "/healthz", proc=proc)

    def database_url(self, svc: ServiceDef) -> str:
        """The service's database: given, or an SQLite file under var/."""
        return self.database_urls.get(svc.name) or (
            f"sqlite+aiosqlite:///{self.var_dir / (svc.name + '.db')}"
        )

    def service_env(self, svc: ServiceDef, port: int | None = None) -> dict[str, str]:
        """Environment for one service process (on `port`, default the service's port)."""
        p = svc.prefix
        env = dict(os.environ)
        env.update(
            {
                p + "PORT": str(port or self.ports[svc.name]),
                p + "HOST": "127.0.0.1",
                p + "DATABASE_URL": self.database_url(svc),
                p + "NATS_URL": self.nats_url,
                p + "JWKS_URL": self.service_url("identity") + "/v1/auth/jwks",
            }
        )
        if svc.name == "licence":
            # A staff member's use of a licence names an application, which intake-svc confirms.
            env[p + "INTAKE_URL"] = self.service_url("intake")
        if svc.name == "intake":
            # 秒批 reads the applicant's own licences (with their token) from the library.
            env[p + "LICENCE_URL"] = self.service_url("licence")
        if self.simulators and svc.name in PROVIDER_CLIENTS:
            env.update(self.provider_env(p))
        env.update(self.holder_key_env())
        env.update(self.extra_env)
        return env

    def holder_key_env(self) -> dict[str, str]:
        """The secret identity and licence share (ADR 0014): identity's registered events carry the
        resident ID's key, licence keys its licences with it (their demo loaders too)."""
        return {
            "IDENTITY_HOLDER_KEY_SECRET": self.holder_key_secret,
            "LICENCE_HOLDER_KEY_SECRET": self.holder_key_secret,
        }

    def gateway_env(self) -> dict[str, str]:
        """Environment for the gateway process."""
        env = dict(os.environ)
        env.update(
            {
                "GATEWAY_PORT": str(self.gateway_port),
                "GATEWAY_HOST": "127.0.0.1",
                "GATEWAY_JWKS_URL": self.service_url("identity") + "/v1/auth/jwks",
            }
        )
        for svc in SERVICES:
            env[f"GATEWAY_{svc.name.upper()}_URL"] = self.service_url(svc.name)
        env.update(self.extra_env)
        return env

    def ensure_nats(self) -> bool:
        """Use the NATS at nats_url if it answers, else start nats-server there. True if started."""
        parsed = urlparse(self.nats_url)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 4222
        if port_open(host, port):
            return False
        store = self.var_dir / "nats"
        store.mkdir(parents=True, exist_ok=True)
        (self.var_dir / "logs").mkdir(parents=True, exist_ok=True)
        binary = Path(PYTHON).parent / "nats-server"
        self.nats_proc = subprocess.Popen(
            [
                str(binary),
                "-a",
                host,
                "-p",
                str(port),
                "-js",
                "-sd",
                str(store),
                "-l",
                str(self.var_dir / "logs" / "nats.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while not port_open(host, port):
            if self.nats_proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nats-server did not start on {host}:{port}; see var/logs/nats.log")
            time.sleep(0.1)
        return True

    def _spawn(self, name: str, module: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        log_dir = self.var_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        proc = subprocess.Popen(
            [PYTHON, "-m", module],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO,
        )
        self.procs[name] = proc
        return proc

    def load_demo(self) -> tuple[list[str], list[str]]:
        """Load every service's demo data through its own command line (`python -m <pkg>.demo`).

        Identity first (the others refer to its organisation tree), then every other service that
        has a demo module, side by side. Returns identity's demo-login lines and one summary
        line per other service. Each loader migrates its own database first and is idempotent.
        """
        logins = self._run_module("identity.demo", self.database_url(SERVICES[0]))
        others = [
            svc
            for svc in SERVICES[1:]
            if (svc.directory / "src" / svc.package / "demo.py").exists()
            or (svc.directory / "src" / svc.package / "demo" / "__main__.py").exists()
        ]
        # Each loader writes only its own database (what another service learns from it travels
        # later as events), so after identity they run side by side: every platform a test starts
        # is up sooner.
        with ThreadPoolExecutor(max_workers=len(others) or 1) as pool:
            outs = list(
                pool.map(lambda svc: self._run_module(f"{svc.package}.demo", self.database_url(svc)), others)
            )
        summaries = []
        for svc, out in zip(others, outs, strict=True):
            out = out.strip()
            summaries.append(f"{svc.name}: {out.splitlines()[-1]}" if out else f"{svc.name}: loaded")
        login_lines = [line for line in logins.splitlines() if "Demo#2026" in line]
        return login_lines, summaries

    def _run_module(self, module: str, database_url: str) -> str:
        done = subprocess.run(
            [PYTHON, "-m", module, "--database-url", database_url],
            cwd=REPO,
            env={**os.environ, **self.holder_key_env(), **self.extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{module} failed:\n{done.stderr.strip()[-2000:]}")
        return done.stdout

    def check_ports_free(self) -> None:
        """Refuse to start over another running copy."""
        busy = [
            f"{n}:{p}"
            for n, p in {
                **self.ports,
                "gateway": self.gateway_port,
                **({f"{s}-simulator": p for s, p in self.simulator_ports.items()} if self.simulators else {}),
            }.items()
            if port_open("127.0.0.1", p)
        ]
        if busy:
            raise RuntimeError("ports already in use (is another `make run` running?): " + ", ".join(busy))

    def start_service(self, svc: ServiceDef, *, wait: bool = True) -> None:
        """Start one service and wait for /healthz."""
        proc = self._spawn(svc.name, svc.package, self.service_env(svc))
        if wait:
            wait_http(self.service_url(svc.name) + "/healthz", proc=proc)

    @staticmethod
    def replica_name(service: str, index: int) -> str:
        """The process name of a service's replica: `intake` for index 0, `intake-2` for 1, …"""
        return service if index == 0 else f"{service}-{index + 1}"

    def replica_urls(self, name: str) -> list[str]:
        """Base URLs of a service's processes (the gateway's first), whether running now or not."""
        ports = self.replica_ports.get(name) or [self.ports[name]]
        return [f"http://127.0.0.1:{p}" for p in ports]

    def start_replica(self, svc: ServiceDef, index: int, *, wait: bool = True) -> str:
        """Start (or restart) replica `index` ≥ 1 of a service on its own port; its base URL."""
        ports = self.replica_ports.setdefault(svc.name, [self.ports[svc.name]])
        while len(ports) <= index:
            ports.append(free_port())
        name = self.replica_name(svc.name, index)
        proc = self._spawn(name, svc.package, self.service_env(svc, ports[index]))
        url = f"http://127.0.0.1:{ports[index]}"
        if wait:
            wait_http(url + "/healthz", proc=proc)
        return url

    def start(self) -> None:
        """Start every service (identity first: the others fetch its JWKS) and the gateway."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if self.simulators:
            self.start_simulators()
        self.start_service(SERVICES[0])
        for svc in SERVICES[1:]:
            self.start_service(svc, wait=False)
        for svc in SERVICES[1:]:
            wait_http(self.service_url(svc.name) + "/healthz", proc=self.procs[svc.name])
        # Extra replicas only once the first has migrated the database, so none race on it.
        extra = [(svc, i) for svc in SERVICES for i in range(1, self.replicas.get(svc.name, 1))]
        for svc, i in extra:
            self.start_replica(svc, i, wait=False)
        for svc, i in extra:
            name = self.replica_name(svc.name, i)
            wait_http(self.replica_urls(svc.name)[i] + "/healthz", proc=self.procs[name])
        gw = self._spawn("gateway", "gateway", self.gateway_env())
        wait_http(self.gateway_url + "/healthz", proc=gw)

    def stop_process(self, name: str, *, kill: bool = False) -> None:
        """Stop one child (SIGTERM, or SIGKILL when kill=True)."""
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def stop(self) -> None:
        """Stop the gateway, the services and NATS if we started it."""
        for name in ["gateway", *[s.name for s in reversed(SERVICES)], *list(self.procs)]:
            self.stop_process(name)
        if self.nats_proc is not None and self.nats_proc.poll() is None:
            self.nats_proc.terminate()
            try:
                self.nats_proc.wait(10)
            except subprocess.TimeoutExpired:
                self.nats_proc.kill()
        self.nats_proc = None
