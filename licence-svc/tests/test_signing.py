"""Renderings are PDFs whose SHA-256 is signed with Ed25519; anyone checks them with the published
key. The key is the configured one, else one made once and kept."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from licence_support import citizen, issued

from licence.config import Settings
from licence.main import create_app
from licence.services.rendering import render_pdf
from licence.services.signing import KeyRing, key_id, verify
from yiwang_shared.db import Database
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens


async def test_rendering_is_signed_and_checkable(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await issued(app, "citizen-1")
    mine = citizen(tokens, "citizen-1")
    licence = (await client.get("/v1/licences", headers=mine)).json()["items"][0]
    pdf = await client.get(f"/v1/licences/{licence['id']}/rendering", headers=mine)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4") and pdf.content.rstrip().endswith(b"%%EOF")
    digest = hashlib.sha256(pdf.content).hexdigest()
    assert digest == licence["signature"]["rendering_sha256"] == pdf.headers["x-licence-sha256"]
    keys = (await client.get("/v1/signing-keys")).json()["keys"]
    jwk = next(k for k in keys if k["kid"] == licence["signature"]["key_id"])
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    assert verify(jwk, digest, licence["signature"]["signature"])
    tampered = hashlib.sha256(pdf.content + b" ").hexdigest()
    assert not verify(jwk, tampered, licence["signature"]["signature"])


def test_rendering_is_the_same_bytes_for_the_same_licence() -> None:
    args = {
        "type_name": "结婚证",
        "number": "J1",
        "holder_name": "李娜",
        "holder_identifier": None,
        "issuing_unit_name": "区民政局",
        "valid_from": date(2015, 10, 8),
        "valid_until": None,
        "data": {"男方": "张伟", "女方": "李娜"},
    }
    assert render_pdf(**args) == render_pdf(**args)  # type: ignore[arg-type]
    assert render_pdf(**args) != render_pdf(**{**args, "number": "J2"})  # type: ignore[arg-type]
    # The text is there, UCS-2 encoded for the standard Chinese font.
    assert b"674E5A1C" in render_pdf(**args)  # type: ignore[arg-type]


async def test_the_generated_key_is_kept_and_a_configured_key_used(
    database_url: str, nats_server: NatsServer, tokens: TestTokens
) -> None:
    settings = Settings(database_url=database_url, nats_url=nats_server.url)
    async with running_app(create_app(settings), verifier=tokens.verifier()) as c:
        first = (await c.get("/v1/signing-keys")).json()["keys"]
    async with running_app(create_app(settings), verifier=tokens.verifier()) as c:
        assert (await c.get("/v1/signing-keys")).json()["keys"] == first
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    configured = Settings(database_url=database_url, nats_url=nats_server.url, signing_key_pem=pem.decode())
    app = create_app(configured)
    async with running_app(app, verifier=tokens.verifier()) as c:
        kids = [k["kid"] for k in (await c.get("/v1/signing-keys")).json()["keys"]]
        assert app.state.keys.kid == key_id(key.public_key())
        # The stored key stays published: what it signed stays checkable.
        assert kids == [key_id(key.public_key()), first[0]["kid"]]


async def test_replicas_starting_together_sign_with_one_key(database_url: str) -> None:
    db = Database(database_url)
    settings = Settings(database_url=database_url)
    rings = [KeyRing(settings) for _ in range(3)]

    async def start(ring: KeyRing) -> None:
        async with db.transaction() as session:
            await ring.ready(session)

    try:
        await asyncio.gather(*(start(ring) for ring in rings))
    finally:
        await db.dispose()
    assert len({ring.kid for ring in rings}) == 1
    assert all(list(ring.published) == [rings[0].kid] for ring in rings)
