"""The working-day calendar's administration: /v1/calendar (identity-svc is its one owner).

Reading (days of a year, years and their coverage, working-day counts) is the shared read-only
router every service with a calendar serves; setting a day and importing a year happen only here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path

from yiwang_shared.calendar import MAX_YEAR, MIN_YEAR, CalendarDate, CalendarDayRead, CalendarDayUpdate
from yiwang_shared.db import SessionDep
from yiwang_shared.openapi import problems

from ..schemas.calendar import CalendarFileUpload, CalendarImportRead
from ..services import calendar as calendar_service
from .deps import Admin

router = APIRouter(prefix="/v1/calendar", tags=["calendar"])


@router.put("/days/{day}", response_model=CalendarDayRead)
async def calendar_day_set(
    day: CalendarDate, body: CalendarDayUpdate, admin: Admin, session: SessionDep
) -> CalendarDayRead:
    """Set one day as working or not (admin); every service's calendar follows
    (identity.calendar.changed.v1). It wins over the package and over an import of its year."""
    return await calendar_service.set_day(
        session, day, is_working_day=body.is_working_day, name=body.name, actor=admin.subject
    )


@router.post(
    "/years/{year}/import",
    response_model=CalendarImportRead,
    responses=problems(s422="The file is not a consistent arrangement of that year: every problem is listed"),
)
async def calendar_year_import(
    year: Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="The year arranged, e.g. 2027")],
    body: Annotated[CalendarFileUpload, Form(media_type="multipart/form-data")],
    admin: Admin,
    session: SessionDep,
) -> CalendarImportRead:
    """Import a year's official holiday arrangement (国务院办公厅放假安排) from a YAML or JSON file
    (admin): it replaces the year in every service's calendar (identity.calendar.changed.v1).
    Importing the same arrangement again changes nothing."""
    data = await body.file.read(calendar_service.MAX_FILE_BYTES + 1)
    return await calendar_service.import_year(session, year, data, actor=admin.subject)
