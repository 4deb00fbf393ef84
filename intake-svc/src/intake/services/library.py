"""两个免于提交: a material the electronic licence library (licence-svc) holds for the applicant is
fetched and verified, not handed in.

The catalogue names the licence that stands for a material (`licence_type_code`). When the
applicant's valid licence of that type is in the library the case records it as the material —
provided_as `e_licence`, with the licence's number, type, state and validity as fetched — and it is
not asked for; an applicant's own e-licence claim counts when the library confirms that number. A
material the library does not hold is asked for as the catalogue says (or, when the catalogue
makes it 免提交, the window checks the original).

Online the applicant's own token reads their licences (the holder presents them); at the window the
clerk fetches them for the case (`POST /v1/case-fetches` at licence-svc, which asks intake whether
the case is theirs to serve and records the use).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.validators import mask_resident_id

from .auto_approval import rules_of
from .catalogue import find_published_item


class Handed(Protocol):
    """A material as the applicant gave it (a submission's, or the case's as it stands)."""

    @property
    def name(self) -> str: ...
    @property
    def provided_as(self) -> str: ...
    @property
    def licence_no(self) -> str | None: ...


@dataclass(frozen=True)
class HeldLicence:
    """The applicant's licence that stands for one material, as the library answered."""

    material: str
    type_code: str
    number: str
    status: str
    valid_until: date | None


@dataclass(frozen=True)
class LicenceUses:
    """What the item in force reads from the library: materials a licence stands for, 秒批 rules."""

    materials: bool
    rules: bool


async def uses_licences(session: AsyncSession, item_code: str) -> LicenceUses:
    """Does the item in force take materials from the library, or carry 秒批 rules (no statement
    once the catalogue is warm)?"""
    entry = await find_published_item(session, item_code)
    if entry is None:
        return LicenceUses(materials=False, rules=False)
    return LicenceUses(materials=bool(licence_types(entry.materials)), rules=rules_of(entry) is not None)


#: A resident ID: 17 digits and a check character. An ID card's licence number is one.
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")


def shown_number(number: str | None) -> str | None:
    """A licence number as a case shows it: a resident ID (the ID card's number) masked, as every
    personal number is outside identity-svc (110105********0261); other numbers as they are."""
    if number is None:
        return None
    return mask_resident_id(number) if _RESIDENT_ID.match(number.strip().upper()) else number


def library_materials(
    materials: Sequence[Mapping[str, Any]], conditions: Sequence[str]
) -> list[Mapping[str, Any]]:
    """The version's materials a licence can stand for that concern this applicant: required ones
    (exempt or not) and conditional ones whose condition they declared."""
    applying = set(conditions)
    return [
        m
        for m in materials
        if m.get("licence_type_code")
        and (m.get("requirement", "required") == "required" or m.get("name") in applying)
    ]


def licence_types(materials: Sequence[Mapping[str, Any]]) -> set[str]:
    """The licence types any of the version's materials can be fetched as."""
    return {str(m["licence_type_code"]) for m in materials if m.get("licence_type_code")}


def match(
    materials: Sequence[Mapping[str, Any]],
    conditions: Sequence[str],
    handed_in: Sequence[Handed],
    licences: Sequence[Mapping[str, Any]],
) -> dict[str, HeldLicence]:
    """Material name → the applicant's licence standing for it: for each library material not handed
    in on paper or uploaded, the claimed licence (by number) or else the one valid longest."""
    given = {m.name: m for m in handed_in}
    out: dict[str, HeldLicence] = {}
    for material in library_materials(materials, conditions):
        name, type_code = str(material["name"]), str(material["licence_type_code"])
        got = given.get(name)
        if got is not None and got.provided_as in ("paper", "upload"):
            continue  # brought anyway: what was brought is what the case has
        candidates = [
            lic for lic in licences if lic.get("type_code") == type_code and lic.get("status") == "valid"
        ]
        if got is not None and got.provided_as == "e_licence" and got.licence_no:
            candidates = [lic for lic in candidates if lic.get("number") == got.licence_no]
        if not candidates:
            continue
        chosen = max(candidates, key=_validity)
        out[name] = HeldLicence(
            material=name,
            type_code=type_code,
            number=str(chosen["number"]),
            status=str(chosen["status"]),
            valid_until=_date(chosen.get("valid_until")),
        )
    return out


def still_wanted(
    materials: Sequence[Mapping[str, Any]], conditions: Sequence[str], handed_in: Sequence[Handed]
) -> list[tuple[str, str]]:
    """(material, licence type) of the library materials the case does not have yet: neither brought
    on paper or uploaded nor already confirmed by the library (an unconfirmed claim is wanted)."""
    given = {m.name: m for m in handed_in}
    out = []
    for material in library_materials(materials, conditions):
        got = given.get(str(material["name"]))
        if got is not None and (
            got.provided_as in ("paper", "upload") or getattr(got, "licence_verified", False)
        ):
            continue
        out.append((str(material["name"]), str(material["licence_type_code"])))
    return out


def _validity(licence: Mapping[str, Any]) -> date:
    # A licence without end (长期) outlasts any dated one.
    return _date(licence.get("valid_until")) or date.max


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
