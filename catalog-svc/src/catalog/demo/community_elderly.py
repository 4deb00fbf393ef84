"""The community items for the elderly (区民政局) and residents' pensions (区人力社保局)."""

from __future__ import annotations

from typing import Any

from .community_parts import (
    _AGENT_ID,
    _ASSISTANCE_STATUS,
    _ELDERLY_30,
    _ELDERLY_33,
    _ELDERLY_37,
    _ELDERLY_BJ,
    _MZ_ELDERLY,
    _MZ_ELDERLY_REVIEW,
    _NO_LEGAL_LIMIT,
    _RS_DECIDE,
    _RS_REVIEW,
    _SI_14,
    _SI_20,
    _SI_22,
    community_item,
)
from .parts import HUKOU, ID_CARD, law, mat, tl


def _old_age_allowance() -> dict[str, Any]:
    """高龄老年人津贴: decided at once when the data prove it (秒批), and offered unasked to every
    resident who turns 80 (免申即享)."""
    item = community_item(
        name="高龄老年人津贴",
        unit="MZJ",
        item_type="05",
        kind="accept",
        legal=[
            _ELDERLY_33,
            law(
                _ELDERLY_BJ,
                "第二条",
                "演示：本市对具有本市户籍、年满80周岁的老年人发放高龄老年人津贴（条文为摘要，以正式文本"
                "为准）。",
            ),
        ],
        conditions="具有本市户籍、年满80周岁的老年人。",
        materials=[
            mat(
                "北京市老年人津贴申请表",
                "申请人或代理人填写",
                1,
                0,
                ("original",),
                form="gaoling-apply",
            ),
            ID_CARD,
            _AGENT_ID,
            mat(
                "北京通—养老助残卡",
                "北京市民政局",
                1,
                0,
                ("original",),
                notes="津贴发放至本卡",
                licence="BJTYLZCK",
            ),
        ],
        legal_limit=20,
        promised_limit=10,
        review=_MZ_ELDERLY_REVIEW,
        decide=_MZ_ELDERLY,
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
    )
    item["auto_approval"] = {
        "version": 1,
        "rules": [
            {"kind": "min_age", "value": "80"},
            {"kind": "resident_of", "value": "110105"},
            {"kind": "holds_licence", "value": "BJTYLZCK"},
        ],
    }
    item["proactive"] = {"min_age": 80, "resident_of": "110105"}
    return item


def _disabled_elderly_care_subsidy() -> dict[str, Any]:
    """失能老年人护理补贴."""
    return community_item(
        name="失能老年人护理补贴",
        unit="MZJ",
        item_type="05",
        kind="accept",
        legal=[
            _ELDERLY_30,
            law(
                _ELDERLY_BJ,
                "第二条",
                "演示：对经评估为重度失能的本市户籍老年人发放失能老年人护理补贴（条文为摘要，以正式文本"
                "为准）。",
            ),
        ],
        conditions="具有本市户籍、年满60周岁、经老年人能力综合评估为重度失能的老年人。",
        materials=[
            mat(
                "北京市老年人补贴申请表",
                "申请人或代理人填写",
                1,
                0,
                ("original",),
                form="shineng-apply",
            ),
            ID_CARD,
            mat(
                "老年人能力综合评估报告",
                "区民政局委托的评估机构",
                1,
                0,
                ("original", "electronic"),
                exempt_source="数据共享（老年人能力评估系统）",
            ),
            mat(
                "北京通—养老助残卡",
                "北京市民政局",
                1,
                0,
                ("original",),
                notes="补贴发放至本卡",
                licence="BJTYLZCK",
            ),
        ],
        legal_limit=20,
        promised_limit=10,
        review=_MZ_ELDERLY_REVIEW,
        decide=_MZ_ELDERLY,
        objects=["1"],
        result="失能老年人护理补贴发放通知",
        special=[
            {
                "kind": "assessment",
                "description": "老年人能力综合评估（可上门评估）。",
                "time_limit": tl(10, "working_day", "评估时间不计入承诺时限"),
            }
        ],
        faq=[("行动不便能上门评估吗？", "可以。申请时勾选上门评估，评估机构在约定时间入户评估。")],
        keywords=["失能", "护理补贴", "老年人", "养老"],
        themes=["养老服务", "民政"],
    )


