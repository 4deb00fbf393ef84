"""One OpenAPI 3.1 document for the front-end teams, merged from every service's `/openapi.json`.

`merge_openapi({service: document})` is pure:
- paths are prefixed `/api/<service>` (hotline's `/open311/...` paths keep their public path);
- component names get the service as prefix (`identity__UserRead`) in every component section,
  except the one shared `Problem` schema, and every local `$ref` and `discriminator.mapping` is
  rewritten to match;
- operation ids are prefixed with the service (`identity-users-register`) and made unique;
- tags are merged (descriptions kept, first wins), each operation without tags gets the service
  as its tag, and `x-tagGroups` groups the tags by service;
- security schemes are merged by name (a clash of different definitions gets prefixed, and the
  operations' security requirements follow); a service's top-level `security` is copied onto
  its operations;
- schemas of different services whose titles clash get their merged name as title (generators
  name classes by title);
- every operation also lists what the gateway itself may answer: 429 (rate limit, with
  Retry-After), 502, 503 and 504 (the service failed, is down or timed out), as problem+json;
- `servers: [{"url": "/"}]`; services that could not be fetched go to `x-unavailable-services`;
- `x-problem-codes`: every problem `code` a client may meet — the gateway's own (GATEWAY_CODES),
  then each service's declared codes (its document's `x-problem-codes`), with status and meaning.
"""

from __future__ import annotations

import copy
from typing import Any

from yiwang_shared.errors import PROBLEM_SCHEMA

from .problems import GATEWAY_CODES

__all__ = ["merge_openapi"]

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_COMPONENT_KINDS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)
SHARED_SCHEMAS = frozenset({"Problem"})
_DESCRIPTION = (
    "All yiwang services behind the gateway, in one document merged from each service's own. "
    "Paths are `/api/<service>/...`; schema names and operation ids carry the service as prefix.\n\n"
    "Log in with `POST /api/identity/v1/auth/login` and send the access token as "
    "`Authorization: Bearer <token>` (the *Authorize* button here). Errors are RFC 9457 problem "
    "details (`application/problem+json`) whose `title` and `detail` are in Chinese; send "
    "`Accept-Language: en` for English. Every collection is a page: `items`, `total`, `limit`, "
    "`offset`. The rules every operation follows: docs/api.md in the repository."
)
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
#: What the gateway itself may answer on any operation.
GATEWAY_RESPONSES: dict[str, dict[str, Any]] = {
    "429": {
        "description": "Too many requests from this client; retry after Retry-After seconds (请求过于频繁)",
        "headers": {
            "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
        },
        "content": _PROBLEM,
    },
    "502": {"description": "The service sent an invalid response (上游服务出错)", "content": _PROBLEM},
    "503": {
        "description": "The service is not reachable; retry shortly (服务暂不可用)",
        "headers": {
            "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
        },
        "content": _PROBLEM,
    },
    "504": {"description": "The service did not answer in time (上游服务超时)", "content": _PROBLEM},
}


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _renamed_ref(value: str, renames: dict[str, dict[str, str]]) -> str:
    if not value.startswith("#/components/"):
        return value
    parts = value[len("#/components/") :].split("/", 1)
    if len(parts) != 2:
        return value
    kind, name = parts[0], _unescape(parts[1])
    new = renames.get(kind, {}).get(name)
    return value if new is None else f"#/components/{kind}/{_escape(new)}"


