"""Drill 8 — bad input: oversize bodies (413), wrong content types (415), malformed and deeply
nested JSON, invalid UTF-8, control characters, SQL and HTML injection strings, huge and
negative pagination, invalid resident IDs and credit codes, and Chinese text in the four Unicode
normal forms, against every body endpoint and every GET of the merged API. No 5xx; every
refusal an RFC 7807 problem (422s list the fields to fix). Injection strings and the Unicode forms
are also stored and read back (exactly, with SQL still working) to say what the platform does."""

from __future__ import annotations

import json
import time
import unicodedata
from typing import Any, Literal
from urllib.parse import quote

import httpx

from .env import DrillEnv
from .result import DrillResult
from .security_support import (
    Logins,
    Operation,
    bearer,
    fill_path,
    gateway_client,
    merged_openapi,
    mobile,
    operations,
    problem_issue,
    raw_exchange,
    resident_id,
    shaped_body,
    show_failures,
    uscc,
)

NUMBER = 8
NAME = "bad input"

SQL = "'; DROP TABLE tickets; -- \" OR 1=1 --"
HTML = "<script>alert('x')</script><img src=x onerror=alert(1)>"
CONTROL = "控制\u0000字符\u0007\u001b[31m\u202e\ufeff"
CHINESE = (
    "王芳（ＡＢＣ）①號 café 隆"  # full-width letters, a circled digit, é, and a CJK compatibility ideograph
)
NORMAL_FORMS: tuple[Literal["NFC", "NFD", "NFKC", "NFKD"], ...] = ("NFC", "NFD", "NFKC", "NFKD")
HOSTILE_TEXTS = {"sql": SQL, "html": HTML, "control": CONTROL, "nfd": unicodedata.normalize("NFD", CHINESE)}
#: Operations that would change the platform under the other drills' feet (fuzzing them as admin
#: would rotate the signing keys on every call).
SKIP = {"POST /api/identity/v1/auth/keys/rotate"}


class Tally:
    """Cases tried and what failed."""

    def __init__(self) -> None:
        self.tried = 0
        self.failures: list[str] = []

    def check(self, resp: httpx.Response, where: str, expect: tuple[int, ...] | None = None) -> None:
        """No 5xx; the expected status if given; every 4xx a problem naming what to fix."""
        self.tried += 1
        status = resp.status_code
        if status >= 500:
            self.failures.append(f"{where}: HTTP {status}")
        elif expect is not None and status not in expect:
            self.failures.append(f"{where}: HTTP {status}, expected {expect}")
        elif status >= 400 and not where.split()[1].startswith("/open311/"):
            issue = problem_issue(resp)
            if issue is None and status == 422:
                # Request validation lists every field; a domain 422 names the fix in `detail`.
                body = resp.json()
                errors = body.get("errors")
                if body.get("code") == "validation_failed" and not (
                    errors and all(e.get("field") and e.get("message") for e in errors)
                ):
                    issue = "validation 422 without errors naming each field"
            if issue:
                self.failures.append(f"{where}: {status} {issue} {resp.text[:160]!r}")


async def _body_cases(
    gw: httpx.AsyncClient, doc: dict[str, Any], op: Operation, auth: dict[str, str], t: Tally
) -> None:
    path = fill_path(op.path)
    where = f"{op.method} {op.path}"
    # Wrong content types.
    for ctype in ("text/plain", "application/xml"):
        resp = await gw.request(op.method, path, content=b"{}", headers={**auth, "content-type": ctype})
        t.check(resp, f"{where} content-type {ctype}", (415,))
    if "application/json" not in op.body_types:
        return
    raw_cases = {
        "malformed": b'{"a": ',
        "nested": b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "invalid utf-8": b'{"name": "\xff\xfe\xc3"}',
        "not an object": b'"text"',
        "huge number": b'{"limit": 1' + b"0" * 5000 + b"}",
    }
    for name, content in raw_cases.items():
        resp = await gw.request(
            op.method, path, content=content, headers={**auth, "content-type": "application/json"}
        )
        t.check(resp, f"{where} {name}")
    schema = (
        ((op.spec.get("requestBody") or {}).get("content") or {}).get("application/json", {}).get("schema")
    )
    for name, text in HOSTILE_TEXTS.items():
        body = shaped_body(doc, schema or {}, text)
        resp = await gw.request(op.method, path, json=body, headers=auth)
        t.check(resp, f"{where} {name} body")


