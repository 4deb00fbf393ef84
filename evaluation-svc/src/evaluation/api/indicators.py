"""Routes: indicators, rankings and their rules, monthly reports and charts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from yiwang_shared.auth import OptionalPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import set_location
from yiwang_shared.openapi import problems
from yiwang_shared.pagination import MonthQuery, PageQuery, paginate

from ..schemas import (
    RULE_NAME_PATTERN,
    Dimension,
    IndicatorName,
    IndicatorPage,
    IndicatorRead,
    IndicatorValues,
    MonthlyReportFormat,
    MonthlyReportRead,
    PublicIndicatorsRead,
    PublicUnitIndicatorsRead,
    RankingRead,
    RankingRowRead,
    RankingRulePage,
    RankingRuleRead,
    RankingRuleUpdate,
    ReportBy,
    ReportRowRead,
)
from ..services import indicator_reads, reports
from ..services.indicator_reads import counters_for, indicator_row, total
from ..services.read_models import names as names_of
from .deps import RuleSetter, UnitPrincipal

router = APIRouter(prefix="/v1", tags=["indicators"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

RuleName = Annotated[
    str,
    Path(
        pattern=RULE_NAME_PATTERN,
        description="The rule's name: lower-case letters, digits and _, at most 40 (e.g. red_flag_window).",
        examples=["red_flag_window"],
    ),
]
# Unit codes are letters, digits, - and _ (identity's rule); anything else names no unit, and could
# not even be put in the download's file name.
UnitQuery = Annotated[
    str | None,
    Query(
        pattern=r"^[A-Za-z0-9_-]{1,64}$",
        description="A unit code (机构编码), e.g. 110105-MZJ; omitted: the district (overseers only).",
    ),
]

ReportByQuery = Annotated[
    ReportBy,
    Query(description="unit: the unit and its windows (or every unit); item: the unit's items (or all)."),
]


class SvgResponse(Response):
    """An SVG image."""

    media_type = "image/svg+xml"


@router.get("/indicators/public", response_model=PublicIndicatorsRead)
async def indicators_public(session: SessionDep, month: MonthQuery) -> PublicIndicatorsRead:
    """Published aggregate indicators (公开): the district and each unit, rates only."""
    units = await counters_for(session, dimension="unit", month=month)
    names = await names_of(session, list(units), "unit")
    return PublicIndicatorsRead(
        month=month,
        district=IndicatorValues.model_validate(indicator_row("district", total(units))["indicators"]),
        units=[
            PublicUnitIndicatorsRead(
                key=k,
                name=names.get(k),
                indicators=IndicatorValues.model_validate(indicator_row(k, v)["indicators"]),
            )
            for k, v in sorted(units.items())
        ],
    )


@router.get("/indicators/{dimension}", response_model=IndicatorPage)
async def indicators_list(
    dimension: Dimension,
    session: SessionDep,
    principal: UnitPrincipal,
    month: MonthQuery,
    page: PageQuery,
    key: str | None = Query(
        default=None,
        max_length=64,
        description="One unit, window, staff member or item; omitted: all you may see.",
    ),
) -> IndicatorPage:
    """Indicators per unit, window, staff member or item for a month (what the caller may see), by key."""
    dim = dimension.value  # the plain string the counters are keyed by
    data = await indicator_reads.indicators_for(
        session, viewer=principal, dimension=dim, month=month, key=key
    )
    keys = page.window(sorted(data))
    names = await names_of(session, keys, dim)
    return IndicatorPage(
        items=[
            IndicatorRead(
                dimension=dimension,
                key=k,
                name=names.get(k),
                month=month,
                indicators=IndicatorValues.model_validate(indicator_row(k, data[k])["indicators"]),
                counters=dict(sorted(data[k].items())),
            )
            for k in keys
        ],
        total=len(data),
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/ranking-rules", response_model=RankingRulePage)
async def ranking_rules_list(session: SessionDep, page: PageQuery) -> RankingRulePage:
    """The ranking rules in force, by name."""
    rules = [RankingRuleRead.model_validate(r) for r in await indicator_reads.list_rules(session)]
    return RankingRulePage.model_validate(paginate(rules, page))


@router.get("/ranking-rules/{name}", response_model=RankingRuleRead)
async def ranking_rules_get(name: RuleName, session: SessionDep) -> RankingRuleRead:
    """One ranking rule."""
    return RankingRuleRead.model_validate(await indicator_reads.get_rule(session, name))


@router.put(
    "/ranking-rules/{name}",
    response_model=RankingRuleRead,
    responses={
        201: {
            "model": RankingRuleRead,
            "description": "A new rule was created.",
            "headers": {
                "Location": {
                    "description": "Where the new rule can be read, as the client reaches it.",
                    "schema": {"type": "string"},
                }
            },
        }
    },
)
async def ranking_rules_put(
    name: RuleName,
    body: RankingRuleUpdate,
    session: SessionDep,
    principal: RuleSetter,
    response: Response,
) -> RankingRuleRead:
    """Create (201) or replace (200) a ranking rule (evaluators and administrators)."""
    values = body.model_dump(mode="json")  # enums as the plain strings stored
    rule, created = await indicator_reads.put_rule(session, name, values=values)
    if created:
        response.status_code = 201
        set_location(response, f"/v1/ranking-rules/{name}")
    return RankingRuleRead.model_validate(rule)


@router.get("/rankings/{name}", response_model=RankingRead)
async def rankings_get(
    name: RuleName, session: SessionDep, month: MonthQuery, principal: OptionalPrincipal
) -> RankingRead:
    """A ranking (红旗窗口, 服务之星, …) for a month under its configured rule, best first (anyone;
    staff members by name — their account ids only to evaluators, supervisors and administrators)."""
    rule, shown = await indicator_reads.ranking_for(session, name=name, month=month, viewer=principal)
    return RankingRead(
        rule=RankingRuleRead.model_validate(rule),
        month=month,
        rows=[RankingRowRead.model_validate(r) for r in shown],
    )


@router.get(
    "/reports/monthly",
    response_model=MonthlyReportRead,
    responses={
        **problems(404),
        200: {
            "description": "The report in the asked `format`: JSON, CSV (UTF-8 with BOM) or XLSX.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary", "contentMediaType": XLSX}},
            },
        },
    },
)
async def reports_monthly(
    session: SessionDep,
    principal: UnitPrincipal,
    month: MonthQuery,
    unit: UnitQuery = None,
    by: ReportByQuery = ReportBy.UNIT,
    format: Annotated[
        MonthlyReportFormat,
        Query(description="json (application/json), csv (text/csv) or xlsx (an Excel workbook)."),
    ] = MonthlyReportFormat.JSON,
) -> MonthlyReportRead | Response:
    """The monthly report of a unit (with its windows or items) or of the district, as JSON, CSV or XLSX."""
    title, rows = await indicator_reads.report_rows(session, viewer=principal, month=month, unit=unit, by=by)
    name = f"evaluation-{unit or 'district'}-{'items-' if by == ReportBy.ITEM else ''}{month}"
    if format == MonthlyReportFormat.CSV:
        return Response(
            reports.to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format == MonthlyReportFormat.XLSX:
        return Response(
            reports.to_xlsx(title, rows),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return MonthlyReportRead(
        title=title,
        month=month,
        by=by,
        unit=unit,
        rows=[
            ReportRowRead(
                key=r["key"],
                name=r["name"],
                indicators=IndicatorValues.model_validate(r["indicators"]),
                counters=r["counters"],
            )
            for r in rows
        ],
    )


@router.get(
    "/reports/charts/{indicator}.svg",
    response_class=SvgResponse,
    responses={
        200: {
            "description": "A bar chart (SVG).",
            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
        }
    },
)
async def reports_chart(
    indicator: IndicatorName,
    session: SessionDep,
    principal: UnitPrincipal,
    month: MonthQuery,
    unit: UnitQuery = None,
    by: ReportByQuery = ReportBy.UNIT,
) -> SvgResponse:
    """A bar chart of one indicator across the district's units (a unit's windows, or items), as SVG."""
    title, rows = await indicator_reads.report_rows(session, viewer=principal, month=month, unit=unit, by=by)
    return SvgResponse(reports.bar_chart_svg(indicator, title, rows[1:] or rows))
