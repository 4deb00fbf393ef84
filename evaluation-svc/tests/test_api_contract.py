"""The API contract (docs/api.md) on evaluation-svc: one page shape and no silent cap, closed sets
as enums (an unknown value is a 422 naming the allowed ones), Location headers a client can follow
through the gateway, problems in Chinese (English on request), typed indicator and ranking bodies,
and a document that says all of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import time_machine
from eval_support import MZJ, RSJ, WINDOW, citizen, completed, deliver, office, service_event_of, staff
from fastapi import FastAPI

from evaluation.schemas import Dimension, IndicatorName, IndicatorValues
from evaluation.services.indicators import INDICATORS
from evaluation.services.ratings import register_service_event
from yiwang_shared.testing import openapi
from yiwang_shared.testing.tokens import TestTokens

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 10, 10, 0, tzinfo=SH)
MONTH = "2026-11"
PAGE_KEYS = {"items", "total", "total_exact", "limit", "offset"}
GATEWAY = {"X-Forwarded-Prefix": "/api/evaluation"}
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def _in_the_month() -> Iterator[None]:
    """Everything these tests create falls in MONTH (see test_indicators)."""
    with time_machine.travel(AT, tick=True):
        yield


async def _rate(client: httpx.AsyncClient, tokens: TestTokens, who: str, level: int) -> dict[str, Any]:
    event = await service_event_of(client, tokens, who)
    resp = await client.post(
        f"/v1/service-events/{event['id']}/rating",
        json={"level": level, "channel": "mobile", "comment": "测试"},
        headers=citizen(tokens, who),
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


async def _bad_reviews(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens, n: int) -> list[str]:
    """`n` bad reviews of 区民政局 by different citizens; their rating ids, oldest first."""
    ids = []
    for i in range(n):
        who = f"citizen-page-{i}"
        await deliver(app, "intake.application.completed.v1", completed(applicant=who, at=AT))
        ids.append((await _rate(client, tokens, who, 5))["id"])
    return ids


# --- pages ---


async def test_every_collection_is_a_page(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await _bad_reviews(app, client, tokens, 1)
    handler = staff(tokens, MZJ, "handler")
    data = completed()
    await deliver(app, "intake.application.completed.v1", data)
    for url, headers in (
        ("/v1/bad-reviews", handler),
        (f"/v1/service-events?source_id={data['application_id']}", handler),
        ("/v1/service-events/mine", citizen(tokens, "citizen-page-0")),
        ("/v1/ratings/mine", citizen(tokens, "citizen-page-0")),
        ("/v1/ranking-rules", {}),
        (f"/v1/indicators/unit?month={MONTH}", staff(tokens, "X", "evaluator")),
    ):
        resp = await client.get(url, headers=headers)
        assert resp.status_code == 200, (url, resp.text)
        body = resp.json()
        assert set(body) == PAGE_KEYS, url
        assert (body["total"], body["limit"], body["offset"]) == (1 if "ranking" not in url else 2, 50, 0), (
            url
        )
        assert len(body["items"]) == body["total"], url


async def test_pages_count_every_match_and_walk_by_offset(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    ratings = await _bad_reviews(app, client, tokens, 5)
    handler = staff(tokens, MZJ, "handler")
    first = (await client.get("/v1/bad-reviews?limit=2", headers=handler)).json()
    second = (await client.get("/v1/bad-reviews?limit=2&offset=2", headers=handler)).json()
    last = (await client.get("/v1/bad-reviews?limit=2&offset=4", headers=handler)).json()
    assert (first["total"], second["total"], last["total"]) == (5, 5, 5)
    seen = [c["rating_id"] for c in first["items"] + second["items"] + last["items"]]
    assert seen == list(reversed(ratings))  # newest first, each once
    past = (await client.get("/v1/bad-reviews?offset=10", headers=handler)).json()
    assert past["items"] == [] and past["total"] == 5
    filtered = (await client.get("/v1/bad-reviews?status=open&limit=1", headers=handler)).json()
    assert filtered["total"] == 5 and len(filtered["items"]) == 1
    closed = (await client.get("/v1/bad-reviews?status=closed", headers=handler)).json()
    assert closed["total"] == 0
    other = (await client.get("/v1/bad-reviews", headers=staff(tokens, RSJ, "handler"))).json()
    assert other["total"] == 0  # another unit's cases are not counted either


async def test_no_list_is_cut_silently(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> None:
    """The citizen's services were cut at 200; a page now says the total and the client pages on."""
    async with app.state.db.transaction() as s:
        for i in range(205):
            await register_service_event(
                s,
                fields={
                    "kind": "visit",
                    "source_id": f"visit-{i}",
                    "reference_no": None,
                    "item_code": None,
                    "item_name": None,
                    "unit_code": MZJ,
                    "window_code": WINDOW,
                    "staff_id": None,
                    "served_subject": "citizen-many",
                    "served_at": AT,
                },
                rating_window_days=30,
            )
    me = citizen(tokens, "citizen-many")
    pages = [
        (await client.get(f"/v1/service-events/mine?limit=200&offset={o}", headers=me)).json()
        for o in (0, 200)
    ]
    assert [p["total"] for p in pages] == [205, 205]
    assert [len(p["items"]) for p in pages] == [200, 5]
    assert len({e["source_id"] for p in pages for e in p["items"]}) == 205


