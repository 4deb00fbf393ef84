"""Drill 7 — authorisation matrix (OWASP API 1, 3, 5).

1. Function level: every operation of the merged OpenAPI (so a new endpoint cannot be missed)
   is called as every role and anonymously, and compared with the hand-reviewed policy in
   drills/authorisation_policy.py. An operation without a policy entry fails the drill. A role
   outside the policy that gets a 2xx is a leak; a role inside it that gets 401/403 is refused
   wrongly. (A 404 for a made-up id, or a 422 before the role check, decides nothing: counted
   as undetermined.)
2. Object level: real objects (a citizen's person record, application, uploaded file, ticket,
   bad-review case, the demo enterprise and its grant) are tried through every operation that
   takes their id, by a stranger (another citizen, staff of another unit): 404/403 only.
3. Hidden fields: resident IDs and phones masked in the identity profile, the application and
   the hotline ticket for the roles that read them; a rater's identity hidden from the rated unit.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from yiwang_shared.validators import mask_mobile, mask_resident_id

from .authorisation_policy import ANONYMOUS, POLICY, Rule
from .d12_personal_data import MOBILE, RESIDENT_ID, is_clear_resident_id, scan_line
from .env import DrillEnv
from .result import DrillResult
from .security_support import (
    ROLE_LOGINS,
    STRANGER_CITIZEN,
    Logins,
    Operation,
    create_application,
    fill_path,
    gateway_client,
    merged_openapi,
    operations,
    shaped_body,
    show_failures,
)

NUMBER = 7
NAME = "authorisation matrix"

#: Never called by an allowed role (the call itself would disturb the other drills).
NOT_PROBED_WHEN_ALLOWED = {
    "POST /api/identity/v1/auth/keys/rotate",
    "POST /api/identity/v1/me/password",
    "POST /api/identity/v1/auth/logout",
    # Documented with its form body, so the drill posts one — without an api_key, which Open311
    # refuses (403 in its own format) for every role: the policy is about keys, not roles.
    "POST /open311/v2/requests.{fmt}",
}


@dataclass
class Matrix:
    """Cells tried and their verdicts."""

    cells: int = 0
    allowed: int = 0
    denied: int = 0
    undetermined: int = 0
    failures: list[str] = field(default_factory=list)


#: Values for required query parameters, by name (others: enum's first, minimum, "drill").
QUERY_VALUES = {
    "month": time.strftime("%Y-%m"),
    "q": "高龄津贴",
    "year": 2026,
    "start": "2026-11-02",
    "end": "2026-11-30",
    "days": 3,
    "from": 1,
    "to": 1,
}


def _query(op: Operation) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for param in op.query_params():
        if not param.get("required"):
            continue
        schema = param.get("schema") or {}
        name = param["name"]
        if name in QUERY_VALUES:
            out[name] = QUERY_VALUES[name]
        elif schema.get("enum"):
            out[name] = schema["enum"][0]
        elif schema.get("type") == "integer":
            out[name] = schema.get("minimum", 1)
        else:
            out[name] = "drill"
    return out


async def read_values(gw: httpx.AsyncClient) -> dict[str, str]:
    """Real values for the path parameters of public reads (catalogue codes, units, rules)."""
    values = {
        "dimension": "unit",
        "indicator": "good_rate",
        "ref": "110105-MZJ",
        "fmt": "json",
        "version_no": "1",
    }
    items = (await gw.get("/api/intake/v1/catalog-items", params={"limit": 200})).json()["items"]
    if items:
        values["code"] = items[0]["code"]
    rules = (await gw.get("/api/evaluation/v1/ranking-rules")).json()["items"]
    if rules:
        values["name"] = rules[0]["name"]
    basics = (await gw.get("/api/catalog/v1/basic-items?limit=1")).json()["items"]
    if basics:
        values["basic_code"] = basics[0]["basic_code"]
    places = (await gw.get("/api/intake/v1/places")).json()["items"]
    if places:
        values["place_id"] = places[0]["id"]
    services = (await gw.get("/open311/v2/services.json")).json()
    if services:
        values["service_code"] = services[0]["service_code"]
    return values


def _request_kwargs(doc: dict[str, Any], op: Operation) -> dict[str, Any]:
    params = _query(op)
    kwargs: dict[str, Any] = {"params": params} if params else {}
    return kwargs | _body_kwargs(doc, op)


def _body_kwargs(doc: dict[str, Any], op: Operation) -> dict[str, Any]:
    if "application/json" in op.body_types:
        schema = op.spec["requestBody"]["content"]["application/json"].get("schema") or {}
        return {"json": shaped_body(doc, schema, "drill")}
    if op.body_types:
        return {"files": {"file": ("drill.pdf", b"%PDF-1.4 drill", "application/pdf")}}
    return {}


async def function_level(
    gw: httpx.AsyncClient, doc: dict[str, Any], logins: Logins, m: Matrix, reads: dict[str, str]
) -> list[Operation]:
    """Every operation × every role against the policy; the operations with no entry.

    Reads (GET) use real values for public path parameters (catalogue codes, units); every other
    call uses made-up ids, so no real object is changed."""
    ops = operations(doc)
    missing = [op for op in ops if op.key not in POLICY]
    for op in missing:
        m.failures.append(f"{op.key}: no entry in drills/authorisation_policy.py")
    stale = sorted(set(POLICY) - {op.key for op in ops})
    for key in stale:
        m.failures.append(f"{key}: policy entry for an operation the API no longer has")
    roles: list[str | None] = [None, *ROLE_LOGINS]
    for op in ops:
        rule = POLICY.get(op.key)
        if rule is None:
            continue
        path = fill_path(
            op.path, reads if op.method == "GET" else {"version_no": "1"}, default="drill-no-such-id"
        )
        for role in roles:
            name = role or ANONYMOUS
            permitted = rule.permits(name)
            if permitted and op.key in NOT_PROBED_WHEN_ALLOWED:
                continue
            headers = await logins.headers(role)
            if op.key.startswith("POST /api/intake/v1/applications"):
                headers["Idempotency-Key"] = f"drill7-{time.monotonic_ns()}"
            resp = await gw.request(op.method, path, headers=headers, **_request_kwargs(doc, op))
            m.cells += 1
            status = resp.status_code
            refused = status in (401, 403)
            if permitted and ((rule.credentials and status == 401) or (rule.owner and status == 403)):
                refused = False  # wrong credentials in the body / an object of another scope
            if status >= 500:
                m.failures.append(f"{op.key} as {name}: HTTP {status}")
            elif permitted and refused:
                m.failures.append(f"{op.key} as {name}: refused ({status}) but the policy allows it")
            elif not permitted and 200 <= status < 300:
                m.failures.append(f"{op.key} as {name}: HTTP {status} but the policy denies it")
            elif permitted and 200 <= status < 400:
                m.allowed += 1
            elif permitted and not refused:
                m.undetermined += 1
            elif not permitted and refused:
                m.denied += 1
            else:
                m.undetermined += 1
    return missing


# ----------------------------------------------------------------------------- object level


@dataclass
class World:
    """Real objects with ids, who owns them, and who must not reach them."""

    ids: dict[str, str] = field(default_factory=dict)  # path parameter → a real id
    strangers: dict[str, list[str]] = field(default_factory=dict)  # path parameter → roles
    #: (what, role, url, may the role see the phone in clear) for the hidden-field checks.
    texts: list[tuple[str, str, str, bool]] = field(default_factory=list)
    person: dict[str, Any] = field(default_factory=dict)


async def build_world(gw: httpx.AsyncClient, logins: Logins) -> World:
    """The citizen's objects and the demo enterprise's, for the strangers to try."""
    w = World()
    citizen = await logins.headers("citizen")
    me = (await gw.get("/api/identity/v1/me", headers=citizen)).json()["account"]
    w.person = me
    w.ids["person_id"] = me["id"]
    w.strangers["person_id"] = [STRANGER_CITIZEN, "enterprise_agent"]
    w.texts.append(("identity profile", "citizen", "/api/identity/v1/me", False))
    w.texts.append(("identity person", "citizen", f"/api/identity/v1/persons/{me['id']}", False))

    agent = await logins.headers("13810000002")
    enterprises = (await gw.get("/api/identity/v1/enterprises", headers=agent)).json()
    enterprise = (enterprises["items"] if isinstance(enterprises, dict) else enterprises)[0]
    w.ids["enterprise_id"] = enterprise["id"]
    w.strangers["enterprise_id"] = ["citizen"]
    grants = (await gw.get("/api/identity/v1/grants", headers=agent)).json()
    grant_list = grants["items"] if isinstance(grants, dict) else grants
    if grant_list:
        w.ids["grant_id"] = grant_list[0]["id"]
        w.strangers["grant_id"] = ["citizen"]

    app = await create_application(gw, logins, phone="13810000003")
    w.ids["application_id"] = app["id"]
    # Another citizen, and staff of units that neither received nor decide it.
    w.strangers["application_id"] = [STRANGER_CITIZEN, "enterprise_agent", "handler", "hotline_agent"]
    # The applicant's side and the staff working the case reach the applicant by phone; oversight
    # (supervisor, admin) sees it masked (intake-svc api/views.py).
    for role, clear in (("citizen", True), ("approver", True), ("supervisor", False), ("admin", False)):
        w.texts.append(("intake application", role, f"/api/intake/v1/applications/{app['id']}", clear))
    notices = [e for e in (app.get("notices") or []) if isinstance(e, dict) and e.get("id")]
    if notices:
        w.ids["notice_id"] = notices[0]["id"]

    resp = await gw.post(
        "/api/intake/v1/files",
        files={"file": ("申请表.pdf", b"%PDF-1.4\n% drill 7\n", "application/pdf")},
        headers=citizen,
    )
    if resp.status_code == 201:
        w.ids["file_id"] = resp.json()["id"]
        w.strangers["file_id"] = [STRANGER_CITIZEN, "handler"]

    ticket = await gw.post(
        "/api/hotline/v1/tickets",
        json={
            "request_type": "complaint",
            "channel": "phone",
            "category_code": "noise",
            "title": "夜间施工噪音",
            "description": "小区旁工地夜间施工，噪音扰民。",
            "caller_name": "王芳",
            "caller_phone": "13810000003",
            "street_code": "110105001",
            "attributes": {"noise_period": "night"},
        },
        headers=await logins.headers("hotline_agent"),
    )
    if ticket.status_code == 201:
        ticket_id = ticket.json()["id"]
        w.ids["ticket_id"] = ticket_id
        # Another citizen, and staff of a unit the ticket was not sent to.
        w.strangers["ticket_id"] = [STRANGER_CITIZEN, "approver", "window_clerk"]
        # The hotline desk calls the caller back; handling units see the phone masked.
        for role in ("hotline_agent", "handler", "dispatcher", "supervisor"):
            clear = role != "handler"
            w.texts.append(("hotline ticket", role, f"/api/hotline/v1/tickets/{ticket_id}", clear))
            w.texts.append(("hotline tickets", role, "/api/hotline/v1/tickets?limit=100", clear))
    return w


async def object_level(
    gw: httpx.AsyncClient, doc: dict[str, Any], logins: Logins, w: World, m: Matrix
) -> int:
    """Every operation taking an owned object's id, tried by each stranger: 403/404 only."""
    tried = 0
    for op in operations(doc):
        owned = [p for p in op.path_params if p in w.strangers]
        if not owned:
            continue
        path = fill_path(op.path, w.ids)
        if "{" in path or "no-such-id" in path:
            continue  # another id in the path we have no real object for
        for param in owned:
            for role in w.strangers[param]:
                headers = await logins.headers(role)
                resp = await gw.request(op.method, path, headers=headers, **_request_kwargs(doc, op))
                tried += 1
                body: dict[str, Any] = {}
                if resp.headers.get("content-type", "").startswith("application/problem+json"):
                    body = resp.json()
                if resp.status_code in (401, 403, 404):
                    continue
                if resp.status_code == 422 and body.get("code") == "validation_failed":
                    m.undetermined += 1  # refused before the object was looked at
                    continue
                m.failures.append(f"{op.key} ({param} of another) as {role}: HTTP {resp.status_code}")
    return tried


