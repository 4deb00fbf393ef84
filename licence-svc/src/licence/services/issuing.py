"""The issuing unit issues a licence directly (颁证): a type of its own, a valid holder identifier,
a number nobody else's; rendered, signed and announced like a licence an application issued."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..models import Licence
from ..repositories.licences import find_by_number
from ..schemas import LicenceCreate
from .licences import Issue, covers, issue
from .signing import KeyRing
from .types import get_type


async def issue_directly(
    session: AsyncSession, body: LicenceCreate, actor: Principal, *, keys: KeyRing, now: datetime
) -> Licence:
    """Issue a licence as the caller's unit (403 unless it is the type's issuing unit or a part of it)."""
    licence_type = await get_type(session, body.type_code)
    if not licence_type.active:
        raise errors.type_inactive(licence_type.name)
    unit_code = licence_type.issuing_unit_code or actor.org_unit_code
    if unit_code is None or not covers(actor.org_unit_code, unit_code):
        raise errors.not_issuing_unit(unit_code or licence_type.name)
    if body.holder_kind != licence_type.holder_kind:
        raise errors.holder_kind_mismatch(licence_type.name, licence_type.holder_kind)
    if body.valid_until is not None and body.valid_until < body.valid_from:
        raise errors.validity_invalid()
    if body.number is not None and await find_by_number(session, licence_type.code, body.number) is not None:
        raise errors.number_taken(licence_type.name, body.number)
    what = Issue(
        licence_type=licence_type,
        holder_kind=body.holder_kind,
        holder_name=body.holder_name,
        holder_identifier=body.holder_identifier,
        holder_account_id=body.holder_account_id,
        issuing_unit_code=unit_code,
        issuing_unit_name=licence_type.issuing_unit_name or unit_code,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        number=body.number,
        data=dict(body.data),
    )
    return await issue(session, what, keys=keys, now=now)
