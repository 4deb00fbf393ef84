"""tools/pin_images.py pins our Dockerfiles' base images by digest, speaking Docker Hub's registry
protocol (an anonymous token, then HEAD of the tag's manifest list) — here to a registry on
localhost that answers as Docker Hub does, since none is reachable from CI."""

from __future__ import annotations

import json
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import pin_images  # noqa: E402

DIGESTS = {
    "library/python:3.11-slim": "sha256:" + "1" * 64,
    "library/node:20-slim": "sha256:" + "2" * 64,
    "nginxinc/nginx-unprivileged:1.27-alpine": "sha256:" + "3" * 64,
}


class _Registry(BaseHTTPRequestHandler):
    """Docker Hub's two steps: /token (scope → token) and HEAD /v2/<repo>/manifests/<tag>."""

    def log_message(self, *_: object) -> None:
        pass

    def do_GET(self) -> None:
        if not self.path.startswith("/token?"):
            self.send_error(404)
            return
        scope = self.path.split("scope=", 1)[1].split("&")[0].replace("%3A", ":").replace("%2F", "/")
        body = json.dumps({"token": "t-" + scope.split(":")[1]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        repo, _, tag = self.path.removeprefix("/v2/").partition("/manifests/")
        ok_token = self.headers.get("Authorization") == f"Bearer t-{repo}"
        wants_list = "manifest.list.v2+json" in self.headers.get("Accept", "")
        digest = DIGESTS.get(f"{repo}:{tag}")
        if not (ok_token and wants_list and digest):
            self.send_response(401 if not ok_token else 404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Docker-Content-Digest", digest)
        self.end_headers()


@pytest.fixture
def registry() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of our Dockerfiles, to be rewritten."""
    for name in pin_images.DOCKERFILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _pin(root: Path, registry: str, *extra: str) -> int:
    return pin_images.main(
        ["--root", str(root), "--registry", registry, "--auth", f"{registry}/token", *extra]
    )


def test_every_base_image_is_pinned_to_the_digest_of_its_tag(checkout: Path, registry: str) -> None:
    assert pin_images.main(["--root", str(checkout), "--check"]) == 1  # as committed: tags only
    assert _pin(checkout, registry) == 0
    service = (checkout / "deploy/docker/service.Dockerfile").read_text()
    assert f"ARG PYTHON_IMAGE=python:3.11-slim@{DIGESTS['library/python:3.11-slim']}\n" in service
    web = (checkout / "web/Dockerfile").read_text()
    assert f"ARG NODE_IMAGE=node:20-slim@{DIGESTS['library/node:20-slim']}\n" in web
    digest = DIGESTS["nginxinc/nginx-unprivileged:1.27-alpine"]
    assert f"ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine@{digest}\n" in web
    assert pin_images.main(["--root", str(checkout), "--check"]) == 0
    # Everything but the ARG lines is as it was.
    original = (ROOT / "web/Dockerfile").read_text().splitlines()
    assert [a for a, b in zip(original, web.splitlines(), strict=True) if a != b] == [
        line for line in original if line.startswith("ARG ") and "IMAGE=" in line
    ]


def test_pinning_again_moves_to_the_tags_newer_build(checkout: Path, registry: str) -> None:
    assert _pin(checkout, registry) == 0
    DIGESTS["library/python:3.11-slim"], old = "sha256:" + "9" * 64, DIGESTS["library/python:3.11-slim"]
    try:
        assert _pin(checkout, registry) == 0
    finally:
        DIGESTS["library/python:3.11-slim"] = old
    gateway = (checkout / "gateway/Dockerfile").read_text()
    assert "ARG PYTHON_IMAGE=python:3.11-slim@sha256:" + "9" * 64 + "\n" in gateway
    assert "@sha256:" + "1" * 64 not in gateway


def test_a_registry_without_the_tag_fails_loudly_and_writes_nothing(checkout: Path, registry: str) -> None:
    before = (checkout / "web/Dockerfile").read_text()
    del DIGESTS["library/node:20-slim"]
    try:
        with pytest.raises(Exception, match="404"):
            _pin(checkout, registry)
    finally:
        DIGESTS["library/node:20-slim"] = "sha256:" + "2" * 64
    assert (checkout / "web/Dockerfile").read_text() == before
