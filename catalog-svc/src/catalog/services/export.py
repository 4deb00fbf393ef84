"""Export of catalogue entries: plain JSON and the EU CPSV-AP vocabulary (JSON-LD).

Pure functions, no I/O. `meta` is whatever the caller knows about the stored entry besides its
elements (at least `code`; usually also `version_no`, `status`, `published_at`, `basic_code`).

CPSV-AP 3.x mapping (Core Public Service Vocabulary Application Profile; the "cv" namespace of
CPSV-AP 3 is http://data.europa.eu/m8g/, written `m8g:` here):

| element                    | CPSV-AP term                                                   |
|----------------------------|----------------------------------------------------------------|
| code                       | `dct:identifier`                                               |
| name                       | `dct:title` (`@language: zh`)                                  |
| type, level, conditions    | `dct:type` (item type label), `dct:description`                |
| implementing unit          | `m8g:hasCompetentAuthority` → `m8g:PublicOrganisation`         |
| materials                  | `cpsv:hasInput` → `m8g:Evidence` (`dct:title`, `dct:description`) |
| fees                       | `m8g:hasCost` → `m8g:Cost` (`dct:description`, `m8g:value`, `m8g:currency`) |
| handling forms             | `m8g:hasChannel` → `m8g:Channel` (`dct:type`)                  |
| promised (else legal) limit | `m8g:processingTime` (ISO 8601 duration, e.g. `P20D`)          |
| legal basis                | `m8g:hasLegalResource` → `eli:LegalResource` (`dct:title`)     |
| phones, hours, place       | `m8g:hasContactPoint` → `schema:ContactPoint`                  |
| result                     | `cpsv:produces` → `m8g:Output`                                 |
| keywords, themes           | `dcat:keyword`, `m8g:sector`-like themes as `dcat:theme` labels |
| language                   | `dct:language` (EU authority table, ZHO)                       |

ISO 8601 durations carry no notion of working days, so `P20D` for "20 working days" is
explained in words in the service's `dct:description` ("承诺办结时限：20个工作日（工作日，不含法定节假日和
休息日）").
"""

from __future__ import annotations

from typing import Any

from ..schemas.elements import (
    COMMUNITY_KINDS,
    HANDLING_FORMS,
    HANDLING_TYPES,
    ITEM_TYPES,
    LEVELS,
    LIMIT_UNITS,
    MEDIA,
    SERVICE_OBJECTS,
    ItemElements,
    TimeLimit,
)

CPSV_CONTEXT: dict[str, str] = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "m8g": "http://data.europa.eu/m8g/",
    "adms": "http://www.w3.org/ns/adms#",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGE_ZH = "http://publications.europa.eu/resource/authority/language/ZHO"
#: Base of the identifiers (`@id`) minted for exported nodes.
BASE_IRI = "urn:yiwang:catalog:"

# Handling form → (channel type label, identifier suffix)
_CHANNELS: dict[str, str] = {"1": "window", "2": "web", "3": "mobile", "4": "post"}


def _zh(value: str) -> dict[str, str]:
    return {"@value": value, "@language": "zh"}


def iso_duration(limit: TimeLimit) -> str:
    """`limit` as an ISO 8601 duration: P20D for days (working or natural), PT4H for hours."""
    if limit.unit == "hour":
        return f"PT{limit.value}H"
    return f"P{limit.value}D"


def limit_description(limit: TimeLimit) -> str:
    """The limit in words, naming working vs natural days (ISO 8601 cannot say it)."""
    if limit.value == 0:
        text = "当场办结"
    else:
        text = f"{limit.value}个{LIMIT_UNITS[limit.unit]}"
        if limit.unit == "working_day":
            text += "（工作日，不含法定节假日和休息日）"
        elif limit.unit == "natural_day":
            text += "（自然日，含法定节假日和休息日）"
    if limit.note:
        text += f"；{limit.note}"
    return text


def to_json(meta: dict[str, Any], elements: ItemElements) -> dict[str, Any]:
    """One exported entry: `{"meta", "elements"}`, every element (JSON-ready)."""
    return {"meta": dict(meta), "elements": elements.model_dump(mode="json")}


