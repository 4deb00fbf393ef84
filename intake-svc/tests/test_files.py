"""Material uploads: type and size limits, sha256, stored on disk; an uploaded file counts as the
electronic medium of a material, and only its uploader (or the applicant) can use it."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date, timedelta

from alembic.command import downgrade
from intake_support import Env, at, elements, material
from sqlalchemy import text

from intake.config import SERVICE_DIR
from intake.models.applications import StoredFile
from intake.services.storage import valid_until, within_validity
from yiwang_shared.migrations import alembic_config, migrate

PDF = b"%PDF-1.7\n" + b"x" * 1000


async def test_upload_checks_and_hashes(env: Env) -> None:
    resp = await env.client.post(
        "/v1/files", files={"file": ("申请书.pdf", PDF, "application/pdf")}, headers=env.citizen
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() and body["size"] == len(PDF)
    got = await env.client.get(f"/v1/files/{body['id']}", headers=env.citizen)
    assert got.content == PDF and got.headers["x-content-sha256"] == body["sha256"]
    _, other = env.person()
    assert (await env.client.get(f"/v1/files/{body['id']}", headers=other)).status_code == 404
    exe = await env.client.post(
        "/v1/files", files={"file": ("a.pdf", b"MZ\x90\x00", "application/pdf")}, headers=env.citizen
    )
    assert exe.status_code == 415 and exe.json()["code"] == "intake.file_type"
    txt = await env.client.post(
        "/v1/files", files={"file": ("a.txt", b"hello", "text/plain")}, headers=env.citizen
    )
    assert txt.status_code == 415
    env.app.state.settings.max_upload_bytes = 100
    big = await env.client.post(
        "/v1/files", files={"file": ("b.pdf", PDF, "application/pdf")}, headers=env.citizen
    )
    assert big.status_code == 413 and big.json()["code"] == "intake.file_too_large"


async def test_file_names_are_kept_safe_and_downloads_are_attachments(env: Env) -> None:
    """Issue 15, point 16: names were stored as sent (path segments, a right-to-left override that
    shows "exe.pdf" as "fdp.exe"), and downloads had no Content-Disposition or nosniff."""
    names = {
        "../../../../etc/passwd": "passwd",
        "..\\..\\windows\\system.ini": "system.ini",
        "申请书\u202efdp.exe": "申请书fdp.exe",
        "\x1b[31m红.pdf": "[31m红.pdf",
        "...": "file",
    }
    dispositions = {}
    for n, (sent, kept) in enumerate(names.items()):
        # Other bytes each time: the same bytes again would be the first file, under its name.
        up = await env.client.post(
            "/v1/files", files={"file": (sent, PDF + bytes([n]), "application/pdf")}, headers=env.citizen
        )
        assert up.status_code == 201, up.text
        assert up.json()["filename"] == kept, (sent, up.json()["filename"])
        got = await env.client.get(f"/v1/files/{up.json()['id']}", headers=env.citizen)
        assert got.headers["x-content-type-options"] == "nosniff"
        dispositions[kept] = got.headers["content-disposition"]
    assert dispositions["passwd"] == "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"
    assert dispositions["申请书fdp.exe"] == (
        "attachment; filename=\"___fdp.exe\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E4%B9%A6fdp.exe"
    )


async def test_uploaded_material_in_an_application(env: Env) -> None:
    await env.publish_item("SCJ-0009", _online_item())
    file_id = (
        await env.client.post(
            "/v1/files", files={"file": ("申请书.pdf", PDF, "application/pdf")}, headers=env.citizen
        )
    ).json()["id"]
    _, stranger = env.person()
    foreign = (
        await env.client.post(
            "/v1/files", files={"file": ("x.pdf", PDF, "application/pdf")}, headers=stranger
        )
    ).json()["id"]
    application = await env.submit(
        env.citizen,
        item_code="SCJ-0009",
        applicant={"name": "张伟"},
        materials=[
            {"name": "申请书", "provided_as": "upload", "file_id": file_id},
            {"name": "营业执照", "provided_as": "upload", "file_id": foreign},
        ],
    )
    assert [(p["material"], p["problem"]) for p in application["problems"]] == [("营业执照", "file")]


def _online_item() -> dict[str, object]:
    return elements(
        "网上申请事项",
        materials=[
            material("申请书", media=("electronic",)),
            material("营业执照", media=("electronic", "original")),
        ],
    )


async def _upload(
    env: Env, headers: dict[str, str], data: bytes = PDF, name: str = "申请书.pdf"
) -> tuple[int, dict]:
    resp = await env.client.post(
        "/v1/files", files={"file": (name, data, "application/pdf")}, headers=headers
    )
    assert resp.status_code in (200, 201), resp.text
    return resp.status_code, resp.json() | {"_headers": dict(resp.headers)}


def _stored_blobs(env: Env) -> list[str]:
    root = env.app.state.file_storage.root
    return sorted(p.name for p in root.rglob("*") if p.is_file())


async def test_the_same_bytes_by_the_same_person_are_stored_once_and_answered_as_reused(env: Env) -> None:
    """材料复用 (issue 20 §2): a second upload of the same content is the first file (200, `reused`),
    no second copy on disk and no second record; another person's upload of the same bytes is
    their own new file, never the first person's id."""
    status, first = await _upload(env, env.citizen)
    assert status == 201 and first["reused"] is False and first["_headers"]["location"].endswith(first["id"])
    status, again = await _upload(env, env.citizen, name="另一个名字.pdf")
    assert status == 200 and again["reused"] is True, again
    assert again["id"] == first["id"] and again["filename"] == "申请书.pdf"
    assert again["_headers"]["content-location"].endswith(f"/v1/files/{first['id']}")
    assert "location" not in again["_headers"]
    assert _stored_blobs(env) == [first["id"]]

    _, stranger = env.person()
    status, theirs = await _upload(env, stranger)
    assert status == 201 and theirs["reused"] is False and theirs["id"] != first["id"]
    assert theirs["sha256"] == first["sha256"]
    # Each downloads their own, neither the other's.
    assert (await env.client.get(f"/v1/files/{theirs['id']}", headers=stranger)).content == PDF
    assert (await env.client.get(f"/v1/files/{first['id']}", headers=stranger)).status_code == 404
    assert sorted(_stored_blobs(env)) == sorted([first["id"], theirs["id"]])
    async with env.db.transaction() as session:
        rows = (
            await session.execute(
                text("SELECT owner FROM stored_files WHERE sha256 = :h"), {"h": first["sha256"]}
            )
        ).all()
    assert sorted(r[0] for r in rows) == sorted([env.citizen_id, env.staff_subject(stranger)])


