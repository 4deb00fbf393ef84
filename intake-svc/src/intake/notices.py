"""Printable Chinese notices (HTML): the one-time notice (一次性告知书), the acceptance notice
(受理通知书) and the revocation notice (撤销受理决定书). Every value is HTML-escaped."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from yiwang_shared.calendar import local_date

from .application_models import Notice

TITLES = {
    "correction": "补正材料一次性告知书",
    "acceptance": "受理通知书",
    "revocation": "撤销受理决定书",
}

_STYLE = (
    "body{font-family:'SimSun','Songti SC',serif;max-width:720px;margin:2em auto;line-height:1.8}"
    "h1{text-align:center;font-size:22px}.no{text-align:right}table{border-collapse:collapse;"
    "width:100%}td,th{border:1px solid #000;padding:4px 8px;text-align:left}"
    ".sign{text-align:right;margin-top:3em}@media print{body{margin:0}}"
)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _date(value: str | None) -> str:
    if not value:
        return ""
    d = local_date(datetime.fromisoformat(value)) if "T" in value else datetime.fromisoformat(value).date()
    return f"{d.year}年{d.month}月{d.day}日"


def _body(notice: Notice) -> str:
    c = notice.content
    head = (
        f"<p>{_e(c.get('applicant_name'))}：</p>"
        f"<p>您于{_e(_date(c.get('received_at')))}提交的“{_e(c.get('item_name'))}”申请"
        f"（申请编号：{_e(c.get('application_no'))}）"
    )
    if notice.kind == "correction":
        rows = "".join(
            f"<tr><td>{i}</td><td>{_e(p.get('material'))}</td><td>{_e(p.get('message'))}</td></tr>"
            for i, p in enumerate(c.get("problems", []), start=1)
        )
        return (
            head + "，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》"
            "第三十二条，现一次性告知您需要补正的全部内容如下：</p>"
            f"<table><tr><th>序号</th><th>材料名称</th><th>补正内容</th></tr>{rows}</table>"
            f"<p>请于{_e(_date(c.get('correct_by')))}前补正后重新提交。补正材料齐全后，"
            "我们将依法受理。</p>"
        )
    if notice.kind == "acceptance":
        owed = c.get("deficiencies") or []
        extra = ""
        if owed:
            items = "、".join(_e(p.get("material")) for p in owed)
            extra = f"<p>本件为容缺受理，请在规定期限内补齐以下材料：{items}。逾期未补齐的，将撤销受理。</p>"
        deemed = "（逾期未告知补正，依法自收到申请材料之日起视为受理）" if c.get("deemed") else ""
        return (
            head + f"，经审查，申请材料齐全、符合法定形式，决定予以受理{deemed}。</p>"
            f"<p>受理日期：{_e(_date(c.get('accepted_on')))}</p>"
            f"<p>承诺办结日期：{_e(_date(c.get('due_on')))}（按工作日计算，法定节假日除外；"
            "听证、检验、检测、鉴定和专家评审等特别程序所需时间不计算在内）</p>" + extra
        )
    return (
        head + f"，已于此前容缺受理。{_e(c.get('reason'))}。根据容缺受理承诺，现决定撤销受理。</p>"
        "<p>如对本决定不服，可依法申请行政复议或者提起行政诉讼。</p>"
    )


def render_notice(notice: Notice, unit_name: str | None) -> str:
    """The notice as a printable HTML page."""
    title = TITLES.get(notice.kind, "通知书")
    issued = local_date(notice.issued_at)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
        f'<h1>{_e(title)}</h1><p class="no">{_e(notice.number)}</p>'
        + _body(notice)
        + f'<p class="sign">{_e(unit_name or "")}<br>{issued.year}年{issued.month}月{issued.day}日</p>'
        "</body></html>"
    )
