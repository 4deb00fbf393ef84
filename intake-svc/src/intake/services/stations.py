"""What a community service station (社区服务站) does with a community item, by the catalogue's
community kind (社区事项类别, an element of the published item):

- **受理类** (`accept`): the station decides acceptance itself, under its street centre's
  entrustment agreement (the centre being entrusted by the deciding department);
- **代收代办类** (`collect_forward`): the station files the application for the person as an
  assisted one (帮办代办) and it goes at once to the street centre, which accepts;
- **咨询预审类** (`enquiry_prereview`): the station advises, pre-reviews the materials and hands the
  case with its opinion to the street centre, which accepts.

A station never decides acceptance of what it only collects or pre-reviews; the street centre it
hands cases to is the one that entrusted it (its 委托受理协议).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date

from .. import errors
from ..models.applications import Application
from ..repositories.entrustments import EntrustmentRepository
from ..schemas import ApplicationPrereview
from . import access, trace
from .cases import advance, version_of
from .orgs import find_unit
from .read_models import UnitRecord

STATION = "station"
PREREVIEW = errors.Deed("作咨询预审", "pre-review an application")


async def station_of(session: AsyncSession, actor: Principal | None) -> UnitRecord | None:
    """The caller's unit when it is a community service station, else None."""
    if actor is None or not actor.is_staff or not actor.org_unit:
        return None
    unit = await find_unit(session, actor.org_unit)
    return unit if unit is not None and unit.kind == STATION else None


async def community_kind(session: AsyncSession, application: Application) -> str | None:
    """The community kind of the item version the case was opened under (None off the list)."""
    kind = (await version_of(session, application)).elements.get("community_kind")
    return str(kind) if kind else None


async def check_station_may_accept(session: AsyncSession, application: Application, actor: Principal) -> None:
    """403 when the caller is a station and the item is not one it accepts (受理类)."""
    station = await station_of(session, actor)
    if station is None:
        return
    kind = await community_kind(session, application)
    if kind != "accept":
        raise errors.station_may_not_accept(station.code, application.item_name, kind)


async def centre_of(session: AsyncSession, station: UnitRecord, *, now: datetime) -> str | None:
    """The street centre that entrusted `station` (its valid agreement's other party), if any."""
    return await EntrustmentRepository(session).find_entrusting_unit(station.code, local_date(now))


async def _forward(
    session: AsyncSession,
    application: Application,
    centre: str,
    station: UnitRecord,
    kind: str,
    actor: Principal,
    *,
    now: datetime,
) -> None:
    application.forwarded_to_unit_code = centre
    application.forwarded_at = now
    trace.append(
        session,
        application,
        action="forwarded" if kind == "collect_forward" else "prereviewed",
        actor=actor.subject,
        at=now,
        data={
            "from_unit": station.code,
            "to_unit": centre,
            "kind": kind,
            "opinion": application.prereview_opinion,
        },
    )


async def forward_collected(
    session: AsyncSession, application: Application, actor: Principal, *, now: datetime
) -> None:
    """A 代收代办类 item filed at a station goes to the street centre at once (代收代办)."""
    station = await station_of(session, actor)
    if station is None or await community_kind(session, application) != "collect_forward":
        return
    centre = await centre_of(session, station, now=now)
    if centre is None:
        raise errors.not_entrusted(station.code, application.item_code, application.owner_unit_code)
    await _forward(session, application, centre, station, "collect_forward", actor, now=now)


async def check_prereview(
    session: AsyncSession, application: Application, actor: Principal, *, now: datetime
) -> str:
    """The centre a pre-review hands `application` to; 403 unless a station may pre-review it now."""
    access.require_role(actor, PREREVIEW, access.HELPER_ROLES)
    station = await station_of(session, actor)
    if station is None:
        raise errors.not_for_prereview(
            application.item_name,
            "咨询预审由受理该事项的社区服务站作出，街道和区政务服务中心直接受理即可。",
            "a pre-review is a community station's; centres decide acceptance directly.",
        )
    if await community_kind(session, application) != "enquiry_prereview":
        raise errors.not_for_prereview(
            application.item_name,
            "该事项不是咨询预审类事项（见办事指南的社区事项类别）。",
            "the item is not 咨询预审类 (see the guide's community kind).",
        )
    if application.forwarded_to_unit_code is not None:
        raise errors.not_for_prereview(
            application.item_name,
            f"该申请已预审并转交 {application.forwarded_to_unit_code}，不能重复预审。",
            "it was already pre-reviewed and handed over.",
        )
    centre = await centre_of(session, station, now=now)
    if centre is None:
        raise errors.not_entrusted(station.code, application.item_code, application.owner_unit_code)
    return centre


async def prereview(
    session: AsyncSession,
    application: Application,
    body: ApplicationPrereview,
    actor: Principal,
    *,
    now: datetime,
) -> Application:
    """Record the station's pre-review opinion and hand the case to its street centre."""
    centre = await check_prereview(session, application, actor, now=now)
    station = await station_of(session, actor)
    assert station is not None
    advance(application, "prereview", now=now)
    application.prereview_opinion = body.opinion
    await _forward(session, application, centre, station, "enquiry_prereview", actor, now=now)
    return application