def _description(elements: ItemElements) -> str:
    parts = [
        f"{ITEM_TYPES[elements.item_type]}；{LEVELS[elements.level]}；实施主体：{elements.implementing_unit.name}",
    ]
    if elements.handling_type:
        parts.append(f"办件类型：{HANDLING_TYPES[elements.handling_type]}")
    if elements.service_objects:
        parts.append("服务对象：" + "、".join(SERVICE_OBJECTS[o] for o in elements.service_objects))
    if elements.community_kind:
        parts.append(f"社区事项类别：{COMMUNITY_KINDS[elements.community_kind]}")
    if elements.acceptance_conditions:
        parts.append(f"受理条件：{elements.acceptance_conditions}")
    return "。".join(parts)


def _address(elements: ItemElements) -> str | None:
    place = elements.place
    if place is None:
        return None
    text = place.address or "".join(p for p in (place.street, place.number) if p)
    if place.room and place.room not in text:
        text = f"{text} {place.room}".strip()
    return text or None


def to_cpsv_ap(meta: dict[str, Any], elements: ItemElements) -> dict[str, Any]:
    """One entry as a CPSV-AP `cpsv:PublicService` JSON-LD node (with its own `@context`)."""
    code = str(meta.get("code") or "")
    iri = f"{BASE_IRI}item:{code}"
    node: dict[str, Any] = {
        "@context": CPSV_CONTEXT,
        "@id": iri,
        "@type": "cpsv:PublicService",
        "dct:identifier": code,
        "dct:title": _zh(elements.name),
        "dct:description": _zh(_description(elements)),
        "dct:type": _zh(ITEM_TYPES[elements.item_type]),
        "dct:language": {"@id": LANGUAGE_ZH},
        "m8g:hasCompetentAuthority": _authority(elements),
    }
    if meta.get("status"):
        node["adms:status"] = str(meta["status"])
    if meta.get("version_no") is not None:
        node["dct:hasVersion"] = str(meta["version_no"])
    if meta.get("published_at"):
        node["dct:issued"] = {"@value": str(meta["published_at"]), "@type": "xsd:dateTime"}
    inputs = _evidence(iri, elements)
    if inputs:
        node["cpsv:hasInput"] = inputs
    node["m8g:hasCost"] = _costs(elements)
    channels = _channels(iri, elements)
    if channels:
        node["m8g:hasChannel"] = channels
    limit = elements.promised_limit or elements.legal_limit
    if limit is not None:
        node["m8g:processingTime"] = {"@value": iso_duration(limit), "@type": "xsd:duration"}
        # ISO 8601 cannot say "working days": the service description says it in words.
        when = ("承诺办结时限：" if elements.promised_limit else "法定办结时限：") + limit_description(limit)
        node["dct:description"] = _zh(f"{_description(elements)}。{when}")
    legal = _legal_resources(elements)
    if legal:
        node["m8g:hasLegalResource"] = legal
    contacts = _contact_points(elements)
    if contacts:
        node["m8g:hasContactPoint"] = contacts
    if elements.result.name:
        node["cpsv:produces"] = {
            "@type": "m8g:Output",
            "dct:title": _zh(elements.result.name),
            **({"dct:source": elements.result.sample_url} if elements.result.sample_url else {}),
        }
    keywords = [*elements.keywords, *elements.themes]
    if keywords:
        node["dcat:keyword"] = [_zh(k) for k in keywords]
    return node


def _authority(elements: ItemElements) -> dict[str, Any]:
    """The implementing unit as the competent `m8g:PublicOrganisation` (with its USCC if known)."""
    unit = elements.implementing_unit
    return {
        "@id": f"{BASE_IRI}org:{unit.code}",
        "@type": "m8g:PublicOrganisation",
        "dct:identifier": unit.code,
        "skos:prefLabel": _zh(unit.name),
        **(
            {
                "adms:identifier": {
                    "@type": "adms:Identifier",
                    "skos:notation": unit.uscc,
                    "dct:type": "统一社会信用代码",
                }
            }
            if unit.uscc
            else {}
        ),
    }


