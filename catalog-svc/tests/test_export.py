"""Export: plain JSON and CPSV-AP JSON-LD."""

from __future__ import annotations

import json

from catalog.demo.data import demo_entries
from catalog.schemas.elements import ItemElements, TimeLimit
from catalog.services.export import catalogue_cpsv_ap, iso_duration, to_cpsv_ap, to_json


def _entry(name: str) -> ItemElements:
    return next(e for e in demo_entries() if e.name == name)


def test_to_json_round_trips() -> None:
    entries = [({"code": f"C{i}", "version_no": 1}, e) for i, e in enumerate(demo_entries()[:5])]
    for meta, el in entries:
        back = json.loads(json.dumps(to_json(meta, el), ensure_ascii=False))
        assert back["meta"] == meta
        assert ItemElements.model_validate(back["elements"]) == el


def test_cpsv_ap_public_service_shape() -> None:
    el = _entry("食品经营许可")
    node = to_cpsv_ap({"code": "01110105000001-110105SCJGJ-01", "status": "published", "version_no": 1}, el)
    json.dumps(node, ensure_ascii=False)
    ctx = node["@context"]
    for prefix in ("cpsv", "dct", "skos", "m8g", "adms", "schema"):
        assert prefix in ctx
    assert ctx["m8g"] == "http://data.europa.eu/m8g/"
    assert node["@type"] == "cpsv:PublicService"
    assert node["dct:identifier"] == "01110105000001-110105SCJGJ-01"
    assert node["dct:title"] == {"@value": "食品经营许可", "@language": "zh"}
    assert node["dct:type"]["@value"] == "行政许可"
    assert node["dct:language"]["@id"].endswith("/ZHO")
    authority = node["m8g:hasCompetentAuthority"]
    assert authority["@type"] == "m8g:PublicOrganisation"
    assert authority["dct:identifier"] == "110105-SCJGJ"
    assert authority["skos:prefLabel"]["@value"] == "区市场监管局"
    evidence = node["cpsv:hasInput"]
    assert len(evidence) == len(el.materials)
    assert all(e["@type"] == "m8g:Evidence" and e["dct:title"]["@value"] for e in evidence)
    cost = node["m8g:hasCost"][0]
    assert cost["@type"] == "m8g:Cost" and cost["dct:description"]["@value"] == "不收费"
    channels = {c["dct:identifier"] for c in node["m8g:hasChannel"]}
    assert channels == {"window", "web", "mobile"}
    assert all(c["@type"] == "m8g:Channel" for c in node["m8g:hasChannel"])
    assert node["m8g:processingTime"] == {"@value": "P5D", "@type": "xsd:duration"}
    assert "5个工作日" in node["dct:description"]["@value"]
    legal = node["m8g:hasLegalResource"]
    assert legal[0]["@type"] == "eli:LegalResource"
    assert legal[0]["dct:title"]["@value"] == "《中华人民共和国食品安全法》"
    phones = {c["schema:telephone"] for c in node["m8g:hasContactPoint"]}
    assert phones == {el.enquiry_phone, el.supervision_phone}
    assert node["cpsv:produces"]["dct:title"]["@value"] == "食品经营许可证"


def test_cpsv_ap_fee_and_minimal_entry() -> None:
    el = ItemElements.model_validate(
        {
            "name": "测试收费事项",
            "item_type": "20",
            "implementing_unit": {"code": "110105-ZWGLJ", "name": "区政务服务管理局"},
            "level": 4,
            "fees": {
                "charged": True,
                "items": [{"name": "工本费", "standard": "10元/本", "basis": "演示依据"}],
            },
            "promised_limit": {"value": 3, "unit": "natural_day"},
        }
    )
    node = to_cpsv_ap({"code": "X1"}, el)
    assert node["m8g:hasCost"][0]["m8g:value"] == "10元/本"
    assert "自然日" in node["dct:description"]["@value"]
    assert "cpsv:hasInput" not in node and "m8g:hasChannel" not in node
    json.dumps(node)


def test_iso_durations() -> None:
    assert iso_duration(TimeLimit(value=20, unit="working_day")) == "P20D"
    assert iso_duration(TimeLimit(value=0, unit="working_day")) == "P0D"
    assert iso_duration(TimeLimit(value=4, unit="hour")) == "PT4H"


def test_catalogue_graph() -> None:
    items = [({"code": f"C{i}"}, e) for i, e in enumerate(demo_entries())]
    doc = catalogue_cpsv_ap(items)
    assert set(doc) == {"@context", "@graph"}
    assert len(doc["@graph"]) == len(items)
    assert all("@context" not in n and n["@type"] == "cpsv:PublicService" for n in doc["@graph"])
    assert len({n["@id"] for n in doc["@graph"]}) == len(items)
    json.loads(json.dumps(doc, ensure_ascii=False))
