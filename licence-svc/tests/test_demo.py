"""The demo data: loaded twice, one set; the holders are identity's demo people and enterprise."""

from __future__ import annotations

from sqlalchemy import select

from licence.demo import ENTERPRISE, LI_NA, WANG_FANG, ZHANG_WEI, demo_licences, load
from licence.models import Licence
from yiwang_shared.db import Database
from yiwang_shared.validators import is_valid_resident_id, is_valid_uscc


async def test_demo_loads_once_with_valid_identifiers(database_url: str) -> None:
    assert (await load(database_url))[1] == len(demo_licences())
    assert await load(database_url) == (0, 0)
    # The identifiers identity-svc's demo registers (110105 张伟 1985-03-12 …, the enterprise's USCC).
    assert ZHANG_WEI[1].startswith("11010519850312031") and LI_NA[1].startswith("11010519900718042")
    assert all(is_valid_resident_id(p[1]) for p in (ZHANG_WEI, LI_NA, WANG_FANG))
    assert is_valid_uscc(ENTERPRISE[1])
    db = Database(database_url)
    try:
        async with db.transaction(write=False) as s:
            rows = (await s.execute(select(Licence.type_code, Licence.holder_name))).all()
    finally:
        await db.dispose()
    kinds = {t for t, _ in rows}
    assert kinds == {"JMSFZ", "HKB", "JHZ", "YYZZ", "BJTYLZCK"}
