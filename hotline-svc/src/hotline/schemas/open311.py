"""Open311 GeoReport v2's own shapes (http://wiki.open311.org/GeoReport_v2/), as models.

The endpoint renders every answer through these models, and the OpenAPI document describes it
with the same ones, so the two cannot drift apart. Each model carries its XML element name (`xml`
in its JSON Schema): the `.xml` answers are the same data as elements (`<services><service>…`),
lists nested in an element are wrapped (`<attributes><attribute>…`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator

from yiwang_shared.i18n import TextError

#: A W3C date-time with its offset, as the specification writes them (2026-11-22T09:30:00+08:00).
W3CDateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
RequestStatus = Literal["open", "closed"]


def _element(name: str) -> ConfigDict:
    return ConfigDict(json_schema_extra={"xml": {"name": name}})


def _wrapped(item: str | None = None) -> dict[str, Any]:
    """The JSON Schema extra of a list nested in an element: `<list><item/>…</list>`."""
    extra: dict[str, Any] = {"xml": {"wrapped": True}}
    if item is not None:
        extra["items"] = {"type": "string", "xml": {"name": item}}
    return extra


class Open311EndpointRead(BaseModel):
    """One endpoint a discovery document lists."""

    model_config = _element("endpoint")

    specification: str = Field(description="The specification's URL.")
    url: str = Field(description="The endpoint's base URL (from the public_base_url setting).")
    changeset: W3CDateTime
    type: Literal["production", "test"]
    formats: list[str] = Field(description="Media types offered.", json_schema_extra=_wrapped("format"))


class Open311DiscoveryRead(BaseModel):
    """Service discovery (服务发现): where the endpoint is and how to get a key."""

    model_config = _element("discovery")

    changeset: W3CDateTime
    contact: str
    key_service: str = Field(description="How to get an api_key.")
    endpoints: list[Open311EndpointRead] = Field(json_schema_extra=_wrapped())


class Open311ServiceRead(BaseModel):
    """A service: one of the hotline's request categories (诉求分类)."""

    model_config = _element("service")

    service_code: str
    service_name: str
    description: str
    metadata: bool = Field(description="True when the service has attributes (a service definition).")
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str = Field(description="Comma-separated.")
    group: str


class Open311AttributeValueRead(BaseModel):
    """One allowed value of a list attribute."""

    model_config = _element("value")

    key: str
    name: str


class Open311AttributeRead(BaseModel):
    """An attribute a service asks for (附加信息), in Open311's service-definition form."""

    model_config = _element("attribute")

    variable: bool = Field(description="True when the client supplies a value.")
    code: str = Field(description="Send its value as the form field attribute[<code>].")
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: str
    order: int
    description: str
    values: list[Open311AttributeValueRead] = Field(json_schema_extra=_wrapped())


class Open311ServiceDefinitionRead(BaseModel):
    """A service definition: the attributes a request for the service carries."""

    model_config = _element("service_definition")

    service_code: str
    attributes: list[Open311AttributeRead] = Field(json_schema_extra=_wrapped())


class Open311ServiceRequestRead(BaseModel):
    """A service request: a ticket submitted through Open311 (no caller's name or phone)."""

    model_config = _element("request")

    service_request_id: str
    status: RequestStatus
    status_notes: str | None = Field(description="The unit's reply, or the closing note.")
    service_name: str | None
    service_code: str | None
    description: str
    agency_responsible: str | None = Field(description="The lead unit (主办单位).")
    service_notice: str = Field(description="The ticket number (工单编号).")
    requested_datetime: W3CDateTime
    updated_datetime: W3CDateTime
    expected_datetime: W3CDateTime | None = Field(description="When it is due (办理时限).")
    address: str | None
    address_id: str | None = Field(description="Community or street code.")
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class Open311RequestReceiptRead(BaseModel):
    """What a posted request became: its id at once (and a token to look it up by)."""

    model_config = _element("request")

    service_request_id: str
    token: str
    service_notice: str = Field(description="受理告知 with the ticket number.")
    account_id: str | None


class Open311TokenRead(BaseModel):
    """The service request a token became."""

    model_config = _element("request")

    service_request_id: str
    token: str


class Open311RequestUpdateRead(BaseModel):
    """One public update of a request (the servicerequestupdates extension)."""

    model_config = _element("request_update")

    update_id: str
    service_request_id: str
    status: RequestStatus
    updated_datetime: W3CDateTime
    description: str
    media_url: str | None


class Open311Error(BaseModel):
    """An error in GeoReport's format; answers carry a list of them (`<errors><error>…`)."""

    model_config = _element("error")

    code: int = Field(description="The HTTP status.")
    description: str = Field(
        description="What went wrong and what to do (Chinese; English on Accept-Language: en)."
    )


FormText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None


class Open311ServiceRequestCreate(BaseModel):
    """A service request to post (form fields). Give a location: lat and long, address_string, or
    address_id. Each attribute of the service's definition goes in a field `attribute[<code>]`."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "patternProperties": {
                r"^attribute\[[^\]]+\]$": {
                    "type": "string",
                    "description": "An attribute's value, keyed by its code (attribute[noise_period]=night).",
                }
            }
        },
    )

    api_key: str = Field(description="The key issued to you (also accepted as the api_key query parameter).")
    jurisdiction_id: FormText = Field(default=None, description="Leave out, or give ours.")
    service_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    lat: float | None = Field(default=None, ge=-90, le=90, description="Latitude (WGS 84); with long.")
    long: float | None = Field(default=None, ge=-180, le=180, description="Longitude (WGS 84); with lat.")
    address_string: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    address_id: Annotated[str, StringConstraints(pattern=r"^\d{9}(\d{3})?$")] | None = Field(
        default=None, description="A street (9 digits) or community (12 digits) code of the district."
    )
    email: FormText = Field(
        default=None, description="Accepted, not stored: the hotline calls back by phone."
    )
    device_id: FormText = Field(default=None, description="Accepted, not stored.")
    account_id: FormText = Field(default=None, description="Echoed in the answer, not stored.")
    first_name: FormText = None
    last_name: FormText = None
    phone: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9\- ]{4,19}$")] | None
    ) = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    media_url: Annotated[str, StringConstraints(pattern=r"^https?://", max_length=500)] | None = None

    @model_validator(mode="after")
    def _located(self) -> Open311ServiceRequestCreate:
        if (self.lat is None) != (self.long is None):
            raise TextError("请同时填写纬度 lat 和经度 long。", "give both lat and long")
        if self.lat is None and not self.address_string and not self.address_id:
            raise TextError(
                "请提供诉求发生的位置：经纬度 lat 和 long、地址 address_string "
                "或地址编码 address_id 三者之一。",
                "a location is required: lat and long, address_string, or address_id",
            )
        return self
