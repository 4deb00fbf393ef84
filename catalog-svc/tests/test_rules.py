"""Permissions, precise 4xx on bad input, and "same item, same standard" (同一事项同标准)."""

from __future__ import annotations

import httpx
from catalog_support import MZ_CODE, SC_CODE, SC_ID, admin, create, editor, elements, publish

from yiwang_shared.testing.tokens import TestTokens


async def test_permissions(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    doc = elements()
    citizen = tokens.headers()
    clerk = tokens.headers(kind="staff", roles=["window_clerk"], org_unit="x")
    other = editor(tokens, SC_ID)

    assert (await cat.post("/v1/items", json={"elements": doc})).status_code == 401
    for headers, code in (
        (citizen, "catalog.not_editor"),
        (clerk, "catalog.not_editor"),
        (other, "catalog.not_owner"),
    ):
        resp = await cat.post("/v1/items", headers=headers, json={"elements": doc})
        assert resp.status_code == 403 and resp.json()["code"] == code, resp.text

    item = await create(cat, admin(tokens), doc)  # an admin may write for any unit
    code = item["code"]
    for headers in (citizen, clerk, other):
        assert (
            await cat.put(f"/v1/items/{code}/versions/1", headers=headers, json={"elements": doc})
        ).status_code == 403
        assert (await cat.post(f"/v1/items/{code}/versions/1/submit", headers=headers)).status_code == 403
        # Drafts are not visible to them.
        assert (await cat.get(f"/v1/items/{code}", headers=headers)).status_code == 404
        assert (await cat.get(f"/v1/items/{code}/versions/1", headers=headers)).status_code == 404

    await publish(cat, editor(tokens), code, reviewer=editor(tokens))
    for headers in (citizen, clerk, other, {}):
        resp = await cat.get(f"/v1/items/{code}", headers=headers)
        assert resp.status_code == 200 and resp.json()["version"]["status"] == "published"
    assert (await cat.post(f"/v1/items/{code}/retire", headers=other)).status_code == 403


async def test_bad_input_is_a_precise_4xx(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed = editor(tokens)
    resp = await cat.post("/v1/items", headers=ed, json={"elements": elements(item_type="99")})
    assert resp.status_code == 422 and resp.json()["code"] == "validation_failed"
    assert [e["field"] for e in resp.json()["errors"]] == ["body.elements.item_type"]

    resp = await cat.post("/v1/items", headers=ed, json={"elements": elements(name="长" * 201)})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "body.elements.name"

    resp = await cat.post(
        "/v1/items", headers=admin(tokens), json={"elements": elements(unit_code="999999NOPE")}
    )
    assert resp.status_code == 422 and resp.json()["code"] == "catalog.unknown_unit"

    bad_uscc = elements()
    bad_uscc["implementing_unit"]["uscc"] = "91110105MA00000000"
    resp = await cat.post("/v1/items", headers=ed, json={"elements": bad_uscc})
    assert resp.status_code == 422 and resp.json()["code"] == "catalog.invalid_uscc"

    resp = await cat.post("/v1/items", headers=ed, json={"elements": elements(), "basic_code": "0000"})
    assert resp.status_code == 422 and resp.json()["code"] == "catalog.unknown_basic_code"

    assert (await cat.get("/v1/items", params={"online_depth": "V"})).status_code == 422
    assert (await cat.get("/v1/items/NOPE")).json()["code"] == "catalog.item_not_found"

    # Publishing with quality errors: 422 listing every finding.
    poor = elements(enquiry_phone="85990001", supervision_phone="85990001", online_depth="IV")
    poor["materials"].append({"name": "其他材料"})
    item = await create(cat, ed, poor)
    await cat.post(f"/v1/items/{item['code']}/versions/1/submit", headers=ed)
    resp = await cat.post(f"/v1/items/{item['code']}/versions/1/publish", headers=editor(tokens))
    body = resp.json()
    assert resp.status_code == 422 and body["code"] == "catalog.quality_errors", resp.text
    errors = [f for f in body["findings"] if f["severity"] == "error"]
    assert errors and all({"element", "check", "message", "hint"} <= set(f) for f in errors)
    elements_hit = {f["element"] for f in errors}
    assert any(e.startswith("materials") for e in elements_hit)
    assert any("phone" in e for e in elements_hit)
    quality = (await cat.get(f"/v1/items/{item['code']}/versions/1/quality", headers=ed)).json()
    assert quality["errors"] == len(errors) and quality["score"] < 100
    # Publishing out of order is a conflict.
    draft = await create(cat, ed, elements())
    resp = await cat.post(f"/v1/items/{draft['code']}/versions/1/publish", headers=ed)
    assert resp.status_code == 409 and resp.json()["code"] == "catalog.invalid_transition"


async def test_same_item_same_standard(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    ed_mz, ed_sc = editor(tokens), editor(tokens, SC_ID)
    first = await create(cat, ed_mz, elements())
    await publish(cat, ed_mz, first["code"], reviewer=editor(tokens))
    basic = first["basic_code"]

    # Another unit at the same level: a different name is refused at once.
    other = elements(name="低保审核", unit_code=SC_CODE)
    resp = await cat.post("/v1/items", headers=ed_sc, json={"elements": other, "basic_code": basic})
    assert resp.status_code == 409 and resp.json()["code"] == "catalog.standard_mismatch"
    assert [d["element"] for d in resp.json()["differences"]] == ["name"]

    # Same name and type but different materials: refused at publish, naming the element.
    other = elements(unit_code=SC_CODE)
    other["materials"][2]["name"] = "户口本首页"
    item = await create(cat, ed_sc, other, basic_code=basic)
    await cat.post(f"/v1/items/{item['code']}/versions/1/submit", headers=ed_sc)
    resp = await cat.post(f"/v1/items/{item['code']}/versions/1/publish", headers=editor(tokens, SC_ID))
    assert resp.status_code == 409 and resp.json()["code"] == "catalog.standard_mismatch"
    diff = resp.json()["differences"]
    assert [d["element"] for d in diff] == ["materials"] and "户口本首页" in diff[0]["actual"]

    # Aligned: published, and both implementations listed under the basic entry.
    await cat.post(f"/v1/items/{item['code']}/versions/1/return", headers=ed_sc)
    await cat.put(
        f"/v1/items/{item['code']}/versions/1", headers=ed_sc, json={"elements": elements(unit_code=SC_CODE)}
    )
    await publish(cat, ed_sc, item["code"], reviewer=editor(tokens, SC_ID))
    units = {
        i["owner_unit_code"] for i in (await cat.get(f"/v1/basic-items/{basic}")).json()["implementations"]
    }
    assert units == {MZ_CODE, SC_CODE}
