"""Printable Chinese documents of a case (HTML, A4): the one-time notice (补正材料一次性告知书),
the acceptance notice (受理通知书), the refusal to accept (不予受理通知书), the decisions (准予/不予
决定书), the revocation of acceptance (撤销受理决定书) and the closing for want of corrections
(逾期未补正终止办理通知书).

Each names its issuing authority and has a seal position (盖章处) over the signature, the handler
(经办人), the contact and supervision phones, and a receipt slip (签收) to cut off. The text is set
in Noto Serif SC, served with the notices (`/v1/fonts/`), so a machine without Chinese fonts still
prints Chinese and not boxes. Every value is HTML-escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from yiwang_shared.calendar import local_date

from ..models.applications import Notice

#: What a decision grants or refuses, by item type (事项类型): 01 许可, 05 给付, 07 确认.
DECISION_OBJECTS = {"01": "行政许可", "05": "给付", "07": "确认"}

TITLES = {
    "correction": "补正材料一次性告知书",
    "acceptance": "受理通知书",
    "revocation": "撤销受理决定书",
    "non_acceptance": "不予受理通知书",
    "correction_expired": "逾期未补正终止办理通知书",
    "decision_revocation": "撤销决定书",
}

#: The family the stylesheet at /v1/fonts/noto-serif-sc.css declares; system fonts only after it.
FONT_STACK = "'Noto Serif SC','Noto Serif CJK SC','Songti SC','SimSun',serif"

_STYLE = (
    "@page{size:A4;margin:25mm 22mm}"
    f"body{{font-family:{FONT_STACK};max-width:720px;margin:2em auto;line-height:1.9;font-size:16px;"
    "color:#000}"
    "h1{text-align:center;font-size:26px;letter-spacing:.1em;margin:0 0 .2em}"
    ".no{text-align:center;margin:0 0 1.5em}.to{margin:0}p.t{text-indent:2em;margin:.3em 0}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}"
    "td,th{border:1px solid #000;padding:4px 8px;text-align:left;vertical-align:top}"
    "th,td:first-child{white-space:nowrap}"
    ".sign{position:relative;margin:3em 0 1em auto;width:20em;text-align:center;min-height:9em}"
    ".seal{position:absolute;left:50%;top:-1.5em;width:8.5em;height:8.5em;margin-left:-4.25em;"
    "border:1px dashed #999;border-radius:50%;color:#999;font-size:12px;display:flex;"
    "align-items:center;justify-content:center}"
    ".sign .who{position:relative;padding-top:2.5em}"
    ".meta{margin-top:1.5em;font-size:14px}.meta span{margin-right:2em}"
    ".receipt{margin-top:2.5em;border-top:1px dashed #000;padding-top:1em;font-size:14px}"
    ".receipt h2{text-align:center;font-size:18px;margin:.2em 0 .6em}"
    ".blank{display:inline-block;min-width:8em;border-bottom:1px solid #000}"
    ".short{min-width:3em}.note{font-size:13px;color:#333}"
    "@media print{body{margin:0;max-width:none}.seal{color:#bbb}}"
)


def title_of(notice: Notice) -> str:
    """The document's title (标题), e.g. 准予行政许可决定书."""
    if notice.kind in ("approval", "refusal"):
        granted = DECISION_OBJECTS.get(str(notice.content.get("item_type") or ""), "办理")
        return ("准予" if notice.kind == "approval" else "不予") + granted + "决定书"
    if notice.kind == "decision_revocation":
        granted = DECISION_OBJECTS.get(str(notice.content.get("item_type") or ""), "办理")
        return "撤销准予" + granted + "决定书"
    return TITLES.get(notice.kind, "通知书")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _date(value: str | None) -> str:
    if not value:
        return ""
    d = local_date(datetime.fromisoformat(value)) if "T" in value else datetime.fromisoformat(value).date()
    return f"{d.year}年{d.month}月{d.day}日"


def _p(text: str) -> str:
    return f'<p class="t">{text}</p>'


def _remedy(c: dict[str, Any], what: str) -> str:
    district = (c.get("authority") or {}).get("district")
    reviewer = f"{_e(district)}人民政府" if district else "有管辖权的行政复议机关"
    return _p(
        f"如对本{what}不服，可以自收到本{what}之日起六十日内向{reviewer}申请行政复议，"
        f"或者自收到本{what}之日起六个月内依法向人民法院提起行政诉讼。"
    )


def _basis_text(c: dict[str, Any]) -> str:
    cited = [str(b) for b in c.get("legal_basis") or []]
    return "、".join(_e(b) for b in cited)


