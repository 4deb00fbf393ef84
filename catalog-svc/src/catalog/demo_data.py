"""Demo catalogue content (pure data, no I/O): 北京市朝阳区.

* The 25 real community-level items of ``shared/data/community_items.csv`` (seed 004: items
  extended to the community service stations, each guided by a district department).
  **Modelling decision**: the implementation entry belongs to the *guiding department*
  (implementing unit = 区民政局 / 区人力社保局 / 区卫生健康委, level 4 县级（区级）), because the
  department holds the power and decides (the station only receives, forwards or pre-reviews —
  接件 and 审批 are separated). Each carries ``community_kind`` (受理类 / 代收代办类 / 咨询预审类)
  saying what the community station does with it, and its place is the station's comprehensive
  window (吉祥里社区服务站). Owning them at the department keeps "same item, same standard" across
  every station, lets the department's catalogue editors maintain them, and groups them under
  their department in the quality and reduction reports. Six of them are complete.
* About 40 district-level (level 4) and street-level (level 5) items (licensing, registration,
  benefits, public services) with deliberately varied completeness, so the quality report and
  search have something to show.
* Two "one thing" bundles (一件事) by member item name.

The item names, departments and laws are real. Everything else (phones, addresses, windows,
time limits, the exact material lists) is invented or simplified for the demo: every entry has
``demo=True`` and its notes say 演示. Legal-basis article text is quoted only where the law's
wording is well known; other bases name the law only (a finding the quality report shows).
Org units not in identity-svc's demo tree (区市场监管局 …) use identity's
``<district>-<suffix>`` code convention; see ``EXTRA_DEPARTMENTS``.
"""

from __future__ import annotations

import zlib
from typing import Any

from .elements import COMMUNITY_KINDS, ItemElements

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
#: The demo community station whose window receives the community items.
STATION_CODE = f"{DISTRICT}001001-FWZ"
STATION_NAME = "吉祥里社区服务站"

