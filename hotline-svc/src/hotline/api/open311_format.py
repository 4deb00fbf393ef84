"""Open311 GeoReport v2 wire format: JSON and XML shaped exactly as the specification shows,
and its error format (`[{"code": 404, "description": "..."}]`, `<errors><error>…`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.etree import ElementTree as ET

from fastapi.responses import Response
from pydantic import BaseModel

from ..schemas.open311 import Open311Error

Format = Literal["json", "xml"]
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

#: Lists nested in an element and the tag of each of their members.
CHILD_TAGS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def element_name(model: type[BaseModel]) -> str:
    """The XML element a model is written as (its schema's `xml.name`)."""
    extra = model.model_config.get("json_schema_extra")
    assert isinstance(extra, dict), f"{model.__name__} names no XML element"
    xml = extra["xml"]
    assert isinstance(xml, dict)
    return str(xml["name"])


@dataclass(frozen=True)
class Shape:
    """What an operation answers: one `model` (`<discovery>…`), or a list of them inside `wrapper`
    (`<services><service>…`)."""

    model: type[BaseModel]
    wrapper: str | None = None
    description: str = ""

    def dump(self, data: BaseModel | Sequence[BaseModel]) -> Any:
        """The answer as plain data, checked against the model (what the document promises)."""
        if self.wrapper is None or isinstance(data, BaseModel):
            return self.model.model_validate(data).model_dump(mode="json")
        return [self.model.model_validate(row).model_dump(mode="json") for row in data]

    def render(self, fmt: str, data: BaseModel | Sequence[BaseModel], status: int = 200) -> Response:
        """The answer in the requested format."""
        item = element_name(self.model)
        if self.wrapper is None:
            return render(fmt, self.dump(data), root=item, item=None, status=status)
        return render(fmt, self.dump(data), root=self.wrapper, item=item, status=status)

    def schema(self, *, xml: bool = False) -> dict[str, Any]:
        """The OpenAPI schema of the answer (`xml`: with the wrapper element named)."""
        ref = {"$ref": f"#/components/schemas/{self.model.__name__}"}
        if self.wrapper is None:
            return ref
        out: dict[str, Any] = {"type": "array", "items": ref}
        if xml:
            out["xml"] = {"name": self.wrapper, "wrapped": True}
        return out


ERRORS = Shape(Open311Error, "errors")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    el = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for k, v in value.items():
            _append(el, k, v)
    elif isinstance(value, list):
        child = CHILD_TAGS.get(tag, "item")
        for v in value:
            _append(el, child, v)
    else:
        el.text = _text(value)


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    """`data` (a list of dicts under `item` tags, or one dict) as a GeoReport XML document."""
    top = ET.Element(root)
    if item is None:
        for k, v in data.items():
            _append(top, k, v)
    else:
        for row in data:
            el = ET.SubElement(top, item)
            for k, v in row.items():
                _append(el, k, v)
    body: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>' + body


def render(fmt: str, data: Any, *, root: str, item: str | None, status: int = 200) -> Response:
    """A response in the requested format."""
    if fmt == "xml":
        return Response(to_xml(root, item, data), status_code=status, media_type=FORMATS["xml"])
    return Response(json.dumps(data, ensure_ascii=False), status_code=status, media_type=FORMATS["json"])


def error(fmt: str, status: int, description: str) -> Response:
    """A GeoReport error response (JSON unless the request asked for XML)."""
    return ERRORS.render(
        fmt if fmt in FORMATS else "json", [Open311Error(code=status, description=description)], status
    )
