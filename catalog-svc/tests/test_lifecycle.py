"""Create → edit → submit → publish; immutability; new version; diff; history."""

from __future__ import annotations

import httpx
from catalog_support import MZ_CODE, admin, create, editor, elements, publish

from yiwang_shared.testing.tokens import TestTokens


async def test_full_lifecycle(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed = editor(tokens)
    item = await create(cat, ed, elements())
    code = item["code"]
    assert item["status"] == "draft" and item["latest_version_no"] == 1
    assert code.startswith(item["basic_code"] + "-110105MZJ-") and len(code) <= 50
    assert item["basic_code"].startswith("07110105")

    # Drafts are invisible to the public.
    assert (await cat.get(f"/v1/items/{code}")).status_code == 404
    assert (await cat.get(f"/v1/items/{code}", headers=ed)).json()["version"]["status"] == "draft"

    doc = elements(hours="周一至周五 9:00-17:00（法定节假日除外）")
    resp = await cat.put(f"/v1/items/{code}/versions/1", headers=ed, json={"elements": doc})
    assert resp.status_code == 200, resp.text
    v1 = await publish(cat, ed, code, reviewer=editor(tokens))
    assert v1["status"] == "published" and v1["quality_score"] is not None

    public = (await cat.get(f"/v1/items/{code}")).json()
    assert public["status"] == "published" and public["current_version_no"] == 1
    assert public["version"]["elements"]["hours"].startswith("周一至周五 9:00")

    # Published is immutable.
    resp = await cat.put(f"/v1/items/{code}/versions/1", headers=ed, json={"elements": doc})
    assert resp.status_code == 409 and resp.json()["code"] == "catalog.version_immutable"

    # New version: a draft copy; only one open at a time.
    v2 = (await cat.post(f"/v1/items/{code}/versions", headers=ed)).json()
    assert v2["version_no"] == 2 and v2["status"] == "draft" and v2["elements"] == v1["elements"]
    again = await cat.post(f"/v1/items/{code}/versions", headers=ed)
    assert again.status_code == 409 and again.json()["code"] == "catalog.open_draft_exists"

    doc2 = elements(hours=doc["hours"], visits=0, visits_reason=None, online_depth="IV")
    doc2["materials"][2]["exempt"] = True
    doc2["materials"][2]["exempt_source"] = "电子证照库"
    assert (
        await cat.put(f"/v1/items/{code}/versions/2", headers=ed, json={"elements": doc2})
    ).status_code == 200

    # Return to draft from review, then publish.
    await cat.post(f"/v1/items/{code}/versions/2/submit", headers=ed)
    back = await cat.post(f"/v1/items/{code}/versions/2/return", headers=ed, json={"reason": "请补充"})
    assert back.status_code == 200 and back.json()["status"] == "draft"
    await publish(cat, ed, code, 2, reviewer=editor(tokens))

    versions = (await cat.get(f"/v1/items/{code}/versions")).json()
    assert versions["total"] == 2
    assert [(v["version_no"], v["status"]) for v in versions["items"]] == [(1, "retired"), (2, "published")]
    listed = (await cat.get("/v1/items", params={"zero_visit": True})).json()
    assert [i["code"] for i in listed["items"]] == [code]

    diff = (await cat.get(f"/v1/items/{code}/diff", params={"from": 1, "to": 2})).json()
    assert (diff["item_code"], diff["from_version"], diff["to_version"]) == (code, 1, 2)
    paths = {d["path"]: d for d in diff["changes"]}
    assert paths["visits"] == {"path": "visits", "before": 1, "after": 0}
    assert paths["online_depth"]["after"] == "IV"
    assert paths["materials[2].exempt"] == {"path": "materials[2].exempt", "before": False, "after": True}

    history = (await cat.get(f"/v1/items/{code}/history", headers=ed)).json()["items"]
    actions = [(h["version_no"], h["action"]) for h in history]
    assert actions == [
        (1, "created"),
        (1, "edited"),
        (1, "submitted"),
        (1, "published"),
        (2, "new_version"),
        (2, "edited"),
        (2, "submitted"),
        (2, "returned"),
        (2, "submitted"),
        (2, "published"),
    ]
    assert history[1]["changed_elements"] == ["hours"]
    assert history[7]["reason"] == "请补充"
    assert (await cat.get(f"/v1/items/{code}/history")).status_code == 401

    # Retire: gone from lists; versions retired.
    retired = await cat.post(f"/v1/items/{code}/retire", headers=admin(tokens), json={"reason": "职能调整"})
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    assert (await cat.get("/v1/items", params={"unit": MZ_CODE})).json()["total"] == 0
    again = await cat.post(f"/v1/items/{code}/retire", headers=admin(tokens))
    assert again.status_code == 409


async def test_codes_are_unique_and_never_reused(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed = editor(tokens)
    first = await create(cat, ed, elements())
    second = await create(cat, ed, elements(), basic_code=first["basic_code"])
    other = await create(cat, ed, elements(name="临时救助审批", item_type="05", legal_basis=[]))
    assert second["basic_code"] == first["basic_code"]
    assert first["code"].endswith("-01") and second["code"].endswith("-02")
    assert len({first["code"], second["code"], other["code"]}) == 3
    assert other["basic_code"] != first["basic_code"] and other["basic_code"].startswith("05110105")


async def test_basic_items(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    resp = await cat.post(
        "/v1/basic-items",
        headers=admin(tokens),
        json={
            "name": "食品经营许可",
            "item_type": "01",
            "region": "110105",
            "legal_basis": [{"law": "《中华人民共和国食品安全法》", "article": "第三十五条"}],
        },
    )
    assert resp.status_code == 201, resp.text
    code = resp.json()["basic_code"]
    assert code.startswith("01110105")
    assert (await cat.get(f"/v1/basic-items/{code}")).json()["implementations"] == []
    assert [
        b["basic_code"]
        for b in (await cat.get("/v1/basic-items", params={"item_type": "01"})).json()["items"]
    ] == [code]
    citizen = tokens.headers()
    assert (
        await cat.post("/v1/basic-items", headers=citizen, json={"name": "x", "item_type": "01"})
    ).status_code == 403
    assert (await cat.get("/v1/basic-items/nope")).status_code == 404
