"""Catalogue exports through the API: JSON with every element, and CPSV-AP JSON-LD."""

import json

import httpx
from catalog_support import create, editor, elements, publish

from yiwang_shared.testing.tokens import TestTokens


async def test_exports_contain_published_entries_only(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed = editor(tokens)
    published = await create(cat, ed, elements("最低生活保障审核确认"))
    await publish(cat, ed, published["code"], reviewer=editor(tokens))
    draft = await create(cat, ed, elements("临时救助对象认定"))

    resp = await cat.get("/v1/export/items.json")
    assert resp.status_code == 200
    body = resp.json()
    codes = [entry["meta"]["code"] for entry in body["items"]]
    assert published["code"] in codes and draft["code"] not in codes
    entry = body["items"][codes.index(published["code"])]
    assert entry["elements"]["name"] == "最低生活保障审核确认"
    assert entry["elements"]["materials"], "every element is exported"

    resp = await cat.get("/v1/export/cpsv-ap.jsonld")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/ld+json")
    doc = json.loads(resp.text)
    assert "@context" in doc and doc["@graph"]
    node = doc["@graph"][0]
    assert node["@type"] == "cpsv:PublicService"
    assert published["code"] in json.dumps(node, ensure_ascii=False)
    assert "最低生活保障审核确认" in resp.text
