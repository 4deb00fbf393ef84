"""Review by a second person (审核发布) and the work list of open versions (草稿、审核中).

A version is published by someone other than its authors: whoever created it (or copied it as a
new version), edited its elements, or sent it for review. The system (``actor=None``: demo data,
import) is not a person and is not checked. A refused attempt is written to the audit trail
(``publish_refused``) and committed with the 403, so supervisors see who tried.

The work list shows drafts and versions in review to the people who can act on them: a
catalogue editor sees their own unit's, an administrator everyone's (optionally one unit's).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import utcnow

from .. import errors
from ..lifecycles import VERSION
from ..models import Item, ItemChange, ItemVersion
from ..repositories.items import ItemRepository
from ..repositories.org_units import OrgUnitRepository
from ..schemas.items import OpenVersionRead

EDITOR_ROLE = "catalog_editor"
OPEN_STATUSES = ("draft", "in_review")
#: The audit-trail actions that make their actor an author of the version.
AUTHOR_ACTIONS = ("created", "new_version", "edited", "submitted")


async def authors_of(session: AsyncSession, item: Item, version: ItemVersion) -> set[str]:
    """Everyone who wrote or submitted `version` (token subjects; the system is nobody)."""
    found = await ItemRepository(session).version_actors(item.id, version.version_no, AUTHOR_ACTIONS)
    found.update(a for a in (version.created_by, version.submitted_by) if a)
    return found


async def check_reviewer(
    session: AsyncSession, item: Item, version: ItemVersion, actor: Principal | None
) -> None:
    """Refuse (403, recorded) an actor who is one of the version's authors."""
    if actor is None or actor.subject not in await authors_of(session, item, version):
        return
    session.add(
        ItemChange(
            item_id=item.id,
            version_no=version.version_no,
            actor_id=actor.subject,
            action="publish_refused",
            changed_elements=[],
            reason="起草、修改或提交审核的人员不能审核发布本版本（须由他人审核）。",
            at=utcnow(),
        )
    )
    await session.flush()
    raise errors.author_cannot_publish(item.code, version.version_no)


async def _unit_code_of(session: AsyncSession, actor: Principal) -> str | None:
    if actor.org_unit is None:
        return None
    return await OrgUnitRepository(session).code_of(actor.org_unit)


async def work_list_scope(session: AsyncSession, actor: Principal, unit: str | None) -> str | None:
    """The owner unit code the work list is limited to (None: every unit, for administrators).

    403 for callers who are neither catalogue editors nor administrators, and for an editor asking
    for another unit's list.
    """
    if actor.is_admin:
        return unit
    if EDITOR_ROLE not in actor.roles:
        raise errors.not_editor()
    own = await _unit_code_of(session, actor)
    if own is None or (unit is not None and unit != own):
        raise errors.not_own_work_list(unit or "", own)
    return own


async def list_open_versions(
    session: AsyncSession,
    *,
    actor: Principal,
    unit: str | None,
    statuses: Sequence[str] = OPEN_STATUSES,
    limit: int,
    offset: int,
) -> tuple[list[OpenVersionRead], int]:
    """A page of drafts and versions in review the caller may act on, oldest change first."""
    scope = await work_list_scope(session, actor, unit)
    rows, total = await ItemRepository(session).open_versions_page(
        statuses=statuses, unit_code=scope, limit=limit, offset=offset
    )
    keys = [(item.id, v.version_no) for v, item in rows]
    authors = await _authors_by_version(session, keys)
    returns = await _returns_by_version(
        session, [k for k, (v, _) in zip(keys, rows, strict=True) if v.status == "draft"]
    )
    page = []
    for version, item in rows:
        mine = {a for a in (version.created_by, version.submitted_by) if a}
        mine |= authors.get((item.id, version.version_no), set())
        returned = returns.get((item.id, version.version_no))
        page.append(
            OpenVersionRead(
                item_id=item.id,
                item_code=item.code,
                name=str(version.elements.get("name") or item.name),
                owner_unit_code=item.owner_unit_code,
                owner_unit_name=item.owner_unit_name,
                item_status=item.status,  # type: ignore[arg-type]
                current_version_no=item.current_version_no,
                version_no=version.version_no,
                status=version.status,  # type: ignore[arg-type]
                created_by=version.created_by,
                created_at=version.created_at,
                updated_at=version.updated_at,
                submitted_by=version.submitted_by,
                submitted_at=version.submitted_at,
                can_publish=VERSION.can(version.status, "publish") and actor.subject not in mine,
                returned_at=returned.at if returned else None,
                returned_reason=returned.reason if returned else None,
            )
        )
    return page, total


async def _authors_by_version(
    session: AsyncSession, keys: list[tuple[str, int]]
) -> dict[tuple[str, int], set[str]]:
    """The authors recorded in the audit trail for each (item id, version number) of a page."""
    if not keys:
        return {}
    return await ItemRepository(session).actors_by_version({k[0] for k in keys}, AUTHOR_ACTIONS)


async def _returns_by_version(
    session: AsyncSession, keys: list[tuple[str, int]]
) -> dict[tuple[str, int], ItemChange]:
    """For each (item id, version number) of drafts, the return (退回修改) that made it a draft again,
    unless it was submitted again since (the last of the two actions wins)."""
    if not keys:
        return {}
    changes = await ItemRepository(session).changes_of({k[0] for k in keys}, ("returned", "submitted"))
    last: dict[tuple[str, int], ItemChange] = {}
    for change in changes:
        last[(change.item_id, change.version_no)] = change
    wanted = set(keys)
    return {k: c for k, c in last.items() if k in wanted and c.action == "returned"}
