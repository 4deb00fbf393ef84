"""Appointments through the API: places, slots, booking and cancelling, who may do what, events
and SMS, and no double booking under concurrent requests (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import jsonschema
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from intake.config import Settings
from intake.events import INTAKE, AppointmentBooked, AppointmentCancelled
from intake.main import create_app
from intake.models.appointments import Appointment, AppointmentSlot
from intake.models.notifications import NotificationMessage
from intake.services.appointment_reminders import queue_due_reminders
from intake.services.catalogue import record_published, record_retired
from intake.services.notification_senders import OutgoingSms
from intake.services.notification_settings import NotificationSettings
from yiwang_shared.db import Database
from yiwang_shared.orm import utcnow
from yiwang_shared.tables import outbox
from yiwang_shared.testing.app import running_app
from yiwang_shared.testing.guards import stale_event_schemas
from yiwang_shared.testing.nats import NatsServer
from yiwang_shared.testing.tokens import TestTokens

CENTRE = "110105-ZWFW"
HOURS = {
    "working_days": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:00"}],
    "extended": [{"start": "12:00", "end": "13:30"}],
    "weekend": [{"start": "09:00", "end": "12:00"}],
}


class Env:
    """The running service, its database and tokens for the people in these tests."""

    def __init__(self, client: httpx.AsyncClient, db: Database, tokens: TestTokens) -> None:
        self.client = client
        self.db = db
        self.tokens = tokens
        self.admin = tokens.headers(kind="staff", roles=["admin"])
        self.clerk = tokens.headers(
            subject="clerk-1", kind="staff", roles=["window_clerk"], org_unit=CENTRE + "-W01"
        )
        self.supervisor = tokens.headers(kind="staff", roles=["supervisor"], org_unit=CENTRE)
        self.other_clerk = tokens.headers(kind="staff", roles=["window_clerk"], org_unit="110105-JD01")
        self.approver = tokens.headers(kind="staff", roles=["approver"], org_unit=CENTRE)

    def citizen(self, subject: str) -> dict[str, str]:
        return self.tokens.headers(subject=subject)

    async def publish_item(self, code: str, *, appointments: bool = True, name: str | None = None) -> None:
        """Put a published item into the catalogue read model, as the catalogue consumer does."""
        elements: dict[str, Any] = {
            "name": name or f"事项{code}",
            "implementing_unit": {"code": "110105-MZJ", "name": "区民政局"},
            "appointment_supported": appointments,
        }
        async with self.db.transaction() as session:
            await record_published(
                session,
                {
                    "item_id": str(uuid.uuid4()),
                    "item_code": code,
                    "basic_code": "B-" + code,
                    "version_no": 1,
                    "published_at": utcnow().isoformat(),
                    "owner_unit": {"code": "110105-MZJ", "name": "区民政局"},
                    "elements": elements,
                },
            )

    async def place(self, code: str = "HALL-1", headers: dict[str, str] | None = None) -> dict[str, Any]:
        r = await self.client.post(
            "/v1/places",
            json={
                "code": code,
                "name": "朝阳区政务服务中心",
                "org_unit_code": CENTRE,
                "address": "朝阳区示例路1号",
                "hours": HOURS,
                "slot_minutes": 30,
            },
            headers=headers or self.admin,
        )
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    async def slots(
        self, place_id: str, item_code: str, capacity: int = 2, days: int = 10
    ) -> list[dict[str, Any]]:
        r = await self.client.post(
            f"/v1/places/{place_id}/slots/generate",
            json={"item_code": item_code, "capacity": capacity, "days": days},
            headers=self.admin,
        )
        assert r.status_code == 200, r.text
        return await self.all_slots(place_id, item_code=item_code)

    async def all_slots(self, place_id: str, **params: Any) -> list[dict[str, Any]]:
        """Every page of a place's slots (a page holds at most 200)."""
        slots: list[dict[str, Any]] = []
        while True:
            r = await self.client.get(
                f"/v1/places/{place_id}/slots", params={**params, "limit": 200, "offset": len(slots)}
            )
            assert r.status_code == 200, r.text
            page = r.json()
            slots += page["items"]
            if len(slots) >= page["total"] or not page["items"]:
                return slots

    async def book(self, slot_id: str, headers: dict[str, str], **extra: Any) -> httpx.Response:
        return await self.client.post(
            "/v1/appointments", json={"slot_id": slot_id, "phone": "13812345678", **extra}, headers=headers
        )

    async def outbox_events(self, subject: str) -> list[dict[str, Any]]:
        async with self.db.transaction(write=False) as session:
            rows = await session.execute(
                select(outbox.c.payload).where(outbox.c.subject == subject).order_by(outbox.c.id)
            )
            return [json.loads(r.payload) for r in rows]

    async def sms(self, appointment_id: str) -> list[NotificationMessage]:
        async with self.db.transaction(write=False) as session:
            rows = await session.scalars(
                select(NotificationMessage)
                .where(NotificationMessage.appointment_id == appointment_id)
                .order_by(NotificationMessage.created_at)
            )
            return list(rows)

    async def slot_row(self, slot_id: str) -> AppointmentSlot:
        async with self.db.transaction(write=False) as session:
            slot = await session.get(AppointmentSlot, slot_id)
            assert slot is not None
            return slot


