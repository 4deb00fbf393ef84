"""Building blocks of the demo catalogue (pure data, no I/O): units, places, phones, and helpers
that build element documents (`catalog.schemas.elements.ItemElements` as dicts).

Used by `catalog.demo.community` (the 25 real community items) and `catalog.demo.data` (district
and street items). Every phone, address, window, form link and time limit here is invented for
the demo (演示); the unit names are those of identity-svc's demo tree.
"""

from __future__ import annotations

import zlib
from typing import Any

from yiwang_shared.validators import uscc_check_char

DISTRICT = "110105"

#: Departments of identity-svc's demo tree (identity/demo.py): code → name.
DEPARTMENTS: dict[str, str] = {
    "MZJ": "区民政局",
    "RSJ": "区人力社保局",
    "WJW": "区卫生健康委",
    "ZWGLJ": "区政务服务管理局",
}
#: Departments the demo catalogue needs that identity's demo tree does not (yet) have.
EXTRA_DEPARTMENTS: dict[str, str] = {
    "SCJGJ": "区市场监管局",
    "GHZRZY": "区规划自然资源分局",
    "GAFJ": "区公安分局",
    "YBJ": "区医疗保障局",
    "ZJW": "区住房城乡建设委",
    "CL": "区残联",
}
#: Streets of identity's demo tree: code → name.
STREETS: dict[str, str] = {
    f"{DISTRICT}001": "朝外街道",
    f"{DISTRICT}002": "建外街道",
    f"{DISTRICT}003": "呼家楼街道",
}

# Invented (演示) phone numbers: enquiry per unit, supervision shared per unit.
PHONES: dict[str, tuple[str, str]] = {
    "MZJ": ("010-65091101", "010-65091199"),
    "RSJ": ("010-65092201", "010-65092299"),
    "WJW": ("010-65093301", "010-65093399"),
    "ZWGLJ": ("010-65094401", "010-65094499"),
    "SCJGJ": ("010-65095501", "010-65095599"),
    "GHZRZY": ("010-65096601", "010-65096699"),
    "GAFJ": ("010-65097701", "010-65097799"),
    "YBJ": ("010-65098801", "010-65098899"),
    "ZJW": ("010-65099901", "010-65099999"),
    "CL": ("010-65090011", "010-65090099"),
}
HOURS = "周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）；周六上午9:00-12:00 预约延时服务"
#: A community station's hours under the community-station rules' 错峰延时: weekday mornings and
#: evenings extended by at least half an hour and Saturdays 4–6 hours, both by phone appointment. The
#: times themselves are the station's choice (演示).
STATION_HOURS = (
    "周一至周五 上午8:30-12:00，下午13:30-17:30（法定节假日除外）；"
    "早晚延时服务（8:00-8:30、17:30-18:00）和周六9:00-13:00延时服务请提前电话预约"
)
DEMO_NOTE = "演示数据：电话、地址、窗口和时限为虚构，仅用于演示。"
FORM_BASE = "https://zwfw.example.gov.cn/demo/forms"


def _org_code_check(body8: str) -> str:
    # GB 11714 organisation code check character.
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def demo_government_uscc(org_code8: str) -> str:
    """A checksum-valid 统一社会信用代码 of a government body (1 机构编制, 1 机关) of the district.

    Synthetic: the organisation-code part starts ``YW`` (yiwang) and belongs to no real body.
    """
    body = "11" + DISTRICT + org_code8 + _org_code_check(org_code8)
    return body + uscc_check_char(body)


#: Synthetic USCCs (演示) of the departments that guide the community items.
DEPARTMENT_USCC: dict[str, str] = {
    "MZJ": demo_government_uscc("YW000101"),
    "RSJ": demo_government_uscc("YW000102"),
    "WJW": demo_government_uscc("YW000103"),
}


def stable_hash(text: str) -> int:
    """A stable small hash (Python's str hash is salted per process)."""
    return zlib.crc32(text.encode())


