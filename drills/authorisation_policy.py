"""Who may call each operation of the merged API (drill 7). Reviewed by hand: every operation the
gateway's OpenAPI document lists must have an entry here, or drill 7 fails.

Keys are `METHOD /public/path`. A Rule lists the roles that get past the function-level check
(roles as in drills.security_support.ROLE_LOGINS, plus "anonymous"); `owner` says that an
object with an id in the path is further limited to its owner or the staff of its scope (tried
by drill 7's object-level part).
"""

from __future__ import annotations

from dataclasses import dataclass

ANONYMOUS = "anonymous"

CITIZEN_ROLES = frozenset({"citizen", "enterprise_agent"})
STAFF_ROLES = frozenset(
    {
        "window_clerk",
        "approver",
        "hotline_agent",
        "dispatcher",
        "handler",
        "supervisor",
        "catalog_editor",
        "evaluator",
        "admin",
    }
)
LOGGED_IN = CITIZEN_ROLES | STAFF_ROLES
EVERYONE = LOGGED_IN | {ANONYMOUS}


@dataclass(frozen=True)
class Rule:
    """The roles admitted to an operation, and whether objects are limited to owner/scope."""

    roles: frozenset[str]
    owner: bool = False
    credentials: bool = False  # the body carries credentials: a 401 means wrong ones, not a refusal

    def permits(self, role: str) -> bool:
        """True if `role` passes the function-level check."""
        return role in self.roles


def only(*roles: str, owner: bool = False) -> Rule:
    """These roles, and the administrator (who holds every staff permission)."""
    return Rule(frozenset(roles) | {"admin"}, owner)


PUBLIC = Rule(EVERYONE)
CREDENTIALS = Rule(EVERYONE, credentials=True)  # anyone, with credentials in the body
ANY_LOGIN = Rule(LOGGED_IN)
OWNED = Rule(LOGGED_IN, owner=True)  # any login reaches it; objects only for their owner/scope
STAFF = Rule(STAFF_ROLES)
STAFF_OWNED = Rule(STAFF_ROLES, owner=True)

POLICY: dict[str, Rule] = {}

_ID = "/api/identity/v1"
_CAT = "/api/catalog/v1"
_IN = "/api/intake/v1"
_HL = "/api/hotline/v1"
_EV = "/api/evaluation/v1"
_LI = "/api/licence/v1"
_LICENCE = f"{_LI}/licences/{{licence_id}}"
_CASE = f"{_EV}/bad-reviews/{{case_id}}"
_APP = f"{_IN}/applications/{{application_id}}"
_BUNDLE_APPS = f"{_IN}/bundle-applications"
_BUNDLE = f"{_BUNDLE_APPS}/{{bundle_application_id}}"
_TICKET = f"{_HL}/tickets/{{ticket_id}}"
_KB = f"{_HL}/kb/entries/{{entry_id}}"
_VERSION = f"{_CAT}/items/{{code}}/versions/{{version_no}}"

#: Editors of the catalogue (of the item's implementing unit, checked on the object).
CATALOG_EDITORS = only("catalog_editor", owner=True)
#: Staff who run a case at the window or decide it (intake-svc `access`, `acceptance`).
ACCEPTING = only("window_clerk", "approver", owner=True)
DECIDING = only("approver", "handler", owner=True)
HOTLINE_STAFF = only("hotline_agent", "dispatcher", "supervisor", "handler")
#: Hotline desk (hotline-svc `access`, `handling`).
CALLBACK = only("hotline_agent", "supervisor", owner=True)
KB_EDITORS = only("hotline_agent", "supervisor", "catalog_editor", owner=True)
KB_REVIEWERS = only("supervisor", owner=True)

