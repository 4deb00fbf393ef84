"""Queries on applications: what a viewer may see, the pages and boards, and the background
passes' candidates (each pass re-checks a candidate on its locked row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    union,
    union_all,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from yiwang_shared.pagination import COUNT_CAP, PageParams, page_of

from ..models.applications import (
    OPEN_STATUS_SQL,
    OPEN_STATUSES,
    Application,
    ApplicationMaterial,
    ClockPause,
    DecisionStep,
    Notice,
    RevokedGrant,
)

_Row = TypeVarTuple("_Row")

#: An open case (`lifecycles.OPEN_STATES`), worded as `ix_applications_open_due`'s WHERE clause.
#: Plain text: a Boolean column expression would read `… = 1` on SQLite, no longer the index's term.
OPEN_CASE: Any = text(OPEN_STATUS_SQL)

#: The collections of a case (`Application`'s relationships), in the order the loader joins them.
CHILDREN = ("notices", "steps", "pauses", "materials")
_CHILD_ENTITIES = (Notice, DecisionStep, ClockPause, ApplicationMaterial)
#: One row per kind of child: joined to it, each child row comes once, beside NULLs for the other
#: kinds — a case with 3 notices and 2 steps is 3 + 2 (+1 per empty kind) rows, not 3 × 2.
_KINDS = union_all(*(select(literal_column(str(n)).label("n")) for n in range(len(CHILDREN)))).subquery(
    "child_kinds"
)


#: When a case's materials matter (its completeness is checked and shown): before acceptance, and
#: while materials owed under 容缺受理 are outstanding (`deficiency_deadline` is set exactly then).
#: Later steps load the case without them; whoever still asks for them reads them then.
_MATERIAL_STATES = ("submitted", "correction_requested")
_MATERIALS_MATTER = or_(
    Application.status.in_(_MATERIAL_STATES), Application.deficiency_deadline.is_not(None)
)


def _materials_matter(application: Application) -> bool:
    return application.status in _MATERIAL_STATES or application.deficiency_deadline is not None


def _with_children(
    query: Select[*_Row], application_id: Any, *, materials: ColumnElement[bool] | None = None
) -> Select[*_Row]:
    """`query` (whose FROM holds `_KINDS`) joined to every child of the case, in order (its
    materials only where `materials` holds)."""
    kind = _KINDS.c.n
    material_rows = and_(kind == 3, ApplicationMaterial.application_id == application_id)
    if materials is not None:
        material_rows = and_(material_rows, materials)
    query = (
        query.outerjoin(Notice, and_(kind == 0, Notice.application_id == application_id))
        .outerjoin(DecisionStep, and_(kind == 1, DecisionStep.application_id == application_id))
        .outerjoin(ClockPause, and_(kind == 2, ClockPause.application_id == application_id))
        .outerjoin(ApplicationMaterial, material_rows)
    )
    # Each kind in the order its own query gave it (the view sorts again by the same keys).
    return query.order_by(
        kind,
        Notice.issued_at,
        DecisionStep.started_at,
        ClockPause.started_on,
        ApplicationMaterial.round,
        ApplicationMaterial.created_at,
    )


def _keep_children(application: Application, rows: Iterable[Any], *, only: Iterable[str] = CHILDREN) -> None:
    """Set the case's collections (`only` these), as loaded, from rows ending in (notice, step,
    pause, material)."""
    found: list[list[Any]] = [[] for _ in CHILDREN]
    for row in rows:
        for i, child in enumerate(row[-len(CHILDREN) :]):
            if child is not None:
                found[i].append(child)
    for name, children in zip(CHILDREN, found, strict=True):
        if name in only:
            set_committed_value(application, name, children)


def _loaded(application: Application, collection: str) -> bool:
    """Is the case's `collection` in memory (loaded, or the case is new and has only what it was
    given)?"""
    state = sa_inspect(application)
    return state.transient or state.pending or collection not in state.unloaded


@dataclass(frozen=True)
class Viewer:
    """Whose applications a query may return (the rules that fill it are `services.access`'s).

    `everything` for oversight; staff (`staff_id` set) see the cases of `staff_units` — their
    unit's code and the codes of the units under it, from the org read model (none without a
    unit) — and the cases they assisted; a person (`person_id`) sees their own while the grant
    they were filed under stands, and an enterprise's cases (`enterprise_items`: the item codes
    the grant covers, None for all) while acting for it."""

    everything: bool = False
    staff_id: str | None = None
    staff_units: tuple[str, ...] = ()
    person_id: str | None = None
    enterprise_id: str | None = None
    enterprise_items: tuple[str, ...] | None = None

    @property
    def by_units(self) -> bool:
        """Whether what this viewer sees is decided by unit columns (staff with a unit)."""
        return not self.everything and self.staff_id is not None and bool(self.staff_units)


def _shape(viewer: Viewer) -> tuple[str, dict[str, Any]]:
    """Which kind of WHERE clause `viewer` needs (`_visibility`'s key) and the values it binds."""
    if viewer.everything:
        return "everything", {}
    if viewer.staff_id is not None:
        if not viewer.staff_units:
            return "nothing", {}
        return "staff", {"staff_id": viewer.staff_id, "units": list(viewer.staff_units)}
    values: dict[str, Any] = {"person_id": viewer.person_id}
    if viewer.enterprise_id is None:
        return "person", values
    values["enterprise_id"] = viewer.enterprise_id
    if viewer.enterprise_items is None:
        return "enterprise", values
    return "enterprise_items", {**values, "enterprise_items": list(viewer.enterprise_items)}


#: The unit columns a staff member's unit (or one under it) makes a case visible by: the receiving
#: window, the accepting unit, the deciding unit, the street centre a community station handed it to.
#: Each leads an index (with `status`, `received_at`, `id`): a branch of the visibility is an IN
#: list that index serves, and a count of one branch reads that index alone.
_UNIT_COLUMNS = ("intake_unit_code", "accepting_unit_code", "owner_unit_code", "forwarded_to_unit_code")


def _visibility(shape: str, values: dict[str, Any] | None = None) -> ColumnElement[bool]:
    """The WHERE clause of a kind of viewer: bound to `values`, or left as bound parameters to be
    given when it runs."""

    def value(name: str, *, expanding: bool = False) -> Any:
        if values is None:
            return bindparam(name, expanding=expanding)
        return bindparam(name, values[name], expanding=expanding)

    if shape == "everything":
        return true()
    if shape == "nothing":
        return false()
    if shape == "staff":
        # The unit and those under it as a list of codes (not a LIKE on the code): an IN an index serves.
        units = value("units", expanding=True)
        return or_(
            *(getattr(Application, c).in_(units) for c in _UNIT_COLUMNS),
            Application.assisted_by == value("staff_id"),
        )
    # An enterprise's case is the agent's only while the grant it was filed under stands: a revoked
    # grant ends the access at once, whatever token the agent still holds.
    person = value("person_id")
    own = and_(
        or_(Application.applicant_id == person, Application.submitted_by == person),
        or_(Application.grant_id.is_(None), Application.grant_id.not_in(select(RevokedGrant.grant_id))),
    )
    if shape == "person":
        return own
    enterprise = Application.enterprise_id == value("enterprise_id")
    if shape == "enterprise_items":
        enterprise = enterprise & Application.item_code.in_(value("enterprise_items", expanding=True))
    return or_(own, enterprise)


@dataclass(frozen=True)
class DueFilter:
    """Open cases by due date: those due from `first` to `last` (both inclusive, each open when
    None; `undated`: and those without a due date) unless their id is in `besides`, and those
    whose id is in `also`."""

    first: date | None = None
    last: date | None = None
    undated: bool = False
    besides: tuple[str, ...] = ()
    also: tuple[str, ...] = ()


def due_matches(due: DueFilter) -> ColumnElement[bool]:
    """The WHERE clause of a `DueFilter`."""
    dated: list[ColumnElement[bool]] = []
    if due.first is not None:
        dated.append(Application.due_on >= due.first)
    if due.last is not None:
        dated.append(Application.due_on <= due.last)
    in_range = and_(true(), *dated)
    if due.undated:
        in_range = or_(Application.due_on.is_(None), in_range)
    if due.besides:
        in_range = and_(in_range, Application.id.not_in(due.besides))
    return or_(in_range, Application.id.in_(due.also)) if due.also else in_range


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause selecting the applications `viewer` may see."""
    shape, values = _shape(viewer)
    return _visibility(shape, values)


def visible_filter(viewer: Viewer) -> ColumnElement[bool]:
    """What `viewer` may see, as a filter on rows an ordered walk reads (a page in the list's order):
    for a staff member, written so that no index serves it. Given IN lists that unit indexes serve,
    SQLite (which plans without statistics) would read every case of the units and sort them all;
    their cases are a steady share of all cases, so walking the list's order and keeping theirs reads
    about the same few rows at any size. Their count uses the unit indexes (`_counted`)."""
    visible = visible_to(viewer)
    return case((visible, 1), else_=0) == 1 if viewer.by_units else visible


def _counted(viewer: Viewer, where: list[ColumnElement[bool]]) -> Select[Any] | None:
    """What a staff member sees matching `where`, written for counting: one branch per unit column
    (and the cases they assisted), each capped and read from the index that column leads, then
    told apart by id — instead of every row of an OR that no index serves alone. None for the
    other viewers (their own query counts well)."""
    if not viewer.by_units:
        return None
    units = list(viewer.staff_units)
    branches = [
        *(select(Application.id).where(getattr(Application, c).in_(units), *where) for c in _UNIT_COLUMNS),
        select(Application.id).where(Application.assisted_by == viewer.staff_id, *where),
    ]
    # Each branch stops at the cap: more than the cap in one is more than the cap in all.
    capped = [b.limit(COUNT_CAP + 1).subquery() for b in branches]
    matches = union(*(select(c.c.id) for c in capped)).subquery("visible")
    return select(matches.c.id)


@cache
def _case_query(
    shape: str, for_update: bool
) -> Select[Application, Notice, DecisionStep, ClockPause, ApplicationMaterial]:
    """One case (bound as `application_id`) with everything that hangs off it, for a kind of
    viewer: built once, so each use only binds its values."""
    query = _with_children(
        select(Application, *_CHILD_ENTITIES)
        .select_from(Application)
        .join(_KINDS, true())
        .where(Application.id == bindparam("application_id"), _visibility(shape)),
        Application.id,
        materials=_MATERIALS_MATTER,
    )
    return query.with_for_update(of=Application) if for_update else query


class ApplicationRepository:
    """Applications in the database."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def find(self, application_id: str, *, refresh: bool = False) -> Application | None:
        """The application, or None (`refresh`: reloaded from the database)."""
        if refresh:
            return await self.session.get(Application, application_id, populate_existing=True)
        return await self.session.get(Application, application_id)

    async def find_visible(
        self, application_id: str, viewer: Viewer, *, for_update: bool = False
    ) -> Application | None:
        """The application with everything that hangs off it if `viewer` may see it (locked for
        update when asked), else None: one statement."""
        shape, values = _shape(viewer)
        query = _case_query(shape, for_update)
        rows = (await self.session.execute(query, {"application_id": application_id, **values})).all()
        if not rows:
            return None
        application: Application = rows[0][0]
        _keep_children(application, rows, only=CHILDREN if _materials_matter(application) else CHILDREN[:3])
        return application

    async def load_children(self, application: Application, *collections: str) -> None:
        """Load those of the case's `collections` (all by default) it was read without, with
        any other it lacks, in one statement; none for a new case."""
        state = sa_inspect(application)
        if state.transient or state.pending:
            return
        unloaded = [name for name in CHILDREN if name in state.unloaded]
        if not any(name in unloaded for name in collections or CHILDREN):
            return
        query = _with_children(select(*_CHILD_ENTITIES).select_from(_KINDS), application.id)
        _keep_children(application, (await self.session.execute(query)).all(), only=unloaded)

    @staticmethod
    def has_loaded(application: Application, collection: str) -> bool:
        """Is the case's `collection` in memory (no statement to read it)?"""
        return _loaded(application, collection)

    def add_child(self, application: Application, collection: str, row: Any) -> None:
        """Stage a new child of the case, kept in the case's collection when that is loaded."""
        if _loaded(application, collection):
            getattr(application, collection).append(row)
        else:
            self.session.add(row)

    def keep_written_child(self, application: Application, collection: str, row: Any) -> None:
        """Keep a child a statement of its own wrote (every column set) as a persistent instance,
        without writing it again, and in the case's collection when that is loaded."""
        make_transient_to_detached(row)
        self.session.add(row)
        if _loaded(application, collection):
            set_committed_value(application, collection, [*getattr(application, collection), row])

    async def lock(self, application_id: str) -> Application | None:
        """The application locked for update, or None."""
        query = select(Application).where(Application.id == application_id).with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def page_visible(
        self, viewer: Viewer, *, status: str | None, page: PageParams
    ) -> tuple[list[Application], int]:
        """One page of what `viewer` may see (in `status`, if given), newest first, and the total."""
        where = [visible_filter(viewer)]
        only = [] if status is None else [Application.status == status]
        # The page walks `ix_applications_received` (or its per-status twin) newest first and stops
        # after its rows; a staff member's count reads their units' indexes alone (`_counted`).
        query = (
            select(Application).where(*where, *only).order_by(Application.received_at.desc(), Application.id)
        )
        return await page_of(self.session, query, page, counted=_counted(viewer, only))

    def _open_of(self, viewer: Viewer, owner_unit_code: str | None) -> list[Any]:
        # The open states spelled as the partial index `ix_applications_open_due` spells them, so
        # that SQLite (which needs the very same term) walks it too.
        where = [OPEN_CASE, visible_filter(viewer)]
        if owner_unit_code:
            where.append(Application.owner_unit_code == owner_unit_code)
        return where

    async def page_open_visible(
        self,
        viewer: Viewer,
        *,
        owner_unit_code: str | None,
        due: DueFilter | None = None,
        page: PageParams,
    ) -> tuple[list[Application], int]:
        """One page of the open cases `viewer` may see (of one deciding unit, and matching `due`,
        if given), by due date, and their total (counted up to the cap)."""
        conditions = self._open_of(viewer, owner_unit_code)
        narrower: list[ColumnElement[bool]] = [Application.status.in_(OPEN_STATUSES)]
        if owner_unit_code:
            narrower.append(Application.owner_unit_code == owner_unit_code)
        if due is not None:
            conditions.append(due_matches(due))
            narrower.append(due_matches(due))
        query = select(Application).where(*conditions).order_by(Application.due_on, Application.id)
        if viewer.by_units:
            return await page_of(self.session, query, page, counted=_counted(viewer, narrower))
        # Counted on `status` (and `due_on`) alone: the open states' few entries of their index,
        # not a scan of every case's status for the partial index's term.
        counted = select(Application.id).where(visible_to(viewer), *narrower)
        return await page_of(self.session, query, page, counted=counted)

    async def paused_open_visible(
        self, viewer: Viewer, *, owner_unit_code: str | None
    ) -> list[tuple[str, str, date | None, date]]:
        """(id, deciding unit, due date, start of the running pause) of the suspended cases `viewer`
        may see (of one deciding unit, if given) whose clock is paused: a pause moves their light."""
        query = (
            select(Application.id, Application.owner_unit_code, Application.due_on, ClockPause.started_on)
            .join(
                ClockPause, and_(ClockPause.application_id == Application.id, ClockPause.ended_on.is_(None))
            )
            .where(Application.status == "suspended", *self._open_of(viewer, owner_unit_code))
        )
        rows = (await self.session.execute(query)).all()
        return [(i, unit, due, since) for i, unit, due, since in rows]

    async def open_lights(
        self,
        viewer: Viewer,
        *,
        owner_unit_code: str | None,
        colours: Iterable[tuple[str, DueFilter]],
        otherwise: str,
        besides: Iterable[str] = (),
    ) -> list[tuple[str, str, int]]:
        """(deciding unit, colour, how many) over the open cases `viewer` may see (of one deciding
        unit, if given) but those in `besides`: each case takes the first of `colours` whose due
        dates it matches, else `otherwise`. One grouped count."""
        colour = case(*((due_matches(due), literal(name)) for name, due in colours), else_=literal(otherwise))
        # The open states by `status` (not the partial index's term): SQLite then reads their entries
        # of a status index, instead of walking a unit index whole for the GROUP BY's order.
        where = [Application.status.in_(OPEN_STATUSES), visible_filter(viewer)]
        if owner_unit_code:
            where.append(Application.owner_unit_code == owner_unit_code)
        if skipped := list(besides):
            where.append(Application.id.not_in(skipped))
        query = (
            select(Application.owner_unit_code, colour.label("colour"), func.count())
            .where(*where)
            .group_by(Application.owner_unit_code, colour)
        )
        return [(unit, c, int(n)) for unit, c, n in (await self.session.execute(query)).all()]

    async def _ids(self, where: ColumnElement[bool]) -> list[str]:
        return list((await self.session.execute(select(Application.id).where(where))).scalars())

    async def ids_overdue_unflagged(self, running: Iterable[str], today: date) -> list[str]:
        """Running cases past their due date not yet flagged overdue."""
        return await self._ids(
            Application.status.in_(list(running))
            & (Application.due_on < today)
            & Application.overdue_flagged_at.is_(None)
        )

    async def ids_deficiencies_lapsed(self, running: Iterable[str], today: date) -> list[str]:
        """Running cases whose 容缺 correction deadline passed."""
        return await self._ids(
            Application.status.in_(list(running)) & (Application.deficiency_deadline < today)
        )

    async def ids_notice_window_passed(self, today: date) -> list[str]:
        """Submitted cases whose one-time notice window passed."""
        return await self._ids((Application.status == "submitted") & (Application.notice_due_on < today))

    async def ids_correction_lapsed(self, today: date) -> list[str]:
        """Cases waiting for corrections whose correction deadline passed."""
        return await self._ids(
            (Application.status == "correction_requested") & (Application.correction_deadline < today)
        )

    async def ids_provisional(self) -> list[str]:
        """Cases whose deadlines were counted on a provisional calendar."""
        return await self._ids(Application.provisional_deadline.is_(True))

    async def flag_overdue(
        self, application_id: str, running: Iterable[str], today: date, now: datetime
    ) -> bool:
        """Flag the case overdue unless it was already or moved on; True when this call flagged it."""
        flagged = await self.session.execute(
            update(Application)
            .where(
                Application.id == application_id,
                Application.overdue_flagged_at.is_(None),
                Application.status.in_(list(running)),
                Application.due_on < today,
            )
            .values(overdue_flagged_at=now)
        )
        return bool(flagged.rowcount == 1)  # type: ignore[attr-defined]

    async def open_groups(self, open_states: Iterable[str]) -> list[tuple[date | None, date | None, int]]:
        """(due date, start of the running pause, how many) over the open cases: one grouped count."""
        groups = (
            select(Application.due_on, ClockPause.started_on, func.count())
            .select_from(Application)
            .outerjoin(
                ClockPause,
                and_(
                    ClockPause.application_id == Application.id,
                    ClockPause.ended_on.is_(None),
                    Application.status == "suspended",
                ),
            )
            .where(Application.status.in_(list(open_states)))
            .group_by(Application.due_on, ClockPause.started_on)
        )
        return [(due, since, int(n)) for due, since, n in (await self.session.execute(groups)).all()]

    def add(self, application: Application) -> None:
        """Stage a new application."""
        self.session.add(application)