def unit_ref(suffix_or_code: str) -> dict[str, str]:
    """A UnitRef dict for a department suffix (MZJ …) or a street code."""
    if suffix_or_code in DEPARTMENTS:
        ref = {"code": f"{DISTRICT}-{suffix_or_code}", "name": DEPARTMENTS[suffix_or_code]}
        if suffix_or_code in DEPARTMENT_USCC:
            ref["uscc"] = DEPARTMENT_USCC[suffix_or_code]
        return ref
    if suffix_or_code in EXTRA_DEPARTMENTS:
        return {"code": f"{DISTRICT}-{suffix_or_code}", "name": EXTRA_DEPARTMENTS[suffix_or_code]}
    return {"code": suffix_or_code, "name": STREETS[suffix_or_code]}


def station_place() -> dict[str, str]:
    """The demo community station's comprehensive window (综合窗口)."""
    return {
        "address": "北京市朝阳区朝外街道吉祥里社区服务站（吉祥里105号楼一层）综合窗口",
        "street": "朝阳区朝外街道吉祥里",
        "number": "105号楼一层",
        "room": "社区服务站综合窗口",
    }


def _dept_name(suffix: str) -> str:
    return DEPARTMENTS.get(suffix) or EXTRA_DEPARTMENTS.get(suffix, "")


def district_place(suffix: str) -> dict[str, str]:
    """A department's desk at the district service centre."""
    return {
        "address": f"北京市朝阳区政务服务中心（示例路1号）二层{_dept_name(suffix)}专区",
        "street": "朝阳区示例路",
        "number": "1号",
        "room": f"二层综合受理窗口 {list(PHONES).index(suffix) + 1:02d}号",
    }


def street_place(code: str) -> dict[str, str]:
    """A street service centre's window."""
    n = int(code[-3:])
    return {
        "address": f"北京市朝阳区{STREETS[code]}政务服务中心（示例街{n}号）一层",
        "street": f"朝阳区{STREETS[code]}示例街",
        "number": f"{n}号",
        "room": "一层综合受理窗口3号",
    }


def law(name: str, article: str | None = None, text: str | None = None) -> dict[str, Any]:
    """A legal basis (设定依据)."""
    return {"law": name, "article": article, "text": text}


def mat(
    name: str,
    source: str,
    originals: int = 1,
    copies: int = 0,
    media: tuple[str, ...] = ("original",),
    *,
    condition: str | None = None,
    form: str | None = None,
    exempt_source: str | None = None,
    notes: str | None = None,
    licence: str | None = None,
) -> dict[str, Any]:
    """A material (申请材料); `form` names its blank and sample forms, `condition` makes it 情形材料."""
    m: dict[str, Any] = {
        "name": name,
        "source": source,
        "originals": originals,
        "copies": copies,
        "media": list(media),
        "requirement": "conditional" if condition else "required",
        "condition": condition,
        "notes": notes,
    }
    if form:
        m["blank_form_url"] = f"{FORM_BASE}/{form}-blank.pdf"
        m["sample_form_url"] = f"{FORM_BASE}/{form}-sample.pdf"
    if exempt_source:
        m["exempt"] = True
        m["exempt_source"] = exempt_source
    if licence:
        m["licence_type_code"] = licence  # the licence library's type (licence-svc's demo types)
    return m


def tl(value: int, unit: str = "working_day", note: str | None = None) -> dict[str, Any]:
    """A time limit."""
    return {"value": value, "unit": unit, "note": note}