# Invented (演示) phone numbers: enquiry per unit, supervision shared per unit.
_PHONES: dict[str, tuple[str, str]] = {
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
_HOURS = "周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）；周六上午9:00-12:00 预约延时服务"
_DEMO_NOTE = "演示数据：电话、地址、窗口和时限为虚构，仅用于演示。"
_FORM_BASE = "https://zwfw.example.gov.cn/demo/forms"


def _h(text: str) -> int:
    """A stable small hash (Python's str hash is salted per process)."""
    return zlib.crc32(text.encode())


def unit_ref(suffix_or_code: str) -> dict[str, str]:
    """A UnitRef dict for a department suffix (MZJ …) or a street code."""
    if suffix_or_code in DEPARTMENTS:
        return {"code": f"{DISTRICT}-{suffix_or_code}", "name": DEPARTMENTS[suffix_or_code]}
    if suffix_or_code in EXTRA_DEPARTMENTS:
        return {"code": f"{DISTRICT}-{suffix_or_code}", "name": EXTRA_DEPARTMENTS[suffix_or_code]}
    return {"code": suffix_or_code, "name": STREETS[suffix_or_code]}


def _station_place() -> dict[str, str]:
    return {
        "address": "北京市朝阳区朝外街道吉祥里社区服务站（吉祥里105号楼一层）综合窗口",
        "street": "朝阳区朝外街道吉祥里",
        "number": "105号楼一层",
        "room": "社区服务站综合窗口",
    }


def _dept_name(suffix: str) -> str:
    return DEPARTMENTS.get(suffix) or EXTRA_DEPARTMENTS.get(suffix, "")


def _district_place(suffix: str) -> dict[str, str]:
    return {
        "address": f"北京市朝阳区政务服务中心（示例路1号）二层{_dept_name(suffix)}专区",
        "street": "朝阳区示例路",
        "number": "1号",
        "room": f"二层综合受理窗口 {list(_PHONES).index(suffix) + 1:02d}号",
    }


def _street_place(code: str) -> dict[str, str]:
    n = int(code[-3:])
    return {
        "address": f"北京市朝阳区{STREETS[code]}政务服务中心（示例街{n}号）一层",
        "street": f"朝阳区{STREETS[code]}示例街",
        "number": f"{n}号",
        "room": "一层综合受理窗口3号",
    }


def _law(law: str, article: str | None = None, text: str | None = None) -> dict[str, Any]:
    return {"law": law, "article": article, "text": text}


def _mat(
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
) -> dict[str, Any]:
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
        m["blank_form_url"] = f"{_FORM_BASE}/{form}-blank.pdf"
        m["sample_form_url"] = f"{_FORM_BASE}/{form}-sample.pdf"
    if exempt_source:
        m["exempt"] = True
        m["exempt_source"] = exempt_source
    return m


def _tl(value: int, unit: str = "working_day", note: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "note": note}


def _process(
    accept: str,
    review: str,
    decide: str,
    limits: tuple[int, int, int],
    *,
    deliver: str = "窗口领取或邮寄送达",
) -> list[dict[str, Any]]:
    a, r, d = limits
    return [
        {
            "step": "accept",
            "actor": accept,
            "time_limit": _tl(a),
            "description": "形式审查和格式审查，材料齐全符合法定形式的当场出具受理通知书；"
            "不齐全的一次性告知需补正的全部内容。",
        },
        {
            "step": "review",
            "actor": review,
            "time_limit": _tl(r),
            "description": "对申请材料进行实质审核，必要时核查、调查，提出审核意见。",
        },
        {
            "step": "decide",
            "actor": decide,
            "time_limit": _tl(d),
            "description": "作出准予或不予的决定；不予的书面说明理由并告知救济途径。",
        },
        {
            "step": "complete",
            "actor": decide,
            "time_limit": _tl(0),
            "description": "在一体化平台办结登记，短信通知申请人。",
        },
        {
            "step": "deliver",
            "actor": "出件窗口",
            "time_limit": _tl(1),
            "description": f"{deliver}；窗口领取的签收送达回执，邮寄的取得邮寄凭证即为送达。",
        },
    ]


def _complete(
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
) -> dict[str, Any]:
    """A complete entry: every element filled, consistent (the quality checker's target)."""
    code_key = unit if unit in _PHONES else "ZWGLJ"
    enquiry, supervision = phones or _PHONES[code_key]
    if place is None:
        place = (
            _station_place()
            if community_kind
            else (_district_place(unit) if unit in _PHONES else _street_place(unit))
        )
    accept_actor = accept or ("社区服务站综合窗口" if community_kind else "综合受理窗口")
    steps = _process(accept_actor, review, decide, (1, max(promised_limit - 3, 1), 1))
    return {
        "name": name,
        "item_type": item_type,
        "implementing_unit": unit_ref(unit),
        "level": level,
        "power_source": "1",
        "legal_basis": legal,
        "handling_type": "2",
        "legal_limit": _tl(legal_limit, note="自受理之日起计算；补正材料、调查核实、公示时间不计入。"),
        "promised_limit": _tl(promised_limit, note="自受理之日起计算；公示期不计入。"),
        "service_objects": objects,
        "handling_forms": ["1", "2", "3"],
        "place": place,
        "hours": _HOURS,
        "enquiry_phone": enquiry,
        "supervision_phone": supervision,
        "acceptance_conditions": conditions,
        "quantity_limit": "无数量限制",
        "special_steps": special or [],
        "no_special_steps": not special,
        "materials": materials,
        "process": steps,
        "process_chart_url": f"{_FORM_BASE}/flow-{_h(name) % 10000:04d}.png",
        "visits": visits,
        "visits_reason": visits_reason if visits else None,
        "fees": {"charged": False, "items": []},
        "online_depth": depth,
        "appointment_supported": True,
        "online_payment_supported": False,
        "post_delivery_supported": True,
        "faq": [{"question": q, "answer": a} for q, a in faq]
        + [{"question": "本指南中的电话和地址是真实的吗？", "answer": _DEMO_NOTE}],
        "result": {"name": result, "sample_url": f"{_FORM_BASE}/result-{_h(result) % 10000:04d}.pdf"},
        "community_kind": community_kind,
        "keywords": keywords,
        "themes": themes,
        "demo": True,
    }


# ----------------------------------------------------------------------------------------------
# The 25 community items (seed 004 / community_items.csv)
# ----------------------------------------------------------------------------------------------

_SOCIAL_ASSISTANCE = "《社会救助暂行办法》（国务院令第649号）"
_ELDERLY_LAW = "《中华人民共和国老年人权益保障法》"
_ELDERLY_BJ = "《北京市老年人养老服务补贴津贴管理实施办法》"
_ID_CARD = _mat(
    "申请人居民身份证",
    "公安机关",
    1,
    0,
    ("original", "electronic"),
    exempt_source="电子证照库（居民身份证）",
    notes="现场核验原件，不留存复印件",
)
_HUKOU = _mat(
    "申请人居民户口簿",
    "户籍所在地公安派出所",
    1,
    0,
    ("original", "electronic"),
    exempt_source="电子证照库（居民户口簿）",
)
_BANK = _mat(
    "申请人本人社会保障卡或银行账户信息",
    "社会保障卡发卡银行",
    1,
    1,
    ("original", "copy"),
    notes="用于发放，须为申请人本人账户",
)


def _community_complete() -> list[dict[str, Any]]:
    street_review = "街道民生保障办（社会救助岗）"
    return [
        _complete(
            name="城乡最低生活保障对象认定",
            unit="MZJ",
            item_type="05",
            community_kind="collect_forward",
            legal=[
                _law(
                    _SOCIAL_ASSISTANCE,
                    "第十一条",
                    "申请最低生活保障，按照下列程序办理：（一）由共同生活的家庭成员向户籍所在地的乡镇人民政府、"
                    "街道办事处提出书面申请；家庭成员申请有困难的，可以委托村民委员会、居民委员会代为提出申请。"
                    "（二）乡镇人民政府、街道办事处应当通过入户调查、邻里访问、信函索证、群众评议、信息核查等方式，"
                    "对申请人的家庭收入状况、财产状况进行调查核实，提出初审意见，在申请人所在村、社区公示后报县级"
                    "人民政府民政部门审批。（三）县级人民政府民政部门经审查，对符合条件的申请予以批准，并在申请人"
                    "所在村、社区公布；对不符合条件的申请不予批准，并书面向申请人说明理由。",
                ),
            ],
            conditions="具有本市户籍，共同生活的家庭成员人均月收入低于本市城乡最低生活保障标准，且家庭财产状况符合本市规定的申请人家庭。",
            materials=[
                _mat("最低生活保障申请书", "申请人填写", 1, 0, ("original",), form="dibao-apply"),
                _mat(
                    "家庭经济状况核对授权书", "共同生活家庭成员签字", 1, 0, ("original",), form="hedui-auth"
                ),
                _mat("家庭收入和财产情况声明", "申请人填写", 1, 0, ("original",), form="income-declare"),
                _ID_CARD,
                _HUKOU,
                _mat(
                    "残疾人证",
                    "区残联",
                    1,
                    1,
                    ("original", "copy"),
                    condition="家庭成员中有残疾人的",
                    exempt_source="电子证照库（残疾人证）",
                ),
                _mat(
                    "医疗机构出具的诊断证明",
                    "二级以上医疗机构",
                    1,
                    1,
                    ("original", "copy"),
                    condition="家庭成员患重病需核减支出的",
                ),
                _BANK,
            ],
            legal_limit=30,
            promised_limit=20,
            accept="社区服务站综合窗口（代收）",
            review=street_review,
            decide="区民政局社会救助科",
            objects=["1"],
            result="最低生活保障金领取证",
            special=[
                {
                    "kind": "inspection",
                    "description": "入户调查、邻里访问和家庭经济状况信息核对，结果在社区公示7天。",
                    "time_limit": _tl(7, "natural_day", "公示期不计入承诺时限"),
                }
            ],
            faq=[
                (
                    "外地户籍可以在朝阳申请低保吗？",
                    "不可以。最低生活保障向户籍所在地的街道（乡镇）申请，社区服务站可代收材料。",
                ),
                (
                    "申请后多久能领到低保金？",
                    "审批通过的，自批准次月起按月发放至申请人社会保障卡或本人银行账户。",
                ),
            ],
            keywords=["低保", "最低生活保障", "社会救助", "低保金", "困难家庭"],
            themes=["社会救助", "民政"],
        ),
        _complete(
            name="特困人员认定",
            unit="MZJ",
            item_type="05",
            community_kind="collect_forward",
            legal=[
                _law(
                    _SOCIAL_ASSISTANCE,
                    "第十四条",
                    "国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定赡养、抚养、扶养义务人"
                    "无赡养、抚养、扶养能力的老年人、残疾人以及未满16周岁的未成年人，给予特困人员供养。",
                ),
            ],
            conditions="具有本市户籍，无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人或者其法定义务人无履行义务能力的老年人、残疾人和未满16周岁的未成年人。",
            materials=[
                _mat(
                    "特困人员救助供养申请书", "申请人或其代理人填写", 1, 0, ("original",), form="tekun-apply"
                ),
                _mat("家庭经济状况核对授权书", "申请人签字", 1, 0, ("original",), form="hedui-auth"),
                _ID_CARD,
                _HUKOU,
                _mat(
                    "残疾人证",
                    "区残联",
                    1,
                    1,
                    ("original", "copy"),
                    condition="以残疾人身份申请的",
                    exempt_source="电子证照库（残疾人证）",
                ),
                _mat(
                    "法定义务人无履行义务能力的证明材料",
                    "法定义务人所在单位或户籍地街道（乡镇）",
                    1,
                    0,
                    ("original",),
                    condition="有法定赡养、抚养、扶养义务人的",
                ),
                _BANK,
            ],
            legal_limit=30,
            promised_limit=20,
            accept="社区服务站综合窗口（代收）",
            review=street_review,
            decide="区民政局社会救助科",
            objects=["1"],
            result="特困人员救助供养证",
            special=[
                {
                    "kind": "inspection",
                    "description": "入户调查和生活自理能力评估，结果在社区公示7天。",
                    "time_limit": _tl(7, "natural_day", "公示期不计入承诺时限"),
                }
            ],
            faq=[
                (
                    "特困人员可以选择集中供养吗？",
                    "可以。生活不能自理的可申请到养老机构集中供养，也可选择在家分散供养。",
                )
            ],
            keywords=["特困", "五保", "救助供养", "社会救助"],
            themes=["社会救助", "民政"],
        ),
        _complete(
            name="临时救助对象认定",
            unit="MZJ",
            item_type="05",
            community_kind="collect_forward",
            legal=[
                _law(
                    _SOCIAL_ASSISTANCE,
                    "第四十七条",
                    "国家对因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的"
                    "家庭，或者因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难的最低生活保障"
                    "家庭，以及遭遇其他特殊困难的家庭，给予临时救助。",
                ),
            ],
            conditions="因意外事件、突发重大疾病或生活必需支出突然增加，导致基本生活暂时出现严重困难的家庭或个人。",
            materials=[
                _mat("临时救助申请书", "申请人填写", 1, 0, ("original",), form="linshi-apply"),
                _mat(
                    "家庭经济状况核对授权书", "共同生活家庭成员签字", 1, 0, ("original",), form="hedui-auth"
                ),
                _ID_CARD,
                _mat("医疗费用票据", "就诊医疗机构", 1, 1, ("original", "copy"), condition="因病申请的"),
                _mat(
                    "火灾或交通事故责任认定书",
                    "消防救援机构或公安交通管理部门",
                    1,
                    1,
                    ("original", "copy"),
                    condition="因意外事件申请的",
                ),
                _BANK,
            ],
            legal_limit=15,
            promised_limit=10,
            accept="社区服务站综合窗口（代收）",
            review=street_review,
            decide="区民政局社会救助科",
            objects=["1"],
            result="临时救助审批表",
            faq=[("情况紧急可以先救助吗？", "可以。情况紧急的，街道可先行救助，事后补齐材料和手续。")],
            keywords=["临时救助", "急难救助", "社会救助", "困难"],
            themes=["社会救助", "民政"],
        ),
        _complete(
            name="高龄老年人津贴",
            unit="MZJ",
            item_type="05",
            community_kind="accept",
            legal=[
                _law(
                    _ELDERLY_LAW,
                    "第三十三条",
                    "国家建立和完善老年人福利制度，根据经济社会发展水平和老年人的实际需要，增加老年人的社会福利。"
                    "国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。",
                ),
                _law(
                    _ELDERLY_BJ,
                    "第二条",
                    "演示：本市对具有本市户籍、年满80周岁的老年人发放高龄老年人津贴（条文为摘要，以正式文本为准）。",
                ),
            ],
            conditions="具有本市户籍、年满80周岁的老年人。",
            materials=[
                _mat(
                    "北京市老年人津贴申请表", "申请人或代理人填写", 1, 0, ("original",), form="gaoling-apply"
                ),
                _ID_CARD,
                _mat("代理人居民身份证", "公安机关", 1, 0, ("original",), condition="委托他人代为申请的"),
                _mat("北京通—养老助残卡", "北京市民政局", 1, 0, ("original",), notes="津贴发放至本卡"),
            ],
            legal_limit=20,
            promised_limit=10,
            accept="社区服务站综合窗口（受理）",
            review="街道民生保障办（养老服务岗）",
            decide="区民政局养老服务科",
            objects=["1"],
            result="高龄老年人津贴发放通知",
            visits=0,
            depth="IV",
            faq=[
                (
                    "年满80周岁需要本人到场吗？",
                    "不需要。可通过北京通APP全程网上申请，或由家属持材料到社区服务站代为申请。",
                )
            ],
            keywords=["高龄津贴", "老年人", "80岁", "养老", "津贴"],
            themes=["养老服务", "民政"],
        ),
        _complete(
            name="失能老年人护理补贴",
            unit="MZJ",
            item_type="05",
            community_kind="accept",
            legal=[
                _law(
                    _ELDERLY_LAW,
                    "第三十条",
                    "国家逐步开展长期护理保障工作，保障老年人的护理需求。对生活长期不能自理、经济困难的老年人，"
                    "地方各级人民政府应当根据其失能程度等情况给予护理补贴。",
                ),
                _law(
                    _ELDERLY_BJ,
                    "第二条",
                    "演示：对经评估为重度失能的本市户籍老年人发放失能老年人护理补贴（条文为摘要，以正式文本为准）。",
                ),
            ],
            conditions="具有本市户籍、年满60周岁、经老年人能力综合评估为重度失能的老年人。",
            materials=[
                _mat(
                    "北京市老年人补贴申请表", "申请人或代理人填写", 1, 0, ("original",), form="shineng-apply"
                ),
                _ID_CARD,
                _mat(
                    "老年人能力综合评估报告",
                    "区民政局委托的评估机构",
                    1,
                    0,
                    ("original", "electronic"),
                    exempt_source="数据共享（老年人能力评估系统）",
                ),
                _mat("北京通—养老助残卡", "北京市民政局", 1, 0, ("original",), notes="补贴发放至本卡"),
            ],
            legal_limit=20,
            promised_limit=15,
            accept="社区服务站综合窗口（受理）",
            review="街道民生保障办（养老服务岗）",
            decide="区民政局养老服务科",
            objects=["1"],
            result="失能老年人护理补贴发放通知",
            special=[
                {
                    "kind": "assessment",
                    "description": "老年人能力综合评估（可上门评估）。",
                    "time_limit": _tl(10, "working_day", "评估时间不计入承诺时限"),
                }
            ],
            faq=[("行动不便能上门评估吗？", "可以。申请时勾选上门评估，评估机构在约定时间入户评估。")],
            keywords=["失能", "护理补贴", "老年人", "养老"],
            themes=["养老服务", "民政"],
        ),
        _complete(
            name="城乡居民养老保险参保登记",
            unit="RSJ",
            item_type="20",
            community_kind="accept",
            legal=[
                _law(
                    "《中华人民共和国社会保险法》",
                    "第二十二条",
                    "国家建立和完善城镇居民社会养老保险制度。省、自治区、直辖市人民政府根据实际情况，可以将城镇居民"
                    "社会养老保险和新型农村社会养老保险合并实施。",
                ),
                _law(
                    "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
                    "三",
                    "演示摘要：年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民，可以在户籍地参加城乡居民养老保险。",
                ),
            ],
            conditions="具有本区户籍，年满16周岁（不含在校学生），未参加职工基本养老保险的城乡居民。",
            materials=[
                _mat(
                    "北京市城乡居民养老保险参保登记表",
                    "申请人填写",
                    1,
                    0,
                    ("original", "electronic"),
                    form="jmyl-reg",
                ),
                _ID_CARD,
                _HUKOU,
            ],
            legal_limit=5,
            promised_limit=3,
            accept="社区服务站综合窗口（受理）",
            review="街道社会保障所",
            decide="区社会保险经办机构",
            objects=["1"],
            result="城乡居民养老保险参保登记信息",
            visits=0,
            depth="IV",
            faq=[("缴费档次可以调整吗？", "可以。每年可在规定期间内选择或调整缴费档次一次。")],
            keywords=["养老保险", "城乡居民", "参保", "社保登记"],
            themes=["社会保险", "养老"],
        ),
    ]


# (seq in CSV, name, department, type, community kind, keywords, themes). The CSV names exactly.
_COMMUNITY_BRIEF: list[tuple[int, str, str, str, str, list[str], list[str]]] = [
    (
        1,
        "为北京市城乡无丧葬补助居民发放丧葬补贴",
        "MZJ",
        "05",
        "collect_forward",
        ["丧葬补贴", "殡葬"],
        ["殡葬服务", "民政"],
    ),
    (
        2,
        "对符合条件的社会救助对象给予清洁能源自采暖补贴",
        "MZJ",
        "05",
        "collect_forward",
        ["采暖补贴", "清洁能源", "取暖"],
        ["社会救助", "民政"],
    ),
    (
        5,
        "城乡低收入家庭认定",
        "MZJ",
        "07",
        "collect_forward",
        ["低收入", "困难家庭", "低收入家庭"],
        ["社会救助", "民政"],
    ),
    (
        6,
        "对享受城市居民生活困难补助人员进行确认",
        "MZJ",
        "07",
        "enquiry_prereview",
        ["生活困难补助", "困难补助"],
        ["社会救助", "民政"],
    ),
    (
        7,
        "对社会救助对象进行定期核查",
        "MZJ",
        "06",
        "enquiry_prereview",
        ["定期核查", "低保复核", "社会救助"],
        ["社会救助", "民政"],
    ),
    (
        8,
        "困难老年人养老服务补贴",
        "MZJ",
        "05",
        "accept",
        ["养老服务补贴", "困难老人", "老年人"],
        ["养老服务", "民政"],
    ),
    (
        12,
        "为困境儿童发放生活费",
        "MZJ",
        "05",
        "collect_forward",
        ["困境儿童", "儿童福利", "生活费"],
        ["儿童福利", "民政"],
    ),
    (
        13,
        "为低保和分散供养特困人员发放集中供热采暖补助",
        "MZJ",
        "05",
        "collect_forward",
        ["集中供热", "采暖补助", "低保", "特困"],
        ["社会救助", "民政"],
    ),
    (
        14,
        "对符合条件的社会救助对象给予燃煤自采暖救助",
        "MZJ",
        "05",
        "collect_forward",
        ["燃煤", "采暖", "取暖救助"],
        ["社会救助", "民政"],
    ),
    (
        15,
        "对社会救助对象给予高等教育新生入学救助进行给付",
        "MZJ",
        "05",
        "collect_forward",
        ["入学救助", "大学新生", "教育救助"],
        ["社会救助", "教育"],
    ),
    (
        16,
        "增发、减发、停发最低生活保障金，停止社会救助",
        "MZJ",
        "05",
        "enquiry_prereview",
        ["低保金", "停发", "减发", "增发"],
        ["社会救助", "民政"],
    ),
    (
        18,
        "居民养老保险注销登记",
        "RSJ",
        "20",
        "accept",
        ["养老保险", "注销", "居民养老"],
        ["社会保险", "养老"],
    ),
    (
        19,
        "对计划生育家庭特别扶助对象的资格确认",
        "WJW",
        "07",
        "collect_forward",
        ["计划生育", "特别扶助", "失独"],
        ["计划生育", "卫生健康"],
    ),
    (
        20,
        "对计划生育伤残家庭特别扶助对象的资格确认",
        "WJW",
        "07",
        "collect_forward",
        ["计划生育", "伤残", "特别扶助"],
        ["计划生育", "卫生健康"],
    ),
    (
        21,
        "对农村部分计划生育家庭奖励扶助对象的资格确认",
        "WJW",
        "07",
        "collect_forward",
        ["计划生育", "奖励扶助", "农村"],
        ["计划生育", "卫生健康"],
    ),
    (
        22,
        "对领取独生子女父母奖励费对象的资格确认",
        "WJW",
        "07",
        "accept",
        ["独生子女", "奖励费"],
        ["计划生育", "卫生健康"],
    ),
    (
        23,
        "对领取独生子女父母一次性奖励对象的资格确认",
        "WJW",
        "07",
        "accept",
        ["独生子女", "一次性奖励", "退休"],
        ["计划生育", "卫生健康"],
    ),
    (24, "独生子女父母光荣证受理", "WJW", "07", "accept", ["独生子女", "光荣证"], ["计划生育", "卫生健康"]),
    (
        25,
        "生育登记-互补网申请",
        "WJW",
        "20",
        "enquiry_prereview",
        ["生育登记", "生育服务", "网上申请"],
        ["生育", "卫生健康"],
    ),
]
_COMMUNITY_LAWS: dict[str, str] = {
    "MZJ": _SOCIAL_ASSISTANCE,
    "RSJ": "《中华人民共和国社会保险法》",
    "WJW": "《中华人民共和国人口与计划生育法》",
}
_COMMUNITY_DECIDERS: dict[str, str] = {"MZJ": "区民政局", "RSJ": "区社会保险经办机构", "WJW": "区卫生健康委"}


def _community_brief(
    seq: int, name: str, unit: str, item_type: str, kind: str, keywords: list[str], themes: list[str]
) -> dict[str, Any]:
    """A community item with the main elements but not all (drafts the quality report lists)."""
    enquiry, supervision = _PHONES[unit]
    entry: dict[str, Any] = {
        "name": name,
        "item_type": item_type,
        "implementing_unit": unit_ref(unit),
        "level": 4,
        "power_source": "1",
        "legal_basis": [_law(_COMMUNITY_LAWS[unit])],
        "handling_type": "2",
        "legal_limit": _tl(20),
        "promised_limit": _tl(15),
        "service_objects": ["1"],
        "handling_forms": ["1", "2"],
        "place": _station_place(),
        "hours": _HOURS,
        "enquiry_phone": enquiry,
        "supervision_phone": supervision,
        "acceptance_conditions": f"符合本市{name}相关规定条件的本市户籍居民（演示：条件摘要）。",
        "materials": [
            _mat("申请表", "申请人填写", 1, 0, ("original",)),
            _ID_CARD,
        ],
        "process": _process("社区服务站综合窗口", "街道民生保障办", _COMMUNITY_DECIDERS[unit], (1, 10, 3)),
        "visits": 1,
        "visits_reason": "核验身份原件",
        "online_depth": "III",
        "community_kind": kind,
        "keywords": keywords,
        "themes": themes,
        "demo": True,
        "faq": [
            {
                "question": "可以在社区服务站办理吗？",
                "answer": f"可以，社区服务站按{COMMUNITY_KINDS[kind]}事项提供服务。{_DEMO_NOTE}",
            }
        ],
    }
    if seq % 3 == 0:
        # Deliberately imperfect: a catch-all material.
        entry["materials"].append(_mat("其他相关材料", "申请人", 1, 0, ("original",)))
    if seq % 4 == 1:
        entry["supervision_phone"] = enquiry  # deliberately the same number
    return entry


# ----------------------------------------------------------------------------------------------
# District (level 4) and street (level 5) items
# ----------------------------------------------------------------------------------------------

_LICENSE_MATS_COMPANY = [
    _mat("营业执照", "市场监督管理部门", 0, 0, ("electronic",), exempt_source="电子证照库（营业执照）"),
    _mat("法定代表人居民身份证", "公安机关", 1, 0, ("original",)),
]


def _district_complete() -> list[dict[str, Any]]:
    return [
        _complete(
            name="食品经营许可",
            unit="SCJGJ",
            item_type="01",
            legal=[
                _law(
                    "《中华人民共和国食品安全法》",
                    "第三十五条",
                    "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。但是，"
                    "销售食用农产品和仅销售预包装食品的，不需要取得许可。仅销售预包装食品的，应当报所在地县级以上"
                    "地方人民政府食品安全监督管理部门备案。",
                ),
                _law(
                    "《食品经营许可和备案管理办法》",
                    "第二条",
                    "演示摘要：在中华人民共和国境内从事食品经营活动，应当依法取得食品经营许可（条文为摘要，以正式文本为准）。",
                ),
            ],
            conditions="已取得营业执照，具有与经营的食品品种、数量相适应的经营场所、设备设施、食品安全管理人员和管理制度。",
            materials=[
                _mat("食品经营许可申请书", "申请人填写", 1, 0, ("original", "electronic"), form="spjy-apply"),
                *_LICENSE_MATS_COMPANY,
                _mat("经营场所平面布局图", "申请人绘制", 1, 0, ("original", "electronic")),
                _mat("食品安全管理制度目录", "申请人制定", 1, 0, ("original", "electronic")),
                _mat("食品安全管理人员健康证明", "取得资质的体检机构", 0, 1, ("copy", "electronic")),
                _mat(
                    "授权委托书",
                    "申请人出具",
                    1,
                    0,
                    ("original",),
                    condition="委托代理人办理的",
                    form="weituo",
                ),
            ],
            legal_limit=10,
            promised_limit=5,
            review="区市场监管局食品经营许可科",
            decide="区市场监管局",
            objects=["2", "5"],
            result="食品经营许可证",
            visits=0,
            visits_reason=None,
            depth="IV",
            special=[
                {
                    "kind": "inspection",
                    "description": "需要现场核查的，对经营场所进行现场核查。",
                    "time_limit": _tl(5, "working_day", "现场核查时间不计入承诺时限"),
                }
            ],
            faq=[("仅销售预包装食品需要许可吗？", "不需要许可，但应向所在地市场监管部门备案。")],
            keywords=["食品经营许可证", "餐饮", "开饭店", "食品销售", "餐馆"],
            themes=["市场准入", "开办企业", "餐饮"],
        ),
        _complete(
            name="建设工程规划许可证核发",
            unit="GHZRZY",
            item_type="01",
            legal=[
                _law(
                    "《中华人民共和国城乡规划法》",
                    "第四十条",
                    "在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位或者个人应当向城市、"
                    "县人民政府城乡规划主管部门或者省、自治区、直辖市人民政府确定的镇人民政府申请办理建设工程规划许可证。",
                ),
            ],
            conditions="已取得建设用地规划许可和土地使用权，设计方案符合控制性详细规划和规划条件。",
            materials=[
                _mat(
                    "建设工程规划许可申请表",
                    "建设单位填写",
                    1,
                    0,
                    ("original", "electronic"),
                    form="ghxk-apply",
                ),
                _mat("建设工程设计方案总平面图", "具有资质的设计单位", 1, 0, ("original", "electronic")),
                _mat("建筑工程施工图设计文件（电子报审版）", "具有资质的设计单位", 0, 0, ("electronic",)),
                _mat(
                    "土地权属证明文件",
                    "规划自然资源部门",
                    0,
                    0,
                    ("electronic",),
                    exempt_source="电子证照库（不动产权证书）",
                ),
            ],
            legal_limit=20,
            promised_limit=10,
            review="区规划自然资源分局建设工程规划管理科",
            decide="区规划自然资源分局",
            objects=["2", "3", "6"],
            result="建设工程规划许可证",
            special=[
                {
                    "kind": "expert_review",
                    "description": "重大项目设计方案组织专家评审。",
                    "time_limit": _tl(10, "working_day", "专家评审时间不计入承诺时限"),
                }
            ],
            faq=[("可以网上申报吗？", "可以，通过工程建设项目审批管理系统网上申报，结果领取需到现场一次。")],
            keywords=["规划许可", "建设工程", "工程建设", "规划证"],
            themes=["工程建设"],
        ),
        _complete(
            name="居住证办理",
            unit="GAFJ",
            item_type="20",
            legal=[
                _law(
                    "《居住证暂行条例》（国务院令第663号）",
                    "第二条",
                    "公民离开常住户口所在地，到其他城市居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读"
                    "条件之一的，可以依照本条例的规定申领居住证。",
                ),
            ],
            conditions="在本市办理居住登记满半年，符合有合法稳定就业、合法稳定住所、连续就读条件之一。",
            materials=[
                _mat("北京市居住证申领登记表", "申请人填写", 1, 0, ("original",), form="jzz-apply"),
                _ID_CARD,
                _mat(
                    "合法稳定住所证明（房屋租赁合同或房屋所有权证明）",
                    "出租人或不动产登记机构",
                    1,
                    1,
                    ("original", "copy"),
                    condition="以合法稳定住所申领的",
                ),
                _mat(
                    "劳动合同或营业执照",
                    "用人单位或市场监督管理部门",
                    1,
                    1,
                    ("original", "copy"),
                    condition="以合法稳定就业申领的",
                ),
                _mat("学生证或在读证明", "就读学校", 1, 0, ("original",), condition="以连续就读申领的"),
            ],
            legal_limit=15,
            promised_limit=10,
            accept="派出所户籍窗口",
            review="区公安分局人口管理支队",
            decide="区公安分局",
            objects=["1"],
            result="北京市居住证",
            visits=1,
            visits_reason="首次申领需现场采集人像和指纹",
            faq=[("居住证有效期多久？", "演示：有效期以签注为准，每年签注一次。")],
            keywords=["居住证", "暂住证", "流动人口", "居住登记"],
            themes=["户籍", "公安"],
        ),
    ]


def _street_complete() -> list[dict[str, Any]]:
    """残疾人两项补贴 at the three streets: same item, same standard (only unit and place differ)."""
    out = []
    for code in STREETS:
        out.append(
            _complete(
                name="困难残疾人生活补贴和重度残疾人护理补贴",
                unit=code,
                level=5,
                item_type="05",
                legal=[
                    _law(
                        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）",
                        "二",
                        "演示摘要：困难残疾人生活补贴主要补助残疾人因残疾产生的额外生活支出，对象为低保家庭中的残疾人；重度残疾人护理补贴主要补助残疾人因残疾产生的额外长期照护支出，对象为残疾等级被评定为一级、二级且需要长期照护的重度残疾人。",
                    )
                ],
                conditions="具有本市户籍、持有第二代残疾人证，属于低保家庭中的残疾人或残疾等级为一、二级且需长期照护的重度残疾人。",
                materials=[
                    _mat("残疾人两项补贴申请审批表", "申请人填写", 1, 0, ("original",), form="liangbu-apply"),
                    _ID_CARD,
                    _mat(
                        "第二代残疾人证",
                        "区残联",
                        1,
                        0,
                        ("original", "electronic"),
                        exempt_source="电子证照库（残疾人证）",
                    ),
                    _BANK,
                ],
                legal_limit=20,
                promised_limit=10,
                review=f"{STREETS[code]}民生保障办",
                decide="区民政局社会事务科",
                objects=["1"],
                result="残疾人两项补贴发放通知",
                phones=(f"010-6508{int(code[-3:]):02d}01", f"010-6508{int(code[-3:]):02d}99"),
                faq=[("两项补贴可以同时领取吗？", "符合两项条件的可以同时享受生活补贴和护理补贴。")],
                keywords=["残疾人两项补贴", "残疾人", "护理补贴", "生活补贴"],
                themes=["残疾人服务", "社会救助"],
            )
        )
    return out


# (name, unit, level, type, law, objects, keywords, themes, flaws). Flaws are deliberate.
_BRIEF: list[tuple[str, str, int, str, str, list[str], list[str], list[str], set[str]]] = [
    (
        "个体工商户设立登记",
        "SCJGJ",
        4,
        "01",
        "《促进个体工商户发展条例》",
        ["1"],
        ["个体户", "营业执照", "开店", "个体工商户"],
        ["市场准入", "开办企业"],
        set(),
    ),
    (
        "企业设立登记",
        "SCJGJ",
        4,
        "01",
        "《中华人民共和国市场主体登记管理条例》",
        ["2"],
        ["公司注册", "营业执照", "开办企业"],
        ["市场准入", "开办企业"],
        {"no_article"},
    ),
    (
        "食品经营许可变更",
        "SCJGJ",
        4,
        "01",
        "《中华人民共和国食品安全法》",
        ["2", "5"],
        ["食品经营许可证", "变更", "餐饮"],
        ["市场准入", "餐饮"],
        {"catchall"},
    ),
    (
        "户外广告设施设置审批",
        "SCJGJ",
        4,
        "01",
        "《北京市户外广告设施、牌匾标识和标语宣传品设置管理条例》",
        ["2"],
        ["户外广告", "招牌", "牌匾"],
        ["市场准入", "餐饮"],
        {"same_phone"},
    ),
    (
        "建设用地规划许可证核发",
        "GHZRZY",
        4,
        "01",
        "《中华人民共和国城乡规划法》",
        ["2", "3"],
        ["用地规划", "规划许可"],
        ["工程建设"],
        {"no_article"},
    ),
    (
        "户口迁入登记",
        "GAFJ",
        4,
        "07",
        "《中华人民共和国户口登记条例》",
        ["1"],
        ["户口", "落户", "迁入"],
        ["户籍", "公安"],
        {"catchall"},
    ),
    (
        "居民身份证申领",
        "GAFJ",
        4,
        "07",
        "《中华人民共和国居民身份证法》",
        ["1"],
        ["身份证", "补办身份证", "换领"],
        ["户籍", "公安"],
        set(),
    ),
    (
        "生育登记",
        "WJW",
        4,
        "20",
        "《中华人民共和国人口与计划生育法》",
        ["1"],
        ["生育登记", "生育服务证", "准生证", "怀孕"],
        ["生育", "卫生健康"],
        {"no_article"},
    ),
    (
        "出生医学证明办理",
        "WJW",
        4,
        "20",
        "《中华人民共和国母婴保健法》",
        ["1"],
        ["出生证", "出生医学证明", "新生儿"],
        ["生育", "卫生健康"],
        set(),
    ),
    (
        "公共场所卫生许可",
        "WJW",
        4,
        "01",
        "《公共场所卫生管理条例》",
        ["2", "5"],
        ["卫生许可证", "理发店", "美容院", "宾馆"],
        ["市场准入", "卫生健康"],
        {"same_phone"},
    ),
    (
        "医疗机构执业登记",
        "WJW",
        4,
        "01",
        "《医疗机构管理条例》",
        ["2", "3"],
        ["诊所", "医疗机构", "执业许可"],
        ["卫生健康"],
        {"catchall", "no_article"},
    ),
    (
        "就业困难人员认定",
        "RSJ",
        4,
        "07",
        "《中华人民共和国就业促进法》",
        ["1"],
        ["就业困难", "就业援助", "认定"],
        ["就业创业"],
        set(),
    ),
    (
        "失业保险金申领",
        "RSJ",
        4,
        "05",
        "《中华人民共和国社会保险法》",
        ["1"],
        ["失业金", "失业保险", "失业"],
        ["社会保险", "就业创业"],
        {"depth_visits"},
    ),
    (
        "职工参保登记",
        "RSJ",
        4,
        "20",
        "《中华人民共和国社会保险法》",
        ["2", "3", "4"],
        ["社保开户", "参保", "单位社保"],
        ["社会保险", "开办企业"],
        set(),
    ),
    (
        "灵活就业人员社会保险补贴",
        "RSJ",
        4,
        "05",
        "《中华人民共和国就业促进法》",
        ["1"],
        ["灵活就业", "社保补贴"],
        ["就业创业", "社会保险"],
        {"same_phone"},
    ),
    (
        "人力资源服务许可",
        "RSJ",
        4,
        "01",
        "《人力资源市场暂行条例》",
        ["2"],
        ["人力资源", "职业中介", "许可"],
        ["市场准入"],
        {"no_area_code"},
    ),
    (
        "结婚登记",
        "MZJ",
        4,
        "07",
        "《中华人民共和国民法典》",
        ["1"],
        ["结婚", "领证", "结婚证", "婚姻登记"],
        ["婚姻", "民政"],
        set(),
    ),
    (
        "离婚登记",
        "MZJ",
        4,
        "07",
        "《婚姻登记条例》",
        ["1"],
        ["离婚", "婚姻登记", "离婚证"],
        ["婚姻", "民政"],
        {"no_article", "no_reason", "no_chart"},
    ),
    (
        "社会团体成立登记",
        "MZJ",
        4,
        "01",
        "《社会团体登记管理条例》",
        ["4"],
        ["社会团体", "协会", "社团"],
        ["社会组织", "民政"],
        set(),
    ),
    (
        "民办非企业单位成立登记",
        "MZJ",
        4,
        "01",
        "《民办非企业单位登记管理暂行条例》",
        ["4"],
        ["民办非企业", "社会服务机构"],
        ["社会组织", "民政"],
        {"catchall"},
    ),
    (
        "养老机构备案",
        "MZJ",
        4,
        "10",
        "《中华人民共和国老年人权益保障法》",
        ["2", "4"],
        ["养老院", "养老机构", "备案"],
        ["养老服务", "民政"],
        {"fee_payment"},
    ),
    (
        "残疾人证核发",
        "CL",
        4,
        "07",
        "《中华人民共和国残疾人保障法》",
        ["1"],
        ["残疾证", "残疾人证", "残疾评定"],
        ["残疾人服务"],
        {"no_article"},
    ),
    (
        "城乡居民基本医疗保险参保登记",
        "YBJ",
        4,
        "20",
        "《中华人民共和国社会保险法》",
        ["1"],
        ["医保", "居民医保", "参保"],
        ["医疗保障", "社会保险"],
        set(),
    ),
    (
        "新生儿参加城乡居民基本医疗保险",
        "YBJ",
        4,
        "20",
        "《中华人民共和国社会保险法》",
        ["1"],
        ["新生儿医保", "一老一小", "参保"],
        ["医疗保障", "生育"],
        set(),
    ),
    (
        "出生登记",
        "GAFJ",
        4,
        "07",
        "《中华人民共和国户口登记条例》",
        ["1"],
        ["报户口", "新生儿落户", "出生登记", "上户口"],
        ["户籍", "生育"],
        set(),
    ),
    (
        "公共租赁住房资格审核",
        "ZJW",
        4,
        "07",
        "《公共租赁住房管理办法》",
        ["1"],
        ["公租房", "住房保障", "保障房"],
        ["住房保障"],
        {"same_phone"},
    ),
    (
        "建筑工程施工许可证核发",
        "ZJW",
        4,
        "01",
        "《中华人民共和国建筑法》",
        ["2", "3"],
        ["施工许可", "开工", "建筑工程"],
        ["工程建设"],
        set(),
    ),
    (
        "政务服务“办不成事”反映受理",
        "ZWGLJ",
        4,
        "20",
        "《优化营商环境条例》",
        ["1", "2"],
        ["办不成事", "朝我说", "投诉"],
        ["政务服务"],
        {"no_area_code"},
    ),
    (
        "失业登记",
        f"{DISTRICT}001",
        5,
        "20",
        "《就业服务与就业管理规定》",
        ["1"],
        ["失业登记", "失业", "求职"],
        ["就业创业"],
        set(),
    ),
    (
        "就业登记",
        f"{DISTRICT}002",
        5,
        "20",
        "《就业服务与就业管理规定》",
        ["1"],
        ["就业登记", "就业"],
        ["就业创业"],
        {"catchall", "no_reason"},
    ),
    (
        "《就业创业证》申领",
        f"{DISTRICT}001",
        5,
        "20",
        "《就业服务与就业管理规定》",
        ["1"],
        ["就业创业证", "失业证"],
        ["就业创业"],
        {"no_article"},
    ),
    (
        "老年人优待卡（北京通—养老助残卡）申办",
        f"{DISTRICT}003",
        5,
        "20",
        "《中华人民共和国老年人权益保障法》",
        ["1"],
        ["养老助残卡", "北京通", "老年卡", "优待"],
        ["养老服务"],
        set(),
    ),
    (
        "城乡居民养老保险待遇领取",
        f"{DISTRICT}002",
        5,
        "05",
        "《中华人民共和国社会保险法》",
        ["1"],
        ["养老金", "领取", "城乡居民养老"],
        ["社会保险", "养老"],
        {"same_phone"},
    ),
    (
        "大病医疗救助",
        f"{DISTRICT}003",
        5,
        "05",
        "《社会救助暂行办法》（国务院令第649号）",
        ["1"],
        ["医疗救助", "大病", "社会救助"],
        ["社会救助", "医疗保障"],
        {"depth_visits"},
    ),
    (
        "老年人助餐服务补贴申请",
        f"{DISTRICT}001",
        5,
        "05",
        "《中华人民共和国老年人权益保障法》",
        ["1"],
        ["助餐", "老年餐桌", "老年人"],
        ["养老服务"],
        {"catchall", "same_phone"},
    ),
]
# Known article text for some of the brief entries' laws (quoted; wording well established).
_ARTICLES: dict[str, tuple[str, str]] = {
    "就业困难人员认定": (
        "第五十二条",
        "各级人民政府建立健全就业援助制度，采取税费减免、贷款贴息、社会保险补贴、岗位补贴等办法，"
        "通过公益性岗位安置等途径，对就业困难人员实行优先扶持和重点帮助。",
    ),
    "失业保险金申领": (
        "第四十五条",
        "失业人员符合下列条件的，从失业保险基金中领取失业保险金：（一）失业前用人单位和本人已经"
        "缴纳失业保险费满一年的；（二）非因本人意愿中断就业的；（三）已经进行失业登记，并有求职要求的。",
    ),
    "结婚登记": (
        "第一千零四十九条",
        "要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。符合本法规定的，予以登记，"
        "发给结婚证。完成结婚登记，即确立婚姻关系。未办理结婚登记的，应当补办登记。",
    ),
    "社会团体成立登记": (
        "第九条",
        "申请成立社会团体，应当经其业务主管单位审查同意，由发起人向登记管理机关申请登记。",
    ),
    "建筑工程施工许可证核发": (
        "第七条",
        "建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管"
        "部门申请领取施工许可证；但是，国务院建设行政主管部门确定的限额以下的小型工程除外。",
    ),
    "城乡居民基本医疗保险参保登记": ("第二十五条", "国家建立和完善城镇居民基本医疗保险制度。"),
    "新生儿参加城乡居民基本医疗保险": ("第二十五条", "国家建立和完善城镇居民基本医疗保险制度。"),
    "个体工商户设立登记": (
        "第二条",
        "有经营能力的公民在中华人民共和国境内从事工商业经营，依法登记为个体工商户的，适用本条例。",
    ),
    "居民身份证申领": (
        "第二条",
        "居住在中华人民共和国境内的年满十六周岁的中国公民，应当依照本法的规定申请领取居民身份证；"
        "未满十六周岁的中国公民，可以依照本法的规定申请领取居民身份证。",
    ),
    "出生医学证明办理": (
        "第二十三条",
        "医疗保健机构和从事家庭接生的人员按照国务院卫生行政部门的规定，出具统一制发的新生儿"
        "出生医学证明；有产妇和婴儿死亡以及新生儿出生缺陷情况的，应当向卫生行政部门报告。",
    ),
    "职工参保登记": (
        "第五十七条",
        "用人单位应当自成立之日起三十日内凭营业执照、登记证书或者单位印章，向当地社会保险经办机构"
        "申请办理社会保险登记。",
    ),
    "出生登记": (
        "第七条",
        "婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
    ),
}


def _brief(
    name: str,
    unit: str,
    level: int,
    item_type: str,
    law: str,
    objects: list[str],
    keywords: list[str],
    themes: list[str],
    flaws: set[str],
) -> dict[str, Any]:
    phone_key = unit if unit in _PHONES else "ZWGLJ"
    enquiry, supervision = _PHONES[phone_key]
    if level == 5:
        n = int(unit[-3:])
        enquiry, supervision = f"010-6508{n:02d}01", f"010-6508{n:02d}99"
    article, text = _ARTICLES.get(name, (None, None))
    if "no_article" in flaws:
        article, text = None, None
    licensing = item_type == "01"
    materials = [
        _mat(
            f"{name}申请表",
            "申请人填写",
            1,
            0,
            ("original", "electronic"),
            form=f"brief-{_h(name) % 1000:03d}",
        ),
        *(_LICENSE_MATS_COMPANY if "2" in objects else [_ID_CARD]),
    ]
    if "catchall" in flaws:
        materials.append(_mat("其他材料", "申请人", 1, 0, ("original",)))
    entry: dict[str, Any] = {
        "name": name,
        "item_type": item_type,
        "implementing_unit": unit_ref(unit),
        "level": level,
        "power_source": "1",
        "legal_basis": [_law(law, article, text)],
        "handling_type": "2",
        "legal_limit": _tl(20 if licensing else 15),
        "promised_limit": _tl(10 if licensing else 5),
        "service_objects": objects,
        "handling_forms": ["1", "2", "3"],
        "place": _street_place(unit) if level == 5 else _district_place(unit),
        "hours": _HOURS,
        "enquiry_phone": enquiry,
        "supervision_phone": supervision,
        "acceptance_conditions": f"符合{law}规定条件的申请人（演示：条件摘要）。",
        "quantity_limit": "无数量限制",
        "no_special_steps": True,
        "materials": materials,
        "process": _process(
            "综合受理窗口", "业务科室", unit_ref(unit)["name"], (1, 5 if licensing else 2, 2)
        ),
        "process_chart_url": None if "no_chart" in flaws else f"{_FORM_BASE}/flow-{_h(name) % 10000:04d}.png",
        "visits": 1,
        "visits_reason": "领取结果",
        "online_depth": "III",
        "appointment_supported": True,
        "post_delivery_supported": True,
        "result": {"name": f"{name}结果文书"},
        "faq": [
            {"question": f"{name}可以网上办理吗？", "answer": f"可以通过北京市政务服务网申报。{_DEMO_NOTE}"}
        ],
        "keywords": keywords,
        "themes": themes,
        "demo": True,
    }
    if "same_phone" in flaws:
        entry["supervision_phone"] = enquiry
    if "no_area_code" in flaws:
        entry["enquiry_phone"] = enquiry.removeprefix("010-")
    if "depth_visits" in flaws:
        entry["online_depth"] = "IV"  # IV yet one visit: inconsistent on purpose
    if "no_reason" in flaws:
        entry["visits"], entry["visits_reason"] = 2, None
    if "fee_payment" in flaws:
        entry["online_payment_supported"] = True  # no fee but online payment
    return entry


def demo_entries() -> list[ItemElements]:
    """Every demo entry, validated (25 community items first, in the CSV's order)."""
    complete_community = {e["name"]: e for e in _community_complete()}
    community_order = [
        "为北京市城乡无丧葬补助居民发放丧葬补贴",
        "对符合条件的社会救助对象给予清洁能源自采暖补贴",
        "高龄老年人津贴",
        "失能老年人护理补贴",
        "城乡低收入家庭认定",
        "对享受城市居民生活困难补助人员进行确认",
        "对社会救助对象进行定期核查",
        "困难老年人养老服务补贴",
        "城乡最低生活保障对象认定",
        "特困人员认定",
        "临时救助对象认定",
        "为困境儿童发放生活费",
        "为低保和分散供养特困人员发放集中供热采暖补助",
        "对符合条件的社会救助对象给予燃煤自采暖救助",
        "对社会救助对象给予高等教育新生入学救助进行给付",
        "增发、减发、停发最低生活保障金，停止社会救助",
        "城乡居民养老保险参保登记",
        "居民养老保险注销登记",
        "对计划生育家庭特别扶助对象的资格确认",
        "对计划生育伤残家庭特别扶助对象的资格确认",
        "对农村部分计划生育家庭奖励扶助对象的资格确认",
        "对领取独生子女父母奖励费对象的资格确认",
        "对领取独生子女父母一次性奖励对象的资格确认",
        "独生子女父母光荣证受理",
        "生育登记-互补网申请",
    ]
    brief_community = {row[1]: _community_brief(*row) for row in _COMMUNITY_BRIEF}
    raw = [complete_community.get(n) or brief_community[n] for n in community_order]
    raw += _district_complete()
    raw += _street_complete()
    raw += [_brief(*row) for row in _BRIEF]
    return [ItemElements.model_validate(r) for r in raw]


COMMUNITY_ITEM_NAMES = frozenset(
    [
        *(row[1] for row in _COMMUNITY_BRIEF),
        "高龄老年人津贴",
        "失能老年人护理补贴",
        "城乡最低生活保障对象认定",
        "特困人员认定",
        "临时救助对象认定",
        "城乡居民养老保险参保登记",
    ]
)


def demo_bundles() -> list[dict[str, Any]]:
    """The "one thing" bundles (一件事): code, name, description, member item names in order."""
    return [
        {
            "code": "YJS-110105-0001",
            "name": "开办餐饮店 一件事",
            "description": "开办餐饮店一次申请、一表填报：个体工商户营业执照、食品经营许可、"
            "单位社保开户一并办理（演示）。",
            "items": ["个体工商户设立登记", "食品经营许可", "职工参保登记"],
        },
        {
            "code": "YJS-110105-0002",
            "name": "新生儿出生 一件事",
            "description": "新生儿出生医学证明、出生登记（报户口）、居民医保参保一次办（演示）。",
            "items": ["出生医学证明办理", "出生登记", "新生儿参加城乡居民基本医疗保险"],
        },
    ]
