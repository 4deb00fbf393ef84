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
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from yiwang_shared.validators import mask_mobile, mask_resident_id

from .authorisation_policy import ANONYMOUS, LOGGED_IN, POLICY, Rule
from .d12_personal_data import MOBILE, RESIDENT_ID, is_clear_resident_id, scan_line
from .env import DrillEnv
from .result import DrillResult
from .security_support import (
    DEMO_PASSWORD,
    ROLE_LOGINS,
    STRANGER_CITIZEN,
    Logins,
    Operation,
    create_application,
    fill_path,
    gateway_client,
    merged_openapi,
    mobile,
    operations,
    resident_id,
    resolve,
    shaped_body,
    show_failures,
    uscc,
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

#: 403 problem codes a service answers only after the caller's role passed its check (a unit,
#: ownership or station check comes second; verified in each service's code). For a role the
#: policy admits, such a 403 decides "allowed" at function level — the scope itself is the
#: object-level part's business; for a role it does not admit, it is a role check that let
#: the role through.
AFTER_ROLE_CHECK: dict[str, tuple[str, ...]] = {
    # access.require_deciding_unit, acceptance_checks.check_acceptance, stations.check_prereview:
    # require_role first, then the unit; entrustments-create: require_role, then the unit.
    "intake.not_handling_unit": ("POST /api/intake/v1/applications/", "POST /api/intake/v1/entrustments"),
    "intake.station_may_not_accept": ("POST /api/intake/v1/applications/",),
    "intake.not_entrusted": ("POST /api/intake/v1/applications/",),
    "intake.not_for_prereview": ("POST /api/intake/v1/applications/",),
    # services/items.py _authorise_write: not_editor first (reads use not_owner as the refusal).
    "catalog.not_owner": ("POST /api/catalog/", "PUT /api/catalog/"),
    # evaluation api/ratings.py window_visits_create: not_window_clerk first, then the visit's unit.
    "evaluation.visit_unit_forbidden": ("POST /api/evaluation/v1/window-visits",),
    # identity services/auth.py act_for: persons_only first, then the enterprise and the grant.
    "identity.no_valid_grant": ("POST /api/identity/v1/auth/act-for",),
    # services/kb.py: require(KB_EDITOR_ROLES) then require_unit_editor.
    "hotline.kb_not_your_unit": ("PUT /api/hotline/v1/kb/", "POST /api/hotline/v1/kb/"),
}


#: Operations whose every domain answer (409 for the state, 422 for the content, 403 for the unit)
#: comes after the role check, so a real object in any state decides the cell (verified in the
#: service's code): intake's application actions load the case the caller may see (404 otherwise),
#: then `permissions.authorise` / `check_acceptance` before looking at its state or the body.
ROLE_FIRST_PREFIXES = (
    "POST /api/intake/v1/applications/{application_id}/",
    # hotline api/tickets.py: get_ticket (404 if unseen), then each action's `require` /
    # require_lead_unit before the state.
    "POST /api/hotline/v1/tickets/{ticket_id}/",
    # hotline services/kb.py: get_entry (no scope), then require(...) before the state.
    "PUT /api/hotline/v1/kb/entries/{entry_id}/",
    "POST /api/hotline/v1/kb/entries/{entry_id}/",
    # intake notifications/queries.py requeue_failed: the overseer roles first, then the message.
    "POST /api/intake/v1/notifications/{notification_id}/resend",
    # intake appointments/bookings.py book: _who_for (who may book for whom) first, then the slot.
    "POST /api/intake/v1/appointments",
    # catalog services/items.py _writable: get_item, then _authorise_write before the state.
    "PUT /api/catalog/v1/items/{code}/",
    "POST /api/catalog/v1/items/{code}/",
    # evaluation api/cases.py _handler_case / appeal-decision: staff, case (404), role, then step.
    *(
        f"POST /api/evaluation/v1/bad-reviews/{{case_id}}/{step}"
        for step in (
            "call-back",
            "rectify",
            "rectification-done",
            "explain",
            "appeal",
            "appeal-decision",
            "feedback",
            "close",
            "transfer",
        )
    ),
)

#: Communities of the demo district the drill's own dispatch rules name (one rule per area).
AREAS = tuple(
    f"110105{street}{n:03d}"
    for street, count in (("001", 3), ("002", 2), ("003", 3))
    for n in range(1, count + 1)
)

#: Staff of 区政务服务管理局 in the demo (hotline desk, catalogue editor, evaluator): they see the
#: applications for the item that unit decides.
ZWGLJ_ROLES = frozenset({"hotline_agent", "dispatcher", "catalog_editor", "evaluator"})

#: Roles that never see an object of a kind, whatever it is (read in the service's code): a 404
#: for them is the refusal itself. Hotline common.may_see: hotline staff, the citizen who filed
#: the ticket, handlers of a unit it was dispatched to — nobody else.
NEVER_SEES: dict[str, frozenset[str]] = {
    "ticket_id": frozenset({"window_clerk", "approver", "catalog_editor", "evaluator"}),
}

#: Operations whose success would change an object other drills (or the demo) rely on: a role
#: the policy admits gets a fresh object of the drill's own, or is not called (the cell stays
#: undetermined with that reason).
SHARED_WHEN_ALLOWED = {
    "PATCH /api/identity/v1/org-units/{ref}",
    "PUT /api/identity/v1/calendar/days/{day}",
    "POST /api/identity/v1/calendar/years/{year}/import",
    "PATCH /api/identity/v1/staff/{staff_id}",
    "PUT /api/identity/v1/accounts/{account_id}/loa",
    "PUT /api/identity/v1/enterprises/{enterprise_id}/loa",
    "POST /api/identity/v1/grants/{grant_id}/revoke",
    "POST /api/identity/v1/grants/{grant_id}/confirm",
    "PATCH /api/intake/v1/places/{place_id}",
    "PUT /api/intake/v1/places/{place_id}/queue",
    "POST /api/intake/v1/places/{place_id}/slots/generate",
    "PATCH /api/intake/v1/slots/{slot_id}",
    "POST /api/intake/v1/entrustments/{entrustment_id}/revoke",
    "POST /api/intake/v1/entrustments/{agreement_id}/revoke",
    "PUT /api/hotline/v1/dispatch-rules/{rule_id}",
    "DELETE /api/hotline/v1/dispatch-rules/{rule_id}",
    "PUT /api/hotline/v1/escalation-rules/{rule_id}",
    "DELETE /api/hotline/v1/escalation-rules/{rule_id}",
    "PUT /api/hotline/v1/time-limit-rules/{code}",
    "PUT /api/evaluation/v1/ranking-rules/{name}",
    "POST /api/catalog/v1/items/{code}/versions",
    "POST /api/catalog/v1/items/{code}/retire",
    "PUT /api/catalog/v1/items/{code}/versions/{version_no}",
    "POST /api/catalog/v1/items/{code}/versions/{version_no}/submit",
    "POST /api/catalog/v1/items/{code}/versions/{version_no}/return",
    "POST /api/catalog/v1/items/{code}/versions/{version_no}/publish",
}


@dataclass
class Matrix:
    """Cells tried and their verdicts."""

    cells: int = 0
    allowed: int = 0
    denied: int = 0
    undetermined: int = 0
    failures: list[str] = field(default_factory=list)
    #: Why each undetermined cell stays so: reason → the cells ("METHOD /path as role").
    why: dict[str, list[str]] = field(default_factory=dict)
    #: Objects the drill could not make (their cells fall back on the world's objects).
    notes: list[str] = field(default_factory=list)

    def undecided(self, reason: str, cell: str) -> None:
        """Count a cell the drill could not decide, with the reason."""
        self.undetermined += 1
        self.why.setdefault(reason, []).append(cell)


def _query(op: Operation, values: dict[str, str] | None = None) -> dict[str, Any]:
    if op.path.endswith("/calendar/between"):
        return {"from": "2026-11-02", "to": "2026-11-30"}
    out: dict[str, Any] = {}
    if values and op.path.endswith("/grants/check"):
        out = {"person_id": values.get("agent_person_id"), "enterprise_id": values.get("enterprise_id")}
    for param in op.query_params():
        if not param.get("required"):
            continue
        schema = param.get("schema") or {}
        name = param["name"]
        if name in out:
            continue
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
        "file_name": "noto-serif-sc-100-400-normal.woff2",
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
    requests = await gw.get("/open311/v2/requests.json")
    if requests.status_code == 200 and isinstance(requests.json(), list) and requests.json():
        values["request_id"] = str(requests.json()[0].get("service_request_id"))
    return values


def _request_kwargs(
    doc: dict[str, Any], op: Operation, body: Any = None, values: dict[str, str] | None = None
) -> dict[str, Any]:
    params = _query(op, values)
    kwargs: dict[str, Any] = {"params": params} if params else {}
    if body is not None:
        return kwargs | {"json": body}
    return kwargs | _body_kwargs(doc, op)


def _body_kwargs(doc: dict[str, Any], op: Operation) -> dict[str, Any]:
    if "application/json" in op.body_types:
        schema = op.spec["requestBody"]["content"]["application/json"].get("schema") or {}
        return {"json": shaped_body(doc, schema, "drill")}
    if op.body_types:
        return {"files": {"file": ("drill.pdf", b"%PDF-1.4 drill", "application/pdf")}}
    return {}


def _problem_code(resp: httpx.Response) -> str:
    if not resp.headers.get("content-type", "").startswith("application/problem+json"):
        return ""
    try:
        body = resp.json()
    except ValueError:
        return ""
    return str(body.get("code") or "") if isinstance(body, dict) else ""


#: Valid bodies for the application actions (so a role that passes meets the state, not pydantic).
APPLICATION_BODIES: dict[str, dict[str, Any]] = {
    "resubmit": {"materials": [{"name": "北京市老年人津贴申请表", "media": ["original"], "originals": 1}]},
    "deficiencies": {"materials": [{"name": "北京通—养老助残卡", "media": ["original"], "originals": 1}]},
    "notice": {},
    "accept": {},
    "hand-over": {},
    "steps": {"kind": "review", "opinion": "材料齐全，情况属实"},
    "pause": {"procedure": "inspection", "reason": "需现场勘查"},
    "resume": {},
    "extend": {"working_days": 5, "reason": "情况复杂，需延长办理期限"},
    "approve": {"reasons": "符合条件"},
    "refuse": {"reasons": "不符合条件"},
    "refuse-acceptance": {"reasons": "不属于本机关职权范围"},
    "prereview": {"opinion": "材料齐全，转街道中心受理"},
    "complete": {"result_name": "高龄津贴发放通知"},
    "deliver": {"mode": "window", "signed_by": "王芳"},
    "withdraw": {"reason": "申请人撤回"},
}


class Fixtures:
    """Real path values for every operation: the world's objects, objects each role sees (its
    own application), and fresh objects of the drill's own where a permitted call changes one."""

    def __init__(
        self, gw: httpx.AsyncClient, doc: dict[str, Any], logins: Logins, world: World, reads: dict[str, str]
    ) -> None:
        self.gw, self.doc, self.logins, self.world = gw, doc, logins, world
        self.values: dict[str, str] = {**reads, **world.ids}
        self.apps: dict[str, tuple[str, str | None]] = {}  # viewpoint → (application id, notice id)
        self.fresh: dict[str, dict[str, str]] = {}  # operation → its current fresh values
        self.made_rules: list[tuple[str, str]] = []
        self.made_grants: list[str] = []
        self.rule_seq = 0
        self.rule_bodies: dict[str, dict[str, Any]] = {}
        self.notes: list[str] = []  # fixtures the drill could not make (printed with the remainder)

    async def _json(self, method: str, url: str, role: str | None, **kwargs: Any) -> Any:
        resp = await self.gw.request(method, url, headers=await self.logins.headers(role), **kwargs)
        if resp.status_code >= 300:
            self.notes.append(f"{method} {url} as {role}: {resp.status_code} {_problem_code(resp)}")
            return None
        try:
            return resp.json()
        except ValueError:
            return None

    async def prepare(self) -> None:
        """The ids the public reads do not give: keys, staff, events, escalations, rules, slots."""
        v = self.values
        me = await self._json("GET", "/api/identity/v1/me", "supervisor")
        if me:
            v["staff_id"] = str((me.get("staff") or me.get("account") or {}).get("id", ""))
        keys = await self._json("GET", "/api/identity/v1/auth/keys", "admin")
        items = keys.get("items", keys) if isinstance(keys, dict) else keys
        if items:
            v["kid"] = str(items[0].get("kid"))
        key = await self._json("POST", "/api/hotline/v1/open311/keys", "admin", json={"name": "drill 7"})
        if key:
            v["key_id"] = key["id"]
            if key.get("api_key"):
                v["api_key"] = key["api_key"]
        for role, url, name in (
            ("approver", "/api/evaluation/v1/service-events", "event_id"),
            ("supervisor", "/api/intake/v1/notifications", "notification_id"),
            ("admin", "/api/intake/v1/entrustments", "agreement_id"),
        ):
            page = await self._json("GET", url, role)
            if page and page.get("items") and name not in v:
                v[name] = page["items"][0]["id"]
        if "place_id" in v:
            slots = await self._json("GET", f"/api/intake/v1/places/{v['place_id']}/slots", None)
            slot_items = slots.get("items", []) if isinstance(slots, dict) else slots or []
            if slot_items:
                v["slot_id"] = slot_items[0]["id"]
        v["day"], v["year"] = "2030-01-05", "2030"

    def values_for(self, op: Operation) -> dict[str, str]:
        """Path values shared by the roles (per-path where one name means several things)."""
        v = dict(self.values)
        for service in ("intake", "hotline"):
            if op.path.startswith(f"/api/{service}/v1/escalations/"):
                v["escalation_id"] = self.values.get(f"{service}_escalation_id", "drill-no-such-id")
        for kind in ("dispatch-rules", "escalation-rules"):
            if f"/{kind}/" in op.path:
                v["rule_id"] = self.values.get(kind, "drill-no-such-id")
        if op.path.startswith("/api/hotline/v1/time-limit-rules/"):
            v["code"] = self.values.get("time_limit_code", "drill-no-such-id")
        if op.path.startswith("/api/catalog/v1/bundles/"):
            v["code"] = self.values.get("bundle_code", "drill-no-such-id")
        return v

    async def rules(self) -> None:
        """Ids of hotline's dispatch and escalation rules, a time-limit rule, a bundle, escalations."""
        v = self.values
        for kind in ("dispatch-rules", "escalation-rules"):
            page = await self._json("GET", f"/api/hotline/v1/{kind}", "supervisor")
            if page and page.get("items"):
                v[kind] = page["items"][0]["id"]
        page = await self._json("GET", "/api/hotline/v1/time-limit-rules", None)
        if page and page.get("items"):
            v["time_limit_code"] = page["items"][0]["code"]
        page = await self._json("GET", "/api/catalog/v1/bundles", None)
        if page and page.get("items"):
            v["bundle_code"] = page["items"][0]["code"]
        for service in ("intake", "hotline"):
            page = await self._json("GET", f"/api/{service}/v1/escalations", "supervisor")
            if page and page.get("items"):
                v[f"{service}_escalation_id"] = page["items"][0]["id"]

    async def application_for(self, role: str | None) -> tuple[str, str | None]:
        """An application `role` sees: its own (citizen, enterprise agent), one it received (window
        clerk, helper), else the world's (seen by the deciding unit and oversight)."""
        key = role if role in ("enterprise_agent", "window_clerk", "handler") else "world"
        if role in ZWGLJ_ROLES:
            key = "zwglj"
        if key in self.apps:
            return self.apps[key]
        app_id, notice_id = self.world.ids["application_id"], self.world.ids.get("notice_id")
        try:
            if key == "enterprise_agent":
                app = await create_application(
                    self.gw, self.logins, role=ROLE_LOGINS[key], phone=ROLE_LOGINS[key]
                )
                app_id = app["id"]
                notices = [n for n in app.get("notices") or [] if isinstance(n, dict) and n.get("id")]
                notice_id = notices[0]["id"] if notices else None
            elif key in ("window_clerk", "handler"):
                app_id, notice_id = await self._received(key)
            elif key == "zwglj":
                app_id, notice_id = await self._zwglj_application()
        except (RuntimeError, httpx.HTTPError, KeyError, StopIteration) as exc:
            # The world's application instead: the role's cells say why.
            self.notes.append(f"no application of its own for {key}: {type(exc).__name__} {str(exc)[:200]}")
        self.apps[key] = (app_id, notice_id)
        return self.apps[key]

    async def _zwglj_application(self) -> tuple[str, str | None]:
        """The citizen's application for the item 区政务服务管理局 decides (办不成事反映受理): the
        case its staff (hotline desk, catalogue editor, evaluator) see."""
        code = self.values.get("zwglj_code")
        if not code:
            raise KeyError("the demo publishes no item 区政务服务管理局 decides")
        resp = await self.gw.post(
            "/api/intake/v1/applications",
            json={
                "item_code": code,
                "applicant": {"name": self.world.person.get("name"), "phone": "13810000003"},
            },
            headers={
                **await self.logins.headers("citizen"),
                "Idempotency-Key": f"drill7-zwglj-{time.time_ns()}",
            },
        )
        resp.raise_for_status()
        notices = [n for n in (resp.json().get("notices") or []) if isinstance(n, dict) and n.get("id")]
        return resp.json()["id"], (notices[0]["id"] if notices else None)

    async def _received(self, role: str) -> tuple[str, str | None]:
        items = (await self.gw.get("/api/intake/v1/catalog-items", params={"limit": 200})).json()["items"]
        code = next(i["code"] for i in items if i["name"] == "高龄老年人津贴")
        person = self.world.person
        resp = await self.gw.post(
            "/api/intake/v1/applications",
            json={
                "item_code": code,
                "applicant": {"id": person["id"], "name": person.get("name"), "phone": "13810000003"},
                "materials": APPLICATION_BODIES["resubmit"]["materials"]
                + APPLICATION_BODIES["deficiencies"]["materials"],
            },
            headers={**await self.logins.headers(role), "Idempotency-Key": f"drill7-{role}-{time.time_ns()}"},
        )
        resp.raise_for_status()
        app_id = resp.json()["id"]
        accepted = await self.gw.post(
            f"/api/intake/v1/applications/{app_id}/accept",
            json={},
            headers=await self.logins.headers("approver"),
        )
        notices = [n for n in (accepted.json().get("notices") or []) if isinstance(n, dict) and n.get("id")]
        return app_id, (notices[0]["id"] if notices else None)

    def _fresh_key(self, op: Operation, role: str | None) -> str:
        # The supervisor manages places of its own unit: its own place.
        places = op.path.startswith(("/api/intake/v1/places/", "/api/intake/v1/slots/"))
        return op.key + ("|supervisor" if places and role == "supervisor" else "")

    async def fresh_values(self, op: Operation, role: str | None) -> dict[str, str] | None:
        """A fresh object of the drill's own for an operation in SHARED_WHEN_ALLOWED (None: none)."""
        key = self._fresh_key(op, role)
        if key in self.fresh:
            return self.fresh[key]
        made = await self._make(op, role)
        if made is not None:
            self.fresh[key] = made
        return made

    def current(self, op: Operation) -> dict[str, str]:
        """The fresh object a role the policy denies tries (the permitted roles' one)."""
        return self.fresh.get(op.key) or {}

    def spent(self, op: Operation, role: str | None) -> None:
        """A permitted call succeeded: the next permitted role gets a new object."""
        self.fresh.pop(self._fresh_key(op, role), None)

    def created(self, op: Operation, resp: httpx.Response) -> None:
        """Note what a permitted POST created that would steer other drills (removed at the end)."""
        kinds = {
            "POST /api/hotline/v1/dispatch-rules": "dispatch-rules",
            "POST /api/hotline/v1/escalation-rules": "escalation-rules",
            "POST /api/intake/v1/entrustments": "entrustments",
        }
        if op.key in kinds and resp.status_code == 201:
            self.made_rules.append((kinds[op.key], resp.json()["id"]))

    async def _make(self, op: Operation, role: str | None) -> dict[str, str] | None:
        stamp = f"{time.time_ns() % 10**9:09d}"
        path = op.path
        if path.startswith("/api/identity/v1/org-units/"):
            unit = await self._json(
                "POST", "/api/identity/v1/org-units", "admin", json=await self._unit(stamp)
            )
            return {"ref": unit["code"]} if unit else None
        if path.startswith("/api/identity/v1/calendar/"):
            return {"day": "2030-01-05", "year": "2030"}  # a Saturday, set as a rest day: no change
        if path.startswith("/api/identity/v1/staff/"):
            staff = await self._json("POST", "/api/identity/v1/staff", "admin", json=await self._staff(stamp))
            return {"staff_id": staff["id"]} if staff else None
        if path.startswith("/api/identity/v1/accounts/"):
            person = await self._person()
            return {"account_id": person["id"]} if person else None
        if path.startswith("/api/identity/v1/enterprises/"):
            return {"enterprise_id": self.values["enterprise_id"]}  # the body puts its LoA back
        if path.startswith("/api/identity/v1/grants/"):
            grant = await self._grant()
            return {"grant_id": grant} if grant else None
        if path.startswith("/api/intake/v1/places/") or path.startswith("/api/intake/v1/slots/"):
            return await self._place(stamp, role)
        if path.startswith("/api/intake/v1/entrustments/"):
            made = await self._json("POST", "/api/intake/v1/entrustments", "admin", json=self._entrustment())
            return {"agreement_id": made["id"]} if made else None
        for kind in ("dispatch-rules", "escalation-rules"):
            if path.startswith(f"/api/hotline/v1/{kind}/"):
                body = self.rule_body(kind)
                made = await self._json("POST", f"/api/hotline/v1/{kind}", "supervisor", json=body)
                if made:
                    self.made_rules.append((kind, made["id"]))
                    self.rule_bodies[made["id"]] = body  # a PUT keeps the rule as it is
                return {"rule_id": made["id"]} if made else None
        if path.startswith("/api/hotline/v1/time-limit-rules/"):
            return {"code": self.values["time_limit_code"]} if "time_limit_code" in self.values else None
        if path.startswith("/api/evaluation/v1/ranking-rules/"):
            return {"name": self.values["name"]} if "name" in self.values else None
        if path.startswith("/api/catalog/v1/items/"):
            code = await self.retired_item()
            return {"code": code, "version_no": "1"} if code else None
        return None

    async def _unit(self, stamp: str) -> dict[str, Any]:
        district = await self._json("GET", "/api/identity/v1/org-units/110105", None)
        return {
            "code": f"DRILL7-{stamp}",
            "name": f"演练科室{stamp}",
            "kind": "department",
            "parent_id": (district or {}).get("id"),
        }

    async def _staff(self, stamp: str) -> dict[str, Any]:
        unit = await self._json("GET", "/api/identity/v1/org-units/110105-MZJ", None)
        return {
            "username": f"drill7x{stamp}",
            "name": "演练人员",
            "org_unit_id": (unit or {}).get("id"),
            "roles": ["handler"],
            "password": "Drill#7-secret-2026",
        }

    async def _person(self) -> dict[str, Any] | None:
        phone = mobile()
        person = await self._json("POST", "/api/identity/v1/persons", None, json=self.person_body(phone))
        return dict(person.get("account", person)) if isinstance(person, dict) else None

    def person_body(self, phone: str | None = None) -> dict[str, Any]:
        """A registration of a new person (valid resident ID, fresh mobile)."""
        return {
            "name": "演练市民",
            "resident_id": resident_id(),
            "phone": phone or mobile(),
            "password": "Drill#7-secret-2026",
        }

    def grant_body(self) -> dict[str, Any]:
        """A grant of the demo enterprise to its agent 李娜 (a second one: hers stands)."""
        return {
            "grantee_id": self.values.get("agent_person_id"),
            "scope": ["*"],
            "valid_until": "2027-06-30T00:00:00+08:00",
        }

    async def _grant(self) -> str | None:
        made = await self._json(
            "POST",
            f"/api/identity/v1/enterprises/{self.values['enterprise_id']}/grants",
            STRANGER_CITIZEN,  # 张伟, the demo enterprise's legal representative
            json=self.grant_body(),
        )
        if made:
            self.made_grants.append(made["id"])
        return made["id"] if made else None

    def _entrustment(self) -> dict[str, Any]:
        return {
            "entrusting_unit_code": "110105-MZJ",
            "entrusted_unit_code": "110105003-FWZX",
            "item_codes": [self.values.get("elder_code", self.values.get("code"))],
            "valid_from": time.strftime("%Y-%m-%d"),
            "valid_until": "2027-12-31",
        }

    def rule_body(self, kind: str) -> dict[str, Any]:
        """A dispatch or escalation rule of the drill's own (removed at the end)."""
        if kind == "dispatch-rules":
            self.rule_seq += 1
            return {
                "category_code": self.values.get("category_code", "noise"),
                "area_code": AREAS[self.rule_seq % len(AREAS)],
                "lead_unit_code": "110105003-FWZX",
            }
        schema = self.doc["paths"]["/api/hotline/v1/escalation-rules"]["post"]["requestBody"]["content"]
        body = shaped_body(self.doc, schema["application/json"]["schema"], "演练")
        return {k: body[k] for k in ("kind", "basis", "statuses", "target")} | {
            "name": "演练提醒规则",
            "after_share": 0.99,
        }

    async def retired_item(self) -> str | None:
        """A catalogue item of the drill's own, created and retired at once: every write on it
        answers 409 after the role and unit checks, and nothing published changes."""
        if "retired_code" in self.values:
            return self.values["retired_code"]
        code = self.values.get("elder_code")
        current = await self._json("GET", f"/api/catalog/v1/items/{code}", None)
        if not current:
            return None
        elements = dict(
            (current.get("current_version") or current.get("version") or {}).get("elements") or {}
        )
        if not elements:
            versions = await self._json("GET", f"/api/catalog/v1/items/{code}/versions/1", None)
            elements = dict((versions or {}).get("elements") or {})
        elements["name"] = f"演练事项{time.time_ns() % 10**9:09d}"
        made = await self._json("POST", "/api/catalog/v1/items", "admin", json={"elements": elements})
        if not made:
            return None
        await self._json(
            "POST", f"/api/catalog/v1/items/{made['code']}/retire", "admin", json={"reason": "演练"}
        )
        self.values["retired_code"] = made["code"]
        self.values["retired_elements"] = json.dumps(elements, ensure_ascii=False)
        return made["code"]

    async def _place(self, stamp: str, role: str | None = None) -> dict[str, str] | None:
        body = await self.place_body(stamp, role)
        place = await self._json("POST", "/api/intake/v1/places", "admin", json=body) if body else None
        if not place:
            return None
        out = {"place_id": place["id"]}
        generated = await self._json(
            "POST",
            f"/api/intake/v1/places/{place['id']}/slots/generate",
            "admin",
            json=self.slots_body(),
        )
        if generated is not None:
            slots = await self._json("GET", f"/api/intake/v1/places/{place['id']}/slots", None)
            slot_items = slots.get("items", []) if isinstance(slots, dict) else slots or []
            if slot_items:
                out["slot_id"] = slot_items[0]["id"]
        return out

    async def place_body(self, stamp: str, role: str | None = None) -> dict[str, Any] | None:
        """A new appointment place like the demo's (same hours; the supervisor's in its own unit,
        since places are managed by the clerks and supervisors of their unit)."""
        demo = await self._json("GET", f"/api/intake/v1/places/{self.values.get('place_id')}", None)
        if not demo:
            return None
        return {
            "code": f"110105-DRILL7-{stamp}",
            "name": f"演练大厅{stamp}",
            "org_unit_code": "110105-ZWGLJ" if role == "supervisor" else demo["org_unit_code"],
            "address": "演练地址1号",
            "hours": demo["hours"],
        }

    def slots_body(self) -> dict[str, Any]:
        """Slots for the 高龄津贴 item over three days."""
        return {"item_code": self.values.get("elder_code"), "days": 3, "capacity": 50}

    async def body(self, op: Operation, role: str | None, values: dict[str, str]) -> Any:
        """A valid body for the operations whose made-up body pydantic would refuse (None: the
        schema-shaped one)."""
        key, v = op.key, self.values
        person = self.world.person
        citizen_side = role in ("citizen", "enterprise_agent")
        phone = ROLE_LOGINS.get(role or "", "13810000003") if citizen_side else "13810000003"
        if key == "POST /api/identity/v1/auth/login":
            return {
                "username": ROLE_LOGINS.get(role or "citizen", ROLE_LOGINS["citizen"]),
                "password": DEMO_PASSWORD,
            }
        if key == "POST /api/identity/v1/auth/refresh":
            login = await self.logins.login(ROLE_LOGINS.get(role or "citizen", ROLE_LOGINS["citizen"]))
            return {"refresh_token": login.get("refresh_token")}
        if key == "POST /api/identity/v1/auth/act-for":
            return {"enterprise_id": v.get("enterprise_id")}
        if key == "POST /api/hotline/v1/tickets/{ticket_id}/merge":
            return {"into_ticket_id": v.get("ticket:citizen") or v.get("ticket_id"), "note": "演练：重复诉求"}
        if key == "POST /api/identity/v1/persons/lookup":
            return {"phone": "13810000003", "reason": "窗口代为申请高龄津贴"}
        if key == "POST /api/identity/v1/persons":
            return self.person_body()
        if key == "POST /api/identity/v1/persons/walk-ins":
            return {
                "name": "演练来访",
                "id_type": "resident_id",
                "resident_id": resident_id(),
                "phone": mobile(),
            }
        if key == "POST /api/identity/v1/staff":
            return await self._staff(f"{time.time_ns() % 10**9:09d}")
        if key == "POST /api/identity/v1/org-units":
            return await self._unit(f"{time.time_ns() % 10**9:09d}")
        if key == "PATCH /api/identity/v1/org-units/{ref}":
            return {"name": "演练科室（改名）"}
        if key == "PATCH /api/identity/v1/staff/{staff_id}":
            return {"name": "演练人员（改名）"}
        if key == "PUT /api/identity/v1/accounts/{account_id}/loa":
            return {"loa": 3, "reason": "演练：核验手机"}
        if key == "PUT /api/identity/v1/enterprises/{enterprise_id}/loa":
            return {"loa": int(v.get("enterprise_loa", "3")), "reason": "演练：原级别不变"}
        if key == "PUT /api/identity/v1/calendar/days/{day}":
            return {"is_working_day": False}
        if key == "POST /api/identity/v1/enterprises":
            return {"name": f"演练企业{time.time_ns() % 10**9:09d}", "uscc": uscc()}
        if key == "POST /api/identity/v1/enterprises/{enterprise_id}/grants":
            return self.grant_body()
        if key == "POST /api/catalog/v1/basic-items":
            return {"name": f"演练基本事项{time.time_ns() % 10**9:09d}", "item_type": "20"}
        if key == "POST /api/catalog/v1/bundles":
            return {
                "name": f"演练一件事{time.time_ns() % 10**9:09d}",
                "item_codes": v.get("bundle_items", []),
            }
        if key == "PUT /api/catalog/v1/items/{code}/versions/{version_no}" and "retired_elements" in v:
            return {"elements": json.loads(v["retired_elements"])}
        if key == "POST /api/catalog/v1/items" and "retired_elements" in v:
            return {"elements": json.loads(v["retired_elements"])}
        if key == "POST /api/intake/v1/applications":
            applicant: dict[str, Any] = {"name": person.get("name"), "phone": phone}
            if not citizen_side:
                applicant["id"] = person["id"]
            elif role == "enterprise_agent":
                applicant = {"name": "李娜", "phone": phone}
            return {"item_code": v.get("elder_code"), "applicant": applicant}
        if key == "POST /api/intake/v1/places":
            return await self.place_body(f"{time.time_ns() % 10**9:09d}", role)
        if key == "PATCH /api/intake/v1/places/{place_id}":
            return {"name": "演练大厅（改名）"}
        if key == "POST /api/intake/v1/places/{place_id}/slots/generate":
            return self.slots_body()
        if key == "PATCH /api/intake/v1/slots/{slot_id}":
            return {"capacity": 40}
        if key == "POST /api/intake/v1/appointments":
            body = {"slot_id": v.get("drill_slot_id", "drill-no-such-id"), "phone": phone}
            return body if citizen_side else body | {"person_id": person["id"]}
        if key == "POST /api/intake/v1/entrustments":
            return self._entrustment()
        if key == "POST /api/hotline/v1/tickets":
            return self.ticket_body(role)
        if key.startswith("PUT /api/hotline/v1/") and values.get("rule_id") in self.rule_bodies:
            return self.rule_bodies[values["rule_id"]]
        if key == "POST /api/hotline/v1/dispatch-rules":
            return self.rule_body("dispatch-rules")
        if key == "POST /api/hotline/v1/escalation-rules":
            return self.rule_body("escalation-rules")
        if key == "PUT /api/hotline/v1/time-limit-rules/{code}" and "time_limit" in v:
            return json.loads(v["time_limit"])
        if key == "PUT /api/evaluation/v1/ranking-rules/{name}" and "ranking_rule" in v:
            return json.loads(v["ranking_rule"])
        if key in ("POST /api/hotline/v1/kb/entries", "PUT /api/hotline/v1/kb/entries/{entry_id}/draft"):
            return self.kb_body()
        return None

    def kb_body(self) -> dict[str, Any]:
        """A knowledge-base entry the hotline desk keeps."""
        return {
            "question": "演练：高龄津贴怎么申请？",
            "answer": "年满80周岁的本区户籍老人可在线或到社区服务站申请。",
            "keywords": ["演练"],
            "owner_unit_code": "110105-ZWGLJ",
        }

    def ticket_body(self, role: str | None) -> dict[str, Any]:
        """A complaint as the hotline registers it (or a citizen files it online)."""
        body = {
            "request_type": "complaint",
            "channel": "phone",
            "category_code": "noise",
            "title": "夜间施工噪音",
            "description": "小区旁工地夜间施工，噪音扰民。",
            "caller_name": "王芳",
            "caller_phone": "13810000003",
            "street_code": "110105001",
            "attributes": {"noise_period": "night"},
        }
        if role in ("citizen", "enterprise_agent"):
            body["channel"] = "web"
            body["caller_phone"] = ROLE_LOGINS[role]
        return body

    async def extras(self) -> None:
        """Values the bodies need: the 高龄津贴 code, 李娜's id, a category, current rules."""
        v = self.values
        items: list[dict[str, Any]] = []
        while len(items) < 2000:  # intake's read model of the catalogue, page by page
            page = await self.gw.get(
                "/api/intake/v1/catalog-items", params={"limit": 200, "offset": len(items)}
            )
            got = page.json()["items"] if page.status_code == 200 else []
            items += got
            if len(got) < 200:
                break
        elder = next((i["code"] for i in items if i["name"] == "高龄老年人津贴"), None)
        if elder:
            v["elder_code"] = elder
        zwglj = next((i["code"] for i in items if i.get("owner_unit_code") == "110105-ZWGLJ"), None)
        if zwglj:
            v["zwglj_code"] = zwglj
            v["code"] = zwglj  # public reads; its history is the catalogue editor's (same unit)
        v["bundle_items"] = [i["code"] for i in items[:2]]  # type: ignore[assignment]
        agent = await self._json("GET", "/api/identity/v1/me", ROLE_LOGINS["enterprise_agent"])
        if agent and (agent.get("account") or {}).get("id"):
            v["agent_person_id"] = agent["account"]["id"]
        enterprise = await self._json(
            "GET", f"/api/identity/v1/enterprises/{v.get('enterprise_id')}", "admin"
        )
        if enterprise:
            v["enterprise_loa"] = str(enterprise.get("loa", 3))
        page = await self._json("GET", "/api/hotline/v1/time-limit-rules", None)
        if page and page.get("items"):
            rule = page["items"][0]
            v["time_limit_code"] = rule["code"]
            v["time_limit"] = json.dumps({k: rule[k] for k in ("name", "amount", "unit")}, ensure_ascii=False)
        name = v.get("name")
        rule = await self._json("GET", f"/api/evaluation/v1/ranking-rules/{name}", None) if name else None
        if rule:
            schema = self.doc["paths"]["/api/evaluation/v1/ranking-rules/{name}"]["put"]["requestBody"]
            props = resolve(self.doc, schema["content"]["application/json"]["schema"]).get("properties") or {}
            v["ranking_rule"] = json.dumps({k: rule[k] for k in props if k in rule}, ensure_ascii=False)
        cats = await self._json("GET", "/api/hotline/v1/categories", None)
        items_c = cats.get("items", cats) if isinstance(cats, dict) else cats or []
        if items_c:
            v["category_code"] = items_c[-1]["code"]
        await self.retired_item()
        await self._open311()
        # An entry of the knowledge base, and a place with slots for bookings.
        entry = await self._json("POST", "/api/hotline/v1/kb/entries", "hotline_agent", json=self.kb_body())
        if entry:
            v["entry_id"] = entry["id"]
        place = await self._place(f"{time.time_ns() % 10**9:09d}")
        if place and "slot_id" in place:
            v["drill_slot_id"] = place["slot_id"]
            booked = await self._json(
                "POST",
                "/api/intake/v1/appointments",
                "citizen",
                json={"slot_id": place["slot_id"], "phone": "13810000003"},
            )
            if booked:
                v["appointment_id"] = booked["id"]

    async def _open311(self) -> None:
        """A request through Open311 with the drill's key: its id and token."""
        key = self.values.get("api_key")
        if not key or "service_code" not in self.values:
            return
        resp = await self.gw.post(
            "/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": self.values["service_code"],
                "description": "演练：路灯不亮",
                "address_string": "北京市朝阳区朝外街道吉祥里1号",
                "first_name": "芳",
                "last_name": "王",
                "phone": "13810000003",
            },
        )
        if resp.status_code == 201 and isinstance(resp.json(), list) and resp.json():
            receipt = resp.json()[0]
            if receipt.get("service_request_id"):
                self.values["request_id"] = str(receipt["service_request_id"])
            if receipt.get("token"):
                self.values["token"] = str(receipt["token"])

    async def own(self, role: str | None, param: str) -> str | None:
        """An object of `role`'s own: its uploaded file, its staff record."""
        if role is None:
            return None
        key = f"{param}:{role}"
        if key not in self.values:
            made: Any = None
            if param == "file_id":
                resp = await self.gw.post(
                    "/api/intake/v1/files",
                    files={"file": ("材料.pdf", b"%PDF-1.4\n% drill 7\n", "application/pdf")},
                    headers=await self.logins.headers(role),
                )
                made = resp.json().get("id") if resp.status_code == 201 else None
            elif param == "staff_id" and role not in ("citizen", "enterprise_agent"):
                me = await self._json("GET", "/api/identity/v1/me", role)
                made = ((me or {}).get("staff") or (me or {}).get("account") or {}).get("id")
            self.values[key] = made or ""
        return self.values[key] or None

    async def own_ticket(self, role: str) -> str | None:
        """A ticket `role` (a citizen side) filed online: the only tickets it sees."""
        key = f"ticket:{role}"
        if key not in self.values:
            made = await self._json("POST", "/api/hotline/v1/tickets", role, json=self.ticket_body(role))
            self.values[key] = made["id"] if made else ""
        return self.values[key] or None

    async def cleanup(self) -> None:
        """Remove the rules and grants the drill made (they would steer other drills' tickets)."""
        admin = await self.logins.headers("admin")
        for kind, made_id in self.made_rules:
            if kind == "entrustments":
                await self.gw.post(f"/api/intake/v1/entrustments/{made_id}/revoke", json={}, headers=admin)
            else:
                await self.gw.delete(f"/api/hotline/v1/{kind}/{made_id}", headers=admin)
        for grant_id in self.made_grants:
            await self.gw.post(
                f"/api/identity/v1/grants/{grant_id}/revoke",
                json={},
                headers=await self.logins.headers(STRANGER_CITIZEN),
            )