POLICY.update(
    {
        # ---------------------------------------------------------------- identity-svc
        f"POST {_ID}/auth/login": CREDENTIALS,
        f"POST {_ID}/auth/refresh": CREDENTIALS,  # the refresh token is the credential
        f"POST {_ID}/auth/logout": CREDENTIALS,  # the same
        f"POST {_ID}/auth/act-for": Rule(CITIZEN_ROLES),  # persons act for enterprises; staff never
        f"GET {_ID}/auth/jwks": PUBLIC,
        f"GET {_ID}/auth/revocations": PUBLIC,  # digests only, polled by every service (issue 15, point 9)
        f"GET {_ID}/auth/keys": only(),
        f"GET {_ID}/auth/keys/{{kid}}": only(),
        f"POST {_ID}/auth/keys/rotate": only(),
        f"POST {_ID}/persons": PUBLIC,  # registration
        f"GET {_ID}/persons/{{person_id}}": OWNED,
        # The walk-in at the window (issue 14): staff who serve the public find and register people.
        f"POST {_ID}/persons/lookup": only("window_clerk", "approver", "hotline_agent", "handler"),
        f"GET {_ID}/persons/lookups": only("supervisor"),
        f"POST {_ID}/persons/walk-ins": only("window_clerk"),
        f"GET {_ID}/persons/{{person_id}}/contact": only("window_clerk", "approver", "handler"),
        # The working-day calendar: one owner, administrators edit it; everyone reads it.
        f"GET {_ID}/calendar/days": PUBLIC,
        f"GET {_ID}/calendar/years": PUBLIC,
        f"GET {_ID}/calendar/add": PUBLIC,
        f"GET {_ID}/calendar/between": PUBLIC,
        f"PUT {_ID}/calendar/days/{{day}}": only(),
        f"POST {_ID}/calendar/years/{{year}}/import": only(),
        # 免申即享: administrators run the birthday pass for a day (its contact tickets are redeemed
        # by services directly at identity-svc: not routed by the gateway, not in this document)
        f"POST {_ID}/birthday-passes": only(),
        f"GET {_ID}/birthday-passes": only(),
        f"GET {_ID}/me": ANY_LOGIN,
        f"POST {_ID}/me/password": ANY_LOGIN,
        f"POST {_ID}/staff": only(),
        f"GET {_ID}/staff": only("supervisor"),
        f"GET {_ID}/staff/{{staff_id}}": OWNED,  # oneself, or admin/supervisor
        f"PATCH {_ID}/staff/{{staff_id}}": only(),
        f"PUT {_ID}/accounts/{{account_id}}/loa": only(),
        f"GET {_ID}/org-units": PUBLIC,
        f"POST {_ID}/org-units": only(),
        f"GET {_ID}/org-units/tree": PUBLIC,
        f"GET {_ID}/org-units/{{ref}}": PUBLIC,
        f"PATCH {_ID}/org-units/{{ref}}": only(),
        # The registering person becomes its legal representative: persons only, staff never
        # (identity.persons_only; found by drill 7 with real bodies, issue 15 point 15).
        f"POST {_ID}/enterprises": Rule(CITIZEN_ROLES),
        f"GET {_ID}/enterprises": ANY_LOGIN,  # the caller's own (staff: all)
        f"GET {_ID}/enterprises/{{enterprise_id}}": OWNED,
        f"PUT {_ID}/enterprises/{{enterprise_id}}/loa": only(),
        # A claim is verified or rejected at the window after seeing the licence and the
        # representative's ID (issue 15, point 6).
        f"POST {_ID}/enterprises/{{enterprise_id}}/verify": only("window_clerk"),
        f"POST {_ID}/enterprises/{{enterprise_id}}/reject": only("window_clerk"),
        # the legal representative (or an agent who may delegate): persons only (persons_only)
        f"POST {_ID}/enterprises/{{enterprise_id}}/grants": Rule(CITIZEN_ROLES, owner=True),
        f"GET {_ID}/grants": ANY_LOGIN,  # grants the caller gave or holds
        # services and staff ask; a person only about themself (identity.check_forbidden)
        f"GET {_ID}/grants/check": OWNED,
        f"GET {_ID}/grants/{{grant_id}}": OWNED,
        f"POST {_ID}/grants/{{grant_id}}/confirm": OWNED,  # the grantee
        f"POST {_ID}/grants/{{grant_id}}/revoke": OWNED,  # the grantor
        # ---------------------------------------------------------------- catalog-svc
        f"GET {_CAT}/items": PUBLIC,
        f"GET {_CAT}/item-versions": only("catalog_editor"),  # drafts and versions in review
        f"POST {_CAT}/items": CATALOG_EDITORS,
        f"GET {_CAT}/items/{{code}}": PUBLIC,
        f"GET {_CAT}/items/{{code}}/versions": PUBLIC,  # drafts only for editors (object level)
        f"POST {_CAT}/items/{{code}}/versions": CATALOG_EDITORS,
        f"GET {_VERSION}": PUBLIC,
        f"PUT {_VERSION}": CATALOG_EDITORS,
        f"POST {_VERSION}/submit": CATALOG_EDITORS,
        f"POST {_VERSION}/return": CATALOG_EDITORS,
        f"POST {_VERSION}/publish": CATALOG_EDITORS,
        f"POST {_CAT}/items/{{code}}/retire": CATALOG_EDITORS,
        f"GET {_CAT}/items/{{code}}/diff": PUBLIC,
        f"GET {_CAT}/items/{{code}}/history": CATALOG_EDITORS,
        f"GET {_VERSION}/quality": PUBLIC,
        f"GET {_CAT}/items/{{code}}/guide": PUBLIC,
        f"GET {_CAT}/items/{{code}}/guide.html": PUBLIC,
        f"GET {_CAT}/basic-items": PUBLIC,
        f"POST {_CAT}/basic-items": only("catalog_editor"),
        f"GET {_CAT}/basic-items/{{basic_code}}": PUBLIC,
        f"GET {_CAT}/reports/quality": PUBLIC,
        f"GET {_CAT}/reports/reduction": PUBLIC,
        f"GET {_CAT}/reports/halving": PUBLIC,
        f"GET {_CAT}/bundles": PUBLIC,
        f"POST {_CAT}/bundles": only("catalog_editor"),
        f"GET {_CAT}/bundles/{{code}}": PUBLIC,
        f"GET {_CAT}/export/items.json": PUBLIC,
        f"GET {_CAT}/export/cpsv-ap.jsonld": PUBLIC,
        # Bulk import: editors (each row only for their own unit, checked per row: services/
        # imports.py → items._authorise_write) and admins; the format and the template are public.
        f"POST {_CAT}/imports": only("catalog_editor"),
        f"GET {_CAT}/imports/format": PUBLIC,
        f"GET {_CAT}/imports/template": PUBLIC,
        # ---------------------------------------------------------------- intake-svc
        # citizens online; window clerks and handlers (帮办代办) for others — no other staff role
        # receives applications (intake submission.channel_of; found by drill 7, issue 15 point 15)
        f"POST {_IN}/applications": Rule(CITIZEN_ROLES | {"window_clerk", "handler", "admin"}),
        f"GET {_IN}/applications": ANY_LOGIN,  # the caller's own, or the unit's
        f"GET {_APP}": OWNED,
        # 一件事: received as a single application is; its one notice, acceptance and delivery by
        # the roles that take those steps on a case (intake services.bundles checks them first)
        f"POST {_BUNDLE_APPS}": Rule(CITIZEN_ROLES | {"window_clerk", "handler", "admin"}),
        f"GET {_BUNDLE_APPS}": ANY_LOGIN,  # the caller's own, or those with a case the caller sees
        f"GET {_BUNDLE}": OWNED,
        f"POST {_BUNDLE}/notice": ACCEPTING,
        f"POST {_BUNDLE}/accept": ACCEPTING,
        f"POST {_BUNDLE}/resubmit": Rule(CITIZEN_ROLES | {"window_clerk", "handler", "admin"}, owner=True),
        f"POST {_BUNDLE}/deliver": only("window_clerk", "approver", "handler", owner=True),
        f"POST {_BUNDLE}/waybills": only("window_clerk", "approver", "handler", owner=True),
        f"GET {_BUNDLE}/waybills": OWNED,
        # 免申即享 offers: a citizen their own, staff their units' (oversight every one); only the
        # person offered it answers, from their own login (not staff, not as an enterprise's agent)
        f"GET {_IN}/offers": ANY_LOGIN,
        f"GET {_IN}/offers/{{offer_id}}": OWNED,
        f"POST {_IN}/offers/{{offer_id}}/confirm": Rule(frozenset({"citizen"}), owner=True),
        f"POST {_IN}/offers/{{offer_id}}/decline": Rule(frozenset({"citizen"}), owner=True),
        # 告知承诺 post-checks: staff see their units'; the deciding unit records the result
        f"GET {_IN}/post-checks": STAFF,
        f"GET {_IN}/post-checks/{{check_id}}": STAFF_OWNED,
        f"POST {_IN}/post-checks/{{check_id}}/result": DECIDING,
        # fees: the case's notices for whoever sees it; the providers' callbacks carry their own
        # signature (401 without); refunds by the deciding unit; the day's reconciliation
        f"GET {_APP}/fees": OWNED,
        f"POST {_IN}/payments/notify": CREDENTIALS,
        f"POST {_IN}/waybills/notify": CREDENTIALS,
        f"POST {_IN}/fees/{{fee_id}}/refund": DECIDING,
        f"GET {_IN}/fees/reconciliation": only("supervisor"),
        f"GET {_IN}/fees/reconciliations": only("supervisor"),
        f"POST {_IN}/fees/reconciliations": only("supervisor"),
        f"POST {_APP}/waybills": only("window_clerk", "approver", "handler", owner=True),
        f"GET {_APP}/waybills": OWNED,
        # the applicant side, or the staff who take materials in
        f"POST {_APP}/resubmit": Rule(CITIZEN_ROLES | {"window_clerk", "handler", "admin"}, owner=True),
        f"POST {_APP}/notice": ACCEPTING,
        f"POST {_APP}/licence-fetches": ACCEPTING,
        f"POST {_APP}/accept": ACCEPTING,
        f"POST {_APP}/hand-over": ACCEPTING,
        # the applicant hands in what was missing, or a clerk takes it in
        f"POST {_APP}/deficiencies": Rule(CITIZEN_ROLES | {"window_clerk", "handler", "admin"}, owner=True),
        f"POST {_APP}/steps": DECIDING,
        f"POST {_APP}/pause": DECIDING,
        f"POST {_APP}/resume": DECIDING,
        f"POST {_APP}/extend": DECIDING,
        f"POST {_APP}/approve": DECIDING,
        f"POST {_APP}/refuse": DECIDING,
        f"POST {_APP}/refuse-acceptance": ACCEPTING,  # 不予受理
        # 咨询预审: staff of a community station who take materials in (the unit is checked inside)
        f"POST {_APP}/prereview": only("window_clerk", "handler", owner=True),
        # 催办/督办 (issue 14): work lists of the people named, the board for those who see the cases.
        f"GET {_IN}/escalations/mine": STAFF,
        f"GET {_IN}/escalations": STAFF,  # scoped to the cases the caller sees
        f"POST {_IN}/escalations/scan": only("supervisor"),
        f"GET {_IN}/escalations/{{escalation_id}}": STAFF_OWNED,
        f"POST {_IN}/escalations/{{escalation_id}}/acknowledge": STAFF_OWNED,  # only the people named
        f"GET {_APP}/escalations": STAFF_OWNED,
        f"GET {_IN}/fonts/{{file_name}}": PUBLIC,  # the CJK web font printed documents use
        f"POST {_APP}/complete": DECIDING,
        # 送达: the deciding unit, or the window clerk handing the result over at the window
        # (intake's DELIVERING_ROLES; issue 15, point 15 — the table and the code agree now).
        f"POST {_APP}/deliver": only("window_clerk", "approver", "handler", owner=True),
        # the applicant side (incl. the helper who filed it), or a window clerk for them (intake
        # permissions: is_applicant_side, INTAKE_ROLES); found by drill 7, issue 15 point 15
        f"POST {_APP}/withdraw": Rule(CITIZEN_ROLES | {"window_clerk", "handler", "admin"}, owner=True),
        f"GET {_APP}/notices/{{notice_id}}": OWNED,
        f"GET {_APP}/trace": OWNED,
        f"GET {_APP}/trace/verify": OWNED,
        f"POST {_IN}/files": ANY_LOGIN,  # materials are uploaded by applicants and clerks
        f"GET {_IN}/files/reusable": ANY_LOGIN,  # the caller's own files, by uploader (材料复用)
        f"GET {_IN}/files/{{file_id}}": OWNED,
        f"GET {_IN}/entrustments": only("window_clerk", "approver", "handler", "supervisor"),
        # administrators, or approvers of the entrusting department (its unit is checked inside)
        f"POST {_IN}/entrustments": only("approver"),
        f"POST {_IN}/entrustments/{{agreement_id}}/revoke": only(),
        f"GET {_IN}/entrustments/{{agreement_id}}": only(
            "window_clerk", "approver", "handler", "supervisor", owner=True
        ),
        f"GET {_IN}/supervision/cases": only("window_clerk", "approver", "handler", "supervisor"),
        f"GET {_IN}/supervision/summary": only("window_clerk", "approver", "handler", "supervisor"),
        f"POST {_IN}/supervision/scan": only("supervisor"),
        f"GET {_IN}/catalog-items": PUBLIC,
        f"GET {_IN}/catalog-items/{{code}}": PUBLIC,
        # the applicant's own data only (表单预填); staff are refused inside
        f"GET {_IN}/catalog-items/{{code}}/prefill": Rule(CITIZEN_ROLES),
        f"GET {_IN}/places": PUBLIC,
        f"POST {_IN}/places": only("window_clerk", "supervisor"),
        f"GET {_IN}/places/{{place_id}}": PUBLIC,
        f"PATCH {_IN}/places/{{place_id}}": only("window_clerk", "supervisor", owner=True),
        f"POST {_IN}/places/{{place_id}}/slots/generate": only("window_clerk", "supervisor", owner=True),
        f"GET {_IN}/places/{{place_id}}/slots": PUBLIC,
        f"PATCH {_IN}/slots/{{slot_id}}": only("window_clerk", "supervisor", owner=True),
        f"GET {_IN}/appointments": ANY_LOGIN,  # the caller's own
        # for oneself online; a window clerk books for a person (appointments BOOK_FOR_OTHERS_ROLES)
        f"POST {_IN}/appointments": Rule(CITIZEN_ROLES | {"window_clerk", "admin"}),
        f"GET {_IN}/appointments/{{appointment_id}}": OWNED,
        f"POST {_IN}/appointments/{{appointment_id}}/cancel": OWNED,
        f"GET {_IN}/places/{{place_id}}/appointments": only("window_clerk", owner=True),
        # The service hall queue (排队叫号, intake queue/access.py): administrators configure a hall,
        # supervisors read it; the kiosk and the big screen are anonymous (the kiosk bounded per
        # client and per hall); window clerks call at their own window (their org unit is the
        # window's) — administrators hold no window, so they are not admitted there.
        f"GET {_IN}/places/{{place_id}}/queue": only("supervisor"),
        f"PUT {_IN}/places/{{place_id}}/queue": only(),
        f"POST {_IN}/places/{{place_id}}/queue/tickets": PUBLIC,  # 取号: kiosk or a logged-in person
        f"POST {_IN}/places/{{place_id}}/queue/check-ins": PUBLIC,  # booking number + mobile in the body
        f"GET {_IN}/places/{{place_id}}/queue/display": PUBLIC,  # the hall's screen: no personal data
        # the hall's own window clerks (another hall's: 403 intake.queue_not_hall_clerk), overseers
        f"GET {_IN}/places/{{place_id}}/queue/tickets": only("window_clerk", "supervisor", owner=True),
        # the person, whoever booked it, the place's staff (appointments may_see_booking)
        f"POST {_IN}/appointments/{{appointment_id}}/check-in": OWNED,
        f"GET {_IN}/queue/tickets/{{ticket_id}}": OWNED,  # who took it, the hall's clerks, overseers
        f"GET {_IN}/queue/window": Rule(frozenset({"window_clerk"})),
        f"POST {_IN}/queue/window/call-next": Rule(frozenset({"window_clerk"})),
        f"POST {_IN}/queue/tickets/{{ticket_id}}/recall": Rule(frozenset({"window_clerk"}), owner=True),
        f"POST {_IN}/queue/tickets/{{ticket_id}}/start": Rule(frozenset({"window_clerk"}), owner=True),
        f"POST {_IN}/queue/tickets/{{ticket_id}}/complete": Rule(frozenset({"window_clerk"}), owner=True),
        f"POST {_IN}/queue/tickets/{{ticket_id}}/no-show": Rule(frozenset({"window_clerk"}), owner=True),
        f"GET {_IN}/supervision/queue-waits": only("supervisor", "evaluator"),  # 超时等候率
        # 需求预判 (intake services/forecasts.py): those who staff and oversee the halls.
        f"GET {_IN}/forecasts/demand": only("supervisor"),
        f"GET {_IN}/notifications": Rule(CITIZEN_ROLES | {"supervisor", "admin"}),  # own SMS; overseers
        f"POST {_IN}/notifications/{{notification_id}}/resend": only("supervisor"),
        # intake's copy of the calendar is read-only: identity-svc owns it.
        f"GET {_IN}/calendar/days": PUBLIC,
        f"GET {_IN}/calendar/years": PUBLIC,
        f"GET {_IN}/calendar/add": PUBLIC,
        f"GET {_IN}/calendar/between": PUBLIC,
        # ---------------------------------------------------------------- hotline-svc
        # the hotline desk registers calls, citizens file online; other staff do not (hotline
        # services/tickets.create_ticket; found by drill 7, issue 15 point 15)
        f"POST {_HL}/tickets": Rule(CITIZEN_ROLES | {"hotline_agent", "dispatcher", "supervisor", "admin"}),
        f"GET {_HL}/tickets": Rule(
            CITIZEN_ROLES | {"hotline_agent", "dispatcher", "handler", "supervisor", "admin"}
        ),
        f"GET {_TICKET}": OWNED,
        f"GET {_TICKET}/history": OWNED,
        # Likely duplicates (hotline services/duplicates.py): the ticket as its reader sees it (404
        # otherwise), then require(hotline_agent, dispatcher) — as for the merge they serve.
        f"GET {_TICKET}/duplicates": only("hotline_agent", "dispatcher", owner=True),
        f"POST {_TICKET}/divert": only("hotline_agent", "dispatcher", owner=True),
        f"POST {_TICKET}/merge": only("hotline_agent", "dispatcher", owner=True),
        f"POST {_TICKET}/answer": only("hotline_agent", owner=True),
        f"POST {_TICKET}/dispatch": only("dispatcher", owner=True),
        f"POST {_TICKET}/return": only("handler", owner=True),
        f"POST {_TICKET}/respond": only("handler", owner=True),
        f"POST {_TICKET}/extend": only("handler", "dispatcher", owner=True),  # the lead unit, or dispatch
        f"POST {_TICKET}/reply": only("handler", owner=True),
        f"POST {_TICKET}/call-back": CALLBACK,
        f"POST {_TICKET}/reopen": only("hotline_agent", "supervisor", "dispatcher", owner=True),
        f"POST {_TICKET}/close": CALLBACK,
        f"GET {_HL}/categories": PUBLIC,
        f"GET {_HL}/dispatch-rules": only("hotline_agent", "dispatcher", "supervisor", "handler"),
        f"GET {_HL}/dispatch-rules/{{rule_id}}": only("hotline_agent", "dispatcher", "supervisor", "handler"),
        f"POST {_HL}/dispatch-rules": only("dispatcher", "supervisor"),
        f"PUT {_HL}/dispatch-rules/{{rule_id}}": only("dispatcher", "supervisor"),
        f"DELETE {_HL}/dispatch-rules/{{rule_id}}": only("dispatcher", "supervisor"),
        f"GET {_HL}/time-limit-rules": PUBLIC,
        f"PUT {_HL}/time-limit-rules/{{code}}": only("supervisor"),
        f"GET {_HL}/rates": only("supervisor", "dispatcher", "hotline_agent", "evaluator", "handler"),
        f"GET {_HL}/rankings": STAFF,
        f"GET {_HL}/kb/search": STAFF,
        f"GET {_HL}/kb/usage": STAFF,
        f"POST {_HL}/kb/entries": KB_EDITORS,
        f"GET {_KB}": STAFF,
        f"PUT {_KB}/draft": KB_EDITORS,
        f"POST {_KB}/submit": KB_EDITORS,
        f"POST {_KB}/approve": KB_REVIEWERS,
        f"POST {_KB}/reject": KB_REVIEWERS,
        f"POST {_KB}/withdraw": KB_REVIEWERS,
        # Open311 GeoReport v2: public by the standard; writes need an api_key (checked inside).
        "GET /open311/v2/discovery.{fmt}": PUBLIC,
        "GET /open311/v2/services.{fmt}": PUBLIC,
        "GET /open311/v2/services/{service_code}.{fmt}": PUBLIC,
        "POST /open311/v2/requests.{fmt}": PUBLIC,
        "GET /open311/v2/requests.{fmt}": PUBLIC,
        "GET /open311/v2/requests/{request_id}.{fmt}": PUBLIC,
        "GET /open311/v2/tokens/{token}.{fmt}": PUBLIC,
        "GET /open311/v2/servicerequestupdates.{fmt}": PUBLIC,
        f"GET {_HL}/escalation-rules": only("hotline_agent", "dispatcher", "supervisor", "handler"),
        f"GET {_HL}/escalation-rules/{{rule_id}}": only(
            "hotline_agent", "dispatcher", "supervisor", "handler"
        ),
        f"POST {_HL}/escalation-rules": only("supervisor"),
        f"PUT {_HL}/escalation-rules/{{rule_id}}": only("supervisor"),
        f"DELETE {_HL}/escalation-rules/{{rule_id}}": only("supervisor"),
        f"GET {_HL}/escalations/mine": STAFF,
        f"GET {_HL}/escalations": HOTLINE_STAFF,
        f"POST {_HL}/escalations/scan": only("supervisor"),
        f"GET {_HL}/escalations/{{escalation_id}}": STAFF_OWNED,
        f"POST {_HL}/escalations/{{escalation_id}}/acknowledge": STAFF_OWNED,
        f"GET {_TICKET}/escalations": STAFF_OWNED,
        # Hot topics (hotline services/topics.py): the district's supervisors and dispatchers read
        # topics and alerts and acknowledge; merge suggestions go to those who merge; a supervisor
        # runs the pass.
        f"GET {_HL}/topics": only("supervisor", "dispatcher"),
        f"POST {_HL}/topics/scan": only("supervisor"),
        f"GET {_HL}/topics/{{topic_id}}/tickets": only("supervisor", "dispatcher"),
        f"GET {_HL}/topics/{{topic_id}}/merge-suggestions": only("hotline_agent", "dispatcher"),
        f"GET {_HL}/topic-alerts": only("supervisor", "dispatcher"),
        f"GET {_HL}/topic-alerts/{{alert_id}}": only("supervisor", "dispatcher"),
        f"POST {_HL}/topic-alerts/{{alert_id}}/acknowledge": only("supervisor", "dispatcher"),
        f"POST {_HL}/open311/keys": only(),
        f"GET {_HL}/open311/keys/{{key_id}}": only(),
        # ---------------------------------------------------------------- evaluation-svc
        f"POST {_EV}/window-visits": Rule(frozenset({"window_clerk"})),  # the clerk at the window
        # Rating pads (评价器): the evaluation office registers them; a pad's secret gets its codes.
        f"POST {_EV}/rating-devices": only("evaluator"),
        f"GET {_EV}/rating-devices": only("evaluator", "supervisor"),
        f"GET {_EV}/rating-devices/{{device_id}}": only("evaluator", "supervisor"),
        f"POST {_EV}/rating-devices/{{device_id}}/retire": only("evaluator"),
        f"POST {_EV}/rating-devices/{{device_id}}/code": CREDENTIALS,  # the pad's secret in the body
        # What a pad's one-time code rates, for the portal's /rate/<code> page: the code is the credential.
        f"GET {_EV}/rating-codes/{{code}}": PUBLIC,
        f"GET {_EV}/rating-flags": only("evaluator", "supervisor"),  # bursts on one clerk's visits
        f"POST {_EV}/rating-flags/{{flag_id}}/decision": only("evaluator"),
        f"GET {_EV}/service-events": ANY_LOGIN,  # filtered to the caller's units (none for citizens)
        f"GET {_EV}/service-events/mine": ANY_LOGIN,
        f"POST {_EV}/service-events/{{event_id}}/rating": Rule(EVERYONE, owner=True),  # login or code
        f"GET {_EV}/ratings/mine": ANY_LOGIN,
        f"GET {_EV}/service-events/{{event_id}}": OWNED,  # the person served, or staff of the unit/window
        f"GET {_EV}/ratings/{{rating_id}}": OWNED,  # the rater, or staff of the unit/window
        f"POST {_EV}/guide-views": PUBLIC,  # a counter for guide views
        f"GET {_EV}/bad-reviews": STAFF,  # the caller's units
        f"GET {_EV}/bad-reviews/mine": ANY_LOGIN,  # the rater's own cases (none for staff)
        f"GET {_CASE}": STAFF_OWNED,
        # the evaluation office calls the rater back (only it knows who rated); the unit rated asks
        # it to (call-back-request) — evaluation api/cases.py callback_by_office (issue 15, point 1)
        f"POST {_CASE}/call-back": only("supervisor", "evaluator", owner=True),
        f"POST {_CASE}/call-back-request": STAFF_OWNED,  # the unit asks the office to call back
        f"POST {_CASE}/rectify": STAFF_OWNED,
        f"POST {_CASE}/rectification-done": STAFF_OWNED,
        f"POST {_CASE}/explain": STAFF_OWNED,
        f"POST {_CASE}/appeal": STAFF_OWNED,
        # reviewed outside the unit rated: supervisors and evaluators (evaluation errors.not_reviewer;
        # administrators too are refused there — asked of evaluation's owners, issue 15 point 15)
        f"POST {_CASE}/appeal-decision": Rule(frozenset({"supervisor", "evaluator"}), owner=True),
        f"POST {_CASE}/feedback": STAFF_OWNED,
        f"POST {_CASE}/close": STAFF_OWNED,
        f"POST {_CASE}/transfer": STAFF_OWNED,
        f"POST {_CASE}/response-rating": OWNED,  # the rater rates the answer
        f"GET {_EV}/indicators/public": PUBLIC,
        f"GET {_EV}/indicators/{{dimension}}": STAFF,
        f"GET {_EV}/ranking-rules": PUBLIC,
        f"GET {_EV}/ranking-rules/{{name}}": PUBLIC,
        f"PUT {_EV}/ranking-rules/{{name}}": only("evaluator"),
        f"GET {_EV}/rankings/{{name}}": PUBLIC,
        f"GET {_EV}/reports/monthly": only("supervisor", "evaluator"),
        f"GET {_EV}/reports/charts/{{indicator}}.svg": only("supervisor", "evaluator"),
    }
)

