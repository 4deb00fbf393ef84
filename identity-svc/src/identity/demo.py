"""Demo data: 北京市朝阳区 with streets, communities, departments, windows, one staff account per
role, five citizens (one of them turning 80 the day the demo is first loaded), one enterprise
(verified by the demo window clerk) with an agent. Idempotent: what exists is left alone.

    python -m identity.demo [--database-url URL]

Runs the migrations first, then prints the demo logins. Everything here is synthetic: the
resident IDs and USCC are computed to pass their checksums and belong to no one.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate
from yiwang_shared.validators import resident_id_check_char, uscc_check_char

from .config import SERVICE_DIR, Settings
from .models import Person
from .repositories.accounts import AccountRepository
from .repositories.enterprises import EnterpriseRepository
from .repositories.grants import GrantRepository
from .repositories.org_units import OrgUnitRepository
from .schemas.accounts import PersonRegister, StaffCreate
from .schemas.grants import GrantCreate
from .schemas.org_units import OrgUnitCreate
from .services.accounts import create_staff, register_person
from .services.clock import utcnow
from .services.enterprises import register_enterprise, verify_enterprise
from .services.grants import confirm_grant, create_grant
from .services.org_units import create_org_unit
from .services.passwords import Passwords

DEMO_PASSWORD = "Demo#2026"
DISTRICT = "110105"

# (code, name, kind, parent code). Territorial units use administrative division codes
# (6 digits district, 9 street, 12 community); the others are <parent code>-<suffix>.
ORG_UNITS: list[tuple[str, str, str, str | None]] = [
    (DISTRICT, "北京市朝阳区", "district", None),
    (f"{DISTRICT}-ZWFW", "区政务服务中心", "service_centre", DISTRICT),
    (f"{DISTRICT}-ZWFW-W01", "综合受理窗口1", "window", f"{DISTRICT}-ZWFW"),
    (f"{DISTRICT}-ZWFW-W02", "综合受理窗口2", "window", f"{DISTRICT}-ZWFW"),
    (f"{DISTRICT}-ZWFW-W03", "综合出件窗口", "window", f"{DISTRICT}-ZWFW"),
    (f"{DISTRICT}-ZWGLJ", "区政务服务管理局", "department", DISTRICT),
    (f"{DISTRICT}-MZJ", "区民政局", "department", DISTRICT),
    (f"{DISTRICT}-RSJ", "区人力社保局", "department", DISTRICT),
    (f"{DISTRICT}-WJW", "区卫生健康委", "department", DISTRICT),
    (f"{DISTRICT}-SCJGJ", "区市场监管局", "department", DISTRICT),
    (f"{DISTRICT}-GHZRZY", "区规划自然资源分局", "department", DISTRICT),
    (f"{DISTRICT}-GAFJ", "区公安分局", "department", DISTRICT),
    (f"{DISTRICT}-YBJ", "区医疗保障局", "department", DISTRICT),
    (f"{DISTRICT}-ZJW", "区住房城乡建设委", "department", DISTRICT),
    (f"{DISTRICT}-CL", "区残联", "department", DISTRICT),
]
STREETS: list[tuple[str, str, list[str]]] = [
    ("001", "朝外街道", ["吉祥里社区", "雅宝里社区", "芳草地社区"]),
    ("002", "建外街道", ["永安里东社区", "建国里社区"]),
    ("003", "呼家楼街道", ["呼家楼北社区", "金台里社区", "核桃园社区"]),
]
for _seq, _street, _communities in STREETS:
    _code = DISTRICT + _seq
    ORG_UNITS.append((_code, _street, "street", DISTRICT))
    ORG_UNITS.append((f"{_code}-FWZX", f"{_street}政务服务中心", "service_centre", _code))
    for _n, _community in enumerate(_communities, start=1):
        _ccode = f"{_code}{_n:03d}"
        ORG_UNITS.append((_ccode, _community, "community", _code))
        ORG_UNITS.append((f"{_ccode}-FWZ", f"{_community}服务站", "station", _ccode))

# (username, name, role, unit code)
STAFF: list[tuple[str, str, str, str]] = [
    ("clerk", "刘静", "window_clerk", f"{DISTRICT}-ZWFW-W01"),
    ("approver", "陈刚", "approver", f"{DISTRICT}-MZJ"),
    # The departments of the demo 一件事 "开办餐饮店": 个体工商户设立登记 and 食品经营许可 are
    # 市场监管's, 职工参保登记 人力社保's — a bundle goes to two departments.
    ("approver_scj", "王磊", "approver", f"{DISTRICT}-SCJGJ"),
    ("approver_rsj", "李红", "approver", f"{DISTRICT}-RSJ"),
    ("agent", "赵敏", "hotline_agent", f"{DISTRICT}-ZWGLJ"),
    ("dispatcher", "孙磊", "dispatcher", f"{DISTRICT}-ZWGLJ"),
    ("handler", "周洋", "handler", f"{DISTRICT}001-FWZX"),
    ("supervisor", "吴芳", "supervisor", f"{DISTRICT}-ZWGLJ"),
    ("editor", "郑涛", "catalog_editor", f"{DISTRICT}-ZWGLJ"),
    ("evaluator", "冯丽", "evaluator", f"{DISTRICT}-ZWGLJ"),
    ("admin", "系统管理员", "admin", f"{DISTRICT}-ZWGLJ"),
]
#: Community service stations (社区服务站, the `station` units above: one per community, under its
#: street) and their staff: a 全能社工 at the comprehensive window of 吉祥里社区服务站 (1–2 on
#: duty), who accepts the station's 受理类 items under its street centre's entrustment agreement
#: (intake-svc's demo) and collects or pre-reviews the others for the centre.
STATION_STAFF: list[tuple[str, str, str, str]] = [
    ("station", "韩梅", "window_clerk", f"{DISTRICT}001001-FWZ"),
]
STAFF.extend(STATION_STAFF)


def demo_resident_id(birth: str, sequence: str, region: str = DISTRICT) -> str:
    """A checksum-valid resident ID: region, birth date YYYYMMDD, 3-digit sequence, check."""
    body = region + birth + sequence
    return body + resident_id_check_char(body)


def _org_code_check(body8: str) -> str:
    # GB 11714 organisation code check character.
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def demo_uscc(org_code8: str, region: str = DISTRICT) -> str:
    """A checksum-valid USCC of an enterprise (9 1 <region> <organisation code> <check>)."""
    body = "91" + region + org_code8 + _org_code_check(org_code8)
    return body + uscc_check_char(body)


# (name, birth date, sequence, phone); the sequence's last digit is odd for men, even for women.
CITIZENS: list[tuple[str, str, str, str]] = [
    ("张伟", "19850312", "031", "13810000001"),
    ("李娜", "19900718", "042", "13810000002"),
    ("王芳", "19780925", "026", "13810000003"),
    # 81: her 高龄老年人津贴 is decided on submission by its 秒批 rules (issue 20 §5).
    ("赵秀兰", "19450110", "048", "13810000004"),
]
#: (name, age, sequence, phone): a resident whose birthday is the day the demo is first loaded, when
#: they turn this age — the birthday pass publishes it and intake offers 高龄老年人津贴 unasked
#: (免申即享, issue 20 §5). Found again by phone, so a later load keeps the same person.
TURNING_80: tuple[str, int, str, str] = ("孙桂英", 80, "066", "13810000005")
ENTERPRISE_NAME = "北京朝阳示例科技有限公司"
ENTERPRISE_USCC = demo_uscc("MA01C7Q8")


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: how to log in and who it is."""

    username: str
    password: str
    kind: str
    name: str
    note: str

    def __str__(self) -> str:
        return f"{self.username:<20} {self.password:<10} {self.kind:<6} {self.name}  {self.note}"


