"""Queries on licences and their trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Licence, LicenceAction


def holder_filter(
    kind: str, *, account_id: str | None, identifier: str | None, identifier_key: str | None = None
) -> ColumnElement[bool]:
    """The licences of one holder: by identity's id, by the resident ID / USCC on them, or by the
    keyed hash of that resident ID (ADR 0014)."""
    matches = []
    if account_id:
        matches.append(Licence.holder_account_id == account_id)
    if identifier:
        matches.append(Licence.holder_identifier == identifier)
    if identifier_key:
        matches.append(Licence.holder_identifier_key == identifier_key)
    if not matches:
        return false()
    return and_(Licence.holder_kind == kind, or_(*matches))


async def find_licence(session: AsyncSession, licence_id: str, *, for_update: bool = False) -> Licence | None:
    """The licence of that id, or None."""
    query = select(Licence).where(Licence.id == licence_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def find_by_number(session: AsyncSession, type_code: str, number: str) -> Licence | None:
    """The licence of that type and number, or None."""
    query = select(Licence).where(Licence.type_code == type_code, Licence.number == number)
    return (await session.execute(query)).scalar_one_or_none()


async def find_for_application(session: AsyncSession, application_id: str, type_code: str) -> Licence | None:
    """The licence an application issued of that type, or None."""
    query = select(Licence).where(Licence.application_id == application_id, Licence.type_code == type_code)
    return (await session.execute(query)).scalar_one_or_none()


async def issued_by_application(session: AsyncSession, application_id: str) -> Sequence[Licence]:
    """The licences an application issued (locked for update)."""
    query = (
        select(Licence).where(Licence.application_id == application_id).order_by(Licence.id).with_for_update()
    )
    return (await session.execute(query)).scalars().all()


async def list_for_holder(
    session: AsyncSession,
    kind: str,
    *,
    account_id: str | None,
    identifier: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Licence], int]:
    """A page of a holder's licences, newest first, and how many there are."""
    holder = holder_filter(kind, account_id=account_id, identifier=identifier)
    where = [holder] if status is None else [holder, Licence.status == status]
    total = (await session.execute(select(func.count()).select_from(Licence).where(*where))).scalar_one()
    query = (
        select(Licence)
        .where(*where)
        .order_by(Licence.issued_at.desc(), Licence.id)
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).scalars().all(), int(total)


async def due_to_expire(session: AsyncSession, today: date, *, limit: int) -> Sequence[Licence]:
    """Valid or suspended licences whose last valid day is before `today` (locked for update)."""
    query = (
        select(Licence)
        .where(
            Licence.status.in_(("valid", "suspended")),
            Licence.valid_until.is_not(None),
            Licence.valid_until < today,
        )
        .order_by(Licence.valid_until, Licence.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).scalars().all()


async def bind_account(session: AsyncSession, kind: str, identifier: str, account_id: str) -> None:
    """Name the account on the licences issued to `identifier` that name none yet."""
    rows = await session.execute(
        select(Licence).where(
            Licence.holder_kind == kind,
            Licence.holder_identifier == identifier,
            Licence.holder_account_id.is_(None),
        )
    )
    for licence in rows.scalars():
        licence.holder_account_id = account_id


async def actions_of(
    session: AsyncSession, licence_id: str, *, limit: int, offset: int
) -> tuple[Sequence[LicenceAction], int]:
    """A page of a licence's trail, oldest first, and how long it is."""
    where = LicenceAction.licence_id == licence_id
    total = (await session.execute(select(func.count()).select_from(LicenceAction).where(where))).scalar_one()
    query = (
        select(LicenceAction)
        .where(where)
        .order_by(LicenceAction.at, LicenceAction.id)
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).scalars().all(), int(total)


async def newest_of_type(
    session: AsyncSession,
    type_code: str,
    kind: str,
    *,
    account_id: str | None,
    identifier: str | None,
    identifier_key: str | None = None,
) -> Licence | None:
    """The holder's licence of that type: the newest valid one, else the newest in any state."""
    holder = holder_filter(kind, account_id=account_id, identifier=identifier, identifier_key=identifier_key)
    query = (
        select(Licence)
        .where(holder, Licence.type_code == type_code)
        .order_by((Licence.status == "valid").desc(), Licence.valid_from.desc(), Licence.issued_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def unkeyed_person_licences(session: AsyncSession, *, limit: int) -> Sequence[Licence]:
    """Up to `limit` person licences with a resident ID and no keyed hash yet (locked for update;
    rows another replica is keying are skipped)."""
    query = (
        select(Licence)
        .where(
            Licence.holder_kind == "person",
            Licence.holder_identifier.is_not(None),
            Licence.holder_identifier_key.is_(None),
        )
        .order_by(Licence.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.execute(query)).scalars().all()
