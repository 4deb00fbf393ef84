"""Account schemas: persons (自然人), staff (工作人员), the current account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, SecretStr, model_validator

from yiwang_shared.i18n import TextError
from yiwang_shared.pagination import Page
from yiwang_shared.validators import MobilePhone, PassportNumber, ResidentId

from ..services.passwords import MAX_LENGTH, check_password_policy
from .common import LOA_DESCRIPTION, AccountStatus, Loa
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
ROLES_DESCRIPTION = (
    "Roles (角色): window_clerk 窗口工作人员, approver 审批人员, hotline_agent 热线坐席, "
    "dispatcher 派单员, handler 承办人员, supervisor 监督人员, catalog_editor 事项目录编辑, "
    "evaluator 好差评管理人员, admin 管理员."
)

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
            raise TextError(
                "请填写居民身份证号或护照号码中的一项（不能都填，也不能都不填）。",
                "give exactly one of resident_id or passport_number",
            )
        if self.passport_number is not None and self.nationality is None:
            raise TextError(
                "使用护照注册时请同时填写国籍（三位字母代码，如 GBR）。",
                "nationality is required with a passport_number",
            )
        if self.resident_id is not None and self.nationality is not None:
            raise TextError(
                "国籍只在使用护照注册时填写，使用居民身份证号注册时请删去国籍。",
                "nationality goes with a passport_number, not a resident_id",
            )
        return self


class WalkInCreate(BaseModel):
    """A person without an account, registered by a window clerk (窗口登记): no password; the person
    claims the account later by registering online with the same resident ID, name and mobile."""

    name: str = Field(min_length=1, max_length=100, description="Real name (姓名), as on the document.")
    id_type: Literal["resident_id", "passport"] = Field(description="Identity document type (证件类型).")
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

    @model_validator(mode="after")
    def _document_matches_type(self) -> Self:
        if self.id_type == "resident_id":
            if self.resident_id is None:
                raise TextError(
                    "证件类型为居民身份证时，请填写居民身份证号 resident_id。",
                    "id_type resident_id needs a resident_id",
                )
            if self.passport_number is not None or self.nationality is not None:
                raise TextError(
                    "证件类型为居民身份证时，请删去护照号码和国籍。",
                    "id_type resident_id takes no passport_number or nationality",
                )
        else:
            if self.passport_number is None or self.nationality is None:
                raise TextError(
                    "证件类型为护照时，请同时填写护照号码 passport_number 和国籍 nationality"
                    "（三位字母代码，如 GBR）。",
                    "id_type passport needs a passport_number and a nationality",
                )
            if self.resident_id is not None:
                raise TextError(
                    "证件类型为护照时，请删去居民身份证号。",
                    "id_type passport takes no resident_id",
                )
        return self


class PersonRead(BaseModel):
    """A natural person. Personal numbers are masked unless asked for with ?unmask=true."""

    # Every field is in every answer: `kind` (the discriminator) must be required in the schema.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    kind: Literal["person"] = Field(default="person", description="Account kind: a natural person.")
    id: str
    name: str = Field(description="Real name (姓名).")
    id_type: Literal["resident_id", "passport"] = Field(description="Identity document type (证件类型).")
    resident_id: str | None = Field(description="Resident ID (居民身份证号), masked (110101********123X).")
    passport_number: str | None = Field(description="Passport number, masked (E*****678).")
    nationality: str | None = Field(description="Nationality, ISO 3166-1 alpha-3; with a passport only.")
    phone: str = Field(description="Mobile (手机号), masked (138****5678).")
    loa: Loa = Field(description=LOA_DESCRIPTION)
    status: AccountStatus = Field(description="Account status (账号状态): disabled accounts cannot log in.")
    has_login: bool = Field(
        description="False for a walk-in registered at a window who has not set a password yet "
        "(窗口登记、尚未认领): such an account cannot log in until the person registers online."
    )
    registration_channel: Literal["online", "window"] = Field(
        description="Where the account was opened (注册渠道): online by the person, or at a window."
    )
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
    roles: list[StaffRoleName] = Field(min_length=1, description=ROLES_DESCRIPTION)
    password: NewPassword
    loa: Loa = Field(default=4, description=LOA_DESCRIPTION + " Staff default 4.")


class StaffUpdate(BaseModel):
    """Changes to a staff account; only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    org_unit_id: str | None = None
    roles: list[StaffRoleName] | None = Field(default=None, min_length=1, description=ROLES_DESCRIPTION)
    status: AccountStatus | None = Field(
        default=None, description="Disabled accounts cannot log in; their refresh tokens die."
    )


class StaffRead(BaseModel):
    """A staff account."""

    # Every field is in every answer: `kind` (the discriminator) must be required in the schema.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    kind: Literal["staff"] = Field(default="staff", description="Account kind: a staff member.")
    id: str
    username: str = Field(description="Login name (用户名).")
    name: str = Field(description="Name (姓名).")
    org_unit: OrgUnitRead = Field(description="The unit (所属机构) the staff member belongs to.")
    roles: list[StaffRoleName] = Field(description=ROLES_DESCRIPTION)
    loa: Loa = Field(description=LOA_DESCRIPTION)
    status: AccountStatus = Field(description="Account status (账号状态): disabled accounts cannot log in.")
    created_at: datetime


class StaffPage(Page[StaffRead]):
    """A page of staff accounts, by username."""


class AccountRead(RootModel[Annotated[PersonRead | StaffRead, Field(discriminator="kind")]]):
    """An account: a person or a staff member, told apart by `kind`."""


class LoaUpdate(BaseModel):
    """An administrator's change of a level of assurance (of an account or an enterprise)."""

    loa: Loa = Field(description=LOA_DESCRIPTION)
    reason: str = Field(min_length=1, max_length=500, description="Why (e.g. documents checked in person).")


class PasswordChange(BaseModel):
    """Change one's own password; every refresh token of the account is revoked."""

    current_password: SecretStr = Field(max_length=MAX_LENGTH, description="The password used now.")
    new_password: NewPassword


class ActingForRead(BaseModel):
    """The legal person (法人) a token acts for."""

    entity_id: str = Field(description="The enterprise's id.")
    uscc: str = Field(description="Its unified social credit code (统一社会信用代码).")
    name: str = Field(description="Its registered name.")
    grant_id: str = Field(description='The grant acted under; "" for the legal representative.')
    scope: list[str] = Field(description='Item codes the token may act on; ["*"] for every item.')


class MeRead(BaseModel):
    """The caller's account, and the legal person they act for if the token says so."""

    account: AccountRead
    acting_for: ActingForRead | None = Field(
        default=None, description="Set when the token acts for a legal person (代表法人办事)."
    )
