"""Basic catalogue (/v1/basic-items), reports (/v1/reports/...) and bundles (/v1/bundles)."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import Response
from sqlalchemy import select

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.errors import Forbidden, NotFound

from .. import export, quality
from .. import quality_report as report_mod
from ..models import BasicItem, Item
from ..schemas import BasicItemCreate, BasicItemRead, BundleCreate
from ..services import bundles as bundle_svc
from ..services import items as svc
from ..services.catalogue import published_rows
from ..services.reports import reduction_report

basic_router = APIRouter(prefix="/v1/basic-items", tags=["basic-items"])
reports_router = APIRouter(prefix="/v1/reports", tags=["reports"])
bundles_router = APIRouter(prefix="/v1/bundles", tags=["bundles"])


@basic_router.get("", response_model=list[BasicItemRead])
async def basic_items_list(
    session: SessionDep,
    item_type: str | None = Query(default=None, max_length=2),
    q: str | None = Query(default=None, max_length=100, description="Part of the name."),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=1_000_000),
) -> list[BasicItemRead]:
    """Basic catalogue entries by code (anyone)."""
    stmt = select(BasicItem).order_by(BasicItem.basic_code)
    if item_type:
        stmt = stmt.where(BasicItem.item_type == item_type)
    if q:
        stmt = stmt.where(BasicItem.name.contains(q))
    rows = (await session.execute(stmt.limit(limit).offset(offset))).scalars()
    return [BasicItemRead.model_validate(b) for b in rows]


@basic_router.get("/{basic_code}")
async def basic_items_get(basic_code: str, session: SessionDep) -> dict[str, Any]:
    """A basic entry with its published implementations (anyone)."""
    basic = await svc.find_basic(session, basic_code)
    if basic is None:
        raise NotFound(f"No basic catalogue entry {basic_code}.", code="catalog.basic_item_not_found")
    items = (
        await session.execute(
            select(Item).where(Item.basic_item_id == basic.id, Item.status == "published").order_by(Item.code)
        )
    ).scalars()
    return {
        **BasicItemRead.model_validate(basic).model_dump(mode="json"),
        "implementations": [
            {
                "code": i.code,
                "owner_unit_code": i.owner_unit_code,
                "owner_unit_name": i.owner_unit_name,
                "level": i.level,
            }
            for i in items
        ],
    }


@basic_router.post("", response_model=BasicItemRead, status_code=status.HTTP_201_CREATED)
async def basic_items_create(
    body: BasicItemCreate, principal: CurrentPrincipal, session: SessionDep
) -> BasicItemRead:
    """Create a basic entry with a generated code (catalogue editors, admins)."""
    if not (principal.is_admin or svc.EDITOR_ROLE in principal.roles):
        raise Forbidden(
            "Only catalogue editors or administrators may create basic entries.", code="catalog.not_editor"
        )
    basic = await svc.create_basic_item(
        session,
        name=body.name,
        item_type=body.item_type,
        legal_basis=[b.model_dump(mode="json") for b in body.legal_basis],
        region_unit_code=body.region or "000000",
    )
    return BasicItemRead.model_validate(basic)


@reports_router.get("/quality", response_model=None)
async def reports_quality(
    session: SessionDep, format: Literal["json", "csv"] = "json"
) -> dict[str, Any] | Response:
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
    if format == "csv":
        return Response(
            content=report_mod.to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="catalog-quality.csv"'},
        )
    return report


@reports_router.get("/reduction")
async def reports_reduction(session: SessionDep) -> dict[str, Any]:
    """Materials required vs exempt and promised vs legal limits per department (减材料、减时限)."""
    return await reduction_report(session)


@bundles_router.post("", status_code=status.HTTP_201_CREATED)
async def bundles_create(
    body: BundleCreate, principal: CurrentPrincipal, session: SessionDep
) -> dict[str, Any]:
    """Create a "one thing" bundle of published items (catalogue editors, admins)."""
    return await bundle_svc.create_bundle(session, data=body, actor=principal)


@bundles_router.get("")
async def bundles_list(session: SessionDep) -> list[dict[str, Any]]:
    """Every bundle (anyone)."""
    return await bundle_svc.list_bundles(session)


@bundles_router.get("/{code}")
async def bundles_get(code: str, session: SessionDep) -> dict[str, Any]:
    """A bundle with its merged materials (shared ones asked once) and merged form (anyone)."""
    return await bundle_svc.bundle_view(session, code)


export_router = APIRouter(prefix="/v1/export", tags=["export"])


def _export_meta(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "version_no": item.current_version_no,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "status": item.status,
        "owner_unit_code": item.owner_unit_code,
        "owner_unit_name": item.owner_unit_name,
    }


@export_router.get("/items.json")
async def export_items_json(session: SessionDep) -> dict[str, Any]:
    """Every published entry with all its elements (anyone): the catalogue for other systems."""
    return export.to_json([(_export_meta(item), el) for item, el in await published_rows(session)])


@export_router.get(
    "/cpsv-ap.jsonld",
    responses={200: {"content": {"application/ld+json": {}}, "description": "CPSV-AP JSON-LD"}},
)
async def export_items_cpsv_ap(session: SessionDep) -> Response:
    """Every published entry in the EU CPSV-AP vocabulary as JSON-LD (anyone)."""
    graph = export.catalogue_cpsv_ap([(_export_meta(item), el) for item, el in await published_rows(session)])
    return Response(
        content=json.dumps(graph, ensure_ascii=False),
        media_type="application/ld+json",
        headers={"Content-Disposition": 'attachment; filename="catalog-cpsv-ap.jsonld"'},
    )
