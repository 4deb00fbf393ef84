"""Drill 6 — API fuzzing: Schemathesis (its Python API, in-process) generates requests for every
operation of the gateway's merged OpenAPI document, as each role, and checks every answer: no
server error (5xx) and a body that conforms to the documented response schema.

Every other example of a read (GET) names real objects — a published item's code, a unit, a
place, a rule, a ticket — in its path and fuzzes the rest, so the request gets past the 404 for a
made-up id to the code that parses versions, months and filters (issue 15, point 12: 500s that
only real ids reached). Writes keep made-up ids: fuzzing them with real ones would change the
demo data the other drills use."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import requests

from .d07_authorisation_matrix import read_values
from .env import DrillEnv
from .result import DrillResult
from .security_support import Logins, bearer, gateway_client, merged_openapi, show_failures

NUMBER = 6
NAME = "API fuzzing"

#: The roles of issue 8 (citizen, enterprise agent, window clerk, department staff, hotline
#: operator, evaluator/supervisor, admin), as demo logins.
ROLES = (
    "citizen",
    "enterprise_agent",
    "window_clerk",
    "approver",
    "hotline_agent",
    "supervisor",
    "evaluator",
    "admin",
)
#: Examples per operation and role: quick (CI) and full.
QUICK_EXAMPLES = 2
FULL_EXAMPLES = 25
#: Fuzzing these would change the platform under the other drills' feet (every call as admin
#: rotates the signing keys).
SKIP = {"POST /api/identity/v1/auth/keys/rotate"}
#: Path parameters given real values in reads (numbers such as version_no stay fuzzed).
REAL_PARAMETERS = ("code", "name", "basic_code", "place_id", "service_code", "request_id", "ref", "dimension")


def _fuzz(
    base_url: str, doc: dict[str, Any], tokens: dict[str, str], examples: int, real: dict[str, str]
) -> tuple[int, list[str], Counter[int]]:
    """Run Schemathesis over every operation for every role; (calls, failures, statuses)."""
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.result import Ok
    from schemathesis.specs.openapi.checks import response_schema_conformance

    schema = schemathesis.openapi.from_dict(doc)
    checks = [not_a_server_error, response_schema_conformance]
    calls = 0
    statuses: Counter[int] = Counter()
    failures: dict[str, str] = {}
    session = requests.Session()
    config = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )

    def run_one(operation: Any, label: str, role: str, headers: dict[str, str]) -> None:
        @config
        @given(case=operation.as_strategy())
        def one(case: Any) -> None:
            nonlocal calls
            calls += 1
            if operation.method.upper() == "GET" and calls % 2 == 0 and case.path_parameters:
                for key in case.path_parameters:
                    if key in real:
                        case.path_parameters[key] = real[key]
            try:
                response = case.call(base_url=base_url, session=session, headers=headers, timeout=20)
            except requests.RequestException as exc:
                failures.setdefault(f"{label} {role} transport", f"{label} as {role}: {type(exc).__name__}")
                return
            statuses[response.status_code] += 1
            case.validate_response(response, checks=checks)

        try:
            one()
        except (Exception, BaseExceptionGroup) as exc:  # Schemathesis' Failure / FailureGroup via Hypothesis
            text = " ".join(str(exc).split())
            kind = text.split(" - ", 1)[-1][:60]
            curl = text[text.find("curl ") :].split(" (", 1)[0] if "curl " in text else ""
            failures.setdefault(f"{label} {kind}", f"{label} as {role}: {kind} … {curl[:300]}")

    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures[f"schema {len(failures)}"] = f"an operation Schemathesis cannot read: {result.err()}"
            continue
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if label in SKIP:
            continue
        for role, token in tokens.items():
            run_one(operation, label, role, bearer(token))
    session.close()
    return calls, list(failures.values()), statuses


async def run(env: DrillEnv) -> DrillResult:
    """Fuzz every operation as every role; count calls and distinct failures."""
    start = time.monotonic()
    doc = await merged_openapi(env)
    async with gateway_client(env) as client:
        logins = Logins(client)
        tokens = {role: await logins.token(role) for role in ROLES}
        values = await read_values(client)
    real = {k: v for k, v in values.items() if k in REAL_PARAMETERS}
    examples = QUICK_EXAMPLES if env.quick else FULL_EXAMPLES
    calls, failures, statuses = await asyncio.to_thread(_fuzz, env.gateway_url, doc, tokens, examples, real)
    show_failures(NUMBER, failures)
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    operations = sum(
        1 for item in doc["paths"].values() for m in item if m in ("get", "put", "post", "patch", "delete")
    )
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not failures,
        figures={
            "cases tried": calls,
            "failed": len(failures),
            "operations": operations - len(SKIP),
            "roles": len(ROLES),
            "5xx": server_errors,
            "real ids": len(real),
        },
        notes="; ".join([*failures[:3], f"{examples} examples per operation and role"]),
        seconds=time.monotonic() - start,
    )
