"""Shaping applications for their viewers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from yiwang_shared.auth import Principal
from yiwang_shared.db import SessionDep
from yiwang_shared.links import public_path
from yiwang_shared.validators import mask_mobile

from ..lifecycles import STATUS_NAMES
from ..models.applications import Application
from ..schemas import (
    ApplicationRead,
    CaseMaterialRead,
    DeliveryWishRead,
    MaterialProblemRead,
    NoticeRead,
    PauseRead,
    StepRead,
)
from ..services import access, permissions
from ..services.cases import current_problems, materials_in_memory, with_children
from ..services.documents import notices_of
from ..services.handling import pauses_of, steps_of
from ..services.library import shown_number


def delivery_wish(form: dict[str, Any] | None, *, mask: bool) -> DeliveryWishRead | None:
    """The applicant's delivery wish from the form, if it is one (`mask`: the phone masked)."""
    raw = (form or {}).get("delivery")
    if not isinstance(raw, dict):
        return None
    fields = ("mode", "address", "recipient", "phone")
    wish = {k: v.strip() for k in fields if isinstance(v := raw.get(k), str) and v.strip()}
    try:
        read = DeliveryWishRead.model_validate(wish)
    except ValidationError:
        return None  # the form is free text: a wish the service cannot read is not one
    if mask and read.phone:
        read.phone = mask_mobile(read.phone)
    return read


async def application_view(
    session: SessionDep,
    application: Application,
    actor: Principal,
    *,
    now: datetime,
    with_materials: bool = False,
) -> ApplicationRead:
    """The full view of a case, as `actor` may see it at `now` (its materials when they were read
    with it, or when asked: `with_materials`)."""
    problems = (
        [
            MaterialProblemRead.model_validate(p.as_dict())
            for p in await current_problems(session, application)
        ]
        if application.status in ("submitted", "correction_requested") or application.deficiencies
        else []
    )
    notices = await notices_of(session, application)
    phone = application.applicant_phone
    needs_phone = access.is_applicant_side(actor, application) or (
        actor.is_staff and not (actor.roles <= access.OVERSIGHT_ROLES)
    )
    if phone and not needs_phone:
        phone = mask_mobile(phone)
    data = {c.key: getattr(application, c.key) for c in Application.__table__.columns}
    data.update(
        applicant_phone=phone,
        delivery_wish=delivery_wish(application.form, mask=not needs_phone),
        status_name=STATUS_NAMES.get(application.status, application.status),
        allowed_actions=await permissions.offered_actions(session, application, actor, now=now),
        problems=problems,
        materials=await _materials(session, application, with_materials),
        notices=[
            NoticeRead.model_validate(
                {
                    "id": n.id,
                    "kind": n.kind,
                    "number": n.number,
                    "issued_at": n.issued_at,
                    "issued_by": n.issued_by,
                    # The client may have come through the gateway: the link must work for it.
                    "html_url": public_path(f"/v1/applications/{application.id}/notices/{n.id}"),
                }
            )
            for n in notices
        ],
        steps=[
            StepRead.model_validate(s, from_attributes=True) for s in await steps_of(session, application)
        ],
        pauses=[
            PauseRead.model_validate(p, from_attributes=True) for p in await pauses_of(session, application)
        ],
    )
    return ApplicationRead.model_validate(data)


async def _materials(
    session: SessionDep, application: Application, asked: bool
) -> list[CaseMaterialRead] | None:
    if not asked and not materials_in_memory(application):
        return None  # a step after acceptance reads the case without them: no statement for them
    # A later round replaces a material by name, as the completeness check reads them.
    await with_children(session, application, "materials")
    latest = {m.name: m for m in sorted(application.materials, key=lambda m: (m.round, m.created_at))}
    return [
        CaseMaterialRead.model_validate(m, from_attributes=True).model_copy(
            update={"licence_no": shown_number(m.licence_no)}
        )
        for m in latest.values()
    ]
