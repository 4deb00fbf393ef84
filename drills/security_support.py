"""Shared pieces of the security drills (6–12): demo logins per role, the merged API's operations,
generated identifiers and the problem-response check."""

from __future__ import annotations

import asyncio
import importlib
import random
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from yiwang_shared.validators import resident_id_check_char, uscc_check_char

from .env import DrillEnv

#: tools/devstack.py (on sys.path once drills.env is imported).
devstack = importlib.import_module("devstack")

DEMO_PASSWORD = "Demo#2026"
HTTP_METHODS = ("get", "put", "post", "patch", "delete")

#: Every role the drills act as, and the demo login behind it (README "Demo logins").
#: `enterprise_agent` is 李娜 acting for the demo enterprise (an act-for token).
ROLE_LOGINS: dict[str, str] = {
    "citizen": "13810000003",
    "enterprise_agent": "13810000002",
    "window_clerk": "clerk",
    "approver": "approver",
    "hotline_agent": "agent",
    "dispatcher": "dispatcher",
    "handler": "handler",
    "supervisor": "supervisor",
    "catalog_editor": "editor",
    "evaluator": "evaluator",
    "admin": "admin",
}
#: A second citizen: the stranger for another citizen's objects.
STRANGER_CITIZEN = "13810000001"


def resident_id(rng: random.Random | None = None) -> str:
    """A random resident ID with a correct GB 11643 check digit."""
    rng = rng or random.Random()
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
    body = "110105" + born.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    return body + resident_id_check_char(body)


def uscc(rng: random.Random | None = None) -> str:
    """A random unified social credit code with a correct GB 32100 check character."""
    rng = rng or random.Random()
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91110105" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc_check_char(body)


def mobile(rng: random.Random | None = None) -> str:
    """A random mainland mobile number."""
    rng = rng or random.Random()
    return "139" + f"{rng.randrange(0, 10**8):08d}"


def bearer(token: str) -> dict[str, str]:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


def problem_issue(resp: httpx.Response) -> str | None:
    """None if `resp` is an RFC 7807 problem naming what went wrong, else what is missing."""
    ctype = resp.headers.get("content-type", "")
    if not ctype.startswith("application/problem+json"):
        return f"content-type {ctype!r}, not application/problem+json"
    try:
        body = resp.json()
    except ValueError:
        return "body is not JSON"
    if not isinstance(body, dict):
        return "body is not an object"
    missing = [k for k in ("type", "title", "status", "detail") if not body.get(k)]
    if missing:
        return "problem without " + ", ".join(missing)
    if body.get("status") != resp.status_code:
        return f"problem status {body.get('status')} != HTTP {resp.status_code}"
    return None


@dataclass(frozen=True)
class Operation:
    """One operation of the merged OpenAPI document."""

    method: str  # upper case
    path: str  # the public path, e.g. /api/intake/v1/applications/{application_id}
    operation_id: str
    spec: dict[str, Any]

    @property
    def key(self) -> str:
        """`METHOD /path`, the key of the policy table."""
        return f"{self.method} {self.path}"

    @property
    def service(self) -> str:
        """The service behind the path."""
        parts = self.path.split("/")
        return parts[2] if parts[1] == "api" else "hotline"

    @property
    def body_types(self) -> list[str]:
        """The request body's media types (empty when there is no body)."""
        return list(((self.spec.get("requestBody") or {}).get("content") or {}).keys())

    @property
    def path_params(self) -> list[str]:
        """Names of the path parameters, in order."""
        out, rest = [], self.path
        while "{" in rest:
            start = rest.index("{")
            end = rest.index("}", start)
            out.append(rest[start + 1 : end])
            rest = rest[end + 1 :]
        return out

    def query_params(self) -> list[dict[str, Any]]:
        """The query parameters' specs."""
        return [p for p in self.spec.get("parameters") or [] if p.get("in") == "query"]


