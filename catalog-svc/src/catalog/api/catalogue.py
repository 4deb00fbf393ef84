"""Basic catalogue (/v1/basic-items), reports (/v1/reports/...), bundles (/v1/bundles) and exports
(/v1/export/...)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import created
from yiwang_shared.pagination import COUNT_CAP, PageQuery

from .. import errors
from ..models import Item
from ..schemas.basic_items import (
    BasicItemCreate,
    BasicItemDetailRead,
    BasicItemPage,
    BasicItemRead,
)
from ..schemas.bundles import BundleCreate, BundlePage, BundleRead
from ..schemas.elements import ItemType
from ..schemas.export import CpsvApCatalogRead, ExportEntryPage
from ..schemas.reports import HalvingReportRead, QualityReportFormat, QualityReportRead, ReductionReportRead
from ..services import bundles as bundle_svc
from ..services import export, quality
from ..services import items as svc
from ..services import quality_report as report_mod
from ..services.catalogue import basic_item_detail, count_published, list_basic_items, published_rows
from ..services.outcomes import halving_report
from ..services.reports import reduction_report

basic_router = APIRouter(prefix="/v1/basic-items", tags=["basic-items"])
reports_router = APIRouter(prefix="/v1/reports", tags=["reports"])
bundles_router = APIRouter(prefix="/v1/bundles", tags=["bundles"])
export_router = APIRouter(prefix="/v1/export", tags=["export"])


class JsonLdResponse(JSONResponse):
    """JSON-LD (`application/ld+json`), UTF-8 and unescaped like every JSON answer."""

    media_type = "application/ld+json"


@basic_router.get("", response_model=BasicItemPage)
async def basic_items_list(
    session: SessionDep,
    page: PageQuery,
    item_type: Annotated[ItemType | None, Query(description="Item type (事项类型) 01–10 or 20.")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name (名称包含).")] = None,
) -> BasicItemPage:
    """Basic catalogue entries by code (anyone)."""
    items, total = await list_basic_items(
        session, item_type=item_type, q=q, limit=page.limit, offset=page.offset
    )
    return BasicItemPage(items=items, total=total, limit=page.limit, offset=page.offset)


@basic_router.get("/{basic_code}", response_model=BasicItemDetailRead)
async def basic_items_get(basic_code: str, session: SessionDep) -> BasicItemDetailRead:
    """A basic entry with its published implementations (anyone)."""
    return await basic_item_detail(session, basic_code)


@basic_router.post(
    "",
    response_model=BasicItemRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The basic entry, with its generated code"),
)
async def basic_items_create(
    body: BasicItemCreate, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> BasicItemRead:
    """Create a basic entry with a generated code (catalogue editors, admins)."""
    if not (principal.is_admin or svc.EDITOR_ROLE in principal.roles):
        raise errors.not_catalog_editor("新建基本目录事项", "create basic entries")
    basic = await svc.create_basic_item(
        session,
        name=body.name,
        item_type=body.item_type,
        legal_basis=[b.model_dump(mode="json") for b in body.legal_basis],
        region_unit_code=body.region or "000000",
    )
    set_location(response, f"/v1/basic-items/{basic.basic_code}")
    return BasicItemRead.model_validate(basic)


@reports_router.get(
    "/quality",
    response_model=QualityReportRead,
    responses={
        200: {
            "description": "The report: JSON by default, CSV (one row per finding, UTF-8 with BOM) "
            "with `format=csv`",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def reports_quality(
    session: SessionDep,
    format: Annotated[
        QualityReportFormat, Query(description="json, or csv for spreadsheets.")
    ] = QualityReportFormat.JSON,
) -> Any:
    """The catalogue-wide guide-quality report by department (JSON, or CSV for the people who fix it)."""
    rows = [
        {
            "code": item.code,
            "name": item.name,
            "owner_unit_code": item.owner_unit_code,
            "owner_unit_name": item.owner_unit_name,
            "result": quality.check(elements),
        }
        for item, elements in await published_rows(session)
    ]
    report: dict[str, Any] = report_mod.build_report(rows)
    if format is QualityReportFormat.CSV:
        return Response(
            content=report_mod.to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="catalog-quality.csv"'},
        )
    return QualityReportRead(
        generated_at=report["generated_at"],
        totals=report["totals"],
        departments=report["departments"],
        item_results=report["items"],
    )


@reports_router.get("/halving", response_model=HalvingReportRead)
async def reports_halving(
    session: SessionDep,
    days: Annotated[
        int, Query(ge=1, le=3660, description="Applications received in the last this many days.")
    ] = 365,
) -> HalvingReportRead:
    """减材料、减时限 in fact: per item, the materials required against what applicants actually brought
    and the promised time against the working days taken (median, p90), from intake's events."""
    return HalvingReportRead.model_validate(await halving_report(session, days=days))


