"""秒批 (automatic approval): an item may carry decision rules over verified data — age from the
resident ID identity-svc confirms to the applicant, household registration in the district (the
户口簿 in the licence library), a valid licence. When every rule holds the case is approved on
submission with a decision naming the rules' version; otherwise a person decides, and the trace
says which rule did not hold.

The data are verified, never typed: the resident ID comes from the applicant's own identity
account, the licences from the library with the applicant's own token. Only an online application
by the applicant themselves carries them (a clerk's token reads neither), so only it is decided by
the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.calendar import local_date

from ..models.applications import Application
from . import acceptance, trace
from .access import SYSTEM_ACTOR
from .cases import current_problems, version_of
from .catalogue import CatalogueEntry

#: The household register's type code in the licence library (居民户口簿).
HOUSEHOLD_REGISTER = "HKB"
#: The resident ID card's (居民身份证): its number is the resident ID, the age rule's data at a window.
ID_CARD = "JMSFZ"


@dataclass(frozen=True)
class VerifiedFacts:
    """What was verified about the applicant for the rules: their resident ID, their valid licences."""

    resident_id: str | None
    licences: list[dict[str, Any]] = field(default_factory=list)


def rules_of(entry: CatalogueEntry) -> tuple[int, list[dict[str, Any]]] | None:
    """(version, rules) of the item's 秒批, or None when it has none."""
    auto = entry.elements.get("auto_approval")
    if not auto or not auto.get("rules"):
        return None
    return int(auto.get("version") or 1), list(auto["rules"])


def licence_types_of(rules: list[dict[str, Any]]) -> set[str]:
    """The licence types the rules are checked on, as fetched for a case at a window: the ID card
    (age), the household register (residence), the licences the rules ask for."""
    types: set[str] = set()
    for rule in rules:
        kind = str(rule["kind"])
        if kind == "min_age":
            types.add(ID_CARD)
        elif kind == "resident_of":
            types.add(HOUSEHOLD_REGISTER)
        elif kind == "holds_licence":
            types.add(str(rule["value"]))
    return types


def facts_from_library(licences: list[dict[str, Any]]) -> VerifiedFacts:
    """The verified facts a window's fetch gives: the resident ID is the valid ID card's number."""
    valid = [lic for lic in licences if lic.get("status") == "valid"]
    cards = [str(lic["number"]) for lic in valid if lic.get("type_code") == ID_CARD]
    return VerifiedFacts(cards[0] if cards else None, valid)


def birth_date(resident_id: str | None) -> date | None:
    """The birth date in an 18-digit resident ID (digits 7–14), or None."""
    if not resident_id or len(resident_id) != 18 or not resident_id[6:14].isdigit():
        return None
    try:
        return date(int(resident_id[6:10]), int(resident_id[10:12]), int(resident_id[12:14]))
    except ValueError:
        return None


def age_on(born: date, day: date) -> int:
    """Full years (周岁) on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check(rule: dict[str, Any], facts: VerifiedFacts, today: date) -> dict[str, Any]:
    """One rule checked: {kind, value, held, text} (the text says, in Chinese, what was found)."""
    kind, value = str(rule["kind"]), str(rule["value"])
    held, text = False, ""
    if kind == "min_age":
        born = birth_date(facts.resident_id)
        if born is None:
            text = "无法从居民身份证号码核验年龄"
        else:
            age = age_on(born, today)
            held, text = age >= int(value), f"年满{value}周岁（核验年龄{age}周岁）"
    elif kind == "resident_of":
        registers = [lic for lic in facts.licences if lic.get("type_code") == HOUSEHOLD_REGISTER]
        held = any(str(lic.get("number", "")).startswith(value) for lic in registers)
        text = f"户籍在区划{value}（居民户口簿{'核验一致' if held else '未核验到'}）"
    elif kind == "holds_licence":
        found = [lic for lic in facts.licences if lic.get("type_code") == value]
        held = bool(found)
        text = f"持有有效证照{value}" + (f"（{found[0].get('number')}）" if found else "（未核验到）")
    return {"kind": kind, "value": value, "held": held, "text": text}


def evaluate(
    entry: CatalogueEntry, facts: VerifiedFacts, today: date
) -> tuple[int, list[dict[str, Any]]] | None:
    """(version, every rule checked) for an item with 秒批 rules, else None."""
    rules = rules_of(entry)
    if rules is None:
        return None
    version, listed = rules
    return version, [check(rule, facts, today) for rule in listed]


async def decide(
    session: AsyncSession, application: Application, facts: VerifiedFacts, *, now: datetime
) -> bool:
    """Check the item's rules on a case just received complete: all held → approved now (True);
    otherwise the trace records what did not hold and a person decides (False)."""
    entry = await version_of(session, application)
    checked = evaluate(entry, facts, local_date(now))
    if checked is None or application.status != "submitted":
        return False
    if await current_problems(session, application):
        return False  # materials missing: the one-time notice comes first, from a person
    version, results = checked
    trace.append(
        session,
        application,
        action="auto_checked",
        actor=SYSTEM_ACTOR,
        at=now,
        data={"version": version, "rules": results},
    )
    if not all(r["held"] for r in results):
        return False
    await acceptance.decide_by_rules(session, application, version, results, now=now)
    return True