async def hidden_fields(gw: httpx.AsyncClient, logins: Logins, w: World, m: Matrix) -> int:
    """Personal numbers masked wherever the roles read them; the owner may unmask his own."""
    checked = 0
    for what, role, url, phone_ok in w.texts:
        resp = await gw.get(url, headers=await logins.headers(role))
        checked += 1
        if resp.status_code != 200:
            m.failures.append(f"{what} as {role}: HTTP {resp.status_code} reading {url}")
            continue
        ids = [mask_resident_id(x) for x in RESIDENT_ID.findall(resp.text) if is_clear_resident_id(x)]
        phones = [] if phone_ok else [mask_mobile(x) for x in MOBILE.findall(resp.text)]
        if ids or phones:
            m.failures.append(f"{what} as {role}: clear personal numbers {(ids + phones)[:3]}")
    # The owner asks for the clear values of his own record: given (and only there).
    own = await gw.get(
        f"/api/identity/v1/persons/{w.ids['person_id']}?unmask=true", headers=await logins.headers("citizen")
    )
    checked += 1
    if own.status_code != 200 or not scan_line(own.text):
        m.failures.append(f"owner's unmask=true did not return his clear values ({own.status_code})")
    return checked


async def rater_hidden(gw: httpx.AsyncClient, logins: Logins, w: World, m: Matrix) -> int:
    """A bad rating of the deciding unit: the unit sees the case without the rater's identity."""
    app_id = w.ids["application_id"]
    approver = await logins.headers("approver")
    base = f"/api/intake/v1/applications/{app_id}"
    for action, body in (
        ("hand-over", {}),
        ("steps", {"opinion": "材料齐全，符合条件"}),
        ("approve", {}),
        ("complete", {"result_name": "高龄津贴发放通知", "result_number": "GL-DRILL-0001"}),
    ):
        resp = await gw.post(f"{base}/{action}", json=body, headers=approver)
        if resp.status_code >= 400:
            m.failures.append(f"rater check: {action} answered {resp.status_code}")
            return 0
    event = None
    deadline = time.monotonic() + 30
    while event is None and time.monotonic() < deadline:
        resp = await gw.get(
            "/api/evaluation/v1/service-events", params={"source_id": app_id}, headers=approver
        )
        if resp.status_code == 200 and resp.json()["items"]:
            event = resp.json()["items"][0]
        else:
            await asyncio.sleep(0.5)
    if event is None:
        m.failures.append("rater check: the completed application never reached evaluation-svc")
        return 0
    citizen = await logins.headers("citizen")
    rating = await gw.post(
        f"/api/evaluation/v1/service-events/{event['id']}/rating",
        # 5 = 非常不满意: a bad review opens a case for the rated unit. The applicant rates by login
        # (staff get no rating codes: issue 15, point 2).
        json={"level": 5, "channel": "pc", "comment": "等了很久"},
        headers=citizen,
    )
    if rating.status_code != 201:
        m.failures.append(f"rater check: rating answered {rating.status_code} {rating.text[:200]}")
        return 0
    case = None
    deadline = time.monotonic() + 15
    while case is None and time.monotonic() < deadline:
        cases = (await gw.get("/api/evaluation/v1/bad-reviews", headers=approver)).json()["items"]
        case = next((c for c in cases if c.get("rating_id") == rating.json()["id"]), None)
        if case is None:
            await asyncio.sleep(0.5)
    if case is None:
        m.failures.append("rater check: no bad-review case for the rating")
        return 0
    w.ids["case_id"] = case["id"]
    w.strangers["case_id"] = [STRANGER_CITIZEN, "handler", "hotline_agent"]
    person = w.person
    secrets = {person["id"], person.get("name", ""), "13810000003"} - {""}
    checked = 0
    for url in ("/api/evaluation/v1/bad-reviews", f"/api/evaluation/v1/bad-reviews/{case['id']}"):
        text = (await gw.get(url, headers=approver)).text
        checked += 1
        shown = [s for s in secrets if s in text]
        if shown or scan_line(text):
            m.failures.append(f"rated unit sees the rater in {url}: {len(shown)} identifying values")
    return checked


async def run(env: DrillEnv) -> DrillResult:
    """Function level, object level, hidden fields."""
    start = time.monotonic()
    m = Matrix()
    doc = await merged_openapi(env)
    async with gateway_client(env) as gw:
        logins = Logins(gw)
        world = await build_world(gw, logins)
        hidden = await hidden_fields(gw, logins, world, m)
        hidden += await rater_hidden(gw, logins, world, m)
        objects = await object_level(gw, doc, logins, world, m)
        missing = await function_level(gw, doc, logins, m, await read_values(gw))
    show_failures(NUMBER, m.failures)
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not m.failures,
        figures={
            "cases tried": m.cells + objects + hidden,
            "failed": len(m.failures),
            "operations": len(operations(doc)),
            "unlisted": len(missing),
            "cells": m.cells,
            "allowed": m.allowed,
            "denied": m.denied,
            "undetermined": m.undetermined,
            "stranger tries": objects,
            "field checks": hidden,
        },
        notes="; ".join(m.failures[:5]),
        seconds=time.monotonic() - start,
    )


__all__ = ["NAME", "NUMBER", "Rule", "run"]
