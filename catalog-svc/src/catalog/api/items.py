"""Items (实施清单): /v1/items. Published entries are public; writes are for the owning unit's
catalogue editors and administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import HTMLResponse

from yiwang_shared.auth import CurrentPrincipal, OptionalPrincipal, Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import public_path, set_location
from yiwang_shared.openapi import created, problems
from yiwang_shared.pagination import PageQuery

from .. import errors
from ..models import Item, ItemVersion
from ..schemas.elements import CommunityKind, ItemElements, ItemType, OnlineDepth, ServiceObject
from ..schemas.guide import GuideRead
from ..schemas.items import (
    MAX_VERSION_NO,
    ChangePage,
    FindingRead,
    ItemCreate,
    ItemDetailRead,
    ItemDiffRead,
    ItemPage,
    ItemRead,
    ItemRetire,
    LevelCode,
    OpenVersionPage,
    OpenVersionStatus,
    QualityRead,
    VersionPage,
    VersionRead,
    VersionReturn,
    VersionUpdate,
)
from ..services import guide as guides
from ..services import items as svc
from ..services import review
from ..services.catalogue import ItemFilters, list_items
from .common import VersionNoPath

router = APIRouter(prefix="/v1/items", tags=["items"])
#: The editors' work list: drafts and versions in review across entries.
work_router = APIRouter(prefix="/v1/item-versions", tags=["items"])

GuideVersionQuery = Annotated[
    int | None,
    Query(
        ge=1,
        le=MAX_VERSION_NO,
        description=f"A published version (版本号), 1–{MAX_VERSION_NO}; default: the one in force.",
    ),
]


async def _visible_version(
    session: SessionDep, code: str, version_no: int, principal: Principal | None
) -> tuple[Item, ItemVersion]:
    item = await svc.get_item(session, code)
    version = await svc.get_version(session, item, version_no)
    if version.published_at is None and not await svc.may_see_drafts(session, principal, item):
        raise errors.version_not_found(code, version_no)
    return item, version


@router.post(
    "",
    response_model=ItemRead,
    status_code=status.HTTP_201_CREATED,
    responses={**created("The entry, with draft version 1"), **problems(409)},
)
async def items_create(
    body: ItemCreate, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> ItemRead:
    """Create an entry with draft version 1 (catalogue editor of the implementing unit, or admin)."""
    item = await svc.create_item(session, elements=body.elements, actor=principal, basic_code=body.basic_code)
    set_location(response, f"/v1/items/{item.code}")
    return item


@router.get("", response_model=ItemPage)
async def items_list(
    session: SessionDep,
    page: PageQuery,
    q: Annotated[str | None, Query(max_length=100, description="Chinese full-text query (全文检索).")] = None,
    item_type: Annotated[ItemType | None, Query(description="Item type (事项类型) 01–10 or 20.")] = None,
    level: Annotated[LevelCode | None, Query(description="Level (行使层级) 1–7.")] = None,
    unit: Annotated[str | None, Query(max_length=64, description="Owner unit code (实施主体编码).")] = None,
    service_object: Annotated[
        ServiceObject | None, Query(description="Service object (服务对象) 1–6.")
    ] = None,
    online_depth: Annotated[OnlineDepth | None, Query(description="Online depth (网办深度) I–IV.")] = None,
    zero_visit: Annotated[bool | None, Query(description="true: no visit needed (零跑动).")] = None,
    theme: Annotated[str | None, Query(max_length=200, description="Theme (主题分类), exact.")] = None,
    community_kind: Annotated[
        CommunityKind | None, Query(description="Community-level kind (社区事项类别).")
    ] = None,
) -> Response:
    """Published entries, filtered; with `q` ranked by relevance (anyone)."""
    filters = ItemFilters(
        item_type=item_type,
        level=None if level is None else int(level),
        unit=unit,
        service_object=service_object,
        online_depth=online_depth,
        zero_visit=zero_visit,
        theme=theme,
        community_kind=community_kind,
    )
    hits, total = await list_items(
        session, q=(q or "").strip() or None, filters=filters, limit=page.limit, offset=page.offset
    )
    result = ItemPage.model_construct(total=total, limit=page.limit, offset=page.offset, items=hits)
    # Serialised here, once, by pydantic: returned as a model, FastAPI would dump it to a dict,
    # validate that again and encode it with json.dumps. The documented schema stays `ItemPage`.
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("/{code}", response_model=ItemDetailRead)
async def items_get(code: str, session: SessionDep, principal: OptionalPrincipal) -> ItemDetailRead:
    """An entry with its version in force (anyone); editors of its unit and admins see the newest
    version of an entry never published."""
    item = await svc.get_item(session, code)
    drafts = await svc.may_see_drafts(session, principal, item)
    if item.current_version_no is None:
        if not drafts:
            raise errors.item_not_found(code)
        number = await svc.latest_version_no(session, item.id)
    else:
        number = item.current_version_no
    version = await svc.get_version(session, item, number)
    view = await svc.view_of(session, item)
    return ItemDetailRead(**view.model_dump(), version=svc.version_view(item, version))


@router.get("/{code}/versions", response_model=VersionPage)
async def items_versions_list(
    code: str, session: SessionDep, principal: OptionalPrincipal, page: PageQuery
) -> VersionPage:
    """The versions of an entry, oldest first (published ones for anyone; all for its editors and
    admins)."""
    item = await svc.get_item(session, code)
    drafts = await svc.may_see_drafts(session, principal, item)
    if item.current_version_no is None and not drafts:
        raise errors.item_not_found(code)
    versions, total = await svc.list_versions(
        session, item, include_unpublished=drafts, limit=page.limit, offset=page.offset
    )
    return VersionPage(items=versions, total=total, limit=page.limit, offset=page.offset)


@router.get("/{code}/versions/{version_no}", response_model=VersionRead)
async def items_versions_get(
    code: str, version_no: VersionNoPath, session: SessionDep, principal: OptionalPrincipal
) -> VersionRead:
    """One version with its elements (unpublished ones: its editors and admins only)."""
    item, version = await _visible_version(session, code, version_no, principal)
    return svc.version_view(item, version)


@router.put("/{code}/versions/{version_no}", response_model=VersionRead, responses=problems(409))
async def items_versions_update(
    code: str,
    version_no: VersionNoPath,
    body: VersionUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> VersionRead:
    """Replace a draft's elements (editor of the unit, admin); 409 on a non-draft."""
    return await svc.update_draft(session, code, version_no, elements=body.elements, actor=principal)