def _rewrite_refs(node: Any, renames: dict[str, dict[str, str]]) -> Any:
    """A copy of `node` with every local component reference renamed.

    References are `$ref` values and the values of a `discriminator.mapping` (which name schemas
    by reference too: leaving them would point generated clients at schemas that do not exist).
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _renamed_ref(value, renames)
            elif key == "discriminator" and isinstance(value, dict):
                out[key] = dict(value)
                mapping = value.get("mapping")
                if isinstance(mapping, dict):
                    out[key]["mapping"] = {
                        tag: _renamed_ref(ref, renames) if isinstance(ref, str) else ref
                        for tag, ref in mapping.items()
                    }
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


def _public_path(service: str, path: str) -> str:
    if service == "hotline" and path.startswith("/open311/"):
        return path
    return f"/api/{service}{path if path.startswith('/') else '/' + path}"


def _distinct_titles(schemas: dict[str, Any]) -> None:
    """Give schemas whose titles clash across services their merged name as title.

    Generators name classes by title (openapi-python-client does): two services' `CalendarDayRead`
    would become one class, and one service's operations would be dropped or mistyped.
    """
    by_title: dict[str, list[str]] = {}
    for name, schema in schemas.items():
        if isinstance(schema, dict):
            by_title.setdefault(str(schema.get("title", name)), []).append(name)
    for names in by_title.values():
        if len(names) > 1:
            for name in names:
                schemas[name] = {**schemas[name], "title": name}


def merge_openapi(
    documents: dict[str, dict[str, Any]],
    *,
    unavailable: list[str] | None = None,
    title: str = "yiwang API",
    version: str = "0.1.0",
    description: str = _DESCRIPTION,
) -> dict[str, Any]:
    """Merge the services' documents into one valid OpenAPI 3.1 document."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "servers": [{"url": "/"}],
        "paths": {},
        "components": {"schemas": {"Problem": copy.deepcopy(PROBLEM_SCHEMA)}, "securitySchemes": {}},
        "tags": [],
    }
    merger = _Merger(merged)
    for service, doc in documents.items():
        merger.add(service, doc)
    components: dict[str, dict[str, Any]] = merged["components"]
    _distinct_titles(components.get("schemas", {}))
    _drop_unreachable(merged, merger.internal_refs)
    merged["tags"] = list(merger.tags.values())
    merged["x-tagGroups"] = merger.tag_groups
    merged["x-services"] = merger.services_info
    merged["x-unavailable-services"] = sorted(unavailable or [])
    merged["x-problem-codes"] = merger.problem_codes()
    if not components["securitySchemes"]:
        del components["securitySchemes"]
    return merged


def _refs(node: Any) -> set[str]:
    """Every $ref string in `node`."""
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return {r for v in node for r in _refs(v)}
    return set()


def _drop_unreachable(merged: dict[str, Any], candidates: set[str]) -> None:
    """Remove the schemas in `candidates` that nothing left in the document reaches."""
    schemas: dict[str, Any] = merged["components"].get("schemas", {})
    prefix = "#/components/schemas/"
    reached: set[str] = set()
    todo = _refs({"paths": merged["paths"], "webhooks": merged.get("webhooks", {})})
    while todo:
        ref = todo.pop()
        if ref in reached:
            continue
        reached.add(ref)
        if ref.startswith(prefix):
            todo |= _refs(schemas.get(ref[len(prefix) :], {})) - reached
    for ref in candidates - reached:
        if ref.startswith(prefix):
            schemas.pop(ref[len(prefix) :], None)


