"""免申即享: identity's age_reached event makes an offer of each item in force for that age and
district (once, however often it is delivered), the person is texted by the event's contact ticket,
sees and answers their own offer — confirming opens the case as their online application, decided
by the item's 秒批 rules on their verified data — and an unanswered offer lapses. Staff see their
unit's offers; nobody else sees one."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from intake_support import DISTRICT, Clock, Directory, Env, elements, material
from sqlalchemy import func, select
from test_read_models import _handled, _publish_twice, _until

from intake.clients.contact_tickets import ContactUnavailable
from intake.config import Settings
from intake.lifecycles import OFFER
from intake.main import create_app
from intake.models.notifications import NotificationMessage
from intake.models.offers import ProactiveOffer
from intake.services.proactive_worker import ProactiveSettings, expire_lapsed, notify_pending
from yiwang_shared.events import make_event
from yiwang_shared.orm import utcnow
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens
from yiwang_shared.validators import resident_id_check_char

MZJ = f"{DISTRICT}-MZJ"
ALLOWANCE = "MZJ-GL80"
CARD = "北京通—养老助残卡"
FORM = "北京市老年人津贴申请表"


def _allowance(name: str = "高龄老年人津贴", **proactive: Any) -> dict[str, Any]:
    card = {**material(CARD), "licence_type_code": "BJTYLZCK"}
    return elements(
        name,
        MZJ,
        materials=[material(FORM), material("申请人居民身份证", exempt=True), card],
        result={"name": "高龄老年人津贴发放通知"},
        auto_approval={
            "version": 1,
            "rules": [
                {"kind": "min_age", "value": "80"},
                {"kind": "resident_of", "value": DISTRICT},
                {"kind": "holds_licence", "value": "BJTYLZCK"},
            ],
        },
        proactive={"min_age": 80, "resident_of": DISTRICT, **proactive},
    )


class Contacts:
    """A stand-in for identity's contact tickets (the edge of the world here: identity-svc's own
    tests redeem real ones): ticket → mobile."""

    def __init__(self) -> None:
        self.phones: dict[str, str] = {}
        self.down = False
        self.asked: list[str] = []

    async def __call__(self, ticket: str) -> str | None:
        self.asked.append(ticket)
        if self.down:
            raise ContactUnavailable("identity-svc not reachable")
        return self.phones.get(ticket)


@pytest.fixture
async def penv(
    database_url: str,
    nats_server: NatsServer,
    tokens: TestTokens,
    tmp_path: Path,
    directory: Directory,
) -> AsyncIterator[Env]:
    """intake with the clock at the real time, no licence library (what it holds decides a case in
    tests/e2e/test_proactive_e2e.py, with the real licence-svc), no background offer
    worker (the tests run its passes), the 高龄津贴 item and others in the read model."""
    settings = Settings(
        database_url=database_url,
        nats_url=nats_server.url,
        outbox_poll_seconds=0.2,
        supervision_scan_seconds=0,
        storage_dir=str(tmp_path / "files"),
        identity_url=directory.base_url,
        licence_url="",
    )
    app = create_app(settings)
    app.state.clock = Clock(now=utcnow())
    app.state.proactive_settings = ProactiveSettings(offer_scan_seconds=0)
    async with running_app(app, verifier=tokens.verifier()) as c:
        e = Env(app, c, tokens, app.state.clock, directory)
        await e.seed()
        await e.publish_item(ALLOWANCE, _allowance())
        await e.publish_item("MZJ-GL90", _allowance("百岁老人补贴", min_age=90))
        await e.publish_item("MZJ-DC80", _allowance("东城区高龄津贴", resident_of="110101"))
        yield e


def _person(env: Env, name: str, born: date) -> tuple[str, dict[str, str]]:
    """A person registered in identity with a resident ID saying they were born on `born`."""
    body = "110105" + born.strftime("%Y%m%d") + f"{uuid.uuid4().int % 1000:03d}"
    rid = body + resident_id_check_char(body)
    resp = env.directory.http.post(
        "/v1/persons",
        json={
            "name": name,
            "phone": "136" + f"{uuid.uuid4().int % 10**8:08d}",
            "password": "Secret#2026x",
            "resident_id": rid,
        },
    )
    assert resp.status_code == 201, resp.text
    pid = resp.json()["id"]
    return pid, env.tokens.headers(subject=pid, kind="person")


def _age_reached(account_id: str, *, age: int = 80, region: str = DISTRICT, name: str = "孙桂英") -> Any:
    ticket = uuid.uuid4().hex + uuid.uuid4().hex
    return make_event(
        "identity.person.age_reached",
        1,
        {
            "account_id": account_id,
            "name": name,
            "age": age,
            "reached_on": date.today().isoformat(),
            "region_code": region,
            "contact_ticket": ticket,
            "contact_ticket_expires_at": (utcnow() + timedelta(days=7)).isoformat(),
        },
        producer="identity",
    )


async def _offers_of(env: Env, account_id: str) -> list[ProactiveOffer]:
    async with env.db.transaction(write=False) as session:
        rows = await session.execute(select(ProactiveOffer).where(ProactiveOffer.account_id == account_id))
        return list(rows.scalars())


async def _offer(env: Env, account_id: str, nats_url: str) -> ProactiveOffer:
    """Deliver an age_reached event for the person and wait for their offer of 高龄老年人津贴."""
    await _publish_twice(nats_url, "IDENTITY", _age_reached(account_id))

    async def made() -> bool:
        return bool(await _offers_of(env, account_id))

    await _until(made, "the age_reached event never made an offer")
    [offer] = await _offers_of(env, account_id)
    return offer


async def _messages(env: Env, person_id: str) -> list[NotificationMessage]:
    async with env.db.transaction(write=False) as session:
        rows = await session.execute(
            select(NotificationMessage).where(NotificationMessage.person_id == person_id)
        )
        return list(rows.scalars())


async def test_an_age_reached_event_delivered_twice_makes_one_offer_of_the_items_for_that_age_and_district(
    penv: Env, nats_server: NatsServer
) -> None:
    event = _age_reached("acct-" + uuid.uuid4().hex[:8])
    account_id = event.data["account_id"]
    await _publish_twice(nats_server.url, "IDENTITY", event)

    async def made() -> bool:
        return bool(await _offers_of(penv, account_id))

    await _until(made, "the age_reached event never made an offer")
    await asyncio.sleep(0.5)
    assert await _handled(penv, event.event_id) == 1
    [offer] = await _offers_of(penv, account_id)  # not the 90 years' item, not another district's
    assert (offer.item_code, offer.unit_code, offer.status, offer.age) == (ALLOWANCE, MZJ, "offered", 80)
    assert offer.reason == "您已年满80周岁" and offer.person_name == "孙桂英"
    assert re.fullmatch(r"MS\d{4}\d{8}", offer.number)
    assert (offer.expires_at - offer.offered_at).days == 90
    assert offer.contact_ticket == event.data["contact_ticket"] and offer.notified_at is None

    # The same age published again (an administrator ran the day again): no second offer.
    await _publish_twice(nats_server.url, "IDENTITY", _age_reached(account_id))
    await asyncio.sleep(1.0)
    assert len(await _offers_of(penv, account_id)) == 1
    # Ninety, in the district: the other item; eighty elsewhere: nothing.
    await _publish_twice(nats_server.url, "IDENTITY", _age_reached(account_id, age=90))
    other = "acct-" + uuid.uuid4().hex[:8]
    await _publish_twice(nats_server.url, "IDENTITY", _age_reached(other, region="110108"))

    async def ninety() -> bool:
        return len(await _offers_of(penv, account_id)) == 2

    await _until(ninety, "the 90 years' offer never came")
    assert {o.item_code for o in await _offers_of(penv, account_id)} == {ALLOWANCE, "MZJ-GL90"}
    assert await _offers_of(penv, other) == []


async def test_the_person_is_texted_once_by_the_events_contact_ticket(
    penv: Env, nats_server: NatsServer
) -> None:
    pid, _ = penv.person("孙桂英")
    offer = await _offer(penv, pid, nats_server.url)
    contacts = Contacts()
    contacts.down = True
    assert await notify_pending(penv.db, contacts, now=utcnow()) == 0  # identity away: it waits
    contacts.down = False
    assert offer.contact_ticket is not None
    contacts.phones[offer.contact_ticket] = "13912345678"
    assert await notify_pending(penv.db, contacts, now=utcnow()) == 1
    assert await notify_pending(penv.db, contacts, now=utcnow()) == 0  # once
    [sms] = await _messages(penv, pid)
    assert sms.kind == "offer_made" and sms.phone == "13912345678" and sms.application_id is None
    assert "您已年满80周岁" in sms.text and "高龄老年人津贴" in sms.text and offer.number in sms.text
    assert "北京通" in sms.text and "领取方式" in sms.text
    [after] = await _offers_of(penv, pid)
    assert after.contact_ticket is None and after.notified_at is not None
    # The person reads it among their messages.
    mine = (
        await penv.client.get("/v1/notifications", headers=penv.tokens.headers(subject=pid, kind="person"))
    ).json()
    assert [m["kind"] for m in mine["items"]] == ["offer_made"]

    # A ticket identity no longer knows (expired): the message is kept, without a number.
    other, _ = penv.person("周秀英")
    await _offer(penv, other, nats_server.url)
    assert await notify_pending(penv.db, contacts, now=utcnow()) == 1
    [skipped] = await _messages(penv, other)
    assert skipped.status == "skipped" and skipped.phone is None


async def test_each_sees_only_the_offers_theirs_to_see(penv: Env, nats_server: NatsServer) -> None:
    pid, person = penv.person("孙桂英")
    offer = await _offer(penv, pid, nats_server.url)
    _, stranger = penv.person("李四")
    mzj = penv.staff("approver", MZJ)
    scj = penv.staff("approver", f"{DISTRICT}-SCJGJ")

    async def listed(headers: dict[str, str], **params: str) -> list[str]:
        resp = await penv.client.get("/v1/offers", headers=headers, params=params)
        assert resp.status_code == 200, resp.text
        return [o["id"] for o in resp.json()["items"]]

    assert await listed(person) == [offer.id]
    assert await listed(mzj) == [offer.id] and await listed(penv.supervisor) == [offer.id]
    assert await listed(penv.admin, item_code=ALLOWANCE, status="offered") == [offer.id]
    assert (
        await listed(penv.admin, status="confirmed") == [] and await listed(mzj, item_code="MZJ-GL90") == []
    )
    assert await listed(stranger) == [] and await listed(scj) == []
    mine = (await penv.client.get(f"/v1/offers/{offer.id}", headers=person)).json()
    assert mine["allowed_actions"] == ["confirm", "decline"] and mine["status_name"] == "待确认"
    assert mine["delivery_modes"] == ["window", "locker"] and mine["application_id"] is None
    assert mine["reason"] == "您已年满80周岁" and mine["item_name"] == "高龄老年人津贴"
    staff_view = (await penv.client.get(f"/v1/offers/{offer.id}", headers=mzj)).json()
    assert staff_view["allowed_actions"] == []
    for outsider in (stranger, scj):
        resp = await penv.client.get(f"/v1/offers/{offer.id}", headers=outsider)
        assert resp.status_code == 404 and resp.json()["code"] == "intake.offer_not_found"
    body = {"delivery": {"mode": "window"}}
    resp = await penv.client.post(f"/v1/offers/{offer.id}/confirm", headers=stranger, json=body)
    assert resp.status_code == 404
    for staff in (mzj, penv.admin):
        resp = await penv.client.post(f"/v1/offers/{offer.id}/confirm", headers=staff, json=body)
        assert resp.status_code == 403 and resp.json()["code"] == "intake.offer_person_only"
        resp = await penv.client.post(f"/v1/offers/{offer.id}/decline", headers=staff)
        assert resp.status_code == 403


async def test_confirming_opens_the_case_as_their_own_online_application(
    penv: Env, nats_server: NatsServer
) -> None:
    pid, person = _person(penv, "赵秀兰", date(1945, 1, 10))
    offer = await _offer(penv, pid, nats_server.url)
    resp = await penv.client.post(
        f"/v1/offers/{offer.id}/confirm", headers=person, json={"delivery": {"mode": "window"}}
    )
    assert resp.status_code == 200, resp.text
    confirmed = resp.json()
    assert confirmed["status"] == "confirmed" and confirmed["allowed_actions"] == []
    assert confirmed["delivery"]["mode"] == "window" and confirmed["decided_at"]
    case = (await penv.client.get(f"/v1/applications/{confirmed['application_id']}", headers=person)).json()
    assert case["channel"] == "online" and case["representation"] == "self"
    assert case["applicant_id"] == pid and case["applicant_name"] == "赵秀兰"
    assert case["delivery_wish"]["mode"] == "window" and case["problems"] == []
    # Nothing handed in: the form is the offer's, the materials were waived with it.
    trace = (await penv.client.get(f"/v1/applications/{case['id']}/trace", headers=person)).json()
    [submitted] = [e for e in trace["items"] if e["action"] == "submitted"]
    assert submitted["data"]["materials"] == []
    assert [e["action"] for e in trace["items"]].count("auto_checked") == 1

    again = await penv.client.post(
        f"/v1/offers/{offer.id}/confirm", headers=person, json={"delivery": {"mode": "window"}}
    )
    assert again.status_code == 409 and again.json()["code"] == "intake.offer_not_offered"
    declined = await penv.client.post(f"/v1/offers/{offer.id}/decline", headers=person)
    assert declined.status_code == 409


async def test_where_a_rule_does_not_hold_a_person_decides_and_the_trace_says_which(
    penv: Env, nats_server: NatsServer
) -> None:
    # Eighty by the resident ID, but neither household register nor card in the library.
    pid, person = _person(penv, "钱桂芳", date(1946, 3, 8))
    offer = await _offer(penv, pid, nats_server.url)
    resp = await penv.client.post(
        f"/v1/offers/{offer.id}/confirm", headers=person, json={"delivery": {"mode": "locker"}}
    )
    assert resp.status_code == 200, resp.text
    case = (await penv.client.get(f"/v1/applications/{resp.json()['application_id']}", headers=person)).json()
    assert case["status"] == "submitted" and case["decision"] is None
    trace = (await penv.client.get(f"/v1/applications/{case['id']}/trace", headers=person)).json()
    [checked] = [e for e in trace["items"] if e["action"] == "auto_checked"]
    held = {r["kind"]: r["held"] for r in checked["data"]["rules"]}
    assert held == {"min_age": True, "resident_of": False, "holds_licence": False}
    # The deciding unit sees the case it has to decide, and may accept it at once: nothing is asked
    # of the person (the materials were waived with the offer), so no notice comes first.
    approver = penv.staff("approver", MZJ)
    listed = (await penv.client.get("/v1/applications", headers=approver)).json()
    assert case["id"] in [a["id"] for a in listed["items"]]
    seen = (await penv.client.get(f"/v1/applications/{case['id']}", headers=approver)).json()
    assert seen["problems"] == [] and "accept" in seen["allowed_actions"], seen
    # A client cannot mark its own application as opened from an offer.
    forged = await penv.client.post(
        "/v1/applications",
        headers=person,
        json={"item_code": case["item_code"], "form": {"proactive_offer": {"number": "MS1"}}},
    )
    assert forged.status_code == 422 and forged.json()["field"] == "form.proactive_offer", forged.text


async def test_a_declined_or_lapsed_offer_is_answered_no_more_and_the_delivery_must_fit(
    penv: Env, nats_server: NatsServer
) -> None:
    pid, person = penv.person("孙桂英")
    offer = await _offer(penv, pid, nats_server.url)
    post = await penv.client.post(
        f"/v1/offers/{offer.id}/confirm",
        headers=person,
        json={"delivery": {"mode": "post", "address": "演示路1号"}},
    )
    assert post.status_code == 422 and post.json()["code"] == "intake.offer_delivery_invalid"
    bad = await penv.client.post(
        f"/v1/offers/{offer.id}/confirm", headers=person, json={"delivery": {"mode": "air"}}
    )
    assert bad.status_code == 422
    declined = await penv.client.post(f"/v1/offers/{offer.id}/decline", headers=person)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    late = await penv.client.post(
        f"/v1/offers/{offer.id}/confirm", headers=person, json={"delivery": {"mode": "window"}}
    )
    assert late.status_code == 409 and late.json()["current_status"] == "declined"

    other, other_headers = penv.person("周秀英")
    lapsing = await _offer(penv, other, nats_server.url)
    later = lapsing.expires_at + timedelta(seconds=1)
    penv.clock.now = later
    refused = await penv.client.post(
        f"/v1/offers/{lapsing.id}/confirm", headers=other_headers, json={"delivery": {"mode": "window"}}
    )
    assert refused.status_code == 409 and refused.json()["current_status"] == "expired"
    assert await expire_lapsed(penv.db, now=later) == 1
    assert await expire_lapsed(penv.db, now=later) == 0
    [expired] = await _offers_of(penv, other)
    assert expired.status == "expired" and expired.decided_at is not None
    async with penv.db.transaction(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(ProactiveOffer)) == 2


def test_the_offer_machine() -> None:
    assert sorted(OFFER.allowed("offered")) == ["confirm", "decline", "expire"]
    for final in ("confirmed", "declined", "expired"):
        assert OFFER.allowed(final) == []
