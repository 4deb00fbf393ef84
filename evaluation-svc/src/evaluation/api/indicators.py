"""Routes: indicators, rankings and their rules, monthly reports and charts."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.errors import Forbidden, NotFound

from .. import reports
from ..models import OrgUnit, RankingRule
from ..schemas import RankingRuleRead, RankingRuleWrite, check_month
from ..services import queries
from ..services.cases import is_overseer, unit_visible
from ..services.queries import check_dimension, check_indicator, counters_for, indicator_row, total
from ..sources.catalog import item_names, items_of_department
from .deps import UnitPrincipal

router = APIRouter(prefix="/v1", tags=["indicators"])


def _may_see(principal: Principal, dimension: str, key: str) -> bool:
    if is_overseer(principal):
        return True
    if dimension in ("unit", "window"):
        return unit_visible(principal, key)
    if dimension == "staff":
        return principal.is_staff and principal.subject == key
    return False


@router.get("/indicators/public")
async def indicators_public(session: SessionDep, month: str = Query()) -> dict[str, Any]:
    """Published aggregate indicators (公开): the district and each unit, rates only."""
    check_month(month)
    units = await counters_for(session, dimension="unit", month=month)
    return {
        "month": month,
        "district": indicator_row("district", total(units))["indicators"],
        "units": [
            {"key": k, "indicators": indicator_row(k, v)["indicators"]} for k, v in sorted(units.items())
        ],
    }


@router.get("/indicators/{dimension}")
async def indicators_list(
    dimension: str,
    session: SessionDep,
    principal: UnitPrincipal,
    month: str = Query(),
    key: str | None = Query(default=None, max_length=64),
) -> dict[str, Any]:
    """Indicators per unit, window, staff member or item for a month (what the caller may see)."""
    check_dimension(dimension)
    check_month(month)
    if key is not None and not _may_see(principal, dimension, key):
        raise NotFound(f"No indicators for {dimension} {key}.", code="evaluation.indicators_not_found")
    if key is None and not is_overseer(principal):
        if dimension in ("unit", "window") and principal.is_staff and principal.org_unit:
            data = await counters_for(session, dimension=dimension, month=month, prefix=principal.org_unit)
        elif dimension == "staff" and principal.is_staff:
            data = await counters_for(session, dimension=dimension, month=month, key=principal.subject)
        else:
            raise Forbidden(
                "Only supervisors, evaluators and administrators see every key; name your own with ?key=.",
                code="evaluation.indicators_forbidden",
            )
    else:
        data = await counters_for(session, dimension=dimension, month=month, key=key)
    rows = [indicator_row(k, v) for k, v in sorted(data.items())]
    return {"dimension": dimension, "month": month, "rows": await _with_names(session, rows, dimension)}


@router.get("/ranking-rules", response_model=list[RankingRuleRead])
async def ranking_rules_list(session: SessionDep) -> list[RankingRuleRead]:
    """The ranking rules in force."""
    return [RankingRuleRead.model_validate(r) for r in await queries.list_rules(session)]


@router.put("/ranking-rules/{name}", response_model=RankingRuleRead)
async def ranking_rules_put(
    name: str, body: RankingRuleWrite, session: SessionDep, principal: UnitPrincipal
) -> RankingRuleRead:
    """Create or change a ranking rule (evaluators and administrators)."""
    if not principal.is_staff or not principal.has_any_role({"evaluator", "admin"}):
        raise Forbidden(
            "Ranking rules are set by evaluators or administrators.", code="evaluation.not_evaluator"
        )
    check_indicator(body.indicator)
    rule = await session.get(RankingRule, name)
    if rule is None:
        rule = RankingRule(name=name, **body.model_dump())
        session.add(rule)
    else:
        for k, v in body.model_dump().items():
            setattr(rule, k, v)
    await session.flush()
    return RankingRuleRead.model_validate(rule)


@router.get("/rankings/{name}")
async def rankings_get(name: str, session: SessionDep, month: str = Query()) -> dict[str, Any]:
    """A ranking (红旗窗口, 服务之星, …) for a month under its configured rule."""
    check_month(month)
    await queries.ensure_default_rules(session)
    rule = await session.get(RankingRule, name)
    if rule is None:
        raise NotFound(f"No ranking rule {name!r}.", code="evaluation.ranking_rule_not_found")
    return {
        "rule": RankingRuleRead.model_validate(rule).model_dump(),
        "month": month,
        "rows": await queries.ranking(session, rule=rule, month=month),
    }


async def _report_rows(
    session: SessionDep, principal: Principal, month: str, unit: str | None, by: str
) -> tuple[str, list[dict[str, Any]]]:
    """The report's title and rows: first the whole (district or unit), then its parts."""
    check_month(month)
    if unit is None and not is_overseer(principal):
        raise Forbidden(
            "The district report is for supervisors and evaluators; give ?unit=.",
            code="evaluation.indicators_forbidden",
        )
    if unit is not None and not unit_visible(principal, unit):
        raise NotFound(f"No indicators for unit {unit}.", code="evaluation.indicators_not_found")
    if by == "item":
        if unit is None:
            items = await counters_for(session, dimension="item", month=month)
        else:
            codes = set(await items_of_department(session, unit))
            items = {
                k: v
                for k, v in (await counters_for(session, dimension="item", month=month)).items()
                if k in codes
            }
        rows = [indicator_row("合计", total(items))] + [indicator_row(k, v) for k, v in sorted(items.items())]
        return f"{unit or '全区'} 事项好差评及一网通办指标 {month}", await _with_names(session, rows, "item")
    if unit is None:
        units = await counters_for(session, dimension="unit", month=month)
        rows = [indicator_row("全区合计", total(units))] + [
            indicator_row(k, v) for k, v in sorted(units.items())
        ]
        return f"全区好差评及一网通办指标 {month}", await _with_names(session, rows, "unit")
    own = await counters_for(session, dimension="unit", month=month, key=unit)
    windows = await counters_for(session, dimension="window", month=month, prefix=unit)
    rows = [indicator_row(unit, own.get(unit, {}))] + [
        indicator_row(k, v) for k, v in sorted(windows.items())
    ]
    return f"{unit} 好差评及一网通办指标 {month}", await _with_names(session, rows, "unit")


