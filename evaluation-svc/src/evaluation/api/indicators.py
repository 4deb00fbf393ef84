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
from ..models import OrgUnit, RankingRule, RejectedEvent
from ..schemas import RankingRuleRead, RankingRuleWrite, check_month
from ..services import queries
from ..services.cases import is_overseer, unit_visible
from ..services.queries import check_dimension, check_indicator, counters_for, indicator_row, total
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
    return {
        "dimension": dimension,
        "month": month,
        "rows": [indicator_row(k, v) for k, v in sorted(data.items())],
    }


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
    session: SessionDep, principal: Principal, month: str, unit: str | None
) -> tuple[str, list[dict[str, Any]]]:
    check_month(month)
    if unit is None:
        if not is_overseer(principal):
            raise Forbidden(
                "The district report is for supervisors and evaluators; give ?unit=.",
                code="evaluation.indicators_forbidden",
            )
        units = await counters_for(session, dimension="unit", month=month)
        rows = [indicator_row("全区合计", total(units))] + [
            indicator_row(k, v) for k, v in sorted(units.items())
        ]
        return f"全区好差评及一网通办指标 {month}", rows
    if not unit_visible(principal, unit):
        raise NotFound(f"No indicators for unit {unit}.", code="evaluation.indicators_not_found")
    own = await counters_for(session, dimension="unit", month=month, key=unit)
    windows = await counters_for(session, dimension="window", month=month, prefix=unit)
    rows = [indicator_row(unit, own.get(unit, {}))] + [
        indicator_row(k, v) for k, v in sorted(windows.items())
    ]
    return f"{unit} 好差评及一网通办指标 {month}", rows


async def _with_names(session: SessionDep, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each unit's or window's name from the organisation read model."""
    codes = [r["key"] for r in rows]
    found = await session.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(codes)))
    names = dict(found.all())
    return [r | {"name": names.get(r["key"])} for r in rows]


@router.get("/reports/monthly")
async def reports_monthly(
    session: SessionDep,
    principal: UnitPrincipal,
    month: str = Query(),
    unit: str | None = Query(default=None, max_length=64),
    format: Literal["json", "csv", "xlsx"] = Query(default="json"),
) -> Response:
    """The monthly report of a unit (with its windows) or of the district, as JSON, CSV or XLSX."""
    title, rows = await _report_rows(session, principal, month, unit)
    rows = await _with_names(session, rows)
    name = f"evaluation-{unit or 'district'}-{month}"
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
) -> Response:
    """A bar chart of one indicator across the district's units (or a unit's windows), as SVG."""
    check_indicator(indicator)
    title, rows = await _report_rows(session, principal, month, unit)
    rows = await _with_names(session, rows)
    return Response(reports.bar_chart_svg(indicator, title, rows[1:] or rows), media_type="image/svg+xml")


@router.get("/rejected-events")
async def rejected_events_list(session: SessionDep, principal: UnitPrincipal) -> list[dict[str, Any]]:
    """Consumed events evaluation could not use, with the reason (administrators)."""
    if not principal.is_staff or not principal.is_admin:
        raise Forbidden("Only administrators see rejected events.", code="evaluation.not_admin")
    rows = await session.execute(select(RejectedEvent).order_by(RejectedEvent.rejected_at.desc()).limit(200))
    return [
        {
            "event_id": r.event_id,
            "subject": r.subject,
            "reason": r.reason,
            "rejected_at": r.rejected_at.isoformat(),
        }
        for r in rows.scalars()
    ]
