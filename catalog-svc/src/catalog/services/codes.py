"""Catalogue codes: one documented rule, unique, never reused (事项编码规则).

* **Basic code** (基本编码), 14 characters::

      TT RRRRRR NNNNNN
      │  │      └ 6-digit sequence per (type, region), from `code_counters`
      │  └ region: the first 6 characters of the creating unit's code when they are digits
      │    (行政区划代码, e.g. 110105), else ``000000``
      └ item type (事项类型) 01–10 or 20

  e.g. ``01110105000001``.

* **Implementation code** (实施编码), at most 44 characters::

      <basic code>-<UNIT>-NN
                   │      └ sequence (2 digits, more if ever needed) per (basic code, unit)
                   └ the implementing unit's code, upper-cased, only 0-9 and A-Z, at most 24

  e.g. ``01110105000001-110105001-01``.

Sequences come from the `code_counters` table (`CodeCounterRepository`): two concurrent writers
never get the same value and a value handed out once is never handed out again, even if its
transaction later rolls back (a gap is fine; a reuse is not). Codes are opaque strings:
consumers must not parse them.
"""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncSession

from ..repositories.codes import CodeCounterRepository

MAX_CODE_LENGTH = 50
_NOT_CODE_CHAR = re.compile(r"[^0-9A-Z]")


def region_of(unit_code: str) -> str:
    """The 6-digit region (行政区划代码) embedded in a unit code, else ``000000``."""
    head = unit_code.strip()[:6]
    return head if len(head) == 6 and head.isdigit() else "000000"


def unit_part(unit_code: str) -> str:
    """The unit code as it appears inside an implementation code."""
    cleaned = _NOT_CODE_CHAR.sub("", unit_code.upper())[-24:]
    return cleaned or "X"


async def next_value(session: AsyncSession, prefix: str) -> int:
    """Hand out the next sequence value for `prefix` (1, 2, 3 …), atomically, never twice."""
    return await CodeCounterRepository(session).next_value(prefix)


async def new_basic_code(session: AsyncSession, *, item_type: str, unit_code: str) -> str:
    """A new basic code for an item of `item_type` first created by unit `unit_code`."""
    prefix = item_type + region_of(unit_code)
    seq = await next_value(session, "B" + prefix)
    return f"{prefix}{seq:06d}"


async def new_item_code(session: AsyncSession, *, basic_code: str, unit_code: str) -> str:
    """A new implementation code for `basic_code` implemented by unit `unit_code`."""
    prefix = f"{basic_code}-{unit_part(unit_code)}-"
    seq = await next_value(session, "I" + prefix)
    code = f"{prefix}{seq:02d}"
    assert len(code) <= MAX_CODE_LENGTH
    return code
