"""The 25 real community-level items (社区（村）政务服务事项清单) of the district's list (附件1,
shipped as ``catalog/data/community_items.csv``), each complete and publishable (the
guide-quality checker finds nothing to fix).

**What is real**: the item names, their order and guiding departments (the CSV), the community
kinds as the community-station rules define them (受理类 / 代收代办类 / 咨询预审类), the station
rules the process follows (their 附件3: 咨询、接件、告知、送达 at the station; 附件4: 错峰延时 hours), and the
laws cited. Legal-basis text is quoted from the law where its wording is well known; a local
document whose wording is not quoted here is named only in the acceptance conditions.

**What is the district's choice** (say so to citizens, and in the data): which kind each item
has at the stations (the rules tell the district to decide it: "应明确受理类、代收代办类、咨询预审类
事项"), the promised time limits, the opening hours and the exact material lists. They are
marked 演示 where invented, as every other demo value (phones, addresses, form links, USCCs).

**Modelling decisions**:
* The implementation entry belongs to the *guiding department* (区民政局 / 区人力社保局 /
  区卫生健康委, level 4 县级（区级）): the department holds the power and decides; the station
  receives, forwards or pre-reviews (接件 and 审批 are separated). One entry per item keeps "same
  item, same standard" across every station; its place is the demo station's comprehensive window
  (吉祥里社区服务站), its hours the station's.
* The kind says what the station does at 受理: **accept** — the station accepts under the street
  centre's entrustment agreement (委托受理协议) and issues the acceptance notice; **collect_forward**
  — the station collects the materials and hands them to the street centre, which accepts;
  **enquiry_prereview** — the station advises and pre-reviews, the street centre accepts.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Any

from . import community_assistance, community_elderly, community_family

#: The list itself (seq, guiding department, main item, item name), shipped as package data.
COMMUNITY_CSV = "data/community_items.csv"


def community_rows() -> list[tuple[str, str]]:
    """(guiding department, item name) of the 25 community items, in the list's order."""
    text = resources.files("catalog").joinpath(COMMUNITY_CSV).read_text(encoding="utf-8")
    return [(row["guiding_department"], row["item_name"]) for row in csv.DictReader(io.StringIO(text))]


#: The list's item names, in its order (seq 1–25).
COMMUNITY_ORDER: tuple[str, ...] = tuple(name for _, name in community_rows())
COMMUNITY_ITEM_NAMES = frozenset(COMMUNITY_ORDER)


def community_entries() -> list[dict[str, Any]]:
    """The 25 community items as element dicts, in the CSV's order."""
    by_name = {
        e["name"]: e
        for e in (
            *community_assistance.entries(),
            *community_elderly.entries(),
            *community_family.entries(),
        )
    }
    missing = [n for n in COMMUNITY_ORDER if n not in by_name]
    assert not missing, missing  # a programming error: every CSV item has an entry
    return [by_name[n] for n in COMMUNITY_ORDER]
