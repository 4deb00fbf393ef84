"""A hall's queue configuration (限时等候, categories, windows) and who stands at which window.

A window is an identity-svc org unit (kind `window`, e.g. 110105-ZWFW-W01 综合受理窗口1 under
110105-ZWFW); a window clerk whose token names that unit is at that window. No parallel identity:
the configuration only says which of the place unit's windows call which categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal

from .. import errors
from ..models.appointments import ServicePlace
from ..models.queue import QueueCategory, QueueHall, QueueWindow
from ..repositories.queue import QueueHallRepository
from ..schemas.queue import HallUpdate
from . import queue_access as access
from .appointment_access import in_unit
from .appointment_places import get_place
from .orgs import find_unit, staff_unit_code

DEFAULT_WAIT_LIMIT_MINUTES = 20
DEFAULT_MAX_WAITING = 300


@dataclass
class Hall:
    """A place with its queue configuration (hall None: not configured)."""

    place: ServicePlace
    hall: QueueHall | None
    categories: list[QueueCategory]
    windows: list[QueueWindow]  # active ones, by number

    @property
    def wait_limit_minutes(self) -> int:
        """限时等候 in force."""
        return self.hall.wait_limit_minutes if self.hall else DEFAULT_WAIT_LIMIT_MINUTES

    def category(self, code: str) -> QueueCategory | None:
        """The category with this letter."""
        return next((c for c in self.categories if c.code == code), None)

    def category_for_item(self, item_code: str) -> QueueCategory | None:
        """The category listing the item, else the first one taking any item ("*")."""
        listed = next((c for c in self.categories if item_code in c.item_codes), None)
        return listed or next((c for c in self.categories if "*" in c.item_codes), None)

    def windows_for(self, category_code: str) -> list[QueueWindow]:
        """Active windows calling the category."""
        return [w for w in self.windows if category_code in w.category_codes]


async def load_hall(session: AsyncSession, place_id: str) -> Hall:
    """The place (404 if none) and its queue configuration."""
    place = await get_place(session, place_id)
    repo = QueueHallRepository(session)
    return Hall(
        place, await repo.find(place.id), await repo.categories(place.id), await repo.active_windows(place.id)
    )


async def read_config(session: AsyncSession, place_id: str, *, actor: Principal) -> Hall:
    """The configuration (administrators and supervisors)."""
    access.require_hall_reader(actor)
    return await load_hall(session, place_id)


def _check(body: HallUpdate, place: ServicePlace) -> None:
    codes = [c.code for c in body.categories]
    if len(set(codes)) != len(codes):
        raise errors.queue_config_invalid("业务类别字母重复。", "category letters repeat.", "categories")
    seen_items: dict[str, str] = {}
    for c in body.categories:
        for item in c.item_codes:
            if item in seen_items:
                raise errors.queue_config_invalid(
                    f"事项“{item}”同时列在 {seen_items[item]} 类和 {c.code} 类中，取号时无法确定类别。",
                    f"item {item!r} is listed in categories {seen_items[item]} and {c.code}.",
                    "categories",
                )
            seen_items[item] = c.code
    units = [w.unit_code for w in body.windows]
    if len(set(units)) != len(units):
        raise errors.queue_config_invalid(
            "同一窗口单位出现了两次。", "a window unit appears twice.", "windows"
        )
    numbers = [w.number for w in body.windows]
    if len(set(numbers)) != len(numbers):
        raise errors.queue_config_invalid("窗口号重复。", "window numbers repeat.", "windows")
    for w in body.windows:
        unknown = [c for c in w.category_codes if c not in codes]
        if unknown:
            raise errors.queue_config_invalid(
                f"窗口 {w.number} 叫号的类别 {'、'.join(unknown)} 不在本大厅的业务类别中。",
                f"window {w.number} calls categories {', '.join(unknown)} the hall does not have.",
                "windows",
            )
        if w.unit_code == place.org_unit_code or not in_unit(w.unit_code, place.org_unit_code):
            raise errors.queue_config_invalid(
                f"窗口单位 {w.unit_code} 不是场所所属单位 {place.org_unit_code} 下的窗口。",
                f"window unit {w.unit_code} is not a unit under the place's unit {place.org_unit_code}.",
                "windows",
            )
    uncovered = [c for c in codes if not any(c in w.category_codes for w in body.windows)]
    if body.windows and uncovered:
        raise errors.queue_config_invalid(
            f"类别 {'、'.join(uncovered)} 没有任何窗口叫号，取了号也不会被叫到。",
            f"no window calls categories {', '.join(uncovered)}.",
            "windows",
        )


async def _save_hall(
    session: AsyncSession, place: ServicePlace, body: HallUpdate, *, actor: Principal, now: datetime
) -> None:
    """Create or change the hall row: 限时等候, the waiting limit, open or paused."""
    hall = await QueueHallRepository(session).find(place.id)
    if hall is None:
        hall = QueueHall(place_id=place.id, updated_by=actor.subject)
        session.add(hall)
    hall.wait_limit_minutes = body.wait_limit_minutes
    hall.max_waiting = body.max_waiting
    hall.active = body.active
    hall.updated_at = now
    hall.updated_by = actor.subject
    await session.flush()


async def _save_categories(session: AsyncSession, place: ServicePlace, body: HallUpdate) -> None:
    """Replace the hall's categories, in the order given; ones left out are deleted."""
    existing = {c.code: c for c in await QueueHallRepository(session).categories_unordered(place.id)}
    for position, c in enumerate(body.categories):
        row = existing.pop(c.code, None)
        if row is None:
            row = QueueCategory(place_id=place.id, code=c.code)
            session.add(row)
        row.name, row.item_codes, row.position = c.name, list(c.item_codes), position
    for gone in existing.values():
        await session.delete(gone)


