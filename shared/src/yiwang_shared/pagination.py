"""The one shape of every collection: a page of `items` with `total`, `limit` and `offset` (ADR 0005).

A route that lists takes `PageQuery` (limit 1–200, default 50; offset 0–1,000,000) and answers a
`Page[T]` subclass named for what it holds (`class TicketPage(Page[TicketRead])`, so generated
clients read well). A limit above the maximum is a 422 naming it, never a silent cut; `total`
counts the matches so a client can show "第 3 页，共 12 页" — up to `COUNT_CAP` (10,000): past it
`total` is 10,000 and `total_exact` false ("共 10000+ 条"), so a count costs the same at ten
thousand rows and at a million (ADR 0006, revisited; `count_capped` counts that way in SQL).

Date ranges are spelled one way everywhere: `from` and `to`, ISO dates, both inclusive, read in
the district's time (Asia/Shanghai) — `DateRangeQuery`. A month is `YYYY-MM` — `MonthQuery`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

from .errors import UnprocessableEntity

__all__ = [
    "COUNT_CAP",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "DateRange",
    "DateRangeQuery",
    "MonthQuery",
    "Page",
    "PageParams",
    "PageQuery",
    "count_capped",
    "date_range",
    "page_of",
    "page_of_rows",
    "page_params",
    "paginate",
]

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: Deeper offsets make SQLite refuse the query (and no person pages that far).
MAX_OFFSET = 1_000_000

#: Matches are counted up to this many: a count that reads every match costs what the table holds
#: (a million rows: a second), and no person pages through ten thousand entries — they filter.
COUNT_CAP = 10_000

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class Page(BaseModel, Generic[T]):
    """One page of a collection (分页)."""

    items: list[T] = Field(description="This page's entries, in the collection's order.")
    total: int = Field(
        ge=0,
        le=COUNT_CAP,
        description=(
            f"How many entries match in all (总数), across every page, counted up to {COUNT_CAP:,}: "
            f"when more match, {COUNT_CAP:,} and `total_exact` false."
        ),
    )
    total_exact: bool = Field(
        default=True,
        description=(
            f"Whether `total` is the exact count (总数是否精确); false when more than {COUNT_CAP:,} "
            f"match (show “{COUNT_CAP}+”), then pages go on past the total until one comes back short."
        ),
    )
    limit: int = Field(ge=1, le=MAX_LIMIT, description="The most entries a page holds, as asked.")
    offset: int = Field(ge=0, description="How many matching entries come before this page.")

    @model_validator(mode="before")
    @classmethod
    def _cap_total(cls, data: Any) -> Any:
        # A count over the cap (count_capped stops at COUNT_CAP + 1, a list in memory may hold more)
        # reads as the cap, marked inexact: one rule for every collection.
        if isinstance(data, dict) and isinstance(data.get("total"), int) and data["total"] > COUNT_CAP:
            return {**data, "total": COUNT_CAP, "total_exact": False}
        return data


@dataclass(frozen=True, slots=True)
class PageParams:
    """Which page a client asked for."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def window(self, items: Sequence[T]) -> list[T]:
        """This page of an in-memory sequence."""
        return list(items[self.offset : self.offset + self.limit])


async def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Entries per page (每页条数), 1–{MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip before this page (偏移量).")
    ] = 0,
) -> PageParams:
    """The `limit` and `offset` query parameters."""
    return PageParams(limit=limit, offset=offset)


PageQuery = Annotated[PageParams, Depends(page_params)]


def paginate(items: Sequence[T], params: PageParams) -> dict[str, object]:
    """A page (as a dict for a `Page` model) of a list computed in memory."""
    window = params.window(items)
    return {"items": window, "total": len(items), "limit": params.limit, "offset": params.offset}


async def count_capped(session: AsyncSession, query: Select[Any], cap: int = COUNT_CAP) -> int:
    """How many rows `query` matches, counted up to `cap` + 1 (a `Page` shows more than `cap` as
    `cap`, inexact): the count stops there, so it costs the same however many rows match."""
    matches = query.order_by(None)
    if not getattr(query, "_distinct", False):  # DISTINCT rows are told apart by their own columns
        matches = matches.with_only_columns(literal_column("1"), maintain_column_froms=True)
    counted = select(func.count()).select_from(matches.limit(cap + 1).subquery())
    return int(await session.scalar(counted) or 0)


async def page_of(
    session: AsyncSession,
    query: Select[Any],
    page: PageParams,
    *,
    counted: Select[Any] | None = None,
    options: Sequence[ORMOption] = (),
) -> tuple[list[Any], int]:
    """One page of an ordered select's first column (its entities) and how many rows match,
    counted up to `COUNT_CAP` + 1 (`count_capped`)."""
    # `counted` is the same matches written for counting: an index that finds them fast need not
    # give the page's order. `options` (eager loads) apply to the page's rows only.
    total = await count_capped(session, query if counted is None else counted)
    rows = await session.scalars(query.limit(page.limit).offset(page.offset).options(*options))
    return list(rows), total


async def page_of_rows(
    session: AsyncSession,
    query: Select[Any],
    page: PageParams,
    *,
    counted: Select[Any] | None = None,
) -> tuple[list[Row[Any]], int]:
    """One page of an ordered select's rows (tuples of its columns) and how many rows match,
    counted up to `COUNT_CAP` + 1 (`count_capped`)."""
    total = await count_capped(session, query if counted is None else counted)
    rows = await session.execute(query.limit(page.limit).offset(page.offset))
    return list(rows.all()), total


@dataclass(frozen=True, slots=True)
class DateRange:
    """An inclusive range of calendar days; either end may be open."""

    start: date | None = None
    end: date | None = None

    def contains(self, day: date) -> bool:
        """Whether `day` lies in the range."""
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


async def date_range(
    from_: Annotated[
        date | None,
        Query(alias="from", description="First day of the range (起始日期), inclusive, YYYY-MM-DD."),
    ] = None,
    to: Annotated[
        date | None, Query(description="Last day of the range (截止日期), inclusive, YYYY-MM-DD.")
    ] = None,
) -> DateRange:
    """The `from` and `to` query parameters; 422 when `from` is after `to`."""
    if from_ is not None and to is not None and from_ > to:
        raise UnprocessableEntity(
            f"起始日期 from（{from_}）晚于截止日期 to（{to}），请调换或修改。",
            en=f"'from' ({from_}) is after 'to' ({to}); swap or correct them.",
            code="date_range_reversed",
        )
    return DateRange(from_, to)


DateRangeQuery = Annotated[DateRange, Depends(date_range)]

MonthQuery = Annotated[
    str,
    Query(pattern=MONTH_PATTERN, description="A month (月份), YYYY-MM.", examples=["2026-11"]),
]


def is_month(value: str) -> bool:
    """Whether `value` is a month in the YYYY-MM form."""
    return re.fullmatch(MONTH_PATTERN, value) is not None