def _head(c: dict[str, Any]) -> str:
    return (
        f'<p class="to">{_e(c.get("applicant_name"))}：</p>'
        f'<p class="t">您于{_e(_date(c.get("received_at")))}提交的“{_e(c.get("item_name"))}”申请'
        f"（申请编号：{_e(c.get('application_no'))}）"
    )


def _correction(c: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{i}</td><td>{_e(p.get('material'))}</td><td>{_e(p.get('message'))}</td></tr>"
        for i, p in enumerate(c.get("problems", []), start=1)
    )
    return (
        _head(c) + "，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》"
        "第三十二条，现一次性告知您需要补正的全部内容如下：</p>"
        f"<table><tr><th>序号</th><th>材料名称</th><th>补正内容</th></tr>{rows}</table>"
        + _p(
            f"请于{_e(_date(c.get('correct_by')))}前补正后重新提交。补正材料齐全、符合法定形式的，"
            "我们将依法受理。逾期未补正的，视为撤回申请，本机关将终止办理。"
        )
    )


def _acceptance(c: dict[str, Any]) -> str:
    owed = c.get("deficiencies") or []
    extra = ""
    if owed:
        items = "、".join(_e(p.get("material")) for p in owed)
        by = _date(c.get("deficiency_deadline"))
        extra = _p(
            f"本件为容缺受理，请于{_e(by) or '规定期限'}前补齐以下材料：{items}。逾期未补齐的，将撤销受理。"
        )
    deemed = "（逾期未告知补正，依法自收到申请材料之日起视为受理）" if c.get("deemed") else ""
    provisional = ""
    if c.get("provisional"):
        provisional = _p(
            "承诺办结日期所跨年度的法定节假日安排尚未公布，暂按周一至周五为工作日计算；"
            "安排公布后如有变化，将另行告知。"
        )
    to = c.get("owner_unit_name") or c.get("owner_unit_code")
    return (
        _head(c)
        + f"，经审查，申请材料齐全、符合法定形式，决定予以受理{deemed}。</p>"
        + _p(f"受理日期：{_e(_date(c.get('accepted_on')))}")
        + _p(
            f"承诺办结日期：{_e(_date(c.get('due_on')))}（按工作日计算，法定节假日除外；"
            "听证、检验、检测、鉴定和专家评审等特别程序所需时间不计算在内）"
        )
        + (_p(f"本件由{_e(to)}审查决定。") if to else "")
        + extra
        + provisional
    )


def _non_acceptance(c: dict[str, Any]) -> str:
    cited = c.get("cited_basis")
    basis = f"根据{_e(cited)}，" if cited else ""
    elsewhere = c.get("competent_authority")
    return (
        _head(c)
        + f"，经审查，{_e(c.get('reasons'))}。{basis}决定不予受理。</p>"
        + (_p(f"请您向{_e(elsewhere)}提出申请。") if elsewhere else "")
        + _remedy(c, "决定")
    )


def _sentence(text: Any) -> str:
    """An escaped sentence that ends with 。 (reasons are typed with or without it)."""
    t = _e(text).strip().rstrip("。；;.")
    return t + "。" if t else ""


def _decision(notice: Notice, c: dict[str, Any]) -> str:
    granted = DECISION_OBJECTS.get(str(c.get("item_type") or ""), "办理")
    basis = _basis_text(c)
    by_law = f"根据{basis}，" if basis else ""
    accepted = f"（受理编号：{_e(c.get('acceptance_no'))}）" if c.get("acceptance_no") else ""
    head = (
        f'<p class="to">{_e(c.get("applicant_name"))}：</p>'
        f'<p class="t">您于{_e(_date(c.get("received_at")))}提交的“{_e(c.get("item_name"))}”申请'
        f"（申请编号：{_e(c.get('application_no'))}）{accepted}"
    )
    if notice.kind == "approval":
        result = c.get("result") or {}
        issued = f"现发给“{_e(result.get('name'))}”。" if result.get("name") else ""
        return (
            head
            + f"，经审查，符合法定条件、标准。{by_law}决定准予{granted}。"
            + _sentence(c.get("reasons"))
            + issued
            + "</p>"
            + _p("办理结果将按您选择的方式送达；窗口领取的，请持本人有效身份证件领取。")
        )
    return (
        head
        + "，经审查，"
        + (_sentence(c.get("reasons")) or "不符合法定条件、标准。")
        + f"{by_law}决定不予{granted}。</p>"
        + _remedy(c, "决定")
    )


