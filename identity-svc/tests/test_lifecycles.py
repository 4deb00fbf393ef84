"""The declared state machines (identity.lifecycles) and the declared error codes: every state is
reachable, nothing leaves a final state, and an action a state does not allow is the service's 409."""

from __future__ import annotations

import inspect
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from support import Actor, new_uscc, problem, register_person, verified_enterprise

from identity import errors
from identity.lifecycles import ENTERPRISE, GRANT
from yiwang_shared.errors import ProblemError
from yiwang_shared.lifecycle import Lifecycle, TransitionRefused
from yiwang_shared.testing.openapi import render


def _reachable(machine: Lifecycle, initial: str) -> set[str]:
    seen, todo = {initial}, [initial]
    while todo:
        state = todo.pop()
        for action in machine.allowed(state):
            target = machine.target(state, action)
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize(
    ("machine", "initial", "final"),
    [(GRANT, "pending", ["revoked"]), (ENTERPRISE, "pending", ["verified", "rejected"])],
    ids=["grant", "enterprise"],
)
def test_machine_shape(machine: Lifecycle, initial: str, final: list[str]) -> None:
    assert _reachable(machine, initial) == set(machine.states)
    assert machine.final_states == final
    assert all(machine.allowed(state) == [] for state in final)
    with pytest.raises(TransitionRefused):
        machine.target(final[0], machine.actions[0])


def test_grant_moves() -> None:
    assert GRANT.target("pending", "confirm") == "active"
    assert GRANT.allowed("active") == ["revoke", "expire"]
    assert GRANT.sources("confirm") == ["pending"]
    assert GRANT.can("expired", "revoke") and not GRANT.can("revoked", "revoke")


async def test_refused_grant_action_is_409(client: httpx.AsyncClient, admin: Actor) -> None:
    rep, agent = await register_person(client, "张伟"), await register_person(client, "李娜")
    ent = await verified_enterprise(client, rep, admin)
    until = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    grant = (
        await client.post(
            f"/v1/enterprises/{ent['id']}/grants",
            headers=rep.headers,
            json={"grantee_id": agent.id, "scope": ["*"], "valid_until": until},
        )
    ).json()
    revoked = await client.post(f"/v1/grants/{grant['id']}/revoke", headers=rep.headers, json={})
    assert revoked.status_code == 200, revoked.text
    refused = problem(
        await client.post(f"/v1/grants/{grant['id']}/confirm", headers=agent.headers),
        409,
        "identity.grant_not_pending",
    )
    assert refused["grant_status"] == "revoked"
    assert refused["detail"] == "只有待确认的授权才能确认，该授权当前为“已撤销”。"
    again = await client.post(f"/v1/grants/{grant['id']}/revoke", headers=rep.headers, json={})
    assert again.status_code == 200 and again.json()["revoked_ids"] == []  # nothing leaves revoked


async def test_refused_enterprise_action_is_409(client: httpx.AsyncClient, admin: Actor) -> None:
    rep = await register_person(client)
    claim = (
        await client.post("/v1/enterprises", headers=rep.headers, json={"name": "丙公司", "uscc": new_uscc()})
    ).json()
    url = f"/v1/enterprises/{claim['id']}/reject"
    assert (await client.post(url, headers=admin.headers, json={"reason": "执照不符"})).status_code == 200
    refused = problem(
        await client.post(url, headers=admin.headers, json={"reason": "再次"}),
        409,
        "identity.enterprise_not_pending",
    )
    assert refused["enterprise_status"] == "rejected"
    assert refused["detail"] == "该企业登记已被驳回，不能再次核验。"


def test_every_error_is_listed() -> None:
    """Each error class with a code is in the document's x-problem-codes, with its status and meaning."""
    classes = [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, ProblemError) and cls.__module__ == errors.__name__ and "code" in cls.__dict__
    ]
    listed = {e["code"]: e for e in json.loads(render("identity"))["x-problem-codes"]}
    assert sorted(cls.code for cls in classes) == sorted(c for c in listed if c.startswith("identity."))
    for cls in classes:
        meaning = (cls.__doc__ or "").strip()
        assert "\n" not in meaning and meaning.endswith("."), cls
        assert listed[cls.code] == {"code": cls.code, "status": cls.status, "meaning": meaning}