def _role_first(op: Operation) -> bool:
    return op.key.startswith(ROLE_FIRST_PREFIXES)


async def function_level(
    gw: httpx.AsyncClient, doc: dict[str, Any], logins: Logins, m: Matrix, fx: Fixtures
) -> list[Operation]:
    """Every operation × every role against the policy; the operations with no entry.

    Path parameters are real: the world's objects, an application each role sees, and fresh
    objects of the drill's own where a permitted call would change one other drills rely on."""
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
        for role in roles:
            name = role or ANONYMOUS
            cell = f"{op.key} as {name}"
            permitted = rule.permits(name)
            if permitted and op.key in NOT_PROBED_WHEN_ALLOWED:
                continue
            values = fx.values_for(op)
            body = None
            if "{application_id}" in op.path:
                values["application_id"], notice = await fx.application_for(role)
                values["notice_id"] = notice or "drill-no-such-id"
                body = APPLICATION_BODIES.get(op.path.rsplit("/", 1)[-1]) if op.method == "POST" else None
            if "{ticket_id}" in op.path and role in ("citizen", "enterprise_agent"):
                values["ticket_id"] = await fx.own_ticket(role) or "drill-no-such-id"
            for param in ("file_id", "staff_id"):
                if f"{{{param}}}" in op.path and op.method == "GET":
                    values[param] = await fx.own(role, param) or values.get(param, "drill-no-such-id")
            if op.key in SHARED_WHEN_ALLOWED:
                if permitted:
                    made = await fx.fresh_values(op, role)
                    if made is None:
                        m.undecided("not called: it would change an object the demo relies on", cell)
                        continue
                    values.update(made)
                else:
                    values.update(fx.current(op))
            path = fill_path(op.path, values, default="drill-no-such-id")
            if body is None:
                body = await fx.body(op, role, values)
            headers = await logins.headers(role)
            if op.key.startswith("POST /api/intake/v1/applications"):
                headers["Idempotency-Key"] = f"drill7-{time.monotonic_ns()}"
            kwargs = _request_kwargs(doc, op, body, fx.values)
            resp = await gw.request(op.method, path, headers=headers, **kwargs)
            m.cells += 1
            _judge(m, op, rule, name, cell, resp)
            if permitted and 200 <= resp.status_code < 300 and op.method in ("POST", "DELETE"):
                fx.spent(op, role)
                fx.created(op, resp)
    return missing


