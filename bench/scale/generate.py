"""Synthetic history for bench/scale: N applications (intake-svc), N tickets (hotline-svc) and N
ratings (evaluation-svc), written straight into the services' databases.

The data is what the services would hold after running for `months` months (default 24, ending
now): applications, tickets and ratings spread over that time, each with the rows the service
writes along its lifecycle (trace entries, notices, decision steps, clock pauses, SMS messages,
reminders and escalations with the people they name; ticket history, dispatch records, response
obligations, call-backs, contacts, escalations, knowledge-base uses; service events, bad-review
cases and their steps, response obligations and the indicator counters), with the statuses and
timestamps those lifecycles give: most cases long finished, the recent ones open, a few stuck
past their deadline (flagged overdue and escalated, as the services' background scans leave them).

The background scans must find nothing to do when the platform starts on this data, as on a
platform that has kept up: every open running case past its due date is flagged, every reminder
and escalation due is raised (counted with the services' own pure rules: intake's `due_now`,
hotline's `due`), no notice window or correction deadline has passed unhandled, no SMS is pending.

Units, items, categories, dispatch and escalation rules and the demo staff and citizens are the
demo data's (read from the services' own read models after a first start); the district's other
staff (a few colleagues per unit: clerks, approvers, handlers, agents) and most citizens are
synthetic, and the synthetic staff are added to each service's staff read model. The demo
citizens keep a handful of cases each at every size (a person does not apply more often because
the district is bigger).

No ORM objects: rows are tuples, written in batches (SQLite: `executemany` on sqlite3; PostgreSQL:
`COPY` through asyncpg's `copy_records_to_table`), in table order so parents precede children.
Column names come from the services' ORM tables (imported; the lead accepted that for bench).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from yiwang_shared.calendar import WorkingCalendar, package_exceptions, package_years

H8 = timedelta(hours=8)  # Asia/Shanghai has no daylight saving: local = UTC + 8 h
DAY = timedelta(days=1)
GENESIS = "0" * 64
OFFICE = "110105-ZWGLJ"
DISTRICT = "110105"
BATCH = 20_000


# --- encoding and writing -------------------------------------------------------------------------


class Sink:
    """Buffered bulk writer into one service's database: SQLite (executemany) or PostgreSQL (COPY).

    Rows are tuples in the order of the columns declared for their table. Values: naive UTC
    datetimes, dates, JSON given already as text, bools, ints, str, None; `ts`/`day` convert the
    first two for the backend. When one table's buffer is full every table is flushed, in the
    order they were declared (parents first: PostgreSQL checks foreign keys on every COPY).
    """

    def __init__(self, url: str, batch: int = BATCH) -> None:
        self.url = url
        self.batch = batch
        self.pg = url.startswith("postgresql")
        self.columns: dict[str, tuple[str, ...]] = {}
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.indexes: list[str] = []
        self.constraints: list[str] = []
        self.full = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self.conn: Any = None
        if self.pg:
            self.loop = asyncio.new_event_loop()
            dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
            self.conn = self.loop.run_until_complete(asyncpg.connect(dsn))
            self.loop.run_until_complete(
                self.conn.execute("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'")
            )
        else:
            self.conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
            # A bulk load with nobody else on the file: no journal, a big page cache (random UUID
            # keys touch every page of an index); WAL is set back when done.
            self.conn.execute("PRAGMA journal_mode=OFF")
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute("PRAGMA cache_size=-1000000")
            self.conn.execute("PRAGMA locking_mode=EXCLUSIVE")

    # Backend-specific values.
    def ts(self, value: datetime | None) -> Any:
        """A timestamp column's value from a naive UTC datetime."""
        if value is None:
            return None
        if self.pg:
            return value.replace(tzinfo=UTC)
        text = value.isoformat(" ")
        return text if len(text) > 19 else text + ".000000"

    def day(self, value: date | None) -> Any:
        """A date column's value."""
        if value is None or self.pg:
            return value
        return value.isoformat()

    def declare(self, table: str, columns: Sequence[str]) -> None:
        """The columns rows of `table` will carry. SQLite: its own indexes are dropped until the end
        (built once over the loaded rows instead of row by row: several times faster)."""
        self.columns[table] = tuple(columns)
        self.rows[table] = []
        if not self.pg:
            found = self.conn.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table,),
            ).fetchall()
            for name, sql in found:
                self.conn.execute(f"DROP INDEX {name}")
                self.indexes.append(sql)
            return
        # PostgreSQL: the same for its plain indexes, and its foreign keys are checked once at the
        # end (ALTER TABLE … ADD CONSTRAINT validates every row in one pass) instead of per row.
        assert self.loop is not None
        run = self.loop.run_until_complete
        for name, sql in run(
            self.conn.fetch(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
                "AND i.tablename = $1 "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                table,
            )
        ):
            run(self.conn.execute(f'DROP INDEX "{name}"'))
            self.indexes.append(sql)
        for name, definition in run(
            self.conn.fetch(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'f' AND conrelid = $1::regclass",
                table,
            )
        ):
            run(self.conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
            self.constraints.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        """Stage one row."""
        buf = self.rows[table]
        buf.append(row)
        if len(buf) >= self.batch:
            self.full = True

    def done(self) -> None:
        """One whole aggregate (its parent row and children) is staged: flush if a buffer is full
        (never in the middle of one: PostgreSQL checks each child's parent)."""
        if self.full:
            self.flush()
            self.full = False

    def flush(self) -> None:
        """Write every buffered row, parents first (SQLite: in one transaction)."""
        if not self.pg:
            self.conn.execute("BEGIN")
        for table, buf in self.rows.items():
            if not buf:
                continue
            cols = self.columns[table]
            if self.pg:
                assert self.loop is not None
                self.loop.run_until_complete(
                    self.conn.copy_records_to_table(table, records=buf, columns=cols)
                )
            else:
                marks = ",".join("?" * len(cols))
                self.conn.executemany(f"INSERT INTO {table} ({','.join(cols)}) VALUES ({marks})", buf)
            self.counts[table] += len(buf)
            buf.clear()
        if not self.pg:
            self.conn.execute("COMMIT")

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of one query."""
        if self.pg:
            assert self.loop is not None
            return [tuple(r) for r in self.loop.run_until_complete(self.conn.fetch(sql))]
        return list(self.conn.execute(sql).fetchall())

    def execute(self, sql: str) -> None:
        """One statement (after the rows are flushed)."""
        self.flush()
        if self.pg:
            assert self.loop is not None
            self.loop.run_until_complete(self.conn.execute(sql))
        else:
            self.conn.execute(sql)

    def close(self) -> dict[str, int]:
        """Flush, tidy up (PostgreSQL: ANALYZE, as autovacuum would soon; SQLite: checkpoint the WAL),
        close; the rows written per table."""
        self.flush()
        if self.pg:
            assert self.loop is not None
            for sql in [*self.indexes, *self.constraints]:
                self.loop.run_until_complete(self.conn.execute(sql))
            self.loop.run_until_complete(self.conn.execute("ANALYZE"))
            self.loop.run_until_complete(self.conn.close())
            self.loop.close()
        else:
            for sql in self.indexes:
                self.conn.execute(sql)
            self.conn.execute("PRAGMA locking_mode=NORMAL")
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.close()
        return dict(self.counts)


#: JSON text as SQLAlchemy's JSON type reads it (UTF-8 kept: shorter, and the same value).
js = json.JSONEncoder(ensure_ascii=False).encode


# --- the world: demo data read back, synthetic staff and citizens ------------------------------------


@dataclass(frozen=True)
class Staff:
    """A staff member (demo or synthetic)."""

    id: str
    username: str
    name: str
    unit: str
    role: str
    demo: bool = False


@dataclass(frozen=True)
class Person:
    """A citizen who applies, calls and rates."""

    id: str
    name: str
    phone: str


@dataclass(frozen=True)
class Item:
    """A catalogue item as intake knows it."""

    code: str
    name: str
    owner: str
    owner_name: str
    version_no: int
    legal: int
    promised: int
    limit_unit: str
    community_kind: str | None
    item_type: str


@dataclass
class World:
    """What the generators draw from: the demo data (read back) and the synthetic additions."""

    units: dict[str, tuple[str, str, str | None]]  # code → (id, name, parent id)
    items: list[Item]
    entrustments: dict[tuple[str, str], str]  # (entrusting, entrusted) → agreement id
    staff: list[Staff]
    citizens: list[Person]  # the demo citizens (log in by phone)
    persons: list[Person]  # synthetic citizens
    categories: dict[str, str | None]  # hotline category → time-limit rule
    limits: dict[str, tuple[int, str]]  # time-limit rule → (amount, unit)
    dispatch: dict[tuple[str, str], tuple[str, str, list[str]]]  # (category, area) → (rule id, lead, co)
    escalation_rules: list[dict[str, Any]]
    kb_entries: list[tuple[str, int]]  # (entry id, published version)
    places: list[str] = field(default_factory=list)

    def staff_of(self, unit: str, *roles: str) -> list[Staff]:
        """Staff of exactly `unit` holding one of `roles`."""
        return [s for s in self.staff if s.unit == unit and s.role in roles]

    def by_username(self, username: str) -> Staff:
        """A demo staff member."""
        return next(s for s in self.staff if s.username == username)


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩然欣怡子涵梓轩雨桐思远晨曦"


def person_name(rng: random.Random) -> str:
    """A plausible Chinese name (synthetic)."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def synthetic_staff(units: Iterable[str], demo: list[Staff], rng: random.Random) -> list[Staff]:
    """The district's staff: the demo accounts plus a few synthetic colleagues per unit and role."""
    want: dict[tuple[str, str], int] = {}
    for code in units:
        if code.startswith(f"{DISTRICT}-ZWFW-W"):
            want[(code, "window_clerk")] = 4
        elif code.endswith("-FWZX"):
            want[(code, "window_clerk")] = 2
            want[(code, "handler")] = 2
        elif code.endswith("-FWZ"):
            want[(code, "window_clerk")] = 1
        elif code == OFFICE:
            want[(code, "hotline_agent")] = 6
            want[(code, "dispatcher")] = 2
            want[(code, "supervisor")] = 2
        elif (
            code.startswith(f"{DISTRICT}-") and code.count("-") == 1 and code != f"{DISTRICT}-ZWFW"
        ):  # departments
            want[(code, "approver")] = 3
            want[(code, "handler")] = 2
        elif len(code) == 9 and code.isdigit():  # streets own a few items
            want[(code, "approver")] = 2
    out = list(demo)
    for (unit, role), n in sorted(want.items()):
        have = sum(1 for s in out if s.unit == unit and s.role == role)
        for k in range(have, n):
            sid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"yiwang-scale-staff:{unit}:{role}:{k}"))
            out.append(Staff(sid, f"scale-{role}-{unit}-{k}", person_name(rng), unit, role))
    return out


