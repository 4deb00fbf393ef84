"""Items (实施清单) and their versions: create, edit, submit, return, publish, retire, new version.

Lifecycle of a version: ``draft → in_review → published → retired``; ``in_review → draft``
(returned); both machines, the version's and the entry's, are declared in `catalog.lifecycles`.
A published version is immutable. When a newer version is published the previous published one
becomes ``retired`` (with ``retired_at``): exactly one version is in force, and cases opened
under an older one keep it (they refer to the version number). The item's own status is
``draft`` until its first publish, ``published`` while a version is in force, and ``retired``
after `retire_item` (then every open version is retired too).

Who writes: a ``catalog_editor`` whose org unit is the implementing unit, or an ``admin``;
``actor=None`` is the system (demo data, import) and skips those checks and the read-model check.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import utcnow
from yiwang_shared.validators import is_valid_uscc

from .. import errors
from ..events import ItemPublished, ItemRetired, UnitInfo, publish
from ..lifecycles import ITEM, VERSION, VersionAction
from ..models import BasicItem, Item, ItemChange, ItemVersion, OrgUnit
from ..repositories.basic_items import BasicItemRepository
from ..repositories.items import ItemRepository
from ..repositories.org_units import OrgUnitRepository
from ..repositories.search import SearchRepository
from ..schemas.elements import ItemElements
from ..schemas.items import ChangeRead, DiffEntryRead, ItemRead, VersionRead, VersionSummaryRead
from . import codes, quality, review, search

log = logging.getLogger("catalog.items")

EDITOR_ROLE = "catalog_editor"


# ---------------------------------------------------------------------------------------------
# The guide-quality checker


def run_quality(elements: ItemElements) -> quality.QualityResult:
    """The guide-quality checker's result for `elements`."""
    return quality.check(elements)


# ---------------------------------------------------------------------------------------------
# Views


