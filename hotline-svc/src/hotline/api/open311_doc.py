"""Open311's operations in the OpenAPI document, as the endpoint really answers them.

FastAPI sees routes that return a bare `Response`; the shared document then gives every 4xx the
`Problem` schema. Open311 answers its own shapes instead, so this rewrites its operations after the
fact: the answer (`application/json` and `text/xml`, from the same models the endpoint renders
with), the form body of POST requests, 201 with its `Location`, the comma-separated list filters,
and the specification's error format on 400/403/404 (a `default` problem stays: unexpected errors
and the gateway's own still answer problem details).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from yiwang_shared.openapi import LOCATION_HEADER as LOCATION

from ..schemas.open311 import Open311ServiceRequestCreate
from .open311 import SHAPES, V2
from .open311_format import ERRORS, Shape

OPEN311_KEY = "open311_api_key"

#: The api_key scheme: GeoReport v2 sends it as a form field of the POST; this endpoint also
#: takes it from the query string, which is what an OpenAPI apiKey scheme can describe.
SECURITY_SCHEMES = {
    OPEN311_KEY: {
        "type": "apiKey",
        "in": "query",
        "name": "api_key",
        "description": "An Open311 api_key issued by the hotline's administrators (POST /api/hotline/"
        "v1/open311/keys). Send it as the `api_key` query parameter or, as GeoReport v2 has it, as "
        "the `api_key` field of the form.",
    }
}

#: Filters that take a comma-separated list (`status=open,closed`).
LIST_FILTERS: dict[str, dict[str, Any]] = {
    "service_request_id": {"type": "string"},
    "service_code": {"type": "string"},
    "status": {"type": "string", "enum": ["open", "closed"]},
}

_ERRORS = {
    "400": "Bad parameters, form fields or format (请求有误), in GeoReport's error format.",
    "403": "No valid api_key (api_key 无效), in GeoReport's error format.",
    "404": "No such service, request, token or jurisdiction (未找到), in GeoReport's error format.",
}


def _content(shape: Shape) -> dict[str, Any]:
    return {
        "application/json": {"schema": shape.schema()},
        "text/xml": {"schema": shape.schema(xml=True)},
    }


def _add_models(schemas: dict[str, Any], models: list[type[BaseModel]]) -> None:
    _, top = models_json_schema(
        [(m, "serialization") for m in models], ref_template="#/components/schemas/{model}"
    )
    for name, schema in top.get("$defs", {}).items():
        schemas.setdefault(name, schema)


def _list_filter(param: dict[str, Any]) -> None:
    items = LIST_FILTERS.get(param.get("name", ""))
    if items is None or param.get("in") != "query":
        return
    param["schema"] = {"type": "array", "items": items}
    param["style"] = "form"
    param["explode"] = False


def document_open311(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` (the service's document) with its Open311 operations described as they answer."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    _add_models(schemas, [ERRORS.model, Open311ServiceRequestCreate, *(s.model for s in SHAPES.values())])
    form = {"schema": {"$ref": f"#/components/schemas/{Open311ServiceRequestCreate.__name__}"}}
    for path, item in doc.get("paths", {}).items():
        if not path.startswith(V2 + "/"):
            continue
        for method, op in item.items():
            shape = SHAPES[op["operationId"]]
            ok = "201" if method == "post" else "200"
            responses: dict[str, Any] = {ok: {"description": shape.description, "content": _content(shape)}}
            errors = ["400"] if op["operationId"] == "open311-discovery" else ["400", "404"]
            if method == "post":
                responses[ok]["headers"] = {
                    "Location": {
                        **LOCATION,
                        "description": "The new request: /open311/v2/requests/{id}.{fmt}.",
                    }
                }
                op["requestBody"] = {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": form, "multipart/form-data": form},
                }
                errors.append("403")
            for code in sorted(errors):
                responses[code] = {"description": _ERRORS[code], "content": _content(ERRORS)}
            # Unexpected errors, and the gateway's own (429, 502…), are still problem details.
            responses["default"] = op["responses"]["default"]
            op["responses"] = responses
            for param in op.get("parameters", []):
                _list_filter(param)
    return doc