def synthetic_persons(n: int, rng: random.Random) -> list[Person]:
    """n synthetic citizens (ids unknown to identity-svc: they never log in)."""
    return [
        Person(
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            person_name(rng),
            f"139{rng.randrange(10**8):08d}",
        )
        for _ in range(n)
    ]


def package_calendar() -> WorkingCalendar:
    """The working days as the services count them (the holiday package every service loads)."""
    exc: dict[date, bool] = {}
    for year in package_years():
        for d, (working, _name) in (package_exceptions(year) or {}).items():
            exc[d] = working
    return WorkingCalendar(exc)


# --- time helpers -----------------------------------------------------------------------------------


def local_day(t: datetime) -> date:
    """The Asia/Shanghai date of a naive UTC datetime."""
    return (t + H8).date()


def at_local(d: date, hour: float) -> datetime:
    """Naive UTC datetime of local hour `hour` (fractional) on local day `d`."""
    return datetime(d.year, d.month, d.day) + timedelta(hours=hour) - H8


def office_hours(rng: random.Random, d: date) -> datetime:
    """A moment in office hours (09:00–17:30 Beijing) on `d`."""
    return at_local(d, 9 + rng.random() * 8.5) + timedelta(microseconds=rng.randrange(1, 10**6))


class Clock:
    """Working-day arithmetic on the services' calendar, cached."""

    def __init__(self, cal: WorkingCalendar) -> None:
        self.cal = cal
        self._add: dict[tuple[date, int], date] = {}

    def add(self, d: date, n: int) -> date:
        key = (d, n)
        got = self._add.get(key)
        if got is None:
            got = self._add[key] = self.cal.add_working_days(d, n) if n else d
        return got

    def between(self, a: date, b: date) -> int:
        return self.cal.working_days_between(a, b)

    def working(self, d: date) -> bool:
        return self.cal.is_working_day(d)


