"""licence-svc's request and response models. A response body is `<Thing>Read`, a page of them
`<Thing>Page`, a request body `<Thing>Create` / `<Thing>Update`; field names in English, the Chinese
term in the description."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from yiwang_shared.pagination import Page
from yiwang_shared.validators import validate_resident_id, validate_uscc

from .lifecycles import LicenceAction, LicenceStatus

HolderKind = Literal["person", "enterprise"]
TypeCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,31}$"),
    Field(description="Licence type code (证照类型代码): capitals and digits, e.g. YYZZ 营业执照."),
]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
UnitCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
TypeName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- licence types ---


class LicenceTypeCreate(_In):
    """A new licence type (证照类型) for the catalogue."""

    code: TypeCode
    name: TypeName = Field(description="Type name (证照名称), e.g. 食品经营许可证.")
    holder_kind: HolderKind = Field(
        description="Who holds it (持证主体类型): person 自然人, enterprise 法人."
    )
    issuing_unit_code: UnitCode | None = Field(
        default=None, description="Usual issuing unit (颁证单位) code."
    )
    issuing_unit_name: TypeName | None = Field(default=None, description="Usual issuing unit's name.")
    validity_years: int | None = Field(
        default=None, ge=1, le=100, description="Years a licence lasts (有效期年限); null: without end."
    )


class LicenceTypeUpdate(_In):
    """Changes to a licence type (only the fields given)."""

    name: TypeName | None = None
    issuing_unit_code: UnitCode | None = None
    issuing_unit_name: TypeName | None = None
    validity_years: int | None = Field(default=None, ge=1, le=100)
    active: bool | None = Field(default=None, description="False: no new licences of this type.")


class LicenceTypeRead(BaseModel):
    """A licence type of the catalogue."""

    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="Licence type code (证照类型代码).")
    name: str = Field(description="Type name (证照名称).")
    holder_kind: HolderKind = Field(description="Who holds it (持证主体类型).")
    issuing_unit_code: str | None
    issuing_unit_name: str | None
    validity_years: int | None = Field(description="Years a licence lasts; null: without end (长期).")
    active: bool


class LicenceTypePage(Page[LicenceTypeRead]):
    """A page of licence types."""


# --- licences ---


class SignatureRead(BaseModel):
    """How to check a rendering: Ed25519 over the 32 bytes of its SHA-256, with the published key."""

    algorithm: Literal["Ed25519"] = "Ed25519"
    rendering_sha256: str = Field(description="SHA-256 (hex) of the PDF rendering (版式文件摘要).")
    signature: str = Field(description="Ed25519 signature (base64url, no padding) of the digest's bytes.")
    key_id: str = Field(description="The key's id (kid) in GET /v1/signing-keys.")


class LicenceRead(BaseModel):
    """A licence or certificate (电子证照) as its holder, or staff using it for a case, sees it."""

    id: str
    number: str = Field(description="Licence number (证照编号).")
    type_code: str = Field(description="Licence type code (证照类型代码).")
    type_name: str = Field(description="Licence type name (证照名称).")
    holder_kind: HolderKind = Field(description="person 自然人 or enterprise 法人.")
    holder_name: str = Field(description="Holder's name (持证主体名称).")
    holder_identifier: str | None = Field(
        description="Holder's resident ID or USCC (持证主体代码), when the licence names it."
    )
    issuing_unit_code: str = Field(description="Issuing unit (颁证单位) code.")
    issuing_unit_name: str = Field(description="Issuing unit's name.")
    valid_from: date = Field(description="Valid from (有效期起).")
    valid_until: date | None = Field(description="Valid until (有效期至); null: without end (长期).")
    status: LicenceStatus = Field(
        description="valid 有效, suspended 暂停使用, revoked 已吊销, expired 已过期."
    )
    status_name: str = Field(description="The state in Chinese.")
    status_reason: str | None = Field(description="Why it was suspended or revoked.")
    data: dict[str, Any] = Field(description="The structured data on the licence (证照照面信息).")
    application_no: str | None = Field(description="The application that issued it (申请编号), if any.")
    issued_at: datetime = Field(description="When it was issued (颁发时间).")
    signature: SignatureRead
    allowed_actions: list[LicenceAction] = Field(description="What the caller may do to its state next.")


class LicencePage(Page[LicenceRead]):
    """A page of licences."""


Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
DataKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
DataValue = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class LicenceCreate(_In):
    """A licence the issuing unit issues directly (颁证), e.g. one decided outside this platform or
    carried over from paper; rendered and signed like every other."""

    type_code: TypeCode
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] | None = (
        Field(default=None, description="Licence number (证照编号); given by the library when left out.")
    )
    holder_kind: HolderKind = Field(description="person 自然人 or enterprise 法人 (the type's).")
    holder_identifier: Identifier = Field(
        description="Holder's resident ID (居民身份证号, GB 11643) or USCC (统一社会信用代码, GB 32100)."
    )
    holder_name: Short = Field(description="Holder's name (持证主体名称).")
    holder_account_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        default=None, description="identity-svc's id of the holder, when known (found by the number there)."
    )
    valid_from: date = Field(description="Valid from (有效期起).")
    valid_until: date | None = Field(
        default=None,
        description="Valid until (有效期至); left out: the type's years from valid_from, or without end.",
    )
    data: dict[DataKey, DataValue] = Field(
        default_factory=dict,
        max_length=50,
        description="The structured data on the licence (照面信息), label → text.",
    )

    @field_validator("holder_identifier")
    @classmethod
    def _identifier(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("holder_kind")
        return validate_uscc(value) if kind == "enterprise" else validate_resident_id(value)


class LicenceStatusChange(_In):
    """Suspend, reinstate or revoke: the reason the holder will read."""

    reason: Reason | None = Field(default=None, description="Why (原因); required to suspend or revoke.")


class LicenceActionRead(BaseModel):
    """One change of a licence's state (留痕)."""

    model_config = ConfigDict(from_attributes=True)

    action: str = Field(description="issue, suspend, reinstate, revoke or expire.")
    from_status: str | None
    to_status: str
    actor_id: str | None = Field(description="Who did it; null: the system (到期).")
    actor_unit_code: str | None
    reason: str | None
    at: datetime


