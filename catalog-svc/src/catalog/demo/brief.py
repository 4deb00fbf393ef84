"""The brief demo items: about 40 district and street entries with deliberately varied completeness
(the flaws the quality report shows), from one table."""

from typing import Any

from .district import LICENSE_MATS_COMPANY as _LICENSE_MATS_COMPANY

# The shared building blocks keep their former private names here, so the items below read as before.
from .parts import DEMO_NOTE as _DEMO_NOTE
from .parts import (
    DISTRICT,
    unit_ref,
)
from .parts import FORM_BASE as _FORM_BASE
from .parts import HOURS as _HOURS
from .parts import ID_CARD as _ID_CARD
from .parts import PHONES as _PHONES
from .parts import district_place as _district_place
from .parts import law as _law
from .parts import mat as _mat
from .parts import process as _process
from .parts import stable_hash as _h
from .parts import street_place as _street_place
from .parts import tl as _tl

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
    """A brief entry: the table row's values, the usual rest, then its deliberate flaws."""
    enquiry, supervision = _phones(unit, level)
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
    _add_flaws(entry, flaws)
    return entry


def _phones(unit: str, level: int) -> tuple[str, str]:
    """(enquiry, supervision) phones: the department's, or the street's own at level 5."""
    phone_key = unit if unit in _PHONES else "ZWGLJ"
    enquiry, supervision = _PHONES[phone_key]
    if level == 5:
        n = int(unit[-3:])
        enquiry, supervision = f"010-6508{n:02d}01", f"010-6508{n:02d}99"
    return enquiry, supervision


def _add_flaws(entry: dict[str, Any], flaws: set[str]) -> None:
    """Spoil the entry's contact and handling elements as its flaws say (on purpose)."""
    enquiry = entry["enquiry_phone"]
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


#: What some brief items offer beyond the usual (issue 20): a fee paid before the result is
#: handed over, and approval on commitment (告知承诺制) in place of two materials.
_EXTRAS: dict[str, dict[str, Any]] = {
    "居民身份证申领": {
        "fees": {
            "charged": True,
            "items": [
                {
                    "name": "居民身份证工本费",
                    "standard": "20元/证",
                    "basis": "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》",
                    "amount_fen": 2000,
                }
            ],
            "pay_before_delivery": True,
        },
    },
    # A published item (公共场所卫生许可's demo entry keeps deliberate flaws and is never published).
    "社会团体成立登记": {
        # A licence, so a false commitment's revocation voids it in the library too.
        "result": {"name": "社会团体法人登记证书", "licence_type_code": "STTFRDJZS"},
        "materials_more": [
            _mat("住所使用权证明", "产权单位或出租方", 1, 1, ("original", "copy")),
            _mat("验资报告", "会计师事务所", 1, 0, ("original", "electronic")),
        ],
        "commitment": {
            "text": "本团体承诺：住所真实、合法，可以使用；注册资金已足额到位，与申报一致；"
            "所填信息及承诺内容真实、准确。如有不实，愿意承担撤销登记等法律责任，并记入信用记录。",
            "replaces": ["住所使用权证明", "验资报告"],
            "post_check_days": 20,
        },
    },
}


def _with_extras(entry: dict[str, Any]) -> dict[str, Any]:
    extras = dict(_EXTRAS.get(entry["name"], {}))
    entry["materials"] = [*entry["materials"], *extras.pop("materials_more", [])]
    return {**entry, **extras}


def brief_entries() -> list[dict[str, Any]]:
    """The brief items, flaws and all."""
    return [_with_extras(_brief(*row)) for row in _BRIEF]