_ACCEPT_TEXT = (
    "形式审查和格式审查，材料齐全符合法定形式的当场出具受理通知书；不齐全的一次性告知需补正的全部内容。"
)
#: What the community station does at the 受理 step, by community kind (the community-station rules, 附件3).
COMMUNITY_ACCEPT: dict[str, tuple[str, str]] = {
    "accept": (
        "社区服务站综合窗口（受托受理）",
        "社区服务站依据街道政务服务中心的委托受理协议受理：形式审查和格式审查，材料齐全、符合法定形式的"
        "当场出具受理通知书；不齐全的一次性告知需补正的全部内容。",
    ),
    "collect_forward": (
        "街道政务服务中心综合窗口（社区服务站代收转交）",
        "社区服务站综合窗口代收申请材料并出具收件凭证，当日登记、1个工作日内转交街道政务服务中心；"
        "街道政务服务中心受理，材料不齐全的一次性告知需补正的全部内容。",
    ),
    "enquiry_prereview": (
        "街道政务服务中心综合窗口（社区服务站预审转交）",
        "社区服务站解答政策咨询并预审申请材料，预审通过的当日转交街道政务服务中心受理；预审发现缺漏的"
        "一次性告知需补正的全部内容。社区服务站不出具受理通知书。",
    ),
}


def process(
    accept: str,
    review: str,
    decide: str,
    limits: tuple[int, int, int],
    *,
    deliver: str = "窗口领取或邮寄送达",
    accept_text: str = _ACCEPT_TEXT,
    deliver_actor: str = "出件窗口",
) -> list[dict[str, Any]]:
    """受理 → 审核 → 审批 → 办结 → 送达 with actors and working-day limits (accept, review, decide)."""
    a, r, d = limits
    return [
        {"step": "accept", "actor": accept, "time_limit": tl(a), "description": accept_text},
        {
            "step": "review",
            "actor": review,
            "time_limit": tl(r),
            "description": "对申请材料进行实质审核，必要时核查、调查，提出审核意见。",
        },
        {
            "step": "decide",
            "actor": decide,
            "time_limit": tl(d),
            "description": "作出准予或不予的决定；不予的书面说明理由并告知救济途径。",
        },
        {
            "step": "complete",
            "actor": decide,
            "time_limit": tl(0),
            "description": "在一体化平台办结登记，短信通知申请人。",
        },
        {
            "step": "deliver",
            "actor": deliver_actor,
            "time_limit": tl(1),
            "description": f"{deliver}；窗口领取的签收送达回执，邮寄的取得邮寄凭证即为送达。",
        },
    ]


#: The demo results that are licences or certificates, and their type codes in licence-svc's
#: catalogue (licence-svc's demo loads the same codes): completing such an item issues the licence.
LICENCE_TYPES: dict[str, str] = {
    "食品经营许可证": "SPJYXKZ",
    "建设工程规划许可证": "JSGCGHXKZ",
    "北京市居住证": "BJSJZZ",
    "最低生活保障金领取证": "ZDSHBZJLQZ",
    "特困人员救助供养证": "TKRYJZGYZ",
    "独生子女父母光荣证": "DSZNFMGRZ",
}