async def _get_cases(gw: httpx.AsyncClient, op: Operation, auth: dict[str, str], t: Tally) -> None:
    where = f"GET {op.path}"
    params = op.query_params()
    numeric = [p["name"] for p in params if "integer" in json.dumps(p.get("schema", {}))]
    texts = [p["name"] for p in params if p["name"] not in numeric]
    variants: list[tuple[str, str]] = []
    # Each number alone (a bad neighbour would hide it behind its own 422), then all at once.
    for value in ("1000000000000", "-1", "10000000000000000000", "abc", "1.5"):
        for name in numeric:
            variants.append((f"{name}={value}", f"{name}={value}"))
        if len(numeric) > 1:
            variants.append((f"ints={value}", "&".join(f"{n}={value}" for n in numeric)))
    for label, value in (("sql", SQL), ("html", HTML), ("control", CONTROL)):
        if texts or numeric:
            names = texts + numeric
            variants.append((label, "&".join(f"{n}={quote(value)}" for n in names)))
    if params:
        variants.append(("invalid utf-8", "&".join(f"{p['name']}=%FF%FE" for p in params)))
    if op.path_params:
        for label, value in (("sql id", quote(SQL, safe="")), ("nul id", "%00"), ("long id", "9" * 3000)):
            path = fill_path(op.path, default=value)
            t.check(await gw.get(path, headers=auth), f"{where} {label}")
    base = fill_path(op.path, default="drill-no-such-id")
    for label, query in variants:
        t.check(await gw.get(f"{base}?{query}", headers=auth), f"{where} {label}")


async def _oversize(env: DrillEnv, ops: list[Operation], auth: dict[str, str], t: Tally) -> None:
    """Bodies over the 10 MiB limit, declared (Content-Length) and chunked: 413 at the gateway and
    at the service directly."""
    limit = 10 * 1024 * 1024
    seen: set[str] = set()
    for op in ops:
        if env.quick and op.service in seen:
            continue
        seen.add(op.service)
        path = fill_path(op.path)
        targets = [(env.gateway_url, path, "")]
        if op.path.startswith("/api/"):
            targets.append(
                (env.platform.service_url(op.service), path[len("/api/" + op.service) :], " direct")
            )
        for base, target, label in targets:
            lines = [f"{op.method} {target} HTTP/1.1", "host: drill", "content-type: application/json"]
            lines += [f"{k}: {v}" for k, v in auth.items()]
            declared = "\r\n".join([*lines, f"content-length: {limit + 1}", "", ""]).encode()
            resp = await raw_exchange(base, declared, [b"x" * 65536])
            t.check(resp, f"{op.key} oversize declared{label}", (413,))
            chunked = "\r\n".join([*lines, "transfer-encoding: chunked", "", ""]).encode()
            chunk = b"%x\r\n" % (1024 * 1024) + b"x" * (1024 * 1024) + b"\r\n"
            resp = await raw_exchange(base, chunked, [chunk] * 11 + [b"0\r\n\r\n"])
            t.check(resp, f"{op.key} oversize chunked{label}", (413,))