def _judge(m: Matrix, op: Operation, rule: Rule, name: str, cell: str, resp: httpx.Response) -> None:
    status = resp.status_code
    code = _problem_code(resp)
    permitted = rule.permits(name)
    passed_role = status == 403 and op.key.startswith(AFTER_ROLE_CHECK.get(code, ("-",)))
    domain = status in (409, 422) and code != "validation_failed" and _role_first(op)
    # Where the policy admits every login, only authentication is a function-level check: a 403
    # that is not a role refusal (not the grantor, another unit's case), or a 409/422 of the
    # domain, came after it.
    if rule.roles >= LOGGED_IN and permitted and code and code not in ROLE_CODES:
        passed_role = passed_role or status == 403
        domain = domain or (status in (409, 422) and code != "validation_failed")
    never = any(name in NEVER_SEES.get(p, ()) for p in op.path_params)
    refused = (status in (401, 403) and not passed_role) or (status == 404 and never)
    if permitted and ((rule.credentials and status == 401) or (rule.owner and status == 403 and not code)):
        refused = False  # wrong credentials in the body / an object of another scope
    if status >= 500:
        m.failures.append(f"{cell}: HTTP {status}")
    elif permitted and status == 404 and never:
        m.undecided(
            "404: the role never sees such an object (the policy admits it, the code never does)", cell
        )
    elif permitted and refused and rule.owner and status == 403 and code not in ROLE_CODES:
        m.undecided(f"403 {code}: an object of another scope, role check not told apart", cell)
    elif permitted and refused:
        m.failures.append(f"{cell}: refused ({status} {code}) but the policy allows it")
    elif not permitted and (200 <= status < 300 or passed_role or domain):
        m.failures.append(f"{cell}: HTTP {status} {code} but the policy denies it")
    elif permitted and (200 <= status < 400 or passed_role or domain):
        m.allowed += 1
    elif not permitted and refused:
        m.denied += 1
    else:
        m.undecided(_reason(status, code), cell)