def complete(
    *,
    name: str,
    unit: str,
    item_type: str,
    legal: list[dict[str, Any]],
    conditions: str,
    materials: list[dict[str, Any]],
    legal_limit: int,
    promised_limit: int,
    review: str,
    decide: str,
    objects: list[str],
    result: str,
    faq: list[tuple[str, str]],
    keywords: list[str],
    themes: list[str],
    level: int = 4,
    community_kind: str | None = None,
    accept: str | None = None,
    place: dict[str, str] | None = None,
    visits: int = 1,
    visits_reason: str | None = "领取结果原件或核验身份原件需到现场一次",
    depth: str = "III",
    special: list[dict[str, Any]] | None = None,
    phones: tuple[str, str] | None = None,
    legal_note: str = "自受理之日起计算；补正材料、调查核实、公示时间不计入。",
    promised_note: str = "自受理之日起计算；公示期不计入。",
    step_limits: tuple[int, int, int] | None = None,
    deliver: str = "窗口领取或邮寄送达",
) -> dict[str, Any]:
    """A complete entry: every element filled, consistent (the quality checker's target)."""
    code_key = unit if unit in PHONES else "ZWGLJ"
    enquiry, supervision = phones or PHONES[code_key]
    place = place or _default_place(unit, community_kind)
    # Steps add up to the promise: accept 1, review the rest, decide 1, complete 0, deliver 1.
    limits = step_limits or (1, max(promised_limit - 3, 1), 1)
    steps = _complete_process(community_kind, accept, review, decide, limits, deliver)
    return {
        "name": name,
        "item_type": item_type,
        "implementing_unit": unit_ref(unit),
        "level": level,
        "power_source": "1",
        "legal_basis": legal,
        "handling_type": "2",
        "legal_limit": tl(legal_limit, note=legal_note),
        "promised_limit": tl(promised_limit, note=promised_note),
        "service_objects": objects,
        "handling_forms": ["1", "2", "3"],
        "place": place,
        "hours": STATION_HOURS if community_kind else HOURS,
        "enquiry_phone": enquiry,
        "supervision_phone": supervision,
        "acceptance_conditions": conditions,
        "quantity_limit": "无数量限制",
        "special_steps": special or [],
        "no_special_steps": not special,
        "materials": materials,
        "process": steps,
        "process_chart_url": f"{FORM_BASE}/flow-{stable_hash(name) % 10000:04d}.png",
        "visits": visits,
        "visits_reason": visits_reason if visits else None,
        "fees": {"charged": False, "items": []},
        "online_depth": depth,
        "appointment_supported": True,
        "online_payment_supported": False,
        "post_delivery_supported": True,
        "faq": [{"question": q, "answer": a} for q, a in faq]
        + [{"question": "本指南中的电话和地址是真实的吗？", "answer": DEMO_NOTE}],
        "result": {
            "name": result,
            "sample_url": f"{FORM_BASE}/result-{stable_hash(result) % 10000:04d}.pdf",
            **({"licence_type_code": LICENCE_TYPES[result]} if result in LICENCE_TYPES else {}),
        },
        "community_kind": community_kind,
        "keywords": keywords,
        "themes": themes,
        "demo": True,
    }


def _default_place(unit: str, community_kind: str | None) -> dict[str, str]:
    """The demo community station for a community item, else the department's or street's hall."""
    if community_kind:
        return station_place()
    return district_place(unit) if unit in PHONES else street_place(unit)


def _complete_process(
    community_kind: str | None,
    accept: str | None,
    review: str,
    decide: str,
    limits: tuple[int, int, int],
    deliver: str,
) -> list[dict[str, Any]]:
    """The five steps of a complete entry: at a community station by its kind, else at the windows."""
    if community_kind:
        accept_actor, accept_text = COMMUNITY_ACCEPT[community_kind]
        accept_actor = accept or accept_actor
        deliver_actor = "社区服务站出件窗口"
    else:
        accept_actor, accept_text, deliver_actor = accept or "综合受理窗口", _ACCEPT_TEXT, "出件窗口"
    return process(
        accept_actor,
        review,
        decide,
        limits,
        deliver=deliver,
        accept_text=accept_text,
        deliver_actor=deliver_actor,
    )


#: Materials many items share.
ID_CARD = mat(
    "申请人居民身份证",
    "公安机关",
    1,
    0,
    ("original", "electronic"),
    exempt_source="电子证照库（居民身份证）",
    notes="现场核验原件，不留存复印件",
    licence="JMSFZ",
)
HUKOU = mat(
    "申请人居民户口簿",
    "户籍所在地公安派出所",
    1,
    0,
    ("original", "electronic"),
    exempt_source="电子证照库（居民户口簿）",
    licence="HKB",
)
BANK = mat(
    "申请人本人社会保障卡或银行账户信息",
    "社会保障卡发卡银行",
    1,
    1,
    ("original", "copy"),
    notes="用于发放，须为申请人本人账户",
)