async def test_a_limit_over_200_is_a_422_naming_it(client: httpx.AsyncClient, tokens: TestTokens) -> None:
    for url, headers in (
        ("/v1/bad-reviews?limit=201", staff(tokens, MZJ, "handler")),
        ("/v1/service-events/mine?limit=500", citizen(tokens, "a")),
        ("/v1/ratings/mine?limit=1000", citizen(tokens, "a")),
        ("/v1/ranking-rules?limit=201", {}),
        (f"/v1/indicators/window?month={MONTH}&limit=201", staff(tokens, "X", "evaluator")),
    ):
        resp = await client.get(url, headers=headers)
        assert resp.status_code == 422, url
        assert resp.json()["errors"] == [
            {"field": "query.limit", "message": "应不大于 200", "type": "less_than_equal"}
        ], url


# --- closed sets ---


@pytest.mark.parametrize(
    ("url", "field", "allowed"),
    [
        ("/v1/bad-reviews?status=flying", "query.status", "'open'、'called_back'、'rectifying'"),
        (f"/v1/indicators/street?month={MONTH}", "path.dimension", "'unit'、'window'、'staff'"),
        (f"/v1/reports/monthly?month={MONTH}&format=pdf", "query.format", "'json'、'csv'"),
        (f"/v1/reports/monthly?month={MONTH}&by=street", "query.by", "'unit'"),
        (f"/v1/reports/charts/speed.svg?month={MONTH}", "path.indicator", "'ratings'、'rated_share'"),
    ],
)
async def test_an_unknown_value_is_a_422_listing_the_allowed_ones(
    client: httpx.AsyncClient, tokens: TestTokens, url: str, field: str, allowed: str
) -> None:
    resp = await client.get(url, headers=staff(tokens, "X", "evaluator"))
    assert resp.status_code == 422, resp.text
    assert resp.json()["code"] == "validation_failed"
    (error,) = resp.json()["errors"]
    assert (error["field"], error["type"]) == (field, "enum")
    assert error["message"].startswith("应为以下之一：" + allowed)


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "2026-11-01", "202611", "November"])
async def test_a_month_is_yyyy_mm(client: httpx.AsyncClient, tokens: TestTokens, month: str) -> None:
    for url in ("/v1/indicators/public", "/v1/rankings/service_star", "/v1/reports/monthly"):
        resp = await client.get(url, params={"month": month}, headers=staff(tokens, "X", "evaluator"))
        assert resp.status_code == 422, (url, resp.text)
        assert [(e["field"], e["type"]) for e in resp.json()["errors"]] == [
            ("query.month", "string_pattern_mismatch")
        ]