#: The licence library (licence-svc): holders read and share their own (staff are no holders);
#: the issuing unit's approvers and handlers change a licence's state (licence api/deps IssuingStaff,
#: administrators not included); any staff member uses one for a case the holder applied in.
HOLDERS = Rule(CITIZEN_ROLES, owner=True)
ISSUING = Rule(frozenset({"approver", "handler"}), owner=True)
POLICY.update(
    {
        f"GET {_LI}/licence-types": PUBLIC,
        f"POST {_LI}/licence-types": only(),
        f"PATCH {_LI}/licence-types/{{code}}": only(),
        f"GET {_LI}/licences": Rule(CITIZEN_ROLES),  # the caller's own (or the enterprise's)
        f"GET {_LICENCE}": HOLDERS,
        f"GET {_LICENCE}/rendering": HOLDERS,
        f"GET {_LICENCE}/trail": HOLDERS,
        f"GET {_LI}/issued-licences": Rule(frozenset({"approver", "handler"})),  # the caller's unit's
        f"GET {_LI}/issued-licences/{{licence_id}}": ISSUING,
        f"POST {_LI}/licences": Rule(frozenset({"approver", "handler"})),  # the type's issuing unit (颁证)
        f"POST {_LICENCE}/suspend": ISSUING,
        f"POST {_LICENCE}/reinstate": ISSUING,
        f"POST {_LICENCE}/revoke": ISSUING,
        f"POST {_LICENCE}/shares": HOLDERS,
        f"GET {_LICENCE}/shares": HOLDERS,
        f"POST {_LICENCE}/shares/{{share_id}}/withdraw": HOLDERS,
        # staff, for a case the holder applied in (intake-svc confirms the application)
        f"POST {_LICENCE}/uses": STAFF_OWNED,
        f"GET {_LICENCE}/uses": HOLDERS,  # who used my licence
        # staff fetch the applicant's licence of a type for the case the application names
        f"POST {_LI}/case-fetches": STAFF,
        f"POST {_LI}/verifications": PUBLIC,  # valid or not, nothing personal (rate-limited)
        f"GET {_LI}/shared/{{code}}": PUBLIC,  # the share code is the credential
        f"GET {_LI}/signing-keys": PUBLIC,
    }
)
