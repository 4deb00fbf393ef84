"""The community items of 区卫生健康委: family planning (计划生育) and birth registration (生育登记)."""

from __future__ import annotations

from typing import Any

from .community_parts import (
    _DISABILITY,
    _HONOUR_CERT,
    _MARRIAGE,
    _NO_LEGAL_LIMIT,
    _POP_18,
    _POP_27,
    _SOCIAL_CARD,
    _WJ_DECIDE,
    _WJ_REVIEW,
    community_item,
)
from .parts import HUKOU, ID_CARD, mat

_APPLY_FORM = "申请人填写"


def _family_planning_special_support() -> dict[str, Any]:
    """对计划生育家庭特别扶助对象的资格确认."""
    return community_item(
        name="对计划生育家庭特别扶助对象的资格确认",
        unit="WJW",
        item_type="07",
        kind="collect_forward",
        legal=[_POP_27],
        conditions="1933年1月1日以后出生、女方年满49周岁，只生育或合法收养一个子女，现无存活子女且未再"
        "生育或收养子女的夫妻（按国家和本市计划生育家庭特别扶助制度执行）。",
        materials=[
            mat("计划生育家庭特别扶助申请表", _APPLY_FORM, 1, 0, ("original",), form="tefu-apply"),
            ID_CARD,
            HUKOU,
            _MARRIAGE,
            {**_HONOUR_CERT, "requirement": "conditional", "condition": "已领取独生子女父母光荣证的"},
            mat("子女死亡证明", "医疗卫生机构或公安机关", 1, 1, ("original", "copy")),
            mat("未再生育收养子女承诺书", "夫妻双方签字", 1, 0, ("original",), form="tefu-promise"),
            _SOCIAL_CARD,
        ],
        legal_limit=30,
        promised_limit=15,
        review=_WJ_REVIEW,
        decide=_WJ_DECIDE,
        objects=["1"],
        result="计划生育家庭特别扶助对象资格确认通知",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[("扶助金怎么发？", "资格确认后按年度发放至申请人本人社会保障卡。")],
        keywords=["计划生育", "特别扶助", "失独"],
        themes=["计划生育", "卫生健康"],
    )


def _family_planning_disability_support() -> dict[str, Any]:
    """对计划生育伤残家庭特别扶助对象的资格确认."""
    return community_item(
        name="对计划生育伤残家庭特别扶助对象的资格确认",
        unit="WJW",
        item_type="07",
        kind="collect_forward",
        legal=[_POP_27],
        conditions="1933年1月1日以后出生、女方年满49周岁，只生育或合法收养一个子女，独生子女被依法鉴定"
        "为残疾（伤病残达到三级以上）且未再生育或收养子女的夫妻（按国家和本市计划生育家庭特别扶助制度"
        "执行）。",
        materials=[
            mat("计划生育伤残家庭特别扶助申请表", _APPLY_FORM, 1, 0, ("original",), form="shangcan-apply"),
            ID_CARD,
            HUKOU,
            _MARRIAGE,
            {**_HONOUR_CERT, "requirement": "conditional", "condition": "已领取独生子女父母光荣证的"},
            {**_DISABILITY, "name": "子女残疾人证", "requirement": "required", "condition": None},
            mat("未再生育收养子女承诺书", "夫妻双方签字", 1, 0, ("original",), form="tefu-promise"),
            _SOCIAL_CARD,
        ],
        legal_limit=30,
        promised_limit=15,
        review=_WJ_REVIEW,
        decide=_WJ_DECIDE,
        objects=["1"],
        result="计划生育伤残家庭特别扶助对象资格确认通知",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[("残疾等级怎么认定？", "以残联核发的残疾人证记载的等级为准，由系统核验，免于提交复印件。")],
        keywords=["计划生育", "伤残", "特别扶助"],
        themes=["计划生育", "卫生健康"],
    )