async def test_rating_and_rule_bodies_take_only_known_values(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    rated = await client.post(
        "/v1/service-events/x/rating", json={"level": 6, "channel": "fax"}, headers=citizen(tokens, "a")
    )
    assert rated.status_code == 422
    assert {e["field"]: e["type"] for e in rated.json()["errors"]} == {
        "body.level": "enum",
        "body.channel": "enum",
    }
    rule = {"title": "t", "dimension": "street", "indicator": "speed", "min_ratings": 1, "top_n": 3}
    put = await client.put("/v1/ranking-rules/fast", json=rule, headers=staff(tokens, "X", "evaluator"))
    assert put.status_code == 422
    assert {e["field"] for e in put.json()["errors"]} == {"body.dimension", "body.indicator"}


async def test_odd_units_and_rule_names_are_422_not_500(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    """A unit with characters no file name header can carry, a rule name longer than its column."""
    evaluator = staff(tokens, "X", "evaluator")
    for fmt in ("csv", "xlsx", "json"):
        resp = await client.get(
            f"/v1/reports/monthly?month={MONTH}&unit=区民政局&format={fmt}", headers=evaluator
        )
        assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "query.unit", fmt
    rule = {"title": "t", "dimension": "window", "indicator": "good_rate", "min_ratings": 1, "top_n": 3}
    long = await client.put(f"/v1/ranking-rules/{'x' * 41}", json=rule, headers=evaluator)
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "path.name"
    assert (await client.get(f"/v1/rankings/{'x' * 41}?month={MONTH}")).status_code == 422


# --- links ---


async def test_a_window_visit_and_a_rating_pad_point_at_themselves(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    clerk = staff(tokens, WINDOW, "window_clerk")
    visit = await client.post("/v1/window-visits", json={"unit_code": MZJ}, headers=clerk | GATEWAY)
    assert visit.status_code == 201, visit.text
    event = visit.json()
    assert visit.headers["location"] == f"/api/evaluation/v1/service-events/{event['id']}"
    plain = await client.post("/v1/window-visits", json={}, headers=clerk)
    assert plain.headers["location"] == f"/v1/service-events/{plain.json()['id']}"
    followed = await client.get(plain.headers["location"], headers=clerk)
    assert followed.status_code == 200 and followed.json() == plain.json()
    stranger = await client.get(plain.headers["location"], headers=citizen(tokens, "someone"))
    assert stranger.status_code == 404 and stranger.json()["code"] == "evaluation.service_event_not_found"
    pad = await client.post(
        "/v1/rating-devices", json={"window_code": WINDOW}, headers=office(tokens) | GATEWAY
    )
    assert pad.status_code == 201, pad.text
    device = pad.json()["device"]
    assert pad.headers["location"] == f"/api/evaluation/v1/rating-devices/{device['id']}"
    read = await client.get(f"/v1/rating-devices/{device['id']}", headers=office(tokens))
    assert read.status_code == 200 and read.json() == device


async def test_a_rating_points_at_itself(app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens) -> None:
    await deliver(app, "intake.application.completed.v1", completed(applicant="citizen-loc", at=AT))
    event = await service_event_of(client, tokens, "citizen-loc")
    me = citizen(tokens, "citizen-loc")
    mine = await client.get(f"/v1/service-events/{event['id']}", headers=me)
    assert mine.status_code == 200 and mine.json() == event  # the person served reads it too
    rated = await client.post(
        f"/v1/service-events/{event['id']}/rating", json={"level": 2, "channel": "pc"}, headers=me | GATEWAY
    )
    assert rated.status_code == 201
    assert rated.headers["location"] == f"/api/evaluation/v1/ratings/{rated.json()['id']}"
    path = rated.headers["location"].removeprefix("/api/evaluation")
    assert (await client.get(path, headers=me)).json() == rated.json()
    unit = await client.get(path, headers=staff(tokens, MZJ, "handler"))
    assert unit.status_code == 200 and unit.json()["id"] == rated.json()["id"]
    for outsider in (citizen(tokens, "someone"), staff(tokens, RSJ, "handler")):
        resp = await client.get(path, headers=outsider)
        assert resp.status_code == 404 and resp.json()["code"] == "evaluation.rating_not_found"


async def test_a_new_ranking_rule_is_201_with_its_location_a_changed_one_200(
    client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    evaluator = staff(tokens, "X", "evaluator")
    rule = {
        "title": "服务明星窗口",
        "dimension": "window",
        "indicator": "good_rate",
        "min_ratings": 5,
        "top_n": 3,
    }
    created = await client.put("/v1/ranking-rules/star_window", json=rule, headers=evaluator | GATEWAY)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/evaluation/v1/ranking-rules/star_window"
    changed = await client.put("/v1/ranking-rules/star_window", json=rule | {"top_n": 5}, headers=evaluator)
    assert changed.status_code == 200 and "location" not in changed.headers
    read = await client.get("/v1/ranking-rules/star_window")
    assert read.json() == rule | {
        "name": "star_window",
        "top_n": 5,
        "min_value": None,
        "max_bad_reviews": None,
    }
    missing = await client.get("/v1/ranking-rules/no_such_rule")
    assert missing.status_code == 404 and missing.json()["code"] == "evaluation.ranking_rule_not_found"
    assert "未找到排名规则" in missing.json()["detail"]


# --- problems people can read ---


async def test_raters_read_their_problems_in_chinese_and_integrators_in_english(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    await deliver(app, "intake.application.completed.v1", completed(applicant="citizen-zh", at=AT))
    event = await service_event_of(client, tokens, "citizen-zh")
    url = f"/v1/service-events/{event['id']}/rating"
    body = {"level": 1, "channel": "qr", "code": "WRONGCODE1"}
    zh = await client.post(url, json=body)
    assert zh.status_code == 403 and zh.json()["code"] == "evaluation.rating_code_invalid"
    assert zh.json()["title"] == "无权办理"
    assert zh.json()["detail"].startswith("评价码无效或已使用。")
    en = await client.post(url, json=body, headers=ENGLISH)
    assert en.json()["code"] == "evaluation.rating_code_invalid"
    assert en.json()["detail"] == "The rating code is not valid for this service or has already been used."
    anonymous = await client.post(url, json={"level": 1, "channel": "qr"})
    assert anonymous.json()["detail"].startswith("只有接受该服务的本人才能评价")
    await client.post(url, json={"level": 1, "channel": "mobile"}, headers=citizen(tokens, "citizen-zh"))
    again = await client.post(
        url, json={"level": 1, "channel": "mobile"}, headers=citizen(tokens, "citizen-zh")
    )
    assert again.status_code == 409
    assert again.json()["detail"] == "该服务已经评价过了。每次服务只能评价一次（一事一评），感谢您的参与。"
    aspects = await client.post(
        url,
        json={"level": 1, "channel": "mobile", "aspects": ["x" * 31]},
        headers=citizen(tokens, "citizen-zh"),
    )
    assert aspects.json()["errors"][0]["message"] == "每个评价维度应为 1–30 个字符。"


async def test_staff_read_case_problems_in_chinese(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    (rating,) = await _bad_reviews(app, client, tokens, 1)
    handler = staff(tokens, MZJ, "handler")
    case = (await client.get("/v1/bad-reviews", headers=handler)).json()["items"][0]
    assert case["rating_id"] == rating
    base = f"/v1/bad-reviews/{case['id']}"
    early = await client.post(f"{base}/rectify", json={"note": "已整改"}, headers=handler)
    assert early.json()["detail"].startswith(f"差评件 {case['id']} 为实名差评，须先回访评价人")
    wrong = await client.post(f"{base}/feedback", json={"text": "x"}, headers=handler)
    assert wrong.json()["detail"].startswith(f"差评件 {case['id']} 当前为“待处理”，不能进行“反馈”。")
    assert wrong.json()["status_now"] == "open"
    english = await client.post(f"{base}/feedback", json={"text": "x"}, headers=handler | ENGLISH)
    assert (
        english.json()["detail"] == f"Bad-review case {case['id']} is open; 'feedback' is not possible now."
    )
    early_rating = await client.post(
        f"{base}/response-rating", json={"level": 1}, headers=citizen(tokens, "citizen-page-0")
    )
    assert early_rating.status_code == 409
    assert early_rating.json()["detail"] == "单位尚未向您反馈差评的处理情况，收到反馈后即可评价。"
    foreign = await client.get(base, headers=staff(tokens, RSJ, "handler"))
    assert foreign.json()["detail"] == f"未找到差评件 {case['id']}，或您无权查看。"
    citizen_list = await client.get("/v1/bad-reviews", headers=citizen(tokens, "citizen-page-0"))
    assert citizen_list.json()["detail"] == "差评件由工作人员办理，请使用工作人员账号登录。"
    clerk = await client.post("/v1/window-visits", json={}, headers=staff(tokens, MZJ, "handler"))
    assert clerk.json()["detail"].startswith("只有窗口受理人员（window_clerk）可以登记窗口服务")


# --- typed bodies ---


def test_indicator_values_name_every_indicator_in_report_order() -> None:
    names = [i.name for i in INDICATORS]
    assert list(IndicatorValues.model_fields) == names == [n.value for n in IndicatorName]


async def test_indicator_ranking_and_public_bodies_are_typed(
    app: FastAPI, client: httpx.AsyncClient, tokens: TestTokens
) -> None:
    unit = {"org_unit_id": "mzj", "change": "created", "changed_fields": [], "code": MZJ, "name": "区民政局"}
    unit |= {"kind": "department", "level": 4, "parent_id": None, "uscc": None, "changed_at": AT.isoformat()}
    await deliver(app, "identity.org_unit.changed.v1", unit)
    window = unit | {"org_unit_id": "w01", "code": WINDOW, "name": "综合窗口1", "parent_id": "mzj"}
    await deliver(app, "identity.org_unit.changed.v1", window)
    for who in ("citizen-t1", "citizen-t2"):
        await deliver(app, "intake.application.completed.v1", completed(applicant=who, at=AT))
        await _rate(client, tokens, who, 1)
    evaluator = staff(tokens, "X", "evaluator")
    page = (await client.get(f"/v1/indicators/unit?month={MONTH}", headers=evaluator)).json()
    (row,) = page["items"]
    assert (row["dimension"], row["key"], row["name"], row["month"]) == ("unit", MZJ, "区民政局", MONTH)
    assert list(row["indicators"]) == [i.name for i in INDICATORS]
    assert row["indicators"]["ratings"] == 2 and row["indicators"]["good_rate"] == 1.0
    assert row["indicators"]["hotline_response_rate"] is None  # no ticket due: no denominator
    assert row["counters"]["ratings"] == 2
    public = (await client.get(f"/v1/indicators/public?month={MONTH}")).json()
    assert set(public) == {"month", "district", "units"}
    assert public["units"] == [{"key": MZJ, "name": "区民政局", "indicators": row["indicators"]}]
    rule = {
        "title": "红旗窗口",
        "dimension": "window",
        "indicator": "good_rate",
        "min_ratings": 1,
        "top_n": 3,
    }
    await client.put("/v1/ranking-rules/red_flag_window", json=rule, headers=evaluator)
    ranking = (await client.get(f"/v1/rankings/red_flag_window?month={MONTH}")).json()
    assert ranking["rule"]["name"] == "red_flag_window" and ranking["month"] == MONTH
    assert ranking["rows"] == [{"rank": 1, "key": WINDOW, "name": "综合窗口1", "value": 1.0, "ratings": 2}]
    report = (await client.get(f"/v1/reports/monthly?month={MONTH}&unit={MZJ}", headers=evaluator)).json()
    assert (report["by"], report["unit"], report["month"]) == ("unit", MZJ, MONTH)
    assert [(r["key"], r["name"]) for r in report["rows"]] == [(MZJ, "区民政局"), (WINDOW, "综合窗口1")]
    windows = await client.get(f"/v1/indicators/window?month={MONTH}&limit=1&offset=0", headers=evaluator)
    assert windows.json()["total"] == 1 and windows.json()["items"][0]["name"] == "综合窗口1"
    viewed = await client.post("/v1/guide-views", json={"item_code": "ITEM-DIBAO"})
    assert viewed.status_code == 202
    assert set(viewed.json()) == {"item_code", "month", "viewed_at", "counted"}
    assert (viewed.json()["month"], viewed.json()["counted"]) == (MONTH, True)
    assert viewed.json()["viewed_at"].startswith("2026-11-10T02:0")  # the server's time (UTC)


# --- the document ---


def _doc() -> dict[str, Any]:
    return dict(json.loads(openapi.render("evaluation")))


def _ops(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield method, path, op


def test_the_document_types_every_answer() -> None:
    doc = _doc()
    schemas = doc["components"]["schemas"]
    bodies = {
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        for _, _, op in _ops(doc)
        if "requestBody" in op
    }
    for name, schema in schemas.items():
        assert not name.endswith(("View", "In", "Out", "Write")), name
        if "enum" in schema or name in ("Problem", "IndicatorValues"):
            continue  # closed sets; the error envelope; the value set inside indicator bodies
        if name in bodies:
            assert name.endswith(("Create", "Update")) or name.startswith("BadReview"), name
        else:
            assert name.endswith(("Read", "Page")), name
    for method, path, op in _ops(doc):
        ok = {s: r for s, r in op["responses"].items() if s.startswith("2")}
        assert ok, (method, path)
        for status, response in ok.items():
            content = response.get("content") or {}
            assert content, (method, path, status)
            for media, spec in content.items():
                schema = spec.get("schema") or {}
                assert schema and schema != {"type": "object"}, (method, path, media)
            if status == "201":
                assert "Location" in response.get("headers", {}), (method, path)
        if (
            method == "get"
            and "{" not in path.rsplit("/", 1)[-1]
            and path
            not in {
                "/v1/indicators/public",
                "/v1/reports/monthly",
            }
        ):
            ref = ok["200"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("Page"), (path, ref)


def test_the_document_carries_the_closed_sets_and_media_types() -> None:
    doc = _doc()
    schemas = doc["components"]["schemas"]
    assert schemas["Dimension"]["enum"] == [d.value for d in Dimension]
    assert schemas["IndicatorName"]["enum"] == [i.name for i in INDICATORS]
    assert schemas["RatingLevel"]["enum"] == [1, 2, 3, 4, 5]
    assert "closed" in schemas["BadReviewStatus"]["enum"]

    def param(path: str, name: str) -> dict[str, Any]:
        op = doc["paths"][path]["get"]
        return dict(next(p for p in op["parameters"] if p["name"] == name)["schema"])

    assert param("/v1/indicators/{dimension}", "dimension") == {"$ref": "#/components/schemas/Dimension"}
    assert param("/v1/reports/charts/{indicator}.svg", "indicator") == {
        "$ref": "#/components/schemas/IndicatorName"
    }
    assert param("/v1/reports/monthly", "format")["$ref"] == "#/components/schemas/MonthlyReportFormat"
    assert param("/v1/reports/monthly", "by")["$ref"] == "#/components/schemas/ReportBy"
    assert param("/v1/bad-reviews", "status")["anyOf"][0] == {"$ref": "#/components/schemas/BadReviewStatus"}
    assert param("/v1/indicators/public", "month")["pattern"] == r"^\d{4}-(0[1-9]|1[0-2])$"
    report = doc["paths"]["/v1/reports/monthly"]["get"]["responses"]["200"]["content"]
    assert set(report) == {
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    chart = doc["paths"]["/v1/reports/charts/{indicator}.svg"]["get"]["responses"]["200"]["content"]
    assert chart == {"image/svg+xml": {"schema": {"type": "string"}}}
    steps = doc["paths"]["/v1/bad-reviews/{case_id}/feedback"]["post"]["responses"]
    assert steps["409"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    rating = doc["paths"]["/v1/service-events/{event_id}/rating"]["post"]
    assert {"403", "404", "409"} <= set(rating["responses"]) and rating["security"] == [{}, {"bearer": []}]