async def _save_windows(session: AsyncSession, place: ServicePlace, body: HallUpdate) -> None:
    """Set the hall's windows; ones left out are kept inactive (tickets name them)."""
    repo = QueueHallRepository(session)
    windows = {w.unit_code: w for w in await repo.windows_of_units(w.unit_code for w in body.windows)}
    for w in body.windows:
        win = windows.get(w.unit_code)
        if win is not None and win.place_id != place.id:
            raise errors.queue_config_invalid(
                f"窗口单位 {w.unit_code} 已配置在另一个大厅，请先从那里移除。",
                f"window unit {w.unit_code} belongs to another hall; remove it there first.",
                "windows",
            )
        name = w.name
        if not name:
            unit = await find_unit(session, w.unit_code)
            name = unit.name if unit is not None else f"{w.number}号窗口"
        if win is None:
            win = QueueWindow(place_id=place.id, unit_code=w.unit_code)
            session.add(win)
        win.number, win.name, win.category_codes, win.active = w.number, name, list(w.category_codes), True
    kept = {w.unit_code for w in body.windows}
    for left in await repo.windows(place.id):
        if left.unit_code not in kept:
            left.active = False


async def update_config(
    session: AsyncSession, place_id: str, body: HallUpdate, *, actor: Principal, now: datetime
) -> Hall:
    """Replace a hall's configuration (administrators). Windows left out are kept inactive (tickets
    name them); a window unit already at another hall is refused."""
    access.require_hall_admin(actor)
    place = await get_place(session, place_id)
    _check(body, place)
    await _save_hall(session, place, body, actor=actor, now=now)
    await _save_categories(session, place, body)
    await _save_windows(session, place, body)
    await session.flush()
    return await load_hall(session, place.id)


@dataclass
class Station:
    """Where a window clerk stands: the window and its hall."""

    window: QueueWindow
    hall: Hall


async def clerk_station(session: AsyncSession, actor: Principal) -> Station:
    """The caller's window (403 unless a window clerk whose unit is an active window of a hall)."""
    access.require_window_clerk(actor)
    code = actor.org_unit_code or await staff_unit_code(session, actor)
    window = await QueueHallRepository(session).find_active_window(code) if code else None
    if window is None:
        raise errors.queue_not_at_window(code)
    return Station(window, await load_hall(session, window.place_id))
