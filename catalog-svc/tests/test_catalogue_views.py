"""Listing and searching, guides, the quality and reduction reports, and bundles (一件事)."""

from __future__ import annotations

import httpx
from catalog_support import MZ_CODE, SC_CODE, SC_ID, create, editor, elements, publish

from yiwang_shared.testing.tokens import TestTokens


def _licence(unit_code: str = SC_CODE) -> dict:
    doc = elements(
        name="食品经营许可",
        item_type="01",
        unit_code=unit_code,
        service_objects=["2"],
        legal_basis=[
            {
                "law": "《中华人民共和国食品安全法》",
                "article": "第三十五条",
                "text": "国家对食品生产经营实行许可制度。",
            }
        ],
        legal_limit={"value": 20, "unit": "working_day"},
        promised_limit={"value": 5, "unit": "working_day"},
        keywords=["餐饮", "开饭店"],
        themes=["开办企业"],
        result={"name": "食品经营许可证"},
    )
    doc["implementing_unit"]["name"] = "区市场监督管理局"
    doc["implementing_unit"]["uscc"] = None
    doc["materials"] = [
        {
            "name": "食品经营许可申请书",
            "source": "申请人自备",
            "originals": 1,
            "media": ["original"],
            "blank_form_url": "https://zwfw.example.gov.cn/forms/sp.docx",
            "sample_form_url": "https://zwfw.example.gov.cn/forms/sp-sample.pdf",
        },
        {
            "name": "营业执照",
            "source": "市场监督管理部门",
            "originals": 1,
            "media": ["original"],
            "exempt": True,
            "exempt_source": "电子证照库",
        },
        {
            "name": "居民身份证",
            "source": "公安机关",
            "originals": 1,
            "copies": 1,
            "media": ["original", "copy"],
        },
    ]
    return doc


async def _two_published(cat: httpx.AsyncClient, tokens: TestTokens) -> tuple[dict, dict]:
    ed_mz, ed_sc = editor(tokens), editor(tokens, SC_ID)
    a = await create(cat, ed_mz, elements())
    await publish(cat, ed_mz, a["code"], reviewer=editor(tokens))
    b = await create(cat, ed_sc, _licence())
    await publish(cat, ed_sc, b["code"], reviewer=editor(tokens, SC_ID))
    return a, b


