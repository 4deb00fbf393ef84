""" "One thing" bundles (一件事): items applied for together with one merged form (一表制) and one
material set in which a material shared by several items (same name and source) is asked once.

The merged form is the union of the applicant fields the items' service objects need (a natural
person's, an enterprise's …), one section per item for its own particulars, and the merged
material checklist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.orm import utcnow

from .. import errors
from ..events import BundleMemberInfo, BundlePublished, publish
from ..models import Bundle, BundleItem
from ..repositories.bundles import BundleRepository
from ..repositories.items import ItemRepository
from ..schemas.bundles import BundleCreate, BundleRead, BundleSummaryRead
from ..schemas.elements import SERVICE_OBJECTS, ItemElements
from . import codes

APPLICANT_FIELDS: dict[str, list[dict[str, str]]] = {
    "person": [
        {"key": "applicant_name", "label": "申请人姓名"},
        {"key": "applicant_id_number", "label": "身份证件号码"},
        {"key": "applicant_phone", "label": "联系电话"},
        {"key": "applicant_address", "label": "联系地址"},
    ],
    "organisation": [
        {"key": "org_name", "label": "单位名称"},
        {"key": "org_uscc", "label": "统一社会信用代码"},
        {"key": "legal_representative", "label": "法定代表人"},
        {"key": "contact_name", "label": "经办人姓名"},
        {"key": "contact_phone", "label": "经办人联系电话"},
        {"key": "org_address", "label": "住所（经营场所）"},
    ],
}


async def create_bundle(session: AsyncSession, *, data: BundleCreate, actor: Principal) -> BundleRead:
    """Create a bundle of published items (catalogue editors and admins)."""
    if not (actor.is_admin or "catalog_editor" in actor.roles):
        raise errors.not_catalog_editor("新建“一件事”", "create bundles")
    seen: set[str] = set()
    for code in data.item_codes:
        if code in seen:
            raise errors.duplicate_item(code)
        seen.add(code)
    items = []
    for code in data.item_codes:
        item = await ItemRepository(session).find_by_code(code)
        if item is None or item.status != "published":
            raise errors.item_not_published(code)
        items.append(item)
    stages = dense_stages(data.stages or [1] * len(items))
    seq = await codes.next_value(session, "YJS")
    now = utcnow()
    bundle = Bundle(
        code=f"YJS{seq:06d}",
        name=data.name,
        description=data.description,
        created_by=actor.subject,
        created_at=now,
        updated_at=now,
    )
    session.add(bundle)
    await session.flush()
    for pos, (item, stage) in enumerate(zip(items, stages, strict=True)):
        session.add(BundleItem(bundle_id=bundle.id, item_id=item.id, position=pos, stage=stage))
    await session.flush()
    # intake keeps its own read model of bundles, so an application for one calls nobody.
    await publish(
        session,
        BundlePublished(
            bundle_code=bundle.code,
            name=bundle.name,
            description=bundle.description,
            items=[
                BundleMemberInfo(
                    item_code=item.code,
                    item_name=item.name,
                    owner_unit_code=item.owner_unit_code,
                    stage=stage,
                )
                for item, stage in zip(items, stages, strict=True)
            ],
            published_at=now,
        ),
    )
    return await bundle_view(session, bundle.code)


def dense_stages(stages: list[int]) -> list[int]:
    """Stages renumbered 1, 2, 3 … in their order, so no stage is empty (e.g. [1, 3, 3] → [1, 2, 2])."""
    rank = {stage: n for n, stage in enumerate(sorted(set(stages)), start=1)}
    return [rank[s] for s in stages]


async def list_bundles(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[BundleSummaryRead], int]:
    """A page of bundles by code, and how many there are."""
    bundles, total = await BundleRepository(session).page(limit=limit, offset=offset)
    return [BundleSummaryRead.model_validate(b) for b in bundles], total


def merge_materials(entries: list[tuple[str, str, ItemElements]]) -> list[dict[str, Any]]:
    """The union of materials of (code, name, elements) entries; same name + source asked once."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for code, name, el in entries:
        for m in el.materials:
            key = (m.name, m.source or "")
            row = merged.get(key)
            if row is None:
                row = merged[key] = {
                    "name": m.name,
                    "source": m.source,
                    "originals": 0,
                    "copies": 0,
                    "media": [],
                    "requirement": "conditional",
                    "exempt": True,
                    "exempt_source": None,
                    "needed_by": [],
                }
            row["originals"] = max(row["originals"], m.originals)
            row["copies"] = max(row["copies"], m.copies)
            row["media"] = sorted(set(row["media"]) | set(m.media))
            if m.requirement == "required":
                row["requirement"] = "required"
            row["exempt"] = row["exempt"] and m.exempt
            row["exempt_source"] = row["exempt_source"] or m.exempt_source
            row["needed_by"].append(
                {"item_code": code, "item_name": name, "requirement": m.requirement, "condition": m.condition}
            )
    out = list(merged.values())
    for row in out:
        row["shared"] = len(row["needed_by"]) > 1
        if not row["exempt"]:
            row["exempt_source"] = None
    return out


def merged_form(entries: list[tuple[str, str, ItemElements]]) -> dict[str, Any]:
    """The one merged form (一表制): union of applicant fields plus one section per item."""
    objects = sorted({o for _, _, el in entries for o in el.service_objects})
    kinds = []
    if not objects or "1" in objects:
        kinds.append("person")
    if any(o != "1" for o in objects):
        kinds.append("organisation")
    fields: list[dict[str, Any]] = []
    for kind in kinds:
        fields.extend({**f, "section": "applicant", "required": True} for f in APPLICANT_FIELDS[kind])
    sections = [
        {
            "item_code": code,
            "item_name": name,
            "fields": [
                {"key": f"{code}.matter", "label": f"申请事项：{name}", "required": True},
                *(
                    [
                        {
                            "key": f"{code}.condition",
                            "label": f"受理条件确认：{el.acceptance_conditions}",
                            "required": True,
                        }
                    ]
                    if el.acceptance_conditions
                    else []
                ),
            ],
        }
        for code, name, el in entries
    ]
    return {
        "service_objects": [{"code": o, "name": SERVICE_OBJECTS[o]} for o in objects],
        "applicant_fields": fields,
        "item_sections": sections,
    }


async def bundle_view(session: AsyncSession, code: str) -> BundleRead:
    """A bundle with its items, merged materials and merged form."""
    bundle = await BundleRepository(session).find_by_code(code)
    if bundle is None:
        raise errors.bundle_not_found(code)
    rows = await BundleRepository(session).members(bundle.id)
    entries: list[tuple[str, str, ItemElements]] = []
    members = []
    for item, stage, elements in rows:
        members.append(
            {
                "code": item.code,
                "name": item.name,
                "status": item.status,
                "version_no": item.current_version_no,
                "owner_unit_code": item.owner_unit_code,
                "owner_unit_name": item.owner_unit_name,
                "stage": stage,
            }
        )
        if elements is not None and item.status == "published":
            entries.append((item.code, item.name, ItemElements.model_validate(elements)))
    materials = merge_materials(entries)
    asked = [m for m in materials if not m["exempt"]]
    return BundleRead.model_validate(
        {
            "code": bundle.code,
            "name": bundle.name,
            "description": bundle.description,
            "members": members,
            "materials": materials,
            "materials_asked": len(asked),
            "materials_before_merge": sum(len(el.materials) for _, _, el in entries),
            "form": merged_form(entries),
            "created_at": bundle.created_at,
        }
    )


__all__ = ["bundle_view", "create_bundle", "dense_stages", "list_bundles", "merge_materials", "merged_form"]
