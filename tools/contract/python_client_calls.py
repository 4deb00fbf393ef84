"""Call every service through the Python client generated from the merged document, as a client author would.

Run by tests/e2e/test_api_contract.py with the contract virtualenv's python (where the generated
client's own dependencies are) and the generated package on PYTHONPATH:

    python python_client_calls.py <gateway URL> <demo password>

Prints one JSON object: for each call, the HTTP status and the name of the class the generated
client parsed the body into (a generated model, never a dict or None), and what the test checks.
"""

from __future__ import annotations

import importlib
import json
import sys
import typing
from pathlib import Path
from typing import Any

PACKAGE = "yiwang_client"


def operation(operation_id: str) -> Any:
    """The generated module of an operation: `identity-me-get` → `yiwang_client.api.<tag>.identity_me_get`."""
    root = Path(importlib.import_module(PACKAGE).__file__ or "").parent
    name = operation_id.replace("-", "_")
    found = sorted(root.glob(f"api/*/{name}.py"))
    if not found:
        raise LookupError(f"operation {operation_id} is not in the generated client")
    return importlib.import_module(f"{PACKAGE}.api.{found[0].parent.name}.{name}")


def described(response: Any) -> dict[str, Any]:
    """Status and parsed class of a generated `Response`."""
    parsed = response.parsed
    return {"status": int(response.status_code), "parsed": type(parsed).__name__}


def page(response: Any) -> dict[str, Any]:
    """A page's status, class and counts."""
    out = described(response)
    parsed = response.parsed
    if all(hasattr(parsed, key) for key in ("items", "total", "limit", "offset")):
        out.update(total=parsed.total, count=len(parsed.items), limit=parsed.limit)
    return out


def main(base_url: str, password: str) -> dict[str, Any]:
    """Make the calls; what each answered."""
    client_mod = importlib.import_module(f"{PACKAGE}.client")
    anonymous = client_mod.Client(base_url=base_url, raise_on_unexpected_status=False)

    def login(username: str) -> Any:
        login_op = operation("identity-auth-login")
        # The body's model, whatever the document names it (as an editor's completion would find it).
        body_model = typing.get_type_hints(login_op.sync_detailed)["body"]
        body = body_model(username=username, password=password)
        response = login_op.sync_detailed(client=anonymous, body=body)
        token = getattr(response.parsed, "access_token", None)
        if response.status_code != 200 or not token:
            raise RuntimeError(f"login {username}: {response.status_code} {response.content[:300]!r}")
        return client_mod.AuthenticatedClient(base_url=base_url, token=token)

    def me_with_token() -> dict[str, Any]:
        answered = operation("identity-me-get").sync_detailed(client=login("13810000003"))
        account = getattr(answered.parsed, "account", None)
        return {
            **described(answered),
            "account": type(account).__name__,
            "kind": str(getattr(account, "kind", "")),
        }

    calls = {
        "me_anonymous": lambda: described(operation("identity-me-get").sync_detailed(client=anonymous)),
        "me": me_with_token,
        "catalog_items": lambda: page(
            operation("catalog-items-list").sync_detailed(client=anonymous, q="高龄津贴", limit=5)
        ),
        "intake_catalog_items": lambda: page(
            operation("intake-catalog-items-list").sync_detailed(client=anonymous)
        ),
        "hotline_tickets": lambda: page(
            operation("hotline-tickets-list").sync_detailed(client=login("handler"))
        ),
        "evaluation_bad_reviews": lambda: page(
            operation("evaluation-bad-reviews-list").sync_detailed(client=login("evaluator"))
        ),
    }
    seen: dict[str, Any] = {}
    for name, call in calls.items():
        # One failing call (an operation missing from the client, a body it cannot parse) must not
        # hide what the others did: each is reported on its own.
        try:
            seen[name] = call()
        except Exception as exc:
            seen[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return seen


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2]), ensure_ascii=False))
