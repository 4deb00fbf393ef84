"""Demo catalogue content (pure data, no I/O): 北京市朝阳区.

* The 25 real community-level items of the district's list (``catalog/data/community_items.csv``),
  complete and publishable, in `catalog.demo.community` (its docstring gives the modelling decisions).
* About 40 district-level (level 4) and street-level (level 5) items (licensing, registration,
  benefits, public services) with deliberately varied completeness, so the quality report and
  search have something to show.
* Two "one thing" bundles (一件事) by member item name.

The item names, departments and laws are real. Everything else (phones, addresses, windows,
time limits, the exact material lists) is invented or simplified for the demo: every entry has
``demo=True`` and its notes say 演示. Legal-basis article text is quoted only where the law's
wording is well known; other bases name the law only (a finding the quality report shows).
Org units not in identity-svc's demo tree (区市场监管局 …) use identity's
``<district>-<suffix>`` code convention; see ``EXTRA_DEPARTMENTS``.
"""

from __future__ import annotations

from typing import Any

from ..schemas.elements import ItemElements
from .brief import brief_entries
from .community import COMMUNITY_ITEM_NAMES, community_entries
from .district import district_entries, street_entries
from .parts import DEPARTMENTS, DISTRICT, EXTRA_DEPARTMENTS, STREETS, unit_ref

__all__ = [
    "COMMUNITY_ITEM_NAMES",
    "DEPARTMENTS",
    "DISTRICT",
    "EXTRA_DEPARTMENTS",
    "STREETS",
    "demo_bundles",
    "demo_entries",
    "unit_ref",
]


def demo_entries() -> list[ItemElements]:
    """Every demo entry, validated (the 25 community items first, in the CSV's order)."""
    raw = community_entries()
    raw += district_entries()
    raw += street_entries()
    raw += brief_entries()
    return [ItemElements.model_validate(r) for r in raw]


def demo_bundles() -> list[dict[str, Any]]:
    """The "one thing" bundles (一件事): code, name, description, member item names in order and the
    stage each is decided in (the licence to run a business before the food licence, say)."""
    return [
        {
            "code": "YJS-110105-0001",
            "name": "开办餐饮店 一件事",
            "description": "开办餐饮店一次申请、一表填报：个体工商户营业执照、食品经营许可、"
            "单位社保开户一并办理（演示）。",
            "items": ["个体工商户设立登记", "食品经营许可", "职工参保登记"],
            "stages": [1, 2, 2],
        },
        {
            "code": "YJS-110105-0002",
            "name": "新生儿出生 一件事",
            "description": "新生儿出生医学证明、出生登记（报户口）、居民医保参保一次办（演示）。",
            "items": ["出生医学证明办理", "出生登记", "新生儿参加城乡居民基本医疗保险"],
            "stages": [1, 2, 2],
        },
    ]
