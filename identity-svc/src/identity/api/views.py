"""Shaping domain objects into API responses (masking personal numbers by default)."""

from __future__ import annotations

from datetime import datetime

from yiwang_shared.auth import Principal

from ..models import Account, Enterprise, Grant, OrgUnit, Person, PersonLookup, Staff
from ..schemas.accounts import AccountRead, PersonRead, StaffRead
from ..schemas.common import PersonSummaryRead
from ..schemas.enterprises import EnterpriseRead
from ..schemas.grants import GrantRead
from ..schemas.lookups import (
    PersonContactRead,
    PersonLookupRead,
    PersonLookupRecordRead,
    StaffSummaryRead,
)
from ..schemas.org_units import OrgUnitNodeRead, OrgUnitRead
from ..services.grants import effective_status, is_current
from ..services.org_units import OrgTreeNode
from ..services.privacy import mask_mobile, mask_name, mask_passport, mask_resident_id


def person_view(person: Person, *, unmask: bool = False) -> PersonRead:
    """A person; resident ID, passport and phone masked unless `unmask`."""
    rid, passport, phone = person.resident_id, person.passport_number, person.phone
    if not unmask:
        rid = mask_resident_id(rid) if rid else None
        passport = mask_passport(passport) if passport else None
        phone = mask_mobile(phone)
    return PersonRead(
        id=person.id,
        name=person.name,
        id_type="resident_id" if person.resident_id else "passport",
        resident_id=rid,
        passport_number=passport,
        nationality=person.nationality,
        phone=phone,
        loa=person.loa,  # type: ignore[arg-type]
        status=person.status,  # type: ignore[arg-type]
        has_login=person.has_login,
        registration_channel=person.registration_channel,  # type: ignore[arg-type]
        masked=not unmask,
        created_at=person.created_at,
    )


def person_lookup_view(person: Person) -> PersonLookupRead:
    """A person as a lookup answers: the id, the name and masked numbers."""
    return PersonLookupRead(
        id=person.id,
        name=person.name,
        resident_id=mask_resident_id(person.resident_id) if person.resident_id else None,
        phone=mask_mobile(person.phone),
        has_login=person.has_login,
    )


def person_contact_view(person: Person) -> PersonContactRead:
    """A person's mobile in clear (the caller's read is recorded)."""
    return PersonContactRead(id=person.id, name=person.name, phone=person.phone)


def lookup_record_view(record: PersonLookup) -> PersonLookupRecordRead:
    """One recorded lookup, for supervisors."""
    person = record.person
    return PersonLookupRecordRead(
        id=record.id,
        staff=StaffSummaryRead(id=record.staff.id, username=record.staff.username, name=record.staff.name),
        org_unit_id=record.org_unit_id,
        purpose=record.purpose,  # type: ignore[arg-type]
        key_type=record.key_type,  # type: ignore[arg-type]
        key_masked=record.key_masked,
        reason=record.reason,
        found=record.found,
        person=PersonSummaryRead(id=person.id, name=person.name) if person else None,
        looked_up_at=record.looked_up_at,
    )


def staff_view(staff: Staff) -> StaffRead:
    """A staff account with its unit."""
    return StaffRead(
        id=staff.id,
        username=staff.username,
        name=staff.name,
        org_unit=OrgUnitRead.model_validate(staff.org_unit),
        roles=staff.roles,  # type: ignore[arg-type]
        loa=staff.loa,  # type: ignore[arg-type]
        status=staff.status,  # type: ignore[arg-type]
        created_at=staff.created_at,
    )


def account_view(account: Account, *, unmask: bool = False) -> AccountRead:
    """A person (numbers masked unless `unmask`) or a staff account."""
    if isinstance(account, Person):
        return AccountRead(person_view(account, unmask=unmask))
    assert isinstance(account, Staff)
    return AccountRead(staff_view(account))


def grant_view(grant: Grant, now: datetime, viewer: Principal) -> GrantRead:
    """A grant with its state at `now`; the grantee's name in full only for the grantee and staff
    (a grantor learns no name from a resident ID or an account id)."""
    name = grant.grantee.name
    if not (viewer.is_staff or viewer.subject == grant.grantee_id):
        name = mask_name(name)
    return GrantRead(
        id=grant.id,
        enterprise_id=grant.enterprise_id,
        grantor_id=grant.grantor_id,
        parent_grant_id=grant.parent_grant_id,
        grantee=PersonSummaryRead(id=grant.grantee.id, name=name),
        scope=list(grant.scope),
        valid_from=grant.valid_from,
        valid_until=grant.valid_until,
        may_delegate=grant.may_delegate,
        status=effective_status(grant, now),  # type: ignore[arg-type]
        current=is_current(grant, now),
        created_at=grant.created_at,
        confirmed_at=grant.confirmed_at,
        revoked_at=grant.revoked_at,
        revoke_reason=grant.revoke_reason,
    )


def enterprise_view(enterprise: Enterprise, relation: str) -> EnterpriseRead:
    """An enterprise, its verification state and the caller's relation to it (an agent is not
    told the reviewer's note)."""
    return EnterpriseRead(
        id=enterprise.id,
        name=enterprise.name,
        uscc=enterprise.uscc,
        legal_representative=PersonSummaryRead(id=enterprise.legal_rep.id, name=enterprise.legal_rep.name),
        loa=enterprise.loa,  # type: ignore[arg-type]
        status=enterprise.status,  # type: ignore[arg-type]
        reviewed_at=enterprise.reviewed_at,
        review_note=enterprise.review_note if relation != "agent" else None,
        relation=relation,  # type: ignore[arg-type]
        created_at=enterprise.created_at,
    )


def org_unit_view(unit: OrgUnit) -> OrgUnitRead:
    """An organisation unit."""
    return OrgUnitRead.model_validate(unit)


def org_tree_view(node: OrgTreeNode) -> OrgUnitNodeRead:
    """A subtree of organisation units."""
    return OrgUnitNodeRead(
        **OrgUnitRead.model_validate(node.unit).model_dump(),
        children=[org_tree_view(c) for c in node.children],
    )