async def test_a_file_handed_in_before_is_offered_again_within_its_validity(env: Env) -> None:
    """The files a person handed in as a material are listed for that material while valid (180
    days from upload) — theirs only — and a later application of theirs takes one by its id."""
    await env.publish_item("SCJ-0009", _online_item())
    _, up = await _upload(env, env.citizen)
    _, licence = await _upload(env, env.citizen, PDF + b"licence", "执照.pdf")
    first = await env.submit(
        env.citizen,
        item_code="SCJ-0009",
        applicant={"name": "张伟"},
        materials=[
            {"name": "申请书", "provided_as": "upload", "file_id": up["id"]},
            {"name": "营业执照", "provided_as": "upload", "file_id": licence["id"]},
        ],
    )
    assert first["problems"] == [], first["problems"]

    listed = await env.client.get("/v1/files/reusable", params={"material": "申请书"}, headers=env.citizen)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert page["total"] == 1 and [i["file_id"] for i in page["items"]] == [up["id"]]
    [item] = page["items"]
    assert item["material"] == "申请书" and item["times_used"] == 1 and item["valid_until"] == "2027-03-20"
    everything = (await env.client.get("/v1/files/reusable", headers=env.citizen)).json()
    assert {(i["material"], i["file_id"]) for i in everything["items"]} == {
        ("申请书", up["id"]),
        ("营业执照", licence["id"]),
    }
    # Not another person's to see, nor an enterprise's the citizen acts for.
    _, stranger = env.person()
    assert (await env.client.get("/v1/files/reusable", headers=stranger)).json()["total"] == 0
    acting = env.tokens.headers(
        subject=env.citizen_id,
        kind="person",
        act={"entity_id": "ent-1", "uscc": "91110105MA01C7Q8X1", "grant_id": "g", "scope": ["*"]},
    )
    assert (await env.client.get("/v1/files/reusable", headers=acting)).json()["total"] == 0
    assert (await env.client.get("/v1/files/reusable")).status_code == 401

    # A later application takes it again, by its id, without uploading it.
    env.clock.set("2027-03-20", 23)
    second = await env.submit(
        env.citizen,
        item_code="SCJ-0009",
        applicant={"name": "张伟"},
        materials=[
            {"name": "申请书", "provided_as": "upload", "file_id": item["file_id"]},
            {"name": "营业执照", "provided_as": "upload", "file_id": licence["id"]},
        ],
    )
    assert second["problems"] == [], second["problems"]
    again = (
        await env.client.get("/v1/files/reusable", params={"material": "申请书"}, headers=env.citizen)
    ).json()
    assert again["items"][0]["times_used"] == 2
    # A day past its validity it is no longer offered, nor taken when handed in by its id.
    env.clock.set("2027-03-21", 0)
    assert (await env.client.get("/v1/files/reusable", headers=env.citizen)).json()["total"] == 0
    late = await env.submit(
        env.citizen,
        item_code="SCJ-0009",
        applicant={"name": "张伟"},
        materials=[
            {"name": "申请书", "provided_as": "upload", "file_id": item["file_id"]},
            {"name": "营业执照", "provided_as": "upload", "file_id": licence["id"]},
        ],
    )
    assert {(p["material"], p["problem"]) for p in late["problems"]} == {
        ("申请书", "file"),
        ("营业执照", "file"),
    }
    assert "有效期" in late["problems"][0]["message"]
    # Uploaded once more, it counts from then, as a new upload would: offered again.
    status, renewed = await _upload(env, env.citizen)
    assert status == 200 and renewed["id"] == up["id"]
    [offered] = (await env.client.get("/v1/files/reusable", headers=env.citizen)).json()["items"]
    assert (offered["file_id"], offered["valid_until"]) == (up["id"], "2027-09-17")