def uid(rng: random.Random) -> str:
    """A random UUID4 text (formatted by hand: uuid.UUID costs twice as much)."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


# --- intake: the plan of each application ---------------------------------------------------------


@dataclass(slots=True)
class App:
    """One application's lifecycle up to now (what the intake generator expands into rows and the
    evaluation generator turns into a service event)."""

    id: str
    no: str
    item: Item
    channel: str  # window | online | assisted
    intake_unit: str | None
    accepting: str | None
    entrustment: str | None
    forwarded_to: str | None
    person: Person
    submitted_by: str
    assisted_by: str | None
    received: datetime
    notice_due: date
    status: str = "submitted"
    forwarded_at: datetime | None = None
    notice_at: datetime | None = None  # one-time notice (补正)
    correction_deadline: date | None = None
    resubmitted_at: datetime | None = None
    accepted_at: datetime | None = None
    accepted_by: str | None = None
    due_on: date | None = None
    handed_at: datetime | None = None
    pause: tuple[date, datetime, datetime | None, int, str] | None = None  # started_on, at, ended, days, by
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision: str | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    delivered_at: datetime | None = None
    delivery_mode: str | None = None
    closed_at: datetime | None = None
    closed_reason: str | None = None
    overdue_at: datetime | None = None
    visits: int = 0
    working_days_used: int | None = None


@dataclass
class Plans:
    """Every planned application and ticket, and what the measurement needs to know of them."""

    apps: list[App]
    tickets: list[Ticket]
    now: datetime
    samples: dict[str, str] = field(default_factory=dict)


def plan_apps(
    n: int, world: World, clock: Clock, now: datetime, months: int, rng: random.Random
) -> list[App]:
    """n applications received over the last `months` months, each as far along as it got by now."""
    span = months * 30.44 * 86400
    windows = [u for u in world.units if u.startswith(f"{DISTRICT}-ZWFW-W0") and u != f"{DISTRICT}-ZWFW-W03"]
    streets = sorted(u for u in world.units if u.endswith("-FWZX"))
    stations = sorted(u for u in world.units if u.endswith("-FWZ"))
    clerks = {u: world.staff_of(u, "window_clerk") for u in [*windows, *streets, *stations]}
    deciders: dict[str, list[Staff]] = {}
    for it in world.items:
        deciders.setdefault(
            it.owner, world.staff_of(it.owner, "approver") or world.staff_of(it.owner, "handler")
        )
    citizens_quota = {c.id: q for c, q in zip(world.citizens, (10, 10, 15), strict=False)}
    demo_slots: dict[int, Person] = {}
    for c in world.citizens:
        for _ in range(citizens_quota[c.id]):
            demo_slots[rng.randrange(n)] = c
    apps: list[App] = []
    seq0 = 10_000_000
    for i in range(n):
        item = rng.choice(world.items)
        person = demo_slots.get(i) or rng.choice(world.persons)
        received = now - timedelta(seconds=rng.random() * span)
        r = rng.random()
        entrusted = item.owner in (f"{DISTRICT}-MZJ", f"{DISTRICT}-RSJ", f"{DISTRICT}-WJW")
        entrustment = forwarded_to = None
        if r < 0.35:
            channel, intake_unit, accepting = "online", None, item.owner
            submitted_by, assisted_by = person.id, None
        else:
            channel = "window"
            if entrusted and r > 0.93 and item.community_kind:
                intake_unit = rng.choice(stations)
                forwarded_to = intake_unit[:9] + "-FWZX"
                accepting = forwarded_to
                entrustment = world.entrustments.get((item.owner, forwarded_to))
            elif entrusted and r > 0.80:
                intake_unit = accepting = rng.choice(streets)
                entrustment = world.entrustments.get((item.owner, intake_unit))
            else:
                intake_unit = accepting = rng.choice(windows)
            clerk = rng.choice(clerks[intake_unit])
            submitted_by = assisted_by = clerk.id
            # A window works on working days, in office hours.
            d = local_day(received)
            while not clock.working(d):
                d -= DAY
            received = office_hours(rng, d)
            if received > now:
                received -= 7 * DAY
        ld = local_day(received)
        app = App(
            id=uid(rng),
            no=f"SQ{ld.year}{seq0 + i:08d}",
            item=item,
            channel=channel,
            intake_unit=intake_unit,
            accepting=accepting,
            entrustment=entrustment,
            forwarded_to=forwarded_to,
            person=person,
            submitted_by=submitted_by,
            assisted_by=assisted_by,
            received=received,
            notice_due=clock.add(ld, 5),
        )
        _advance(app, clock, now, deciders, clerks, rng)
        apps.append(app)
    return apps


def _next_work_moment(clock: Clock, after: datetime, wd: int, rng: random.Random) -> datetime:
    """A moment in office hours `wd` working days after `after` (0: later the same day if it can)."""
    d = clock.add(local_day(after), wd)
    t = office_hours(rng, d)
    if t <= after:
        t = after + timedelta(minutes=rng.randint(3, 90), microseconds=rng.randrange(1, 10**6))
    return t


def _advance(
    app: App,
    clock: Clock,
    now: datetime,
    deciders: dict[str, list[Staff]],
    clerks: dict[str, list[Staff]],
    rng: random.Random,
) -> None:
    """Walk the application through its lifecycle, stopping at whatever lies after `now`."""
    t = app.received
    if app.forwarded_to:
        t = app.forwarded_at = t + timedelta(minutes=rng.randint(5, 240))
        if t > now:
            app.forwarded_at = None
            return
    p = rng.random()
    if p < 0.02:  # withdrawn before acceptance
        w = t + timedelta(hours=rng.uniform(1, 72))
        if w <= now:
            app.status, app.closed_at, app.closed_reason = "withdrawn", w, "申请人撤回申请"
        return
    if p < 0.12:  # one-time notice (一次性告知): corrections asked
        n_at = _next_work_moment(clock, t, rng.choice((0, 0, 1)), rng)
        if n_at > now:
            return
        app.notice_at, app.status = n_at, "correction_requested"
        app.correction_deadline = clock.add(local_day(n_at), 20)
        q = rng.random()
        if q < 0.12:  # never corrected: lapses at the deadline (the scan closes it the day after)
            lapse = at_local(app.correction_deadline + DAY, 0.5)
            if lapse <= now:
                app.status, app.closed_at, app.closed_reason = "correction_expired", lapse, "补正期限届满"
            return
        if q < 0.2:
            na = _next_work_moment(clock, n_at, rng.randint(1, 5), rng)
            if na <= now:
                app.status, app.closed_at, app.closed_reason = "not_accepted", na, "不符合受理条件"
            return
        rs = _next_work_moment(clock, n_at, rng.randint(1, 12), rng)
        if rs > now:
            return
        app.resubmitted_at, app.status = rs, "submitted"
        app.notice_due = clock.add(local_day(rs), 5)  # the notice window starts again
        t = rs
    elif p < 0.13:  # refused acceptance outright
        na = _next_work_moment(clock, t, rng.randint(0, 2), rng)
        if na <= now:
            app.status, app.closed_at, app.closed_reason = "not_accepted", na, "不属于受理范围"
        return
    # Acceptance: at the window within minutes; online within two working days.
    if app.channel == "online" or app.resubmitted_at is not None:
        acc = _next_work_moment(clock, t, rng.randint(0, 2), rng)
        app.accepted_by = rng.choice(
            deciders[app.item.owner] if app.channel == "online" else clerks[app.accepting or ""]
        ).id
    else:
        acc = t + timedelta(minutes=rng.uniform(2, 25))
        app.accepted_by = (
            app.submitted_by if not app.forwarded_to else rng.choice(clerks[app.accepting or ""]).id
        )
    if acc > now:
        return
    app.status, app.accepted_at = "accepted", acc
    promised = app.item.promised
    app.due_on = clock.add(local_day(acc), promised)
    hand = acc + timedelta(minutes=rng.uniform(5, 240))
    if hand > now:
        return
    app.status, app.handed_at = "under_review", hand
    decider = rng.choice(deciders[app.item.owner])
    # The decision: most within the promised limit, some late, a few stuck (still running, overdue).
    q = rng.random()
    # A few cases stall past their deadline; most are decided in the end, so the stalled ones are
    # mostly recent ones.
    stuck = q < (0.004 if now - app.received < timedelta(days=120) else 0.0004)
    late = 0.004 <= q < 0.03
    k = promised + rng.randint(1, 6) if late else rng.randint(1, max(1, promised - 1))
    if rng.random() < 0.03:  # a special procedure (听证/现场勘查) stops the clock for a while
        p_day = clock.add(local_day(hand), rng.randint(1, max(1, min(3, promised - 1))))
        p_at = office_hours(rng, p_day)
        if p_at <= now:
            days = rng.randint(3, 10)
            end_day = clock.add(p_day, days)
            end_at = office_hours(rng, end_day)
            if end_at > now:
                app.status, app.pause = "suspended", (p_day, p_at, None, 0, decider.id)
                return
            app.pause = (p_day, p_at, end_at, days, decider.id)
            app.due_on = clock.add(app.due_on, days)
            k += days
    if stuck:
        return  # still under review, however long ago it was accepted
    dec = _next_work_moment(clock, hand, k, rng)
    if dec > now:
        return
    app.decided_at, app.decided_by = dec, decider.id
    app.decision = "refused" if rng.random() < 0.07 else "approved"
    app.status = app.decision
    comp = dec + timedelta(minutes=rng.uniform(10, 600))
    if comp > now:
        return
    app.status, app.completed_at, app.completed_by = "completed", comp, decider.id
    app.working_days_used = max(
        0, clock.between(local_day(acc), local_day(comp)) - (app.pause[3] if app.pause else 0)
    )
    app.visits = 1 if app.channel != "online" else 0
    mode = rng.choices(("window", "post", "locker"), (4, 4, 2))[0]
    dl = comp + timedelta(hours=rng.uniform(1, 120))
    if dl > now:
        return
    app.status, app.delivered_at, app.delivery_mode = "delivered", dl, mode
    if mode == "window":
        app.visits += 1
    app.closed_at = dl


# --- intake: the rows ------------------------------------------------------------------------------


_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


@dataclass
class Escalation:
    """A 催办/督办 raised on a case."""

    kind: str
    level: int
    due_on: date
    raised_at: datetime
    working_days: int
    unit: str
    fallback: bool
    people: list[tuple[Staff, str]]


def app_escalations(app: App, clock: Clock, world: World, now: datetime) -> list[Escalation]:
    """What intake's pass raised on the case while it ran: a reminder once ≤ 2 working days were
    left, the unit's supervisors the working day after the due date (falling back to the district
    office, whose supervisors are the only ones in the demo tree), the district office 2 working days
    later (intake's defaults, and `due_now`'s rules)."""
    start = app.handed_at or app.accepted_at
    if start is None or app.due_on is None:
        return []
    stop = app.decided_at or (now if app.status in ("accepted", "under_review") else None)
    if stop is None:
        return []  # suspended or closed before a decision: nothing runs
    out: list[Escalation] = []
    due = app.due_on
    remind_day = clock.add(due, -2)
    remind_at = max(at_local(remind_day, 0.01), start + timedelta(seconds=30))
    owner = app.item.owner
    handlers = [(s, "handler") for s in world.staff_of(owner, "approver", "handler")]
    office = [(s, "supervisor") for s in world.staff_of(OFFICE, "supervisor")]
    if remind_at < stop:
        left = clock.between(local_day(remind_at), due)
        out.append(Escalation("reminder", 0, due, remind_at, max(left, 0), owner, False, handlers))
    red_at = at_local(due + DAY, 0.01)
    if red_at < stop:
        overdue = max(0, clock.between(due, local_day(red_at)))
        out.append(Escalation("unit_supervisor", 1, due, red_at, overdue, OFFICE, True, office))
        dist_day = clock.add(local_day(red_at), 2)
        dist_at = at_local(dist_day, 0.01)
        if dist_at < stop:
            out.append(
                Escalation(
                    "district_office", 2, due, dist_at, clock.between(due, dist_day), OFFICE, False, office
                )
            )
    return out


def write_intake(
    sink: Sink, apps: list[App], world: World, clock: Clock, now: datetime, rng: random.Random
) -> None:
    """Every row of every planned application."""
    A_COLS = [
        "id",
        "application_no",
        "item_code",
        "version_no",
        "item_name",
        "owner_unit_code",
        "intake_unit_code",
        "accepting_unit_code",
        "entrustment_id",
        "channel",
        "online",
        "applicant_id",
        "applicant_name",
        "applicant_phone",
        "enterprise_id",
        "grant_id",
        "submitted_by",
        "assisted_by",
        "representation",
        "status",
        "handling_type",
        "legal_limit_days",
        "promised_limit_days",
        "limit_unit",
        "deficiency_allowed",
        "form",
        "conditions",
        "received_at",
        "notice_due_on",
        "correction_deadline",
        "resubmissions",
        "accepted_at",
        "accepted_by",
        "acceptance_no",
        "deemed_accepted",
        "due_on",
        "paused_working_days",
        "extension_days",
        "extension_reason",
        "deficiency_deadline",
        "deficiencies",
        "handed_over_at",
        "forwarded_to_unit_code",
        "forwarded_at",
        "prereview_opinion",
        "decided_at",
        "decided_by",
        "decision",
        "decision_reasons",
        "decision_no",
        "completed_at",
        "completed_by",
        "result",
        "delivery_mode",
        "delivery",
        "delivered_at",
        "visits",
        "overdue_flagged_at",
        "provisional_deadline",
        "trace_seq",
        "trace_head",
        "closed_reason",
        "closed_at",
        "created_at",
        "updated_at",
    ]
    staff_names = {s.id: s.name for s in world.staff}
    sink.declare(
        "staff_members",
        ["id", "username", "name", "org_unit_id", "org_unit_code", "roles", "status", "updated_at"],
    )
    for s in world.staff:
        if not s.demo:
            sink.add(
                "staff_members",
                (
                    s.id,
                    s.username,
                    s.name,
                    world.units[s.unit][0],
                    s.unit,
                    js([s.role]),
                    "active",
                    sink.ts(now - 800 * DAY),
                ),
            )
    sink.declare("applications", A_COLS)
    sink.declare(
        "application_materials",
        [
            "id",
            "application_id",
            "round",
            "name",
            "provided_as",
            "media",
            "originals",
            "copies",
            "file_id",
            "licence_no",
            "created_at",
        ],
    )
    sink.declare("notices", ["id", "application_id", "kind", "number", "issued_at", "issued_by", "content"])
    sink.declare(
        "decision_steps",
        ["id", "application_id", "kind", "actor", "actor_unit_code", "opinion", "started_at", "ended_at"],
    )
    sink.declare(
        "clock_pauses",
        [
            "id",
            "application_id",
            "procedure",
            "reason",
            "expected_end_on",
            "started_on",
            "ended_on",
            "paused_working_days",
            "started_by",
            "ended_by",
        ],
    )
    sink.declare(
        "trace_entries", ["application_id", "seq", "action", "actor", "at", "data", "prev_hash", "hash"]
    )
    sink.declare(
        "case_escalations",
        [
            "id",
            "application_id",
            "kind",
            "level",
            "cycle",
            "due_on",
            "unit_code",
            "working_days",
            "fallback",
            "message",
            "raised_at",
        ],
    )
    sink.declare(
        "case_escalation_recipients",
        ["id", "escalation_id", "staff_id", "name", "org_unit_code", "role", "acknowledged_at", "note"],
    )
    sink.declare(
        "notification_messages",
        [
            "id",
            "kind",
            "phone",
            "person_id",
            "application_id",
            "appointment_id",
            "params",
            "text",
            "status",
            "attempts",
            "next_attempt_at",
            "claimed_by",
            "lease_until",
            "last_error",
            "created_at",
            "sent_at",
        ],
    )
    ts, day = sink.ts, sink.day
    notice_no = 1_000_000
    for app in apps:
        sink.done()
        it = app.item
        trace: list[tuple[datetime, str, str, dict[str, Any]]] = []
        base = {
            "application_no": app.no,
            "item_name": it.name,
            "item_type": it.item_type,
            "applicant_name": app.person.name,
            "received_at": app.received.replace(tzinfo=UTC).isoformat(),
        }
        sms: list[tuple[str, datetime, dict[str, Any], str]] = []
        trace.append(
            (
                app.received,
                "submitted",
                app.submitted_by,
                {
                    "item_code": it.code,
                    "version_no": it.version_no,
                    "channel": app.channel,
                    "representation": "assisted" if app.assisted_by else "self",
                    "applicant_id": app.person.id,
                    "applicant_source": "identity_contact" if app.assisted_by else "token",
                    "enterprise_id": None,
                    "grant_id": None,
                    "assisted_by": app.assisted_by,
                    "materials": [f"{it.name}申请表"],
                    "problems": 0,
                },
            )
        )
        sink.add(
            "application_materials",
            (
                uid(rng),
                app.id,
                0,
                f"{it.name}申请表",
                "paper",
                js(["paper"]),
                1,
                0,
                None,
                None,
                ts(app.received),
            ),
        )
        if app.forwarded_at:
            trace.append((app.forwarded_at, "forwarded", app.submitted_by, {"to_unit": app.forwarded_to}))
        if app.notice_at:
            notice_no += 1
            number = f"朝政补字〔{local_day(app.notice_at).year}〕第{notice_no:07d}号"
            sink.add(
                "notices",
                (
                    uid(rng),
                    app.id,
                    "correction",
                    number,
                    ts(app.notice_at),
                    app.accepted_by or app.submitted_by,
                    js(
                        {
                            **base,
                            "correction_deadline": app.correction_deadline.isoformat()
                            if app.correction_deadline
                            else None,
                            "items": [{"name": f"{it.name}申请表", "problem": "信息填写不完整"}],
                        }
                    ),
                ),
            )
            trace.append(
                (
                    app.notice_at,
                    "notice_issued",
                    app.submitted_by,
                    {"notice_no": number, "kind": "correction"},
                )
            )
            sms.append(
                (
                    "notice_issued",
                    app.notice_at,
                    {"application_no": app.no, "item_name": it.name},
                    f"【政务服务】您申请的“{it.name}”（申请号{app.no}）需补正材料，请于{app.correction_deadline}前补正。",
                )
            )
        if app.resubmitted_at:
            trace.append((app.resubmitted_at, "resubmitted", app.person.id, {"round": 1}))
            sink.add(
                "application_materials",
                (
                    uid(rng),
                    app.id,
                    1,
                    f"{it.name}申请表",
                    "paper",
                    js(["paper"]),
                    1,
                    0,
                    None,
                    None,
                    ts(app.resubmitted_at),
                ),
            )
        acceptance_no = decision_no = None
        if app.accepted_at:
            notice_no += 1
            acceptance_no = f"朝政受字〔{local_day(app.accepted_at).year}〕第{notice_no:07d}号"
            sink.add(
                "notices",
                (
                    uid(rng),
                    app.id,
                    "acceptance",
                    acceptance_no,
                    ts(app.accepted_at),
                    app.accepted_by,
                    js(
                        {
                            **base,
                            "acceptance_no": None,
                            "accepted_on": local_day(app.accepted_at).isoformat(),
                            "due_on": app.due_on.isoformat() if app.due_on else None,
                            "limit_days": it.promised,
                            "limit_unit": it.limit_unit,
                            "owner_unit_code": it.owner,
                            "owner_unit_name": it.owner_name,
                            "handler_id": app.accepted_by,
                            "handler_name": staff_names.get(app.accepted_by or ""),
                            "deemed": False,
                            "deficiencies": [],
                            "provisional": False,
                        }
                    ),
                ),
            )
            trace.append(
                (
                    app.accepted_at,
                    "accepted",
                    app.accepted_by or "system",
                    {
                        "acceptance_no": acceptance_no,
                        "due_on": app.due_on.isoformat() if app.due_on else None,
                        "deemed": False,
                        "accepting_unit": app.accepting,
                        "entrustment_id": app.entrustment,
                    },
                )
            )
            sms.append(
                (
                    "accepted",
                    app.accepted_at + timedelta(seconds=2),
                    {
                        "application_no": app.no,
                        "item_name": it.name,
                        "acceptance_no": acceptance_no,
                        "promised_date": app.due_on.isoformat() if app.due_on else None,
                    },
                    f"【政务服务】您申请的“{it.name}”（申请号{app.no}）已受理，受理编号{acceptance_no}，承诺办结日期{app.due_on}。",
                )
            )
        if app.handed_at:
            trace.append((app.handed_at, "handed_over", app.accepted_by or "system", {"to_unit": it.owner}))
        if app.pause:
            p_day, p_at, end_at, days, by = app.pause
            sink.add(
                "clock_pauses",
                (
                    uid(rng),
                    app.id,
                    "inspection",
                    "需现场勘查",
                    day(clock.add(p_day, 10)),
                    day(p_day),
                    day(local_day(end_at)) if end_at else None,
                    days if end_at else None,
                    by,
                    by if end_at else None,
                ),
            )
            trace.append((p_at, "paused", by, {"procedure": "inspection"}))
            sms.append(
                (
                    "special_procedure",
                    p_at + timedelta(seconds=2),
                    {"application_no": app.no, "item_name": it.name},
                    f"【政务服务】您申请的“{it.name}”（申请号{app.no}）进入现场勘查程序，期间不计入办理时限。",
                )
            )
            if end_at:
                trace.append((end_at, "resumed", by, {"paused_working_days": days}))
        escalations = app_escalations(app, clock, world, now)
        for e in escalations:
            eid = uid(rng)
            case, on = f"办件 {app.no}（{it.name}）", f"{e.due_on.year}年{e.due_on.month}月{e.due_on.day}日"
            if e.kind == "reminder":
                msg = f"【催办】{case}将于{on}到期，剩余{e.working_days}个工作日，请抓紧办理，确保按期办结。"
            else:
                msg = (
                    f"【督办】{case}已超过承诺办结期限（{on}），超期{e.working_days}个工作日，"
                    f"请督促{it.owner_name}承办人员立即办理，并说明超期原因。"
                )
            sink.add(
                "case_escalations",
                (
                    eid,
                    app.id,
                    e.kind,
                    e.level,
                    e.due_on.isoformat(),
                    day(e.due_on),
                    e.unit,
                    e.working_days,
                    e.fallback,
                    msg,
                    ts(e.raised_at),
                ),
            )
            for s, role in e.people:
                acked = (
                    ts(e.raised_at + timedelta(hours=rng.uniform(1, 30)))
                    if rng.random() < 0.6 and e.raised_at < now - 2 * DAY
                    else None
                )
                sink.add(
                    "case_escalation_recipients", (uid(rng), eid, s.id, s.name, s.unit, role, acked, None)
                )
            trace.append(
                (
                    e.raised_at,
                    "reminded" if e.kind == "reminder" else "escalated",
                    "system",
                    {
                        "kind": e.kind,
                        "level": e.level,
                        "due_on": e.due_on.isoformat(),
                        "unit_code": e.unit,
                        "recipients": [s.id for s, _ in e.people],
                    },
                )
            )
            if e.kind == "unit_supervisor":
                app.overdue_at = e.raised_at - timedelta(seconds=1)
                trace.append((app.overdue_at, "overdue", "system", {"due_on": e.due_on.isoformat()}))
        if app.decided_at:
            notice_no += 1
            kind = "approval" if app.decision == "approved" else "refusal"
            word = "准" if kind == "approval" else "不准"
            decision_no = f"朝政{word}字〔{local_day(app.decided_at).year}〕第{notice_no:07d}号"
            reasons = "符合条件" if kind == "approval" else "不符合法定条件"
            sink.add(
                "notices",
                (
                    uid(rng),
                    app.id,
                    kind,
                    decision_no,
                    ts(app.decided_at),
                    app.decided_by,
                    js(
                        {
                            **base,
                            "acceptance_no": acceptance_no,
                            "reasons": reasons,
                            "decided_on": local_day(app.decided_at).isoformat(),
                            "handler_id": app.decided_by,
                            "handler_name": staff_names.get(app.decided_by or ""),
                        }
                    ),
                ),
            )
            sink.add(
                "decision_steps",
                (
                    uid(rng),
                    app.id,
                    "decide",
                    app.decided_by,
                    it.owner,
                    ("准予。" if kind == "approval" else "不予许可。") + reasons,
                    ts(app.decided_at),
                    ts(app.decided_at),
                ),
            )
            trace.append(
                (
                    app.decided_at,
                    "decided",
                    app.decided_by or "system",
                    {"decision": app.decision, "reasons": reasons, "decision_no": decision_no},
                )
            )
            if kind == "refusal":
                sms.append(
                    (
                        "refused",
                        app.decided_at + timedelta(seconds=2),
                        {"application_no": app.no, "item_name": it.name},
                        f"【政务服务】您申请的“{it.name}”（申请号{app.no}）经审查不予许可，决定书文号{decision_no}。",
                    )
                )
        if app.completed_at:
            on_time = app.due_on is None or local_day(app.completed_at) <= app.due_on
            trace.append(
                (
                    app.completed_at,
                    "completed",
                    app.completed_by or "system",
                    {
                        "result": {"name": "审批结果通知书", "number": None, "valid_until": None},
                        "working_days_used": app.working_days_used,
                        "on_time": on_time,
                    },
                )
            )
            sms.append(
                (
                    "completed",
                    app.completed_at + timedelta(seconds=2),
                    {"application_no": app.no, "item_name": it.name, "result_name": "审批结果通知书"},
                    f"【政务服务】您申请的“{it.name}”（申请号{app.no}）已办结，结果：审批结果通知书。请按选择的方式领取办理结果。",
                )
            )
        delivery = None
        if app.delivered_at:
            delivery = {
                "by": app.accepted_by,
                "unit": app.accepting,
                "carrier": "EMS" if app.delivery_mode == "post" else None,
                "tracking_no": f"EA{rng.randrange(10**9):09d}CN" if app.delivery_mode == "post" else None,
                "address": "朝阳区" if app.delivery_mode == "post" else None,
            }
            trace.append(
                (
                    app.delivered_at,
                    "delivered",
                    app.accepted_by or "system",
                    {"mode": app.delivery_mode, **delivery},
                )
            )
            sms.append(
                (
                    "delivered",
                    app.delivered_at + timedelta(seconds=2),
                    {"application_no": app.no, "item_name": it.name, "mode": app.delivery_mode},
                    f"【政务服务】您申请的“{it.name}”（申请号{app.no}）办理结果已送达。",
                )
            )
        if app.status in ("withdrawn", "not_accepted", "correction_expired"):
            assert app.closed_at is not None
            action = {
                "withdrawn": "withdrawn",
                "not_accepted": "not_accepted",
                "correction_expired": "correction_expired",
            }[app.status]
            actor = {
                "withdrawn": app.person.id,
                "not_accepted": app.submitted_by,
                "correction_expired": "system",
            }[app.status]
            trace.append((app.closed_at, action, actor, {"reason": app.closed_reason}))
            if app.status != "withdrawn":
                sms.append(
                    (
                        app.status,
                        app.closed_at + timedelta(seconds=2),
                        {"application_no": app.no, "item_name": it.name},
                        f"【政务服务】您申请的“{it.name}”（申请号{app.no}）{app.closed_reason}，不予受理。",
                    )
                )
        # The trace: in time order, hash-chained (services.trace.entry_hash).
        trace.sort(key=lambda e: e[0])
        prev = GENESIS
        for seq, (at, action, actor, data) in enumerate(trace, start=1):
            # services.trace.entry_hash's canonical JSON (sorted keys, no spaces, UTF-8 kept), built
            # around the data's own canonical text, which is also what is stored (the same value).
            data_json = _canonical(data)
            when = at.isoformat() + "+00:00"
            body = (
                f'{{"action":"{action}","actor":"{actor}","application_id":"{app.id}",'
                f'"at":"{when}","data":{data_json},"seq":{seq}}}'
            )
            h = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
            sink.add("trace_entries", (app.id, seq, action, actor, ts(at), data_json, prev, h))
            prev = h
        for kind, at, params, text in sms:
            if at > now:
                continue
            sink.add(
                "notification_messages",
                (
                    uid(rng),
                    kind,
                    app.person.phone,
                    app.person.id,
                    app.id,
                    None,
                    js(params),
                    text,
                    "sent",
                    1,
                    ts(at),
                    None,
                    None,
                    None,
                    ts(at),
                    ts(at + timedelta(seconds=rng.uniform(0.5, 5))),
                ),
            )
        last = trace[-1][0]
        sink.add(
            "applications",
            (
                app.id,
                app.no,
                it.code,
                it.version_no,
                it.name,
                it.owner,
                app.intake_unit,
                app.accepting,
                app.entrustment,
                app.channel,
                app.channel == "online",
                app.person.id,
                app.person.name,
                app.person.phone,
                None,
                None,
                app.submitted_by,
                app.assisted_by,
                "assisted" if app.assisted_by else "self",
                app.status,
                "2",
                it.legal,
                it.promised,
                it.limit_unit,
                False,
                "{}",
                "[]",
                ts(app.received),
                day(app.notice_due),
                day(app.correction_deadline),
                1 if app.resubmitted_at else 0,
                ts(app.accepted_at),
                app.accepted_by if app.accepted_at else None,
                acceptance_no,
                False,
                day(app.due_on),
                app.pause[3] if app.pause else 0,
                0,
                None,
                None,
                "[]",
                ts(app.handed_at),
                app.forwarded_to,
                ts(app.forwarded_at),
                None,
                ts(app.decided_at),
                app.decided_by,
                app.decision,
                ("符合条件" if app.decision == "approved" else "不符合法定条件") if app.decision else None,
                decision_no,
                ts(app.completed_at),
                app.completed_by,
                js({"name": "审批结果通知书", "number": None, "valid_until": None})
                if app.completed_at
                else None,
                app.delivery_mode,
                js(delivery) if delivery else None,
                ts(app.delivered_at),
                app.visits,
                ts(app.overdue_at),
                False,
                len(trace),
                prev,
                app.closed_reason,
                ts(app.closed_at),
                ts(app.received),
                ts(last),
            ),
        )


# --- hotline ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Ticket:
    """One ticket's lifecycle up to now (hotline rows; evaluation's service event and obligations)."""

    id: str
    number: str
    request_type: str
    channel: str
    category: str | None
    title: str
    description: str
    urgent: bool
    caller: Person
    citizen: str | None
    street: str | None
    created: datetime
    created_by: str
    status: str = "registered"
    lead: str | None = None
    co: list[str] = field(default_factory=list)
    rule_id: str | None = None
    dispatched_at: datetime | None = None
    limit_rule: str | None = None
    due_at: datetime | None = None
    response_due_at: datetime | None = None
    # Per round: dispatched_at, response due, responded_at, replied_at, call-back or None
    # (at, resolved, satisfaction).
    rounds: list[list[Any]] = field(default_factory=list)
    returned: tuple[datetime, datetime, str] | None = None  # first dispatch returned (退单): sent, back, unit
    closed_at: datetime | None = None
    close_reason: str | None = None
    closed_by: str | None = None
    diversion: str | None = None
    kb_entry: tuple[str, int] | None = None
    merged_into: str | None = None
    overdue_at: datetime | None = None
    token: str = ""


TITLES = {
    "noise": ("夜间施工噪声", "工地每晚23点后仍施工，影响休息。"),
    "sanitation": ("垃圾清运不及时", "小区门口垃圾桶已满两天无人清运。"),
    "roads": ("人行道破损", "路口人行道砖块松动，老人易绊倒。"),
    "property": ("物业维修不及时", "楼道灯坏了一周，物业不修。"),
    "water": ("停水无通知", "小区突然停水，未提前通知。"),
    "power": ("频繁停电", "本周已停电三次。"),
    "gas": ("燃气表故障", "燃气表不走字，无法充值。"),
    "heating": ("暖气不热", "室温不到16度。"),
    "social_security": ("社保转移咨询", "外地社保如何转入本区？"),
    "civil_affairs": ("低保申请咨询", "家中老人如何申请低保？"),
    "medical_insurance": ("医保报销进度", "门诊报销三个月未到账。"),
    "market": ("商家虚假宣传", "超市促销价与结算价不一致。"),
    "public_service": ("办事窗口排队久", "政务服务中心排队两小时。"),
    "other": ("其他诉求", "其他事项。"),
}
STREET_CATS = ("noise", "sanitation", "roads", "property")
CITY_CATS = (
    "water",
    "power",
    "gas",
    "heating",
    "social_security",
    "civil_affairs",
    "medical_insurance",
    "market",
    "public_service",
)


def _hotline_deadline(created: datetime, rule: tuple[int, str], clock: Clock) -> datetime:
    amount, unit = rule
    if unit == "hours":
        return created + timedelta(hours=amount)
    if unit == "natural_days":
        return created + timedelta(days=amount)
    return at_local(clock.add(local_day(created), amount), 23.999)


def plan_tickets(
    n: int, world: World, clock: Clock, now: datetime, months: int, rng: random.Random
) -> list[Ticket]:
    """n tickets registered over the last `months` months, each as far along as it got by now."""
    span = months * 30.44 * 86400
    streets = sorted(u for u in world.units if len(u) == 9 and u.isdigit())
    agents = world.staff_of(OFFICE, "hotline_agent") + world.staff_of(OFFICE, "dispatcher")
    supervisors = world.staff_of(OFFICE, "supervisor")
    handlers_of: dict[str, list[Staff]] = defaultdict(list)
    for s in world.staff:
        if s.role == "handler":
            handlers_of[s.unit].append(s)
    demo_slots: dict[int, Person] = {}
    for c, q in zip(world.citizens, (4, 4, 6), strict=False):
        for _ in range(q):
            demo_slots[rng.randrange(n)] = c
    tickets: list[Ticket] = []
    for i in range(n):
        created = now - timedelta(seconds=rng.random() * span)
        rtype = rng.choices(
            ("complaint", "help", "enquiry", "suggestion", "report", "praise"), (35, 25, 20, 8, 7, 5)
        )[0]
        channel = rng.choices(("phone", "web", "mobile", "window", "open311"), (70, 8, 12, 5, 5))[0]
        person = demo_slots.get(i) or rng.choice(world.persons)
        citizen = person.id if (channel in ("web", "mobile") or i in demo_slots) else None
        street = rng.choice(streets)
        cat = rng.choice(STREET_CATS) if rng.random() < 0.55 else rng.choice(CITY_CATS)
        title, desc = TITLES[cat]
        agent = rng.choice(agents)
        t = Ticket(
            id=uid(rng),
            number=f"{local_day(created):%Y%m%d}-{50_000_000 + i:08d}",
            request_type=rtype,
            channel=channel,
            category=cat,
            title=title,
            description=desc,
            urgent=rng.random() < 0.03,
            caller=person,
            citizen=citizen,
            street=street,
            created=created,
            created_by=agent.id if channel in ("phone", "window") else (person.id if citizen else "open311"),
            token=uid(rng),
        )
        tickets.append(t)
        _advance_ticket(t, world, clock, now, rng, agents, supervisors, handlers_of, tickets)
    return tickets


def _advance_ticket(
    t: Ticket,
    world: World,
    clock: Clock,
    now: datetime,
    rng: random.Random,
    agents: list[Staff],
    supervisors: list[Staff],
    handlers_of: dict[str, list[Staff]],
    tickets: list[Ticket],
) -> None:
    p = rng.random()
    if t.request_type == "enquiry" and p < 0.6:  # answered on the spot, often from the knowledge base
        at = t.created + timedelta(minutes=rng.uniform(2, 15))
        if at <= now:
            t.status, t.closed_at, t.close_reason, t.closed_by = "closed", at, "answered", t.created_by
            if rng.random() < 0.6 and world.kb_entries:
                t.kb_entry = rng.choice(world.kb_entries)
        return
    if p < 0.02:  # diverted (110/诉讼 …)
        at = t.created + timedelta(minutes=rng.uniform(2, 30))
        if at <= now:
            t.status, t.closed_at, t.close_reason, t.closed_by = "closed", at, "diverted", t.created_by
            t.diversion = rng.choice(("emergency", "legal_channel", "repeat", "outside_duties"))
        return
    if p < 0.03 and len(tickets) > 10:  # a duplicate merged into an earlier ticket
        at = t.created + timedelta(minutes=rng.uniform(2, 60))
        if at <= now:
            t.status, t.closed_at, t.close_reason, t.closed_by = "merged", at, "merged", t.created_by
            t.merged_into = tickets[rng.randrange(len(tickets) - 1)].id
        return
    area = t.street if t.category in STREET_CATS else "*"
    rule_id, lead, co = world.dispatch[(t.category or "", area or "*")]
    t.rule_id, t.lead, t.co = rule_id, lead, co
    t.limit_rule = "urgent" if t.urgent else (world.categories.get(t.category or "") or "general")
    limit = world.limits[t.limit_rule]
    t.due_at = _hotline_deadline(t.created, limit, clock)
    d_at = t.created + timedelta(minutes=rng.uniform(1, 20))
    if d_at > now:
        return
    t.status, t.dispatched_at = "dispatched", d_at
    if rng.random() < 0.03:  # the first unit returns it (退单), the dispatcher sends it on
        back = d_at + timedelta(hours=rng.uniform(1, 20))
        if back > now:
            t.rounds.append([d_at, min(d_at + DAY, t.due_at), None, None, None])
            return
        t.returned = (d_at, back, lead)
        d_at = back + timedelta(minutes=rng.uniform(5, 60))
        if d_at > now:
            t.status = "returned"
            return
        t.dispatched_at = d_at
    stuck = rng.random() < 0.003
    rnd = 0
    start = t.created
    while True:
        rnd += 1
        response_due = min(d_at + DAY, t.due_at)
        row: list[Any] = [d_at, response_due, None, None, None]
        t.rounds.append(row)
        t.response_due_at = response_due
        span = (t.due_at - start).total_seconds()
        late_reply = rng.random() < 0.05
        resp = d_at + timedelta(
            seconds=(response_due - d_at).total_seconds()
            * (rng.uniform(0.05, 0.9) if rng.random() < 0.92 else rng.uniform(1.05, 2.5))
        )
        if resp > now:
            break
        row[2] = resp
        t.status = "in_progress"
        if stuck:
            break
        reply = start + timedelta(
            seconds=span * (rng.uniform(1.02, 1.6) if late_reply else rng.uniform(0.1, 0.98))
        )
        reply = max(reply, resp + timedelta(minutes=10))
        if reply > now:
            break
        row[3] = reply
        t.status = "replied"
        cb = reply + timedelta(hours=rng.uniform(2, 48))
        if cb > now:
            break
        resolved = rng.random() < 0.86
        sat = (
            rng.choices(("satisfied", "basically", "not"), (80, 12, 8))[0]
            if resolved
            else rng.choices(("satisfied", "basically", "not"), (20, 30, 50))[0]
        )
        row[4] = (cb, resolved, sat)
        t.status = "called_back"
        if not resolved and rnd == 1 and rng.random() < 0.5:  # reopened (重办)
            ro = cb + timedelta(hours=rng.uniform(1, 24))
            if ro > now:
                break
            start = ro
            d_at = ro + timedelta(seconds=1)
            t.due_at = _hotline_deadline(ro, world.limits[t.limit_rule], clock)
            t.dispatched_at = d_at
            t.status = "dispatched"
            continue
        close = cb + timedelta(hours=rng.uniform(0.5, 24))
        if close <= now:
            t.status, t.closed_at, t.close_reason, t.closed_by = (
                "closed",
                close,
                "completed",
                rng.choice(supervisors + agents).id,
            )
        break
    # Flagged overdue by the scan once past its due time while open (in the current round).
    last = t.rounds[-1]
    if t.due_at is not None and t.due_at < now and (last[3] is None or last[3] > t.due_at):
        t.overdue_at = t.due_at + timedelta(seconds=rng.uniform(1, 30))


def _rule_spec(rule: dict[str, Any]) -> Any:
    from hotline.services.escalation_rules import RuleSpec

    return RuleSpec(
        kind=rule["kind"],
        basis=rule["basis"],
        statuses=tuple(rule["statuses"]),
        after_share=rule["after_share"],
        plus_hours=rule["plus_hours"],
        target=rule["target"],
        request_type=rule["request_type"],
        category_code=rule["category_code"],
        active=rule["active"],
    )


def ticket_escalations(
    t: Ticket, world: World, now: datetime
) -> list[tuple[dict[str, Any], int, str, datetime, datetime]]:
    """(rule, round, basis, deadline, raised_at) of every rule that fired on the ticket's clocks:
    for the running round, exactly what hotline's `due` says is due now (so the pass finds nothing
    left); for finished rounds, what fired before the clock stopped."""
    from hotline.services.escalation_rules import TicketClock, fires_at

    out = []
    for rnd, (d_at, r_due, resp, reply, _cb) in enumerate(t.rounds, start=1):
        if rnd != len(t.rounds) or t.due_at is None:
            continue  # an earlier round of a reopened ticket (its deadline is not kept): left out
        # A reopened round starts at the reopening (the round's dispatch follows it by a second).
        start = t.created if rnd == 1 else d_at - timedelta(seconds=1)
        clocks = []
        if d_at is not None and r_due is not None:
            clocks.append(("response", TicketClock("response", rnd, d_at, r_due), resp or now))
        clocks.append(("reply", TicketClock("reply", rnd, start, t.due_at), reply or now))
        for rule in world.escalation_rules:
            if not rule["active"]:
                continue
            if rule["request_type"] and rule["request_type"] != t.request_type:
                continue
            if rule["category_code"] and rule["category_code"] != t.category:
                continue
            for basis, clock, stop in clocks:
                if basis != rule["basis"]:
                    continue
                fire = fires_at(rule["spec"], clock)
                if fire >= min(stop, now):
                    continue
                # The status at that moment must be one the rule watches.
                status = "dispatched" if (resp is None or fire < resp) else "in_progress"
                if status not in rule["statuses"]:
                    continue
                out.append((rule, rnd, basis, clock.deadline, fire + timedelta(seconds=5)))
    return out


def write_hotline(sink: Sink, tickets: list[Ticket], world: World, now: datetime, rng: random.Random) -> None:
    """Every row of every planned ticket."""
    from hotline.lifecycles import OPEN_STATUSES as open_statuses  # a recipient's `ticket_open`

    ts = sink.ts
    sink.declare(
        "staff_members",
        ["id", "username", "name", "org_unit_id", "org_unit_code", "roles", "status", "updated_at"],
    )
    for s in world.staff:
        if not s.demo:
            sink.add(
                "staff_members",
                (
                    s.id,
                    s.username,
                    s.name,
                    world.units[s.unit][0],
                    s.unit,
                    js([s.role]),
                    "active",
                    ts(now - 800 * DAY),
                ),
            )
    T_COLS = [
        "id",
        "number",
        "request_type",
        "channel",
        "category_code",
        "title",
        "description",
        "urgent",
        "complex",
        "caller_name",
        "caller_phone",
        "citizen_subject",
        "anonymous",
        "address",
        "lat",
        "lon",
        "street_code",
        "community_code",
        "attributes",
        "status",
        "close_reason",
        "close_note",
        "diversion_reason",
        "merged_into_id",
        "kb_entry_id",
        "lead_unit_code",
        "co_unit_codes",
        "first_unit_code",
        "coordination",
        "dispatched_at",
        "time_limit_rule",
        "due_at",
        "response_due_at",
        "overdue_at",
        "responded_at",
        "replied_at",
        "reply",
        "reopen_count",
        "token",
        "created_by",
        "created_at",
        "updated_at",
        "closed_at",
    ]
    sink.declare("tickets", T_COLS)
    sink.declare(
        "ticket_contacts",
        ["id", "ticket_id", "source_ticket_id", "name", "phone", "citizen_subject", "created_at"],
    )
    sink.declare(
        "ticket_history",
        [
            "id",
            "ticket_id",
            "action",
            "from_status",
            "to_status",
            "actor",
            "actor_unit",
            "note",
            "data",
            "at",
        ],
    )
    sink.declare(
        "dispatch_records",
        [
            "id",
            "ticket_id",
            "unit_code",
            "role",
            "mode",
            "rule_id",
            "dispatched_by",
            "dispatched_at",
            "dispute_deadline",
            "returned_at",
            "return_reason",
            "returned_by",
        ],
    )
    sink.declare(
        "response_dues",
        ["id", "ticket_id", "round", "unit_code", "due_at", "responded_at", "note", "recorded_by"],
    )
    sink.declare(
        "callbacks",
        [
            "id",
            "ticket_id",
            "unit_code",
            "round",
            "resolved",
            "satisfaction",
            "note",
            "called_by",
            "called_at",
        ],
    )
    sink.declare(
        "ticket_escalations",
        [
            "id",
            "ticket_id",
            "rule_id",
            "rule_name",
            "kind",
            "level",
            "target",
            "basis",
            "round",
            "cycle",
            "due_at",
            "unit_code",
            "fallback",
            "message",
            "raised_at",
        ],
    )
    sink.declare(
        "ticket_escalation_recipients",
        [
            "id",
            "escalation_id",
            "staff_id",
            "name",
            "org_unit_code",
            "role",
            "acknowledged_at",
            "note",
            "raised_at",
            "ticket_open",
        ],
    )
    sink.declare("kb_usages", ["id", "entry_id", "version_no", "ticket_id", "used_by", "used_at"])
    # The rates' day counts (hotline_0005), which its triggers keep as rows are written: added up
    # here and written once, the triggers held off while the rows load (one upsert per row).
    sink.declare("response_day_counts", ["unit_code", "day", "obligations", "on_time"])
    sink.declare(
        "callback_day_counts", ["unit_code", "day", "callbacks", "resolved", "satisfied", "basically"]
    )
    due_counts: dict[tuple[str, date], Counts] = defaultdict(Counts)
    call_counts: dict[tuple[str, date], Counts] = defaultdict(Counts)
    triggers = _hold_triggers(sink, ["response_dues", "callbacks"])
    for table, counts in [("response_day_counts", due_counts), ("callback_day_counts", call_counts)]:
        # The demo tickets' counts, added to (the rows are written again at the end).
        for unit, day, *values in sink.fetch(f"SELECT {', '.join(sink.columns[table])} FROM {table}"):
            counts[(unit, day if isinstance(day, date) else date.fromisoformat(day))] += tuple(values)
        sink.execute(f"DELETE FROM {table}")
    handlers_of: dict[str, list[Staff]] = defaultdict(list)
    for s in world.staff:
        if s.role == "handler":
            handlers_of[s.unit].append(s)
    office = [s for s in world.staff if s.unit == OFFICE and s.role == "supervisor"]
    agents = world.staff_of(OFFICE, "hotline_agent")
    for t in tickets:
        sink.done()
        hist: list[tuple[datetime, str, str | None, str, str, str | None, str | None, dict[str, Any]]] = []
        unit: str | None
        hist.append(
            (
                t.created,
                "create",
                None,
                "registered",
                t.created_by,
                OFFICE if t.channel in ("phone", "window") else None,
                None,
                {"channel": t.channel},
            )
        )
        sink.add(
            "ticket_contacts", (uid(rng), t.id, t.id, t.caller.name, t.caller.phone, t.citizen, ts(t.created))
        )
        reply_text = None
        first_unit = t.lead
        if t.close_reason in ("answered", "diverted", "merged"):
            action = {"answered": "answer", "diverted": "divert", "merged": "merge"}[t.close_reason]
            data: dict[str, Any] = {"kb_entry_id": t.kb_entry[0]} if t.kb_entry else {}
            if t.diversion:
                data = {"reason": t.diversion}
            if t.merged_into:
                data = {"into": t.merged_into}
            assert t.closed_at is not None
            hist.append(
                (
                    t.closed_at,
                    action,
                    "registered",
                    "closed" if t.close_reason != "merged" else "merged",
                    t.created_by,
                    OFFICE,
                    None,
                    data,
                )
            )
            if t.kb_entry:
                sink.add(
                    "kb_usages", (uid(rng), t.kb_entry[0], t.kb_entry[1], t.id, t.created_by, ts(t.closed_at))
                )
        dispatcher = rng.choice(agents).id if agents else t.created_by
        if t.returned and t.lead:
            first_at, back, unit = t.returned
            hist.append(
                (
                    first_at,
                    "dispatch",
                    "registered",
                    "dispatched",
                    dispatcher,
                    OFFICE,
                    None,
                    {"unit": unit, "co": t.co, "mode": "rule"},
                )
            )
            hist.append(
                (
                    back,
                    "return",
                    "dispatched",
                    "returned",
                    handlers_of[unit][0].id if handlers_of[unit] else dispatcher,
                    unit,
                    "不属于本单位职责",
                    {},
                )
            )
            sink.add(
                "dispatch_records",
                (
                    uid(rng),
                    t.id,
                    unit,
                    "lead",
                    "rule",
                    t.rule_id,
                    dispatcher,
                    ts(first_at),
                    ts(first_at + DAY),
                    ts(back),
                    "不属于本单位职责",
                    dispatcher,
                ),
            )
        handler = rng.choice(handlers_of[t.lead]) if t.lead and handlers_of.get(t.lead) else None
        hid = handler.id if handler else dispatcher
        for rnd, (d_at, r_due, resp, reply, cb) in enumerate(t.rounds, start=1):
            if d_at is None:
                continue
            mode = "rule" if rnd == 1 else "reopen"
            if not (rnd == 1 and t.returned and t.status == "returned"):
                from_status = (
                    "registered"
                    if rnd == 1 and not t.returned
                    else ("returned" if rnd == 1 else "called_back")
                )
                if rnd > 1:
                    hist.append(
                        (
                            d_at - timedelta(seconds=1),
                            "reopen",
                            "called_back",
                            "dispatched",
                            dispatcher,
                            OFFICE,
                            "诉求人不满意，重办",
                            {},
                        )
                    )
                else:
                    hist.append(
                        (
                            d_at,
                            "dispatch",
                            from_status,
                            "dispatched",
                            dispatcher,
                            OFFICE,
                            None,
                            {"unit": t.lead, "co": t.co, "mode": mode},
                        )
                    )
                sink.add(
                    "dispatch_records",
                    (
                        uid(rng),
                        t.id,
                        t.lead,
                        "lead",
                        mode,
                        t.rule_id if rnd == 1 else None,
                        dispatcher,
                        ts(d_at),
                        ts(d_at + DAY),
                        None,
                        None,
                        None,
                    ),
                )
                for c in t.co if rnd == 1 else []:
                    sink.add(
                        "dispatch_records",
                        (
                            uid(rng),
                            t.id,
                            c,
                            "co",
                            mode,
                            t.rule_id,
                            dispatcher,
                            ts(d_at),
                            ts(d_at + DAY),
                            None,
                            None,
                            None,
                        ),
                    )
            sink.add(
                "response_dues",
                (uid(rng), t.id, rnd, t.lead, ts(r_due), ts(resp), None, hid if resp else None),
            )
            due_counts[(t.lead, local_day(r_due))] += (1, int(resp is not None and resp <= r_due))
            if resp:
                hist.append((resp, "respond", "dispatched", "in_progress", hid, t.lead, None, {}))
            if reply:
                reply_text = "已约谈相关单位，问题已处理。"
                hist.append((reply, "reply", "in_progress", "replied", hid, t.lead, reply_text, {}))
            if cb:
                at, resolved, sat = cb
                agent = rng.choice(agents).id if agents else t.created_by
                sink.add("callbacks", (uid(rng), t.id, t.lead, rnd, resolved, sat, None, agent, ts(at)))
                call_counts[(t.lead, local_day(at))] += (
                    1,
                    int(resolved),
                    int(sat == "satisfied"),
                    int(sat == "basically"),
                )
                hist.append(
                    (
                        at,
                        "call_back",
                        "replied",
                        "called_back",
                        agent,
                        OFFICE,
                        None,
                        {"resolved": resolved, "satisfaction": sat},
                    )
                )
        if t.close_reason == "completed":
            assert t.closed_at is not None
            hist.append(
                (t.closed_at, "close", "called_back", "closed", t.closed_by or t.created_by, OFFICE, None, {})
            )
        if t.overdue_at:
            hist.append(
                (
                    t.overdue_at,
                    "overdue",
                    "in_progress" if t.rounds and t.rounds[-1][2] else "dispatched",
                    "in_progress" if t.rounds and t.rounds[-1][2] else "dispatched",
                    "system",
                    None,
                    None,
                    {"due_at": t.due_at.replace(tzinfo=UTC).isoformat() if t.due_at else None},
                )
            )
        for rule, rnd, basis, deadline, raised in ticket_escalations(t, world, now) if t.lead else []:
            eid = uid(rng)
            level = 0 if rule["kind"] == "reminder" else (2 if rule["target"] == "district_office" else 1)
            if rule["target"] == "handler":
                unit, people, fb = t.lead, [(s, "handler") for s in handlers_of.get(t.lead or "", [])], False
            elif rule["target"] == "unit_supervisor":
                unit, people, fb = OFFICE, [(s, "supervisor") for s in office], True
            else:
                unit, people, fb = OFFICE, [(s, "supervisor") for s in office], False
            kindname = "催办" if rule["kind"] == "reminder" else "督办"
            limit = "首次联系时限" if basis == "response" else "办理时限"
            msg = f"【{kindname}】工单 {t.number}（{t.title}）{limit}将于{local_day(deadline)}到期，请抓紧办理。"  # noqa: E501
            sink.add(
                "ticket_escalations",
                (
                    eid,
                    t.id,
                    rule["id"],
                    rule["name"],
                    rule["kind"],
                    level,
                    rule["target"],
                    basis,
                    rnd,
                    f"{rnd}:{deadline.replace(tzinfo=UTC).isoformat()}",
                    ts(deadline),
                    unit,
                    fb,
                    msg,
                    ts(raised),
                ),
            )
            for s, role in people:
                acked = (
                    ts(raised + timedelta(hours=rng.uniform(0.5, 20)))
                    if rng.random() < 0.6 and raised < now - 2 * DAY
                    else None
                )
                sink.add(
                    "ticket_escalation_recipients",
                    (
                        uid(rng),
                        eid,
                        s.id,
                        s.name,
                        s.unit,
                        role,
                        acked,
                        None,
                        ts(raised),
                        t.status in open_statuses,
                    ),
                )
            hist.append(
                (
                    raised,
                    "remind" if rule["kind"] == "reminder" else "escalate",
                    None,
                    "in_progress",
                    "system",
                    None,
                    msg,
                    {
                        "rule_id": rule["id"],
                        "level": level,
                        "unit_code": unit,
                        "recipients": [s.id for s, _ in people],
                    },
                )
            )
        hist.sort(key=lambda h: h[0])
        for at, action, frm, to, actor, unit, note, data in hist:
            sink.add("ticket_history", (uid(rng), t.id, action, frm, to, actor, unit, note, js(data), ts(at)))
        last_round = t.rounds[-1] if t.rounds else [None] * 5
        sink.add(
            "tickets",
            (
                t.id,
                t.number,
                t.request_type,
                t.channel,
                t.category,
                t.title,
                t.description,
                t.urgent,
                False,
                t.caller.name,
                t.caller.phone,
                t.citizen,
                False,
                None,
                None,
                None,
                t.street,
                None,
                js({"noise_period": "night"} if t.category == "noise" else {}),
                t.status,
                t.close_reason,
                None,
                t.diversion,
                t.merged_into,
                t.kb_entry[0] if t.kb_entry else None,
                t.lead,
                js(t.co),
                first_unit,
                False,
                ts(t.dispatched_at),
                t.limit_rule,
                ts(t.due_at),
                ts(t.response_due_at),
                ts(t.overdue_at),
                ts(last_round[2]),
                ts(last_round[3]),
                reply_text if last_round[3] else None,
                max(0, len(t.rounds) - 1),
                t.token,
                t.created_by,
                ts(t.created),
                ts(hist[-1][0]),
                ts(t.closed_at),
            ),
        )

    for (unit, day), c in due_counts.items():
        sink.add("response_day_counts", (unit, sink.day(day), *c.values))
    for (unit, day), c in call_counts.items():
        sink.add("callback_day_counts", (unit, sink.day(day), *c.values))
    for sql in triggers:
        sink.execute(sql)  # after every row is flushed


class Counts:
    """A row of day counts being added up."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: list[int] = []

    def __iadd__(self, more: tuple[int, ...]) -> Counts:
        self.values = [a + b for a, b in zip(self.values, more, strict=True)] if self.values else list(more)
        return self


