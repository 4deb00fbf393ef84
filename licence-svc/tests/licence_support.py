"""Test helpers: payloads shaped like the publishers' committed schemas (intake, catalog, identity),
delivery through the service's real consumer runner, and tokens for the usual people."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from licence.models import HolderBinding
from yiwang_shared.events import make_event
from yiwang_shared.testing.tokens import TestTokens
from yiwang_shared.validators import resident_id_check_char

MZJ = "110105-MZJ"  # 区民政局
SCJ = "110105-SCJGJ"  # 区市场监管局
ITEM = "11110105MZJ-DIBAO"
#: When the events happened: now (the clock suites move it), so licences issued from them are valid today.
NOW = datetime.now(UTC).replace(microsecond=0)


def jwk_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 thumbprint of an RSA key: the kid identity-svc gives the key it signs with."""

    def b64(n: int) -> str:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    numbers = public_key.public_numbers()
    canonical = json.dumps({"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


async def deliver(app: FastAPI, subject: str, data: dict[str, Any], *, event_id: str | None = None) -> str:
    """Hand one event to the service's consumer runner (its real transaction and dedup path)."""
    type_, version = subject.rsplit(".v", 1)
    env = make_event(type_, int(version), data, producer=subject.split(".")[0])
    if event_id:
        env = env.model_copy(update={"event_id": event_id})
    runner = app.state.consumers
    consumer = next(c for c in runner.consumers if c.subject == subject)
    return str(await runner.handle_envelope(consumer, env))


def item_published(
    *, code: str = ITEM, licence_type: str | None = "ZDSHBZJLQZ", unit: str = MZJ, version: int = 1
) -> dict[str, Any]:
    """catalog.item.published.v1's data (the parts licence reads, plus some it ignores)."""
    result: dict[str, Any] = {"name": "最低生活保障金领取证"}
    if licence_type:
        result["licence_type_code"] = licence_type
    return {
        "item_id": str(uuid.uuid4()),
        "item_code": code,
        "basic_code": "BASIC-1",
        "version_no": version,
        "published_at": NOW.isoformat(),
        "level": 4,
        "owner_unit": {"id": None, "code": unit, "name": "区民政局", "uscc": None},
        "quality_score": 90,
        "elements": {"name": "城乡最低生活保障对象认定", "item_type": "05", "result": result},
    }


def user_registered(account_id: str, name: str = "张伟") -> dict[str, Any]:
    """identity.user.registered.v1's data for a person."""
    return {
        "account_id": account_id,
        "kind": "person",
        "name": name,
        "loa": 3,
        "resident_id_masked": "110105********031X",
        "passport_number_masked": None,
        "nationality": None,
        "phone_masked": "138****0001",
        "username": None,
        "org_unit_id": None,
        "roles": [],
        "registered_at": NOW.isoformat(),
    }


def completed(
    applicant: str | None = "citizen-1",
    *,
    item: str = ITEM,
    decision: str = "approved",
    kind: str = "person",
    application_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """intake.application.completed.v1's data."""
    application_id = application_id or str(uuid.uuid4())
    return {
        "application_id": application_id,
        "application_no": "SQ2026" + application_id[:8],
        "item_code": item,
        "item_name": "城乡最低生活保障对象认定",
        "version_no": 1,
        "owner_unit_code": MZJ,
        "intake_unit_code": "110105-ZWFW-W01",
        "accepting_unit_code": "110105-ZWFW-W01",
        "entrusted": False,
        "channel": "window",
        "online": False,
        "applicant_kind": kind,
        "applicant_subject": applicant,
        "staff_id": "approver-1",
        "handling_type": "2",
        "legal_limit_days": 30,
        "promised_limit_days": 15,
        "limit_unit": "working_day",
        "visits": 1,
        "received_at": NOW.isoformat(),
        "accepted_at": NOW.isoformat(),
        "due_on": (NOW + timedelta(days=20)).date().isoformat(),
        "completed_at": NOW.isoformat(),
        "decision": decision,
        "result_name": "最低生活保障金领取证",
        "working_days_used": 3,
        "on_time": True,
        **extra,
    }


def citizen(tokens: TestTokens, subject: str, **kw: Any) -> dict[str, str]:
    """A citizen's Authorization header."""
    return tokens.headers(subject=subject, kind="person", **kw)


def staff(tokens: TestTokens, unit: str, *roles: str, subject: str | None = None) -> dict[str, str]:
    """A staff member's Authorization header."""
    return tokens.headers(subject=subject or f"staff-{unit}", kind="staff", roles=list(roles), org_unit=unit)


async def bound(app: FastAPI, *subjects: str) -> None:
    """Record each person's resident ID as identity-svc would confirm it to them (a random one), so
    listing their licences needs no identity-svc."""
    async with app.state.db.transaction() as s:
        for subject in subjects:
            if await s.get(HolderBinding, subject) is None:
                body = "110105198503" + f"{uuid.uuid4().int % 10**5:05d}"
                s.add(
                    HolderBinding(
                        account_id=subject, identifier=body + resident_id_check_char(body), name="张伟"
                    )
                )


async def issued(app: FastAPI, applicant: str = "citizen-1", **kw: Any) -> dict[str, Any]:
    """Publish the item and person, complete an application: the event's data (the applicant bound)."""
    await bound(app, applicant)
    await deliver(app, "catalog.item.published.v1", item_published())
    await deliver(app, "identity.user.registered.v1", user_registered(applicant))
    data = completed(applicant, **kw)
    await deliver(app, "intake.application.completed.v1", data)
    return data
