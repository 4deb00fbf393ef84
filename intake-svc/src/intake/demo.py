"""Demo data for intake-svc (idempotent): entrustment agreements (委托受理协议) letting the street
service centres accept the items of 区民政局 and 区人力社保局 on their behalf, and the service
places (办事场所) where appointments are booked — the district centre with extended (错峰延时)
and Saturday hours, and a street centre. Slots are generated once items have reached intake
(`POST /v1/places/{id}/slots/generate`). Addresses and phones are demo values. And a year of demand
history of the demo halls (`services/demo_demand.py`), so forecasts show at once.

    python -m intake.demo --database-url URL
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date, seed_calendar
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate
from yiwang_shared.orm import utcnow

from .config import SERVICE_DIR, Settings
from .models.applications import Entrustment
from .models.appointments import ServicePlace
from .repositories.appointments import PlaceRepository
from .repositories.entrustments import EntrustmentRepository
from .repositories.queue import QueueHallRepository
from .schemas.appointments import PlaceCreate
from .schemas.queue import HallUpdate
from .services.appointment_places import create_place
from .services.demo_demand import load_history
from .services.queue_halls import update_config

DISTRICT = "110105"
#: (reference, entrusting unit, entrusted unit, item codes)
AGREEMENTS: list[tuple[str, str, str, list[str]]] = [
    (f"朝民委受〔2026〕{n}号", f"{DISTRICT}-MZJ", f"{DISTRICT}00{n}-FWZX", ["*"]) for n in (1, 2, 3)
] + [(f"朝人社委受〔2026〕{n}号", f"{DISTRICT}-RSJ", f"{DISTRICT}00{n}-FWZX", ["*"]) for n in (1, 2, 3)]
#: Community service stations (identity's demo `station` units). 区卫生健康委 entrusts the street
#: centres like the two departments above (its community items are 7 of the 25); each street centre
#: entrusts its stations (委托受理协议) with the community items it accepts for the
#: departments. "*" is every item the centre is itself entrusted with; what a station does with each
#: is the catalogue's community_kind: it accepts 受理类 items, collects 代收代办类 and pre-reviews
#: 咨询预审类 ones for the centre (catalog.item.published.v1 `elements.community_kind`).
STATIONS: dict[str, tuple[str, list[str]]] = {
    "001": ("朝外", ["吉祥里", "雅宝里", "芳草地"]),
    "002": ("建外", ["永安里东", "建国里"]),
    "003": ("呼家楼", ["呼家楼北", "金台里", "核桃园"]),
}
STATION_AGREEMENTS: list[tuple[str, str, str, list[str]]] = [
    (f"朝卫健委受〔2026〕{n}号", f"{DISTRICT}-WJW", f"{DISTRICT}00{n}-FWZX", ["*"]) for n in (1, 2, 3)
] + [
    (f"{street}街道社委受〔2026〕{n}号", f"{DISTRICT}{seq}-FWZX", f"{DISTRICT}{seq}{n:03d}-FWZ", ["*"])
    for seq, (street, communities) in STATIONS.items()
    for n in range(1, len(communities) + 1)
]
AGREEMENTS += STATION_AGREEMENTS
#: Demo places (演示地址与电话).
PLACES: list[dict[str, object]] = [
    {
        "code": f"{DISTRICT}-ZWFW-HALL",
        "name": "朝阳区政务服务中心办事大厅（演示）",
        "org_unit_code": f"{DISTRICT}-ZWFW",
        "address": "北京市朝阳区演示路1号（演示）",
        "phone": "010-12345678",
        "hours": {
            "working_days": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:00"}],
            "extended": [{"start": "17:00", "end": "19:00", "weekdays": [2, 4]}],
            "weekend": [{"start": "09:00", "end": "12:00", "weekdays": [6]}],
        },
        "slot_minutes": 30,
    },
    {
        "code": f"{DISTRICT}001-FWZX-HALL",
        "name": "建外街道政务服务中心（演示）",
        "org_unit_code": f"{DISTRICT}001-FWZX",
        "address": "北京市朝阳区演示街2号（演示）",
        "phone": "010-87654321",
        "hours": {"working_days": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:00"}]},
        "slot_minutes": 30,
    },
]
#: Queue configuration by place code (排队叫号): categories and windows (identity's window units,
#: named as identity's demo names them).
QUEUES: dict[str, dict[str, object]] = {
    f"{DISTRICT}-ZWFW-HALL": {
        "wait_limit_minutes": 20,
        "categories": [
            {"code": "A", "name": "综合受理", "item_codes": ["*"]},
            {"code": "B", "name": "出件领证", "item_codes": []},
        ],
        "windows": [
            {
                "unit_code": f"{DISTRICT}-ZWFW-W01",
                "number": "1",
                "name": "综合受理窗口1",
                "category_codes": ["A"],
            },
            {
                "unit_code": f"{DISTRICT}-ZWFW-W02",
                "number": "2",
                "name": "综合受理窗口2",
                "category_codes": ["A", "B"],
            },
            {
                "unit_code": f"{DISTRICT}-ZWFW-W03",
                "number": "3",
                "name": "综合出件窗口",
                "category_codes": ["B"],
            },
        ],
    },
    f"{DISTRICT}001-FWZX-HALL": {
        "wait_limit_minutes": 20,
        "categories": [{"code": "A", "name": "综合受理", "item_codes": ["*"]}],
        "windows": [],
    },
}
_DEMO_ADMIN = Principal(subject="demo", kind="staff", roles=frozenset({"admin"}))
VALID_FROM = date(2026, 1, 1)
VALID_UNTIL = date(2027, 12, 31)


async def _load_agreements(session: AsyncSession) -> int:
    """Record the agreements not there yet; how many."""
    agreements = EntrustmentRepository(session)
    existing = await agreements.references()
    created = 0
    for reference, entrusting, entrusted, items in AGREEMENTS:
        if reference in existing:
            continue
        agreements.add(
            Entrustment(
                entrusting_unit_code=entrusting,
                entrusted_unit_code=entrusted,
                item_codes=items,
                valid_from=VALID_FROM,
                valid_until=VALID_UNTIL,
                reference=reference,
                created_by="demo",
                created_at=utcnow(),
            )
        )
        created += 1
    return created


async def _load_places(session: AsyncSession) -> int:
    """Create the places not there yet; how many."""
    places = PlaceRepository(session)
    created = 0
    for place in PLACES:
        if not await places.code_taken(str(place["code"])):
            await create_place(session, PlaceCreate.model_validate(place), actor=_DEMO_ADMIN)
            created += 1
    await session.flush()
    return created


async def _configure_queues(session: AsyncSession) -> None:
    """Configure the queue of each demo place that has none yet."""
    halls = QueueHallRepository(session)
    for code, queue in QUEUES.items():
        place_id = await session.scalar(select(ServicePlace.id).where(ServicePlace.code == code))
        if place_id is not None and await halls.find(place_id) is None:
            await update_config(
                session, place_id, HallUpdate.model_validate(queue), actor=_DEMO_ADMIN, now=utcnow()
            )


async def load_demo(database_url: str) -> tuple[int, int, int]:
    """Migrate and load the agreements, places and demand history not yet there; how many
    agreements, places and history rows were created."""
    await migrate(SERVICE_DIR, database_url)
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            created = await _load_agreements(session)
            new_places = await _load_places(session)
            await _configure_queues(session)
        async with db.transaction() as session:
            # The holidays the service seeds at start-up, so the history is closed on them too.
            await seed_calendar(session)
        async with db.transaction() as session:
            history = await load_history(session, local_date(utcnow()))
    finally:
        await db.dispose()
    return created, new_places, history


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m intake.demo", description=__doc__)
    parser.add_argument("--database-url", default=None, help="Default: INTAKE_DATABASE_URL")
    args = parser.parse_args(argv)
    url = args.database_url or Settings().resolved_database_url()
    created, places, history = asyncio.run(load_demo(url))
    sys.stdout.write(
        f"Demo intake data: {created} entrustment agreement(s), {places} service place(s) and "
        f"{history} day(s) of demand history created "
        f"({len(AGREEMENTS) - created} and {len(PLACES) - places} already there).\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
