"""Open311 GeoReport v2, written from the specification (http://wiki.open311.org/GeoReport_v2/):
discovery, services, service definitions, POST requests (form-encoded, api_key), GET requests
with every filter and its defaults, GET requests/{id}, tokens/{token}, servicerequestupdates,
JSON and XML, errors in the specification's format."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import httpx
import jsonschema
import pytest
from fastapi import FastAPI
from hotline_support import D, People, act

from hotline.services.open311 import create_key

V2 = "/open311/v2"


@pytest.fixture
async def api_key(app: FastAPI, hl: httpx.AsyncClient) -> str:
    """An issued api key."""
    async with app.state.db.transaction() as session:
        _, key = await create_key(session, "test integrator")
    return key


def form(api_key: str, **kw: Any) -> dict[str, Any]:
    """A valid POST requests form."""
    data = {
        "api_key": api_key,
        "service_code": "noise",
        "lat": "39.9219",
        "long": "116.4436",
        "address_string": "朝阳区吉祥里小区3号楼",
        "address_id": f"{D}001",
        "description": "工地夜间施工噪声",
        "first_name": "明",
        "last_name": "王",
        "phone": "13812345678",
        "attribute[noise_period]": "night",
    }
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


async def post(hl: httpx.AsyncClient, api_key: str, fmt: str = "json", **kw: Any) -> httpx.Response:
    return await hl.post(f"{V2}/requests.{fmt}", data=form(api_key, **kw))


async def test_discovery_and_services_in_json_and_xml(hl: httpx.AsyncClient) -> None:
    disc = (await hl.get(f"{V2}/discovery.json")).json()
    assert disc["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert disc["endpoints"][0]["url"].endswith("/open311/v2")
    services = await hl.get(f"{V2}/services.json")
    assert services.headers["content-type"].startswith("application/json")
    by_code = {s["service_code"]: s for s in services.json()}
    assert by_code["noise"]["metadata"] is True and by_code["water"]["metadata"] is False
    assert set(by_code["noise"]) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert by_code["noise"]["type"] == "realtime"
    xml = await hl.get(f"{V2}/services.xml")
    assert xml.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "services" and {s.findtext("service_code") for s in root.findall("service")} == set(
        by_code
    )
    assert root.find("service[service_code='noise']/metadata").text == "true"  # type: ignore[union-attr]


async def test_service_definition(hl: httpx.AsyncClient) -> None:
    d = (await hl.get(f"{V2}/services/noise.json")).json()
    attr = d["attributes"][0]
    assert d["service_code"] == "noise"
    assert {
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    } <= set(attr)
    assert attr["values"] == [{"key": "day", "name": "白天"}, {"key": "night", "name": "夜间"}]
    root = ET.fromstring((await hl.get(f"{V2}/services/noise.xml")).content)
    assert root.tag == "service_definition"
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")] == ["day", "night"]
    missing = await hl.get(f"{V2}/services/nope.json")
    assert missing.status_code == 404 and missing.json() == [
        {"code": 404, "description": "未找到服务 service_code nope，请从服务列表（services）中选择。"}
    ]
    english = await hl.get(f"{V2}/services/nope.json", headers={"Accept-Language": "en"})
    assert english.json() == [{"code": 404, "description": "service_code nope not found"}]
    err = ET.fromstring((await hl.get(f"{V2}/services/nope.xml")).content)
    assert err.tag == "errors" and err.findtext("error/code") == "404"


async def test_post_requires_a_valid_api_key_and_fields(hl: httpx.AsyncClient, api_key: str) -> None:
    no_key = await hl.post(
        f"{V2}/requests.json", data={k: v for k, v in form(api_key).items() if k != "api_key"}
    )
    assert no_key.status_code == 403 and no_key.json()[0]["code"] == 403
    bad_key = await post(hl, "wrong-key")
    assert bad_key.status_code == 403
    no_code = await post(hl, api_key, service_code=None)
    assert no_code.status_code == 400
    assert no_code.json()[0]["description"] == "请求有误：service_code：必填"
    no_place = await post(hl, api_key, lat=None, long=None, address_string=None, address_id=None)
    assert no_place.status_code == 400 and "位置" in no_place.json()[0]["description"]
    bad_attr = await post(hl, api_key, **{"attribute[noise_period]": "noon"})
    assert bad_attr.status_code == 400
    assert "attribute[noise_period]（应为以下之一：day、night）" in bad_attr.json()[0]["description"]
    bad_area = await post(hl, api_key, address_id="110105999")
    assert bad_area.status_code == 400 and "address_id 110105999" in bad_area.json()[0]["description"]
    bad_lat = await post(hl, api_key, lat="north")
    assert bad_lat.status_code == 400 and "lat：" in bad_lat.json()[0]["description"]
    half = await post(hl, api_key, long=None)
    assert half.status_code == 400 and "long" in half.json()[0]["description"]
    bad_media = await post(hl, api_key, media_url="ftp://example.org/x.jpg")
    assert bad_media.status_code == 400 and "media_url" in bad_media.json()[0]["description"]
    in_english = await hl.post(
        f"{V2}/requests.json",
        data=form(api_key, lat=None, long=None, address_string=None, address_id=None),
        headers={"Accept-Language": "en"},
    )
    assert in_english.json()[0]["description"] == (
        "invalid request: a location is required: lat and long, address_string, or address_id"
    )
    other_place = await post(hl, api_key, jurisdiction_id="elsewhere.gov")
    assert other_place.status_code == 404
    as_json = await hl.post(f"{V2}/requests.json", json=form(api_key))
    assert as_json.status_code == 400
    assert (await hl.get(f"{V2}/requests.json")).json() == []  # nothing was written


async def test_post_then_read_back_every_way(hl: httpx.AsyncClient, api_key: str, people: People) -> None:
    created = await post(hl, api_key)
    assert created.status_code == 201, created.text
    [answer] = created.json()
    rid, token = answer["service_request_id"], answer["token"]
    assert "工单编号" in answer["service_notice"]
    assert created.headers["location"] == f"{V2}/requests/{rid}.json"
    assert (await hl.get(created.headers["location"])).json()[0]["service_request_id"] == rid
    xml_post = await post(hl, api_key, "xml", service_code="water", **{"attribute[noise_period]": None})
    assert xml_post.status_code == 201
    xml_rid = ET.fromstring(xml_post.content).findtext("request/service_request_id")

    [req] = (await hl.get(f"{V2}/requests/{rid}.json")).json()
    assert req["service_request_id"] == rid and req["status"] == "open" and req["service_code"] == "noise"
    assert req["agency_responsible"] == "朝外街道政务服务中心"
    assert (req["lat"], req["long"]) == (39.9219, 116.4436) and req["address"] == "朝阳区吉祥里小区3号楼"
    assert "13812345678" not in str(req) and "王" not in str(req)  # no personal data in public output
    assert req["requested_datetime"] and req["expected_datetime"]
    root = ET.fromstring((await hl.get(f"{V2}/requests/{rid}.xml")).content)
    assert root.tag == "service_requests" and root.findtext("request/status") == "open"
    assert (await hl.get(f"{V2}/tokens/{token}.json")).json() == [{"service_request_id": rid, "token": token}]
    assert (await hl.get(f"{V2}/tokens/unknown.json")).status_code == 404
    assert (await hl.get(f"{V2}/requests/unknown.json")).status_code == 404

    # The ticket is an ordinary ticket to staff; closing it shows as closed with notes.
    unit = people.handler(f"{D}001-FWZX")
    await act(hl, rid, "respond", unit, {})
    await act(hl, rid, "reply", unit, {"reply": "已协调停工。"})
    await act(hl, rid, "call-back", people.agent, {"resolved": True, "satisfaction": "satisfied"})
    await act(hl, rid, "close", people.agent, {})

    def ids(resp: httpx.Response) -> set[str]:
        assert resp.status_code == 200, resp.text
        return {r["service_request_id"] for r in resp.json()}

    assert ids(await hl.get(f"{V2}/requests.json")) == {rid, xml_rid}
    assert ids(await hl.get(f"{V2}/requests.json", params={"status": "closed"})) == {rid}
    assert ids(await hl.get(f"{V2}/requests.json", params={"status": "open"})) == {xml_rid}
    assert ids(await hl.get(f"{V2}/requests.json", params={"status": "open,closed"})) == {rid, xml_rid}
    assert ids(await hl.get(f"{V2}/requests.json", params={"service_code": "water,roads"})) == {xml_rid}
    # service_request_id overrides the other filters.
    assert ids(
        await hl.get(
            f"{V2}/requests.json", params={"service_request_id": f"{rid},{xml_rid}", "status": "open"}
        )
    ) == {rid, xml_rid}
    assert (
        ids(
            await hl.get(
                f"{V2}/requests.json",
                params={"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-02-01T00:00:00Z"},
            )
        )
        == set()
    )
    assert ids(await hl.get(f"{V2}/requests.json", params={"start_date": "2000-01-01T00:00:00Z"})) == {
        rid,
        xml_rid,
    }
    bad = await hl.get(f"{V2}/requests.json", params={"start_date": "yesterday"})
    assert bad.status_code == 400 and bad.json()[0]["code"] == 400
    assert bad.headers["content-type"].startswith("application/json")
    assert bad.json()[0]["description"].startswith("请求有误：start_date：")
    naive = await hl.get(f"{V2}/requests.json", params={"start_date": "2026-11-01T00:00:00"})
    assert naive.status_code == 400 and "start_date" in naive.json()[0]["description"]
    bad_xml = ET.fromstring((await hl.get(f"{V2}/requests.xml", params={"end_date": "x"})).content)
    assert bad_xml.tag == "errors" and bad_xml.findtext("error/code") == "400"
    reversed_ = await hl.get(
        f"{V2}/requests.json",
        params={"start_date": "2026-12-01T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"},
    )
    assert reversed_.status_code == 400 and "end_date" in reversed_.json()[0]["description"]
    pending = await hl.get(f"{V2}/requests.json", params={"status": "pending"})
    assert pending.status_code == 400 and pending.json()[0]["description"] == (
        "status 应为 open、closed 或 open,closed。"
    )
    [closed] = (await hl.get(f"{V2}/requests/{rid}.json")).json()
    assert closed["status"] == "closed" and closed["status_notes"] == "已协调停工。"

    updates = (await hl.get(f"{V2}/servicerequestupdates.json", params={"service_request_id": rid})).json()
    assert [u["status"] for u in updates][-1] == "closed"
    assert {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    } == set(updates[0])
    assert any("已协调停工" in u["description"] for u in updates)
    uroot = ET.fromstring((await hl.get(f"{V2}/servicerequestupdates.xml")).content)
    assert uroot.tag == "service_request_updates" and uroot.findall("request_update")


async def test_tickets_from_other_channels_are_not_public(hl: httpx.AsyncClient, people: People) -> None:
    from hotline_support import create

    t = await create(hl, people.agent)
    assert (await hl.get(f"{V2}/requests/{t['id']}.json")).status_code == 404
    assert (await hl.get(f"{V2}/requests.json")).json() == []
    csv = await hl.get(f"{V2}/services.csv")
    assert csv.status_code == 400 and csv.json() == [
        {"code": 400, "description": "不支持 .csv 格式，请使用 .json 或 .xml。"}
    ]


async def test_api_keys_are_issued_by_administrators(hl: httpx.AsyncClient, people: People) -> None:
    refused = await hl.post("/v1/open311/keys", json={"name": "x"}, headers=people.agent)
    assert refused.status_code == 403 and refused.json()["detail"] == (
        "只有管理员可以签发 Open311 api_key，请由具备相应角色的工作人员办理。"
    )
    issued = await hl.post(
        "/v1/open311/keys",
        json={"name": "城市大脑"},
        headers={**people.admin, "X-Forwarded-Prefix": "/api/hotline"},
    )
    assert issued.status_code == 201
    key = issued.json()
    assert issued.headers["location"] == f"/api/hotline/v1/open311/keys/{key['id']}"
    # The key is shown once: reading it back names the holder, never the key.
    again = await hl.get(f"/v1/open311/keys/{key['id']}", headers=people.admin)
    assert again.status_code == 200
    assert again.json() == {**key, "api_key": None}
    assert (await hl.get(f"/v1/open311/keys/{key['id']}", headers=people.agent)).status_code == 403
    assert (await hl.get("/v1/open311/keys/nope", headers=people.admin)).json()["code"] == (
        "hotline.open311_key_not_found"
    )
    assert (await post(hl, key["api_key"])).status_code == 201
    # GeoReport sends the key in the form; it may come in the query string as well (the scheme
    # the OpenAPI document declares).
    in_query = await hl.post(
        f"{V2}/requests.json",
        params={"api_key": key["api_key"]},
        data={k: v for k, v in form(key["api_key"]).items() if k != "api_key"},
    )
    assert in_query.status_code == 201, in_query.text


async def test_discovery_advertises_the_public_base_url_and_no_request_header(
    app: FastAPI, hl: httpx.AsyncClient
) -> None:
    """Discovery's URL comes from `public_base_url`; a forged prefix or host never reaches it."""
    forged = [
        {},
        {"X-Forwarded-Prefix": "/api/hotline"},
        {"X-Forwarded-Host": "probe.invalid", "X-Forwarded-Proto": "https"},
        {"Host": "127.0.0.1:8004@probe.invalid"},
        {"X-Forwarded-Prefix": "http://127.0.0.1:8004@probe.invalid/open311"},  # issue 15, point 14
    ]
    for headers in forged:
        disc = (await hl.get(f"{V2}/discovery.json", headers=headers)).json()
        assert disc["endpoints"][0]["url"] == "http://127.0.0.1:8000/open311/v2", headers
    app.state.settings.public_base_url = "https://12345.chaoyang.example.gov.cn"
    disc = (await hl.get(f"{V2}/discovery.json", headers=forged[1])).json()
    assert disc["endpoints"][0]["url"] == "https://12345.chaoyang.example.gov.cn/open311/v2"
    root = ET.fromstring((await hl.get(f"{V2}/discovery.xml")).content)
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == "https://12345.chaoyang.example.gov.cn/open311/v2"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "application/json",
        "text/xml",
    ]


