"""intake-svc follows the API contract (docs/api.md): every collection is one page shape with a
total, closed sets are enums that refuse unknown values, responses are typed in the document,
links work through the gateway, and problems speak Chinese (English when asked)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from intake_support import DISTRICT, Env

PREFIX = {"X-Forwarded-Prefix": "/api/intake"}
PDF = b"%PDF-1.7\n" + b"x" * 100
PLACE = {
    "code": "HALL-R",
    "name": "区政务服务中心大厅",
    "org_unit_code": f"{DISTRICT}-ZWFW",
    "address": "朝阳区示例路1号",
    "hours": {"working_days": [{"start": "09:00", "end": "12:00"}]},
}


async def _collections(env: Env) -> dict[str, dict[str, str]]:
    """Every collection of the service, with headers of someone who may list it."""
    application = await env.to_review()
    place = await env.client.post("/v1/places", json=PLACE, headers=env.admin)
    assert place.status_code == 201, place.text
    place_id = place.json()["id"]
    return {
        f"/v1/places/{place_id}/slots": {},
        f"/v1/places/{place_id}/appointments": env.admin,
        f"/v1/places/{place_id}/queue/tickets": env.admin,
        "/v1/applications": env.citizen,
        f"/v1/applications/{application['id']}/trace": env.clerk,
        "/v1/entrustments": env.supervisor,
        "/v1/supervision/cases": env.supervisor,
        "/v1/catalog-items": {},
        "/v1/notifications": env.supervisor,
        "/v1/places": {},
        "/v1/appointments": env.citizen,
    }


async def test_every_collection_is_a_page_with_a_total(env: Env) -> None:
    for path, headers in (await _collections(env)).items():
        resp = await env.client.get(path, headers=headers)
        assert resp.status_code == 200, (path, resp.text)
        body = resp.json()
        assert isinstance(body, dict) and set(body) == {"items", "total", "total_exact", "limit", "offset"}, (
            path
        )
        assert body["limit"] == 50 and body["offset"] == 0 and body["total"] >= len(body["items"]), path
        # More than a page holds is refused naming the parameter, never cut short in silence.
        over = await env.client.get(path, params={"limit": 201}, headers=headers)
        assert over.status_code == 422, (path, over.text)
        assert [e["field"] for e in over.json()["errors"]] == ["query.limit"], path


async def test_total_counts_every_match_across_pages(env: Env) -> None:
    ids = [(await env.submit())["id"] for _ in range(3)]
    first = (await env.client.get("/v1/applications", params={"limit": 2}, headers=env.clerk)).json()
    rest = (
        await env.client.get("/v1/applications", params={"limit": 2, "offset": 2}, headers=env.clerk)
    ).json()
    assert (first["total"], len(first["items"]), rest["total"], len(rest["items"])) == (3, 2, 3, 1)
    assert sorted(a["id"] for a in first["items"] + rest["items"]) == sorted(ids)
    trace = (
        await env.client.get(f"/v1/applications/{ids[0]}/trace", params={"offset": 1}, headers=env.clerk)
    ).json()
    assert trace["total"] == 1 and trace["items"] == []


@pytest.mark.parametrize(
    ("path", "params", "allowed"),
    [
        ("/v1/applications", {"status": "flying"}, "'accepted'"),
        ("/v1/supervision/cases", {"colour": "purple"}, "'yellow'"),
        ("/v1/notifications", {"status": "lost"}, "'failed'"),
    ],
)
async def test_unknown_filter_values_are_refused_with_the_allowed_ones(
    env: Env, path: str, params: dict[str, str], allowed: str
) -> None:
    resp = await env.client.get(path, params=params, headers=env.supervisor)
    assert resp.status_code == 422, resp.text
    [error] = resp.json()["errors"]
    assert error["field"] == "query." + next(iter(params))
    assert error["message"].startswith("应为以下之一") and allowed in error["message"]


async def test_slot_days_are_an_iso_date_range(env: Env) -> None:
    place = await env.client.post("/v1/places", json=PLACE, headers=env.admin)
    assert place.status_code == 201, place.text
    path = f"/v1/places/{place.json()['id']}/slots"
    reversed_range = await env.client.get(path, params={"from": "2026-10-09", "to": "2026-10-08"})
    assert reversed_range.status_code == 422 and reversed_range.json()["code"] == "date_range_reversed"
    instant = await env.client.get(path, params={"from": "2026-10-08T09:00:00+08:00"})
    assert instant.status_code == 422 and instant.json()["errors"][0]["field"] == "query.from"
    assert (await env.client.get(path, params={"from": "2026-10-08", "to": "2026-10-08"})).status_code == 200


async def test_catalog_items_are_spelled_one_way(env: Env) -> None:
    listed = await env.client.get("/v1/catalog-items")
    assert listed.status_code == 200 and [i["code"] for i in listed.json()["items"]] == ["SCJ-0001"]
    one = (await env.client.get("/v1/catalog-items/SCJ-0001")).json()
    materials = one["elements"]["materials"]
    assert {m["name"] for m in materials} >= {"申请书", "营业执照"} and one["elements"][
        "handling_type"
    ] == "2"
    assert (await env.client.get("/v1/catalogue-items")).status_code == 404
    missing = await env.client.get("/v1/catalog-items/NOPE")
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]


async def test_links_resolve_through_the_gateway(env: Env) -> None:
    """What the gateway's prefix says is where every link in a response points."""
    payload = {
        "item_code": "SCJ-0001",
        "applicant": {"id": env.citizen_id, "name": "张伟"},
        "materials": [],
    }
    resp = await env.client.post("/v1/applications", json=payload, headers={**env.clerk, **PREFIX})
    assert resp.status_code == 201, resp.text
    app_id = resp.json()["id"]
    assert resp.headers["location"] == f"/api/intake/v1/applications/{app_id}"
    noticed = await env.client.post(
        f"/v1/applications/{app_id}/notice", json={}, headers={**env.clerk, **PREFIX}
    )
    [notice] = noticed.json()["notices"]
    assert notice["html_url"] == f"/api/intake/v1/applications/{app_id}/notices/{notice['id']}"
    # Called directly (no gateway), the same links are the service's own paths.
    direct = (await env.client.get(f"/v1/applications/{app_id}", headers=env.clerk)).json()
    page = await env.client.get(direct["notices"][0]["html_url"], headers=env.citizen)
    assert page.status_code == 200 and "补正材料一次性告知书" in page.text
    upload = await env.client.post(
        "/v1/files", files={"file": ("a.pdf", PDF, "application/pdf")}, headers={**env.citizen, **PREFIX}
    )
    assert upload.headers["location"] == f"/api/intake/v1/files/{upload.json()['id']}"
    agreement = await env.client.post(
        "/v1/entrustments",
        json={
            "entrusting_unit_code": f"{DISTRICT}-SCJGJ",
            "entrusted_unit_code": f"{DISTRICT}001-FWZX",
            "item_codes": ["*"],
            "valid_from": "2026-09-01",
            "valid_until": "2027-08-31",
        },
        headers={**env.approver, **PREFIX},
    )
    assert agreement.headers["location"] == f"/api/intake/v1/entrustments/{agreement.json()['id']}"
    problem = await env.client.get("/v1/applications/nope", headers={**env.clerk, **PREFIX})
    assert problem.json()["instance"] == "/api/intake/v1/applications/nope"


