"""`python -m licence.demo --database-url URL`: migrate, load the licence-type catalogue and the demo
residents' and enterprise's licences (idempotent: what exists is kept).

The holders are identity-svc's demo people and enterprise, named the way identity's demo makes
them (the same resident IDs and USCC, computed by the same rule): 张伟, 李娜 and 王芳 of 朝阳区,
and 北京朝阳示例科技有限公司 (legal representative 张伟). Their licences carry the resident ID or USCC;
a citizen who signs in finds them through it (identity-svc confirms the number to its owner).
Synthetic data. Prints one summary line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date
from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate
from yiwang_shared.orm import utcnow
from yiwang_shared.validators import resident_id_check_char, uscc_check_char

from .config import SERVICE_DIR, Settings
from .repositories.licences import find_by_number
from .repositories.types import find_type
from .schemas import LicenceTypeCreate
from .services.licences import Issue, issue
from .services.signing import KeyRing
from .services.types import create_type

DISTRICT = "110105"
UNITS = {
    "GAFJ": "北京市公安局朝阳分局",
    "MZJ": "北京市朝阳区民政局",
    "SCJGJ": "北京市朝阳区市场监督管理局",
    "GHZRZY": "北京市规划和自然资源委员会朝阳分局",
    "WJW": "北京市朝阳区卫生健康委员会",
}

#: (code, name, holder kind, issuing unit suffix, validity years)
TYPES: list[tuple[str, str, str, str, int | None]] = [
    ("JMSFZ", "居民身份证", "person", "GAFJ", None),
    ("HKB", "居民户口簿", "person", "GAFJ", None),
    ("JHZ", "结婚证", "person", "MZJ", None),
    ("YYZZ", "营业执照", "enterprise", "SCJGJ", None),
    ("BJTYLZCK", "北京通养老助残卡", "person", "MZJ", None),
    # The results of the demo catalogue's items that are licences (catalog's demo names these codes).
    ("SPJYXKZ", "食品经营许可证", "enterprise", "SCJGJ", 5),
    ("JSGCGHXKZ", "建设工程规划许可证", "enterprise", "GHZRZY", None),
    ("BJSJZZ", "北京市居住证", "person", "GAFJ", 1),
    ("ZDSHBZJLQZ", "最低生活保障金领取证", "person", "MZJ", 1),
    ("TKRYJZGYZ", "特困人员救助供养证", "person", "MZJ", 1),
    ("DSZNFMGRZ", "独生子女父母光荣证", "person", "WJW", None),
    # Issued to the applicant who registered the 社会团体 (its legal representative): the library
    # has no holder kind for social organisations yet.
    ("STTFRDJZS", "社会团体法人登记证书", "person", "MZJ", 5),
]


def resident_id(birth: str, sequence: str) -> str:
    """The demo resident ID identity's demo gives (district, birth date, sequence, check)."""
    body = DISTRICT + birth + sequence
    return body + resident_id_check_char(body)


def _org_code_check(body8: str) -> str:
    # GB 11714 organisation code check character (as identity's demo computes it).
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def enterprise_uscc(org_code8: str) -> str:
    """The demo enterprise's USCC as identity's demo makes it."""
    body = "91" + DISTRICT + org_code8 + _org_code_check(org_code8)
    return body + uscc_check_char(body)


ZHANG_WEI = ("张伟", resident_id("19850312", "031"))
LI_NA = ("李娜", resident_id("19900718", "042"))
WANG_FANG = ("王芳", resident_id("19780925", "026"))
ZHAO_XIULAN = ("赵秀兰", resident_id("19450110", "048"))
ENTERPRISE = ("北京朝阳示例科技有限公司", enterprise_uscc("MA01C7Q8"))


