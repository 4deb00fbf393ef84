"""Material files: /v1/files — upload (size, type, sha256) and download by the uploader."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from yiwang_shared.errors import NotFound

from .. import errors
from ..application_models import StoredFile
from ..schemas import FileRead
from ..services.storage import FileStorage, store_upload
from .deps import CtxDep

router = APIRouter(prefix="/v1/files", tags=["files"])


@router.post("", response_model=FileRead, status_code=201)
async def files_upload(
    ctx: CtxDep, request: Request, file: Annotated[UploadFile, File(description="The material.")]
) -> FileRead:
    """Upload a material (PDF, JPEG, PNG or OFD; size limited); returns its id and sha256."""
    assert ctx.actor is not None
    limit = ctx.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise errors.FileTooLarge(f"The file is larger than the limit of {limit} bytes.")
    storage: FileStorage = request.app.state.file_storage
    row = await store_upload(
        ctx.session,
        storage,
        owner=ctx.actor.subject,
        filename=file.filename or "file",
        content_type=(file.content_type or "").split(";")[0].strip(),
        data=data,
        max_bytes=limit,
        allowed_types=ctx.settings.allowed_upload_types,
    )
    return FileRead.model_validate(row, from_attributes=True)


@router.get("/{file_id}", response_class=Response, responses={200: {"content": {"*/*": {}}}})
async def files_download(file_id: str, ctx: CtxDep, request: Request) -> Response:
    """The file's bytes (its uploader only)."""
    assert ctx.actor is not None
    row = await ctx.session.get(StoredFile, file_id)
    if row is None or row.owner != ctx.actor.subject:
        raise NotFound(f"No file {file_id}.", code="intake.file_not_found")
    storage: FileStorage = request.app.state.file_storage
    return Response(
        await storage.get(row.storage_key),
        media_type=row.content_type,
        headers={"X-Content-SHA256": row.sha256},
    )