def _rural_family_planning_reward() -> dict[str, Any]:
    """对农村部分计划生育家庭奖励扶助对象的资格确认."""
    return community_item(
        name="对农村部分计划生育家庭奖励扶助对象的资格确认",
        unit="WJW",
        item_type="07",
        kind="collect_forward",
        legal=[_POP_27],
        conditions="本人及配偶为农村居民户口（或界定为农村居民），1933年1月1日以后出生、年满60周岁，在"
        "国家提倡一对夫妻生育一个子女期间没有违反计划生育规定生育，现存一个子女或两个女孩或子女死亡现无"
        "子女的夫妻（按国家和本市奖励扶助制度执行）。",
        materials=[
            mat(
                "农村部分计划生育家庭奖励扶助申请表",
                _APPLY_FORM,
                1,
                0,
                ("original",),
                form="jiangfu-apply",
            ),
            ID_CARD,
            HUKOU,
            _MARRIAGE,
            mat("生育情况证明", "户籍所在地村（居）民委员会", 1, 0, ("original",)),
            _SOCIAL_CARD,
        ],
        legal_limit=30,
        promised_limit=15,
        review=_WJ_REVIEW,
        decide=_WJ_DECIDE,
        objects=["1"],
        result="农村部分计划生育家庭奖励扶助对象资格确认通知",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[("每年都要确认吗？", "每年确认一次资格，情况无变化的由社区服务站协助办理。")],
        keywords=["计划生育", "奖励扶助", "农村"],
        themes=["计划生育", "卫生健康"],
    )


def _only_child_parents_reward() -> dict[str, Any]:
    """对领取独生子女父母奖励费对象的资格确认."""
    return community_item(
        name="对领取独生子女父母奖励费对象的资格确认",
        unit="WJW",
        item_type="07",
        kind="accept",
        legal=[_POP_27],
        conditions="在国家提倡一对夫妻生育一个子女期间生育一个子女、已领取《独生子女父母光荣证》且子女"
        "未满18周岁的本市户籍夫妻（奖励费标准和发放期限按本市规定执行）。",
        materials=[
            mat("独生子女父母奖励费申请表", _APPLY_FORM, 1, 0, ("original",), form="jianglifei-apply"),
            ID_CARD,
            _HONOUR_CERT,
            _SOCIAL_CARD,
        ],
        legal_limit=20,
        promised_limit=10,
        review=_WJ_REVIEW,
        decide=_WJ_DECIDE,
        objects=["1"],
        result="独生子女父母奖励费资格确认通知",
        visits_reason="核验《独生子女父母光荣证》原件需到社区服务站一次",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[("奖励费发到什么时候？", "按本市规定发放至子女年满18周岁。")],
        keywords=["独生子女", "奖励费"],
        themes=["计划生育", "卫生健康"],
    )


def _only_child_parents_lump_sum() -> dict[str, Any]:
    """对领取独生子女父母一次性奖励对象的资格确认."""
    return community_item(
        name="对领取独生子女父母一次性奖励对象的资格确认",
        unit="WJW",
        item_type="07",
        kind="accept",
        legal=[_POP_27],
        conditions="持有《独生子女父母光荣证》、退休时未享受独生子女父母一次性奖励的本市户籍退休人员"
        "（奖励标准按本市规定执行）。",
        materials=[
            mat("独生子女父母一次性奖励申请表", _APPLY_FORM, 1, 0, ("original",), form="yicixing-apply"),
            ID_CARD,
            _HONOUR_CERT,
            mat("退休证", "原工作单位或社会保险经办机构", 1, 1, ("original", "copy")),
            _SOCIAL_CARD,
        ],
        legal_limit=20,
        promised_limit=10,
        review=_WJ_REVIEW,
        decide=_WJ_DECIDE,
        objects=["1"],
        result="独生子女父母一次性奖励资格确认通知",
        visits_reason="核验《独生子女父母光荣证》和退休证原件需到社区服务站一次",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[("夫妻双方都能领吗？", "夫妻双方符合条件的，各自申请。")],
        keywords=["独生子女", "一次性奖励", "退休"],
        themes=["计划生育", "卫生健康"],
    )


