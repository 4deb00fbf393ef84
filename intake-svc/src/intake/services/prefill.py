"""表单预填 (prefill): an item's application form filled in for the signed-in applicant from what is
verified about them — their identity account (name, resident ID, mobile; for an enterprise the
token acts for, its USCC and name) and their valid licences in the licence library (address from
the 户口簿 or the ID card, an enterprise's from its 营业执照) — with where each value came from;
which of the item's materials the library holds for them (两个免于提交, matched on the catalogue
material's `licence_type_code`); and the files they may hand in again (材料复用).

The form's applicant fields and their keys are those of catalog-svc's merged form (一表制), so
one front end fills both. Only the caller's own data: staff are refused (they find the person at
the window), and nothing here takes someone else's id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yiwang_shared.auth import Principal

from .. import errors

#: The applicant fields of a form by who applies (catalog-svc's APPLICANT_FIELDS, 一表制).
PERSON_FIELDS = (
    ("applicant_name", "申请人姓名"),
    ("applicant_id_number", "身份证件号码"),
    ("applicant_phone", "联系电话"),
    ("applicant_address", "联系地址"),
)
ORGANISATION_FIELDS = (
    ("org_name", "单位名称"),
    ("org_uscc", "统一社会信用代码"),
    ("legal_representative", "法定代表人"),
    ("contact_name", "经办人姓名"),
    ("contact_phone", "经办人联系电话"),
    ("org_address", "住所（经营场所）"),
)

#: Licences a value may be read from, in order of preference: (type code, key in its data).
_ADDRESS = (("HKB", "住址"), ("JMSFZ", "住址"))  # 居民户口簿, 居民身份证
_BUSINESS_LICENCE = "YYZZ"  # 营业执照


@dataclass(frozen=True)
class Source:
    """Where a value came from: the identity account, or a licence (type, number, name)."""

    kind: str
    licence_type_code: str | None = None
    licence_no: str | None = None
    licence_name: str | None = None


@dataclass(frozen=True)
class HeldMaterial:
    """A material of the item the library holds for the applicant."""

    material: str
    licence_type_code: str
    licence_no: str
    valid_until: date | None


@dataclass
class Prefill:
    """The form's fields, the values found with their sources, and the library's materials."""

    fields: tuple[tuple[str, str], ...]
    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    held: list[HeldMaterial] = field(default_factory=list)

    def put(self, key: str, value: Any, source: Source) -> None:
        """Set a field from a source unless it has a value already or `value` is empty."""
        text = str(value).strip() if value is not None else ""
        if text and key not in self.values:
            self.values[key] = text
            self.sources[key] = source


PROFILE = Source("profile")


def applicant_only(actor: Principal) -> None:
    """403 for staff: a form is prefilled only with the caller's own data."""
    if actor.is_staff:
        raise errors.ApplicantNotSelf(
            "表单预填仅使用登录账号本人的身份信息和电子证照。工作人员为群众办理，请在窗口收件时查找申请人。",
            en="Prefill uses the signed-in applicant's own data only; staff find the person at the window.",
        )


def _valid(licences: Sequence[Mapping[str, Any]] | None) -> list[Mapping[str, Any]]:
    return [lic for lic in licences or [] if lic.get("status", "valid") == "valid"]


def _licence_source(licence: Mapping[str, Any]) -> Source:
    return Source(
        "licence",
        licence_type_code=str(licence.get("type_code")),
        licence_no=str(licence.get("number")),
        licence_name=str(licence["type_name"]) if licence.get("type_name") else None,
    )


def _first(licences: Sequence[Mapping[str, Any]], type_code: str) -> Mapping[str, Any] | None:
    return next((lic for lic in licences if lic.get("type_code") == type_code), None)


def _person(form: Prefill, account: Mapping[str, Any], licences: Sequence[Mapping[str, Any]]) -> None:
    form.put("applicant_name", account.get("name"), PROFILE)
    form.put("applicant_id_number", account.get("resident_id") or account.get("passport_number"), PROFILE)
    form.put("applicant_phone", account.get("phone"), PROFILE)
    for type_code, key in _ADDRESS:
        licence = _first(licences, type_code)
        if licence is not None:
            form.put("applicant_address", (licence.get("data") or {}).get(key), _licence_source(licence))


def _organisation(
    form: Prefill, account: Mapping[str, Any], uscc: str, licences: Sequence[Mapping[str, Any]]
) -> None:
    form.put("org_uscc", uscc, PROFILE)
    form.put("contact_name", account.get("name"), PROFILE)
    form.put("contact_phone", account.get("phone"), PROFILE)
    licence = next(
        (lic for lic in licences if lic.get("type_code") == _BUSINESS_LICENCE and lic.get("number") == uscc),
        _first(licences, _BUSINESS_LICENCE),
    )
    if licence is not None:
        data, source = licence.get("data") or {}, _licence_source(licence)
        form.put("org_name", data.get("名称") or licence.get("holder_name"), source)
        form.put("legal_representative", data.get("法定代表人"), source)
        form.put("org_address", data.get("住所") or data.get("经营场所"), source)


def held_materials(
    materials: Sequence[Mapping[str, Any]], licences: Sequence[Mapping[str, Any]]
) -> list[HeldMaterial]:
    """The item's materials a valid licence of the caller's stands for (by the catalogue material's
    `licence_type_code`; the one valid longest when they hold several)."""
    out = []
    for material in materials:
        type_code = material.get("licence_type_code")
        found = [lic for lic in _valid(licences) if type_code and lic.get("type_code") == type_code]
        if not found:
            continue
        chosen = max(found, key=lambda lic: _day(lic.get("valid_until")) or date.max)
        out.append(
            HeldMaterial(
                str(material["name"]), str(type_code), str(chosen["number"]), _day(chosen.get("valid_until"))
            )
        )
    return out


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def prefill(
    actor: Principal,
    account: Mapping[str, Any],
    licences: Sequence[Mapping[str, Any]] | None,
    materials: Sequence[Mapping[str, Any]],
) -> Prefill:
    """The form for `actor` (a person, or an agent acting for an enterprise) from their identity
    `account` and valid `licences` (None: the library could not be asked)."""
    valid = _valid(licences)
    if actor.acting_for is not None:
        form = Prefill(ORGANISATION_FIELDS)
        _organisation(form, account, actor.acting_for.uscc, valid)
    else:
        form = Prefill(PERSON_FIELDS)
        _person(form, account, valid)
    form.held = held_materials(materials, valid)
    return form