@reports_router.get("/reduction", response_model=ReductionReportRead)
async def reports_reduction(session: SessionDep) -> ReductionReportRead:
    """Materials required vs exempt and promised vs legal limits per department (减材料、减时限)."""
    return ReductionReportRead.model_validate(await reduction_report(session))


@bundles_router.post(
    "",
    response_model=BundleRead,
    status_code=status.HTTP_201_CREATED,
    responses=created("The bundle with its merged materials and form"),
)
async def bundles_create(
    body: BundleCreate, principal: CurrentPrincipal, session: SessionDep, response: Response
) -> BundleRead:
    """Create a "one thing" bundle of published items (catalogue editors, admins)."""
    bundle = await bundle_svc.create_bundle(session, data=body, actor=principal)
    set_location(response, f"/v1/bundles/{bundle.code}")
    return bundle


@bundles_router.get("", response_model=BundlePage)
async def bundles_list(session: SessionDep, page: PageQuery) -> BundlePage:
    """Bundles by code (anyone)."""
    bundles, total = await bundle_svc.list_bundles(session, limit=page.limit, offset=page.offset)
    return BundlePage(items=bundles, total=total, limit=page.limit, offset=page.offset)


@bundles_router.get("/{code}", response_model=BundleRead)
async def bundles_get(code: str, session: SessionDep) -> BundleRead:
    """A bundle with its merged materials (shared ones asked once) and merged form (anyone)."""
    return await bundle_svc.bundle_view(session, code)


def _export_meta(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "version_no": item.current_version_no,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "status": item.status,
        "owner_unit_code": item.owner_unit_code,
        "owner_unit_name": item.owner_unit_name,
    }


@export_router.get("/items.json", response_model=ExportEntryPage)
async def export_items_json(session: SessionDep, page: PageQuery) -> Response:
    """Published entries with every element, by unit and code, a page at a time (anyone): the
    catalogue for other systems."""
    rows = await published_rows(session, limit=page.limit, offset=page.offset)
    total = await count_published(session)
    doc = {
        "items": [export.to_json(_export_meta(item), el) for item, el in rows],
        # Written without the Page model (see below), so its total rule is applied here.
        "total": min(total, COUNT_CAP),
        "total_exact": total <= COUNT_CAP,
        "limit": page.limit,
        "offset": page.offset,
    }
    # Already JSON-ready (the elements were validated when read): encoded once, not re-validated.
    return Response(json.dumps(doc, ensure_ascii=False), media_type="application/json")


@export_router.get(
    "/cpsv-ap.jsonld",
    response_model=CpsvApCatalogRead,
    response_class=JsonLdResponse,
    responses={200: {"description": "The catalogue as CPSV-AP JSON-LD (a download)"}},
)
async def export_items_cpsv_ap(session: SessionDep) -> JsonLdResponse:
    """Every published entry in the EU CPSV-AP vocabulary as JSON-LD (anyone)."""
    graph = export.catalogue_cpsv_ap([(_export_meta(item), el) for item, el in await published_rows(session)])
    return JsonLdResponse(
        graph, headers={"Content-Disposition": 'attachment; filename="catalog-cpsv-ap.jsonld"'}
    )