class LicenceActionPage(Page[LicenceActionRead]):
    """A page of a licence's changes of state."""


# --- shares ---


class ShareCreate(_In):
    """A verification code for a licence (亮证/分享), valid for a time the holder chooses."""

    valid_hours: int | None = Field(default=None, ge=1, description="How long it lasts (hours); default 24.")
    purpose: Short | None = Field(default=None, description="What it is for (用途), shown to the holder.")


class ShareRead(BaseModel):
    """One of the holder's shares (without the code, which is shown once, at creation)."""

    id: str
    licence_id: str
    purpose: str | None
    created_at: datetime
    expires_at: datetime = Field(description="When the code stops working (失效时间).")
    withdrawn_at: datetime | None = Field(description="When the holder withdrew it (撤回时间).")
    active: bool = Field(description="The code works now.")
    opened_count: int = Field(description="Times the code was opened (查看次数).")


class ShareCreated(ShareRead):
    """A new share, with its code (shown this once) and the link to give."""

    code: str = Field(description="The verification code (核验码); keep it, it is not shown again.")
    path: str = Field(
        description="The link's path as the caller reaches it (through the gateway: "
        "/api/licence/v1/shared/…); public: GET it to see the licence."
    )


class SharePage(Page[ShareRead]):
    """A page of shares."""


class SharedLicenceRead(BaseModel):
    """A licence opened by its share code: what the holder chose to show, and whether it is valid."""

    number: str
    type_code: str
    type_name: str
    holder_name: str
    issuing_unit_name: str
    valid_from: date
    valid_until: date | None
    status: LicenceStatus
    status_name: str
    valid: bool = Field(description="The licence is valid today (有效).")
    data: dict[str, Any]
    signature: SignatureRead
    share_expires_at: datetime


# --- uses ---


class UseCreate(_In):
    """A staff member uses a licence for a case: the holder's application is the authorisation."""

    application_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] = (
        Field(description="The application (办件) the licence is used for, as intake names it (its id).")
    )
    purpose: Short | None = Field(default=None, description="What it is used for (用途), e.g. 核验营业执照.")


class CaseFetch(_In):
    """Fetch the applicant's licence of a type for their case (免提交: the library, not the applicant,
    provides it); the application is the authorisation, and the use is recorded."""

    application_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] = (
        Field(description="The application (办件) it is fetched for, as intake names it (its id).")
    )
    type_code: TypeCode
    purpose: Short | None = Field(
        default=None, description="What it is used for (用途), e.g. 申请材料：居民户口簿."
    )


class UseRead(BaseModel):
    """One use of a licence (用证记录): who, which case, when."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    licence_id: str
    staff_id: str = Field(description="Who used it (用证人).")
    staff_unit_code: str | None = Field(description="Their unit (用证单位).")
    staff_unit_name: str | None = Field(
        default=None, description="Their unit's name, as the holder reads it."
    )
    application_id: str
    application_no: str | None = Field(description="The case (办件编号).")
    item_name: str | None = Field(description="The item applied for (事项名称).")
    purpose: str | None
    status_seen: LicenceStatus = Field(description="The licence's state when it was used.")
    used_at: datetime = Field(description="When (用证时间).")


class UsePage(Page[UseRead]):
    """A page of uses."""


class UseResult(BaseModel):
    """A recorded use and the licence as the staff member may now see it."""

    use: UseRead
    licence: LicenceRead


# --- public verification ---


class VerificationCreate(_In):
    """Verify a licence by its number (and type): valid or not, nothing more (第三方核验)."""

    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = Field(
        description="Licence number (证照编号)."
    )
    type_code: TypeCode


class VerificationRead(BaseModel):
    """The answer to a verification: no personal data."""

    valid: bool = Field(description="A licence of that number and type exists and is valid today.")
    status: LicenceStatus | None = Field(description="Its state if it exists (null: unknown number).")
    type_name: str | None = Field(description="The licence type's name, if the code is known.")
    valid_until: date | None = Field(description="Its validity's end, if it exists and has one.")
    checked_at: datetime


class SigningKeyRead(BaseModel):
    """A public key renderings are signed with (JWK, RFC 8037)."""

    kty: Literal["OKP"] = "OKP"
    crv: Literal["Ed25519"] = "Ed25519"
    kid: str
    x: str = Field(description="The public key (base64url, no padding).")
    use: Literal["sig"] = "sig"
    alg: Literal["EdDSA"] = "EdDSA"


class SigningKeySet(BaseModel):
    """The published signing keys (JWKS)."""

    keys: list[SigningKeyRead]