def _poor_elderly_care_subsidy() -> dict[str, Any]:
    """困难老年人养老服务补贴."""
    return community_item(
        name="困难老年人养老服务补贴",
        unit="MZJ",
        item_type="05",
        kind="accept",
        legal=[_ELDERLY_37],
        conditions="具有本市户籍、年满60周岁，属于最低生活保障家庭、特困供养人员或低收入家庭的经济困难"
        "老年人（范围和标准按本市规定执行）。",
        materials=[
            mat(
                "困难老年人养老服务补贴申请表",
                "申请人或代理人填写",
                1,
                0,
                ("original", "electronic"),
                form="kunnan-laoren-apply",
            ),
            ID_CARD,
            _ASSISTANCE_STATUS,
            mat(
                "北京通—养老助残卡",
                "北京市民政局",
                1,
                0,
                ("original",),
                notes="补贴发放至本卡",
                licence="BJTYLZCK",
            ),
        ],
        legal_limit=20,
        promised_limit=10,
        review=_MZ_ELDERLY_REVIEW,
        decide=_MZ_ELDERLY,
        objects=["1"],
        result="困难老年人养老服务补贴发放通知",
        visits=0,
        depth="IV",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[
            (
                "需要提供低保证明吗？",
                "不需要。救助身份由社区服务站通过社会救助信息系统核实，免于提交。",
            )
        ],
        keywords=["养老服务补贴", "困难老人", "老年人"],
        themes=["养老服务", "民政"],
    )


def _pension_enrolment() -> dict[str, Any]:
    """城乡居民养老保险参保登记."""
    return community_item(
        name="城乡居民养老保险参保登记",
        unit="RSJ",
        item_type="20",
        kind="accept",
        legal=[_SI_20, _SI_22],
        conditions="具有本区户籍，年满16周岁（不含在校学生），未参加职工基本养老保险的城乡居民。",
        materials=[
            mat(
                "北京市城乡居民养老保险参保登记表",
                "申请人填写",
                1,
                0,
                ("original", "electronic"),
                form="jmyl-reg",
            ),
            ID_CARD,
            HUKOU,
        ],
        legal_limit=10,
        promised_limit=5,
        step_limits=(1, 2, 1),
        review=_RS_REVIEW,
        decide=_RS_DECIDE,
        objects=["1"],
        result="城乡居民养老保险参保登记信息",
        visits=0,
        depth="IV",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[("缴费档次可以调整吗？", "可以。每年可在规定期间内选择或调整缴费档次一次。")],
        keywords=["养老保险", "城乡居民", "参保", "社保登记"],
        themes=["社会保险", "养老"],
    )


def _pension_deregistration() -> dict[str, Any]:
    """居民养老保险注销登记."""
    return community_item(
        name="居民养老保险注销登记",
        unit="RSJ",
        item_type="20",
        kind="accept",
        legal=[_SI_14],
        conditions="参加本区城乡居民养老保险的人员死亡、出国（境）定居或已转入职工基本养老保险的，办理"
        "注销登记；参保人死亡的，个人账户余额由继承人依法继承。",
        materials=[
            mat(
                "城乡居民养老保险注销登记表",
                "申请人填写",
                1,
                0,
                ("original", "electronic"),
                form="jmyl-cancel",
            ),
            ID_CARD,
            mat(
                "参保人死亡医学证明（推断）书",
                "医疗卫生机构",
                1,
                1,
                ("original", "copy"),
                condition="参保人死亡的",
            ),
            mat(
                "继承权公证书",
                "公证机构",
                1,
                1,
                ("original", "copy"),
                condition="参保人死亡且个人账户余额由继承人领取的",
            ),
            mat(
                "出国（境）定居证明",
                "我国驻外使领馆或公安机关出入境管理部门",
                1,
                1,
                ("original", "copy"),
                condition="参保人出国（境）定居的",
            ),
            mat(
                "职工基本养老保险参保证明",
                "社会保险经办机构",
                0,
                0,
                ("electronic",),
                condition="已参加职工基本养老保险的",
                exempt_source="数据共享（社会保险信息系统），免提交",
            ),
        ],
        legal_limit=10,
        promised_limit=5,
        step_limits=(1, 2, 1),
        review=_RS_REVIEW,
        decide=_RS_DECIDE,
        objects=["1"],
        result="城乡居民养老保险注销登记信息",
        visits_reason="继承人领取个人账户余额需到社区服务站核验身份一次",
        legal_note=_NO_LEGAL_LIMIT,
        faq=[
            (
                "个人账户里的钱怎么处理？",
                "注销时个人账户余额一次性支付给本人；参保人死亡的，由继承人依法继承。",
            )
        ],
        keywords=["养老保险", "注销", "居民养老"],
        themes=["社会保险", "养老"],
    )


def entries() -> list[dict[str, Any]]:
    """This family's community items."""
    return [
        _old_age_allowance(),
        _disabled_elderly_care_subsidy(),
        _poor_elderly_care_subsidy(),
        _pension_enrolment(),
        _pension_deregistration(),
    ]
