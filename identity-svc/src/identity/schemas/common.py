"""Schema pieces shared by several resources."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: Level of assurance (认证等级): an ordered closed set, so an enum in the document.
Loa = Literal[2, 3, 4, 5]
LOA_DESCRIPTION = (
    "Level of assurance (认证等级): 2 self-declared, 3 two-factor checked, "
    "4 person and document matched, 5 certificate or in person."
)

#: Whether an account may log in (账号状态).
AccountStatus = Literal["active", "disabled"]


class PersonSummaryRead(BaseModel):
    """A person named without personal numbers."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="The person's account id.")
    name: str = Field(description="Real name (姓名).")