def _revocation(c: dict[str, Any]) -> str:
    return (
        _head(c)
        + f"，已于此前容缺受理。{_e(c.get('reason'))}。根据容缺受理承诺，现决定撤销受理。</p>"
        + _remedy(c, "决定")
    )


def _decision_revocation(c: dict[str, Any]) -> str:
    granted = DECISION_OBJECTS.get(str(c.get("item_type") or ""), "办理")
    decided = f"（{_e(c.get('decision_no'))}）" if c.get("decision_no") else ""
    result = (c.get("result") or {}).get("name")
    issued = f"，“{_e(result)}”同时作废" if result else ""
    return (
        _head(c)
        + f"，本机关依照告知承诺制，根据您签署的告知承诺书作出了准予{granted}决定{decided}。"
        + f"{_sentence(c.get('reason'))}根据告知承诺制的规定，现决定撤销该准予{granted}决定{issued}。</p>"
        + _p("您的不实承诺已记入信用记录，此后申请不再适用告知承诺制。")
        + _remedy(c, "决定")
    )


def _correction_expired(c: dict[str, Any]) -> str:
    return (
        _head(c)
        + f"，本机关已于此前出具补正材料一次性告知书（{_e(c.get('correction_notice_no'))}），"
        + f"告知您于{_e(_date(c.get('correct_by')))}前补正。您未在期限内补正，视为撤回申请，现终止办理。</p>"
        + _p("如仍需办理，请备齐材料后重新提出申请。")
    )


def _body(notice: Notice) -> str:
    c = notice.content
    if notice.kind == "correction":
        return _correction(c)
    if notice.kind == "acceptance":
        return _acceptance(c)
    if notice.kind == "non_acceptance":
        return _non_acceptance(c)
    if notice.kind in ("approval", "refusal"):
        return _decision(notice, c)
    if notice.kind == "correction_expired":
        return _correction_expired(c)
    if notice.kind == "decision_revocation":
        return _decision_revocation(c)
    return _revocation(c)


def _signature(c: dict[str, Any], unit_name: str | None, issued: str) -> str:
    authority = c.get("authority") or {}
    name = authority.get("name") or unit_name or ""
    entrusted = authority.get("entrusted_by")
    by = f"<br>（受{_e(entrusted)}委托）" if entrusted else ""
    return (
        '<div class="sign"><div class="seal">（盖章处）</div>'
        f'<div class="who">{_e(name)}{by}<br>{_e(issued)}</div></div>'
    )


def _meta(c: dict[str, Any], handler: str | None) -> str:
    who = handler or c.get("handler_name")
    handler_text = (
        _e(who) if who else ('<span class="blank"></span>' if c.get("handler_id") else "系统自动出具")
    )
    parts = [f"<span>经办人：{handler_text}</span>"]
    if c.get("contact_phone"):
        parts.append(f"<span>联系电话：{_e(c['contact_phone'])}</span>")
    if c.get("supervision_phone"):
        parts.append(f"<span>监督电话：{_e(c['supervision_phone'])}</span>")
    return '<div class="meta">' + "".join(parts) + "</div>"


def _receipt(title: str, number: str) -> str:
    return (
        '<div class="receipt"><h2>签收回执</h2>'
        f"<p>本人已收到《{_e(title)}》（{_e(number)}）。</p>"
        '<p>签收人：<span class="blank"></span>　　签收日期：<span class="blank short"></span>年'
        '<span class="blank short"></span>月<span class="blank short"></span>日</p>'
        '<p class="note">（以短信或网上方式送达的，以系统送达记录为准；本回执由经办单位留存归档。）</p></div>'
    )


def render_notice(
    notice: Notice, unit_name: str | None, *, font_css: str, handler_name: str | None = None
) -> str:
    """The document as a printable A4 HTML page; `font_css` is where the web font's stylesheet is
    (as the caller reaches it), `handler_name` the handler when the document did not record it."""
    title = title_of(notice)
    issued = local_date(notice.issued_at)
    issued_text = f"{issued.year}年{issued.month}月{issued.day}日"
    c = notice.content
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<title>{_e(title)}</title><link rel="stylesheet" href="{_e(font_css)}">'
        f"<style>{_STYLE}</style></head><body>"
        f'<h1>{_e(title)}</h1><p class="no">{_e(notice.number)}</p>'
        + _body(notice)
        + _signature(c, unit_name, issued_text)
        + _meta(c, handler_name)
        + _receipt(title, notice.number)
        + "</body></html>"
    )
