"""Accounts: registering persons, creating and managing staff, reading profiles, LoA, passwords."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.errors import Conflict, Forbidden, NotFound, UnprocessableEntity

from .. import events
from ..clock import utcnow
from ..models import Account, OrgUnit, Person, Staff
from ..passwords import Passwords
from ..privacy import mask_mobile, mask_passport, mask_resident_id
from ..repositories.accounts import AccountRepository
from ..repositories.org_units import OrgUnitRepository
from ..repositories.refresh_tokens import RefreshTokenRepository
from ..schemas.accounts import PersonRegister, StaffCreate

log = logging.getLogger("identity.accounts")

#: LoA of a self-registered person (self-declared identity).
SELF_REGISTERED_LOA = 2


def _person_not_found() -> NotFound:
    return NotFound("未找到该人员信息。", en="No such person.", code="identity.person_not_found")


def _staff_not_found() -> NotFound:
    return NotFound("未找到该工作人员账号。", en="No such staff account.", code="identity.staff_not_found")


def registered_event(account: Account) -> events.UserRegistered:
    """The identity.user.registered payload for a new account (masked numbers only)."""
    person = account if isinstance(account, Person) else None
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
    )


async def register_person(session: AsyncSession, *, data: PersonRegister, passwords: Passwords) -> Person:
    """Register a natural person at LoA 2; 409 when the document or phone is taken."""
    repo = AccountRepository(session)
    if data.resident_id and await repo.find_person_by_resident_id(data.resident_id):
        raise Conflict(
            "该居民身份证号已注册过账号，请直接登录；如忘记密码，请联系管理员重置。",
            en="An account is already registered with this resident ID; log in or reset the password.",
            code="identity.resident_id_taken",
        )
    if data.passport_number and await repo.find_persons_by_passport(data.passport_number, data.nationality):
        raise Conflict(
            "该护照号码和国籍已注册过账号，请直接登录。",
            en="An account is already registered with this passport number and nationality.",
            code="identity.passport_taken",
        )
    if await repo.find_person_by_phone(data.phone):
        raise Conflict(
            "该手机号已被其他账号使用，请换一个手机号注册；如是您本人的账号，请直接登录。",
            en="Another account already uses this mobile number.",
            code="identity.phone_taken",
        )
    now = utcnow()
    person = Person(
        name=data.name,
        loa=SELF_REGISTERED_LOA,
        password_hash=await passwords.hash(data.password.get_secret_value()),
        status="active",
        failed_logins=0,
        resident_id=data.resident_id,
        passport_number=data.passport_number,
        nationality=data.nationality,
        phone=data.phone,
        created_at=now,
        updated_at=now,
    )
    repo.add(person)
    await session.flush()
    await events.publish(session, registered_event(person))
    return person


async def _org_unit(session: AsyncSession, org_unit_id: str) -> OrgUnit:
    unit = await OrgUnitRepository(session).find(org_unit_id)
    if unit is None:
        raise UnprocessableEntity(
            f"所属机构 org_unit_id（{org_unit_id}）不存在，请从组织机构列表中选择。",
            en=f"org_unit_id {org_unit_id!r} is not an organisation unit.",
            code="identity.org_unit_unknown",
        )
    return unit


async def create_staff(session: AsyncSession, *, data: StaffCreate, passwords: Passwords) -> Staff:
    """Create a staff account in one unit with roles; 409 when the username is taken."""
    repo = AccountRepository(session)
    if await repo.find_staff_by_username(data.username):
        raise Conflict(
            f"用户名 {data.username} 已被使用，请换一个用户名。",
            en=f"The username {data.username!r} is taken.",
            code="identity.username_taken",
        )
    unit = await _org_unit(session, data.org_unit_id)
    now = utcnow()
    staff = Staff(
        name=data.name,
        loa=data.loa,
        password_hash=await passwords.hash(data.password.get_secret_value()),
        status="active",
        failed_logins=0,
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
    return staff


async def update_staff(session: AsyncSession, staff_id: str, *, changes: dict[str, Any]) -> Staff:
    """Change a staff account's name, unit, roles or status (disabling ends its sessions)."""
    staff = await AccountRepository(session).find_staff(staff_id)
    if staff is None:
        raise _staff_not_found()
    now = utcnow()
    if changes.get("name") is not None:
        staff.name = changes["name"]
    if changes.get("org_unit_id") is not None:
        staff.org_unit = await _org_unit(session, changes["org_unit_id"])
    if changes.get("roles") is not None:
        staff.set_roles(list(changes["roles"]))
    if changes.get("status") is not None and changes["status"] != staff.status:
        staff.status = changes["status"]
        if staff.status == "disabled":
            await RefreshTokenRepository(session).revoke_account(staff.id, now=now)
    staff.updated_at = now
    await session.flush()
    return staff


async def get_account(session: AsyncSession, account_id: str) -> Account:
    """The account with id `account_id` (Person or Staff); NotFound otherwise."""
    account = await AccountRepository(session).find(account_id)
    if account is None:
        raise NotFound("未找到该账号。", en="No such account.", code="identity.account_not_found")
    return account


def may_see_person(viewer: Principal, person_id: str) -> bool:
    """The owner and administrators may see a person's profile."""
    return viewer.subject == person_id or viewer.is_admin


def check_unmask(viewer: Principal, person_id: str) -> None:
    """403 unless the viewer may see `person_id`'s numbers in clear (the owner, administrators)."""
    if not may_see_person(viewer, person_id):
        raise Forbidden(
            "只有本人或管理员可以查看完整的证件号码和手机号。",
            en="Only the person themselves or an administrator may see personal numbers unmasked.",
            code="identity.unmask_forbidden",
        )


async def get_person_for(session: AsyncSession, person_id: str, *, viewer: Principal) -> Person:
    """The person, if `viewer` may see them; otherwise 404 (so existence is not revealed)."""
    if not may_see_person(viewer, person_id):
        raise _person_not_found()
    person = await AccountRepository(session).find_person(person_id)
    if person is None:
        raise _person_not_found()
    return person


async def get_staff_for(session: AsyncSession, staff_id: str, *, viewer: Principal) -> Staff:
    """The staff account, if `viewer` is that person, an admin or a supervisor; otherwise 404."""
    if not (viewer.subject == staff_id or viewer.has_any_role({"admin", "supervisor"})):
        raise _staff_not_found()
    staff = await AccountRepository(session).find_staff(staff_id)
    if staff is None:
        raise _staff_not_found()
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
        raise Forbidden(
            "当前密码不正确，请核对后重新输入。",
            en="The current password is wrong.",
            code="identity.password_wrong",
        )
    if current_password == new_password:
        raise UnprocessableEntity(
            "新密码不能与当前密码相同，请设置一个新密码。",
            en="The new password must differ from the current one.",
            code="identity.password_unchanged",
        )
    now = utcnow()
    account.password_hash = await passwords.hash(new_password)
    account.updated_at = now
    await RefreshTokenRepository(session).revoke_account(account.id, now=now)
    await session.flush()