def _operation(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return doc["paths"][path][method]  # type: ignore[no-any-return]


def _validate(doc: dict[str, Any], schema: dict[str, Any], instance: Any) -> None:
    """`instance` against a schema of the document (its `$ref`s resolved in the document)."""
    jsonschema.Draft202012Validator({**schema, "components": doc["components"]}).validate(instance)


async def test_the_document_describes_open311_as_it_answers(
    hl: httpx.AsyncClient, api_key: str, people: People
) -> None:
    doc = (await hl.get("/openapi.json")).json()
    assert doc["components"]["securitySchemes"]["open311_api_key"] == {
        "type": "apiKey",
        "in": "query",
        "name": "api_key",
        "description": doc["components"]["securitySchemes"]["open311_api_key"]["description"],
    }
    ops = {
        (method, path): op
        for path, item in doc["paths"].items()
        if path.startswith(V2)
        for method, op in item.items()
    }
    assert len(ops) == 8
    for (method, path), op in ops.items():
        fmt = next(p for p in op["parameters"] if p["name"] == "fmt")
        assert fmt["in"] == "path" and fmt["schema"]["enum"] == ["json", "xml"]
        ok = op["responses"]["201" if method == "post" else "200"]
        assert set(ok["content"]) == {"application/json", "text/xml"}, path
        assert "200" not in op["responses"] or method == "get"
        for code in ("400", "404", "403"):
            if code in op["responses"]:
                error = op["responses"][code]["content"]["application/json"]["schema"]
                assert error["items"] == {"$ref": "#/components/schemas/Open311Error"}
        assert "422" not in op["responses"] and "400" in op["responses"]
        assert op["security"] == ([{"open311_api_key": []}] if method == "post" else [])
    create = ops[("post", f"{V2}/requests.{{fmt}}")]
    assert set(create["responses"]) == {"201", "400", "403", "404", "default"}
    assert "Location" in create["responses"]["201"]["headers"]
    body = create["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    form_schema = doc["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert {
        "api_key",
        "jurisdiction_id",
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
    } == set(form_schema["properties"])
    assert form_schema["required"] == ["api_key", "service_code"]
    assert list(form_schema["patternProperties"]) == [r"^attribute\[[^\]]+\]$"]
    listing = ops[("get", f"{V2}/requests.{{fmt}}")]
    status = next(p for p in listing["parameters"] if p["name"] == "status")
    assert status["schema"]["items"]["enum"] == ["open", "closed"] and status["explode"] is False
    xml = listing["responses"]["200"]["content"]["text/xml"]["schema"]
    assert xml["xml"] == {"name": "service_requests", "wrapped": True}

    # What the endpoint answers is what the document says, in JSON; the XML uses its element names.
    posted = await post(hl, api_key)
    rid = posted.json()[0]["service_request_id"]
    token = posted.json()[0]["token"]
    answers = [
        ("post", f"{V2}/requests.{{fmt}}", posted),
        ("get", f"{V2}/discovery.{{fmt}}", await hl.get(f"{V2}/discovery.json")),
        ("get", f"{V2}/services.{{fmt}}", await hl.get(f"{V2}/services.json")),
        ("get", f"{V2}/services/{{service_code}}.{{fmt}}", await hl.get(f"{V2}/services/noise.json")),
        ("get", f"{V2}/requests.{{fmt}}", await hl.get(f"{V2}/requests.json")),
        ("get", f"{V2}/requests/{{request_id}}.{{fmt}}", await hl.get(f"{V2}/requests/{rid}.json")),
        ("get", f"{V2}/tokens/{{token}}.{{fmt}}", await hl.get(f"{V2}/tokens/{token}.json")),
        ("get", f"{V2}/servicerequestupdates.{{fmt}}", await hl.get(f"{V2}/servicerequestupdates.json")),
        ("get", f"{V2}/services/{{service_code}}.{{fmt}}", await hl.get(f"{V2}/services/nope.json")),
        ("get", f"{V2}/requests.{{fmt}}", await hl.get(f"{V2}/requests.json?status=x")),
        ("post", f"{V2}/requests.{{fmt}}", await post(hl, "wrong")),
    ]
    for method, path, resp in answers:
        documented = _operation(doc, method, path)["responses"][str(resp.status_code)]
        media = resp.headers["content-type"].split(";")[0]
        _validate(doc, documented["content"][media]["schema"], resp.json())
    services_xml = await hl.get(f"{V2}/services.xml")
    schema = _operation(doc, "get", f"{V2}/services.{{fmt}}")["responses"]["200"]["content"]["text/xml"]
    item = doc["components"]["schemas"][schema["schema"]["items"]["$ref"].rsplit("/", 1)[1]]
    root = ET.fromstring(services_xml.content)
    assert root.tag == schema["schema"]["xml"]["name"]
    assert {child.tag for child in root} == {item["xml"]["name"]}
    assert [e.tag for e in root[0]] == list(item["properties"])


async def test_public_requests_never_show_a_number_typed_into_the_text(
    hl: httpx.AsyncClient, api_key: str
) -> None:
    """Issue 15, point 13: Open311's GET requests is public, and descriptions carry what callers type."""
    created = await post(hl, api_key, description="噪声扰民，请回电13812345678，身份证110105197809250261")
    assert created.status_code == 201, created.text
    [answer] = created.json()
    [req] = (await hl.get(f"{V2}/requests/{answer['service_request_id']}.json")).json()
    assert req["description"] == "噪声扰民，请回电138****5678，身份证110105********0261"
