"""Schema pieces shared by several resources."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

LoaValue = Field(ge=2, le=5, description="Level of assurance (认证等级): 2 self-declared … 5 in person")


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int = Field(description="How many match in all.")
    limit: int
    offset: int


class PersonRef(BaseModel):
    """A person named without personal numbers."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
