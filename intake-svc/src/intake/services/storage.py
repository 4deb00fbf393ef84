"""Material files: a small storage interface (local disk by default; an object store can
implement the same three methods), the upload rules (size, type, sha256) and reuse: one file per
uploader and content, handed in again in later applications within its validity (材料复用)."""

from __future__ import annotations

import asyncio
import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import SHANGHAI, local_date
from yiwang_shared.orm import new_id

from .. import errors
from ..models.applications import StoredFile
from ..repositories.files import FileRepository


class FileStorage(Protocol):
    """Where file bytes live, by key."""

    async def put(self, key: str, data: bytes) -> None:
        """Store `data` under `key`."""
        ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under `key`."""
        ...

    async def delete(self, key: str) -> None:
        """Remove `key` (no error if absent)."""
        ...


class LocalDiskStorage:
    """Files under a directory, sharded by the key's first characters."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key.replace("-", "").isalnum():
            # not user-facing: keys are the file ids this service generates
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key[:2] / key

    async def put(self, key: str, data: bytes) -> None:
        """Write atomically (temp file, then rename)."""
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(path)

        await asyncio.to_thread(write)

    async def get(self, key: str) -> bytes:
        """Read the file."""
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        """Remove the file if present."""
        await asyncio.to_thread(self._path(key).unlink, True)


# Magic numbers of the accepted types, so a renamed .exe is not taken as a PDF.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/ofd": (b"PK\x03\x04",),
}


def safe_filename(name: str) -> str:
    """An uploaded file's name as we keep and send it back: the last path segment only, without
    control or direction-changing characters (U+202E would show "exe.pdf" as "fdp.exe") and
    without leading dots; "file" when nothing is left."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    kept = " ".join(kept.split()).lstrip(". ")
    return kept[:200] or "file"


def content_disposition(filename: str) -> str:
    """`attachment` with the name for every browser: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


#: How long an uploaded material may be handed in again without uploading it anew (材料复用有效期),
#: counted from its latest upload (uploading the same bytes again counts from then, as a new file's
#: would): the catalogue gives materials no validity of their own yet.
REUSE_VALIDITY_DAYS = 180


@dataclass(frozen=True)
class Upload:
    """An upload's outcome: the stored file, and whether it was the uploader's file already."""

    file: StoredFile
    reused: bool


def valid_until(row: StoredFile) -> date:
    """The last day (Beijing) the file may be reused in a later application."""
    return local_date(row.created_at + timedelta(days=REUSE_VALIDITY_DAYS))


def _check(data: bytes, content_type: str, *, max_bytes: int, allowed_types: list[str]) -> None:
    """Size, emptiness, declared type and the content's magic number; 413/415/422 otherwise."""
    if len(data) > max_bytes:
        raise errors.too_large(max_bytes)
    if len(data) == 0:
        raise errors.FileEmpty(
            "上传的文件是空的，请选择有内容的文件重新上传。",
            en="The file is empty.",
        )
    if content_type not in allowed_types:
        raise errors.FileType(
            f"不接受 {content_type or '未注明'} 类型的文件，请上传以下类型之一："
            + "、".join(allowed_types)
            + "。",
            en=f"Files of type {content_type!r} are not accepted; use one of: "
            + ", ".join(allowed_types)
            + ".",
        )
    signatures = _SIGNATURES.get(content_type)
    if signatures and not data.startswith(signatures):
        raise errors.FileType(
            f"文件内容与声明的类型 {content_type} 不符，请上传原始文件（不要只修改扩展名）。",
            en=f"The content does not look like {content_type}; upload the real document.",
        )


async def store_upload(
    session: AsyncSession,
    storage: FileStorage,
    *,
    owner: str,
    filename: str,
    content_type: str,
    data: bytes,
    max_bytes: int,
    allowed_types: list[str],
    now: datetime,
) -> Upload:
    """Check and store an uploaded material with its sha256 — once per uploader: bytes `owner`
    stored before give back that file (`reused`), neither stored nor recorded again. Another
    person's upload of the same bytes is their own file."""
    _check(data, content_type, max_bytes=max_bytes, allowed_types=allowed_types)
    sha256 = hashlib.sha256(data).hexdigest()
    files = FileRepository(session)
    earlier = await files.find_by_hash(owner, sha256)
    if earlier is not None:
        return Upload(_presented_again(earlier, now), reused=True)
    file_id = new_id()
    row = StoredFile(
        id=file_id,
        owner=owner,
        filename=safe_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=sha256,
        storage_key=file_id,
        created_at=now,
    )
    await storage.put(file_id, data)
    if await files.claim(row):
        stored = await files.find(file_id)
        assert stored is not None  # inserted by this very transaction
        return Upload(stored, reused=False)
    # The same person's concurrent upload of the same bytes was recorded first: theirs it is.
    await storage.delete(file_id)
    earlier = await files.find_by_hash(owner, sha256)
    assert earlier is not None  # the conflict was on (owner, sha256)
    return Upload(_presented_again(earlier, now), reused=True)


def _presented_again(row: StoredFile, now: datetime) -> StoredFile:
    """The file uploaded once more: its validity counts from now, as a new upload's would."""
    row.created_at = max(row.created_at, now)
    return row


def within_validity(row: StoredFile, now: datetime) -> bool:
    """May the file still be handed in (reused) on `now`'s day?"""
    return local_date(now) <= valid_until(row)


async def get_own_file(session: AsyncSession, file_id: str, owner: str) -> StoredFile:
    """The record of file `file_id` if `owner` uploaded it; 404 otherwise."""
    row = await FileRepository(session).find(file_id)
    if row is None or row.owner != owner:
        raise errors.file_not_found(file_id)
    return row


@dataclass(frozen=True)
class ReusableFile:
    """A file its uploader handed in as `material` before and may hand in again (材料复用)."""

    file: StoredFile
    material: str
    last_used_at: datetime
    times_used: int

    @property
    def valid_until(self) -> date:
        """The last day it may be reused."""
        return valid_until(self.file)


async def reusable_files(
    session: AsyncSession,
    actor: Principal,
    *,
    materials: list[str] | None,
    now: datetime,
    limit: int,
    offset: int,
) -> tuple[list[ReusableFile], int]:
    """The files `actor` uploaded and handed in as a material (one of `materials`, if given) of an
    application of theirs, still valid on `now`'s day — only theirs, never another uploader's, and
    only from applications made the same way: for the enterprise the token acts for, or for
    themselves."""
    # Valid through valid_until (a Beijing day): uploaded after the start of that day, 180 days back.
    first_day = local_date(now) - timedelta(days=REUSE_VALIDITY_DAYS)
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=SHANGHAI)
    rows, total = await FileRepository(session).reusable_page(
        actor.subject,
        enterprise_id=actor.acting_for.entity_id if actor.acting_for else None,
        materials=materials,
        uploaded_since=since,
        limit=limit,
        offset=offset,
    )
    return [ReusableFile(f, name, at, n) for f, name, at, n in rows], total