@pytest.fixture
async def env(database_url: str, nats_server: NatsServer, tokens: TestTokens) -> AsyncIterator[Env]:
    app = create_app(Settings(database_url=database_url, nats_url=nats_server.url, outbox_poll_seconds=0.2))
    app.state.notification_settings = NotificationSettings(
        sms_dispatcher_enabled=False, appointment_reminders_enabled=False
    )
    async with running_app(app, verifier=tokens.verifier()) as client:
        yield Env(client, app.state.db, tokens)


# --- places ---------------------------------------------------------------------------------


async def test_who_may_create_a_place(env: Env) -> None:
    await env.place("HALL-A", env.clerk)  # a clerk of a window inside the centre
    await env.place("HALL-B", env.supervisor)
    for headers in (env.other_clerk, env.approver, env.citizen("alice")):
        r = await env.client.post(
            "/v1/places",
            json={"code": "HALL-X", "name": "x", "org_unit_code": CENTRE, "address": "y", "hours": HOURS},
            headers=headers,
        )
        assert r.status_code == 403, r.text
    r = await env.client.get("/v1/places")
    assert r.status_code == 200 and {p["code"] for p in r.json()["items"]} == {"HALL-A", "HALL-B"}


async def test_bad_places_are_refused_with_what_to_fix(env: Env) -> None:
    await env.place("HALL-1")
    base = {"code": "HALL-2", "name": "n", "org_unit_code": CENTRE, "address": "a", "hours": HOURS}
    r = await env.client.post("/v1/places", json={**base, "code": "HALL-1"}, headers=env.admin)
    assert r.status_code == 409 and r.json()["code"] == "intake.place_code_taken"
    bad_hours = {
        "working_days": [{"start": "09:00", "end": "12:30"}],
        "extended": [{"start": "12:00", "end": "13:00"}],
    }
    r = await env.client.post("/v1/places", json={**base, "hours": bad_hours}, headers=env.admin)
    assert r.status_code == 422 and "重叠" in r.json()["errors"][0]["message"]
    r = await env.client.post(
        "/v1/places", json={**base, "hours": bad_hours}, headers={**env.admin, "Accept-Language": "en"}
    )
    assert r.status_code == 422 and "overlap" in r.json()["errors"][0]["message"]
    r = await env.client.post(
        "/v1/places", json={**base, "slot_minutes": 2, "address": " "}, headers=env.admin
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"body.slot_minutes", "body.address"} <= fields or {"slot_minutes", "address"} <= fields, r.text
    r = await env.client.get("/v1/places", params={"include_inactive": True})
    assert r.json()["total"] == 1, "nothing half-written"


