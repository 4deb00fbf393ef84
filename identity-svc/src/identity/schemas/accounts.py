"""Account schemas: persons (自然人), staff (工作人员), the current account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, SecretStr, model_validator

from yiwang_shared.validators import MobilePhone, PassportNumber, ResidentId

from ..passwords import MAX_LENGTH, check_password_policy
from .common import LoaValue
from .org_units import OrgUnitRead

StaffRoleName = Literal[
    "window_clerk",
    "approver",
    "hotline_agent",
    "dispatcher",
    "handler",
    "supervisor",
    "catalog_editor",
    "evaluator",
    "admin",
]

NewPassword = Annotated[
    SecretStr,
    AfterValidator(lambda s: SecretStr(check_password_policy(s.get_secret_value()))),
    Field(description="Password (密码): 8-128 characters with at least one letter and one digit."),
]
USERNAME_PATTERN = r"^[a-z][a-z0-9._-]{1,31}$"


class PersonRegister(BaseModel):
    """Self-registration of a natural person: a resident ID, or a passport and nationality."""

    name: str = Field(min_length=1, max_length=100, description="Real name (姓名).")
    resident_id: ResidentId | None = None
    passport_number: PassportNumber | None = Field(
        default=None, description="Passport or permit number (护照/证件号码), for foreigners."
    )
    nationality: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="Nationality (国籍), ISO 3166-1 alpha-3, with a passport.",
        examples=["GBR"],
    )
    phone: MobilePhone
    password: NewPassword

    @model_validator(mode="after")
    def _one_document(self) -> Self:
        if (self.resident_id is None) == (self.passport_number is None):
            raise ValueError("give exactly one of resident_id or passport_number")
        if self.passport_number is not None and self.nationality is None:
            raise ValueError("nationality is required with a passport_number")
        if self.resident_id is not None and self.nationality is not None:
            raise ValueError("nationality goes with a passport_number, not a resident_id")
        return self


class PersonRead(BaseModel):
    """A natural person. Personal numbers are masked unless asked for with ?unmask=true."""

    kind: Literal["person"] = "person"
    id: str
    name: str
    id_type: Literal["resident_id", "passport"] = Field(description="Identity document type.")
    resident_id: str | None = Field(description="Resident ID, masked (110101********123X).")
    passport_number: str | None = Field(description="Passport number, masked (E*****678).")
    nationality: str | None
    phone: str = Field(description="Mobile (手机号), masked (138****5678).")
    loa: int
    status: str
    masked: bool = Field(description="True when the numbers above are masked.")
    created_at: datetime


class StaffCreate(BaseModel):
    """A new staff account."""

    username: str = Field(
        pattern=USERNAME_PATTERN,
        description="Login name (用户名): lower-case letters, digits, . _ -; starts with a letter.",
    )
    name: str = Field(min_length=1, max_length=100, description="Name (姓名).")
    org_unit_id: str = Field(description="The unit (所属机构) the staff member belongs to.")
    roles: list[StaffRoleName] = Field(min_length=1, description="Roles (角色).")
    password: NewPassword
    loa: int = Field(default=4, ge=2, le=5, description="Level of assurance; staff default 4.")


class StaffUpdate(BaseModel):
    """Changes to a staff account; only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    org_unit_id: str | None = None
    roles: list[StaffRoleName] | None = Field(default=None, min_length=1)
    status: Literal["active", "disabled"] | None = Field(
        default=None, description="Disabled accounts cannot log in; their refresh tokens die."
    )


class StaffRead(BaseModel):
    """A staff account."""

    kind: Literal["staff"] = "staff"
    id: str
    username: str
    name: str
    org_unit: OrgUnitRead
    roles: list[str]
    loa: int
    status: str
    created_at: datetime


class LoaChange(BaseModel):
    """An administrator's change of an account's level of assurance."""

    loa: int = LoaValue
    reason: str = Field(min_length=1, max_length=500, description="Why (e.g. documents checked in person).")


class PasswordChange(BaseModel):
    """Change one's own password; every refresh token of the account is revoked."""

    current_password: SecretStr = Field(max_length=MAX_LENGTH)
    new_password: NewPassword


class ActingForRead(BaseModel):
    """The legal person a token acts for."""

    entity_id: str
    uscc: str
    name: str
    grant_id: str = Field(description='The grant acted under; "" for the legal representative.')
    scope: list[str]


class MeRead(BaseModel):
    """The caller's account, and the legal person they act for if the token says so."""

    account: PersonRead | StaffRead = Field(discriminator="kind")
    acting_for: ActingForRead | None = None
