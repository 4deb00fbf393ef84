"""The citizen guide (办事指南), rendered from an implementation entry.

* `guide_json(elements, meta)` — a front-end-friendly dict: every field of `ItemElements` under
  its own name, every code as ``{"code": …, "label": …}`` with the Chinese label from the code
  tables in `catalog.schemas.elements`, time limits with a ready-made ``text`` ("20个工作日",
  "当场办结"), plus ``meta`` (code, basic_code, version_no, published_at, unit_name …).
* `guide_html(elements, meta)` — a complete, printable Chinese HTML page. Every value is
  HTML-escaped; only http(s) URLs become links (anything else is shown as text, never as an
  ``href``). A "演示数据" banner is shown when ``elements.demo``.

Pure code: no database, no web framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from html import escape
from typing import Any

from catalog.schemas.elements import (
    COMMUNITY_KINDS,
    DECISION_RULES,
    HANDLING_FORMS,
    HANDLING_TYPES,
    ITEM_TYPES,
    LEVELS,
    LIMIT_UNITS,
    MEDIA,
    ONLINE_DEPTHS,
    POWER_SOURCES,
    PROCESS_STEPS,
    SERVICE_OBJECTS,
    SPECIAL_STEPS,
    ItemElements,
    Material,
    TimeLimit,
)
from catalog.services.quality import valid_http_url

REQUIREMENTS: dict[str, str] = {"required": "必要", "conditional": "情形材料"}
META_KEYS = ("code", "basic_code", "version_no", "status", "published_at", "unit_name", "unit_code")


def _coded(table: Mapping[Any, str], code: Any) -> dict[str, Any] | None:
    if code is None:
        return None
    return {"code": code, "label": table.get(code, str(code))}


def limit_text(limit: TimeLimit | None) -> str:
    """Chinese text of a time limit: "当场办结", "20个工作日", "2小时"; "" when absent."""
    if limit is None:
        return ""
    if limit.value == 0:
        return "当场办结"
    unit = LIMIT_UNITS[limit.unit]
    return f"{limit.value}{'个' if limit.unit != 'hour' else ''}{unit}"


def _limit(limit: TimeLimit | None) -> dict[str, Any] | None:
    if limit is None:
        return None
    return {
        "value": limit.value,
        "unit": _coded(LIMIT_UNITS, limit.unit),
        "note": limit.note,
        "on_the_spot": limit.value == 0,
        "text": limit_text(limit),
    }


def visits_text(visits: int | None) -> str:
    if visits is None:
        return ""
    return "零跑动（0次）" if visits == 0 else f"{visits}次"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _material(m: Material) -> dict[str, Any]:
    return {
        "name": m.name,
        "source": m.source,
        "originals": m.originals,
        "copies": m.copies,
        "media": [_coded(MEDIA, x) for x in m.media],
        "requirement": _coded(REQUIREMENTS, m.requirement),
        "condition": m.condition,
        "blank_form_url": m.blank_form_url,
        "sample_form_url": m.sample_form_url,
        "exempt": m.exempt,
        "exempt_source": m.exempt_source,
        "licence_type_code": m.licence_type_code,
        "notes": m.notes,
    }


def place_text(elements: ItemElements) -> str:
    p = elements.place
    if p is None:
        return ""
    if not p.address:
        return "".join(x for x in (p.street, p.number, p.room) if x)
    extras = "".join(x for x in (p.street, p.number, p.room) if x and x not in p.address)
    return f"{p.address}（{extras}）" if extras else p.address


def guide_json(elements: ItemElements, meta: Mapping[str, Any]) -> dict[str, Any]:
    """The guide as JSON-ready data; every element of `ItemElements` appears under its name."""
    el = elements
    meta_out: dict[str, Any] = {k: _json_value(v) for k, v in meta.items()}
    for key in META_KEYS:
        meta_out.setdefault(key, None)
    if meta_out["unit_name"] is None:
        meta_out["unit_name"] = el.implementing_unit.name
    if meta_out["unit_code"] is None:
        meta_out["unit_code"] = el.implementing_unit.code
    place = el.place
    return {
        "meta": meta_out,
        "demo": el.demo,
        "name": el.name,
        "item_type": _coded(ITEM_TYPES, el.item_type),
        "implementing_unit": el.implementing_unit.model_dump(),
        "level": _coded(LEVELS, el.level),
        "power_source": _coded(POWER_SOURCES, el.power_source),
        "legal_basis": [b.model_dump() for b in el.legal_basis],
        "handling_type": _coded(HANDLING_TYPES, el.handling_type),
        "legal_limit": _limit(el.legal_limit),
        "promised_limit": _limit(el.promised_limit),
        "service_objects": [_coded(SERVICE_OBJECTS, x) for x in el.service_objects],
        "handling_forms": [_coded(HANDLING_FORMS, x) for x in el.handling_forms],
        "place": None if place is None else {**place.model_dump(), "text": place_text(el)},
        "hours": el.hours,
        "enquiry_phone": el.enquiry_phone,
        "supervision_phone": el.supervision_phone,
        "acceptance_conditions": el.acceptance_conditions,
        "quantity_limit": el.quantity_limit,
        "special_steps": [
            {
                "kind": _coded(SPECIAL_STEPS, s.kind),
                "description": s.description,
                "time_limit": _limit(s.time_limit),
            }
            for s in el.special_steps
        ],
        "no_special_steps": el.no_special_steps,
        "materials": [_material(m) for m in el.materials],
        "process": [
            {
                "step": _coded(PROCESS_STEPS, s.step),
                "actor": s.actor,
                "time_limit": _limit(s.time_limit),
                "description": s.description,
            }
            for s in el.process
        ],
        "process_chart_url": el.process_chart_url,
        "visits": el.visits,
        "visits_text": visits_text(el.visits),
        "visits_reason": el.visits_reason,
        "fees": {
            "charged": el.fees.charged,
            "label": "收费" if el.fees.charged else "不收费",
            "items": [i.model_dump() for i in el.fees.items],
        },
        "online_depth": _coded(ONLINE_DEPTHS, el.online_depth),
        "appointment_supported": el.appointment_supported,
        "online_payment_supported": el.online_payment_supported,
        "post_delivery_supported": el.post_delivery_supported,
        "faq": [f.model_dump() for f in el.faq],
        "result": el.result.model_dump(),
        "commitment": None if el.commitment is None else el.commitment.model_dump(),
        "auto_approval": None
        if el.auto_approval is None
        else {
            "version": el.auto_approval.version,
            "rules": [
                {"kind": _coded(DECISION_RULES, r.kind), "value": r.value} for r in el.auto_approval.rules
            ],
        },
        "proactive": None if el.proactive is None else el.proactive.model_dump(),
        "community_kind": _coded(COMMUNITY_KINDS, el.community_kind),
        "keywords": list(el.keywords),
        "themes": list(el.themes),
    }


# --------------------------------------------------------------------------------------------
# HTML

_CSS = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "SimSun", sans-serif;
       margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; line-height: 1.6; }
h1 { font-size: 1.6em; text-align: center; margin-bottom: .2em; }
.subtitle { text-align: center; color: #555; margin-top: 0; }
h2 { font-size: 1.2em; border-left: 4px solid #b22; padding-left: .5em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
th, td { border: 1px solid #999; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; white-space: nowrap; }
table.kv th { width: 10em; }
.demo { border: 2px dashed #c60; background: #fff4e5; color: #a40; padding: .5em 1em;
        font-weight: bold; text-align: center; }
.exempt { color: #080; font-weight: bold; }
.muted { color: #777; }
ol.process li { margin-bottom: .4em; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " (" attr(href) ")"; font-size: 8pt; word-break: break-all; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  .demo { border-color: #000; color: #000; background: none; }
}
"""

