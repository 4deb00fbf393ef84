"""Material files: /v1/files — upload (size, type, sha256; the same bytes by the same person are
stored once and reused), download by the uploader, and the caller's files they may hand in again
(材料复用)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field

from yiwang_shared.db import SessionDep
from yiwang_shared.links import public_path, set_location
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..config import Settings
from ..schemas import FileRead
from ..schemas.prefill import ReusableFilePage, ReusableFileRead
from ..services.storage import (
    FileStorage,
    ReusableFile,
    content_disposition,
    get_own_file,
    reusable_files,
    store_upload,
)
from .deps import Actor, AppSettings, Now
from .docs import CREATED, binary

router = APIRouter(prefix="/v1/files", tags=["files"])

#: The types a download can have: those uploads are accepted as (INTAKE_ALLOWED_UPLOAD_TYPES).
DOWNLOAD_TYPES = tuple(Settings.model_fields["allowed_upload_types"].get_default(call_default_factory=True))


class FileUpload(BaseModel):
    """A material file to upload (multipart/form-data)."""

    file: UploadFile = Field(description="The material: PDF, JPEG, PNG or OFD, within the size limit.")


@router.post(
    "",
    response_model=FileRead,
    status_code=201,
    responses={
        201: {"description": "A new file: its id and sha256.", "headers": CREATED},
        200: {
            "description": "材料复用: the caller uploaded these bytes before; the answer is that file "
            "(`reused` true), not stored again.",
            "model": FileRead,
            "headers": {
                "Content-Location": {
                    "description": "The earlier file's address (through the gateway).",
                    "schema": {"type": "string"},
                }
            },
        },
        **problems(413, 415),
    },
)
async def files_upload(
    session: SessionDep,
    actor: Actor,
    settings: AppSettings,
    now: Now,
    request: Request,
    response: Response,
    body: Annotated[FileUpload, Form(media_type="multipart/form-data")],
) -> FileRead:
    """Upload a material (PDF, JPEG, PNG or OFD; size limited); returns its id and sha256. Bytes
    the caller uploaded before are not stored again: 200 with that file and `reused` true."""
    upload = body.file
    limit = settings.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise errors.too_large(limit)
    storage: FileStorage = request.app.state.file_storage
    stored = await store_upload(
        session,
        storage,
        owner=actor.subject,
        filename=upload.filename or "file",
        content_type=(upload.content_type or "").split(";")[0].strip(),
        data=data,
        max_bytes=limit,
        allowed_types=settings.allowed_upload_types,
        now=now,
    )
    if stored.reused:
        # Nothing was created: 200, and the earlier file's address as the content's location.
        response.status_code = 200
        response.headers["Content-Location"] = public_path(f"/v1/files/{stored.file.id}")
    else:
        set_location(response, f"/v1/files/{stored.file.id}")
    return FileRead.model_validate(stored.file, from_attributes=True).model_copy(
        update={"reused": stored.reused}
    )


def reusable_view(r: ReusableFile) -> ReusableFileRead:
    """A reusable file as the API shows it."""
    return ReusableFileRead(
        file_id=r.file.id,
        filename=r.file.filename,
        content_type=r.file.content_type,
        size=r.file.size,
        sha256=r.file.sha256,
        material=r.material,
        uploaded_at=r.file.created_at,
        last_used_at=r.last_used_at,
        times_used=r.times_used,
        valid_until=r.valid_until,
    )


@router.get("/reusable", response_model=ReusableFilePage, responses=problems())
async def files_reusable(
    session: SessionDep,
    actor: Actor,
    now: Now,
    page: PageQuery,
    material: Annotated[
        str | None,
        Query(max_length=200, description="Only files handed in as this material (材料名称)."),
    ] = None,
) -> ReusableFilePage:
    """材料复用: files the caller uploaded and handed in as a material of an earlier application of
    theirs (for the enterprise the token acts for, or their own), still within their validity (180
    days from their latest upload) — hand one in again by its `file_id`. Only the caller's own
    uploads."""
    rows, total = await reusable_files(
        session,
        actor,
        materials=[material] if material is not None else None,
        now=now,
        limit=page.limit,
        offset=page.offset,
    )
    return ReusableFilePage(
        items=[reusable_view(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get(
    "/{file_id}",
    response_class=Response,
    responses={
        200: {
            "description": "The file's bytes, with the type recorded at upload (one of "
            "INTAKE_ALLOWED_UPLOAD_TYPES).",
            "content": binary(*DOWNLOAD_TYPES),
            "headers": {
                "X-Content-SHA256": {
                    "description": "sha256 of the bytes (hex), as recorded at upload.",
                    "schema": {"type": "string"},
                }
            },
        }
    },
)
async def files_download(file_id: str, session: SessionDep, actor: Actor, request: Request) -> Response:
    """The file's bytes (its uploader only)."""
    row = await get_own_file(session, file_id, actor.subject)
    storage: FileStorage = request.app.state.file_storage
    return Response(
        await storage.get(row.storage_key),
        media_type=row.content_type,
        # Always a download, under the name it was uploaded with (made safe at upload).
        headers={"X-Content-SHA256": row.sha256, "Content-Disposition": content_disposition(row.filename)},
    )
