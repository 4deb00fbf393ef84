"""Accounts: registering persons (online, or as walk-ins at a window, claimed later online),
creating and managing staff, reading profiles, LoA, passwords."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import events
from ..config import Settings
from ..errors import (
    AccountNotFound,
    OrgUnitUnknown,
    PassportTaken,
    PasswordUnchanged,
    PasswordWrong,
    PersonExists,
    PersonNotFound,
    PhoneTaken,
    ResidentIdTaken,
    StaffNotFound,
    UnmaskForbidden,
    UsernameTaken,
    WalkInDetailsDiffer,
)
from ..models import Account, OrgUnit, Person, Staff
from ..repositories.accounts import AccountRepository
from ..repositories.org_units import OrgUnitRepository
from ..repositories.refresh_tokens import RefreshTokenRepository
from ..schemas.accounts import PersonRegister, StaffCreate, WalkInCreate
from . import lookups
from .clock import utcnow
from .passwords import Passwords
from .privacy import mask_mobile, mask_passport, mask_resident_id, resident_id_key

log = logging.getLogger("identity.accounts")

#: LoA of a self-registered person (self-declared identity); also of a walk-in once claimed
#: online, since whoever claims it online declares themselves.
SELF_REGISTERED_LOA = 2
#: LoA of a walk-in registered at a window: the clerk checked the person against the document
#: (人证核验) before registering them.
WALK_IN_LOA = 4
#: The reason recorded when a window registration meets an existing account.
WALK_IN_REASON = "窗口登记时发现该证件已有账号"


def registered_event(account: Account, *, settings: Settings | None = None) -> events.UserRegistered:
    """The identity.user.registered payload for a new account (masked numbers only; a person's
    resident ID also as its keyed hash when `settings` hold the holder-key secret, ADR 0014)."""
    person = account if isinstance(account, Person) else None
    secret = settings.holder_key_secret if settings is not None else None
    staff = account if isinstance(account, Staff) else None
    return events.UserRegistered(
        account_id=account.id,
        kind=account.kind,  # type: ignore[arg-type]
        name=account.name,
        loa=account.loa,
        resident_id_masked=mask_resident_id(person.resident_id) if person and person.resident_id else None,
        passport_number_masked=(
            mask_passport(person.passport_number) if person and person.passport_number else None
        ),
        nationality=person.nationality if person else None,
        phone_masked=mask_mobile(person.phone) if person else None,
        username=staff.username if staff else None,
        org_unit_id=staff.org_unit_id if staff else None,
        roles=staff.roles if staff else [],
        registered_at=account.created_at,
        channel="admin" if staff else person.registration_channel,  # type: ignore[union-attr,arg-type]
        registered_by=person.registered_by_id if person else None,
        resident_id_key=resident_id_key(secret, person.resident_id) if person else None,
    )


def staff_changed_event(staff: Staff, change: str) -> events.StaffChanged:
    """The identity.staff.changed payload: the account as it now is."""
    return events.StaffChanged(
        staff_id=staff.id,
        username=staff.username,
        name=staff.name,
        org_unit_id=staff.org_unit.id,
        org_unit_code=staff.org_unit.code,
        roles=staff.roles,
        status=staff.status,  # type: ignore[arg-type]
        change=change,  # type: ignore[arg-type]
        changed_at=staff.updated_at,
    )


#: The middle dots of names such as 买买提·艾力, as different keyboards type them.
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", ".": "·", "‧": "·"})


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).translate(_NAME_DOTS).casefold()


def _same_name(a: str, b: str) -> bool:
    # Spaces, full-width forms, middle-dot variants and letter case do not make another person.
    return _name_key(a) == _name_key(b)


async def _document_holder(
    repo: AccountRepository, resident_id: str | None, passport_number: str | None, nationality: str | None
) -> Person | None:
    if resident_id:
        return await repo.find_person_by_resident_id(resident_id)
    if passport_number:
        holders = await repo.find_persons_by_passport(passport_number, nationality)
        return holders[0] if holders else None
    return None


async def _claim_walk_in(
    session: AsyncSession, walk_in: Person, *, data: PersonRegister, passwords: Passwords
) -> Person:
    """A walk-in sets their password by registering online with the details the clerk recorded."""
    repo = AccountRepository(session)
    locked = await repo.find(walk_in.id, for_update=True)  # two claims at once: one wins
    assert isinstance(locked, Person)
    if locked.has_login:
        raise _document_taken(data)
    if locked.phone != data.phone or not _same_name(locked.name, data.name):
        raise WalkInDetailsDiffer()  # never says which detail differs
    now = utcnow()
    locked.password_hash = await passwords.hash(data.password.get_secret_value())
    locked.loa = SELF_REGISTERED_LOA
    locked.claimed_at = now
    locked.updated_at = now
    await session.flush()
    log.info("walk-in account %s claimed online", locked.id)
    return locked


def _document_taken(data: PersonRegister) -> ResidentIdTaken | PassportTaken:
    return ResidentIdTaken() if data.resident_id else PassportTaken()


async def register_person(
    session: AsyncSession, *, data: PersonRegister, passwords: Passwords, settings: Settings
) -> Person:
    """Register a natural person at LoA 2, or let a walk-in registered at a window claim their
    account (same document, name and mobile); 409 when the document or phone is taken.

    A refusal never carries the existing account's id: registration is open to anyone, so it
    must not tell who holds a document."""
    repo = AccountRepository(session)
    holder = await _document_holder(repo, data.resident_id, data.passport_number, data.nationality)
    if holder is not None:
        if not holder.has_login:
            return await _claim_walk_in(session, holder, data=data, passwords=passwords)
        raise _document_taken(data)
    if await repo.find_person_by_phone(data.phone):
        raise PhoneTaken.online()
    now = utcnow()
    person = Person(
        name=data.name,
        loa=SELF_REGISTERED_LOA,
        password_hash=await passwords.hash(data.password.get_secret_value()),
        status="active",
        resident_id=data.resident_id,
        passport_number=data.passport_number,
        nationality=data.nationality,
        phone=data.phone,
        registration_channel="online",
        created_at=now,
        updated_at=now,
    )
    repo.add(person)
    await session.flush()
    await events.publish(session, registered_event(person, settings=settings))
    return person


async def register_walk_in(
    session: AsyncSession, *, data: WalkInCreate, clerk: Principal, settings: Settings
) -> Person:
    """Register a person who has no account, at the window (no password, LoA 4, registered by the
    clerk); PersonExists (409 with the account's id) when the document is registered already,
    recorded as a lookup by that clerk."""
    # The budget is checked first, so a throttled clerk learns nothing about who is registered.
    staff = await lookups.admit(session, clerk, lookups.SEARCHES, settings)
    repo = AccountRepository(session)
    holder = await _document_holder(repo, data.resident_id, data.passport_number, data.nationality)
    if holder is not None:
        key_type, key_masked = lookups.document_key(holder)
        lookups.record(
            session,
            staff,
            purpose="walk_in",
            key_type=key_type,
            key_masked=key_masked,
            reason=WALK_IN_REASON,
            person=holder,
        )
        raise PersonExists(person_id=holder.id)  # keeps the record: see identity.errors
    if await repo.find_person_by_phone(data.phone):
        # Someone else's account (a relative's, often): never named to the clerk.
        raise PhoneTaken.at_window()
    now = utcnow()
    person = Person(
        name=data.name,
        loa=WALK_IN_LOA,
        password_hash=None,
        status="active",
        resident_id=data.resident_id,
        passport_number=data.passport_number,
        nationality=data.nationality,
        phone=data.phone,
        registration_channel="window",
        registered_by_id=staff.id,
        created_at=now,
        updated_at=now,
    )
    repo.add(person)
    await session.flush()
    await events.publish(session, registered_event(person, settings=settings))
    log.info("walk-in %s registered at the window by %s", person.id, staff.id)
    return person


async def _org_unit(session: AsyncSession, org_unit_id: str) -> OrgUnit:
    unit = await OrgUnitRepository(session).find(org_unit_id)
    if unit is None:
        raise OrgUnitUnknown(org_unit_id)
    return unit


async def create_staff(session: AsyncSession, *, data: StaffCreate, passwords: Passwords) -> Staff:
    """Create a staff account in one unit with roles; 409 when the username is taken."""
    repo = AccountRepository(session)
    if await repo.find_staff_by_username(data.username):
        raise UsernameTaken(data.username)
    unit = await _org_unit(session, data.org_unit_id)
    now = utcnow()
    staff = Staff(
        name=data.name,
        loa=data.loa,
        password_hash=await passwords.hash(data.password.get_secret_value()),
        status="active",
        username=data.username,
        org_unit=unit,
        created_at=now,
        updated_at=now,
        role_rows=[],
    )
    staff.set_roles(list(data.roles))
    repo.add(staff)
    await session.flush()
    await events.publish(session, registered_event(staff))
    await events.publish(session, staff_changed_event(staff, "created"))
    return staff


async def update_staff(session: AsyncSession, staff_id: str, *, changes: dict[str, Any]) -> Staff:
    """Change a staff account's name, unit, roles or status (disabling ends its sessions);
    publishes identity.staff.changed when anything changed."""
    staff = await AccountRepository(session).find_staff(staff_id)
    if staff is None:
        raise StaffNotFound()
    now = utcnow()
    before = (staff.name, staff.org_unit.id, staff.roles, staff.status)
    if changes.get("name") is not None:
        staff.name = changes["name"]
    if changes.get("org_unit_id") is not None:
        staff.org_unit = await _org_unit(session, changes["org_unit_id"])
    if changes.get("roles") is not None:
        staff.set_roles(list(changes["roles"]))
    disabled = False
    if changes.get("status") is not None and changes["status"] != staff.status:
        staff.status = changes["status"]
        if staff.status == "disabled":
            disabled = True
            await RefreshTokenRepository(session).revoke_account(staff.id, now=now)
    if (staff.name, staff.org_unit.id, staff.roles, staff.status) == before:
        return staff  # nothing changed: nothing to tell
    staff.updated_at = now
    await session.flush()
    await events.publish(session, staff_changed_event(staff, "disabled" if disabled else "updated"))
    return staff


async def get_account(session: AsyncSession, account_id: str) -> Account:
    """The account with id `account_id` (Person or Staff); AccountNotFound otherwise."""
    account = await AccountRepository(session).find(account_id)
    if account is None:
        raise AccountNotFound()
    return account


def may_see_person(viewer: Principal, person_id: str) -> bool:
    """The owner and administrators may see a person's profile (numbers in clear too)."""
    return viewer.subject == person_id or viewer.is_admin


def check_unmask(viewer: Principal, person_id: str) -> None:
    """403 unless the viewer may see `person_id`'s numbers in clear (the owner, administrators)."""
    if not may_see_person(viewer, person_id):
        raise UnmaskForbidden()


async def get_person_for(session: AsyncSession, person_id: str, *, viewer: Principal) -> Person:
    """The person, if `viewer` may see them — the person, an admin, or the clerk who registered
    them at a window (masked); otherwise 404 (so existence is not revealed)."""
    person = await AccountRepository(session).find_person(person_id)
    if person is None:
        raise PersonNotFound()
    registered_it = viewer.is_staff and person.registered_by_id == viewer.subject
    if not (may_see_person(viewer, person_id) or registered_it):
        raise PersonNotFound()
    return person


async def get_staff_for(session: AsyncSession, staff_id: str, *, viewer: Principal) -> Staff:
    """The staff account, if `viewer` is that person, an admin or a supervisor; otherwise 404."""
    if not (viewer.subject == staff_id or viewer.has_any_role({"admin", "supervisor"})):
        raise StaffNotFound()
    staff = await AccountRepository(session).find_staff(staff_id)
    if staff is None:
        raise StaffNotFound()
    return staff


async def list_staff(
    session: AsyncSession,
    *,
    org_unit_id: str | None,
    role: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Staff], int]:
    """A page of staff accounts."""
    return await AccountRepository(session).list_staff(
        org_unit_id=org_unit_id, role=role, limit=limit, offset=offset
    )


async def set_loa(
    session: AsyncSession, account_id: str, *, loa: int, reason: str, actor: Principal
) -> Account:
    """Set an account's level of assurance (an administrator's decision, logged with the reason)."""
    account = await get_account(session, account_id)
    log.info(
        "LoA of account %s set from %d to %d by %s: %s", account.id, account.loa, loa, actor.subject, reason
    )
    account.loa = loa
    account.updated_at = utcnow()
    await session.flush()
    return account


async def change_password(
    session: AsyncSession,
    account_id: str,
    *,
    current_password: str,
    new_password: str,
    passwords: Passwords,
) -> None:
    """Change the password after checking the current one; every refresh token is revoked."""
    account = await get_account(session, account_id)
    if not (await passwords.verify(account.password_hash, current_password)).ok:
        raise PasswordWrong()
    if current_password == new_password:
        raise PasswordUnchanged()
    now = utcnow()
    account.password_hash = await passwords.hash(new_password)
    account.updated_at = now
    await RefreshTokenRepository(session).revoke_account(account.id, now=now)
    await session.flush()