@router.post("/{code}/versions/{version_no}/submit", response_model=VersionRead, responses=problems(409))
async def items_versions_submit(
    code: str, version_no: VersionNoPath, principal: CurrentPrincipal, session: SessionDep
) -> VersionRead:
    """Send a draft for review (editor of the unit, admin)."""
    return await svc.submit_version(session, code, version_no, actor=principal)


@router.post("/{code}/versions/{version_no}/return", response_model=VersionRead, responses=problems(409))
async def items_versions_return(
    code: str,
    version_no: VersionNoPath,
    principal: CurrentPrincipal,
    session: SessionDep,
    body: VersionReturn | None = None,
) -> VersionRead:
    """Return a version in review to draft, with a reason (editor of the unit, admin)."""
    return await svc.return_version(
        session, code, version_no, actor=principal, reason=body.reason if body else None
    )


@router.post(
    "/{code}/versions/{version_no}/publish",
    response_model=VersionRead,
    responses=problems(409, s422="Quality errors remain (质量检查未通过: see `findings`), or invalid input"),
)
async def items_versions_publish(
    code: str, version_no: VersionNoPath, principal: CurrentPrincipal, session: SessionDep
) -> VersionRead:
    """Publish a version in review (editor of the unit, admin); 422 while quality errors remain."""
    return await svc.publish_version(session, code, version_no, actor=principal)


