"""The security drills' own logic, without a platform: the log scanner finds clear personal
numbers and leaves masked ones, the problem check, the schema-shaped bodies, the policy table's
shape. (The drills themselves run against real processes in `make drills`.)"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from drills.authorisation_policy import ANONYMOUS, EVERYONE, POLICY, STAFF_ROLES  # noqa: E402
from drills.d12_personal_data import is_clear_resident_id, scan_line  # noqa: E402
from drills.security_support import (  # noqa: E402
    ROLE_LOGINS,
    Operation,
    fill_path,
    mobile,
    operations,
    problem_issue,
    resident_id,
    shaped_body,
)


def test_log_scan_finds_clear_numbers_and_ignores_masked_ones() -> None:
    rid, phone = resident_id(), mobile()
    assert scan_line(f'{{"msg": "registered", "resident_id": "{rid}", "phone": "{phone}"}}') == [
        rid[:6] + "********" + rid[-4:],
        phone[:3] + "****" + phone[-4:],
    ]
    assert scan_line(f"resident {rid[:6]}********{rid[-4:]} phone {phone[:3]}****{phone[-4:]}") == []
    # A wrong check digit is not a resident ID; hex ids and longer digit runs are not phones.
    wrong = rid[:17] + ("0" if rid[17] != "0" else "1")
    assert scan_line(f"id {wrong} rid 9f{phone}ab ts 1{phone}") == []
    # A request id is hex: one whose digits happen to spell a valid resident ID is not one
    # (drill 12 flagged ed86ab005da71b280000000000000302 on PostgreSQL, stop 27).
    assert is_clear_resident_id("280000000000000302")
    assert scan_line('{"request_id": "ed86ab005da71b280000000000000302", "status": 200}') == []


def test_problem_check_wants_rfc7807_with_matching_status() -> None:
    good = httpx.Response(
        422,
        headers={"content-type": "application/problem+json"},
        json={"type": "about:blank", "title": "Unprocessable", "status": 422, "detail": "name: too long"},
    )
    assert problem_issue(good) is None
    assert "content-type" in str(problem_issue(httpx.Response(422, json={"detail": "x"})))
    wrong_status = httpx.Response(
        400,
        headers={"content-type": "application/problem+json"},
        json={"type": "t", "title": "t", "status": 422, "detail": "d"},
    )
    assert "422" in str(problem_issue(wrong_status))


def test_shaped_body_follows_refs_and_puts_the_text_in_free_strings() -> None:
    doc = {
        "components": {
            "schemas": {
                "Inner": {"type": "object", "properties": {"note": {"type": "string"}}},
                "Body": {
                    "type": "object",
                    "properties": {
                        "title": {"type": "string"},
                        "kind": {"enum": ["a", "b"]},
                        "when": {"type": "string", "format": "date"},
                        "count": {"type": "integer", "minimum": 3},
                        "inner": {"anyOf": [{"$ref": "#/components/schemas/Inner"}, {"type": "null"}]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        }
    }
    body = shaped_body(doc, {"$ref": "#/components/schemas/Body"}, "<script>")
    assert body == {
        "title": "<script>",
        "kind": "a",
        "when": "2026-12-01",
        "count": 3,
        "inner": {"note": "<script>"},
        "tags": ["<script>"],
    }


def test_paths_are_filled_and_operations_know_their_service() -> None:
    op = Operation("GET", "/api/intake/v1/applications/{application_id}/notices/{notice_id}", "x", {})
    assert op.path_params == ["application_id", "notice_id"]
    assert op.service == "intake"
    assert (
        fill_path(op.path, {"application_id": "A"}, default="Z") == "/api/intake/v1/applications/A/notices/Z"
    )
    assert fill_path("/open311/v2/requests.{fmt}") == "/open311/v2/requests.json"
    assert Operation("GET", "/open311/v2/services.{fmt}", "y", {}).service == "hotline"


def test_policy_entries_name_known_roles_and_public_paths() -> None:
    known = set(ROLE_LOGINS) | {ANONYMOUS}
    assert known >= STAFF_ROLES and known >= EVERYONE
    for key, rule in POLICY.items():
        method, path = key.split(" ", 1)
        assert method in {"GET", "POST", "PUT", "PATCH", "DELETE"}, key
        assert path.startswith(("/api/", "/open311/")), key
        assert rule.roles and rule.roles <= known, key


def _answer(status: int, code: str = "") -> httpx.Response:
    if not code:
        return httpx.Response(status, json={})
    problem = {"type": "t", "title": "t", "status": status, "detail": "d", "code": code}
    return httpx.Response(status, headers={"content-type": "application/problem+json"}, json=problem)


def test_drill_7_decides_a_cell_only_from_answers_given_after_the_role_check() -> None:
    from drills.d07_authorisation_matrix import Matrix, _judge

    deliver = Operation("POST", "/api/intake/v1/applications/{application_id}/deliver", "d", {})
    ticket = Operation("GET", "/api/hotline/v1/tickets/{ticket_id}", "t", {})
    rule, ticket_rule = POLICY[deliver.key], POLICY[ticket.key]
    m = Matrix()

    def judge(op: Operation, role: str, resp: httpx.Response) -> None:
        _judge(m, op, POLICY[op.key], role, f"{op.key} as {role}", resp)

    # Intake checks the role before the state: a 409 decides "allowed" for a role the table
    # admits, and is a leak for one it does not; the unit check comes second as well.
    judge(deliver, "window_clerk", _answer(409, "intake.invalid_transition"))
    judge(deliver, "handler", _answer(403, "intake.not_handling_unit"))
    assert (m.allowed, m.failures) == (2, [])
    judge(deliver, "supervisor", _answer(409, "intake.invalid_transition"))
    assert len(m.failures) == 1 and "policy denies it" in m.failures[0]
    # A role refusal for a role the table admits is a disagreement; for another, a denial.
    judge(deliver, "approver", _answer(403, "intake.role_required"))
    judge(deliver, "citizen", _answer(403, "intake.role_required"))
    assert len(m.failures) == 2 and "refused" in m.failures[1] and m.denied == 1
    # Pydantic's refusal and an object out of the role's scope decide nothing, with the reason.
    judge(deliver, "approver", _answer(422, "validation_failed"))
    judge(deliver, "admin", _answer(404, "intake.application_not_found"))
    assert m.undetermined == 2 and len(m.why) == 2
    # Hotline shows a ticket to nobody outside the desk, its caller and the units it went to.
    judge(ticket, "approver", _answer(404, "hotline.ticket_not_found"))
    assert m.undetermined == 3 and ticket_rule.permits("approver") and rule.owner
    assert not POLICY["POST /api/intake/v1/applications/{application_id}/resubmit"].permits("supervisor")


def test_the_policy_lists_every_operation_of_the_committed_api_exactly() -> None:
    """Every operation of docs/api/openapi.json has its policy entry and no entry is stale: a new
    endpoint without one fails here in `make test`, not only in `make drills`."""
    doc = json.loads((REPO / "docs/api/openapi.json").read_text())
    keys = {op.key for op in operations(doc)}
    assert sorted(keys - set(POLICY)) == [], "no entry in drills/authorisation_policy.py"
    assert sorted(set(POLICY) - keys) == [], "policy entries for operations the API no longer has"
