"""Issuing the written documents of a case (告知书、通知书、决定书) as a real office signs them.

Every document names its issuing authority by its formal name — the centre or station that
decides acceptance (a window is part of its centre: 区政务服务中心, never 综合受理窗口1), or the
deciding department for decisions — with the entrusting body when accepted under an agreement
(委托受理); it carries the contact phone, the supervision phone and the handler (经办人). What it
says is fixed when it is issued (a document does not change when a unit is renamed); only a
handler whose name intake did not know yet is looked up again when the document is printed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.orm import new_id

from .. import errors
from ..models.applications import Application, Notice
from ..repositories.applications import ApplicationRepository
from ..repositories.entrustments import EntrustmentRepository
from ..repositories.notices import NoticeRepository
from ..schemas import NoticeKind
from . import numbering
from .access import actor_id, staff_id
from .cases import version_of, with_children
from .notices import render_notice
from .orgs import place_phone, unit_chain
from .read_models import UnitRecord, org_tree, staff_names

#: Units that sign documents; a window (窗口) signs as part of its centre.
SIGNING_KINDS = ("service_centre", "department", "station", "street", "district", "community")


def formal_name(chain: list[UnitRecord]) -> str:
    """The unit's full name as a document prints it: 区民政局 → 北京市朝阳区民政局,
    朝外街道政务服务中心 → 北京市朝阳区朝外街道政务服务中心."""
    if not chain:
        return ""
    unit = chain[0]
    district = next((u for u in chain if u.kind == "district"), None)
    street = next((u for u in chain[1:] if u.kind == "street"), None)
    name = unit.name
    if district is None or unit is district:
        return name
    if street is not None and street.name not in name:
        name = street.name + name
    if name.startswith("区") and district.name.endswith("区"):
        return district.name + name[1:]
    return name if name.startswith(district.name) else district.name + name


async def _signing_chain(session: AsyncSession, unit_code: str | None) -> list[UnitRecord]:
    chain = await unit_chain(session, unit_code)
    while chain and chain[0].kind not in SIGNING_KINDS:
        chain = chain[1:]
    return chain


async def authority(
    session: AsyncSession, unit_code: str | None, entrustment_id: str | None = None
) -> dict[str, Any]:
    """The issuing authority of a document by `unit_code` (and the entrusting body, if any)."""
    chain = await _signing_chain(session, unit_code)
    signer: dict[str, Any] = {
        "code": chain[0].code if chain else unit_code,
        "name": formal_name(chain) or (unit_code or ""),
        "district": next((u.name for u in chain if u.kind == "district"), None),
        "entrusted_by": None,
    }
    if entrustment_id:
        agreement = await EntrustmentRepository(session).find(entrustment_id)
        if agreement is not None:
            entrusting = await _signing_chain(session, agreement.entrusting_unit_code)
            signer["entrusted_by"] = formal_name(entrusting) or agreement.entrusting_unit_code
    return signer


async def staff_name(session: AsyncSession, staff_id: str | None) -> str | None:
    """A staff member's name from the staff read model (None when unknown or the system)."""
    if not staff_id:
        return None
    return (await staff_names(session)).get(staff_id)


async def issue(
    session: AsyncSession,
    application: Application,
    kind: NoticeKind,
    content: dict[str, Any],
    actor: Principal | None,
    *,
    now: datetime,
    unit_code: str | None,
    entrustment_id: str | None = None,
    signer: dict[str, Any] | None = None,
) -> Notice:
    """Number and record a document of `kind` signed by `unit_code`'s authority (or by `signer`,
    the authority of an earlier document it follows)."""
    version = await version_of(session, application)
    # An administrator without a unit signs as the receiving or deciding body.
    unit_code = unit_code or application.intake_unit_code or application.owner_unit_code
    signer = signer or await authority(session, unit_code, entrustment_id)
    handler = staff_id(actor)
    year = local_date(now).year
    notice = Notice(
        id=new_id(),
        application_id=application.id,
        kind=kind,
        issued_at=now,
        issued_by=actor_id(actor),
        content={
            "application_no": application.application_no,
            "item_name": application.item_name,
            "item_type": version.elements.get("item_type"),
            "applicant_name": application.applicant_name,
            "received_at": application.received_at.isoformat(),
            "acceptance_no": application.acceptance_no,
            "authority": signer,
            "contact_phone": await place_phone(session, signer["code"])
            or version.elements.get("enquiry_phone"),
            "supervision_phone": version.elements.get("supervision_phone"),
            "handler_id": handler,
            "handler_name": await staff_name(session, handler),
            "legal_basis": _basis(version.elements.get("legal_basis")),
            **content,
        },
    )
    notice.number = await NoticeRepository(session).insert_numbered(
        notice,
        counter=numbering.notice_counter(kind, year),
        head=numbering.notice_head(kind, year),
        tail=numbering.NOTICE_TAIL,
    )
    ApplicationRepository(session).keep_written_child(application, "notices", notice)
    return notice


async def notices_of(session: AsyncSession, application: Application) -> list[Notice]:
    """Every document of the case, as issued."""
    await with_children(session, application, "notices")
    return sorted(application.notices, key=lambda n: n.issued_at)


async def correction_notices(session: AsyncSession, application: Application) -> list[Notice]:
    """The one-time notices already issued on the case, oldest first."""
    await with_children(session, application, "notices")
    corrections = [n for n in application.notices if n.kind == "correction"]
    return sorted(corrections, key=lambda n: (n.issued_at, n.number))


async def find_notice(session: AsyncSession, application: Application, notice_id: str) -> Notice | None:
    """The document `notice_id` of the case, or None (unknown, or another case's)."""
    notice = await NoticeRepository(session).find(notice_id)
    return notice if notice is not None and notice.application_id == application.id else None


async def printable(session: AsyncSession, application: Application, notice_id: str, *, font_css: str) -> str:
    """The case's document `notice_id` as printable Chinese HTML; 404 when it has no such one."""
    notice = await find_notice(session, application, notice_id)
    if notice is None:
        raise errors.notice_not_found(notice_id)
    unit_code = application.accepting_unit_code or application.intake_unit_code or application.owner_unit_code
    unit = (await org_tree(session)).by_code.get(unit_code)
    # A handler intake did not know when the document was issued may be known by now.
    handler = notice.content.get("handler_name") or await staff_name(
        session, notice.content.get("handler_id")
    )
    return render_notice(notice, unit.name if unit else unit_code, font_css=font_css, handler_name=handler)


def _basis(raw: Any) -> list[str]:
    """The item's legal basis as the citations a decision quotes (《法》第X条)."""
    out = []
    for entry in raw or []:
        if isinstance(entry, dict) and entry.get("law"):
            law = str(entry["law"])
            cited = law if law.startswith("《") else f"《{law}》"
            out.append(cited + str(entry.get("article") or ""))
    return out
