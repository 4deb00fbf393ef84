"""Pin the base images of our Dockerfiles by digest (issue 18): `ARG X_IMAGE=name:tag` becomes
`ARG X_IMAGE=name:tag@sha256:…`, the digest of the tag's manifest list (every platform) as the
registry answers it now.

Run it where the registry answers (this repository's CI machine cannot reach one), review the diff
and commit it; run it again to move to the tag's newer build. A digest names exactly one image, so
a build from a pinned Dockerfile gets the same base whatever the tag has moved to since.

    .venv/bin/python tools/pin_images.py            # rewrite the Dockerfiles in place
    .venv/bin/python tools/pin_images.py --check    # exit 1 when an image is not pinned (CI)

Docker Hub's protocol: an anonymous pull token from `auth.docker.io`, then
`HEAD /v2/<repository>/manifests/<tag>` asking for a manifest list or OCI index; the digest is the
`Docker-Content-Digest` header. `--registry` and `--auth` point elsewhere (a mirror, a test).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
#: The Dockerfiles whose base images are build arguments.
DOCKERFILES = ("deploy/docker/service.Dockerfile", "gateway/Dockerfile", "web/Dockerfile")
REGISTRY = "https://registry-1.docker.io"
AUTH = "https://auth.docker.io/token"
#: A manifest list (Docker) or an index (OCI): the digest of every platform's build together.
ACCEPT = ", ".join(
    (
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    )
)
#: `ARG NAME_IMAGE=reference` lines.
ARG_LINE = re.compile(r"^(ARG[ \t]+[A-Z_]*IMAGE=)(\S+)[ \t]*$", re.M)
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


@dataclass(frozen=True)
class ImageRef:
    """`name:tag` and, once pinned, `@digest`."""

    name: str
    tag: str
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> ImageRef:
        """`python:3.11-slim`, `nginxinc/nginx-unprivileged:1.27-alpine@sha256:…`."""
        ref, _, digest = text.partition("@")
        name, _, tag = ref.rpartition(":")
        if not name or "/" in tag:
            raise ValueError(f"{text!r}: name and tag wanted (name:tag)")
        return cls(name, tag, digest or None)

    @property
    def repository(self) -> str:
        """The repository on Docker Hub: official images live under `library/`."""
        return self.name if "/" in self.name else f"library/{self.name}"

    def __str__(self) -> str:
        return f"{self.name}:{self.tag}" + (f"@{self.digest}" if self.digest else "")


def digest_of(client: httpx.Client, ref: ImageRef, *, registry: str, auth: str) -> str:
    """The digest the registry gives `ref`'s tag now."""
    token = client.get(
        auth, params={"service": "registry.docker.io", "scope": f"repository:{ref.repository}:pull"}
    )
    token.raise_for_status()
    bearer = token.json().get("token") or token.json().get("access_token")
    resp = client.head(
        f"{registry}/v2/{ref.repository}/manifests/{ref.tag}",
        headers={"Authorization": f"Bearer {bearer}", "Accept": ACCEPT},
    )
    resp.raise_for_status()
    digest = resp.headers.get("Docker-Content-Digest", "")
    if not DIGEST.match(digest):
        raise ValueError(f"{ref}: the registry gave no sha256 digest ({digest!r})")
    return digest


def pin_text(text: str, resolve: dict[str, str]) -> str:
    """`text` with each `ARG …IMAGE=name:tag[@old]` given the digest `resolve[name:tag]`."""

    def pinned(match: re.Match[str]) -> str:
        ref = ImageRef.parse(match.group(2))
        plain = f"{ref.name}:{ref.tag}"
        return f"{match.group(1)}{plain}@{resolve[plain]}"

    return ARG_LINE.sub(pinned, text)


def image_args(text: str) -> list[ImageRef]:
    """The images a Dockerfile's `ARG …IMAGE=` lines name."""
    return [ImageRef.parse(m.group(2)) for m in ARG_LINE.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report images not pinned")
    parser.add_argument("--root", type=Path, default=REPO, help="the checkout (default: this one)")
    parser.add_argument("--registry", default=REGISTRY)
    parser.add_argument("--auth", default=AUTH)
    args = parser.parse_args(argv)
    files = [args.root / f for f in DOCKERFILES]
    if args.check:
        loose = [
            f"{f.relative_to(args.root)}: {ref}"
            for f in files
            for ref in image_args(f.read_text())
            if not ref.digest
        ]
        for line in loose:
            print(f"not pinned by digest: {line}")
        return 1 if loose else 0
    wanted = sorted({f"{r.name}:{r.tag}" for f in files for r in image_args(f.read_text())})
    with httpx.Client(timeout=30, follow_redirects=True) as client:
        resolve = {
            plain: digest_of(client, ImageRef.parse(plain), registry=args.registry, auth=args.auth)
            for plain in wanted
        }
    for f in files:
        before = f.read_text()
        after = pin_text(before, resolve)
        if after != before:
            f.write_text(after)
            print(f"pinned {f.relative_to(args.root)}")
    for plain, digest in resolve.items():
        print(f"  {plain} → {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
