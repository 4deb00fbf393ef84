"""The declared state machines (catalog.lifecycles) and the declared error codes: every state is
reachable, nothing leaves a final state, and an action a state does not allow is the service's 409."""

from __future__ import annotations

import inspect

import httpx
import pytest
from catalog_support import admin, create, editor, elements, publish

from catalog import errors
from catalog.lifecycles import ITEM, VERSION
from yiwang_shared.errors import ProblemError, declared_errors
from yiwang_shared.lifecycle import Lifecycle, TransitionRefused
from yiwang_shared.testing.tokens import TestTokens


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


@pytest.mark.parametrize(("machine"), [ITEM, VERSION], ids=["item", "version"])
def test_machine_shape(machine: Lifecycle) -> None:
    assert _reachable(machine, "draft") == set(machine.states)
    assert machine.final_states == ["retired"]
    assert machine.allowed("retired") == []
    with pytest.raises(TransitionRefused):
        machine.target("retired", "publish")


def test_version_moves() -> None:
    assert VERSION.allowed("draft") == ["edit", "submit", "publish_directly", "retire"]
    assert VERSION.sources("publish") == ["in_review"]  # a person publishes only what was reviewed
    assert VERSION.sources("edit") == ["draft"]  # published versions are immutable
    assert VERSION.target("published", "supersede") == "retired"
    assert ITEM.sources("new_version") == ["published"]


def _refused(resp: httpx.Response, code: str = "catalog.invalid_transition") -> dict[str, object]:
    """The 409 body of a refused action, asserting its code."""
    assert resp.status_code == 409, resp.text
    body = resp.json()
    assert body["code"] == code
    return body  # type: ignore[no-any-return]


async def test_refused_version_actions_are_409(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed = editor(tokens)
    code = (await create(cat, ed, elements()))["code"]
    url = f"/v1/items/{code}/versions/1"

    refused = _refused(await cat.post(f"{url}/publish", headers=editor(tokens)))
    assert refused["detail"] == (
        f"事项 {code} 的第 1 版当前为“草稿”，不能发布。只有审核中的版本可以发布，请先提交审核。"
    )
    assert refused["status_now"] == "draft"
    refused = _refused(await cat.post(f"{url}/return", headers=ed, json={}))
    assert refused["detail"] == (
        f"事项 {code} 的第 1 版当前为“草稿”，不能退回修改。只有审核中的版本可以退回修改。"
    )

    assert (await cat.post(f"{url}/submit", headers=ed)).status_code == 200
    assert _refused(await cat.post(f"{url}/submit", headers=ed))["status_now"] == "in_review"
    edit = await cat.put(url, headers=ed, json={"elements": elements()})
    assert _refused(edit, "catalog.version_immutable")["status_now"] == "in_review"


async def test_refused_item_actions_are_409(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed = editor(tokens)
    code = (await create(cat, ed, elements()))["code"]
    assert _refused(await cat.post(f"/v1/items/{code}/versions", headers=ed))["status_now"] == "draft"

    await publish(cat, ed, code, reviewer=editor(tokens))
    assert (await cat.post(f"/v1/items/{code}/retire", headers=admin(tokens), json={})).status_code == 200
    twice = _refused(await cat.post(f"/v1/items/{code}/retire", headers=ed))
    assert twice["detail"] == f"事项 {code} 已停用，无需再次停用。"
    late = _refused(await cat.post(f"/v1/items/{code}/versions/1/publish", headers=editor(tokens)))
    assert late["status_now"] == "retired"


def test_every_error_is_declared() -> None:
    """Each error class with a code is registered (code prefix `catalog.`) with a one-line meaning."""
    classes = [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, ProblemError) and cls.__module__ == errors.__name__ and "code" in cls.__dict__
    ]
    declared = {e.code: e for e in declared_errors("catalog")}
    assert sorted(cls.code for cls in classes) == sorted(declared)
    assert all(code.startswith("catalog.") for code in declared)
    assert all(e.meaning and e.meaning.endswith(".") for e in declared.values())