async def test_the_migration_merges_a_person_s_earlier_copies_into_the_first(
    env: Env, database_url: str
) -> None:
    """intake_0019 makes (owner, sha256) unique: copies recorded before are merged into the
    earliest, the materials that named a later copy name the earliest, another person's stays."""
    await env.publish_item("SCJ-0009", _online_item())
    _, first = await _upload(env, env.citizen)
    _, stranger = env.person()
    _, theirs = await _upload(env, stranger)
    application = await env.submit(
        env.citizen,
        item_code="SCJ-0009",
        applicant={"name": "张伟"},
        materials=[{"name": "申请书", "provided_as": "upload", "file_id": first["id"]}],
    )
    config = alembic_config(SERVICE_DIR, database_url)
    await asyncio.to_thread(downgrade, config, "intake_0017")
    async with env.db.transaction() as session:
        # Before: the same person's second upload of the same bytes was a record of its own.
        original = await session.get(StoredFile, first["id"])
        assert original is not None
        session.add(
            StoredFile(
                id="copy-1",
                owner=original.owner,
                filename="again.pdf",
                content_type=original.content_type,
                size=original.size,
                sha256=original.sha256,
                storage_key="copy-1",
                created_at=original.created_at + timedelta(hours=1),
            )
        )
        await session.flush()
        await session.execute(
            text("UPDATE application_materials SET file_id = 'copy-1' WHERE application_id = :a"),
            {"a": application["id"]},
        )
    await migrate(SERVICE_DIR, database_url)
    async with env.db.transaction() as session:
        files = (await session.execute(text("SELECT id FROM stored_files ORDER BY id"))).scalars().all()
        named = await session.scalar(
            text("SELECT file_id FROM application_materials WHERE application_id = :a"),
            {"a": application["id"]},
        )
    assert sorted(files) == sorted([first["id"], theirs["id"]]) and named == first["id"]


def test_a_file_is_within_its_validity_through_the_180th_day_after_its_upload() -> None:
    row = StoredFile(id="f", owner="p", filename="a.pdf", content_type="application/pdf", size=1, sha256="0")
    row.created_at = at("2026-09-21", 23)  # Beijing evening: the day counts as Beijing's
    assert valid_until(row) == date(2027, 3, 20)
    assert within_validity(row, at("2027-03-20", 23)) and not within_validity(row, at("2027-03-21", 0))