def _hold_triggers(sink: Sink, tables: list[str]) -> list[str]:
    """Switch off the triggers on `tables` for the bulk load; the SQL that switches them back on."""
    if sink.pg:
        for table in tables:
            sink.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        return [f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in tables]
    marks = ",".join("?" * len(tables))
    found = sink.conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", tables
    ).fetchall()
    for name, _ in found:
        sink.execute(f"DROP TRIGGER {name}")
    return [sql for _, sql in found]


# --- evaluation -------------------------------------------------------------------------------------


def _month(t: datetime) -> str:
    d = local_day(t)
    return f"{d.year:04d}-{d.month:02d}"


def write_evaluation(
    sink: Sink,
    n: int,
    apps: list[App],
    tickets: list[Ticket],
    world: World,
    clock: Clock,
    now: datetime,
    rng: random.Random,
) -> None:
    """Service events (completed applications, closed tickets, window visits), n ratings on them, the
    bad-review cases, the response obligations and the indicator counters they all move."""
    ts, day = sink.ts, sink.day
    sink.declare(
        "staff_members",
        ["id", "username", "name", "org_unit_id", "org_unit_code", "roles", "status", "updated_at"],
    )
    for s in world.staff:
        if not s.demo:
            sink.add(
                "staff_members",
                (
                    s.id,
                    s.username,
                    s.name,
                    world.units[s.unit][0],
                    s.unit,
                    js([s.role]),
                    "active",
                    ts(now - 800 * DAY),
                ),
            )
    sink.declare(
        "service_events",
        [
            "id",
            "kind",
            "source_id",
            "reference_no",
            "item_code",
            "item_name",
            "unit_code",
            "window_code",
            "staff_id",
            "served_subject",
            "served_at",
            "rateable_until",
            "month",
            "visits",
            "created_at",
        ],
    )
    sink.declare(
        "ratings",
        [
            "id",
            "service_event_id",
            "level",
            "channel",
            "aspects",
            "comment",
            "item_code",
            "unit_code",
            "window_code",
            "staff_id",
            "rater_subject",
            "real_name",
            "pseudonym",
            "month",
            "excluded",
            "submitted_at",
            "by_code",
            "superseded_at",
            "flag_id",
            "held",
        ],
    )
    sink.declare(
        "bad_review_cases",
        [
            "id",
            "rating_id",
            "unit_code",
            "status",
            "real_name",
            "deadline_at",
            "called_back_at",
            "resolution",
            "rectify_due_on",
            "rectified_at",
            "appeal_reason",
            "appeal_decision",
            "feedback",
            "feedback_at",
            "response_level",
            "overdue",
            "closed",
            "transferred_at",
            "opened_at",
            "closed_at",
        ],
    )
    sink.declare("case_steps", ["case_id", "action", "actor", "note", "at"])
    sink.declare(
        "hotline_responses", ["ticket_id", "round", "unit_code", "due_at", "dispatched_at", "responded_at"]
    )
    counters: dict[tuple[str, str, str, str], int] = defaultdict(int)
    # 响应率's rollup (hotline_response_months): (month of the deadline, unit) → [obligations, on time]
    responses: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])

    def count(month: str, dims: dict[str, str | None], **inc: int) -> None:
        for dim, key in dims.items():
            if key:
                for name, v in inc.items():
                    if v:
                        counters[(dim, key, month, name)] += v

    # (id, kind, unit, window, staff, item, subject, served_at, month)
    events: list[tuple[str, str, str, str | None, str | None, str | None, str | None, datetime, str]] = []
    for a in apps:
        sink.done()
        window = a.intake_unit if a.channel != "online" else None
        count(
            _month(a.received),
            {"unit": a.item.owner, "window": window, "staff": a.assisted_by, "item": a.item.code},
            applied=1,
            online_applied=int(a.channel == "online"),
        )
        if a.completed_at is None:
            continue
        m = _month(a.completed_at)
        dims = {"unit": a.item.owner, "window": window, "staff": a.completed_by, "item": a.item.code}
        count(
            m,
            dims,
            completed=1,
            visits_sum=a.visits,
            zero_visit=int(a.visits == 0),
            completion_days_sum=a.working_days_used or 0,
            completion_timed=1,
            legal_limit_sum=a.item.legal,
            promised_limit_sum=a.item.promised,
            services=1,
        )
        eid = uid(rng)
        events.append(
            (
                eid,
                "application",
                a.item.owner,
                window,
                a.completed_by,
                a.item.code,
                a.person.id,
                a.completed_at,
                m,
            )
        )
        sink.add(
            "service_events",
            (
                eid,
                "application",
                a.id,
                a.no,
                a.item.code,
                a.item.name,
                a.item.owner,
                window,
                a.completed_by,
                a.person.id,
                ts(a.completed_at),
                ts(a.completed_at + 30 * DAY),
                m,
                a.visits,
                ts(a.completed_at + timedelta(seconds=1)),
            ),
        )
    for t in tickets:
        sink.done()
        for rnd, (d_at, r_due, resp, _reply, cb) in enumerate(t.rounds, start=1):
            if d_at is not None and t.lead:
                sink.add("hotline_responses", (t.id, rnd, t.lead, ts(r_due), ts(d_at), ts(resp)))
                tally = responses[(_month(r_due), t.lead)]
                tally[0] += 1
                tally[1] += int(resp is not None and resp <= r_due)
            if cb:
                at, resolved, sat = cb
                count(
                    _month(at),
                    {"unit": t.lead},
                    tickets_called_back=1,
                    tickets_resolved=int(resolved),
                    tickets_satisfied=int(sat == "satisfied"),
                )
        if t.closed_at is None or t.close_reason not in ("completed", "answered"):
            continue
        unit = t.lead or OFFICE
        m = _month(t.closed_at)
        count(m, {"unit": unit}, services=1)
        eid = uid(rng)
        events.append((eid, "ticket", unit, None, None, None, t.citizen, t.closed_at, m))
        sink.add(
            "service_events",
            (
                eid,
                "ticket",
                t.id,
                t.number,
                None,
                None,
                unit,
                None,
                None,
                t.citizen,
                ts(t.closed_at),
                ts(t.closed_at + 30 * DAY),
                m,
                None,
                ts(t.closed_at + timedelta(seconds=1)),
            ),
        )
    # Window visits (一次一评): 40 % of n, by the windows' clerks, in office hours.
    windows = [u for u in world.units if u.startswith(f"{DISTRICT}-ZWFW-W0") or u.endswith("-FWZX")]
    clerks = {u: world.staff_of(u, "window_clerk") for u in windows}
    span = 24 * 30.44 * 86400
    for _ in range(int(n * 0.4)):
        sink.done()
        w = rng.choice(windows)
        if not clerks[w]:
            continue
        d = local_day(now - timedelta(seconds=rng.random() * span))
        while not clock.working(d):
            d -= DAY
        served = office_hours(rng, d)
        if served > now:
            served -= 7 * DAY
        unit = w.rsplit("-", 1)[0] if w.startswith(f"{DISTRICT}-ZWFW-W") else w
        clerk = rng.choice(clerks[w])
        item = rng.choice(world.items)
        m = _month(served)
        count(m, {"unit": unit, "window": w, "staff": clerk.id, "item": item.code}, services=1)
        eid = uid(rng)
        events.append((eid, "visit", unit, w, clerk.id, item.code, None, served, m))
        sink.add(
            "service_events",
            (
                eid,
                "visit",
                uid(rng),
                None,
                item.code,
                item.name,
                unit,
                w,
                clerk.id,
                None,
                ts(served),
                ts(served + 30 * DAY),
                m,
                None,
                ts(served),
            ),
        )
    # n ratings on those events (the rated share follows: n over every event served).
    rng.shuffle(events)
    rated = 0
    for eid, kind, unit, window, staff, item_code, subject, served, _m in events:
        sink.done()
        if rated >= n:
            break
        submitted = served + timedelta(hours=rng.expovariate(1 / 20))
        if submitted > now or submitted > served + 30 * DAY:
            continue
        rated += 1
        level = rng.choices((1, 2, 3, 4, 5), (78, 13, 5, 3, 1))[0]
        m = _month(submitted)
        if kind == "visit" or subject is None:
            channel, rater, real, by_code = "device" if kind == "visit" else "sms", None, False, True
        else:
            channel, rater, real, by_code = (
                rng.choice(("pc", "mobile", "mobile", "phone")),
                subject,
                True,
                False,
            )
        rid = uid(rng)
        comment = "办事效率太低，来回跑了好几趟。" if level >= 4 else None
        sink.add(
            "ratings",
            (
                rid,
                eid,
                level,
                channel,
                js(["服务态度"] if level >= 4 else []),
                comment,
                item_code,
                unit,
                window,
                staff,
                rater,
                real,
                f"{rng.getrandbits(32):08X}",
                m,
                False,
                ts(submitted),
                by_code,
                None,
                None,
                False,
            ),
        )
        dims = {"unit": unit, "window": window, "staff": staff, "item": item_code}
        count(m, dims, ratings=1, ratings_good=int(level <= 2), ratings_bad=int(level >= 4))
        if level < 4:
            continue
        cid = uid(rng)
        deadline = at_local(clock.add(local_day(submitted), 5), 23.99999)
        steps: list[tuple[str, str | None, str | None, datetime]] = [("opened", None, None, submitted)]
        age = (now - submitted).days
        if age > 12:  # handled: called back, rectified, answered, closed
            cb = submitted + timedelta(hours=rng.uniform(2, 48))
            rect = cb + timedelta(hours=rng.uniform(2, 72))
            fb = rect + timedelta(hours=rng.uniform(1, 48))
            closed = fb + timedelta(hours=rng.uniform(1, 24))
            officer = rng.choice(
                world.staff_of(unit, "approver", "handler", "window_clerk") or world.staff
            ).id
            steps += [
                ("call_back", officer, "已电话联系评价人", cb),
                ("rectify", officer, "已整改", rect),
                ("feedback", officer, "已向评价人反馈", fb),
                ("closed", None, None, closed),
            ]
            sink.add(
                "bad_review_cases",
                (
                    cid,
                    rid,
                    unit,
                    "closed",
                    real,
                    ts(deadline),
                    ts(cb),
                    "rectify",
                    None,
                    ts(rect),
                    None,
                    None,
                    "已整改并反馈",
                    ts(fb),
                    2,
                    rect > deadline,
                    True,
                    None,
                    ts(submitted),
                    ts(closed),
                ),
            )
            count(
                _month(submitted),
                dims,
                bad_called_back=1,
                bad_rectified=1,
                responses_rated=1,
                responses_satisfied=1,
            )
        else:
            overdue = deadline < now
            sink.add(
                "bad_review_cases",
                (
                    cid,
                    rid,
                    unit,
                    "open",
                    real,
                    ts(deadline),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    overdue,
                    False,
                    None,
                    ts(submitted),
                    None,
                ),
            )
            if overdue:
                steps.append(("overdue", None, None, deadline + timedelta(seconds=30)))
        for action, actor, note, at in steps:
            sink.add("case_steps", (cid, action, actor, note, ts(at)))
    # The first start's own counters (bench/capacity's warm-up case) are added in, then replaced.
    for dim, key, month, name, value in sink.fetch(
        "SELECT dimension, key, month, name, value FROM indicator_counters"
    ):
        counters[(dim, key, month, name)] += int(value)
    sink.execute("DELETE FROM indicator_counters")
    sink.declare("indicator_counters", ["dimension", "key", "month", "name", "value"])
    for (dim, key, month, name), value in sorted(counters.items()):
        sink.done()
        sink.add("indicator_counters", (dim, key, month, name, value))
    # The same for the rollup: the first start's obligations are in it already (the consumer's).
    for month, unit, obligations, on_time in sink.fetch(
        "SELECT month, unit_code, obligations, on_time FROM hotline_response_months"
    ):
        responses[(month, unit)][0] += int(obligations)
        responses[(month, unit)][1] += int(on_time)
    sink.execute("DELETE FROM hotline_response_months")
    sink.declare("hotline_response_months", ["month", "unit_code", "obligations", "on_time"])
    for (month, unit), (obligations, on_time) in sorted(responses.items()):
        sink.done()
        sink.add("hotline_response_months", (month, unit, obligations, on_time))
    del day