async def _org_units(session: AsyncSession) -> dict[str, str]:
    repo = OrgUnitRepository(session)
    ids: dict[str, str] = {}
    for code, name, kind, parent in ORG_UNITS:
        unit = await repo.find_by_code(code)
        if unit is None:
            unit = await create_org_unit(
                session,
                data=OrgUnitCreate.model_validate(
                    {"code": code, "name": name, "kind": kind, "parent_id": ids.get(parent or "")}
                ),
            )
        ids[code] = unit.id
    return ids


async def _staff(session: AsyncSession, units: dict[str, str], passwords: Passwords) -> list[DemoLogin]:
    repo = AccountRepository(session)
    logins = []
    for username, name, role, unit_code in STAFF:
        if await repo.find_staff_by_username(username) is None:
            await create_staff(
                session,
                data=StaffCreate.model_validate(
                    {
                        "username": username,
                        "name": name,
                        "org_unit_id": units[unit_code],
                        "roles": [role],
                        "password": DEMO_PASSWORD,
                    }
                ),
                passwords=passwords,
            )
        unit_name = next(n for c, n, _, _ in ORG_UNITS if c == unit_code)
        logins.append(DemoLogin(username, DEMO_PASSWORD, "staff", name, f"{role} @ {unit_name}"))
    return logins


