"""The complete district-level (level 4) and street-level (level 5) demo items."""

from typing import Any

# The shared building blocks keep their former private names here, so the items below read as before.
from .parts import BANK as _BANK
from .parts import ID_CARD as _ID_CARD
from .parts import (
    STREETS,
)
from .parts import complete as _complete
from .parts import law as _law
from .parts import mat as _mat
from .parts import tl as _tl

LICENSE_MATS_COMPANY = [
    _mat(
        "营业执照",
        "市场监督管理部门",
        0,
        0,
        ("electronic",),
        exempt_source="电子证照库（营业执照）",
        licence="YYZZ",
    ),
    _mat("法定代表人居民身份证", "公安机关", 1, 0, ("original",)),
]


def _food_business_licence() -> dict[str, Any]:
    """食品经营许可 (区级)."""
    return _complete(
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
            *LICENSE_MATS_COMPANY,
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
    )


def _construction_planning_permit() -> dict[str, Any]:
    """建设工程规划许可证核发 (区级)."""
    return _complete(
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
    )


def _residence_permit() -> dict[str, Any]:
    """居住证办理 (区级)."""
    return _complete(
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
    )


def district_entries() -> list[dict[str, Any]]:
    """The complete district items."""
    return [_food_business_licence(), _construction_planning_permit(), _residence_permit()]


def street_entries() -> list[dict[str, Any]]:
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