async def test_list_filters_and_search(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    a, b = await _two_published(cat, tokens)
    draft = await create(cat, editor(tokens), elements(name="临时救助", legal_basis=[]))

    async def codes(**params: object) -> list[str]:
        resp = await cat.get("/v1/items", params=params)
        assert resp.status_code == 200, resp.text
        return [i["code"] for i in resp.json()["items"]]

    assert sorted(await codes()) == sorted([a["code"], b["code"]])  # drafts never listed
    assert draft["code"] not in await codes()
    assert await codes(item_type="01") == [b["code"]]
    assert await codes(unit=MZ_CODE) == [a["code"]]
    assert await codes(service_object="2") == [b["code"]]
    assert await codes(theme="社会救助") == [a["code"]]
    assert await codes(level=5) == []
    hits = (await cat.get("/v1/items", params={"q": "食品经营"})).json()
    assert hits["items"][0]["code"] == b["code"] and hits["items"][0]["score"] is not None
    assert await codes(q="低保") == [a["code"]]
    assert await codes(q="食品", unit=MZ_CODE) == []


async def test_guides_and_quality_report(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    a, _ = await _two_published(cat, tokens)
    guide = await cat.get(f"/v1/items/{a['code']}/guide")
    assert guide.status_code == 200, guide.text
    assert a["code"] in guide.text
    html = await cat.get(f"/v1/items/{a['code']}/guide.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "最低生活保障审核确认" in html.text and "区民政局" in html.text
    draft = await create(cat, editor(tokens), elements(name="临时救助", legal_basis=[]))
    assert (await cat.get(f"/v1/items/{draft['code']}/guide")).status_code == 404

    report = await cat.get("/v1/reports/quality")
    assert report.status_code == 200, report.text
    assert a["code"] in report.text
    csv = await cat.get("/v1/reports/quality", params={"format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert (await cat.get("/v1/reports/quality", params={"format": "xml"})).status_code == 422


async def test_reduction_report(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    await _two_published(cat, tokens)
    report = (await cat.get("/v1/reports/reduction")).json()
    units = {u["unit_code"]: u for u in report["units"]}
    mz, sc = units[MZ_CODE], units[SC_CODE]
    # 民政: 3 materials, 1 exempt; 30 → 15 working days.
    assert (mz["materials_total"], mz["materials_required"], mz["materials_exempt"]) == (3, 2, 1)
    assert mz["materials_exempt_ratio"] == round(1 / 3, 4) and not mz["materials_target_met"]
    assert (mz["legal_days"], mz["promised_days"], mz["time_compression_ratio"]) == (30, 15, 0.5)
    assert mz["time_target_met"]
    # 市场监管: 20 → 5 working days (75 % shorter).
    assert sc["time_compression_ratio"] == 0.75 and sc["materials_exempt"] == 1
    total = report["totals"]
    assert total["items"] == 2 and total["materials_total"] == 6 and total["materials_exempt"] == 2
    assert total["time_compression_ratio"] == round((50 - 20) / 50, 4)
    assert report["targets"] == {"materials_exempt_ratio": 0.5, "time_compression_ratio": 0.5}


async def test_bundle_merges_materials(cat: httpx.AsyncClient, tokens: TestTokens) -> None:
    a, b = await _two_published(cat, tokens)
    ed = editor(tokens)
    assert (
        await cat.post(
            "/v1/bundles", headers=tokens.headers(), json={"name": "x", "item_codes": [a["code"], b["code"]]}
        )
    ).status_code == 403
    resp = await cat.post(
        "/v1/bundles", headers=ed, json={"name": "我要开餐馆", "item_codes": [b["code"], "NOPE"]}
    )
    assert resp.status_code == 422 and resp.json()["code"] == "catalog.item_not_published"
    resp = await cat.post(
        "/v1/bundles", headers=ed, json={"name": "我要开餐馆", "item_codes": [b["code"], a["code"]]}
    )
    assert resp.status_code == 201, resp.text
    code = resp.json()["code"]
    bundle = (await cat.get(f"/v1/bundles/{code}")).json()
    assert [i["code"] for i in bundle["members"]] == [b["code"], a["code"]]
    by_name = {m["name"]: m for m in bundle["materials"]}
    # 居民身份证 from 公安机关 is in both: asked once, needed by both; exempt only where all agree.
    idcard = by_name["居民身份证"]
    assert idcard["shared"] and [n["item_code"] for n in idcard["needed_by"]] == [b["code"], a["code"]]
    assert idcard["exempt"] is False and idcard["copies"] == 1
    assert bundle["materials_before_merge"] == 6 and len(bundle["materials"]) == 5
    assert bundle["materials_asked"] == 4  # 营业执照 is fetched from the e-licence library
    labels = {f["label"] for f in bundle["form"]["applicant_fields"]}
    assert {"申请人姓名", "统一社会信用代码"} <= labels
    assert [s["item_code"] for s in bundle["form"]["item_sections"]] == [b["code"], a["code"]]
    assert [x["code"] for x in (await cat.get("/v1/bundles")).json()["items"]] == [code]
    assert (await cat.get("/v1/bundles/YJS999999")).status_code == 404


async def test_bundle_stages_order_the_items_and_say_what_to_fix(
    cat: httpx.AsyncClient, tokens: TestTokens
) -> None:
    a, b = await _two_published(cat, tokens)
    ed = editor(tokens)
    wrong = await cat.post(
        "/v1/bundles", headers=ed, json={"name": "x", "item_codes": [a["code"], b["code"]], "stages": [1]}
    )
    assert wrong.status_code == 422 and "stages" in wrong.text
    resp = await cat.post(
        "/v1/bundles",
        headers=ed,
        json={"name": "分阶段", "item_codes": [b["code"], a["code"]], "stages": [1, 5]},
    )
    assert resp.status_code == 201, resp.text
    # Stages are renumbered densely: stage 5 with nothing between is the second stage.
    assert [(m["code"], m["stage"]) for m in resp.json()["members"]] == [(b["code"], 1), (a["code"], 2)]
    parallel = await cat.post(
        "/v1/bundles", headers=ed, json={"name": "并联", "item_codes": [a["code"], b["code"]]}
    )
    assert [m["stage"] for m in parallel.json()["members"]] == [1, 1]
