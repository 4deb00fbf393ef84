"""Items (实施清单): /v1/items. Published entries are public; writes are for the owning unit's
catalogue editors and administrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, status
from fastapi.responses import HTMLResponse, Response

from yiwang_shared.auth import CurrentPrincipal, OptionalPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.errors import NotFound

from .. import guide as guides
from ..elements import CommunityKind, ItemElements, ItemType, OnlineDepth, ServiceObject
from ..schemas import (
    ChangeRead,
    DiffEntry,
    FindingRead,
    ItemCreate,
    ItemDetail,
    ItemPage,
    ItemView,
    QualityRead,
    ReasonBody,
    VersionSummary,
    VersionUpdate,
    VersionView,
)
from ..services import items as svc
from ..services.catalogue import ItemFilters, list_items

router = APIRouter(prefix="/v1/items", tags=["items"])


async def _visible_version(
    session: SessionDep, code: str, version_no: int, principal: Any
) -> tuple[Any, Any]:
    item = await svc.get_item(session, code)
    version = await svc.get_version(session, item, version_no)
    if version.published_at is None and not await svc.may_see_drafts(session, principal, item):
        raise svc.errors.version_not_found(code, version_no)
    return item, version


@router.post("", response_model=ItemView, status_code=status.HTTP_201_CREATED)
async def items_create(body: ItemCreate, principal: CurrentPrincipal, session: SessionDep) -> ItemView:
    """Create an entry with draft version 1 (catalogue editor of the implementing unit, or admin)."""
    return await svc.create_item(session, elements=body.elements, actor=principal, basic_code=body.basic_code)


@router.get("", response_model=ItemPage)
async def items_list(
    session: SessionDep,
    q: str | None = Query(default=None, max_length=100, description="Chinese full-text query."),
    item_type: ItemType | None = None,
    level: int | None = Query(default=None, ge=1, le=7),
    unit: str | None = Query(default=None, max_length=64, description="Owner unit code."),
    service_object: ServiceObject | None = None,
    online_depth: OnlineDepth | None = None,
    zero_visit: bool | None = None,
    theme: str | None = Query(default=None, max_length=200),
    community_kind: CommunityKind | None = None,
    limit: int = Query(default=20, ge=1, le=100),
    offset: int = Query(default=0, ge=0, le=1_000_000),
) -> Response:
    """Published entries, filtered; with `q` ranked by relevance (anyone)."""
    filters = ItemFilters(
        item_type=item_type,
        level=level,
        unit=unit,
        service_object=service_object,
        online_depth=online_depth,
        zero_visit=zero_visit,
        theme=theme,
        community_kind=community_kind,
    )
    hits, total = await list_items(
        session, q=(q or "").strip() or None, filters=filters, limit=limit, offset=offset
    )
    page = ItemPage.model_construct(total=total, limit=limit, offset=offset, items=hits)
    # Serialised here, once, by pydantic: returned as a model, FastAPI would dump it to a dict,
    # validate that again and encode it with json.dumps. The documented schema stays `ItemPage`.
    return Response(page.model_dump_json(), media_type="application/json")


@router.get("/{code}", response_model=ItemDetail)
async def items_get(code: str, session: SessionDep, principal: OptionalPrincipal) -> ItemDetail:
    """An entry with its version in force (anyone); editors of its unit and admins see the newest
    version of an entry never published."""
    item = await svc.get_item(session, code)
    drafts = await svc.may_see_drafts(session, principal, item)
    if item.current_version_no is None:
        if not drafts:
            raise svc.errors.item_not_found(code)
        number = await svc.latest_version_no(session, item.id)
    else:
        number = item.current_version_no
    version = await svc.get_version(session, item, number)
    view = await svc.view_of(session, item)
    return ItemDetail(**view.model_dump(), version=svc.version_view(item, version))


@router.get("/{code}/versions", response_model=list[VersionSummary])
async def items_versions_list(
    code: str, session: SessionDep, principal: OptionalPrincipal
) -> list[VersionSummary]:
    """The versions of an entry (published ones for anyone; all for its editors and admins)."""
    item = await svc.get_item(session, code)
    drafts = await svc.may_see_drafts(session, principal, item)
    if item.current_version_no is None and not drafts:
        raise svc.errors.item_not_found(code)
    return await svc.list_versions(session, item, include_unpublished=drafts)


@router.get("/{code}/versions/{version_no}", response_model=VersionView)
async def items_versions_get(
    code: str, version_no: int, session: SessionDep, principal: OptionalPrincipal
) -> VersionView:
    """One version with its elements (unpublished ones: its editors and admins only)."""
    item, version = await _visible_version(session, code, version_no, principal)
    return svc.version_view(item, version)


@router.put("/{code}/versions/{version_no}", response_model=VersionView)
async def items_versions_update(
    code: str, version_no: int, body: VersionUpdate, principal: CurrentPrincipal, session: SessionDep
) -> VersionView:
    """Replace a draft's elements (editor of the unit, admin); 409 on a non-draft."""
    return await svc.update_draft(session, code, version_no, elements=body.elements, actor=principal)


