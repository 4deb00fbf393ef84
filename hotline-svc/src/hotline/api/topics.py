"""Hot topics (热点问题): topics counted by period and place (/v1/topics), a topic's tickets and the
duplicates left unmerged, the rising-topic alerts (/v1/topic-alerts) and the pass on demand."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from yiwang_shared.auth import CurrentPrincipal
from yiwang_shared.db import SessionDep
from yiwang_shared.pagination import DateRangeQuery, PageQuery

from ..models import Ticket
from ..schemas import DuplicateRead
from ..schemas.topics import (
    TopicAlertAcknowledge,
    TopicAlertPage,
    TopicAlertRead,
    TopicAlertStatus,
    TopicCountRead,
    TopicMergeSuggestionPage,
    TopicMergeSuggestionRead,
    TopicPage,
    TopicPeriod,
    TopicRead,
    TopicScanRead,
    TopicTicketPage,
    TopicTicketRead,
)
from ..services import topic_scan
from ..services import topics as svc
from ..services.access import require
from .deps import Actor

router = APIRouter(prefix="/v1", tags=["topics"])

StreetQuery = Annotated[str | None, Query(max_length=64, description="Only this street (街道编码).")]


def _ticket(t: Ticket, similarity: float | None = None) -> TopicTicketRead:
    return TopicTicketRead(
        id=t.id,
        number=t.number,
        title=t.title,
        request_type=t.request_type,  # type: ignore[arg-type]
        category_code=t.category_code,
        status=t.status,  # type: ignore[arg-type]
        street_code=t.street_code,
        community_code=t.community_code,
        address=t.address,
        created_at=t.created_at,
        similarity=similarity,
    )


def _alert(view: svc.AlertView) -> TopicAlertRead:
    a = view.alert
    return TopicAlertRead(
        id=a.id,
        topic_id=a.topic_id,
        topic_label=a.topic_label,
        district_code=a.district_code,
        street_code=a.street_code,
        week=a.week,
        window_start=a.window_start,
        window_end=a.window_end,
        window_count=a.count,
        baseline_weeks=a.baseline_weeks,
        baseline_mean=a.baseline_mean,
        baseline_sd=a.baseline_sd,
        threshold=a.threshold,
        status=a.status,  # type: ignore[arg-type]
        acknowledged_by=a.acknowledged_by,
        acknowledged_at=a.acknowledged_at,
        note=a.note,
        raised_at=a.raised_at,
        tickets=[_ticket(t, sim) for t, sim in view.tickets],
    )


@router.get("/topics", response_model=TopicPage)
async def topics_list(
    principal: Actor,
    session: SessionDep,
    page: PageQuery,
    days: DateRangeQuery,
    period: Annotated[TopicPeriod, Query(description="Count by day or by week (Monday first).")] = "week",
    street_code: StreetQuery = None,
    community_code: Annotated[
        str | None, Query(max_length=64, description="Only this community (社区编码).")
    ] = None,
) -> TopicPage:
    """Hot topics (热点问题) with their tickets counted by period, street and community, the most
    tickets first; default the last eight weeks by week, or two weeks by day (supervisor, dispatcher)."""
    svc.read_topics(principal)
    start, end = svc.resolve_range(period, days)
    found = await svc.topic_counts(
        session,
        principal,
        period=period,
        start=start,
        end=end,
        street_code=street_code,
        community_code=community_code,
    )
    shown = page.window(found)
    return TopicPage(
        items=[
            TopicRead(
                id=e.topic.id,
                label=e.topic.label,
                keywords=list(e.topic.keywords),
                example_title=e.topic.example_title,
                ticket_count=e.topic.ticket_count,
                count=e.count,
                counts=[
                    TopicCountRead(period_start=p, street_code=s, community_code=c, count=n)
                    for p, s, c, n in e.cells
                ],
            )
            for e in shown
        ],
        total=len(found),
        limit=page.limit,
        offset=page.offset,
        period=period,
        start=start,
        end=end,
    )


@router.post("/topics/scan", response_model=TopicScanRead)
async def topics_scan(principal: CurrentPrincipal, request: Request) -> TopicScanRead:
    """Run the hot-topic pass now (supervisor): place the tickets of the last two weeks without a
    topic, raise the alerts due; it also runs every `HOTLINE_TOPIC_SCAN_SECONDS`."""
    # No request session: the pass opens its own transactions.
    require(principal, svc.SCANNERS, "执行热点分析", "Running the hot-topic pass")
    done = await topic_scan.analyse(request.app.state.db, request.app.state.settings, everything=False)
    return TopicScanRead(
        assigned=done.assigned, topics_created=done.topics_created, alerts_raised=done.alerts_raised
    )


@router.get("/topics/{topic_id}/tickets", response_model=TopicTicketPage)
async def topics_tickets(
    topic_id: str,
    principal: Actor,
    session: SessionDep,
    page: PageQuery,
    days: DateRangeQuery,
    street_code: StreetQuery = None,
) -> TopicTicketPage:
    """The topic's tickets, newest first; `from`/`to` and `street_code` narrow them (supervisor,
    dispatcher)."""
    rows, total = await svc.topic_tickets(
        session, principal, topic_id, page, days=days, street_code=street_code
    )
    return TopicTicketPage(
        items=[_ticket(t, sim) for t, sim in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/topics/{topic_id}/merge-suggestions", response_model=TopicMergeSuggestionPage)
async def topics_merge_suggestions(
    topic_id: str, principal: Actor, session: SessionDep, page: PageQuery, request: Request
) -> TopicMergeSuggestionPage:
    """Duplicates the desk did not merge: unfinished tickets of the topic very like an earlier one
    of the same street a few days before, the most alike first (agent, dispatcher)."""
    found = await svc.merge_suggestions(session, principal, request.app.state.settings, topic_id)
    shown = page.window(found)
    items = []
    for s in shown:
        into = {n: getattr(s.into.ticket, n) for n in DuplicateRead.model_fields if hasattr(s.into.ticket, n)}
        items.append(
            TopicMergeSuggestionRead(
                ticket=_ticket(s.ticket),
                into=DuplicateRead.model_validate({**into, "score": s.into.score, "reasons": s.into.reasons}),
            )
        )
    return TopicMergeSuggestionPage(items=items, total=len(found), limit=page.limit, offset=page.offset)


@router.get("/topic-alerts", response_model=TopicAlertPage)
async def topic_alerts_list(
    principal: Actor,
    session: SessionDep,
    page: PageQuery,
    status: Annotated[
        TopicAlertStatus | None, Query(description="Only open (待处理) or acknowledged (已签收) ones.")
    ] = None,
    street_code: StreetQuery = None,
) -> TopicAlertPage:
    """Rising-topic alerts (热点预警) with the tickets behind each, newest first (supervisor,
    dispatcher)."""
    views, total = await svc.list_alerts(session, principal, page, status=status, street_code=street_code)
    return TopicAlertPage(items=[_alert(v) for v in views], total=total, limit=page.limit, offset=page.offset)


@router.get("/topic-alerts/{alert_id}", response_model=TopicAlertRead)
async def topic_alerts_get(alert_id: str, principal: Actor, session: SessionDep) -> TopicAlertRead:
    """One rising-topic alert with its tickets (supervisor, dispatcher)."""
    return _alert(await svc.get_alert(session, principal, alert_id))


@router.post("/topic-alerts/{alert_id}/acknowledge", response_model=TopicAlertRead)
async def topic_alerts_acknowledge(
    alert_id: str, principal: Actor, session: SessionDep, body: TopicAlertAcknowledge | None = None
) -> TopicAlertRead:
    """Acknowledge the alert (已阅签收) with what is being done; again keeps the first (supervisor,
    dispatcher)."""
    view = await svc.acknowledge(session, principal, alert_id, note=body.note if body else None)
    return _alert(view)