@router.post(
    "/{code}/versions",
    response_model=VersionRead,
    status_code=status.HTTP_201_CREATED,
    responses={**created("The new draft version"), **problems(409)},
)
async def items_versions_create(
    code: str, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> VersionRead:
    """Start a new draft version as a copy of the one in force (editor of the unit, admin)."""
    version = await svc.new_version(session, code, actor=principal)
    set_location(response, f"/v1/items/{code}/versions/{version.version_no}")
    return version


@router.post("/{code}/retire", response_model=ItemRead, responses=problems(409))
async def items_retire(
    code: str, principal: CurrentPrincipal, session: SessionDep, body: ItemRetire | None = None
) -> ItemRead:
    """Retire the entry (editor of the unit, admin); publishes catalog.item.retired.v1."""
    return await svc.retire_item(session, code, actor=principal, reason=body.reason if body else None)


@router.get("/{code}/diff", response_model=ItemDiffRead)
async def items_diff(
    code: str,
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: Annotated[
        int, Query(alias="from", ge=1, le=MAX_VERSION_NO, description="The version compared from (版本号).")
    ],
    to: Annotated[int, Query(ge=1, le=MAX_VERSION_NO, description="The version compared to (版本号).")],
) -> ItemDiffRead:
    """Element-by-element differences between two versions (paths like `materials[0].name`), whole:
    a diff is one answer about two versions, not a collection to page through."""
    _, before = await _visible_version(session, code, from_, principal)
    _, after = await _visible_version(session, code, to, principal)
    return ItemDiffRead(
        item_code=code,
        from_version=from_,
        to_version=to,
        changes=svc.diff_elements(before.elements, after.elements),
    )


@router.get("/{code}/history", response_model=ChangePage)
async def items_history(
    code: str, session: SessionDep, principal: CurrentPrincipal, page: PageQuery
) -> ChangePage:
    """Who changed what and when, oldest first (editors of the unit, admins)."""
    item = await svc.get_item(session, code)
    if not await svc.may_see_drafts(session, principal, item):
        raise errors.not_owner(item.owner_unit_code)
    changes, total = await svc.history(session, item, limit=page.limit, offset=page.offset)
    return ChangePage(items=changes, total=total, limit=page.limit, offset=page.offset)


@router.get("/{code}/versions/{version_no}/quality", response_model=QualityRead)
async def items_versions_quality(
    code: str, version_no: VersionNoPath, session: SessionDep, principal: OptionalPrincipal
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
        raise errors.item_not_found(code)
    version = await svc.get_version(session, item, number)
    if version.published_at is None:
        raise errors.version_not_published(code, number)
    meta = {
        "code": item.code,
        "basic_code": await svc.basic_code_of(session, item),
        "version_no": number,
        "published_at": version.published_at.isoformat(),
        "unit_name": item.owner_unit_name,
        "status": version.status,
    }
    return ItemElements.model_validate(version.elements), meta


@router.get("/{code}/guide", response_model=GuideRead)
async def items_guide(
    code: str,
    session: SessionDep,
    version: GuideVersionQuery = None,
) -> GuideRead:
    """The citizen guide (办事指南) of the version in force, or of a published `version`, as JSON."""
    elements, meta = await _guide_input(session, code, version)
    html = f"/v1/items/{code}/guide.html" + (f"?version={version}" if version is not None else "")
    return GuideRead.model_validate({**guides.guide_json(elements, meta), "html_url": public_path(html)})


@router.get("/{code}/guide.html", response_class=HTMLResponse)
async def items_guide_html(
    code: str,
    session: SessionDep,
    version: GuideVersionQuery = None,
) -> HTMLResponse:
    """The printable Chinese guide page (`text/html`, UTF-8)."""
    elements, meta = await _guide_input(session, code, version)
    return HTMLResponse(guides.guide_html(elements, meta))


@work_router.get("", response_model=OpenVersionPage)
async def item_versions_list(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageQuery,
    status: Annotated[
        OpenVersionStatus | None,
        Query(description="draft 草稿 or in_review 审核中; default both."),
    ] = None,
    unit: Annotated[
        str | None,
        Query(max_length=64, description="Owner unit code (实施主体编码); editors may give only their own."),
    ] = None,
) -> OpenVersionPage:
    """Drafts and versions in review (草稿、待审核), oldest change first: a catalogue editor's own
    unit's, or any unit's for an administrator; `can_publish` marks those the caller may review."""
    versions, total = await review.list_open_versions(
        session,
        actor=principal,
        unit=unit,
        statuses=(status,) if status else review.OPEN_STATUSES,
        limit=page.limit,
        offset=page.offset,
    )
    return OpenVersionPage(items=versions, total=total, limit=page.limit, offset=page.offset)


__all__ = ["router", "work_router"]
