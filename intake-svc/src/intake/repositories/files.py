"""Queries on stored material files (their metadata; the bytes live in the file storage)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..models.applications import StoredFile


class FileRepository:
    """Stored files in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, file_id: str) -> StoredFile | None:
        """The file's record, or None."""
        return await self.session.get(StoredFile, file_id)

    def add(self, row: StoredFile) -> None:
        """Stage a new file record."""
        self.session.add(row)
