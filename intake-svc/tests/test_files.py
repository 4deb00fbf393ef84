"""Material uploads: type and size limits, sha256, stored on disk; an uploaded file counts as the
electronic medium of a material, and only its uploader (or the applicant) can use it."""

from __future__ import annotations

import hashlib

from intake_support import Env, elements, material

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
    for sent, kept in names.items():
        up = await env.client.post(
            "/v1/files", files={"file": (sent, PDF, "application/pdf")}, headers=env.citizen
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
