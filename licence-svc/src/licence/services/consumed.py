"""What each consumed event does: catalog's published items and identity's persons fill the read
models; an approved, completed application of an item whose result is a licence type issues that
licence (once: the application and type are unique together, and the runner deduplicates events);
a decision revoked at the 告知承诺 post-check revokes what it issued.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date

from ..clients import payloads
from ..models import CatalogItem, Person
from ..repositories.licences import find_for_application
from ..repositories.read_models import find_item, find_person, upsert_org_unit
from ..repositories.types import find_type
from .licences import Issue, issue, revoke_for_application
from .signing import KeyRing

log = logging.getLogger("licence.consumed")


class NotYetKnown(Exception):
    """The item or the applicant of a completed application has not reached licence-svc yet (the
    catalogue's, identity's and intake's streams are not ordered with each other, and a first start
    replays them side by side): the runner retries with backoff, then dead-letters the event with
    this reason. A licence is never issued without its holder's name, nor silently not at all."""


#: (durable consumer name, stream, subject) of every consumed event.
CONSUMERS: tuple[tuple[str, str, str], ...] = (
    ("licence__item_published", "CATALOG", payloads.ITEM_PUBLISHED),
    ("licence__user_registered", "IDENTITY", payloads.USER_REGISTERED),
    ("licence__org_unit_changed", "IDENTITY", payloads.ORG_UNIT_CHANGED),
    ("licence__application_completed", "INTAKE", payloads.COMPLETED),
    ("licence__application_revoked", "INTAKE", payloads.REVOKED),
)


async def upsert_item(session: AsyncSession, data: dict[str, Any]) -> None:
    """Keep the item's version, owner and result's licence type (an older version changes nothing)."""
    item: payloads.ItemPublished = payloads.parse(payloads.ItemPublished, data)
    row = await find_item(session, item.item_code)
    if row is not None and row.version_no > item.version_no:
        return
    if row is None:
        row = CatalogItem(item_code=item.item_code)
        session.add(row)
    row.item_name = item.elements.name
    row.version_no = item.version_no
    row.result_name = item.elements.result.name
    row.licence_type_code = item.elements.result.licence_type_code
    row.owner_unit_code = item.owner_unit.code
    row.owner_unit_name = item.owner_unit.name


async def upsert_person(session: AsyncSession, data: dict[str, Any]) -> None:
    """Keep a person's name and their resident ID's keyed hash, when identity sent one (staff
    accounts are no holders)."""
    user: payloads.UserRegistered = payloads.parse(payloads.UserRegistered, data)
    if user.kind != "person":
        return
    row = await find_person(session, user.account_id)
    if row is None:
        row = Person(account_id=user.account_id)
        session.add(row)
    row.name, row.resident_id_masked = user.name, user.resident_id_masked
    if user.resident_id_key:  # an event without one (no secret then) forgets none learnt before
        row.resident_id_key = user.resident_id_key.lower()


async def _holder(session: AsyncSession, done: payloads.Completed) -> tuple[str, str | None, str] | None:
    """(kind, identity's id, name) of who the licence goes to; None when intake's payload cannot say."""
    if done.applicant_kind == "enterprise":
        if not done.enterprise_id:
            return None
        return "enterprise", done.enterprise_id, done.item_name
    if not done.applicant_subject:
        return None
    person = await find_person(session, done.applicant_subject)
    if person is None:
        raise NotYetKnown(f"application {done.application_no}: person {done.applicant_subject} not known yet")
    return "person", done.applicant_subject, person.name


async def issue_for_application(session: AsyncSession, data: dict[str, Any], *, keys: KeyRing) -> None:
    """Issue the licence an approved application's item produces (nothing for other items)."""
    done: payloads.Completed = payloads.parse(payloads.Completed, data)
    if done.decision != "approved":
        return
    item = await find_item(session, done.item_code)
    if item is None:
        raise NotYetKnown(f"application {done.application_no}: item {done.item_code} not known yet")
    if not item.licence_type_code:
        return
    licence_type = await find_type(session, item.licence_type_code)
    if licence_type is None or not licence_type.active:
        log.warning(
            "item %s names licence type %s, unknown or inactive here", item.item_code, item.licence_type_code
        )
        return
    if await find_for_application(session, done.application_id, licence_type.code) is not None:
        return
    holder = await _holder(session, done)
    if holder is None:
        raise payloads.PayloadRejected(
            f"application {done.application_no}: no holder (applicant_kind {done.applicant_kind}; "
            "an enterprise needs enterprise_id, a person applicant_subject)"
        )
    kind, account_id, name = holder
    what = Issue(
        licence_type=licence_type,
        holder_kind=kind,
        holder_name=name,
        holder_identifier=None,
        holder_account_id=account_id,
        issuing_unit_code=done.owner_unit_code,
        issuing_unit_name=item.owner_unit_name
        if item.owner_unit_code == done.owner_unit_code
        else done.owner_unit_code,
        valid_from=local_date(done.completed_at),
        valid_until=done.valid_until,
        number=done.result_number,
        data={"事项名称": done.item_name, "申请编号": done.application_no},
        application_id=done.application_id,
        application_no=done.application_no,
    )
    await issue(session, what, keys=keys, now=done.completed_at)


async def revoke_for_revoked_decision(session: AsyncSession, data: dict[str, Any]) -> None:
    """A decision revoked at the post-check (告知承诺核查不实) voids the licence it issued."""
    revoked: payloads.Revoked = payloads.parse(payloads.Revoked, data)
    reason = "告知承诺核查不实，原审批决定已撤销"
    if revoked.notice_no:
        reason += f"（{revoked.notice_no}）"
    if revoked.reason:
        reason += f"：{revoked.reason}"
    await revoke_for_application(session, revoked.application_id, reason=reason[:500], now=revoked.revoked_at)


async def apply_consumed(session: AsyncSession, subject: str, data: dict[str, Any], *, keys: KeyRing) -> None:
    """Apply one consumed event; an event licence does not use changes nothing."""
    if subject == payloads.ITEM_PUBLISHED:
        await upsert_item(session, data)
    elif subject == payloads.USER_REGISTERED:
        await upsert_person(session, data)
    elif subject == payloads.ORG_UNIT_CHANGED:
        await upsert_org_unit(session, data)
    elif subject == payloads.COMPLETED:
        await issue_for_application(session, data, keys=keys)
    elif subject == payloads.REVOKED:
        await revoke_for_revoked_decision(session, data)
