"""Category and attribute checks shared by ticket registration and dispatch."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.errors import UnprocessableEntity

from .. import errors
from ..models import Category


async def check_category(session: AsyncSession, code: str | None) -> Category | None:
    """The active category `code`; 422 when unknown."""
    if code is None:
        return None
    category = await session.get(Category, code)
    if category is None or not category.active:
        raise errors.unknown_category(code)
    return category


def check_attributes(category: Category | None, attributes: dict[str, object]) -> None:
    """Required attributes present and list values among the allowed keys (all problems at once)."""
    problems: list[dict[str, str]] = []
    definitions = category.attributes if category is not None else []
    known = {a["code"] for a in definitions}
    for name in attributes:
        if name not in known:
            problems.append({"field": f"attributes.{name}", "message": "not an attribute of this category"})
    for attr in definitions:
        value = attributes.get(attr["code"])
        if value in (None, ""):
            if attr.get("required"):
                problems.append(
                    {"field": f"attributes.{attr['code']}", "message": f"required: {attr['description']}"}
                )
            continue
        keys = {v["key"] for v in attr.get("values", [])}
        if attr["datatype"] == "singlevaluelist" and str(value) not in keys:
            problems.append(
                {"field": f"attributes.{attr['code']}", "message": "one of " + ", ".join(sorted(keys))}
            )
        if attr["datatype"] == "number":
            try:
                float(str(value))
            except ValueError:
                problems.append({"field": f"attributes.{attr['code']}", "message": "a number"})
    if problems:
        raise UnprocessableEntity(
            f"{len(problems)} attribute(s) are invalid: " + ", ".join(p["field"] for p in problems) + ".",
            code="hotline.invalid_attributes",
            errors=problems,
        )