async def _identifiers(gw: httpx.AsyncClient, logins: Logins, t: Tally) -> None:
    """Wrong resident IDs and credit codes: 422 naming the field."""
    good = resident_id()
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    for label, rid in {
        "check digit": wrong_check,
        "short": good[:17],
        "letters": "11010519AB0101001X",
        "birth date": good[:6] + "20991301" + good[14:],
        "full-width": unicodedata.normalize("NFKC", good).translate(
            {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
        ),
        "sql": SQL,
    }.items():
        resp = await gw.post(
            "/api/identity/v1/persons",
            json={"name": "张三", "resident_id": rid, "phone": mobile(), "password": "Passw0rd-drill"},
        )
        t.check(resp, f"POST /api/identity/v1/persons resident_id {label}", (422,))
        if resp.status_code == 422 and "body.resident_id" not in resp.text:
            t.failures.append(f"resident_id {label}: 422 does not name body.resident_id")
    code = uscc()
    citizen = await logins.headers("citizen")
    for label, value in {
        "check char": code[:17] + ("0" if code[17] != "0" else "1"),
        "short": code[:10],
        "forbidden letters": "91110105IOZSV00000",
        "sql": SQL,
    }.items():
        resp = await gw.post(
            "/api/identity/v1/enterprises", json={"name": "示例公司", "uscc": value}, headers=citizen
        )
        t.check(resp, f"POST /api/identity/v1/enterprises uscc {label}", (422,))
        if resp.status_code == 422 and "body.uscc" not in resp.text:
            t.failures.append(f"uscc {label}: 422 does not name body.uscc")


async def _stored_inert(gw: httpx.AsyncClient, logins: Logins, t: Tally) -> str:
    """Store hostile and differently normalised text in a hotline ticket and read it back."""
    agent = await logins.headers("hotline_agent")
    forms = {form: unicodedata.normalize(form, CHINESE) for form in NORMAL_FORMS}
    texts = {"sql": SQL, "html": HTML, **{f"unicode {k}": v for k, v in forms.items()}}
    outcome: dict[str, str] = {}
    for label, text in texts.items():
        resp = await gw.post(
            "/api/hotline/v1/tickets",
            json={
                "request_type": "complaint",
                "channel": "phone",
                "category_code": "noise",
                "title": text[:50],
                "description": text,
                "caller_name": "王芳",
                "caller_phone": "13810000003",
                "street_code": "110105001",
                "attributes": {"noise_period": "night"},
            },
            headers=agent,
        )
        t.check(resp, f"POST /api/hotline/v1/tickets stored {label}", (201,))
        if resp.status_code != 201:
            continue
        got = await gw.get(f"/api/hotline/v1/tickets/{resp.json()['id']}", headers=agent)
        t.check(got, f"GET /api/hotline/v1/tickets/{{id}} stored {label}", (200,))
        back = got.json().get("description") if got.status_code == 200 else None
        if label in ("sql", "html"):
            if back != text:
                t.failures.append(f"{label} text not returned exactly: {back!r}")
            continue
        nfc, nfkc = unicodedata.normalize("NFC", text), unicodedata.normalize("NFKC", text)
        kept = "as sent" if back == text else "NFC" if back == nfc else "NFKC" if back == nfkc else "changed"
        outcome[label.split()[1]] = kept
    # SQL still works: the list, the knowledge-base search and the catalogue search answer.
    t.check(
        await gw.get("/api/hotline/v1/tickets?limit=5", headers=agent), "GET tickets after injection", (200,)
    )
    for url in (f"/api/hotline/v1/kb/search?q={quote(SQL)}", f"/api/catalog/v1/items?q={quote(SQL)}"):
        t.check(await gw.get(url, headers=agent), f"GET {url.split('?')[0]} sql query", (200,))
    for form in forms:
        resp = await gw.get(f"/api/catalog/v1/items?q={quote(unicodedata.normalize(form, '高龄津贴'))}")
        t.check(resp, f"GET /api/catalog/v1/items q {form}", (200,))
    kinds = set(outcome.values())
    return "unicode stored " + (
        next(iter(kinds)) if len(kinds) == 1 else ", ".join(f"{k}→{v}" for k, v in outcome.items())
    )


async def run(env: DrillEnv) -> DrillResult:
    """Every body endpoint and every GET with the corpus; the stored-text checks."""
    start = time.monotonic()
    t = Tally()
    doc = await merged_openapi(env)
    ops = [op for op in operations(doc) if op.key not in SKIP]
    async with gateway_client(env, timeout=60) as gw:
        logins = Logins(gw)
        auth = bearer(await logins.token("admin"))
        body_ops = [op for op in ops if op.method in ("POST", "PUT", "PATCH") and op.body_types]
        for op in body_ops:
            await _body_cases(gw, doc, op, await logins.headers("admin"), t)
        for op in ops:
            if op.method == "GET":
                await _get_cases(gw, op, await logins.headers("admin"), t)
        await _oversize(env, body_ops, auth, t)
        await _identifiers(gw, logins, t)
        unicode_note = await _stored_inert(gw, logins, t)
    show_failures(NUMBER, t.failures)
    return DrillResult(
        NUMBER,
        NAME,
        env.backend,
        ok=not t.failures,
        figures={
            "cases tried": t.tried,
            "failed": len(t.failures),
            "body endpoints": len(body_ops),
            "GET endpoints": sum(op.method == "GET" for op in ops),
        },
        notes="; ".join([*t.failures[:8], unicode_note] if t.failures else [unicode_note]),
        seconds=time.monotonic() - start,
    )
