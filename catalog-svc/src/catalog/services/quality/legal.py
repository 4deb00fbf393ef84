"""Checks of the legal basis (law, article, text)."""

from __future__ import annotations

from ...schemas.elements import ItemElements, LegalBasis
from .results import Collector
from .rules import ARTICLE_RE, VAGUE_LAW_RE, blank


def check_basis(c: Collector, path: str, basis: LegalBasis) -> None:
    if VAGUE_LAW_RE.match(basis.law) or basis.law.strip() in ("无", "暂无", "/"):
        c.error(
            "legal_basis.law_vague",
            f"{path}.law",
            f"设定依据“{basis.law}”没有写明法律法规名称",
            "写明法律、法规或文件的全称，如《上海市老年人权益保障条例》",
        )
    if blank(basis.article):
        c.error(
            "legal_basis.article",
            f"{path}.article",
            "设定依据未写明条款号",
            "写明引用的条、款、项，如“第三十二条”",
        )
    elif basis.article is not None and not ARTICLE_RE.search(basis.article):
        c.warning(
            "legal_basis.article_format",
            f"{path}.article",
            f"设定依据条款号“{basis.article}”格式不规范",
            "写成“第×条第×款”的形式",
        )
    if blank(basis.text):
        c.error("legal_basis.text", f"{path}.text", "设定依据未引用条款内容", "引用所依据条款的具体内容")


def check_legal_basis(c: Collector, el: ItemElements) -> None:
    if not el.legal_basis:
        c.error(
            "legal_basis.missing",
            "legal_basis",
            "未标注设定依据",
            "写明依据的法律、法规、文件名称，条款号和条款内容",
        )
    for i, basis in enumerate(el.legal_basis):
        check_basis(c, f"legal_basis[{i}]", basis)