def _evidence(iri: str, elements: ItemElements) -> list[dict[str, Any]]:
    """The materials as `m8g:Evidence` nodes, their details in the description."""
    inputs = []
    for n, m in enumerate(elements.materials, start=1):
        desc = [f"来源：{m.source}"] if m.source else []
        desc.append(f"原件{m.originals}份，复印件{m.copies}份")
        if m.media:
            desc.append("介质：" + "、".join(MEDIA[x] for x in m.media))
        desc.append("必要" if m.requirement == "required" else f"情形必要：{m.condition or ''}")
        if m.exempt:
            desc.append(f"免提交（{m.exempt_source or '数据共享'}）")
        inputs.append(
            {
                "@id": f"{iri}/evidence/{n}",
                "@type": "m8g:Evidence",
                "dct:title": _zh(m.name),
                "dct:description": _zh("；".join(desc)),
            }
        )
    return inputs


def _costs(elements: ItemElements) -> list[dict[str, Any]]:
    """The fees as `m8g:Cost` nodes in yuan, or one cost of 0 (不收费)."""
    if elements.fees.charged and elements.fees.items:
        return [
            {
                "@type": "m8g:Cost",
                "dct:description": _zh(
                    f"{fee.name}：{fee.standard or ''}" + (f"（依据：{fee.basis}）" if fee.basis else "")
                ),
                **({"m8g:value": fee.standard} if fee.standard else {}),
                "m8g:currency": {"@id": "http://publications.europa.eu/resource/authority/currency/CNY"},
            }
            for fee in elements.fees.items
        ]
    return [
        {
            "@type": "m8g:Cost",
            "dct:description": _zh("不收费"),
            "m8g:value": {"@value": "0", "@type": "xsd:decimal"},
            "m8g:currency": {"@id": "http://publications.europa.eu/resource/authority/currency/CNY"},
        }
    ]


def _channels(iri: str, elements: ItemElements) -> list[dict[str, Any]]:
    """The handling forms as `m8g:Channel` nodes."""
    return [
        {
            "@id": f"{iri}/channel/{_CHANNELS[form]}",
            "@type": "m8g:Channel",
            "dct:type": _zh(HANDLING_FORMS[form]),
            "dct:identifier": _CHANNELS[form],
        }
        for form in elements.handling_forms
    ]


def _legal_resources(elements: ItemElements) -> list[dict[str, Any]]:
    """The legal basis as `eli:LegalResource` nodes."""
    return [
        {
            "@type": "eli:LegalResource",
            "dct:title": _zh(basis.law),
            **({"eli:number": basis.article} if basis.article else {}),
            **({"dct:description": _zh(basis.text)} if basis.text else {}),
        }
        for basis in elements.legal_basis
    ]


def _contact_points(elements: ItemElements) -> list[dict[str, Any]]:
    """The enquiry and supervision phones as `schema:ContactPoint` nodes (hours, and the place for
    enquiries)."""
    contacts = []
    address = _address(elements)
    for role, phone in (("咨询", elements.enquiry_phone), ("监督投诉", elements.supervision_phone)):
        if phone:
            contact: dict[str, Any] = {
                "@type": "schema:ContactPoint",
                "schema:contactType": _zh(role),
                "schema:telephone": phone,
            }
            if elements.hours:
                contact["schema:hoursAvailable"] = _zh(elements.hours)
            if address and role == "咨询":
                contact["schema:areaServed"] = _zh(address)
            contacts.append(contact)
    return contacts


def catalogue_cpsv_ap(items: list[tuple[dict[str, Any], ItemElements]]) -> dict[str, Any]:
    """A whole catalogue as one JSON-LD document: one `@context` and a `@graph` of services."""
    graph = []
    for meta, elements in items:
        node = to_cpsv_ap(meta, elements)
        node.pop("@context", None)
        graph.append(node)
    return {"@context": CPSV_CONTEXT, "@graph": graph}