def _component_renames(service: str, doc_components: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each component's merged name, by section: prefixed with the service, but for shared schemas."""
    renames: dict[str, dict[str, str]] = {}
    for kind in _COMPONENT_KINDS:
        for name in doc_components.get(kind) or {}:
            if kind == "schemas" and name in SHARED_SCHEMAS:
                renames.setdefault(kind, {})[name] = name
            elif kind == "securitySchemes":
                continue  # merged by name below
            else:
                renames.setdefault(kind, {})[name] = f"{service}__{name}"
    return renames


class _Merger:
    """The merged document as it grows, one service's document at a time."""

    def __init__(self, merged: dict[str, Any]) -> None:
        self.merged = merged
        self.paths: dict[str, Any] = merged["paths"]
        self.components: dict[str, dict[str, Any]] = merged["components"]
        self.tags: dict[str, dict[str, Any]] = {}
        self.tag_groups: list[dict[str, Any]] = []
        self.operation_ids: set[str] = set()
        self.services_info: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        #: Schemas the left-out (x-internal) operations referred to: dropped unless others use them.
        self.internal_refs: set[str] = set()

    def add(self, service: str, doc: dict[str, Any]) -> None:
        """Merge one service's document: components, tags, paths, webhooks."""
        renames = _component_renames(service, doc.get("components") or {})
        scheme_renames = self._merge_security_schemes(service, doc.get("components") or {})
        if any(k != v for k, v in scheme_renames.items()):
            renames["securitySchemes"] = {k: v for k, v in scheme_renames.items() if k != v}
        doc = _rewrite_refs(doc, renames)
        self._add_components(doc.get("components") or {}, renames)
        service_tags = self._service_tags(doc)
        for path, item in (doc.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            # An operation marked x-internal is for the services only: the gateway does not route it.
            internal = [v for v in item.values() if isinstance(v, dict) and v.get("x-internal") is True]
            self.internal_refs.update(_refs(internal))
            item = {k: v for k, v in item.items() if k != "servers" and not any(v is op for op in internal)}
            if not any(isinstance(item.get(m), dict) for m in _HTTP_METHODS):
                continue
            for method in _HTTP_METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                item[method] = self._operation(
                    service, path, method, op, doc.get("security"), scheme_renames, service_tags
                )
            self.paths[_public_path(service, path)] = item
        for name, hook in (doc.get("webhooks") or {}).items():
            self.merged.setdefault("webhooks", {})[f"{service}__{name}"] = hook
        for entry in doc.get("x-problem-codes") or []:
            self.codes.setdefault(str(entry.get("code")), entry)
        info = doc.get("info") or {}
        title = info.get("title", service)
        self.services_info[service] = {"title": title, "version": info.get("version", "")}
        if service_tags:
            self.tag_groups.append({"name": service, "tags": service_tags})

    def problem_codes(self) -> list[dict[str, Any]]:
        """Every problem code a client may meet: the gateway's own, then the services' declared ones."""
        own = [{"code": c, "status": status, "meaning": text} for c, (status, text) in GATEWAY_CODES.items()]
        return own + [self.codes[c] for c in sorted(self.codes) if c not in GATEWAY_CODES]

    def _merge_security_schemes(self, service: str, doc_components: dict[str, Any]) -> dict[str, str]:
        """Same name and same definition → one scheme; a clash → prefixed. Each scheme's merged name."""
        schemes = self.components["securitySchemes"]
        scheme_renames: dict[str, str] = {}
        for name, scheme in (doc_components.get("securitySchemes") or {}).items():
            existing = schemes.get(name)
            if existing is None or existing == scheme:
                schemes[name] = scheme
                scheme_renames[name] = name
            else:
                new = f"{service}__{name}"
                schemes[new] = scheme
                scheme_renames[name] = new
        return scheme_renames

    def _add_components(self, doc_components: dict[str, Any], renames: dict[str, dict[str, str]]) -> None:
        """Copy the service's components under their merged names (the gateway's Problem stays)."""
        for kind in _COMPONENT_KINDS:
            if kind == "securitySchemes":
                continue
            for name, value in (doc_components.get(kind) or {}).items():
                if kind == "schemas" and name in SHARED_SCHEMAS:
                    continue  # the gateway's canonical Problem is used
                self.components.setdefault(kind, {})[renames[kind][name]] = value

    def _service_tags(self, doc: dict[str, Any]) -> list[str]:
        """The service's declared tags, in order (merged: the first description wins)."""
        service_tags: list[str] = []
        for tag in doc.get("tags") or []:
            name = tag.get("name")
            if not name:
                continue
            self.tags.setdefault(name, dict(tag))
            if name not in service_tags:
                service_tags.append(name)
        return service_tags

    def _operation(
        self,
        service: str,
        path: str,
        method: str,
        op: dict[str, Any],
        default_security: Any,
        scheme_renames: dict[str, str],
        service_tags: list[str],
    ) -> dict[str, Any]:
        """One operation as merged: a unique prefixed id, the gateway's answers, tags, security."""
        op = dict(op)
        base = op.get("operationId") or f"{method}-{path.strip('/').replace('/', '-') or 'root'}"
        op_id = f"{service}-{base}"
        n = 2
        while op_id in self.operation_ids:
            op_id = f"{service}-{base}-{n}"
            n += 1
        self.operation_ids.add(op_id)
        op["operationId"] = op_id
        op.pop("servers", None)
        responses = dict(op.get("responses") or {})
        for status, response in GATEWAY_RESPONSES.items():
            responses.setdefault(status, copy.deepcopy(response))
        op["responses"] = responses
        if not op.get("tags"):
            op["tags"] = [service]
        for tag_name in op["tags"]:
            self.tags.setdefault(tag_name, {"name": tag_name})
            if tag_name not in service_tags:
                service_tags.append(tag_name)
        security = op.get("security", default_security)
        if security is not None:
            op["security"] = [{scheme_renames.get(k, k): v for k, v in req.items()} for req in security]
        return op
