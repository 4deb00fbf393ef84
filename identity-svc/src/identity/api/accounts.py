"""Persons, staff, the current account and levels of assurance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from yiwang_shared.auth import Principal, require_roles
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from ..schemas.accounts import (
    AccountRead,
    ActingForRead,
    LoaUpdate,
    MeRead,
    PasswordChange,
    PersonRead,
    PersonRegister,
    StaffCreate,
    StaffPage,
    StaffRead,
    StaffRoleName,
    StaffUpdate,
    WalkInCreate,
)
from ..services import accounts as accounts_service
from ..services import enterprises as enterprises_service
from .deps import Admin, Caller, PasswordsDep, SettingsDep
from .responses import retry_after
from .views import account_view, person_view, staff_view

router = APIRouter(prefix="/v1", tags=["accounts"])

Unmask = Annotated[
    bool,
    Query(description="Return resident ID, passport and phone in clear (owner and admins only)."),
]
StaffReader = Annotated[Principal, Depends(require_roles("admin", "supervisor"))]
WindowClerk = Annotated[Principal, Depends(require_roles("window_clerk"))]


@router.post(
    "/persons",
    response_model=PersonRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The registered person, numbers masked", 409),
)
async def persons_register(
    body: PersonRegister,
    session: SessionDep,
    passwords: PasswordsDep,
    settings: SettingsDep,
    response: Response,
) -> PersonRead:
    """Register as a natural person (anyone); LoA 2. A walk-in registered at a window claims the
    account this way, with the same document, name and mobile."""
    person = await accounts_service.register_person(
        session, data=body, passwords=passwords, settings=settings
    )
    set_location(response, f"/v1/persons/{person.id}")
    return person_view(person)


@router.post(
    "/persons/walk-ins",
    response_model=PersonRead,
    status_code=status.HTTP_201_CREATED,
    responses=retry_after(
        {
            **created("The walk-in's new account (no password yet), numbers masked"),
            **problems(
                s409="The document is registered already: `person_id` names the account "
                "(identity.person_exists), or the mobile is another person's (identity.phone_taken)",
                s429="Too many lookups by this staff member: wait for Retry-After seconds (查询过于频繁)",
            ),
        },
        429,
    ),
)
async def persons_walk_ins_create(
    body: WalkInCreate, clerk: WindowClerk, session: SessionDep, settings: SettingsDep, response: Response
) -> PersonRead:
    """Register a person without an account at the window (window clerk, admin): no password;
    the person claims it later by registering online with the same document, name and mobile."""
    person = await accounts_service.register_walk_in(session, data=body, clerk=clerk, settings=settings)
    set_location(response, f"/v1/persons/{person.id}")
    return person_view(person)


@router.get("/persons/{person_id}", response_model=PersonRead)
async def persons_get(
    person_id: str, caller: Caller, session: SessionDep, unmask: Unmask = False
) -> PersonRead:
    """A person's profile (the person, an admin, or the clerk who registered them at a window;
    anyone else gets 404)."""
    if unmask:
        accounts_service.check_unmask(caller, person_id)
    person = await accounts_service.get_person_for(session, person_id, viewer=caller)
    return person_view(person, unmask=unmask)


@router.get(
    "/me", response_model=MeRead, responses=problems(s404="The account no longer exists (账号不存在)")
)
async def me_get(caller: Caller, session: SessionDep, unmask: Unmask = False) -> MeRead:
    """The caller's own account (any logged-in account), and whom they act for."""
    account = await accounts_service.get_account(session, caller.subject)
    acting = None
    if caller.acting_for is not None:
        enterprise = await enterprises_service.find_enterprise(session, caller.acting_for.entity_id)
        acting = ActingForRead(
            entity_id=caller.acting_for.entity_id,
            uscc=caller.acting_for.uscc,
            name=enterprise.name if enterprise else "",
            grant_id=caller.acting_for.grant_id,
            scope=list(caller.acting_for.scope),
        )
    return MeRead(account=account_view(account, unmask=unmask), acting_for=acting)


@router.post(
    "/me/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(
        s403="The current password is wrong (当前密码不正确)",
        s404="The account no longer exists (账号不存在)",
    ),
)
async def me_change_password(
    body: PasswordChange, caller: Caller, session: SessionDep, passwords: PasswordsDep
) -> Response:
    """Change one's own password (any logged-in account); ends every other session."""
    await accounts_service.change_password(
        session,
        caller.subject,
        current_password=body.current_password.get_secret_value(),
        new_password=body.new_password.get_secret_value(),
        passwords=passwords,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/staff",
    response_model=StaffRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The new staff account", 409),
)
async def staff_create(
    body: StaffCreate, _: Admin, session: SessionDep, passwords: PasswordsDep, response: Response
) -> StaffRead:
    """Create a staff account (admin); LoA 4 by default."""
    staff = await accounts_service.create_staff(session, data=body, passwords=passwords)
    set_location(response, f"/v1/staff/{staff.id}")
    return staff_view(staff)


@router.get("/staff", response_model=StaffPage)
async def staff_list(
    _: StaffReader,
    session: SessionDep,
    page: PageQuery,
    org_unit_id: Annotated[str | None, Query(description="Only staff of this unit (所属机构).")] = None,
    role: Annotated[StaffRoleName | None, Query(description="Only staff holding this role (角色).")] = None,
) -> StaffPage:
    """Staff accounts by username, optionally of one unit or role (admin, supervisor)."""
    rows, total = await accounts_service.list_staff(
        session, org_unit_id=org_unit_id, role=role, limit=page.limit, offset=page.offset
    )
    return StaffPage(items=[staff_view(s) for s in rows], total=total, limit=page.limit, offset=page.offset)


@router.get("/staff/{staff_id}", response_model=StaffRead)
async def staff_get(staff_id: str, caller: Caller, session: SessionDep) -> StaffRead:
    """A staff account (the account itself, admin, supervisor)."""
    return staff_view(await accounts_service.get_staff_for(session, staff_id, viewer=caller))


@router.patch("/staff/{staff_id}", response_model=StaffRead)
async def staff_update(staff_id: str, body: StaffUpdate, _: Admin, session: SessionDep) -> StaffRead:
    """Change a staff account's name, unit, roles or status (admin)."""
    staff = await accounts_service.update_staff(
        session, staff_id, changes=body.model_dump(exclude_unset=True)
    )
    return staff_view(staff)


@router.put("/accounts/{account_id}/loa", response_model=AccountRead)
async def accounts_set_loa(
    account_id: str, body: LoaUpdate, admin: Admin, session: SessionDep
) -> AccountRead:
    """Set a person's or staff member's level of assurance (admin); the account as it now is."""
    account = await accounts_service.set_loa(
        session, account_id, loa=body.loa, reason=body.reason, actor=admin
    )
    return account_view(account)
