"""Material files: /v1/files — upload (size, type, sha256) and download by the uploader."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, UploadFile
from pydantic import BaseModel, Field

from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import problems

from .. import errors
from ..config import Settings
from ..schemas import FileRead
from ..services.storage import FileStorage, content_disposition, get_own_file, store_upload
from .deps import Actor, AppSettings
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
        201: {"description": "The stored file's id and sha256.", "headers": CREATED},
        **problems(413, 415),
    },
)
async def files_upload(
    session: SessionDep,
    actor: Actor,
    settings: AppSettings,
    request: Request,
    response: Response,
    body: Annotated[FileUpload, Form(media_type="multipart/form-data")],
) -> FileRead:
    """Upload a material (PDF, JPEG, PNG or OFD; size limited); returns its id and sha256."""
    upload = body.file
    limit = settings.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise errors.too_large(limit)
    storage: FileStorage = request.app.state.file_storage
    row = await store_upload(
        session,
        storage,
        owner=actor.subject,
        filename=upload.filename or "file",
        content_type=(upload.content_type or "").split(";")[0].strip(),
        data=data,
        max_bytes=limit,
        allowed_types=settings.allowed_upload_types,
    )
    set_location(response, f"/v1/files/{row.id}")
    return FileRead.model_validate(row, from_attributes=True)


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
