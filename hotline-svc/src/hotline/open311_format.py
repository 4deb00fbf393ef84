"""Open311 GeoReport v2 wire format: JSON and XML shaped exactly as the specification shows,
and its error format (`[{"code": 404, "description": "..."}]`, `<errors><error>…`)."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.responses import Response

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

#: Lists nested in an element and the tag of each of their members.
CHILD_TAGS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


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
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(
        top, encoding="utf-8", xml_declaration=False
    )


def render(fmt: str, data: Any, *, root: str, item: str | None, status: int = 200) -> Response:
    """A response in the requested format."""
    if fmt == "xml":
        return Response(to_xml(root, item, data), status_code=status, media_type=FORMATS["xml"])
    return Response(json.dumps(data, ensure_ascii=False), status_code=status, media_type=FORMATS["json"])


def error(fmt: str, status: int, description: str) -> Response:
    """A GeoReport error response."""
    body = [{"code": status, "description": description}]
    if fmt not in FORMATS:
        fmt = "json"
    return render(fmt, body, root="errors", item="error", status=status)