def _id_card(person: tuple[str, str], sex: str, address: str, since: date) -> dict[str, Any]:
    name, rid = person
    born = f"{rid[6:10]}年{int(rid[10:12])}月{int(rid[12:14])}日"
    return {
        "type": "JMSFZ",
        "number": rid,
        "holder": person,
        "from": since,
        "until": since.replace(year=since.year + 20),
        "data": {"姓名": name, "性别": sex, "民族": "汉", "出生": born, "住址": address, "公民身份号码": rid},
    }


def _elderly_resident() -> list[dict[str, Any]]:
    """赵秀兰 (81): ID card, household register in the district, 北京通养老助残卡 — what 高龄老年人津贴's
    秒批 rules check (intake-svc, issue 20 §5)."""
    return [
        _id_card(ZHAO_XIULAN, "女", "北京市朝阳区朝外街道吉祥里3号楼1单元102", date(2015, 6, 1)),
        {
            "type": "HKB",
            "number": "110105001-0020417",
            "holder": ZHAO_XIULAN,
            "from": date(1988, 4, 2),
            "data": {
                "户别": "家庭户",
                "户主姓名": "赵秀兰",
                "住址": "北京市朝阳区朝外街道吉祥里3号楼1单元102",
                "户内成员": "赵秀兰（户主）",
            },
        },
        {
            "type": "BJTYLZCK",
            "number": "BJT11010520100118",
            "holder": ZHAO_XIULAN,
            "from": date(2010, 1, 18),
            "data": {
                "姓名": "赵秀兰",
                "持卡类别": "老年人（65周岁以上）",
                "卡号": "BJT11010520100118",
                "社会保障功能": "已开通",
            },
        },
    ]


