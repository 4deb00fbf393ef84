"""Checks of the application materials: names, requirements, sources, media, counts and forms."""

from __future__ import annotations

from collections import Counter

from ...schemas.elements import ItemElements, Material
from .results import Collector
from .rules import VAGUE_TERMS, blank, catch_all, compound, is_form, valid_http_url


def check_material(c: Collector, i: int, m: Material) -> None:
    """The checks of one material: its wording, then (unless exempt) source, media and forms."""
    path = f"materials[{i}]"
    _check_wording(c, path, m)
    if m.exempt:
        if blank(m.exempt_source):
            c.error(
                "materials.exempt_source",
                f"{path}.exempt_source",
                f"材料“{m.name}”标为免提交，但未说明从何处获取",
                "写明获取途径，如“电子证照库”“数据共享”",
            )
        return
    _check_source_and_media(c, path, m)
    _check_forms(c, path, m)


def _check_wording(c: Collector, path: str, m: Material) -> None:
    """The name (catch-all, compound), the notes (vague) and the condition of a conditional one."""
    term = catch_all(m.name)
    if term is not None:
        c.error(
            "materials.name.catch_all",
            f"{path}.name",
            f"材料名称“{m.name}”含有兜底性用语“{term}”",
            "逐项列明具体材料名称，不使用“其他材料”“相关材料”等兜底表述",
        )
    elif compound(m.name):
        c.warning(
            "materials.name.compound",
            f"{path}.name",
            f"材料名称“{m.name}”包含多项材料",
            "拆分为最小颗粒度的单项材料；可选其一的材料分别列出并写明情形",
        )
    if m.notes and any(t in m.notes for t in VAGUE_TERMS):
        c.warning(
            "materials.notes.vague",
            f"{path}.notes",
            f"材料“{m.name}”的要求含有模糊表述",
            "写明具体要求，不使用“按规定”“视情况”等表述",
        )
    if m.requirement == "conditional" and blank(m.condition):
        c.error(
            "materials.condition",
            f"{path}.condition",
            f"材料“{m.name}”为情形材料，但未说明在什么情形下提交",
            "写明需要提交该材料的情形",
        )


def _check_source_and_media(c: Collector, path: str, m: Material) -> None:
    """Where the material comes from, its media and how many originals and copies."""
    if blank(m.source):
        c.error(
            "materials.source",
            f"{path}.source",
            f"材料“{m.name}”未注明来源或出具单位",
            "写明出具单位，如“户口所在地派出所”；申请人自备的写“申请人自备”",
        )
    if not m.media:
        c.error(
            "materials.media",
            f"{path}.media",
            f"材料“{m.name}”未注明介质要求",
            "注明原件、复印件或电子版",
        )
    else:
        missing_counts = []
        if "original" in m.media and m.originals == 0:
            missing_counts.append("原件")
        if "copy" in m.media and m.copies == 0:
            missing_counts.append("复印件")
        if missing_counts:
            c.error(
                "materials.quantity",
                f"{path}.{'originals' if missing_counts[0] == '原件' else 'copies'}",
                f"材料“{m.name}”未注明{'、'.join(missing_counts)}份数",
                "注明原件和复印件各需几份",
            )
        if (m.originals > 0 and "original" not in m.media) or (m.copies > 0 and "copy" not in m.media):
            c.warning(
                "materials.media_count_mismatch",
                f"{path}.media",
                f"材料“{m.name}”的份数与介质要求不一致",
                "份数大于 0 的介质应列入介质要求",
            )


def _check_forms(c: Collector, path: str, m: Material) -> None:
    """A form's blank and sample downloads, and that every link given is a web address."""
    if is_form(m.name):
        if blank(m.blank_form_url):
            c.error(
                "materials.blank_form",
                f"{path}.blank_form_url",
                f"表格“{m.name}”未提供空白表格下载",
                "上传空白表格并提供下载链接",
            )
        if blank(m.sample_form_url):
            c.error(
                "materials.sample_form",
                f"{path}.sample_form_url",
                f"表格“{m.name}”未提供示例样表下载",
                "上传填写示范样表并提供下载链接",
            )
    for attr, label in (("blank_form_url", "空白表格"), ("sample_form_url", "示例样表")):
        url = getattr(m, attr)
        if not blank(url) and not valid_http_url(url):
            c.error(
                f"materials.{attr}.invalid",
                f"{path}.{attr}",
                f"材料“{m.name}”的{label}链接无效",
                "提供以 http:// 或 https:// 开头的有效下载地址",
            )
    if not blank(m.blank_form_url) and m.blank_form_url == m.sample_form_url:
        c.warning(
            "materials.sample_form.same_as_blank",
            f"{path}.sample_form_url",
            f"材料“{m.name}”的样表与空表链接相同",
            "样表应为填写示范，与空白表格分别提供",
        )


def check_materials(c: Collector, el: ItemElements) -> None:
    if not el.materials:
        c.warning(
            "materials.missing",
            "materials",
            "未列明申请材料",
            "列明申请材料；零材料提交的事项请列出免提交材料及获取途径",
        )
    for i, m in enumerate(el.materials):
        check_material(c, i, m)
    counts = Counter(m.name.strip() for m in el.materials)
    for name, n in counts.items():
        if n > 1:
            first = next(i for i, m in enumerate(el.materials) if m.name.strip() == name)
            c.warning(
                "materials.duplicate",
                f"materials[{first}].name",
                f"材料“{name}”重复列出 {n} 次",
                "合并重复材料；不同情形的材料写明情形",
            )