_NONE = '<span class="muted">未填写</span>'


def _e(value: Any) -> str:
    """Escape any value for HTML text or attribute context."""
    return escape("" if value is None else str(value), quote=True)


def _v(value: Any) -> str:
    """An escaped value, or a muted "未填写" when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _NONE
    return _e(value).replace("\n", "<br>")


def _link(url: str | None, text: str) -> str:
    """A link for http(s) URLs only; anything else is shown as (escaped) text."""
    if not url or not url.strip():
        return _NONE
    if valid_http_url(url):
        return f'<a href="{_e(url.strip())}" rel="noopener noreferrer" target="_blank">{_e(text)}</a>'
    return f'{_e(url)} <span class="muted">（链接无效）</span>'


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _kv(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="kv"><tbody>{body}</tbody></table>'


def _labels(table: Mapping[Any, str], codes: Iterable[Any]) -> str:
    text = "、".join(table.get(c, str(c)) for c in codes)
    return _v(text)


def _limit_html(limit: TimeLimit | None) -> str:
    if limit is None:
        return _NONE
    note = f"（{_e(limit.note)}）" if limit.note else ""
    return _e(limit_text(limit)) + note


def _materials_html(el: ItemElements) -> str:
    if not el.materials:
        return f"<p>{_NONE}</p>"
    head = (
        "<tr><th>序号</th><th>材料名称</th><th>来源/出具单位</th><th>原件</th><th>复印件</th>"
        "<th>介质</th><th>必要性</th><th>空表</th><th>样表</th><th>备注</th></tr>"
    )
    rows = []
    for i, m in enumerate(el.materials, start=1):
        requirement = _e(REQUIREMENTS[m.requirement])
        if m.requirement == "conditional":
            requirement += f"：{_v(m.condition)}"
        notes = _e(m.notes) if m.notes else ""
        if m.exempt:
            notes = f'<span class="exempt">免提交</span>（{_v(m.exempt_source)}）' + (
                f"；{notes}" if notes else ""
            )
        elif m.licence_type_code:
            notes = '<span class="exempt">电子证照库已有的无需提交</span>' + (f"；{notes}" if notes else "")
        rows.append(
            "<tr>"
            f"<td>{i}</td>"
            f"<td>{_e(m.name)}</td>"
            f"<td>{_v(m.source)}</td>"
            f"<td>{m.originals}份</td>"
            f"<td>{m.copies}份</td>"
            f"<td>{_labels(MEDIA, m.media)}</td>"
            f"<td>{requirement}</td>"
            f"<td>{_link(m.blank_form_url, '下载空表') if m.blank_form_url else '—'}</td>"
            f"<td>{_link(m.sample_form_url, '下载样表') if m.sample_form_url else '—'}</td>"
            f"<td>{notes or '—'}</td>"
            "</tr>"
        )
    return f'<table class="materials"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _process_html(el: ItemElements) -> str:
    if not el.process:
        steps = f"<p>{_NONE}</p>"
    else:
        items = []
        for s in el.process:
            parts = [f"<strong>{_e(PROCESS_STEPS[s.step])}</strong>"]
            parts.append(f"办理人员：{_v(s.actor)}")
            parts.append(f"时限：{_limit_html(s.time_limit)}")
            if s.description:
                parts.append(_e(s.description))
            items.append(f"<li>{'；'.join(parts)}</li>")
        steps = f'<ol class="process">{"".join(items)}</ol>'
    chart = f"<p>流程图：{_link(el.process_chart_url, '查看办理流程图')}</p>"
    return steps + chart


def _special_html(el: ItemElements) -> str:
    if not el.special_steps:
        return f"<p>{'无特殊环节' if el.no_special_steps else _NONE}</p>"
    rows = "".join(
        f"<tr><td>{_e(SPECIAL_STEPS[s.kind])}</td><td>{_v(s.description)}</td>"
        f"<td>{_limit_html(s.time_limit)}</td></tr>"
        for s in el.special_steps
    )
    return (
        '<table class="special"><thead><tr><th>环节</th><th>内容</th><th>时限</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _fees_html(el: ItemElements) -> str:
    if not el.fees.charged and not el.fees.items:
        return "<p>不收费</p>"
    rows = "".join(
        f"<tr><td>{_e(i.name)}</td><td>{_v(i.standard)}</td><td>{_v(i.basis)}</td></tr>"
        for i in el.fees.items
    )
    label = "收费" if el.fees.charged else "不收费"
    return (
        f"<p>{label}</p>"
        '<table class="fees"><thead><tr><th>收费项目</th><th>收费标准</th><th>收费依据</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _ways_html(el: ItemElements) -> str:
    """告知承诺, 秒批 and 免申即享, as the applicant reads them."""
    parts = []
    if el.commitment is not None:
        replaced = "、".join(el.commitment.replaces)
        parts.append(
            f"<p><strong>告知承诺制：</strong>签署告知承诺书即可免交{_e(replaced)}，当场作出决定；"
            f"作出决定后{el.commitment.post_check_days}个工作日内核查，承诺不实的撤销决定并记入信用记录。</p>"
            f"<blockquote>{_e(el.commitment.text)}</blockquote>"
        )
    if el.auto_approval is not None:
        rules = "；".join(f"{DECISION_RULES[r.kind]}：{_e(r.value)}" for r in el.auto_approval.rules)
        parts.append(
            f"<p><strong>秒批：</strong>以下条件经数据核验全部符合的，提交即自动作出准予决定"
            f"（规则第{el.auto_approval.version}版）：{rules}。不符合的转人工审核。</p>"
        )
    if el.proactive is not None:
        parts.append(
            f"<p><strong>免申即享：</strong>年满{el.proactive.min_age}周岁的本区户籍居民无需申请，"
            "系统将短信邀请本人确认领取方式。</p>"
        )
    return "".join(parts) or f"<p>{_NONE}</p>"


def _basis_html(el: ItemElements) -> str:
    if not el.legal_basis:
        return f"<p>{_NONE}</p>"
    items = "".join(
        f"<li><strong>{_e(b.law)}</strong> {_v(b.article)}<blockquote>{_v(b.text)}</blockquote></li>"
        for b in el.legal_basis
    )
    return f'<ol class="basis">{items}</ol>'


def _faq_html(el: ItemElements) -> str:
    if not el.faq:
        return f"<p>{_NONE}</p>"
    items = "".join(f"<dt>问：{_e(f.question)}</dt><dd>答：{_v(f.answer)}</dd>" for f in el.faq)
    return f'<dl class="faq">{items}</dl>'


def guide_html(elements: ItemElements, meta: Mapping[str, Any]) -> str:
    """A complete printable HTML page of the guide (UTF-8, zh-CN); every value escaped."""
    el = elements
    m = guide_json(el, meta)["meta"]
    unit = el.implementing_unit
    title = f"{el.name} 办事指南"
    banner = (
        '<div class="demo" role="note">演示数据：本页部分内容为虚构示例，不作为办事依据</div>'
        if el.demo
        else ""
    )
    subtitle = _subtitle(m)
    body = "".join(f"<section><h2>{_e(h)}</h2>{content}</section>" for h, content in _sections(el, m))
    return (
        "<!doctype html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{banner}<header><h1>{_e(title)}</h1>"
        f'<p class="subtitle">{_e(unit.name)}{"　" + subtitle if subtitle else ""}</p></header>\n'
        f"<main>{body}</main>\n</body>\n</html>\n"
    )


def _subtitle(m: Mapping[str, Any]) -> str:
    """Code, version and publication time, those that are known."""
    subtitle_parts = [f"事项编码：{_e(m['code'])}" if m["code"] else ""]
    if m["version_no"] is not None:
        subtitle_parts.append(f"版本：{_e(m['version_no'])}")
    if m["published_at"]:
        subtitle_parts.append(f"发布时间：{_e(m['published_at'])}")
    return "　".join(p for p in subtitle_parts if p)


def _basic_html(el: ItemElements, m: Mapping[str, Any]) -> str:
    """The basic information table."""
    unit = el.implementing_unit
    return _kv(
        [
            ("事项名称", _e(el.name)),
            ("事项类型", _e(ITEM_TYPES[el.item_type])),
            ("基本编码", _v(m["basic_code"])),
            ("实施编码", _v(m["code"])),
            ("实施主体", _e(unit.name)),
            ("统一社会信用代码", _v(unit.uscc)),
            ("行使层级", _e(LEVELS[el.level])),
            (
                "社区事项类别",
                _v(COMMUNITY_KINDS.get(el.community_kind or "", "")) if el.community_kind else "—",
            ),
            ("权力来源", _v(POWER_SOURCES.get(el.power_source or "", None))),
            ("办件类型", _v(HANDLING_TYPES.get(el.handling_type or "", None))),
            ("法定办结时限", _limit_html(el.legal_limit)),
            ("承诺办结时限", _limit_html(el.promised_limit)),
            ("服务对象", _labels(SERVICE_OBJECTS, el.service_objects)),
            ("办理形式", _labels(HANDLING_FORMS, el.handling_forms)),
            ("数量限制", _v(el.quantity_limit)),
            ("关键词", _v("、".join(el.keywords))),
            ("主题分类", _v("、".join(el.themes))),
        ]
    )


def _sections(el: ItemElements, m: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The guide's sections in order: (heading, HTML)."""
    place_time = _kv(
        [
            ("办理地点", _v(place_text(el))),
            ("办理时间", _v(el.hours)),
        ]
    )
    phones = _kv([("咨询电话", _v(el.enquiry_phone)), ("监督投诉电话", _v(el.supervision_phone))])
    visits = _kv(
        [
            ("到办事现场次数", _v(visits_text(el.visits))),
            ("需到现场的原因", _v(el.visits_reason) if el.visits else "—"),
        ]
    )
    online = _kv(
        [
            ("网办深度", _v(ONLINE_DEPTHS.get(el.online_depth or "", None))),
            ("网上预约", _yes_no(el.appointment_supported)),
            ("网上支付", _yes_no(el.online_payment_supported)),
            ("物流快递送达", _yes_no(el.post_delivery_supported)),
        ]
    )
    result = _kv(
        [
            ("结果名称", _v(el.result.name)),
            ("结果样本", _link(el.result.sample_url, "查看结果样本")),
        ]
    )
    return [
        ("基本信息", _basic_html(el, m)),
        ("设定依据", _basis_html(el)),
        ("受理条件", f"<p>{_v(el.acceptance_conditions)}</p>"),
        ("申请材料", _materials_html(el)),
        ("办理流程", _process_html(el)),
        ("特殊环节", _special_html(el)),
        ("收费", _fees_html(el)),
        ("便民办理方式", _ways_html(el)),
        ("办理地点和时间", place_time),
        ("咨询和监督电话", phones),
        ("到现场次数", visits),
        ("网办深度", online),
        ("常见问题", _faq_html(el)),
        ("办理结果", result),
    ]
