"""Tickets handed to the hotline by other services' events: a bad review (差评) that evaluation-svc
transfers becomes a complaint ticket dispatched straight to the unit that was rated."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from ..config import Settings
from ..models import Ticket
from ..schemas import TicketCreate
from . import dispatch as dispatching
from .tickets import create_ticket

#: Who registers transferred tickets (recorded in the ticket's history).
TRANSFER_ACTOR = Principal(subject="system:evaluation", kind="staff", roles=frozenset({"hotline_agent"}))

_KINDS = {"application": "办件", "ticket": "热线工单", "window_visit": "窗口服务"}


async def register_bad_review(session: AsyncSession, data: dict[str, Any], settings: Settings) -> Ticket:
    """evaluation.bad_review.transferred.v1 → a complaint ticket for the rated unit.

    The rater stays anonymous to the hotline as to the unit (the evaluation office calls them
    back). The ticket is handled by the unit rated, so it names only the bad-review case (which
    the unit sees anyway): no application, ticket or visit id, no rating id — any of them would
    lead the handler from the ticket to the person served. The link stays in evaluation-svc,
    for the evaluation office alone.
    """
    what = data.get("item_code") or _KINDS.get(str(data.get("service_kind")), "服务")
    comment = (data.get("comment") or "").strip() or "（评价人未留言）"
    body = TicketCreate(
        request_type="complaint",
        title=f"差评转办：{what}"[:200],
        description=(
            f"“好差评”差评（{data['level']}级）转12345办理。\n评价内容：{comment}\n"
            f"转办原因：{data.get('reason') or '—'}\n"
            f"差评案件：{data['case_id']}（评价人身份与所评服务由评价办掌握，如需回访请联系评价办）"
        ),
        anonymous=True,
        auto_dispatch=False,
    )
    ticket = await create_ticket(session, body, TRANSFER_ACTOR, settings, transferred_channel="bad_review")
    await dispatching.dispatch_to(
        session,
        ticket,
        TRANSFER_ACTOR,
        settings=settings,
        unit=str(data["unit_code"]),
        co=[],
        mode="manual",
        note="差评转办：派至被评价单位",
    )
    return ticket
