"""Queries on the rating pads (评价器) registered per window."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of

from ..models import RatingDevice


class RatingDeviceRepository:
    """Rating pads in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, device_id: str) -> RatingDevice | None:
        """The pad with id `device_id`, or None."""
        return await self.session.get(RatingDevice, device_id)

    def add(self, device: RatingDevice) -> None:
        """Stage a new pad."""
        self.session.add(device)

    async def page(self, *, window_code: str | None, page: PageParams) -> tuple[list[RatingDevice], int]:
        """A page of the pads (of one window, if given), by window, and how many there are."""
        stmt = select(RatingDevice).order_by(
            RatingDevice.window_code, RatingDevice.registered_at, RatingDevice.id
        )
        if window_code is not None:
            stmt = stmt.where(RatingDevice.window_code == window_code)
        return await page_of(self.session, stmt, page)
