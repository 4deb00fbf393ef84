"""The catalogue exports: pages of entries with every element, and the EU CPSV-AP vocabulary as JSON-LD.

The CPSV-AP models describe the structure `catalog.services.export` writes (one `@context`, a `@graph` of
`cpsv:PublicService` nodes and the nodes they hold); the mapping of each element is in that
module's docstring. They are for the document and its clients, not a CPSV-AP validator.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from yiwang_shared.pagination import Page

from ..lifecycles import ItemStatus
from .elements import ItemElements


class ExportMetaRead(BaseModel):
    """What the catalogue knows about an exported entry besides its elements."""

    code: str = Field(description="Implementation code (实施编码).")
    version_no: int | None = Field(description="The version in force.")
    published_at: datetime | None
    status: ItemStatus
    owner_unit_code: str
    owner_unit_name: str


class ExportEntryRead(BaseModel):
    """One published entry with every element."""

    meta: ExportMetaRead
    elements: ItemElements


class ExportEntryPage(Page[ExportEntryRead]):
    """A page of the published catalogue with every element, by unit and code (for other systems)."""


class _Node(BaseModel):
    # JSON-LD keys (`@id`, `dct:title`) are aliases. Every term the export writes is modelled
    # (extra terms are refused), so a test validating the real export keeps this document true.
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class LangStringRead(_Node):
    """A text with its language (`{"@value": "…", "@language": "zh"}`)."""

    value: str = Field(alias="@value")
    language: Literal["zh"] = Field(alias="@language")


class TypedLiteralRead(_Node):
    """A typed literal (`{"@value": "P20D", "@type": "xsd:duration"}`)."""

    value: str = Field(alias="@value")
    type: str = Field(alias="@type", description="An XSD datatype, e.g. xsd:duration, xsd:dateTime.")


class IriRead(_Node):
    """A reference to a resource by IRI (`{"@id": "http://…"}`)."""

    id: str = Field(alias="@id")


class CpsvIdentifierRead(_Node):
    """`adms:Identifier`: the unit's unified social credit code (统一社会信用代码)."""

    type: Literal["adms:Identifier"] = Field(alias="@type")
    notation: str = Field(alias="skos:notation")
    scheme: str = Field(alias="dct:type")


class CpsvOrganisationRead(_Node):
    """`m8g:PublicOrganisation`: the implementing unit (实施主体)."""

    id: str = Field(alias="@id")
    type: Literal["m8g:PublicOrganisation"] = Field(alias="@type")
    identifier: str = Field(alias="dct:identifier")
    pref_label: LangStringRead = Field(alias="skos:prefLabel")
    adms_identifier: CpsvIdentifierRead | None = Field(default=None, alias="adms:identifier")


class CpsvEvidenceRead(_Node):
    """`m8g:Evidence`: an application material (申请材料)."""

    id: str = Field(alias="@id")
    type: Literal["m8g:Evidence"] = Field(alias="@type")
    title: LangStringRead = Field(alias="dct:title")
    description: LangStringRead = Field(alias="dct:description")


class CpsvCostRead(_Node):
    """`m8g:Cost`: a fee (收费), or none (不收费, value 0)."""

    type: Literal["m8g:Cost"] = Field(alias="@type")
    description: LangStringRead = Field(alias="dct:description")
    value: str | TypedLiteralRead | None = Field(default=None, alias="m8g:value")
    currency: IriRead = Field(alias="m8g:currency")


class CpsvChannelRead(_Node):
    """`m8g:Channel`: a handling form (办理形式)."""

    id: str = Field(alias="@id")
    type: Literal["m8g:Channel"] = Field(alias="@type")
    channel_type: LangStringRead = Field(alias="dct:type")
    identifier: str = Field(alias="dct:identifier")


class CpsvLegalResourceRead(_Node):
    """`eli:LegalResource`: a legal basis (设定依据)."""

    type: Literal["eli:LegalResource"] = Field(alias="@type")
    title: LangStringRead = Field(alias="dct:title")
    number: str | None = Field(default=None, alias="eli:number")
    description: LangStringRead | None = Field(default=None, alias="dct:description")


class CpsvContactPointRead(_Node):
    """`schema:ContactPoint`: the enquiry or supervision phone (咨询/监督投诉电话)."""

    type: Literal["schema:ContactPoint"] = Field(alias="@type")
    contact_type: LangStringRead = Field(alias="schema:contactType")
    telephone: str = Field(alias="schema:telephone")
    hours_available: LangStringRead | None = Field(default=None, alias="schema:hoursAvailable")
    area_served: LangStringRead | None = Field(default=None, alias="schema:areaServed")


class CpsvOutputRead(_Node):
    """`m8g:Output`: what the applicant gets (办理结果)."""

    type: Literal["m8g:Output"] = Field(alias="@type")
    title: LangStringRead = Field(alias="dct:title")
    source: str | None = Field(default=None, alias="dct:source")


class CpsvPublicServiceRead(_Node):
    """`cpsv:PublicService`: one published implementation entry."""

    id: str = Field(alias="@id", description="`urn:yiwang:catalog:item:<code>`.")
    type: Literal["cpsv:PublicService"] = Field(alias="@type")
    identifier: str = Field(alias="dct:identifier", description="Implementation code (实施编码).")
    title: LangStringRead = Field(alias="dct:title")
    description: LangStringRead = Field(alias="dct:description")
    service_type: LangStringRead = Field(alias="dct:type", description="Item type (事项类型) label.")
    language: IriRead = Field(alias="dct:language")
    competent_authority: CpsvOrganisationRead = Field(alias="m8g:hasCompetentAuthority")
    status: str | None = Field(default=None, alias="adms:status")
    version: str | None = Field(default=None, alias="dct:hasVersion")
    issued: TypedLiteralRead | None = Field(default=None, alias="dct:issued")
    inputs: list[CpsvEvidenceRead] | None = Field(default=None, alias="cpsv:hasInput")
    costs: list[CpsvCostRead] = Field(alias="m8g:hasCost")
    channels: list[CpsvChannelRead] | None = Field(default=None, alias="m8g:hasChannel")
    processing_time: TypedLiteralRead | None = Field(default=None, alias="m8g:processingTime")
    legal_resources: list[CpsvLegalResourceRead] | None = Field(default=None, alias="m8g:hasLegalResource")
    contact_points: list[CpsvContactPointRead] | None = Field(default=None, alias="m8g:hasContactPoint")
    produces: CpsvOutputRead | None = Field(default=None, alias="cpsv:produces")
    keywords: list[LangStringRead] | None = Field(default=None, alias="dcat:keyword")


class CpsvApCatalogRead(_Node):
    """The published catalogue in CPSV-AP 3 as one JSON-LD document."""

    context: dict[str, str] = Field(alias="@context", description="Prefix → namespace IRI.")
    graph: list[CpsvPublicServiceRead] = Field(alias="@graph")
