"""The completeness and format check (形式审查/格式审查) against an item version's materials.

Every problem is returned at once so the one-time notice (一次性告知书) can list them all.
Exempt materials (免提交: shared or looked up in the e-licence library) are never asked for;
conditional ones only when the applicant declares their condition applies.

What an applicant declares never replaces what the catalogue says: a material counts as exempt
only when its catalogue entry marks it 免提交, and an e-licence (电子证照) counts only once the
licence library confirmed it (services/library.py fetches it: the applicant's own valid licence of
the material's type). An unconfirmed claim is a problem the clerk resolves — by checking the
licence itself and taking the material as paper, or by listing it in the notice — never a pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ..schemas import MaterialProblemKind

MEDIA_NAMES = {"original": "原件", "copy": "复印件", "electronic": "电子版"}


@dataclass(frozen=True)
class Problem:
    """One missing or wrong material, said in Chinese for the notice."""

    material: str
    problem: MaterialProblemKind
    message: str

    def as_dict(self) -> dict[str, str]:
        """JSON form."""
        return asdict(self)


@dataclass(frozen=True)
class ProvidedMaterial:
    """A material as handed in."""

    name: str
    provided_as: str  # paper | upload | e_licence | exempt
    media: tuple[str, ...]
    originals: int
    copies: int
    file_ok: bool = True
    licence_no: str | None = None
    #: True once the licence library confirmed the e-licence (valid, the applicant's, this type).
    licence_verified: bool = False


def required_materials(
    materials: Sequence[Mapping[str, Any]], conditions: Sequence[str]
) -> list[Mapping[str, Any]]:
    """The materials this applicant must hand in: required ones and conditional ones that apply."""
    applying = set(conditions)
    return [
        m
        for m in materials
        if not m.get("exempt")
        and (m.get("requirement", "required") == "required" or m.get("name") in applying)
    ]


def check(
    materials: Sequence[Mapping[str, Any]],
    conditions: Sequence[str],
    provided: Sequence[ProvidedMaterial],
) -> list[Problem]:
    """Every problem with `provided` against the version's `materials` (empty: complete)."""
    by_name = {str(m["name"]): m for m in materials}
    problems: list[Problem] = []
    for name in conditions:
        material = by_name.get(name)
        if material is None or material.get("requirement", "required") != "conditional":
            problems.append(
                Problem(name, "condition_unknown", f"“{name}”不是本事项的情形材料，请核对所选情形。")
            )
    # Materials the item does not list are simply not needed: never a reason to refuse.
    given = {p.name: p for p in provided}
    for material in required_materials(materials, conditions):
        name = str(material["name"])
        got = given.get(name)
        if got is None:
            problems.append(Problem(name, "missing", _missing_text(material)))
            continue
        problems.extend(_format_problems(material, got))
    return problems


def _need_text(material: Mapping[str, Any]) -> str:
    parts = []
    if material.get("originals"):
        parts.append(f"原件{material['originals']}份")
    if material.get("copies"):
        parts.append(f"复印件{material['copies']}份")
    return "，".join(parts)


def _missing_text(material: Mapping[str, Any]) -> str:
    name = material["name"]
    need = _need_text(material)
    text = f"缺少“{name}”" + (f"（{need}）" if need else "")
    if material.get("condition"):
        text += f"，适用情形：{material['condition']}"
    if material.get("source"):
        text += f"，出具单位：{material['source']}"
    return text + "。"


def _format_problems(material: Mapping[str, Any], got: ProvidedMaterial) -> list[Problem]:
    name = str(material["name"])
    out: list[Problem] = []
    if got.provided_as == "exempt":
        # Only the catalogue makes a material exempt, and exempt ones are never required: a
        # required material declared exempt is a claim the entry does not back.
        out.append(
            Problem(
                name,
                "exempt_not_allowed",
                f"“{name}”不属于本事项的免提交材料，请按要求提交"
                + (f"（{_need_text(material)}）" if _need_text(material) else "")
                + "。",
            )
        )
        return out
    if got.provided_as == "e_licence":
        if got.licence_verified:
            return out  # fetched from the e-licence library: nothing to count
        number = f"（证照编号：{got.licence_no}）" if got.licence_no else "（未填写证照编号）"
        out.append(
            Problem(
                name,
                "licence_unverified",
                f"“{name}”申报以电子证照提供{number}，电子证照库中未核验到您本人有效的该证照，"
                "请提交" + (_need_text(material) or "纸质材料") + "，由窗口查验。",
            )
        )
        return out
    if got.provided_as == "upload":
        if not got.file_ok:
            out.append(
                Problem(name, "file", f"“{name}”的上传文件不存在、不属于本人或已超过复用有效期，请重新上传。")
            )
        allowed = list(material.get("media") or [])
        if allowed and "electronic" not in allowed:
            names = "、".join(MEDIA_NAMES.get(m, m) for m in allowed)
            out.append(Problem(name, "medium", f"“{name}”须提交{names}，不接受电子版。"))
        return out
    allowed = list(material.get("media") or [])
    bad = [m for m in got.media if allowed and m not in allowed]
    if bad:
        names = "、".join(MEDIA_NAMES.get(m, m) for m in allowed)
        out.append(Problem(name, "medium", f"“{name}”的介质应为{names}。"))
    need_orig = int(material.get("originals") or 0)
    need_copy = int(material.get("copies") or 0)
    if got.originals < need_orig:
        out.append(Problem(name, "originals", f"“{name}”原件应为{need_orig}份，实收{got.originals}份。"))
    if got.copies < need_copy:
        out.append(Problem(name, "copies", f"“{name}”复印件应为{need_copy}份，实收{got.copies}份。"))
    return out