async def test_a_new_entrustments_location_resolves(env: Env) -> None:
    body = {
        "entrusting_unit_code": f"{DISTRICT}-SCJGJ",
        "entrusted_unit_code": f"{DISTRICT}001-FWZX",
        "item_codes": ["SCJ-0001"],
        "valid_from": "2026-09-01",
        "valid_until": "2027-08-31",
    }
    created = await env.client.post("/v1/entrustments", json=body, headers=env.approver)
    assert created.status_code == 201, created.text
    got = await env.client.get(created.headers["location"], headers=env.approver)
    assert got.status_code == 200 and got.json() == created.json()
    street = env.staff("window_clerk", f"{DISTRICT}001-FWZX")
    assert (await env.client.get(created.headers["location"], headers=street)).status_code == 200
    # A unit that is not party to it does not see it.
    other = env.staff("window_clerk", f"{DISTRICT}002-FWZX")
    hidden = await env.client.get(created.headers["location"], headers=other)
    assert hidden.status_code == 404 and hidden.json()["code"] == "intake.entrustment_not_found"


async def test_problems_speak_chinese_and_english_when_asked(env: Env) -> None:
    missing = await env.client.get("/v1/applications/A-404", headers=env.citizen)
    assert missing.status_code == 404 and missing.json()["title"] == "未找到"
    assert missing.json()["detail"].startswith("未找到申请 A-404")
    english = await env.client.get("/v1/applications/A-404", headers={**env.citizen, "Accept-Language": "en"})
    assert english.json()["detail"] == "No application A-404." and english.json()["title"] == "Not Found"
    assert english.json()["code"] == missing.json()["code"] == "intake.application_not_found"
    forbidden = await env.client.post("/v1/supervision/scan", headers=env.clerk)
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == (
        "执行电子监察扫描需要以下角色之一：监督人员、管理员。如需办理，请联系有相应权限的工作人员。"
    )
    wrong_item = await env.client.post(
        "/v1/applications", json={"item_code": "NOPE", "applicant": {"name": "张伟"}}, headers=env.citizen
    )
    assert wrong_item.json()["detail"].startswith("没有编码为“NOPE”的已发布事项")


