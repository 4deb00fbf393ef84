"""Open311 GeoReport v2, written from the specification (http://wiki.open311.org/GeoReport_v2/):
discovery, services, service definitions, POST requests (form-encoded, api_key), GET requests
with every filter and its defaults, GET requests/{id}, tokens/{token}, servicerequestupdates,
JSON and XML, errors in the specification's format."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from fastapi import FastAPI
from hotline_support import D, People, act

from hotline.services.open311 import create_key

V2 = "/open311/v2"


@pytest.fixture
async def api_key(app: FastAPI, hl: httpx.AsyncClient) -> str:
    """An issued api key."""
    async with app.state.db.transaction() as session:
        return await create_key(session, "test integrator")


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
        {"code": 404, "description": "service_code nope not found"}
    ]
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
    assert no_code.status_code == 400 and "service_code" in no_code.json()[0]["description"]
    no_place = await post(hl, api_key, lat=None, long=None, address_string=None, address_id=None)
    assert no_place.status_code == 400 and "location" in no_place.json()[0]["description"]
    bad_attr = await post(hl, api_key, **{"attribute[noise_period]": "noon"})
    assert bad_attr.status_code == 400 and "noise_period" in bad_attr.json()[0]["description"]
    bad_area = await post(hl, api_key, address_id="110105999")
    assert bad_area.status_code == 400
    bad_lat = await post(hl, api_key, lat="north")
    assert bad_lat.status_code == 400
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
    assert (await hl.get(f"{V2}/requests.json", params={"status": "pending"})).status_code == 400
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
    assert (await hl.get(f"{V2}/services.csv")).status_code == 400


async def test_api_keys_are_issued_by_administrators(hl: httpx.AsyncClient, people: People) -> None:
    assert (await hl.post("/v1/open311/keys", json={"name": "x"}, headers=people.agent)).status_code == 403
    issued = await hl.post("/v1/open311/keys", json={"name": "城市大脑"}, headers=people.admin)
    assert issued.status_code == 201
    assert (await post(hl, issued.json()["api_key"])).status_code == 201
