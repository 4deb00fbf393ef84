"""Rendering deploy/k8s with kustomize and reading the result; shared by the tests here.

Rendering uses kustomize itself: `kubectl kustomize` (kubectl ships kustomize v5 and is installed
on the project's machines) or a standalone `kustomize build`. Without either the tests skip, except
under CI (CI=true), where a missing renderer is a failure.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from service_settings import default_port, env_prefix, settings_class  # noqa: E402, F401 - re-exported to the tests

K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("development", "production")
#: The Kubernetes version every manifest is validated against (kubernetes-validate's schemas).
K8S_VERSION = "1.32.0"

SERVICES = tuple(sorted(p.name.removesuffix("-svc") for p in ROOT.glob("*-svc") if p.is_dir()))
#: The Python workloads (`python -m <name>`, settings from a pydantic Settings class).
APPS = (*SERVICES, "gateway")
#: Every Deployment: the apps and the front end (web/Dockerfile: nginx serving web/dist).
WORKLOADS = (*APPS, "web")

Doc = dict[str, Any]


def renderer() -> list[str] | None:
    """The kustomize command line to use, or None."""
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    return None


@cache
def render(target: str) -> tuple[Doc, ...]:
    """The rendered documents of deploy/k8s/<target> (an overlay name, or "base")."""
    cli = renderer()
    if cli is None:
        if os.environ.get("CI"):
            pytest.fail("no kustomize here: install kubectl (it ships kustomize)")
        pytest.skip("no kustomize here (kubectl kustomize or kustomize build)")
    path = K8S / target if target == "base" else K8S / "overlays" / target
    result = subprocess.run([*cli, str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"kustomize failed on {path.relative_to(ROOT)}:\n{result.stderr}"
    return tuple(d for d in yaml.safe_load_all(result.stdout) if d)


@dataclass(frozen=True)
class Rendered:
    """One rendered overlay, indexed by kind and name."""

    docs: tuple[Doc, ...]

    def all(self, kind: str) -> list[Doc]:
        return [d for d in self.docs if d["kind"] == kind]

    def find(self, kind: str, name: str) -> Doc | None:
        found = [d for d in self.all(kind) if d["metadata"]["name"] == name]
        assert len(found) <= 1, f"{kind} {name} twice"
        return found[0] if found else None

    def get(self, kind: str, name: str) -> Doc:
        doc = self.find(kind, name)
        assert doc is not None, f"no {kind} {name}"
        return doc

    def namespace(self) -> str:
        spaces = {d["metadata"].get("namespace") for d in self.docs if d["kind"] != "Namespace"}
        assert len(spaces) == 1, spaces
        return str(spaces.pop())

    def workloads(self) -> list[Doc]:
        """Deployments and StatefulSets."""
        return self.all("Deployment") + self.all("StatefulSet")

    def configmap_data(self, name: str) -> dict[str, str]:
        return dict(self.get("ConfigMap", name).get("data") or {})

    def secret_data(self, name: str) -> dict[str, str] | None:
        """A rendered Secret's values (decoded), or None when the overlay leaves it to the operator."""
        doc = self.find("Secret", name)
        if doc is None:
            return None
        data = {k: base64.b64decode(v).decode() for k, v in (doc.get("data") or {}).items()}
        data.update(doc.get("stringData") or {})
        return data


def rendered(target: str) -> Rendered:
    return Rendered(render(target))


def pod_spec(workload: Doc) -> Doc:
    return dict(workload["spec"]["template"]["spec"])


def pod_labels(workload: Doc) -> dict[str, str]:
    return dict(workload["spec"]["template"]["metadata"].get("labels") or {})


def containers(workload: Doc, *, init: bool = True) -> Iterator[Doc]:
    spec = pod_spec(workload)
    yield from spec["containers"]
    if init:
        yield from spec.get("initContainers") or []


def main_container(workload: Doc) -> Doc:
    name = workload["metadata"]["name"]
    found = [c for c in pod_spec(workload)["containers"] if c["name"] == name]
    assert found, f"{name}: no container named after the workload"
    return found[0]


def selector_matches(selector: Doc | None, labels: dict[str, str]) -> bool:
    """Kubernetes label-selector semantics (matchLabels and matchExpressions); {} matches all."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


@dataclass(frozen=True)
class EnvVar:
    """One variable a container gets: a literal value, or a reference to a Secret key."""

    name: str
    value: str | None
    secret: tuple[str, str] | None = None


def container_env(overlay: Rendered, container: Doc) -> dict[str, EnvVar]:
    """Every variable of a container, envFrom ConfigMaps resolved (later entries win, like kubelet)."""
    env: dict[str, EnvVar] = {}
    for source in container.get("envFrom") or []:
        assert "configMapRef" in source, f"{container['name']}: envFrom only from ConfigMaps: {source}"
        for key, value in overlay.configmap_data(source["configMapRef"]["name"]).items():
            env[key] = EnvVar(key, value)
    for item in container.get("env") or []:
        if "value" in item:
            env[item["name"]] = EnvVar(item["name"], str(item["value"]))
        elif "secretKeyRef" in item.get("valueFrom", {}):
            ref = item["valueFrom"]["secretKeyRef"]
            secret = overlay.secret_data(ref["name"])
            secret_value: str | None = None if secret is None else secret.get(ref["key"])
            if secret is not None:
                assert ref["key"] in secret, f"Secret {ref['name']} has no key {ref['key']}"
            env[item["name"]] = EnvVar(item["name"], secret_value, (ref["name"], ref["key"]))
        else:
            env[item["name"]] = EnvVar(item["name"], None)
    return env


def external_secrets() -> set[str]:
    """Secrets the production overlay leaves to the operator: listed in deploy/README.md."""
    text = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- external-secrets -->")
    end = text.index("<!-- /external-secrets -->")
    names = set()
    for line in text[start:end].splitlines():
        if line.startswith("| `"):
            names.add(line.split("`")[1])
    return names


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