# --- the entry points -----------------------------------------------------------------------------


def make_plans(n: int, world: World, now: datetime, months: int, seed: int) -> tuple[Plans, Clock]:
    """Every application's and ticket's lifecycle (in the parent: the children share them)."""
    clock = Clock(package_calendar())
    apps = plan_apps(n, world, clock, now, months, random.Random(seed))
    tickets = plan_tickets(n, world, clock, now, months, random.Random(seed + 1))
    for rule in world.escalation_rules:
        rule["spec"] = _rule_spec(rule)
    return Plans(apps, tickets, now), clock


def generate(
    service: str, url: str, plans: Plans, clock: Clock, world: World, n: int, seed: int
) -> tuple[dict[str, int], float]:
    """Write one service's rows into its database; (rows per table, seconds)."""
    t0 = time.monotonic()
    rng = random.Random(seed + {"intake": 10, "hotline": 11, "evaluation": 12}[service])
    sink = Sink(url)
    if service == "intake":
        write_intake(sink, plans.apps, world, clock, plans.now, rng)
    elif service == "hotline":
        write_hotline(sink, plans.tickets, world, plans.now, rng)
    else:
        write_evaluation(sink, n, plans.apps, plans.tickets, world, clock, plans.now, rng)
    counts = sink.close()
    return counts, time.monotonic() - t0