async def test_a_locker_pickup_code_stays_with_the_applicant(env: Env) -> None:
    """Staff never learn the pickup code: not in the SMS list, and not as its (six-digit, so
    trivially reversible) hash in the case either."""
    application = await env.to_review()
    await env.post(application["id"], "approve", env.approver)
    await env.post(application["id"], "complete", env.approver, {"result_name": "食品经营许可证"})
    delivered = await env.post(
        application["id"], "deliver", env.clerk, {"mode": "locker", "locker": "1号柜07格"}
    )
    for viewer in (env.clerk, env.supervisor, env.citizen):
        case = await env.client.get(f"/v1/applications/{application['id']}", headers=viewer)
        assert "pickup_code" not in case.text, case.text
    assert delivered["delivery"]["locker"] == "1号柜07格" and delivered["delivery"]["expires_on"]
    assert "pickup_code" not in str(delivered)


# --- the document ------------------------------------------------------------------------------

_NAME = re.compile(
    r"^[A-Z][A-Za-z]*(Read|Page|Create|Update|Submit|Resubmit|Issue|Accept|Correction|Pause|"
    r"Extend|Approve|Refuse|RefuseAcceptance|Prereview|Complete|Deliver|Withdraw|Cancel|Generate|Upload|Acknowledge|"
    r"Confirm)$"
)
#: Shared or nested value objects named for what they are.
_VALUE_OBJECTS = {"Problem", "PlaceHours", "Period", "DeliveryWish"}
_ACTIONS = re.compile(r"^/v1/(applications/\{application_id\}/(?!notices|trace)[a-z-]+|.*/(cancel|resend))$")


def _intake_paths(doc: dict[str, Any]) -> dict[str, Any]:
    # The working-day calendar comes from yiwang_shared and is checked there.
    return {p: item for p, item in doc["paths"].items() if not p.startswith("/v1/calendar")}


async def test_the_document_types_every_response(env: Env) -> None:
    doc = (await env.client.get("/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    paths = _intake_paths(doc)
    assert not [p for p in paths if "catalogue" in p]
    assert not [n for n in schemas if "catalogue" in n.lower() or n.endswith(("In", "Out", "View"))]
    own = {n for n in schemas if not n.startswith(("Calendar", "Working"))}
    assert not [n for n in own - _VALUE_OBJECTS if not _NAME.match(n)]
    for path, item in paths.items():
        for method, op in item.items():
            ok = {c: r for c, r in op["responses"].items() if c.startswith("2")}
            assert ok, (method, path)
            for code, response in ok.items():
                for media, content in response["content"].items():
                    schema = content["schema"]
                    assert schema.get("$ref") or schema.get("type") == "string", (method, path, media)
                    if media == "application/json":
                        assert schema["$ref"].startswith("#/components/schemas/"), (method, path)
                if code == "201":
                    assert "Location" in response["headers"], (method, path)
            if method == "get" and "$ref" in str(ok.get("200", {})):
                ref = ok["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                if ref.endswith("Page"):
                    assert set(schemas[ref]["properties"]) == {
                        "items",
                        "total",
                        "total_exact",
                        "limit",
                        "offset",
                    }
                    names = [p["name"] for p in op["parameters"]]
                    assert "limit" in names and "offset" in names, path
            if method == "post" and _ACTIONS.match(path):
                assert "409" in op["responses"], (method, path)
    html = paths["/v1/applications/{application_id}/notices/{notice_id}"]["get"]["responses"]["200"]
    assert html["content"] == {"text/html": {"schema": {"type": "string"}}}
    download = paths["/v1/files/{file_id}"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in download and "*/*" not in download
    assert download["application/pdf"]["schema"]["contentMediaType"] == "application/pdf"
    upload = paths["/v1/files"]["post"]["responses"]
    assert {"413", "415"} <= set(upload)
    statuses = next(p for p in paths["/v1/applications"]["get"]["parameters"] if p["name"] == "status")
    assert "flying" not in str(statuses) and "under_review" in str(statuses["schema"])
