"""The catalogue through the gateway: an editor publishes an entry, anyone finds and reads it."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path

import httpx
import nats
from helpers import assert_problem, bearer, login, register
from nats.js.api import ConsumerConfig, DeliverPolicy

from yiwang_shared.testing.nats import NatsServer

DEMO_PASSWORD = "Demo#2026"
UNIT = {"code": "110105-ZWGLJ", "name": "区政务服务管理局"}  # the demo editor's unit


#: A complete entry (高龄老年人津贴 from the demo catalogue) as a client would send it.
COMPLETE_ENTRY = Path(__file__).with_name("data") / "complete_entry.json"


def _complete_entry(name: str) -> dict[str, object]:
    doc: dict[str, object] = json.loads(COMPLETE_ENTRY.read_text(encoding="utf-8"))
    keywords = list(doc["keywords"])  # type: ignore[call-overload]
    doc.update(name=name, implementing_unit=UNIT, keywords=[*keywords, "端到端"])
    return doc


async def _create_when_unit_known(
    gw: httpx.AsyncClient, token: str, doc: dict[str, object]
) -> httpx.Response:
    # The unit reaches catalog-svc's read model through identity's events: wait for it.
    deadline = time.monotonic() + 30
    while True:
        resp = await gw.post("/api/catalog/v1/items", json={"elements": doc}, headers=bearer(token))
        if resp.status_code != 422 or resp.json().get("code") != "catalog.unknown_unit":
            return resp
        assert time.monotonic() < deadline, "org unit never reached catalog-svc"
        await asyncio.sleep(0.3)


async def test_editor_publishes_and_anyone_finds_and_reads_the_guide(
    gw: httpx.AsyncClient, e2e_nats: NatsServer
) -> None:
    editor = (await login(gw, "editor", DEMO_PASSWORD))["access_token"]
    name = f"高龄老年人津贴端到端{uuid.uuid4().hex[:6]}"
    resp = await _create_when_unit_known(gw, editor, _complete_entry(name))
    assert resp.status_code == 201, resp.text
    code = resp.json()["code"]
    # The Location is the gateway's path to the new entry, and it answers there.
    assert resp.headers["location"] == f"/api/catalog/v1/items/{code}"
    assert (await gw.get(resp.headers["location"], headers=bearer(editor))).json()["code"] == code
    assert (
        await gw.post(f"/api/catalog/v1/items/{code}/versions/1/submit", headers=bearer(editor))
    ).status_code == 200
    # A reviewer other than the author publishes (the author may not: 一审一核).
    reviewer = (await login(gw, "admin", DEMO_PASSWORD))["access_token"]
    resp = await gw.post(f"/api/catalog/v1/items/{code}/versions/1/publish", headers=bearer(reviewer))
    assert resp.status_code == 200, resp.text

    # Anyone, without a token: search (a page), the guide, and the printable page it links to.
    found = await gw.get("/api/catalog/v1/items", params={"q": "高龄津贴 端到端", "limit": 10})
    assert found.status_code == 200, found.text
    page = found.json()
    assert (page["limit"], page["offset"]) == (10, 0) and page["total"] >= 1
    assert code in [i["code"] for i in page["items"]]
    guide = (await gw.get(f"/api/catalog/v1/items/{code}/guide")).json()
    assert guide["name"] == name and guide["html_url"] == f"/api/catalog/v1/items/{code}/guide.html"
    html = await gw.get(guide["html_url"])
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert name in html.text

    # The published event carries the whole version for consumers' read models.
    nc = await nats.connect(e2e_nats.url)
    try:
        sub = await nc.jetstream().pull_subscribe(
            "catalog.item.published.v1",
            stream="CATALOG",
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL),
        )
        payloads = []
        deadline = time.monotonic() + 20
        # By name: the SQLite and PostgreSQL runs share the stream and may hand out the same code.
        while not any(name in p for p in payloads):
            assert time.monotonic() < deadline, "no catalog.item.published.v1 for the entry"
            try:
                msgs = await sub.fetch(50, timeout=1)
            except TimeoutError:  # nats.errors.TimeoutError, or the bare one an empty fetch raises
                continue
            payloads += [m.data.decode() for m in msgs]
        [event] = [json.loads(p) for p in payloads if name in p]
        assert event["data"]["item_code"] == code and event["data"]["elements"]["name"] == name
    finally:
        await nc.close()


async def test_citizens_cannot_write_and_quality_errors_block_publishing(gw: httpx.AsyncClient) -> None:
    citizen = await register(gw, "市民甲")
    token = (await login(gw, citizen["resident_id"]))["access_token"]
    resp = await gw.post(
        "/api/catalog/v1/items", json={"elements": _complete_entry("越权")}, headers=bearer(token)
    )
    body = assert_problem(resp, 403, "catalog.not_editor")
    assert str(body["detail"]).startswith("只有实施单位的事项目录编辑人员")
    resp = await gw.post(
        "/api/catalog/v1/items",
        json={"elements": _complete_entry("越权")},
        headers={**bearer(token), "Accept-Language": "en"},
    )
    assert str(assert_problem(resp, 403, "catalog.not_editor")["detail"]).startswith("Only catalogue editors")

    editor = (await login(gw, "editor", DEMO_PASSWORD))["access_token"]
    bad = _complete_entry(f"质量不合格{uuid.uuid4().hex[:6]}")
    bad["supervision_phone"] = bad["enquiry_phone"]  # the same number twice
    resp = await _create_when_unit_known(gw, editor, bad)
    assert resp.status_code == 201, resp.text
    code = resp.json()["code"]
    await gw.post(f"/api/catalog/v1/items/{code}/versions/1/submit", headers=bearer(editor))
    # A reviewer other than the author publishes (the author may not: 一审一核).
    reviewer = (await login(gw, "admin", DEMO_PASSWORD))["access_token"]
    resp = await gw.post(f"/api/catalog/v1/items/{code}/versions/1/publish", headers=bearer(reviewer))
    body = assert_problem(resp, 422, "catalog.quality_errors")
    assert str(body["detail"]).startswith(f"事项 {code} 的第 1 版有")
    assert any(f["check"] == "phones.same_number" for f in body["findings"])  # type: ignore[union-attr]
    # Unknown enumeration values are a 422 naming the field.
    wrong = _complete_entry("类型错误")
    wrong["item_type"] = "99"
    body = assert_problem(
        await gw.post("/api/catalog/v1/items", json={"elements": wrong}, headers=bearer(editor)), 422
    )
    assert any("item_type" in e["field"] for e in body["errors"])  # type: ignore[union-attr]


async def test_lists_are_pages_and_filters_take_only_known_values(gw: httpx.AsyncClient) -> None:
    basics = (await gw.get("/api/catalog/v1/basic-items", params={"limit": 1})).json()
    assert set(basics) == {"items", "total", "total_exact", "limit", "offset"} and len(basics["items"]) == 1
    body = assert_problem(await gw.get("/api/catalog/v1/basic-items", params={"limit": 201}), 422)
    assert [e["field"] for e in body["errors"]] == ["query.limit"]  # type: ignore[union-attr]
    body = assert_problem(await gw.get("/api/catalog/v1/items", params={"item_type": "99"}), 422)
    assert str(body["errors"][0]["message"]).startswith("应为以下之一：")  # type: ignore[index]
    # A version number no entry can have is a 422 naming the bound, not a database error.
    body = assert_problem(await gw.get("/api/catalog/v1/items/X/versions/9223372036854775808"), 422)
    assert body["errors"][0]["field"] == "path.version_no"  # type: ignore[index]