async def test_a_place_is_changed_only_by_its_managers(env: Env) -> None:
    place = await env.place()
    r = await env.client.patch(f"/v1/places/{place['id']}", json={"active": False}, headers=env.other_clerk)
    assert r.status_code == 403
    r = await env.client.patch(
        f"/v1/places/{place['id']}", json={"active": False, "slot_minutes": 20}, headers=env.supervisor
    )
    assert r.status_code == 200 and (r.json()["active"], r.json()["slot_minutes"]) == (False, 20)
    r = await env.client.patch(f"/v1/places/{place['id']}", json={"hours": None}, headers=env.admin)
    assert r.status_code == 422
    r = await env.client.get("/v1/places/nope")
    assert r.status_code == 404


async def test_hours_with_a_time_zone_are_a_clear_422_for_anyone(env: Env) -> None:
    """Issue 15, point 12: one period with an offset and one without compared an aware time with a
    naive one — a 500, and a citizen's PATCH reached it before any role check."""
    place = await env.place()
    mixed = {"working_days": [{"start": "09:00+08:00", "end": "12:00"}]}
    for headers in (env.citizen("alice"), env.admin):
        r = await env.client.patch(f"/v1/places/{place['id']}", json={"hours": mixed}, headers=headers)
        assert r.status_code == 422, r.text
        assert "时区" in r.json()["errors"][0]["message"], r.text


# --- slots ----------------------------------------------------------------------------------