def item_view(item: Item, basic_code: str, latest_version_no: int) -> ItemRead:
    """An item's summary."""
    return ItemRead(
        id=item.id,
        code=item.code,
        basic_code=basic_code,
        name=item.name,
        item_type=item.item_type,  # type: ignore[arg-type]
        level=item.level,  # type: ignore[arg-type]
        owner_unit_code=item.owner_unit_code,
        owner_unit_name=item.owner_unit_name,
        status=item.status,  # type: ignore[arg-type]
        current_version_no=item.current_version_no,
        latest_version_no=latest_version_no,
        online_depth=item.online_depth,  # type: ignore[arg-type]
        visits=item.visits,
        community_kind=item.community_kind,  # type: ignore[arg-type]
        published_at=item.published_at,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def version_view(item: Item, version: ItemVersion) -> VersionRead:
    """A version with its elements."""
    return VersionRead(
        item_code=item.code,
        version_no=version.version_no,
        status=version.status,  # type: ignore[arg-type]
        elements=ItemElements.model_validate(version.elements),
        quality_score=version.quality_score,
        created_by=version.created_by,
        created_at=version.created_at,
        updated_at=version.updated_at,
        submitted_at=version.submitted_at,
        submitted_by=version.submitted_by,
        published_at=version.published_at,
        published_by=version.published_by,
        retired_at=version.retired_at,
    )


# ---------------------------------------------------------------------------------------------
# Lookups


async def find_item(session: AsyncSession, code: str) -> Item | None:
    """The item with implementation code `code`, or None."""
    return await ItemRepository(session).find_by_code(code)


async def get_item(session: AsyncSession, code: str) -> Item:
    """The item with implementation code `code`; 404 when missing."""
    item = await find_item(session, code)
    if item is None:
        raise errors.item_not_found(code)
    return item


async def get_version(session: AsyncSession, item: Item, version_no: int) -> ItemVersion:
    """Version `version_no` of `item`; 404 when missing."""
    version = await ItemRepository(session).find_version(item.id, version_no)
    if version is None:
        raise errors.version_not_found(item.code, version_no)
    return version


async def latest_version_no(session: AsyncSession, item_id: str) -> int:
    """The highest version number of an item."""
    return await ItemRepository(session).latest_version_no(item_id)


async def basic_code_of(session: AsyncSession, item: Item) -> str:
    """The basic code of an item."""
    return await ItemRepository(session).basic_code_of(item)


async def view_of(session: AsyncSession, item: Item) -> ItemRead:
    """The summary view of `item`."""
    return item_view(item, await basic_code_of(session, item), await latest_version_no(session, item.id))


async def find_unit_by_code(session: AsyncSession, code: str) -> OrgUnit | None:
    """The org unit (read model) with `code`, or None."""
    return await OrgUnitRepository(session).find_by_code(code)


# ---------------------------------------------------------------------------------------------
# Permissions


def can_edit_unit(actor: Principal | None, unit: OrgUnit | None) -> bool:
    """True if `actor` may write entries of `unit` (the system and admins may write any)."""
    if actor is None or actor.is_admin:
        return True
    return EDITOR_ROLE in actor.roles and unit is not None and actor.org_unit == unit.id


async def may_see_drafts(session: AsyncSession, actor: Principal | None, item: Item) -> bool:
    """True if `actor` may see unpublished versions of `item` (its unit's editors, admins)."""
    if actor is None:
        return False
    if actor.is_admin:
        return True
    if EDITOR_ROLE not in actor.roles:
        return False
    return can_edit_unit(actor, await find_unit_by_code(session, item.owner_unit_code))


async def _authorise_write(session: AsyncSession, actor: Principal | None, unit_code: str) -> OrgUnit | None:
    """Check `actor` may write entries of unit `unit_code`; return the unit (None for system)."""
    if actor is not None and not (actor.is_admin or EDITOR_ROLE in actor.roles):
        raise errors.not_editor()
    unit = await find_unit_by_code(session, unit_code)
    if actor is None:
        return unit
    if unit is None:
        raise errors.unknown_unit(unit_code)
    if not can_edit_unit(actor, unit):
        raise errors.not_owner(unit_code)
    return unit


def _check_uscc(elements: ItemElements) -> None:
    uscc = elements.implementing_unit.uscc
    if uscc and not is_valid_uscc(uscc):
        raise errors.invalid_uscc(uscc)


# ---------------------------------------------------------------------------------------------
# Same item, same standard (同一事项同标准)


def _basis_keys(basis: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted({(b.get("law") or "", b.get("article") or "") for b in basis})


def _material_names(elements: dict[str, Any]) -> list[str]:
    return sorted({m["name"] for m in elements.get("materials", [])})


async def check_same_standard(
    session: AsyncSession, *, basic: BasicItem, item_id: str | None, elements: ItemElements, full: bool
) -> None:
    """Refuse (409) an entry that differs from its basic entry / published peers at its level.

    Name and type always; legal basis (law + article) against the basic entry's when both have
    one; with `full` (publishing) also material names against any other published entry of the
    same basic code and level.
    """
    diffs: list[dict[str, Any]] = []
    if elements.name != basic.name:
        diffs.append({"element": "name", "expected": basic.name, "actual": elements.name})
    if elements.item_type != basic.item_type:
        diffs.append({"element": "item_type", "expected": basic.item_type, "actual": elements.item_type})
    mine = [b.model_dump(mode="json") for b in elements.legal_basis]
    if basic.legal_basis and (mine or full) and _basis_keys(mine) != _basis_keys(basic.legal_basis):
        diffs.append(
            {
                "element": "legal_basis",
                "expected": [list(k) for k in _basis_keys(basic.legal_basis)],
                "actual": [list(k) for k in _basis_keys(mine)],
            }
        )
    if full:
        peer = await ItemRepository(session).published_peer(
            basic_item_id=basic.id, level=elements.level, other_than=item_id
        )
        if peer is not None:
            expected = _material_names(peer[0])
            actual = _material_names(elements.model_dump(mode="json"))
            if expected != actual:
                diffs.append(
                    {"element": "materials", "expected": expected, "actual": actual, "peer": peer[1]}
                )
    if diffs:
        raise errors.standard_mismatch(basic.basic_code, elements.level, diffs)


# ---------------------------------------------------------------------------------------------
# Element diffs


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten a JSON document into ``path → leaf`` (``materials[0].name``)."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if not value and prefix:
            out[prefix] = {}
        for key, sub in value.items():
            out.update(flatten(sub, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list):
        if not value and prefix:
            out[prefix] = []
        for i, sub in enumerate(value):
            out.update(flatten(sub, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def diff_elements(before: dict[str, Any], after: dict[str, Any]) -> list[DiffEntryRead]:
    """Every leaf path whose value differs, in document order."""
    a, b = flatten(before), flatten(after)
    paths = list(a) + [p for p in b if p not in a]
    return [DiffEntryRead(path=p, before=a.get(p), after=b.get(p)) for p in paths if a.get(p) != b.get(p)]


def changed_top_level(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The top-level elements that differ."""
    keys = list(before) + [k for k in after if k not in before]
    return [k for k in keys if before.get(k) != after.get(k)]


# ---------------------------------------------------------------------------------------------
# Commands


def _record(
    session: AsyncSession,
    item: Item,
    version_no: int,
    actor: Principal | None,
    action: str,
    changed: list[str] | None = None,
    reason: str | None = None,
) -> None:
    session.add(
        ItemChange(
            item_id=item.id,
            version_no=version_no,
            actor_id=actor.subject if actor else None,
            action=action,
            changed_elements=changed or [],
            reason=reason,
            at=utcnow(),
        )
    )


def _denormalise(item: Item, elements: ItemElements) -> None:
    item.name = elements.name
    item.item_type = elements.item_type
    item.level = elements.level
    item.online_depth = elements.online_depth
    item.visits = elements.visits
    item.service_objects_tags = (
        "|" + "|".join(elements.service_objects) + "|" if elements.service_objects else ""
    )
    item.themes_tags = "|" + "|".join(elements.themes) + "|" if elements.themes else ""
    item.community_kind = elements.community_kind


async def find_basic(session: AsyncSession, basic_code: str) -> BasicItem | None:
    """The basic entry with `basic_code`, or None."""
    return await BasicItemRepository(session).find_by_code(basic_code)


async def create_basic_item(
    session: AsyncSession,
    *,
    name: str,
    item_type: str,
    legal_basis: list[dict[str, Any]],
    region_unit_code: str,
) -> BasicItem:
    """A new basic catalogue entry with a generated code."""
    basic = BasicItem(
        basic_code=await codes.new_basic_code(session, item_type=item_type, unit_code=region_unit_code),
        name=name,
        item_type=item_type,
        legal_basis=legal_basis,
        created_at=utcnow(),
    )
    session.add(basic)
    await session.flush()
    return basic


async def create_item(
    session: AsyncSession,
    *,
    elements: ItemElements,
    actor: Principal | None,
    basic_code: str | None = None,
) -> ItemRead:
    """Create an implementation entry (and its basic entry unless `basic_code` names one) with a
    generated code and draft version 1."""
    unit_code = elements.implementing_unit.code
    unit = await _authorise_write(session, actor, unit_code)
    _check_uscc(elements)
    if basic_code is not None:
        basic = await find_basic(session, basic_code)
        if basic is None:
            raise errors.unknown_basic_code(basic_code)
        await check_same_standard(session, basic=basic, item_id=None, elements=elements, full=False)
    else:
        basic = await create_basic_item(
            session,
            name=elements.name,
            item_type=elements.item_type,
            legal_basis=[b.model_dump(mode="json") for b in elements.legal_basis],
            region_unit_code=unit_code,
        )
    now = utcnow()
    item = Item(
        code=await codes.new_item_code(session, basic_code=basic.basic_code, unit_code=unit_code),
        basic_item_id=basic.id,
        owner_unit_code=unit_code,
        owner_unit_name=unit.name if unit is not None else elements.implementing_unit.name,
        level=elements.level,
        status="draft",
        current_version_no=None,
        created_at=now,
        updated_at=now,
    )
    _denormalise(item, elements)
    session.add(item)
    await session.flush()
    session.add(
        ItemVersion(
            item_id=item.id,
            version_no=1,
            status="draft",
            elements=elements.model_dump(mode="json"),
            created_by=actor.subject if actor else None,
            created_at=now,
            updated_at=now,
        )
    )
    _record(session, item, 1, actor, "created", list(elements.model_dump(mode="json")))
    await session.flush()
    return item_view(item, basic.basic_code, 1)


async def _writable(session: AsyncSession, code: str, actor: Principal | None) -> Item:
    item = await get_item(session, code)
    await _authorise_write(session, actor, item.owner_unit_code)
    return item


async def authorise_item_write(session: AsyncSession, item: Item, *, actor: Principal | None) -> None:
    """Refuse (403) an `actor` who may not write `item` (an editor of another unit, a non-editor)."""
    await _authorise_write(session, actor, item.owner_unit_code)


async def update_draft(
    session: AsyncSession, code: str, version_no: int, *, elements: ItemElements, actor: Principal | None
) -> VersionRead:
    """Replace the elements of a draft version (published versions are immutable: 409)."""
    item = await _writable(session, code, actor)
    version = await get_version(session, item, version_no)
    if not VERSION.can(version.status, "edit"):
        raise errors.version_immutable(code, version_no, version.status)
    if elements.implementing_unit.code != item.owner_unit_code:
        raise errors.unit_change(code, item.owner_unit_code, elements.implementing_unit.code)
    _check_uscc(elements)
    new = elements.model_dump(mode="json")
    changed = changed_top_level(version.elements, new)
    version.elements = new
    version.updated_at = utcnow()
    item.updated_at = version.updated_at
    if item.status == "draft":
        _denormalise(item, elements)
    _record(session, item, version_no, actor, "edited", changed)
    await session.flush()
    return version_view(item, version)


async def submit_version(
    session: AsyncSession, code: str, version_no: int, *, actor: Principal | None
) -> VersionRead:
    """Send a draft for review (draft → in_review)."""
    item = await _writable(session, code, actor)
    version = await get_version(session, item, version_no)
    try:
        version.status = VERSION.target(version.status, "submit")
    except TransitionRefused:
        raise errors.invalid_transition(code, version_no, version.status, "submit") from None
    version.submitted_at = version.updated_at = utcnow()
    version.submitted_by = actor.subject if actor else None
    _record(session, item, version_no, actor, "submitted")
    await session.flush()
    return version_view(item, version)


async def return_version(
    session: AsyncSession, code: str, version_no: int, *, actor: Principal | None, reason: str | None = None
) -> VersionRead:
    """Send a version in review back to draft (in_review → draft) with a reason."""
    item = await _writable(session, code, actor)
    version = await get_version(session, item, version_no)
    try:
        version.status = VERSION.target(version.status, "return")
    except TransitionRefused:
        raise errors.invalid_transition(code, version_no, version.status, "return") from None
    version.updated_at = utcnow()
    _record(session, item, version_no, actor, "returned", reason=reason)
    await session.flush()
    return version_view(item, version)


async def publish_version(
    session: AsyncSession,
    code: str,
    version_no: int,
    *,
    actor: Principal | None,
    enforce_quality: bool = True,
) -> VersionRead:
    """Publish a version in review (the system may publish a draft directly).

    Refused to any of the version's authors (403 ``catalog.author_cannot_publish``, recorded: see
    `catalog.services.review`), while the quality checker finds errors (422
    ``catalog.quality_errors``) or when the entry breaks "同一事项同标准" (409). The previous
    published version becomes ``retired``; the item's search columns and index follow the new one;
    ``catalog.item.published.v1`` is written to the outbox in the same transaction.
    """
    item = await _writable(session, code, actor)
    version = await get_version(session, item, version_no)
    try:
        item_status = ITEM.target(item.status, "publish")
        version_status = VERSION.target(version.status, _publish_action(version.status, actor))
    except TransitionRefused as refused:  # a retired entry, or a version not in review
        raise errors.invalid_transition(code, version_no, refused.state, "publish") from None
    await review.check_reviewer(session, item, version, actor)
    elements = ItemElements.model_validate(version.elements)
    result = run_quality(elements)
    if result.errors and enforce_quality:
        findings = [_finding_dict(f) for f in result.findings]
        raise errors.quality_errors(
            code, version_no, len(result.errors), score=result.score, findings=findings
        )
    basic = await ItemRepository(session).basic_of(item)
    await check_same_standard(session, basic=basic, item_id=item.id, elements=elements, full=True)
    if not basic.legal_basis and elements.legal_basis:
        basic.legal_basis = [b.model_dump(mode="json") for b in elements.legal_basis]

    now = utcnow()
    for old in await ItemRepository(session).published_versions(item.id):
        old.status = VERSION.target(old.status, "supersede")
        old.retired_at = old.updated_at = now
    version.status = version_status
    version.quality_score = None if result is None else int(result.score)
    version.published_at = version.updated_at = now
    version.published_by = actor.subject if actor else None
    item.status = item_status
    item.current_version_no = version_no
    item.published_at = item.updated_at = now
    _denormalise(item, elements)
    _record(session, item, version_no, actor, "published")
    await session.flush()

    await search.reindex(session, item.id, elements)

    owner = await find_unit_by_code(session, item.owner_unit_code)
    await publish(
        session,
        ItemPublished(
            item_id=item.id,
            item_code=item.code,
            basic_code=basic.basic_code,
            version_no=version_no,
            published_at=now,
            level=item.level,
            owner_unit=UnitInfo(
                id=owner.id if owner else None,
                code=item.owner_unit_code,
                name=item.owner_unit_name,
                uscc=elements.implementing_unit.uscc or (owner.uscc if owner else None),
            ),
            quality_score=version.quality_score,
            elements=elements,
        ),
    )
    return version_view(item, version)


def _publish_action(status: str, actor: Principal | None) -> VersionAction:
    """`publish` for a person (a version in review); the system may also publish a draft directly."""
    if actor is None and VERSION.can(status, "publish_directly"):
        return "publish_directly"
    return "publish"


def _finding_dict(finding: Any) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "element": finding.element,
        "check": finding.check,
        "message": finding.message,
        "hint": getattr(finding, "hint", None),
    }


async def retire_item(
    session: AsyncSession, code: str, *, actor: Principal | None, reason: str | None = None
) -> ItemRead:
    """Retire an item: every open version is retired, it leaves search, and (if it had been
    published) ``catalog.item.retired.v1`` is written."""
    item = await _writable(session, code, actor)
    try:
        retired = ITEM.target(item.status, "retire")
    except TransitionRefused:
        raise errors.already_retired(code) from None
    now = utcnow()
    was_published = item.status == "published"
    for v in await ItemRepository(session).versions_not_retired(item.id):
        v.status = VERSION.target(v.status, "retire")
        v.retired_at = v.updated_at = now
    item.status = retired
    item.updated_at = now
    last_no = item.current_version_no or await latest_version_no(session, item.id)
    _record(session, item, last_no, actor, "retired", reason=reason)
    await SearchRepository(session).delete_terms(item.id)
    basic_code = await basic_code_of(session, item)
    if was_published:
        await publish(
            session,
            ItemRetired(
                item_id=item.id,
                item_code=item.code,
                basic_code=basic_code,
                version_no=item.current_version_no,
                owner_unit_code=item.owner_unit_code,
                reason=reason,
                retired_at=now,
            ),
        )
    await session.flush()
    return item_view(item, basic_code, await latest_version_no(session, item.id))


async def new_version(session: AsyncSession, code: str, *, actor: Principal | None) -> VersionRead:
    """Start a new draft as a copy of the version in force (one open draft at a time)."""
    item = await _writable(session, code, actor)
    if not ITEM.can(item.status, "new_version") or item.current_version_no is None:
        raise errors.not_published(code, item.status)
    open_no = await ItemRepository(session).open_version_no(item.id)
    if open_no is not None:
        raise errors.open_draft_exists(code, open_no)
    current = await get_version(session, item, item.current_version_no)
    number = await latest_version_no(session, item.id) + 1
    now = utcnow()
    version = ItemVersion(
        item_id=item.id,
        version_no=number,
        status="draft",
        elements=dict(current.elements),
        created_by=actor.subject if actor else None,
        created_at=now,
        updated_at=now,
    )
    session.add(version)
    item.updated_at = now
    _record(session, item, number, actor, "new_version")
    await session.flush()
    return version_view(item, version)


# ---------------------------------------------------------------------------------------------
# Queries


async def list_versions(
    session: AsyncSession, item: Item, *, include_unpublished: bool, limit: int, offset: int
) -> tuple[list[VersionSummaryRead], int]:
    """A page of the versions of `item`, oldest first (drafts only when `include_unpublished`),
    and how many there are."""
    versions, total = await ItemRepository(session).versions_page(
        item.id, include_unpublished=include_unpublished, limit=limit, offset=offset
    )
    return [VersionSummaryRead.model_validate(v) for v in versions], total


async def history(
    session: AsyncSession, item: Item, *, limit: int, offset: int
) -> tuple[list[ChangeRead], int]:
    """A page of the audit trail of `item`, oldest first, and how many entries there are."""
    changes, total = await ItemRepository(session).changes_page(item.id, limit=limit, offset=offset)
    return [ChangeRead.model_validate(r) for r in changes], total
