"""Request categories: the list, and the category and attribute checks of registration and dispatch."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.i18n import pick
from yiwang_shared.pagination import PageParams

from .. import errors
from ..models import Category
from ..repositories.read_models import CategoryRef
from ..repositories.rules import CategoryRepository
from .read_models import categories


async def list_categories(session: AsyncSession, page: PageParams) -> tuple[list[Category], int]:
    """A page of the active request categories, by code, and how many there are."""
    return await CategoryRepository(session).active_page(page)


async def check_category(session: AsyncSession, code: str | None) -> CategoryRef | None:
    """The active category `code`; 422 when unknown."""
    if code is None:
        return None
    category = (await categories(session)).get(code)
    if category is None or not category.active:
        raise errors.unknown_category(code)
    return category


def attribute_field(code: str) -> str:
    """How the JSON API names an attribute in a validation error."""
    return f"attributes.{code}"


def check_attributes(
    category: Category | CategoryRef | None,
    attributes: Mapping[str, object],
    field: Callable[[str], str] = attribute_field,
) -> None:
    """Required attributes present and list values among the allowed keys (all problems at once).

    `field` names an attribute in the errors (Open311 says `attribute[code]`).
    """
    problems: list[dict[str, str]] = []
    definitions = category.attributes if category is not None else []
    known = {a["code"] for a in definitions}

    def add(code: str, kind: str, zh: str, en: str) -> None:
        problems.append({"field": field(code), "message": pick(zh, en), "type": kind})

    for name in attributes:
        if name not in known:
            add(
                name, "extra_forbidden", "该分类没有这项附加信息，请删除", "not an attribute of this category"
            )
    for attr in definitions:
        value = attributes.get(attr["code"])
        if value in (None, ""):
            if attr.get("required"):
                add(
                    attr["code"],
                    "missing",
                    f"必填：{attr['description']}",
                    f"required: {attr['description']}",
                )
            continue
        keys = sorted(v["key"] for v in attr.get("values", []))
        if attr["datatype"] == "singlevaluelist" and str(value) not in keys:
            add(
                attr["code"], "literal_error", "应为以下之一：" + "、".join(keys), "one of " + ", ".join(keys)
            )
        if attr["datatype"] == "number":
            try:
                float(str(value))
            except ValueError:
                add(attr["code"], "float_parsing", "应为数字", "a number")
    if problems:
        raise errors.invalid_attributes(problems)
