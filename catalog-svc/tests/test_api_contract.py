"""The API contract (docs/api.md) as catalog-svc keeps it: pages, typed answers, closed sets,
bounded version numbers, links that work through the gateway, problems in Chinese (English on
request), and an OpenAPI document a generated client can rely on."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from catalog_support import SC_CODE, SC_ID, admin, create, editor, elements, publish

from catalog.demo.data import demo_entries
from catalog.schemas.export import CpsvApCatalogRead, ExportEntryPage
from catalog.schemas.guide import GuideRead
from catalog.services.export import catalogue_cpsv_ap, to_json
from catalog.services.guide import guide_json
from yiwang_shared.testing.tokens import TestTokens

PREFIX = {"X-Forwarded-Prefix": "/api/catalog"}
ENGLISH = {"Accept-Language": "en"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


async def _published(cat: httpx.AsyncClient, tokens: TestTokens) -> tuple[dict[str, str], str]:
    ed = editor(tokens)
    item = await create(cat, ed, elements())
    await publish(cat, ed, item["code"], reviewer=editor(tokens))
    return ed, item["code"]


# ------------------------------------------------------------------------------------- pages


def _is_page(body: Any, limit: int, offset: int) -> bool:
    return (
        isinstance(body, dict)
        and set(body) == {"items", "total", "total_exact", "limit", "offset"}
        and (body["limit"], body["offset"]) == (limit, offset)
    )


async def test_every_collection_is_a_page(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed, code = await _published(cat, tokens)
    await cat.post(f"/v1/items/{code}/versions", headers=ed)  # version 2, a draft
    other = await create(cat, editor(tokens, SC_ID), _licence())
    await publish(cat, editor(tokens, SC_ID), other["code"], reviewer=editor(tokens, SC_ID))
    resp = await cat.post(
        "/v1/bundles", headers=ed, json={"name": "一件事", "item_codes": [code, other["code"]]}
    )
    assert resp.status_code == 201, resp.text

    for path, headers in (
        ("/v1/items", {}),
        (f"/v1/items/{code}/versions", ed),
        (f"/v1/items/{code}/history", ed),
        ("/v1/basic-items", {}),
        ("/v1/bundles", {}),
        ("/v1/export/items.json", {}),
        ("/v1/item-versions", ed),
    ):
        resp = await cat.get(path, headers=headers)
        assert resp.status_code == 200, (path, resp.text)
        assert _is_page(resp.json(), 50, 0), (path, resp.json())

    # The editor sees both versions, page by page; the public only the published one.
    page = (await cat.get(f"/v1/items/{code}/versions", headers=ed, params={"limit": 1, "offset": 1})).json()
    assert _is_page(page, 1, 1) and page["total"] == 2
    assert [(v["version_no"], v["status"]) for v in page["items"]] == [(2, "draft")]
    public = (await cat.get(f"/v1/items/{code}/versions")).json()
    assert public["total"] == 1 and [v["version_no"] for v in public["items"]] == [1]
    history = (await cat.get(f"/v1/items/{code}/history", headers=ed, params={"limit": 2})).json()
    assert history["total"] == 4 and [h["action"] for h in history["items"]] == ["created", "submitted"]
    basics = (await cat.get("/v1/basic-items", params={"limit": 1})).json()
    assert basics["total"] == 2 and len(basics["items"]) == 1
    bundles = (await cat.get("/v1/bundles", params={"offset": 1})).json()
    assert bundles["total"] == 1 and bundles["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/v1/items",
        "/v1/items/X/versions",
        "/v1/items/X/history",
        "/v1/basic-items",
        "/v1/bundles",
        "/v1/export/items.json",
        "/v1/item-versions",
    ],
)
async def test_a_limit_over_200_is_a_422_naming_it(
    cat: httpx.AsyncClient, tokens: TestTokens, path: str
) -> None:
    resp = await cat.get(path, params={"limit": 201}, headers=admin(tokens))
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert [e["field"] for e in body["errors"]] == ["query.limit"]
    assert body["errors"][0]["message"] == "应不大于 200"
    assert (await cat.get(path, params={"limit": 200}, headers=admin(tokens))).status_code in (200, 404)


# ------------------------------------------------------------------------------- closed sets


@pytest.mark.parametrize(
    ("path", "param", "value", "allowed"),
    [
        ("/v1/items", "item_type", "99", "'01'"),
        ("/v1/items", "level", "9", "7"),
        ("/v1/items", "service_object", "7", "'6'"),
        ("/v1/items", "online_depth", "V", "'IV'"),
        ("/v1/items", "community_kind", "flying", "'collect_forward'"),
        ("/v1/basic-items", "item_type", "99", "'20'"),
        ("/v1/reports/quality", "format", "xml", "'csv'"),
        ("/v1/item-versions", "status", "published", "'in_review'"),
    ],
)
async def test_unknown_values_of_a_closed_set_are_a_422_listing_the_allowed_ones(
    cat: httpx.AsyncClient, tokens: TestTokens, path: str, param: str, value: str, allowed: str
) -> None:
    resp = await cat.get(path, params={param: value}, headers=admin(tokens))
    assert resp.status_code == 422, resp.text
    [error] = resp.json()["errors"]
    assert error["field"] == f"query.{param}"
    assert error["message"].startswith("应为以下之一：") and allowed in error["message"], error


async def test_basic_items_name_filter_takes_wildcards_literally(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await _published(cat, tokens)
    assert (await cat.get("/v1/basic-items", params={"q": "%"})).json()["total"] == 0
    assert (await cat.get("/v1/basic-items", params={"q": "_"})).json()["total"] == 0
    assert (await cat.get("/v1/basic-items", params={"q": "生活保障"})).json()["total"] == 1


# ---------------------------------------------------------------------- bounded version numbers


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/items/{code}/versions/9223372036854775808", {}, "path.version_no"),
        ("/v1/items/{code}/versions/100001", {}, "path.version_no"),
        ("/v1/items/{code}/versions/-1", {}, "path.version_no"),
        ("/v1/items/{code}/versions/0/quality", {}, "path.version_no"),
        ("/v1/items/{code}/versions/9223372036854775808/quality", {}, "path.version_no"),
        ("/v1/items/{code}/guide", {"version": "9223372036854775808"}, "query.version"),
        ("/v1/items/{code}/guide.html", {"version": "-3"}, "query.version"),
        ("/v1/items/{code}/diff", {"from": "9223372036854775808", "to": "1"}, "query.from"),
        ("/v1/items/{code}/diff", {"from": "1", "to": "100001"}, "query.to"),
    ],
)
async def test_version_numbers_out_of_range_are_a_422_naming_the_bound(
    cat: httpx.AsyncClient, tokens: TestTokens, path: str, params: dict[str, str], field: str
) -> None:
    _, code = await _published(cat, tokens)
    resp = await cat.get(path.format(code=code), params=params)
    assert resp.status_code == 422, resp.text
    [error] = resp.json()["errors"]
    assert error["field"] == field
    assert error["message"] in ("应不大于 100000", "应不小于 1")


# ------------------------------------------------------------------------------------ links


async def test_every_201_has_a_location_the_client_can_follow(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    ed = editor(tokens)
    resp = await cat.post("/v1/items", headers=ed, json={"elements": elements()})
    assert resp.status_code == 201
    code = resp.json()["code"]
    assert resp.headers["location"] == f"/v1/items/{code}"
    assert (await cat.get(resp.headers["location"], headers=ed)).json()["code"] == code

    # Through the gateway the link carries its prefix.
    resp = await cat.post("/v1/items", headers={**ed, **PREFIX}, json={"elements": elements()})
    assert resp.headers["location"] == f"/api/catalog/v1/items/{resp.json()['code']}"

    await publish(cat, ed, code, reviewer=editor(tokens))
    resp = await cat.post(f"/v1/items/{code}/versions", headers={**ed, **PREFIX})
    assert resp.status_code == 201
    assert resp.headers["location"] == f"/api/catalog/v1/items/{code}/versions/2"
    follow = await cat.get(resp.headers["location"].removeprefix("/api/catalog"), headers=ed)
    assert follow.json()["version_no"] == 2

    resp = await cat.post(
        "/v1/basic-items", headers={**admin(tokens), **PREFIX}, json={"name": "x", "item_type": "01"}
    )
    assert resp.status_code == 201
    assert resp.headers["location"] == f"/api/catalog/v1/basic-items/{resp.json()['basic_code']}"

    other = await create(cat, editor(tokens, SC_ID), _licence())
    await publish(cat, editor(tokens, SC_ID), other["code"], reviewer=editor(tokens, SC_ID))
    resp = await cat.post(
        "/v1/bundles", headers={**ed, **PREFIX}, json={"name": "一件事", "item_codes": [code, other["code"]]}
    )
    assert resp.status_code == 201
    bundle = resp.json()["code"]
    assert resp.headers["location"] == f"/api/catalog/v1/bundles/{bundle}"
    assert (await cat.get(f"/v1/bundles/{bundle}")).json()["code"] == bundle


async def test_the_guide_links_its_printable_page(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    _, code = await _published(cat, tokens)
    guide = (await cat.get(f"/v1/items/{code}/guide")).json()
    assert guide["html_url"] == f"/v1/items/{code}/guide.html"
    assert (await cat.get(guide["html_url"])).headers["content-type"].startswith("text/html")
    guide = (await cat.get(f"/v1/items/{code}/guide", params={"version": 1}, headers=PREFIX)).json()
    assert guide["html_url"] == f"/api/catalog/v1/items/{code}/guide.html?version=1"
    assert guide["meta"]["version_no"] == 1 and guide["item_type"] == {"code": "07", "label": "行政确认"}


# --------------------------------------------------------------------------------- problems


async def test_problems_speak_chinese_and_english_on_request(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    resp = await cat.get("/v1/items/NOPE")
    body = resp.json()
    assert resp.status_code == 404 and body["code"] == "catalog.item_not_found"
    assert (body["title"], body["detail"]) == ("未找到", "未找到实施编码为 NOPE 的事项，请核对编码。")
    body = (await cat.get("/v1/items/NOPE", headers=ENGLISH)).json()
    assert body["detail"] == "No catalogue item with code NOPE." and body["code"] == "catalog.item_not_found"

    ed, code = await _published(cat, tokens)
    await cat.post(f"/v1/items/{code}/versions", headers=ed)
    resp = await cat.post(f"/v1/items/{code}/versions", headers=ed)
    body = resp.json()
    assert resp.status_code == 409 and body["code"] == "catalog.open_draft_exists"
    assert body["detail"] == f"事项 {code} 已有尚未发布的第 2 版，请先修改并发布该版本，再新建版本。"
    assert body["version_no"] == 2
    resp = await cat.post(f"/v1/items/{code}/versions/1/submit", headers={**ed, **ENGLISH})
    assert resp.json()["detail"] == f"Version 1 of {code} is published; it cannot be submitted."
    resp = await cat.post(f"/v1/items/{code}/versions/1/submit", headers=ed)
    assert (
        resp.json()["detail"] == f"事项 {code} 的第 1 版当前为“已发布”，不能提交审核。只有草稿可以提交审核。"
    )

    citizen = tokens.headers()
    for method, path, payload in (
        ("POST", "/v1/items", {"elements": elements()}),
        ("POST", "/v1/basic-items", {"name": "x", "item_type": "01"}),
        ("POST", "/v1/bundles", {"name": "x", "item_codes": [code, code]}),
    ):
        body = (await cat.request(method, path, headers=citizen, json=payload)).json()
        assert body["code"] == "catalog.not_editor" and body["title"] == "无权办理"
        assert _has_chinese(body["detail"]) and "catalog_editor" in body["detail"], body

    resp = await cat.post("/v1/bundles", headers=ed, json={"name": "x", "item_codes": [code, code]})
    assert resp.json()["detail"] == f"事项 {code} 在“一件事”中出现了不止一次，请删除重复的事项编码。"
    resp = await cat.get("/v1/bundles/YJS999999", headers=ENGLISH)
    assert resp.json()["detail"] == "No bundle with code YJS999999."
    resp = await cat.get("/v1/basic-items/nope")
    assert resp.json()["detail"] == "基本目录中没有编码为 nope 的事项，请核对基本编码。"


async def test_a_guide_of_an_unpublished_version_is_a_404_in_chinese(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    ed, code = await _published(cat, tokens)
    await cat.post(f"/v1/items/{code}/versions", headers=ed)
    resp = await cat.get(f"/v1/items/{code}/guide", params={"version": 2})
    assert resp.status_code == 404 and resp.json()["code"] == "catalog.version_not_found"
    assert resp.json()["detail"].startswith(f"事项 {code} 的第 2 版尚未发布。")


# ------------------------------------------------------------------------------ typed answers


async def test_exports_match_their_documented_schemas(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    await _published(cat, tokens)
    _, second = await _published(cat, tokens)
    doc = (await cat.get("/v1/export/items.json")).json()
    assert ExportEntryPage.model_validate(doc).total == 2 and _is_page(doc, 50, 0)
    page = (await cat.get("/v1/export/items.json", params={"limit": 1, "offset": 1})).json()
    assert page["total"] == 2 and [e["meta"]["code"] for e in page["items"]] == [second]
    resp = await cat.get("/v1/export/cpsv-ap.jsonld")
    assert resp.headers["content-type"].startswith("application/ld+json")
    assert "attachment" in resp.headers["content-disposition"]
    assert len(CpsvApCatalogRead.model_validate(resp.json()).graph) == 2
    assert "最低生活保障审核确认" in resp.text  # UTF-8, not \\u escapes


def test_every_demo_entry_fits_the_guide_and_export_schemas() -> None:
    entries = demo_entries()
    for n, el in enumerate(entries):
        meta = {"code": f"C{n}", "basic_code": f"B{n}", "version_no": 1, "status": "published"}
        GuideRead.model_validate({**guide_json(el, meta), "html_url": f"/v1/items/C{n}/guide.html"})
    metas = [
        (
            {
                "code": f"C{n}",
                "version_no": 1,
                "published_at": "2026-11-20T09:00:00+00:00",
                "status": "published",
                "owner_unit_code": el.implementing_unit.code,
                "owner_unit_name": el.implementing_unit.name,
            },
            el,
        )
        for n, el in enumerate(entries)
    ]
    # The CPSV-AP models refuse unknown terms: every term the export writes is documented.
    assert len(CpsvApCatalogRead.model_validate(catalogue_cpsv_ap(metas)).graph) == len(entries)
    page = {"items": [to_json(m, el) for m, el in metas], "total": len(metas), "limit": 200, "offset": 0}
    assert len(ExportEntryPage.model_validate(json.loads(json.dumps(page))).items) == len(entries)


async def test_the_quality_report_answers_json_or_csv(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    _, code = await _published(cat, tokens)
    report = (await cat.get("/v1/reports/quality")).json()
    assert report["totals"]["items"] == 1 and report["item_results"][0]["code"] == code
    csv = await cat.get("/v1/reports/quality", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("\ufeff部门")


# ---------------------------------------------------------------------------- the document


def _schema_names(node: Any) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        names = {ref.rsplit("/", 1)[-1]} if isinstance(ref, str) else set()
        return names.union(*(_schema_names(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_schema_names(v) for v in node))
    return set()


async def test_the_openapi_document_describes_every_answer(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    assert not [n for n in schemas if n.endswith(("View", "In", "Out", "Body"))]
    ops = [(p, m, op) for p, item in doc["paths"].items() for m, op in item.items()]
    assert len(ops) == 31  # with GET /v1/reports/halving (issue 20 §2)
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        ok = {code: r for code, r in op["responses"].items() if code.startswith("2")}
        assert len(ok) == 1, where
        [(code, answer)] = ok.items()
        assert answer["content"], where
        for media_type, content in answer["content"].items():
            schema = content["schema"]
            assert schema not in ({}, {"type": "object"}), where
            if media_type.endswith("json"):
                [name] = _schema_names(schema)
                assert name.endswith(("Read", "Page")), where
                if name.endswith("Page"):
                    params = {p["name"] for p in op["parameters"]}
                    assert {"limit", "offset"} <= params, where
            elif media_type == XLSX:  # the import template, a download
                assert schema == {"type": "string", "format": "binary"}, where
            else:
                assert media_type in ("text/html", "text/csv") and schema == {"type": "string"}, where
        if code == "201":
            assert "Location" in answer["headers"], where
        for status, problem in op["responses"].items():
            if status[0] in "45" or status == "default":
                assert list(problem["content"]) == ["application/problem+json"], (where, status)
    raises_409 = {
        "POST /v1/items",
        "PUT /v1/items/{code}/versions/{version_no}",
        "POST /v1/items/{code}/versions/{version_no}/submit",
        "POST /v1/items/{code}/versions/{version_no}/return",
        "POST /v1/items/{code}/versions/{version_no}/publish",
        "POST /v1/items/{code}/versions",
        "POST /v1/items/{code}/retire",
    }
    assert {f"{m.upper()} {p}" for p, m, op in ops if "409" in op["responses"]} == raises_409
    cpsv = doc["paths"]["/v1/export/cpsv-ap.jsonld"]["get"]["responses"]["200"]["content"]
    assert list(cpsv) == ["application/ld+json"]
    quality = doc["paths"]["/v1/reports/quality"]["get"]["responses"]["200"]["content"]
    assert set(quality) == {"application/json", "text/csv"}
    template = doc["paths"]["/v1/imports/template"]["get"]["responses"]["200"]["content"]
    assert set(template) == {XLSX, "text/csv"}
    upload = doc["paths"]["/v1/imports"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"413", "415", "422"} <= set(upload["responses"])


def _licence() -> dict[str, Any]:
    doc = elements(name="食品经营许可", item_type="01", unit_code=SC_CODE)
    doc["implementing_unit"].update(name="区市场监督管理局", uscc=None)
    return doc