@router.post("/{code}/versions/{version_no}/submit", response_model=VersionView)
async def items_versions_submit(
    code: str, version_no: int, principal: CurrentPrincipal, session: SessionDep
) -> VersionView:
    """Send a draft for review (editor of the unit, admin)."""
    return await svc.submit_version(session, code, version_no, actor=principal)


@router.post("/{code}/versions/{version_no}/return", response_model=VersionView)
async def items_versions_return(
    code: str,
    version_no: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    body: ReasonBody | None = None,
) -> VersionView:
    """Return a version in review to draft, with a reason (editor of the unit, admin)."""
    return await svc.return_version(
        session, code, version_no, actor=principal, reason=body.reason if body else None
    )


@router.post("/{code}/versions/{version_no}/publish", response_model=VersionView)
async def items_versions_publish(
    code: str, version_no: int, principal: CurrentPrincipal, session: SessionDep
) -> VersionView:
    """Publish a version in review (editor of the unit, admin); 422 while quality errors remain."""
    return await svc.publish_version(session, code, version_no, actor=principal)


@router.post("/{code}/versions", response_model=VersionView, status_code=status.HTTP_201_CREATED)
async def items_versions_create(code: str, principal: CurrentPrincipal, session: SessionDep) -> VersionView:
    """Start a new draft version as a copy of the one in force (editor of the unit, admin)."""
    return await svc.new_version(session, code, actor=principal)


@router.post("/{code}/retire", response_model=ItemView)
async def items_retire(
    code: str, principal: CurrentPrincipal, session: SessionDep, body: ReasonBody | None = None
) -> ItemView:
    """Retire the entry (editor of the unit, admin); publishes catalog.item.retired.v1."""
    return await svc.retire_item(session, code, actor=principal, reason=body.reason if body else None)


@router.get("/{code}/diff", response_model=list[DiffEntry])
async def items_diff(
    code: str,
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: int = Query(alias="from", ge=1),
    to: int = Query(ge=1),
) -> list[DiffEntry]:
    """Element-by-element differences between two versions (paths like `materials[0].name`)."""
    _, before = await _visible_version(session, code, from_, principal)
    _, after = await _visible_version(session, code, to, principal)
    return svc.diff_elements(before.elements, after.elements)


@router.get("/{code}/history", response_model=list[ChangeRead])
async def items_history(code: str, session: SessionDep, principal: CurrentPrincipal) -> list[ChangeRead]:
    """Who changed what and when (editors of the unit, admins)."""
    item = await svc.get_item(session, code)
    if not await svc.may_see_drafts(session, principal, item):
        raise svc.errors.not_owner(item.owner_unit_code)
    return await svc.history(session, item)


@router.get("/{code}/versions/{version_no}/quality", response_model=QualityRead)
async def items_versions_quality(
    code: str, version_no: int, session: SessionDep, principal: OptionalPrincipal
) -> QualityRead:
    """Run the guide-quality checker on a version: findings per element and a score."""
    _, version = await _visible_version(session, code, version_no, principal)
    result = svc.run_quality(ItemElements.model_validate(version.elements))
    return QualityRead(
        item_code=code,
        version_no=version_no,
        score=result.score,
        errors=len(result.errors),
        findings=[FindingRead(**svc._finding_dict(f)) for f in result.findings],
    )


async def _guide_input(
    session: SessionDep, code: str, version_no: int | None
) -> tuple[ItemElements, dict[str, Any]]:
    item = await svc.get_item(session, code)
    number = version_no or item.current_version_no
    if number is None:
        raise svc.errors.item_not_found(code)
    version = await svc.get_version(session, item, number)
    if version.published_at is None:
        raise NotFound(f"Version {number} of {code} is not published.", code="catalog.version_not_found")
    meta = {
        "code": item.code,
        "basic_code": await svc.basic_code_of(session, item),
        "version_no": number,
        "published_at": version.published_at.isoformat(),
        "unit_name": item.owner_unit_name,
        "status": version.status,
    }
    return ItemElements.model_validate(version.elements), meta


@router.get("/{code}/guide")
async def items_guide(code: str, session: SessionDep, version: int | None = Query(default=None, ge=1)) -> Any:
    """The citizen guide (办事指南) of the version in force, or of a published `version`, as JSON."""
    elements, meta = await _guide_input(session, code, version)
    return guides.guide_json(elements, meta)


@router.get("/{code}/guide.html", response_class=HTMLResponse)
async def items_guide_html(
    code: str, session: SessionDep, version: int | None = Query(default=None, ge=1)
) -> HTMLResponse:
    """The printable Chinese guide page."""
    elements, meta = await _guide_input(session, code, version)
    return HTMLResponse(guides.guide_html(elements, meta))


__all__ = ["router"]