def _only_child_honour_certificate() -> dict[str, Any]:
    """独生子女父母光荣证受理."""
    return community_item(
        name="独生子女父母光荣证受理",
        unit="WJW",
        item_type="07",
        kind="accept",
        legal=[_POP_27],
        conditions="在国家提倡一对夫妻生育一个子女期间生育一个子女、自愿终身只生育一个子女的本市户籍"
        "夫妻，申请办理、补办或换发《独生子女父母光荣证》（办理期限按本市规定执行）。",
        materials=[
            mat("独生子女父母光荣证申请表", _APPLY_FORM, 1, 0, ("original",), form="guangrong-apply"),
            ID_CARD,
            mat(
                "配偶居民身份证",
                "公安机关",
                1,
                0,
                ("original", "electronic"),
                exempt_source="电子证照库（居民身份证）",
            ),
            HUKOU,
            _MARRIAGE,
            mat("子女出生医学证明", "助产机构", 1, 1, ("original", "copy")),
            {
                **_HONOUR_CERT,
                "name": "原独生子女父母光荣证",
                "requirement": "conditional",
                "condition": "换发的",
            },
        ],
        legal_limit=20,
        promised_limit=10,
        review=_WJ_REVIEW,
        decide=_WJ_DECIDE,
        objects=["1"],
        result="独生子女父母光荣证",
        visits_reason="核验子女出生医学证明原件需到社区服务站一次",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[("光荣证丢了怎么办？", "可持身份证到社区服务站申请补办，补办后原证作废。")],
        keywords=["独生子女", "光荣证"],
        themes=["计划生育", "卫生健康"],
    )


def _birth_registration() -> dict[str, Any]:
    """生育登记-互补网申请."""
    return community_item(
        name="生育登记-互补网申请",
        unit="WJW",
        item_type="20",
        kind="enquiry_prereview",
        legal=[_POP_18],
        conditions="夫妻一方或双方户籍在本市，或在本市居住的夫妻，生育子女前或生育后通过互联网申请生育"
        "登记；社区服务站提供咨询并协助网上预审。",
        materials=[
            mat("生育登记表", "申请人在线填写", 0, 0, ("electronic",), form="shengyu-reg"),
            mat(
                "女方居民身份证",
                "公安机关",
                0,
                0,
                ("electronic",),
                exempt_source="电子证照库（居民身份证）",
            ),
            mat(
                "男方居民身份证",
                "公安机关",
                0,
                0,
                ("electronic",),
                exempt_source="电子证照库（居民身份证）",
            ),
            {**_MARRIAGE, "originals": 0, "media": ["electronic"]},
        ],
        legal_limit=5,
        promised_limit=2,
        step_limits=(0, 0, 1),
        review=_WJ_REVIEW,
        decide=_WJ_DECIDE,
        objects=["1"],
        result="生育登记服务单（电子）",
        visits=0,
        depth="IV",
        legal_note=_NO_LEGAL_LIMIT,
        deliver="电子生育登记服务单推送至申请人，需要纸质服务单的可邮寄或到社区服务站领取",
        faq=[
            (
                "“互补网申请”是什么意思？",
                "即通过互联网申请（清单原文如此），可在北京通APP等网上渠道填报，社区服务站可协助预审。",
            )
        ],
        keywords=["生育登记", "生育服务", "网上申请", "互联网申请"],
        themes=["生育", "卫生健康"],
    )


def entries() -> list[dict[str, Any]]:
    """This family's community items."""
    return [
        _family_planning_special_support(),
        _family_planning_disability_support(),
        _rural_family_planning_reward(),
        _only_child_parents_reward(),
        _only_child_parents_lump_sum(),
        _only_child_honour_certificate(),
        _birth_registration(),
    ]
