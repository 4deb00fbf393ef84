"""Queries on stored material files (their metadata; the bytes live in the file storage)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import Application, ApplicationMaterial, StoredFile

_files = StoredFile.__table__


def _claim(insert: Any) -> Any:
    """The INSERT that does nothing when the owner already has a file with that sha256."""
    return insert(_files).on_conflict_do_nothing().returning(_files.c.id)


_CLAIM = {"postgresql": _claim(postgresql.insert), "sqlite": _claim(sqlite.insert)}


class FileRepository:
    """Stored files in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, file_id: str) -> StoredFile | None:
        """The file's record, or None."""
        return await self.session.get(StoredFile, file_id)

    async def find_by_hash(self, owner: str, sha256: str) -> StoredFile | None:
        """The file `owner` uploaded with this content, or None."""
        return await self.session.scalar(
            select(StoredFile).where(StoredFile.owner == owner, StoredFile.sha256 == sha256)
        )

    async def claim(self, row: StoredFile) -> bool:
        """Insert the record (one statement); False when the owner's file with the same content was
        recorded first — by an earlier upload, or a concurrent one that committed (PostgreSQL waits
        for it; SQLite serialises writers)."""
        bind = self.session.bind
        dialect = bind.dialect.name if bind is not None else "sqlite"
        claim = _CLAIM["postgresql" if dialect == "postgresql" else "sqlite"]
        values = {c.name: getattr(row, c.key) for c in StoredFile.__table__.columns}
        with self.session.no_autoflush:
            return await self.session.scalar(claim, values) is not None

    async def reusable_page(
        self,
        owner: str,
        *,
        enterprise_id: str | None,
        materials: list[str] | None,
        uploaded_since: datetime,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[StoredFile, str, datetime, int]], int]:
        """(file, material name, last used, times used) for files `owner` uploaded since
        `uploaded_since` and handed in as a material of an application of theirs — their own ones
        (`enterprise_id` None) or the enterprise's they act for — newest use first; and the total."""
        last_used = func.max(ApplicationMaterial.created_at).label("last_used")
        uses = func.count(func.distinct(ApplicationMaterial.application_id)).label("uses")
        query = (
            select(StoredFile, ApplicationMaterial.name, last_used, uses)
            .join(ApplicationMaterial, ApplicationMaterial.file_id == StoredFile.id)
            .join(Application, Application.id == ApplicationMaterial.application_id)
            .where(StoredFile.owner == owner, StoredFile.created_at >= uploaded_since)
            .where(
                Application.enterprise_id.is_(None)
                if enterprise_id is None
                else Application.enterprise_id == enterprise_id
            )
            .group_by(StoredFile.id, ApplicationMaterial.name)
        )
        if materials is not None:
            query = query.where(ApplicationMaterial.name.in_(materials))
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.execute(
            query.order_by(last_used.desc(), StoredFile.id).limit(limit).offset(offset)
        )
        return [(f, str(name), at, int(n)) for f, name, at, n in rows.all()], int(total or 0)