def _years_before(day: date, years: int) -> date:
    """The day `years` before `day` (29 February going to 28 February), as identity's demo counts."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def _turning_80() -> list[dict[str, Any]]:
    """孙桂英, identity's demo resident who turns 80 the day the demo is first loaded (免申即享): her
    户口簿 in the district and 北京通养老助残卡, so confirming the 高龄老年人津贴 offer is decided by its
    秒批 rules. Her resident ID is the one identity's demo gives her that day; the numbers are fixed,
    so a later load (another day) keeps what the first made."""
    holder = ("孙桂英", resident_id(_years_before(local_date(utcnow()), 80).strftime("%Y%m%d"), "066"))
    address = "北京市朝阳区朝外街道吉祥里5号楼2单元201"
    return [
        {
            "type": "HKB",
            "number": "110105001-0030566",
            "holder": holder,
            "from": date(1992, 6, 15),
            "data": {"户别": "家庭户", "户主姓名": "孙桂英", "住址": address, "户内成员": "孙桂英（户主）"},
        },
        {
            "type": "BJTYLZCK",
            "number": "BJT11010520110566",
            "holder": holder,
            "from": date(2011, 9, 1),
            "data": {
                "姓名": "孙桂英",
                "持卡类别": "老年人（65周岁以上）",
                "卡号": "BJT11010520110566",
                "社会保障功能": "已开通",
            },
        },
    ]


def demo_licences() -> list[dict[str, Any]]:
    """The demo library: ID cards, household registers, marriage certificates, a business licence,
    a 北京通养老助残卡."""
    return [
        _id_card(ZHANG_WEI, "男", "北京市朝阳区朝外街道吉祥里1号楼2单元301", date(2021, 3, 15)),
        _id_card(LI_NA, "女", "北京市朝阳区朝外街道吉祥里1号楼2单元301", date(2022, 8, 2)),
        _id_card(WANG_FANG, "女", "北京市朝阳区建外街道永安里东社区5号楼101", date(2019, 11, 20)),
        *_elderly_resident(),
        *_turning_80(),
        {
            "type": "HKB",
            "number": "110105001-0012031",
            "holder": ZHANG_WEI,
            "from": date(2016, 5, 10),
            "data": {
                "户别": "家庭户",
                "户主姓名": "张伟",
                "住址": "北京市朝阳区朝外街道吉祥里1号楼2单元301",
                "户内成员": "张伟（户主）、李娜（妻）",
            },
        },
        {
            "type": "HKB",
            "number": "110105002-0004417",
            "holder": WANG_FANG,
            "from": date(2009, 9, 1),
            "data": {
                "户别": "家庭户",
                "户主姓名": "王芳",
                "住址": "北京市朝阳区建外街道永安里东社区5号楼101",
                "户内成员": "王芳（户主）",
            },
        },
        *[
            {
                "type": "JHZ",
                "number": f"J110105-2015-00{n}",
                "holder": person,
                "from": date(2015, 10, 8),
                "data": {
                    "持证人": person[0],
                    "登记日期": "2015年10月8日",
                    "男方": "张伟",
                    "女方": "李娜",
                    "登记机关": "北京市朝阳区民政局婚姻登记处",
                },
            }
            for n, person in ((1231, ZHANG_WEI), (1232, LI_NA))
        ],
        {
            "type": "YYZZ",
            "number": ENTERPRISE[1],
            "holder": ENTERPRISE,
            "from": date(2024, 6, 18),
            "data": {
                "名称": ENTERPRISE[0],
                "统一社会信用代码": ENTERPRISE[1],
                "类型": "有限责任公司（自然人投资或控股）",
                "法定代表人": "张伟",
                "注册资本": "100万元",
                "成立日期": "2024年6月18日",
                "住所": "北京市朝阳区建国路88号9层901",
                "经营范围": "技术开发、技术服务；软件开发。",
            },
        },
        {
            "type": "BJTYLZCK",
            "number": "BJT11010520230456",
            "holder": WANG_FANG,
            "from": date(2023, 4, 12),
            "data": {
                "姓名": "王芳",
                "持卡类别": "残疾人（持《中华人民共和国残疾人证》）",
                "卡号": "BJT11010520230456",
                "社会保障功能": "已开通",
            },
        },
    ]


async def _types(session: AsyncSession) -> int:
    created = 0
    for code, name, kind, unit, years in TYPES:
        if await find_type(session, code) is None:
            body = LicenceTypeCreate(
                code=code,
                name=name,
                holder_kind=kind,  # type: ignore[arg-type]
                issuing_unit_code=f"{DISTRICT}-{unit}",
                issuing_unit_name=UNITS[unit],
                validity_years=years,
            )
            await create_type(session, body)
            created += 1
    return created


async def _licences(session: AsyncSession, keys: KeyRing) -> int:
    created = 0
    for spec in demo_licences():
        licence_type = await find_type(session, spec["type"])
        assert licence_type is not None
        if await find_by_number(session, spec["type"], spec["number"]) is not None:
            continue
        name, identifier = spec["holder"]
        what = Issue(
            licence_type=licence_type,
            holder_kind=licence_type.holder_kind,
            holder_name=name,
            holder_identifier=identifier,
            holder_account_id=None,
            issuing_unit_code=licence_type.issuing_unit_code or DISTRICT,
            issuing_unit_name=licence_type.issuing_unit_name or "北京市朝阳区",
            valid_from=spec["from"],
            valid_until=spec.get("until"),
            number=spec["number"],
            data=spec["data"],
        )
        await issue(session, what, keys=keys, now=utcnow())
        created += 1
    return created


async def load(url: str) -> tuple[int, int]:
    """Migrate and load what is missing: (types created, licences issued)."""
    await migrate(SERVICE_DIR, url)
    db = Database(url)
    try:
        async with db.transaction() as session:
            types = await _types(session)
            licences = await _licences(session, KeyRing(Settings()))
        return types, licences
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description="Load licence-svc's demo data (licence types, demo licences)."
    )
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    types, licences = asyncio.run(load(args.database_url or Settings().resolved_database_url()))
    sys.stdout.write(
        f"licence types: {types} new of {len(TYPES)}; licences: {licences} new of {len(demo_licences())}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