def operations(doc: dict[str, Any]) -> list[Operation]:
    """Every operation of an OpenAPI document."""
    out = []
    for path, item in (doc.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                out.append(Operation(method.upper(), path, str(op.get("operationId")), op))
    return out


def fill_path(path: str, values: dict[str, str] | None = None, default: str = "no-such-id") -> str:
    """The path with every `{param}` replaced (by `values`, else `default`)."""
    values = values or {}
    out, rest = "", path
    while "{" in rest:
        start = rest.index("{")
        end = rest.index("}", start)
        name = rest[start + 1 : end]
        out += rest[:start] + values.get(name, "json" if name == "fmt" else default)
        rest = rest[end + 1 :]
    return out + rest


class Logins:
    """Demo-user access tokens per role, logged in on first use and again before they expire."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self._tokens: dict[str, tuple[str, float]] = {}
        self._refresh: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def login(self, username: str, password: str = DEMO_PASSWORD) -> dict[str, Any]:
        """Log in through the gateway; the token response."""
        for attempt in range(5):
            resp = await self.client.post(
                "/api/identity/v1/auth/login", json={"username": username, "password": password}
            )
            if resp.status_code == 429 and attempt < 4:
                await asyncio.sleep(float(resp.headers.get("retry-after", "1")))
                continue
            resp.raise_for_status()
            return dict(resp.json())
        raise AssertionError("unreachable")

    async def token(self, role: str) -> str:
        """A fresh access token for a role of ROLE_LOGINS (or a raw username)."""
        async with self._lock:
            hit = self._tokens.get(role)
            if hit is not None and hit[1] > time.monotonic():
                return hit[0]
            username = ROLE_LOGINS.get(role, role)
            body = await self.login(username)
            token = str(body["access_token"])
            self._refresh[role] = str(body.get("refresh_token", ""))
            if role == "enterprise_agent":
                token = await self._act_for(token)
            ttl = float(body.get("expires_in", 60))
            self._tokens[role] = (token, time.monotonic() + max(1.0, ttl * 0.5))
            return token

    async def headers(self, role: str | None) -> dict[str, str]:
        """Authorization headers for a role (none for None: anonymous)."""
        return {} if role is None else bearer(await self.token(role))

    async def _act_for(self, token: str) -> str:
        resp = await self.client.get("/api/identity/v1/enterprises", headers=bearer(token))
        resp.raise_for_status()
        body = resp.json()
        items = body["items"] if isinstance(body, dict) else body
        enterprise_id = items[0]["id"]
        resp = await self.client.post(
            "/api/identity/v1/auth/act-for", json={"enterprise_id": enterprise_id}, headers=bearer(token)
        )
        resp.raise_for_status()
        return str(resp.json()["access_token"])


async def merged_openapi(env: DrillEnv) -> dict[str, Any]:
    """The gateway's merged OpenAPI document (every service answering)."""
    async with httpx.AsyncClient(base_url=env.gateway_url, timeout=30) as client:
        for _ in range(50):
            resp = await client.get("/api/openapi.json")
            doc = dict(resp.json())
            if resp.status_code == 200 and not doc.get("x-unavailable-services"):
                return doc
            await asyncio.sleep(0.5)
    raise RuntimeError(f"merged OpenAPI incomplete: {doc.get('x-unavailable-services')}")


def gateway_client(env: DrillEnv, **kwargs: Any) -> httpx.AsyncClient:
    """An httpx client for the gateway."""
    kwargs.setdefault("timeout", 30)
    return httpx.AsyncClient(base_url=env.gateway_url, **kwargs)


async def db_rows(env: DrillEnv, service: str, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Run one statement on a service's own database (as the platform configured it); rows if any."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    svc = next(s for s in devstack.SERVICES if s.name == service)
    engine = create_async_engine(env.platform.database_url(svc))
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(sql), params or {})
            return list(result.fetchall()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def create_application(
    client: httpx.AsyncClient, logins: Logins, role: str = "citizen", phone: str = "13810000003"
) -> dict[str, Any]:
    """A citizen's online application for 高龄老年人津贴, taken through notice, resubmission and
    acceptance by the approver, so its trace has several entries. The application as read back."""
    items = (await client.get("/api/intake/v1/catalog-items", params={"limit": 200})).json()["items"]
    code = next(i["code"] for i in items if i["name"] == "高龄老年人津贴")
    citizen = await logins.headers(role)
    me = (await client.get("/api/identity/v1/me", headers=citizen)).json()["account"]
    resp = await client.post(
        "/api/intake/v1/applications",
        json={"item_code": code, "applicant": {"name": me["name"], "phone": phone}},
        headers={**citizen, "Idempotency-Key": uuid.uuid4().hex},
    )
    resp.raise_for_status()
    app_id = resp.json()["id"]
    approver = await logins.headers("approver")
    base = f"/api/intake/v1/applications/{app_id}"
    steps: list[tuple[str, dict[str, str], dict[str, Any]]] = [
        ("notice", approver, {}),
        (
            "resubmit",
            citizen,
            {
                "materials": [
                    {"name": "北京市老年人津贴申请表", "media": ["original"], "originals": 1},
                    {"name": "北京通—养老助残卡", "media": ["original"], "originals": 1},
                ]
            },
        ),
        ("accept", approver, {}),
    ]
    for action, headers, body in steps:
        resp = await client.post(f"{base}/{action}", json=body, headers=headers)
        if resp.status_code >= 400:
            raise RuntimeError(f"{action}: {resp.status_code} {resp.text[:300]}")
    return dict((await client.get(base, headers=citizen)).json())


def resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` (repeatedly) in the document."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def shaped_body(doc: dict[str, Any], schema: Any, text: str, depth: int = 0) -> Any:
    """A value shaped like `schema` whose every free-text string is `text` (formats, enums and
    patterns get a plain valid-looking value instead, so the hostile text reaches the free text)."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or depth > 6:
        return text
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if resolve(doc, s).get("type") != "null"] or schema[key]
            return shaped_body(doc, options[0], text, depth + 1)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(resolve(doc, part))
        return shaped_body(doc, merged, text, depth + 1)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {name: shaped_body(doc, sub, text, depth + 1) for name, sub in props.items()}
    if kind == "array":
        return [shaped_body(doc, schema.get("items") or {}, text, depth + 1)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-12-01"
    if fmt == "date-time":
        return "2026-12-01T09:00:00+08:00"
    if fmt in ("uuid",):
        return str(uuid.uuid4())
    return text


async def raw_exchange(base_url: str, head: bytes, body_chunks: list[bytes] | None = None) -> httpx.Response:
    """Send a hand-written request over a fresh connection and parse the answer.

    The answer is read while the body is still being written, and writing stops once it starts:
    a server refusing an oversize body answers early and closes, and a client that kept writing
    into the closed connection would get a reset that discards the answer."""
    from urllib.parse import urlparse

    url = urlparse(base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    data = bytearray()
    answered = asyncio.Event()

    async def read() -> None:
        try:
            while True:
                part = await asyncio.wait_for(reader.read(65536), 15)
                if not part:
                    return
                data.extend(part)
                answered.set()
                head_end = data.find(b"\r\n\r\n")
                if head_end >= 0:
                    lengths = [
                        int(line.split(b":", 1)[1])
                        for line in bytes(data[:head_end]).split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ]
                    if lengths and len(data) >= head_end + 4 + lengths[0]:
                        return
        except (ConnectionError, TimeoutError):
            return

    reading = asyncio.create_task(read())
    try:
        writer.write(head)
        await writer.drain()
        for chunk in body_chunks or []:
            await asyncio.sleep(0)  # let the reader see an early answer
            if answered.is_set() or reading.done():
                break
            try:
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), 5)
            except (ConnectionError, TimeoutError):
                break
        await reading
    finally:
        writer.close()
    head_part, _, rest = bytes(data).partition(b"\r\n\r\n")
    lines = head_part.split(b"\r\n")
    if not lines or not lines[0].startswith(b"HTTP/"):
        return httpx.Response(599, content=b"no HTTP answer")
    status = int(lines[0].split()[1])
    pairs = [line.decode("latin-1").split(":", 1) for line in lines[1:] if b":" in line]
    return httpx.Response(status, headers=[(k.strip(), v.strip()) for k, v in pairs], content=rest)


def show_failures(number: int, failures: list[str]) -> None:
    """Print every failure to stderr when DRILLS_VERBOSE is set (the result line shows a few)."""
    import os
    import sys

    if os.environ.get("DRILLS_VERBOSE"):
        for failure in failures:
            sys.stderr.write(f"drill {number}: {failure}\n")
