"""Every list, supervision, indicator and ranking GET of intake-svc, hotline-svc and evaluation-svc
(from their openapi.json), each as the demo user who may see it, with its common filters and a
deep page; and the few single reads (a case, its trace, a ticket's history) the lists lead to.

`grows` says whether the query reads the generated history at all: the others (catalogue, places,
calendars, rules) are controls, whose ratio shows the measurement's noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

#: The offset of a "deep page": the same at every size, so the pages compare (OFFSET's own cost
#: grows with the offset, not with the table).
DEEP = 1000
DISTRICT = "110105"


@dataclass(frozen=True)
class Query:
    """One GET, as one user, straight to one service."""

    name: str
    service: str
    user: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    grows: bool = True


def last_month(today: date) -> str:
    """The last whole month, YYYY-MM."""
    first = today.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def queries(samples: dict[str, str], today: date) -> list[Query]:
    """The queries, filled with ids of the generated data (`samples`) and dates around `today`."""
    month = last_month(today)
    d30 = {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()}
    app, stuck = samples["application"], samples["stuck_application"]
    ticket, o311 = samples["ticket"], samples["open311_ticket"]
    place, citizen = samples["place"], samples["citizen_id"]
    I, H, E = "intake", "hotline", "evaluation"  # noqa: E741 - one letter per service keeps the rows short
    q = Query
    return [
        # intake-svc: applications
        q("intake applications · supervisor (every case)", I, "supervisor", "/v1/applications"),
        q(
            f"intake applications · supervisor, offset {DEEP}",
            I,
            "supervisor",
            "/v1/applications",
            {"offset": DEEP},
        ),
        q(
            "intake applications · supervisor, status=under_review",
            I,
            "supervisor",
            "/v1/applications",
            {"status": "under_review"},
        ),
        q(
            "intake applications · supervisor, status=delivered",
            I,
            "supervisor",
            "/v1/applications",
            {"status": "delivered"},
        ),
        q("intake applications · window clerk (W01's)", I, "clerk", "/v1/applications"),
        q(
            f"intake applications · window clerk, offset {DEEP}",
            I,
            "clerk",
            "/v1/applications",
            {"offset": DEEP},
        ),
        q(
            "intake applications · approver (MZJ), status=under_review",
            I,
            "approver",
            "/v1/applications",
            {"status": "under_review"},
        ),
        q("intake applications · citizen (own)", I, "citizen", "/v1/applications"),
        q("intake application · one case", I, "supervisor", f"/v1/applications/{app}"),
        q("intake application trace", I, "supervisor", f"/v1/applications/{app}/trace"),
        q("intake application trace verify", I, "supervisor", f"/v1/applications/{app}/trace/verify"),
        q(
            "intake application escalations (a stuck case)",
            I,
            "supervisor",
            f"/v1/applications/{stuck}/escalations",
        ),
        # intake-svc: 催办/督办 and supervision
        q("intake escalations · supervisor (every case)", I, "supervisor", "/v1/escalations"),
        q(
            f"intake escalations · supervisor, offset {DEEP}",
            I,
            "supervisor",
            "/v1/escalations",
            {"offset": DEEP},
        ),
        q(
            "intake escalations · supervisor, kind=district_office",
            I,
            "supervisor",
            "/v1/escalations",
            {"kind": "district_office"},
        ),
        q(
            "intake escalations · supervisor, unit_code=MZJ",
            I,
            "supervisor",
            "/v1/escalations",
            {"unit_code": f"{DISTRICT}-MZJ"},
        ),
        q("intake escalations · supervisor, raised in 30 days", I, "supervisor", "/v1/escalations", d30),
        q("intake escalations · approver (MZJ's cases)", I, "approver", "/v1/escalations"),
        q("intake escalations/mine · supervisor (open cases)", I, "supervisor", "/v1/escalations/mine"),
        q(
            "intake escalations/mine · supervisor, every case",
            I,
            "supervisor",
            "/v1/escalations/mine",
            {"open_only": "false"},
        ),
        q("intake escalations/mine · approver", I, "approver", "/v1/escalations/mine"),
        q(
            "intake supervision/cases · supervisor (every open case)",
            I,
            "supervisor",
            "/v1/supervision/cases",
        ),
        q(
            "intake supervision/cases · supervisor, colour=red",
            I,
            "supervisor",
            "/v1/supervision/cases",
            {"colour": "red"},
        ),
        q("intake supervision/cases · approver (MZJ)", I, "approver", "/v1/supervision/cases"),
        q("intake supervision/cases · window clerk", I, "clerk", "/v1/supervision/cases"),
        q("intake supervision/summary · supervisor", I, "supervisor", "/v1/supervision/summary"),
        q("intake supervision/summary · approver (MZJ)", I, "approver", "/v1/supervision/summary"),
        q("intake notifications · supervisor (everyone's)", I, "supervisor", "/v1/notifications"),
        q(
            f"intake notifications · supervisor, offset {DEEP}",
            I,
            "supervisor",
            "/v1/notifications",
            {"offset": DEEP},
        ),
        q(
            "intake notifications · supervisor, kind=completed",
            I,
            "supervisor",
            "/v1/notifications",
            {"kind": "completed"},
        ),
        q(
            "intake notifications · supervisor, one person",
            I,
            "supervisor",
            "/v1/notifications",
            {"person_id": citizen},
        ),
        q(
            "intake notifications · supervisor, one case",
            I,
            "supervisor",
            "/v1/notifications",
            {"application_id": app},
        ),
        q("intake notifications · citizen (own)", I, "citizen", "/v1/notifications"),
        q(
            "intake supervision/queue-waits",
            I,
            "supervisor",
            "/v1/supervision/queue-waits",
            {"place_id": place, **d30},
            False,
        ),
        q("intake appointments · citizen", I, "citizen", "/v1/appointments", {}, False),
        q("intake places", I, "supervisor", "/v1/places", {}, False),
        q("intake place appointments", I, "clerk", f"/v1/places/{place}/appointments", {}, False),
        q("intake place slots", I, "citizen", f"/v1/places/{place}/slots", {}, False),
        q("intake place queue tickets", I, "supervisor", f"/v1/places/{place}/queue/tickets", {}, False),
        q("intake catalog-items", I, "supervisor", "/v1/catalog-items", {}, False),
        q("intake entrustments", I, "supervisor", "/v1/entrustments", {}, False),
        q("intake calendar/days", I, "supervisor", "/v1/calendar/days", {"year": today.year}, False),
        # hotline-svc: tickets
        q("hotline tickets · supervisor (every ticket)", H, "supervisor", "/v1/tickets"),
        q(f"hotline tickets · supervisor, offset {DEEP}", H, "supervisor", "/v1/tickets", {"offset": DEEP}),
        q("hotline tickets · status=in_progress", H, "supervisor", "/v1/tickets", {"status": "in_progress"}),
        q("hotline tickets · overdue=true", H, "supervisor", "/v1/tickets", {"overdue": "true"}),
        q("hotline tickets · unit=001-FWZX", H, "supervisor", "/v1/tickets", {"unit": f"{DISTRICT}001-FWZX"}),
        q(
            "hotline tickets · request_type=praise",
            H,
            "supervisor",
            "/v1/tickets",
            {"request_type": "praise"},
        ),
        q("hotline tickets · q=噪声 (text)", H, "agent", "/v1/tickets", {"q": "噪声"}),
        q("hotline tickets · q=<caller phone>", H, "agent", "/v1/tickets", {"q": samples["citizen_phone"]}),
        q("hotline tickets · q=<ticket number>", H, "agent", "/v1/tickets", {"q": samples["ticket_number"]}),
        q("hotline tickets · handler (dispatched to 001-FWZX)", H, "handler", "/v1/tickets"),
        q(f"hotline tickets · handler, offset {DEEP}", H, "handler", "/v1/tickets", {"offset": DEEP}),
        q("hotline tickets · citizen (own)", H, "citizen", "/v1/tickets"),
        q("hotline ticket · one", H, "supervisor", f"/v1/tickets/{ticket}"),
        q("hotline ticket history", H, "supervisor", f"/v1/tickets/{ticket}/history"),
        q("hotline ticket duplicates", H, "agent", f"/v1/tickets/{ticket}/duplicates"),
        q(
            "hotline ticket escalations",
            H,
            "supervisor",
            f"/v1/tickets/{samples['escalated_ticket']}/escalations",
        ),
        # hotline-svc: 催办/督办, rates, rankings, knowledge base
        q("hotline escalations · supervisor (every ticket)", H, "supervisor", "/v1/escalations"),
        q(
            f"hotline escalations · supervisor, offset {DEEP}",
            H,
            "supervisor",
            "/v1/escalations",
            {"offset": DEEP},
        ),
        q("hotline escalations · supervisor, level=2", H, "supervisor", "/v1/escalations", {"level": 2}),
        q(
            "hotline escalations · supervisor, unit_code=001-FWZX",
            H,
            "supervisor",
            "/v1/escalations",
            {"unit_code": f"{DISTRICT}001-FWZX"},
        ),
        q("hotline escalations · handler (001-FWZX's tickets)", H, "handler", "/v1/escalations"),
        q("hotline escalations/mine · supervisor (open)", H, "supervisor", "/v1/escalations/mine"),
        q("hotline escalations/mine · handler (open)", H, "handler", "/v1/escalations/mine"),
        q("hotline rates · last month", H, "supervisor", "/v1/rates", {"month": month}),
        q(
            "hotline rates · last month, one unit",
            H,
            "supervisor",
            "/v1/rates",
            {"month": month, "unit": f"{DISTRICT}001-FWZX"},
        ),
        q(
            "hotline rankings · streets, last month",
            H,
            "supervisor",
            "/v1/rankings",
            {"month": month, "kind": "street"},
        ),
        q(
            "hotline rankings · departments, last month",
            H,
            "supervisor",
            "/v1/rankings",
            {"month": month, "kind": "department"},
        ),
        q("hotline kb/usage · 30 days", H, "supervisor", "/v1/kb/usage", d30),
        q("hotline kb/usage · all time", H, "supervisor", "/v1/kb/usage"),
        q("hotline kb/search", H, "agent", "/v1/kb/search", {"q": "低保"}, False),
        q("hotline categories", H, "agent", "/v1/categories", {}, False),
        q("hotline dispatch-rules", H, "supervisor", "/v1/dispatch-rules", {}, False),
        q("hotline escalation-rules", H, "supervisor", "/v1/escalation-rules", {}, False),
        q("hotline time-limit-rules", H, "supervisor", "/v1/time-limit-rules", {}, False),
        # hotline-svc: Open311 (public)
        q("open311 requests (90 days)", H, "anonymous", "/open311/v2/requests.json"),
        q("open311 requests · status=open", H, "anonymous", "/open311/v2/requests.json", {"status": "open"}),
        q(
            "open311 requests · service_code=noise",
            H,
            "anonymous",
            "/open311/v2/requests.json",
            {"service_code": "noise"},
        ),
        q("open311 request · one", H, "anonymous", f"/open311/v2/requests/{o311}.json"),
        q("open311 token", H, "anonymous", f"/open311/v2/tokens/{samples['open311_token']}.json"),
        q(
            "open311 servicerequestupdates (90 days)",
            H,
            "anonymous",
            "/open311/v2/servicerequestupdates.json",
        ),
        q("open311 services", H, "anonymous", "/open311/v2/services.json", {}, False),
        # evaluation-svc: bad reviews, ratings, service events
        q("evaluation bad-reviews · evaluator (every case)", E, "evaluator", "/v1/bad-reviews"),
        q(
            "evaluation bad-reviews · evaluator, offset 200",
            E,
            "evaluator",
            "/v1/bad-reviews",
            {"offset": 200},
        ),
        q("evaluation bad-reviews · status=open", E, "evaluator", "/v1/bad-reviews", {"status": "open"}),
        q("evaluation bad-reviews · overdue=true", E, "evaluator", "/v1/bad-reviews", {"overdue": "true"}),
        q("evaluation bad-reviews · window clerk (W01)", E, "clerk", "/v1/bad-reviews"),
        q("evaluation bad-reviews/mine · citizen", E, "citizen", "/v1/bad-reviews/mine"),
        q("evaluation ratings/mine · citizen", E, "citizen", "/v1/ratings/mine"),
        q("evaluation service-events/mine · citizen", E, "citizen", "/v1/service-events/mine"),
        q(
            "evaluation service-events/mine · citizen, rated=false",
            E,
            "citizen",
            "/v1/service-events/mine",
            {"rated": "false"},
        ),
        q(
            "evaluation service-events · source_id",
            E,
            "evaluator",
            "/v1/service-events",
            {"source_id": samples["rated_source"]},
        ),
        q("evaluation rating-flags", E, "evaluator", "/v1/rating-flags", {}, False),
        q("evaluation rating-devices", E, "evaluator", "/v1/rating-devices", {}, False),
        q("evaluation ranking-rules", E, "evaluator", "/v1/ranking-rules", {}, False),
        # evaluation-svc: indicators, rankings, reports
        q("evaluation indicators/unit · last month", E, "evaluator", "/v1/indicators/unit", {"month": month}),
        q(
            "evaluation indicators/unit · one unit",
            E,
            "evaluator",
            "/v1/indicators/unit",
            {"month": month, "key": f"{DISTRICT}-MZJ"},
        ),
        q(
            "evaluation indicators/window · last month",
            E,
            "evaluator",
            "/v1/indicators/window",
            {"month": month},
        ),
        q(
            "evaluation indicators/staff · last month",
            E,
            "evaluator",
            "/v1/indicators/staff",
            {"month": month},
        ),
        q("evaluation indicators/item · last month", E, "evaluator", "/v1/indicators/item", {"month": month}),
        q(
            "evaluation indicators/unit · window clerk (own unit)",
            E,
            "clerk",
            "/v1/indicators/unit",
            {"month": month},
        ),
        q(
            "evaluation indicators/public · last month",
            E,
            "anonymous",
            "/v1/indicators/public",
            {"month": month},
        ),
        q(
            "evaluation rankings/red_flag_window · last month",
            E,
            "evaluator",
            "/v1/rankings/red_flag_window",
            {"month": month},
        ),
        q(
            "evaluation rankings/service_star · last month",
            E,
            "evaluator",
            "/v1/rankings/service_star",
            {"month": month},
        ),
        q(
            "evaluation reports/monthly · district by unit",
            E,
            "evaluator",
            "/v1/reports/monthly",
            {"month": month},
        ),
        q(
            "evaluation reports/monthly · by item",
            E,
            "evaluator",
            "/v1/reports/monthly",
            {"month": month, "by": "item"},
        ),
        q(
            "evaluation reports/monthly · one unit, csv",
            E,
            "evaluator",
            "/v1/reports/monthly",
            {"month": month, "unit": f"{DISTRICT}-MZJ", "format": "csv"},
        ),
        q(
            "evaluation reports/monthly · xlsx",
            E,
            "evaluator",
            "/v1/reports/monthly",
            {"month": month, "format": "xlsx"},
        ),
        q(
            "evaluation reports/charts/good_rate.svg",
            E,
            "evaluator",
            "/v1/reports/charts/good_rate.svg",
            {"month": month},
        ),
    ]
