"""Queries on 一件事: the bundles read model and bundle applications with their cases."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.pagination import PageParams, page_of

from ..models.applications import Application
from ..models.bundles import BundleApplication, CatalogueBundle
from .applications import ApplicationRepository, Viewer, visible_to


class CatalogueBundleRepository:
    """The bundles read model in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, code: str) -> CatalogueBundle | None:
        """The bundle `code`, or None."""
        return await self.session.get(CatalogueBundle, code)

    def add(self, row: CatalogueBundle) -> None:
        """Stage a new bundle."""
        self.session.add(row)


class BundleApplicationRepository:
    """Bundle applications in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: BundleApplication) -> None:
        """Stage a new bundle application."""
        self.session.add(row)

    async def find(self, bundle_application_id: str, *, for_update: bool = False) -> BundleApplication | None:
        """The bundle application (locked for update when asked: its cases' follow-up steps take
        turns on it), or None."""
        query = select(BundleApplication).where(BundleApplication.id == bundle_application_id)
        if for_update:
            query = query.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def find_by_key(self, submitted_by: str, key: str) -> BundleApplication | None:
        """The bundle application `submitted_by` made with Idempotency-Key `key`, or None."""
        query = select(BundleApplication).where(
            BundleApplication.submitted_by == submitted_by, BundleApplication.idempotency_key == key
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def case_ids(self, bundle_application_id: str) -> list[str]:
        """The ids of the bundle application's cases, in the bundle's order."""
        rows = await self.session.execute(
            select(Application.id)
            .where(Application.bundle_application_id == bundle_application_id)
            .order_by(Application.bundle_position)
        )
        return list(rows.scalars())

    async def cases(self, bundle_application_id: str, *, for_update: bool = False) -> list[Application]:
        """The bundle application's cases in the bundle's order, each with everything that hangs
        off it and read afresh (locked for update when asked)."""
        cases = ApplicationRepository(self.session)
        everyone = Viewer(everything=True)
        found = []
        for case_id in await self.case_ids(bundle_application_id):
            application = await cases.find_visible(case_id, everyone, for_update=for_update)
            if application is not None:
                found.append(application)
        return found

    async def visible_to(self, bundle_application_id: str, viewer: Viewer) -> bool:
        """Whether `viewer` may see one of the bundle application's cases."""
        query = select(
            exists().where(Application.bundle_application_id == bundle_application_id, visible_to(viewer))
        )
        return bool(await self.session.scalar(query))

    async def page_visible(self, viewer: Viewer, page: PageParams) -> tuple[list[BundleApplication], int]:
        """One page of the bundle applications `viewer` may see (one of whose cases they see, or
        their own), newest first, and the total."""
        own = []
        if viewer.person_id is not None:
            own = [
                BundleApplication.applicant_id == viewer.person_id,
                BundleApplication.submitted_by == viewer.person_id,
            ]
        seen = exists().where(Application.bundle_application_id == BundleApplication.id, visible_to(viewer))
        query = (
            select(BundleApplication)
            .where(or_(seen, *own))
            .order_by(BundleApplication.received_at.desc(), BundleApplication.id)
        )
        return await page_of(self.session, query, page)