async def _citizens(session: AsyncSession, passwords: Passwords, settings: Settings) -> list[Person]:
    repo = AccountRepository(session)
    people = []
    for name, birth, seq, phone in CITIZENS:
        rid = demo_resident_id(birth, seq)
        person = await repo.find_person_by_resident_id(rid)
        if person is None:
            person = await register_person(
                session,
                data=PersonRegister.model_validate(
                    {"name": name, "resident_id": rid, "phone": phone, "password": DEMO_PASSWORD}
                ),
                passwords=passwords,
                settings=settings,
            )
        people.append(person)
    people.append(await _turning_80(session, passwords, settings))
    return people


def _years_before(day: date, years: int) -> date:
    """The day `years` before `day` (29 February going to 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


async def _turning_80(session: AsyncSession, passwords: Passwords, settings: Settings) -> Person:
    """The resident turning 80 on the day the demo is first loaded (see TURNING_80)."""
    name, age, seq, phone = TURNING_80
    person = await AccountRepository(session).find_person_by_phone(phone)
    if person is not None:
        return person
    born = _years_before(local_date(utcnow()), age)
    return await register_person(
        session,
        data=PersonRegister.model_validate(
            {
                "name": name,
                "resident_id": demo_resident_id(born.strftime("%Y%m%d"), seq),
                "phone": phone,
                "password": DEMO_PASSWORD,
            }
        ),
        passwords=passwords,
        settings=settings,
    )


def _as_principal(person: Person) -> Principal:
    return Principal(subject=person.id, kind="person", loa=person.loa)


async def _enterprise(session: AsyncSession, legal_rep: Person, agent: Person) -> None:
    claims = await EnterpriseRepository(session).list_claims(ENTERPRISE_USCC)
    enterprise = next((e for e in claims if e.legal_rep_id == legal_rep.id), None)
    if enterprise is None:
        enterprise = await register_enterprise(
            session,
            registrant=_as_principal(legal_rep),
            name=ENTERPRISE_NAME,
            uscc=ENTERPRISE_USCC,
            min_loa=2,
        )
    if enterprise.status == "pending":
        # The demo window clerk has seen the licence and the representative's ID.
        clerk = await AccountRepository(session).find_staff_by_username("clerk")
        assert clerk is not None
        await verify_enterprise(
            session,
            enterprise.id,
            reviewer=Principal(subject=clerk.id, kind="staff", roles=frozenset(clerk.roles), loa=clerk.loa),
            name=None,
            note="演示数据：已核验营业执照和法定代表人身份证。",
        )
    if not await GrantRepository(session).held_by(agent.id, enterprise.id):
        grant = await create_grant(
            session,
            enterprise.id,
            grantor=_as_principal(legal_rep),
            data=GrantCreate(
                grantee_id=agent.id,
                scope=["*"],
                valid_until=utcnow() + timedelta(days=365),
                may_delegate=True,
            ),
        )
        await confirm_grant(session, grant.id, grantee=_as_principal(agent))


async def load_demo(database_url: str, *, settings: Settings | None = None) -> list[DemoLogin]:
    """Migrate, then create whatever demo data is missing; the demo logins."""
    await migrate(SERVICE_DIR, database_url)
    settings = settings or Settings()
    passwords = Passwords.from_settings(settings)
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            units = await _org_units(session)
            logins = await _staff(session, units, passwords)
            citizens = await _citizens(session, passwords, settings)
            await _enterprise(session, legal_rep=citizens[0], agent=citizens[1])
    finally:
        await db.dispose()
    notes = {
        0: f"法定代表人 of {ENTERPRISE_NAME} (USCC {ENTERPRISE_USCC})",
        1: f"经办人 of {ENTERPRISE_NAME}: confirmed grant, all items, may delegate",
        2: "citizen",
        3: "citizen aged 81: 高龄老年人津贴 online is decided by its 秒批 rules",
        4: "citizen turning 80 the day the demo was loaded: 高龄老年人津贴 offered unasked (免申即享) "
        "a minute after the platform starts",
    }
    for i, person in enumerate(citizens):
        logins.append(
            DemoLogin(
                person.phone,
                DEMO_PASSWORD,
                "person",
                person.name,
                f"or resident ID {person.resident_id}; {notes[i]}",
            )
        )
    return logins


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: load the demo data and print the logins."""
    parser = argparse.ArgumentParser(prog="python -m identity.demo", description=__doc__)
    parser.add_argument("--database-url", default=None, help="Default: IDENTITY_DATABASE_URL")
    args = parser.parse_args(argv)
    settings = Settings()
    logins = asyncio.run(load_demo(args.database_url or settings.resolved_database_url(), settings=settings))
    sys.stdout.write("Demo logins (synthetic data; POST /v1/auth/login):\n")
    sys.stdout.write(f"{'username':<20} {'password':<10} {'kind':<6} name  note\n")
    for login in logins:
        sys.stdout.write(f"{login}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