#: 403 codes that refuse a role (as against a scope): a permitted role must never get one.
ROLE_CODES = {
    "auth.role_required",
    "intake.role_required",
    "intake.staff_only",
    "catalog.not_editor",
    "identity.staff_only",
    "identity.persons_only",
    "hotline.staff_only",
    "evaluation.staff_only",
    "evaluation.not_evaluator",
    "evaluation.not_reviewer",
    "evaluation.not_handler",
    "evaluation.not_window_clerk",
    "evaluation.indicators_forbidden",
    "evaluation.callback_by_office",
    "intake.booking_forbidden",  # staff_may_not_book: only window clerks book for others
}


def _reason(status: int, code: str) -> str:
    if status == 404:
        return f"404 {code}: the object is outside the role's scope (hidden as if absent)"
    if status == 422 and code == "validation_failed":
        return "422 validation_failed: the body was refused before the role check"
    return f"{status} {code}: answered before or without the role check"


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
    w.ids["event_id"] = event["id"]
    w.ids["rating_id"] = rating.json()["id"]
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


def show_undetermined(m: Matrix) -> None:
    """Print how many cells stay undetermined and why (every cell with DRILLS_VERBOSE)."""
    verbose = bool(os.environ.get("DRILLS_VERBOSE"))
    print(f"drill {NUMBER}: {m.undetermined} cells undetermined", flush=True)
    for reason, cells in sorted(m.why.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(cells):>4}  {reason}", flush=True)
        for cell in cells if verbose else []:
            print(f"          {cell}", flush=True)
    for note in m.notes if verbose else []:
        print(f"  fixture: {note}", flush=True)


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
        fx = Fixtures(gw, doc, logins, world, await read_values(gw))
        await fx.prepare()
        await fx.rules()
        await fx.extras()
        try:
            missing = await function_level(gw, doc, logins, m, fx)
        finally:
            await fx.cleanup()
            m.notes = fx.notes
    show_failures(NUMBER, m.failures)
    show_undetermined(m)
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