async def _with_names(
    session: SessionDep, rows: list[dict[str, Any]], dimension: str
) -> list[dict[str, Any]]:
    """Add each row's name: units and windows from identity's read model, items from catalog's."""
    codes = [r["key"] for r in rows]
    if dimension == "item":
        names = await item_names(session, codes)
    elif dimension in ("unit", "window"):
        found = await session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(codes)))
        names = dict(found.all())
    else:
        names = {}
    return [r | {"name": names.get(r["key"])} for r in rows]


@router.get("/reports/monthly")
async def reports_monthly(
    session: SessionDep,
    principal: UnitPrincipal,
    month: str = Query(),
    unit: str | None = Query(default=None, max_length=64),
    by: Literal["unit", "item"] = Query(
        default="unit", description="unit: the unit and its windows (or every unit); item: per item."
    ),
    format: Literal["json", "csv", "xlsx"] = Query(default="json"),
) -> Response:
    """The monthly report of a unit (with its windows or items) or of the district, as JSON, CSV or XLSX."""
    title, rows = await _report_rows(session, principal, month, unit, by)
    name = f"evaluation-{unit or 'district'}-{'items-' if by == 'item' else ''}{month}"
    if format == "csv":
        return Response(
            reports.to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format == "xlsx":
        return Response(
            reports.to_xlsx(title, rows),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    import orjson

    return Response(
        orjson.dumps({"title": title, "month": month, "rows": rows}), media_type="application/json"
    )


@router.get("/reports/charts/{indicator}.svg")
async def reports_chart(
    indicator: str,
    session: SessionDep,
    principal: UnitPrincipal,
    month: str = Query(),
    unit: str | None = Query(default=None, max_length=64),
    by: Literal["unit", "item"] = Query(default="unit"),
) -> Response:
    """A bar chart of one indicator across the district's units (a unit's windows, or items), as SVG."""
    check_indicator(indicator)
    title, rows = await _report_rows(session, principal, month, unit, by)
    return Response(reports.bar_chart_svg(indicator, title, rows[1:] or rows), media_type="image/svg+xml")
