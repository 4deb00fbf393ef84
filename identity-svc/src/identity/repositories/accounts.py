"""Queries on accounts: persons and staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Account, Person, Staff, StaffRole


class AccountRepository:
    """Accounts (persons and staff) in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, account_id: str, *, for_update: bool = False) -> Account | None:
        """The account (a Person or Staff) with id `account_id`, or None."""
        query = select(Account).where(Account.id == account_id)
        if for_update:
            # populate_existing: a row read earlier in this transaction is refreshed once locked.
            query = query.with_for_update(of=Account.__table__).execution_options(populate_existing=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def find_person(self, person_id: str) -> Person | None:
        """The person with id `person_id`, or None."""
        return (await self.session.execute(select(Person).where(Person.id == person_id))).scalar_one_or_none()

    async def find_person_by_resident_id(self, resident_id: str) -> Person | None:
        """The person holding resident ID `resident_id`, or None."""
        return (
            await self.session.execute(select(Person).where(Person.resident_id == resident_id))
        ).scalar_one_or_none()

    async def find_person_by_phone(self, phone: str) -> Person | None:
        """The person with mobile `phone`, or None."""
        return (await self.session.execute(select(Person).where(Person.phone == phone))).scalar_one_or_none()

    async def find_persons_by_passport(
        self, passport_number: str, nationality: str | None = None
    ) -> list[Person]:
        """Persons with this passport number (of any nationality unless one is given)."""
        query = select(Person).where(Person.passport_number == passport_number)
        if nationality is not None:
            query = query.where(Person.nationality == nationality)
        return list((await self.session.execute(query)).scalars())

    async def find_staff(self, staff_id: str) -> Staff | None:
        """The staff member with id `staff_id`, or None."""
        return (await self.session.execute(select(Staff).where(Staff.id == staff_id))).scalar_one_or_none()

    async def find_staff_by_username(self, username: str) -> Staff | None:
        """The staff member with login `username`, or None."""
        return (
            await self.session.execute(select(Staff).where(Staff.username == username))
        ).scalar_one_or_none()

    async def list_staff(
        self,
        *,
        org_unit_id: str | None = None,
        role: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[Staff], int]:
        """A page of staff (by username) and the total, optionally of one unit and/or role."""
        query = select(Staff)
        if org_unit_id is not None:
            query = query.where(Staff.org_unit_id == org_unit_id)
        if role is not None:
            query = query.where(
                Staff.account_id.in_(select(StaffRole.account_id).where(StaffRole.role == role))
            )
        total = (await self.session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = await self.session.execute(query.order_by(Staff.username).limit(limit).offset(offset))
        return list(rows.scalars()), int(total)

    async def inactive_changed_since(self, since: datetime) -> list[str]:
        """The ids of accounts not active whose row changed at or after `since`."""
        query = select(Account.id).where(Account.status != "active", Account.updated_at >= since)
        return list(await self.session.scalars(query))

    def add(self, account: Account) -> None:
        """Stage a new account."""
        self.session.add(account)