async def test_slots_are_generated_for_bookable_items_only_and_idempotently(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    await env.publish_item("NOAPPT", appointments=False)
    url = f"/v1/places/{place['id']}/slots/generate"
    r = await env.client.post(url, json={"item_code": "NOPE", "capacity": 2}, headers=env.admin)
    assert r.status_code == 422 and r.json()["code"] == "intake.item_not_found"
    r = await env.client.post(url, json={"item_code": "NOAPPT", "capacity": 2}, headers=env.admin)
    assert r.status_code == 422 and r.json()["code"] == "intake.appointments_unsupported"
    r = await env.client.post(url, json={"item_code": "ITEM-1", "capacity": 2}, headers=env.other_clerk)
    assert r.status_code == 403
    r = await env.client.post(url, json={"item_code": "ITEM-1", "capacity": 2, "days": 7}, headers=env.clerk)
    assert r.status_code == 200, r.text
    first = r.json()
    assert first["created"] > 0 and first["existing"] == 0
    r = await env.client.post(url, json={"item_code": "ITEM-1", "capacity": 5, "days": 14}, headers=env.clerk)
    again = r.json()
    assert again["existing"] == first["created"] and again["created"] > 0
    slots = await env.all_slots(place["id"])
    assert first["created"] + again["created"] == len(slots)
    assert {s["period"] for s in slots} == {"regular", "extended", "weekend"}
    assert all(s["available"] == s["capacity"] for s in slots)
    r = await env.client.post(url, json={"item_code": "ITEM-1", "capacity": 0}, headers=env.clerk)
    assert r.status_code == 422 and "capacity" in r.text
    r = await env.client.post(
        url, json={"item_code": "ITEM-1", "capacity": 1, "first_day": "2020-01-01"}, headers=env.admin
    )
    assert r.status_code == 422 and "first_day" in r.text


async def test_slot_capacity_never_drops_below_bookings(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slot = (await env.slots(place["id"], "ITEM-1", capacity=2))[0]
    assert (await env.book(slot["id"], env.citizen("alice"))).status_code == 201
    r = await env.client.patch(f"/v1/slots/{slot['id']}", json={"capacity": 0}, headers=env.supervisor)
    assert r.status_code == 409 and r.json()["code"] == "intake.capacity_below_booked"
    r = await env.client.patch(f"/v1/slots/{slot['id']}", json={"capacity": 1}, headers=env.other_clerk)
    assert r.status_code == 403
    r = await env.client.patch(f"/v1/slots/{slot['id']}", json={"capacity": 1}, headers=env.supervisor)
    assert r.status_code == 200 and r.json()["available"] == 0
    r = await env.book(slot["id"], env.citizen("bob"))
    assert r.status_code == 409 and r.json()["code"] == "intake.slot_full"


# --- booking --------------------------------------------------------------------------------


async def test_booking_cancelling_events_and_sms(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1", name="最低生活保障审核确认")
    slot = (await env.slots(place["id"], "ITEM-1"))[0]
    r = await env.book(slot["id"], env.citizen("alice"), person_name="张三")
    assert r.status_code == 201, r.text
    booking = r.json()
    assert booking["status"] == "booked" and booking["channel"] == "online"
    assert booking["phone"] == "138****5678" and booking["booking_no"].startswith("YY")
    assert (await env.slot_row(slot["id"])).booked == 1

    [sms] = await env.sms(booking["id"])
    assert sms.kind == "appointment_booked" and sms.person_id == "alice" and sms.status == "pending"
    assert booking["booking_no"] in sms.text and "最低生活保障审核确认" in sms.text
    [event] = await env.outbox_events(AppointmentBooked.subject())
    jsonschema.validate(event, INTAKE.event_schema(AppointmentBooked))
    assert event["data"]["booking_no"] == booking["booking_no"] and event["data"]["channel"] == "online"

    r = await env.client.get("/v1/appointments", headers=env.citizen("alice"))
    assert [a["id"] for a in r.json()["items"]] == [booking["id"]]

    r = await env.client.post(
        f"/v1/appointments/{booking['id']}/cancel", json={}, headers=env.citizen("alice")
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    assert (await env.slot_row(slot["id"])).booked == 0
    assert [m.kind for m in await env.sms(booking["id"])] == ["appointment_booked", "appointment_cancelled"]
    [event] = await env.outbox_events(AppointmentCancelled.subject())
    jsonschema.validate(event, INTAKE.event_schema(AppointmentCancelled))
    assert event["data"]["by_staff"] is False

    r = await env.client.post(
        f"/v1/appointments/{booking['id']}/cancel", json={}, headers=env.citizen("alice")
    )
    assert r.status_code == 409 and r.json()["code"] == "intake.appointment_not_live"
    assert (await env.slot_row(slot["id"])).booked == 0, "a second cancel must not give a seat back"
    r = await env.client.get("/v1/appointments", headers=env.citizen("alice"))
    assert r.json()["total"] == 0
    r = await env.client.get(
        "/v1/appointments", params={"include_cancelled": True}, headers=env.citizen("alice")
    )
    assert r.json()["total"] == 1


async def test_another_persons_booking_is_as_if_it_did_not_exist(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slot = (await env.slots(place["id"], "ITEM-1"))[0]
    booking = (await env.book(slot["id"], env.citizen("alice"))).json()
    for headers in (env.citizen("bob"), env.other_clerk, env.approver):
        r = await env.client.get(f"/v1/appointments/{booking['id']}", headers=headers)
        assert r.status_code == 404 and r.json()["code"] == "intake.appointment_not_found"
        r = await env.client.post(
            f"/v1/appointments/{booking['id']}/cancel", json={"reason": "x"}, headers=headers
        )
        assert r.status_code == 404
    r = await env.client.get(f"/v1/appointments/{uuid.uuid4()}", headers=env.citizen("alice"))
    assert r.status_code == 404
    r = await env.client.get("/v1/appointments", headers=env.citizen("bob"))
    assert r.json()["total"] == 0
    assert (await env.slot_row(slot["id"])).booked == 1
    r = await env.client.get(f"/v1/appointments/{booking['id']}", headers=env.supervisor)
    assert r.status_code == 200


async def test_a_clerk_books_for_a_person_and_it_is_recorded(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slot = (await env.slots(place["id"], "ITEM-1"))[0]
    r = await env.book(slot["id"], env.clerk)
    assert r.status_code == 422 and "person_id" in r.text
    r = await env.book(slot["id"], env.approver, person_id="carol")
    assert r.status_code == 403 and r.json()["code"] == "intake.booking_forbidden"
    r = await env.book(slot["id"], env.citizen("bob"), person_id="carol")
    assert r.status_code == 403
    r = await env.book(slot["id"], env.clerk, person_id="carol")
    assert r.status_code == 201, r.text
    booking = r.json()
    assert (booking["person_id"], booking["booked_by"], booking["channel"]) == ("carol", "clerk-1", "window")
    [event] = await env.outbox_events(AppointmentBooked.subject())
    assert event["data"]["booked_by_unit"] == CENTRE + "-W01"
    r = await env.client.get(f"/v1/appointments/{booking['id']}", headers=env.citizen("carol"))
    assert r.status_code == 200
    r = await env.client.get("/v1/appointments", headers=env.clerk)
    assert [a["id"] for a in r.json()["items"]] == [booking["id"]]
    r = await env.client.post(f"/v1/appointments/{booking['id']}/cancel", json={}, headers=env.clerk)
    assert r.status_code == 422 and "reason" in r.text
    r = await env.client.post(
        f"/v1/appointments/{booking['id']}/cancel", json={"reason": "申请人电话改约"}, headers=env.clerk
    )
    assert r.status_code == 200 and r.json()["cancel_reason"] == "申请人电话改约"


async def test_one_person_cannot_hold_overlapping_bookings(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    await env.publish_item("ITEM-2")
    slot1 = (await env.slots(place["id"], "ITEM-1"))[0]
    same_time = next(
        s for s in await env.slots(place["id"], "ITEM-2") if s["starts_at"] == slot1["starts_at"]
    )
    assert (await env.book(slot1["id"], env.citizen("alice"))).status_code == 201
    r = await env.book(same_time["id"], env.citizen("alice"))
    assert r.status_code == 409 and r.json()["code"] == "intake.appointment_overlap"
    assert (await env.book(same_time["id"], env.citizen("bob"))).status_code == 201
    assert (await env.slot_row(same_time["id"])).booked == 1


async def test_past_slots_inactive_places_and_retired_items_take_no_booking(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slots = await env.slots(place["id"], "ITEM-1")
    async with env.db.transaction() as session:
        await session.execute(
            update(AppointmentSlot)
            .where(AppointmentSlot.id == slots[0]["id"])
            .values(starts_at=utcnow() - timedelta(minutes=5))
        )
    r = await env.book(slots[0]["id"], env.citizen("alice"))
    assert r.status_code == 409 and r.json()["code"] == "intake.slot_past"
    r = await env.book("no-such-slot", env.citizen("alice"))
    assert r.status_code == 404
    r = await env.client.post(
        "/v1/appointments", json={"slot_id": slots[1]["id"], "phone": "123"}, headers=env.citizen("a")
    )
    assert r.status_code == 422 and "phone" in r.text
    async with env.db.transaction() as session:
        await record_retired(
            session, {"item_code": "ITEM-1", "version_no": 1, "retired_at": utcnow().isoformat()}
        )
    r = await env.book(slots[1]["id"], env.citizen("alice"))
    assert r.status_code == 422 and r.json()["code"] == "intake.item_retired"
    await env.client.patch(f"/v1/places/{place['id']}", json={"active": False}, headers=env.admin)
    r = await env.book(slots[1]["id"], env.citizen("alice"))
    assert r.status_code == 409 and r.json()["code"] == "intake.place_inactive"
    async with env.db.transaction(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(Appointment)) == 0


async def test_staff_list_a_places_bookings_by_day(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slots = await env.slots(place["id"], "ITEM-1", capacity=3)
    day = slots[0]["day"]
    for person in ("alice", "bob"):
        assert (await env.book(slots[0]["id"], env.citizen(person))).status_code == 201
    url = f"/v1/places/{place['id']}/appointments"
    r = await env.client.get(url, params={"day": day}, headers=env.clerk)
    assert r.status_code == 200 and r.json()["total"] == 2
    assert {a["person_id"] for a in r.json()["items"]} == {"alice", "bob"}
    r = await env.client.get(url, params={"day": day, "limit": 1}, headers=env.supervisor)
    assert len(r.json()["items"]) == 1 and r.json()["total"] == 2
    for headers in (env.other_clerk, env.citizen("alice")):
        assert (await env.client.get(url, params={"day": day}, headers=headers)).status_code == 403
    r = await env.client.get(url, params={"day": "not-a-day"}, headers=env.clerk)
    assert r.status_code == 422


# --- concurrency ----------------------------------------------------------------------------


async def test_concurrent_bookings_for_the_last_seats_never_overbook(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slot = (await env.slots(place["id"], "ITEM-1", capacity=4))[0]
    assert (await env.book(slot["id"], env.citizen("early-1"))).status_code == 201
    # 3 seats left, 24 people at once.
    people = [f"rush-{i}" for i in range(24)]
    responses = await asyncio.gather(*(env.book(slot["id"], env.citizen(p)) for p in people))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 3, codes
    assert codes.count(409) == 21, codes
    assert all(r.json()["code"] == "intake.slot_full" for r in responses if r.status_code == 409)
    row = await env.slot_row(slot["id"])
    assert (row.booked, row.capacity) == (4, 4)
    async with env.db.transaction(write=False) as session:
        live = await session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot["id"])
        )
        sms = await session.scalar(select(func.count()).select_from(NotificationMessage))
    assert live == 4 and sms == 4, "refused bookings must leave no row and no SMS behind"
    assert len(await env.outbox_events(AppointmentBooked.subject())) == 4


async def test_concurrent_bookings_by_one_person_give_one_booking(env: Env) -> None:
    place = await env.place()
    codes = [f"ITEM-{i}" for i in range(6)]
    same_start: list[str] = []
    for code in codes:
        await env.publish_item(code)
        slots = await env.slots(place["id"], code, days=3)
        same_start.append(slots[0]["id"])
    responses = await asyncio.gather(*(env.book(s, env.citizen("alice")) for s in same_start))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 5, [r.text for r in responses]
    async with env.db.transaction(write=False) as session:
        booked = await session.scalar(select(func.sum(AppointmentSlot.booked)))
    assert booked == 1


async def test_the_database_refuses_overbooking_on_its_own(env: Env) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slot = (await env.slots(place["id"], "ITEM-1", capacity=1))[0]
    with pytest.raises(IntegrityError):
        async with env.db.transaction() as session:
            await session.execute(
                text("UPDATE appointment_slots SET booked = 2 WHERE id = :id"), {"id": slot["id"]}
            )


def test_appointment_event_schemas_are_committed_and_current() -> None:
    problems = [p for p in stale_event_schemas(INTAKE) if not p.startswith("no payload")]
    assert problems == [], "run `python -m intake.events` and commit the schemas"


async def test_concurrent_overlapping_bookings_of_different_lengths_give_one(env: Env) -> None:
    place = await env.place()
    lengths = {"L60": 60, "L50": 50, "L45": 45, "L40": 40, "L30": 30, "L25": 25, "L20": 20, "L15": 15}
    by_item: dict[str, list[dict[str, Any]]] = {}
    for code, minutes in lengths.items():
        await env.publish_item(code)
        r = await env.client.post(
            f"/v1/places/{place['id']}/slots/generate",
            json={"item_code": code, "capacity": 5, "days": 7, "slot_minutes": minutes},
            headers=env.admin,
        )
        assert r.status_code == 200, r.text
        by_item[code] = await env.all_slots(place["id"], item_code=code)
    # Every chosen slot contains one instant (09:25:30 on the first day), so any two overlap
    # although no two start at the same time.
    instant = datetime.fromisoformat(by_item["L60"][0]["starts_at"]) + timedelta(minutes=25, seconds=30)
    chosen = [
        next(
            s
            for s in slots
            if datetime.fromisoformat(s["starts_at"]) <= instant < datetime.fromisoformat(s["ends_at"])
        )
        for slots in by_item.values()
    ]
    assert len({s["starts_at"] for s in chosen}) > 3
    responses = await asyncio.gather(*(env.book(s["id"], env.citizen("alice")) for s in chosen))
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1, [r.text for r in responses]
    assert all(r.json()["code"] == "intake.appointment_overlap" for r in responses if r.status_code == 409)


# --- reminders ------------------------------------------------------------------------------


async def test_a_reminder_is_queued_once_per_live_booking(env: Env, database_url: str) -> None:
    place = await env.place()
    await env.publish_item("ITEM-1")
    slots = await env.slots(place["id"], "ITEM-1")
    kept = (await env.book(slots[0]["id"], env.citizen("alice"))).json()
    dropped = (await env.book(slots[1]["id"], env.citizen("bob"))).json()
    later = (await env.book(slots[-1]["id"], env.citizen("carol"))).json()
    await env.client.post(f"/v1/appointments/{dropped['id']}/cancel", json={}, headers=env.citizen("bob"))
    now = datetime.fromisoformat(slots[1]["starts_at"]) - timedelta(hours=20)
    replica = Database(database_url)
    try:

        async def scan(db: Database) -> int:
            async with db.transaction() as session:
                return await queue_due_reminders(session, now=now, ahead=timedelta(hours=24))

        counts = await asyncio.gather(scan(env.db), scan(replica), scan(env.db))
    finally:
        await replica.dispose()
    assert sum(counts) == 1, counts
    reminders = [m for m in await env.sms(kept["id"]) if m.kind == "appointment_reminder"]
    assert len(reminders) == 1
    assert kept["booking_no"] in reminders[0].text and "朝阳区示例路1号" in reminders[0].text
    assert [m.kind for m in await env.sms(dropped["id"])] == ["appointment_booked", "appointment_cancelled"]
    assert [m.kind for m in await env.sms(later["id"])] == ["appointment_booked"]


async def test_the_running_service_sends_the_booking_sms(
    database_url: str, nats_server: NatsServer, tokens: TestTokens
) -> None:
    app = create_app(Settings(database_url=database_url, nats_url=nats_server.url, outbox_poll_seconds=0.2))
    app.state.notification_settings = NotificationSettings(
        sms_poll_seconds=30, appointment_reminders_enabled=False
    )
    gateway = SmsGateway()
    app.state.sms_sender = gateway
    async with running_app(app, verifier=tokens.verifier()) as client:
        e = Env(client, app.state.db, tokens)
        place = await e.place()
        await e.publish_item("ITEM-1")
        slot = (await e.slots(place["id"], "ITEM-1"))[0]
        booking = (await e.book(slot["id"], e.citizen("alice"))).json()
        for _ in range(100):  # the commit wakes the dispatcher; no 30 s poll needed
            r = await client.get("/v1/notifications", headers=e.citizen("alice"))
            if r.json()["items"][0]["status"] == "sent":
                break
            await asyncio.sleep(0.05)
    assert [(s.phone, s.kind) for s in gateway.sent] == [("13812345678", "appointment_booked")]
    assert booking["booking_no"] in gateway.sent[0].text
    [message] = r.json()["items"]
    assert message["status"] == "sent" and message["appointment_id"] == booking["id"]


class SmsGateway:
    """The SMS gateway at the edge of the world: records what it is given."""

    def __init__(self) -> None:
        self.sent: list[OutgoingSms] = []

    async def send(self, sms: OutgoingSms) -> None:
        self.sent.append(sms)
