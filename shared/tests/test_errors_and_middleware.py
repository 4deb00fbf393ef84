"""The problem+json envelope, the request-context and body-guard middleware, and masked logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

import httpx
import orjson
import pytest
from fastapi import Body, FastAPI, Request
from pydantic import BaseModel, Field

from yiwang_shared.context import request_id_var
from yiwang_shared.errors import (
    Conflict,
    NotFound,
    TooManyRequests,
    install_error_handlers,
)
from yiwang_shared.logging import JsonFormatter, MaskingFormatter, mask_text
from yiwang_shared.middleware import (
    MAX_JSON_DEPTH,
    BodyGuardMiddleware,
    JsonDepthScanner,
    RequestContextMiddleware,
)

PROBLEM = "application/problem+json"
SECRET = "db password is hunter2"


class Order(BaseModel):
    name: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    kind: Literal["paper", "online"]
    note: str | None = None


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/ok")
    async def ok() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/orders")
    async def orders_create(order: Order) -> Order:
        return order

    @app.post("/echo")
    async def echo(body: Annotated[Any, Body()]) -> dict[str, str]:
        return {"type": type(body).__name__}

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, str]:
        # A route that parses the body itself (webhooks, free-form forms).
        data = await request.json()
        return {"type": type(data).__name__}

    @app.post("/keep")
    async def keep(body: Annotated[Any, Body()]) -> dict[str, Any]:
        return {"stored": body}

    @app.get("/missing")
    async def missing() -> None:
        raise NotFound("没有 42 号订单。", en="There is no order 42.", code="x.y")

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("已受理。", en="Already accepted.", code="intake.already_accepted", case_id="c-1")

    @app.get("/slow-down")
    async def slow_down() -> None:
        raise TooManyRequests("Too many requests.", headers={"Retry-After": "7"})

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError(SECRET)

    # Added in this order, BodyGuard first: the last added is the outermost, so the request
    # id exists before the body guard answers.
    app.add_middleware(BodyGuardMiddleware, max_body_bytes=1000)
    app.add_middleware(RequestContextMiddleware, service="t")
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """A client that asks for English (most assertions below read the English texts)."""
    # raise_app_exceptions=False: Starlette re-raises an unhandled error after sending the 500
    # (so a server can log it); a real server would not pass it to the client either.
    transport = httpx.ASGITransport(build_app(), raise_app_exceptions=False)
    headers = {"Accept-Language": "en"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        yield c


@pytest.fixture
async def zh_client() -> AsyncIterator[httpx.AsyncClient]:
    """A client that states no language, as a citizen's browser in China would: Chinese."""
    transport = httpx.ASGITransport(build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        yield c


def assert_problem(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is a well-formed problem with the status, code and the request id."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code
    assert body["type"].startswith("https://yiwang.dev/problems/")
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["request_id"]
    # Every x-request-id header carries the body's id (see test_one_request_id_header).
    assert set(r.headers.get_list("x-request-id")) == {body["request_id"]}
    return body  # type: ignore[no-any-return]


# --- routing errors -----------------------------------------------------------------------


async def test_ok_has_a_request_id(client: httpx.AsyncClient) -> None:
    r = await client.get("/ok")
    assert r.status_code == 200
    assert len(r.headers["x-request-id"]) == 32
    r2 = await client.get("/ok")
    assert r2.headers["x-request-id"] != r.headers["x-request-id"]


async def test_unknown_path_is_404(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/nowhere"), 404, "not_found")
    assert "/nowhere" in body["detail"]
    assert body["instance"] == "/nowhere"


async def test_wrong_method_is_405(client: httpx.AsyncClient) -> None:
    r = await client.delete("/ok")
    body = assert_problem(r, 405, "method_not_allowed")
    assert body["detail"] == "DELETE is not allowed on /ok."
    assert r.headers["allow"] == "GET"


async def test_incoming_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    r = await client.get("/ok", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = await client.get("/nowhere", headers={"X-Request-ID": "abc-404"})
    assert assert_problem(r, 404)["request_id"] == "abc-404"
    # A huge incoming id is cut, not refused.
    r = await client.get("/ok", headers={"X-Request-ID": "z" * 500})
    assert r.headers["x-request-id"] == "z" * 64


async def test_request_id_does_not_leak_between_requests(client: httpx.AsyncClient) -> None:
    await client.get("/ok", headers={"X-Request-ID": "first"})
    assert request_id_var.get() is None


async def test_one_request_id_header(client: httpx.AsyncClient) -> None:
    r = await client.post("/orders", content=b"hello", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    assert len(r.headers.get_list("x-request-id")) == 1


# --- body guard ---------------------------------------------------------------------------


async def test_declared_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/orders", content=b"{" + b" " * 2000 + b"}", headers={"content-type": "application/json"}
    )
    body = assert_problem(r, 413, "payload_too_large")
    assert "2002 bytes" in body["detail"] and "1000" in body["detail"]


async def test_streamed_oversized_body_is_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    r = await client.post("/orders", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in r.request.headers
    assert r.request.headers["transfer-encoding"] == "chunked"
    body = assert_problem(r, 413, "payload_too_large")
    assert "1000" in body["detail"]


async def test_streamed_small_body_passes(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "a", '
        yield b'"quantity": 2, "kind": "paper"}'

    r = await client.post("/orders", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["quantity"] == 2


async def test_bad_content_length_is_400(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/orders",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": "lots"},
    )
    assert_problem(r, 400, "bad_request")


async def test_text_plain_body_is_415(client: httpx.AsyncClient) -> None:
    r = await client.post("/orders", content=b"hello", headers={"content-type": "text/plain"})
    body = assert_problem(r, 415, "unsupported_media_type")
    assert "'text/plain'" in body["detail"] and "application/json" in body["detail"]


async def test_missing_content_type_is_415(client: httpx.AsyncClient) -> None:
    r = await client.post("/orders", content=b"{}")
    assert_problem(r, 415, "unsupported_media_type")


async def test_json_with_charset_and_problem_json_are_accepted(client: httpx.AsyncClient) -> None:
    order = b'{"name": "a", "quantity": 1, "kind": "online"}'
    for ctype in ("application/json; charset=utf-8", "application/merge-patch+json"):
        r = await client.post("/orders", content=order, headers={"content-type": ctype})
        assert r.status_code == 200, (ctype, r.text)


# --- validation ---------------------------------------------------------------------------


async def test_422_lists_every_bad_field_at_once(client: httpx.AsyncClient) -> None:
    r = await client.post("/orders", json={"name": "", "quantity": 0, "kind": "fax"})
    body = assert_problem(r, 422, "validation_failed")
    fields = {e["field"]: e for e in body["errors"]}
    assert set(fields) == {"body.name", "body.quantity", "body.kind"}
    assert "3 field(s) are invalid" in body["detail"]
    assert "greater than or equal to 1" in fields["body.quantity"]["message"]
    assert "'paper' or 'online'" in fields["body.kind"]["message"]
    assert all(e["type"] for e in body["errors"])


async def test_422_for_missing_fields(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/orders", json={}), 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"body.name", "body.quantity", "body.kind"}


async def test_invalid_json_is_a_4xx_problem(client: httpx.AsyncClient) -> None:
    r = await client.post("/orders", content=b'{"name": ', headers={"content-type": "application/json"})
    body = assert_problem(r, 422)
    assert body["errors"] == [
        {
            "field": "body",
            "message": "the body is not valid JSON at character 9: Expecting value",
            "type": "json_invalid",
        }
    ]


async def test_invalid_utf8_is_a_4xx_problem(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/orders", content=b'{"name": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    body = assert_problem(r, 400, "bad_request")
    assert body["detail"] == "The JSON body is not valid UTF-8 (byte 10); encode it as UTF-8."


async def test_utf8_split_across_chunks_is_fine(client: httpx.AsyncClient) -> None:
    data = '{"name": "居民身份证", "quantity": 1, "kind": "paper"}'.encode()

    async def chunks():  # type: ignore[no-untyped-def]
        for i in range(0, len(data), 3):  # cuts inside multi-byte characters
            yield data[i : i + 3]

    r = await client.post("/orders", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "居民身份证"


async def test_deeply_nested_json_is_a_4xx_problem(client: httpx.AsyncClient) -> None:
    # Small enough for the body guard to let through; deep enough to break a recursive parser.
    app = build_app()
    app.user_middleware.clear()
    app.add_middleware(BodyGuardMiddleware, max_body_bytes=1_000_000)
    app.add_middleware(RequestContextMiddleware, service="t")
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    english = {"Accept-Language": "en"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=english) as big:
        depth = 100_000
        nested = b"[" * depth + b"]" * depth
        for path in ("/echo", "/orders", "/raw"):
            r = await big.post(path, content=nested, headers={"content-type": "application/json"})
            assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:300])
            body = assert_problem(r, 400, "bad_request")
            # Refused by the body guard before any parser runs (routes reading the raw body too).
            assert f"more than {MAX_JSON_DEPTH} levels" in body["detail"]
        # Moderate nesting is fine.
        r = await big.post(
            "/echo", content=b"[" * 50 + b"]" * 50, headers={"content-type": "application/json"}
        )
        assert r.status_code == 200
        assert r.json() == {"type": "list"}


async def test_moderately_deep_json_is_refused_before_the_route(client: httpx.AsyncClient) -> None:
    # ~300 levels parse in Python but break pydantic's serializer when echoed back: the body
    # guard refuses anything deeper than MAX_JSON_DEPTH with a 400 that says what to do.
    nested = b"[" * 300 + b"]" * 300
    r = await client.post("/keep", content=nested, headers={"content-type": "application/json"})
    body = assert_problem(r, 400, "bad_request")
    assert f"more than {MAX_JSON_DEPTH} levels" in body["detail"]


async def test_json_at_the_depth_limit_passes(client: httpx.AsyncClient) -> None:
    nested = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    r = await client.post("/keep", content=nested, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[[", "\\\\", "\\"[[["]', 1),  # brackets inside strings, escaped quotes
        ('"just a string with { and ["', 0),
        ("[" * 70 + "]" * 70, 70),
    ],
)
def test_depth_scanner_skips_strings_in_any_chunking(text: str, depth: int) -> None:
    data = text.encode()
    for cut in range(len(data) + 1):
        scanner = JsonDepthScanner()
        scanner.feed(data[:cut])
        assert scanner.feed(data[cut:]) == depth, (text, cut)


# --- domain and unexpected errors ---------------------------------------------------------


async def test_domain_error_keeps_its_code(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/missing"), 404, "x.y")
    assert body["detail"] == "There is no order 42."
    assert body["type"] == "https://yiwang.dev/problems/x/y"
    assert body["title"] == "Not Found"


async def test_problems_are_chinese_unless_english_is_asked_for(zh_client: httpx.AsyncClient) -> None:
    body = assert_problem(await zh_client.get("/missing"), 404, "x.y")
    assert (body["title"], body["detail"]) == ("未找到", "没有 42 号订单。")
    nowhere = assert_problem(await zh_client.get("/nowhere"), 404, "not_found")
    assert "没有资源" in nowhere["detail"]
    wrong = assert_problem(await zh_client.delete("/ok"), 405, "method_not_allowed")
    assert wrong["detail"] == "/ok 不支持 DELETE 方法。"
    big = await zh_client.post("/orders", content=b"x" * 2002, headers={"content-type": "application/json"})
    assert "2002 字节" in assert_problem(big, 413, "payload_too_large")["detail"]
    invalid = await zh_client.post("/orders", json={"name": "", "quantity": 0, "kind": "x"})
    body = assert_problem(invalid, 422, "validation_failed")
    assert body["title"] == "输入有误" and body["detail"].startswith("有 3 处输入需要修改")
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields == {
        "body.name": "至少 1 个字符",
        "body.quantity": "应不小于 1",
        "body.kind": "应为以下之一：'paper'、'online'",
    }
    # The code never changes with the language; a client preferring Chinese gets Chinese.
    zh_first = await zh_client.get("/missing", headers={"Accept-Language": "zh-CN,en;q=0.8"})
    assert zh_first.json()["detail"] == "没有 42 号订单。" and zh_first.json()["code"] == "x.y"
    en_first = await zh_client.get("/missing", headers={"Accept-Language": "en-GB,zh;q=0.5"})
    assert en_first.json()["detail"] == "There is no order 42." and en_first.json()["title"] == "Not Found"


async def test_domain_error_extras_and_headers(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/conflict"), 409, "intake.already_accepted")
    assert body["case_id"] == "c-1"
    r = await client.get("/slow-down")
    assert_problem(r, 429, "rate_limited")
    assert r.headers["retry-after"] == "7"


async def test_unexpected_error_is_a_500_without_internals(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        r = await client.get("/boom", headers={"X-Request-ID": "boom-1"})
    body = assert_problem(r, 500, "internal_error")
    assert body["request_id"] == "boom-1"
    assert SECRET not in r.text
    assert "Traceback" not in r.text and "RuntimeError" not in r.text and ".py" not in r.text
    # The log has the details instead.
    assert any(rec.exc_info and SECRET in str(rec.exc_info[1]) for rec in caplog.records)


# --- logging ------------------------------------------------------------------------------


def test_mask_text_masks_ids_and_mobiles_in_a_sentence() -> None:
    text = "申请人身份证 11010119900307123X，手机13812345678，已受理。"
    assert mask_text(text) == "申请人身份证 110101********123X，手机138****5678，已受理。"
    assert mask_text("id=11010519491231002x phone:+86 13912345678") == (
        "id=110105********002x phone:+86 139****5678"
    )


def test_mask_text_leaves_other_numbers_alone() -> None:
    for text in (
        "batch 12345678901234567890 done",  # 20 digits
        "order 202410080001234567 shipped",  # 18-digit order number that is not an ID
        "订单号 DD20241008123456789012",
        "amount 1234567890",
        "call 010-12345678",
        "trace 0x13812345678abc",
        "uscc 91350100M000100Y43",
    ):
        assert mask_text(text) == text, text


def test_mask_text_masks_every_occurrence() -> None:
    text = "13812345678/13912345678 and 110101199003071234, tel:+8615012345678"
    assert mask_text(text) == ("138****5678/139****5678 and 110101********1234, tel:+86150****5678")


def test_mask_text_masks_numbers_behind_letters_and_split_mobiles() -> None:
    """Issue 15, point 13: these reached the logs in clear from request paths."""
    assert mask_text("GET /v1/x/tel13810000003 404") == "GET /v1/x/tel138****0003 404"
    assert mask_text("GET /v1/x/ID110105197809250261") == "GET /v1/x/ID110105********0261"
    assert mask_text("GET /v1/x/138-1000-0003 and 138 1000 0003") == "GET /v1/x/138****0003 and 138****0003"


def test_mask_text_leaves_hex_request_ids_alone() -> None:
    rid = "4bd10adcb13812345678ab49dd27bd0c"
    assert mask_text(f"request {rid} failed") == f"request {rid} failed"


def _record(msg: str, *args: Any, **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("yiwang.test", logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_formatter_output_is_valid_masked_json() -> None:
    formatter = JsonFormatter("t")
    token = request_id_var.set("rid-1")
    try:
        line = formatter.format(
            _record(
                "accepted %s for %s",
                "case-1",
                "13812345678",
                applicant_id="11010119900307123X",
                n=3,
            )
        )
    finally:
        request_id_var.reset(token)
    out = json.loads(line)
    assert out["msg"] == "accepted case-1 for 138****5678"
    assert out["level"] == "INFO"
    assert out["service"] == "t"
    assert out["logger"] == "yiwang.test"
    assert out["request_id"] == "rid-1"
    assert out["applicant_id"] == "110101********123X"
    assert out["n"] == 3
    assert "\n" not in line


def test_json_formatter_masks_exceptions() -> None:
    formatter = JsonFormatter("t")
    try:
        raise ValueError("bad id 11010119900307123X")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    out = orjson.loads(formatter.format(record))
    assert "11010119900307123X" not in out["exc"]
    assert "110101********123X" in out["exc"]


def test_masking_formatter_masks_plain_text() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(MaskingFormatter("%(levelname)s %(message)s"))
    log = logging.getLogger("yiwang.test.plain")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("phone %s", "13812345678")
    finally:
        log.removeHandler(handler)
    assert stream.getvalue() == "WARNING phone 138****5678\n"
