"""A realistic synthetic catalogue: implementation entries composed from real vocabularies.

Names are built the way real 实施清单 names are (subject + thing + action: 个体工商户营业执照注销
登记, 药品经营许可证核发, 对困难老年人发放养老服务补贴), each under the department that would own
it, with materials, keywords, themes and FAQ from the same vocabularies; the 25 real community
items of shared/data/community_items.csv are included at every street. Seeded: the same seed
gives the same corpus.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
COMMUNITY_CSV = REPO / "data" / "community_items.csv"

# Department code, name, its subjects (办事对象/事项主体), its things (证照/待遇), its themes.
DEPARTMENTS: list[tuple[str, str, list[str], list[str], list[str]]] = [
    (
        "MZ",
        "区民政局",
        [
            "老年人",
            "高龄老年人",
            "失能老年人",
            "残疾人",
            "低保家庭",
            "特困人员",
            "困境儿童",
            "社会救助对象",
            "低收入家庭",
            "社会组织",
            "民办非企业单位",
            "社会团体",
            "婚姻当事人",
            "养老机构",
        ],
        [
            "最低生活保障金",
            "养老服务补贴",
            "护理补贴",
            "高龄津贴",
            "临时救助金",
            "丧葬补贴",
            "采暖补助",
            "婚姻登记证",
            "法人登记证书",
            "优待证",
        ],
        ["社会救助", "养老服务", "婚姻登记", "社会组织", "残疾人服务"],
    ),
    (
        "SC",
        "区市场监督管理局",
        [
            "企业",
            "个体工商户",
            "餐饮服务单位",
            "食品经营者",
            "药品零售企业",
            "医疗器械经营企业",
            "农民专业合作社",
            "分支机构",
            "特种设备使用单位",
            "计量器具",
        ],
        [
            "营业执照",
            "食品经营许可证",
            "药品经营许可证",
            "医疗器械经营备案凭证",
            "特种设备使用登记证",
            "商标",
            "广告",
            "股权出质",
        ],
        ["开办企业", "市场监管", "食品安全", "药品安全"],
    ),
    (
        "RS",
        "区人力资源和社会保障局",
        [
            "城乡居民",
            "灵活就业人员",
            "失业人员",
            "高校毕业生",
            "用人单位",
            "退休人员",
            "外国人",
            "就业困难人员",
            "技能人才",
        ],
        [
            "养老保险",
            "失业保险金",
            "就业创业证",
            "社会保障卡",
            "职业技能等级证书",
            "创业担保贷款",
            "工伤认定",
            "劳动合同",
            "外国人工作许可",
        ],
        ["就业创业", "社会保险", "劳动关系"],
    ),
    (
        "ZJ",
        "区住房和城乡建设委员会",
        [
            "建设单位",
            "施工企业",
            "房地产开发企业",
            "物业服务企业",
            "住房困难家庭",
            "建设工程",
            "既有建筑",
            "燃气经营企业",
        ],
        [
            "施工许可证",
            "建筑业企业资质",
            "商品房预售许可证",
            "公共租赁住房",
            "竣工验收备案",
            "燃气经营许可证",
            "住房保障资格",
            "安全生产许可证",
        ],
        ["工程建设", "住房保障", "房屋交易"],
    ),
    (
        "WJ",
        "区卫生健康委员会",
        [
            "医疗机构",
            "执业医师",
            "护士",
            "计划生育家庭",
            "独生子女家庭",
            "公共场所",
            "母婴保健机构",
            "新生儿",
        ],
        [
            "医疗机构执业许可证",
            "医师执业证书",
            "护士执业证书",
            "卫生许可证",
            "特别扶助金",
            "出生医学证明",
            "独生子女父母光荣证",
            "母婴保健技术服务执业许可证",
        ],
        ["医疗卫生", "生育收养", "计划生育"],
    ),
    (
        "GA",
        "区公安分局",
        ["居民", "流动人口", "新生儿", "境外人员", "机动车", "旅馆业", "保安服务公司", "印章刻制业"],
        [
            "居民身份证",
            "户口",
            "居住证",
            "临时身份证明",
            "无犯罪记录证明",
            "特种行业许可证",
            "大型群众性活动安全许可",
        ],
        ["户籍办理", "出入境", "治安管理"],
    ),
    (
        "TY",
        "区退役军人事务局",
        ["退役军人", "烈士遗属", "优抚对象", "义务兵家庭", "伤残军人", "军队离退休干部"],
        ["优待金", "抚恤金", "悬挂光荣牌", "一次性经济补助", "伤残等级评定", "优待证"],
        ["退役军人服务", "优待抚恤"],
    ),
    (
        "CG",
        "区城市管理委员会",
        ["户外广告设施", "城市道路", "燃气设施", "排水户", "建筑垃圾", "环境卫生设施", "占道经营者"],
        ["户外广告设置许可", "排水许可证", "城市道路挖掘许可", "建筑垃圾消纳许可", "燃气经营许可证"],
        ["城市管理", "市容环境"],
    ),
    (
        "JY",
        "区教育委员会",
        ["民办学校", "适龄儿童", "教师", "校外培训机构", "家庭经济困难学生", "幼儿园"],
        ["办学许可证", "教师资格证", "入学登记", "助学金", "学籍"],
        ["教育服务", "入学入托"],
    ),
    (
        "GH",
        "区规划和自然资源分局",
        ["建设项目", "农村村民", "不动产权利人", "临时建设工程", "测绘单位"],
        [
            "建设工程规划许可证",
            "建设用地规划许可证",
            "乡村建设规划许可证",
            "不动产登记",
            "不动产权证书",
            "测绘资质",
        ],
        ["工程建设", "不动产登记"],
    ),
]

# Action, item type (GB/T 39046 code), share.
ACTIONS: list[tuple[str, str]] = [
    ("认定", "07"),
    ("登记", "07"),
    ("设立登记", "07"),
    ("变更登记", "07"),
    ("注销登记", "07"),
    ("备案", "10"),
    ("变更备案", "10"),
    ("核发", "01"),
    ("许可", "01"),
    ("延续", "01"),
    ("变更", "01"),
    ("注销", "01"),
    ("补办", "20"),
    ("换领", "20"),
    ("遗失补领", "20"),
    ("发放", "05"),
    ("给付", "05"),
    ("申领", "05"),
    ("资格确认", "07"),
    ("审核", "10"),
    ("年度报告", "20"),
    ("查询", "20"),
    ("证明开具", "20"),
    ("核查", "06"),
    ("监督检查", "06"),
    ("奖励", "08"),
    ("表彰", "08"),
    ("行政处罚", "02"),
    ("裁决", "09"),
    ("征收", "04"),
]

MATERIALS = [
    "居民身份证",
    "户口簿",
    "营业执照",
    "申请表",
    "申请书",
    "法定代表人身份证明",
    "授权委托书",
    "经办人身份证",
    "结婚证",
    "离婚证",
    "出生医学证明",
    "居住证",
    "社会保障卡",
    "残疾人证",
    "医疗诊断证明",
    "收入证明",
    "家庭经济状况核对授权书",
    "银行账户信息",
    "近期免冠照片",
    "房屋租赁合同",
    "不动产权证书",
    "场所平面图",
    "设备清单",
    "从业人员健康证明",
    "食品安全管理制度",
    "质量管理文件",
    "章程",
    "股东会决议",
    "验资报告",
    "竣工验收报告",
    "施工图审查合格书",
    "建设工程规划许可证",
    "安全生产责任制",
    "消防验收意见",
    "环境影响评价文件",
    "退役证",
    "烈士证明书",
    "劳动合同",
    "解除劳动合同证明",
    "毕业证书",
    "职业资格证书",
    "死亡证明",
    "火化证明",
    "独生子女父母光荣证",
    "计划生育证明",
    "学籍证明",
    "原许可证件",
    "遗失声明",
]

COMMON_MATERIALS = ["居民身份证", "申请表", "申请书", "授权委托书", "经办人身份证", "营业执照"]
#: Which materials go with which subject/thing words (a rough department-specific pool).
MATERIAL_AFFINITY: dict[str, tuple[str, ...]] = {
    "老年": ("户口簿", "医疗诊断证明", "银行账户信息", "社会保障卡", "收入证明"),
    "救助": ("户口簿", "收入证明", "家庭经济状况核对授权书", "银行账户信息"),
    "低保": ("户口簿", "收入证明", "家庭经济状况核对授权书", "银行账户信息"),
    "残疾": ("残疾人证", "医疗诊断证明", "户口簿"),
    "儿童": ("户口簿", "出生医学证明", "学籍证明"),
    "婚姻": ("户口簿", "结婚证", "离婚证", "近期免冠照片"),
    "丧葬": ("死亡证明", "火化证明", "户口簿"),
    "企业": ("章程", "股东会决议", "法定代表人身份证明", "房屋租赁合同"),
    "工商户": ("房屋租赁合同", "近期免冠照片"),
    "食品": ("从业人员健康证明", "食品安全管理制度", "场所平面图", "设备清单"),
    "餐饮": ("从业人员健康证明", "食品安全管理制度", "场所平面图"),
    "药品": ("质量管理文件", "场所平面图", "职业资格证书"),
    "医疗": ("场所平面图", "设备清单", "职业资格证书", "质量管理文件"),
    "特种设备": ("设备清单", "安全生产责任制"),
    "建设": ("建设工程规划许可证", "施工图审查合格书", "竣工验收报告", "消防验收意见"),
    "施工": ("施工图审查合格书", "安全生产责任制", "建设工程规划许可证"),
    "工程": ("竣工验收报告", "施工图审查合格书", "环境影响评价文件"),
    "房": ("不动产权证书", "房屋租赁合同"),
    "不动产": ("不动产权证书", "户口簿"),
    "就业": ("劳动合同", "解除劳动合同证明", "毕业证书", "社会保障卡"),
    "失业": ("解除劳动合同证明", "社会保障卡", "银行账户信息"),
    "保险": ("社会保障卡", "户口簿", "银行账户信息"),
    "计划生育": ("独生子女父母光荣证", "计划生育证明", "户口簿"),
    "独生子女": ("独生子女父母光荣证", "计划生育证明"),
    "退役": ("退役证", "户口簿", "银行账户信息"),
    "烈士": ("烈士证明书", "户口簿"),
    "学": ("学籍证明", "毕业证书", "章程"),
    "教师": ("职业资格证书", "毕业证书", "近期免冠照片"),
    "许可证": ("原许可证件", "遗失声明"),
    "户口": ("户口簿", "出生医学证明", "居住证"),
    "广告": ("场所平面图", "房屋租赁合同"),
    "排水": ("场所平面图", "环境影响评价文件"),
    "燃气": ("安全生产责任制", "消防验收意见", "设备清单"),
}


def _related(material: str, subject: str, thing: str) -> bool:
    return any(material in mats for key, mats in MATERIAL_AFFINITY.items() if key in subject or key in thing)


KEYWORDS_EXTRA = [
    "补贴",
    "津贴",
    "救助",
    "证明",
    "许可证",
    "执照",
    "社保",
    "医保",
    "公积金",
    "养老",
    "就业",
    "创业",
    "开店",
    "办证",
    "网上办",
    "零跑动",
    "一件事",
    "跨省通办",
    "容缺受理",
    "免提交",
]

FAQ_TEMPLATES = [
    ("{subject}办理{action}需要带哪些材料？", "请携带{m1}、{m2}原件，到{unit}窗口办理；可网上预审。"),
    ("{thing}多久能办好？", "材料齐全的，承诺{days}个工作日内办结，结果可邮寄送达。"),
    ("{action}可以委托他人办理吗？", "可以，受托人需提交授权委托书和{m1}。"),
    ("在哪里查询{thing}的办理进度？", "可登录一网通办平台或拨打12345热线查询办理进度。"),
    ("不符合{action}条件怎么办？", "工作人员将一次性告知不符合的原因，可咨询{unit}。"),
]

STREETS = [f"J{i:02d}" for i in range(1, 13)]
STREET_NAMES = [
    "东华门街道",
    "景山街道",
    "交道口街道",
    "安定门街道",
    "北新桥街道",
    "东四街道",
    "朝阳门街道",
    "建国门街道",
    "东直门街道",
    "和平里街道",
    "前门街道",
    "崇文门外街道",
]
SERVICE_OBJECTS_BY_SUBJECT_KIND = {"person": ["1"], "org": ["2", "5"], "mixed": ["1", "2"]}
ORG_WORDS = ("企业", "单位", "机构", "公司", "合作社", "工商户", "经营者", "组织", "项目", "工程", "设施")


_COMMUNITY_ITEMS: tuple[tuple[str, str], ...] = (
    ("区民政局", "为北京市城乡无丧葬补助居民发放丧葬补贴"),
    ("区民政局", "对符合条件的社会救助对象给予清洁能源自采暖补贴"),
    ("区民政局", "高龄老年人津贴"),
    ("区民政局", "失能老年人护理补贴"),
    ("区民政局", "城乡低收入家庭认定"),
    ("区民政局", "对享受城市居民生活困难补助人员进行确认"),
    ("区民政局", "对社会救助对象进行定期核查"),
    ("区民政局", "困难老年人养老服务补贴"),
    ("区民政局", "城乡最低生活保障对象认定"),
    ("区民政局", "特困人员认定"),
    ("区民政局", "临时救助对象认定"),
    ("区民政局", "为困境儿童发放生活费"),
    ("区民政局", "为低保和分散供养特困人员发放集中供热采暖补助"),
    ("区民政局", "对符合条件的社会救助对象给予燃煤自采暖救助"),
    ("区民政局", "对社会救助对象给予高等教育新生入学救助进行给付"),
    ("区民政局", "增发、减发、停发最低生活保障金，停止社会救助"),
    ("区人力社保局", "城乡居民养老保险参保登记"),
    ("区人力社保局", "居民养老保险注销登记"),
    ("区卫生健康委", "对计划生育家庭特别扶助对象的资格确认"),
    ("区卫生健康委", "对计划生育伤残家庭特别扶助对象的资格确认"),
    ("区卫生健康委", "对农村部分计划生育家庭奖励扶助对象的资格确认"),
    ("区卫生健康委", "对领取独生子女父母奖励费对象的资格确认"),
    ("区卫生健康委", "对领取独生子女父母一次性奖励对象的资格确认"),
    ("区卫生健康委", "独生子女父母光荣证受理"),
    ("区卫生健康委", "生育登记-互补网申请"),
)


def community_items() -> list[dict[str, str]]:
    """The 25 real community items (shared/data/community_items.csv; a copy here if it is absent)."""
    if COMMUNITY_CSV.is_file():
        with COMMUNITY_CSV.open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    return [{"guiding_department": d, "item_name": n} for d, n in _COMMUNITY_ITEMS]


def _subject_objects(subject: str) -> list[str]:
    if any(w in subject for w in ORG_WORDS):
        return ["2", "5"] if "工商户" in subject else ["2", "3", "4"][: 1 + len(subject) % 3]
    return ["1"]


def generate(n: int, seed: int = 20261122) -> list[dict[str, Any]]:
    """`n` ItemElements documents (as dicts) with their owner unit code, reproducible by seed."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    community = community_items()
    dept_by_name = {d[1]: d for d in DEPARTMENTS}
    # The real community items at every street (受理类/代收代办类/咨询预审类).
    for street, street_name in zip(STREETS, STREET_NAMES, strict=True):
        for row in community:
            dept = dept_by_name.get(row["guiding_department"])
            themes = list(dept[4][:2]) if dept else ["社会救助"]
            out.append(
                _doc(
                    rng,
                    name=row["item_name"],
                    item_type=rng.choice(["05", "07", "20"]),
                    unit={"code": f"{street}-SQ", "name": f"{street_name}社区服务站"},
                    level=6,
                    subject=rng.choice(dept[2]) if dept else "居民",
                    thing=rng.choice(dept[3]) if dept else "补贴",
                    action="申请",
                    themes=themes,
                    community_kind=rng.choice(["accept", "collect_forward", "enquiry_prereview"]),
                )
            )
    while len(out) < n:
        code, dept_name, subjects, things, themes = rng.choice(DEPARTMENTS)
        subject, thing = rng.choice(subjects), rng.choice(things)
        action, item_type = rng.choice(ACTIONS)
        form = rng.random()
        if form < 0.35:
            name = f"{subject}{thing}{action}"
        elif form < 0.6:
            name = f"{thing}{action}"
        elif form < 0.75:
            name = f"对{subject}{action}"
        elif form < 0.9:
            name = f"{subject}{action}"
        else:
            name = f"为{subject}{rng.choice(['发放', '办理', '核发'])}{thing}"
        level = rng.choice([4, 4, 4, 5, 5, 3])
        if level == 5:
            i = rng.randrange(len(STREETS))
            unit = {"code": f"{STREETS[i]}-{code}", "name": f"{STREET_NAMES[i]}{dept_name[1:]}分理处"}
        else:
            unit = {"code": code, "name": dept_name}
        out.append(
            _doc(
                rng,
                name=name,
                item_type=item_type,
                unit=unit,
                level=level,
                subject=subject,
                thing=thing,
                action=action,
                themes=rng.sample(themes, k=min(len(themes), rng.choice([1, 1, 2]))),
                community_kind=None,
            )
        )
    return out[:n]


def _doc(
    rng: random.Random,
    *,
    name: str,
    item_type: str,
    unit: dict[str, str],
    level: int,
    subject: str,
    thing: str,
    action: str,
    themes: list[str],
    community_kind: str | None,
) -> dict[str, Any]:
    # Two or three common materials (identity, the form, a mandate) and the rest from those the
    # department actually asks for (keyed by the words of its things and subjects).
    common = rng.sample(COMMON_MATERIALS, k=rng.randint(1, 3))
    pool = [m for m in MATERIALS if m not in COMMON_MATERIALS and _related(m, subject, thing)]
    pool = pool or [m for m in MATERIALS if m not in COMMON_MATERIALS]
    materials = common + rng.sample(pool, k=min(len(pool), rng.randint(1, 4)))
    depth = rng.choice(["I", "II", "III", "III", "IV"])
    visits = 0 if depth == "IV" else rng.choice([0, 1, 1, 1, 2])
    keywords = list(dict.fromkeys([subject, thing, *rng.sample(KEYWORDS_EXTRA, k=rng.randint(0, 3))]))
    faq = []
    for q, a in rng.sample(FAQ_TEMPLATES, k=rng.randint(0, 3)):
        fill = {
            "subject": subject,
            "thing": thing,
            "action": action,
            "unit": unit["name"],
            "m1": materials[0],
            "m2": materials[-1],
            "days": rng.choice([1, 3, 5, 10, 15, 20]),
        }
        faq.append({"question": q.format(**fill), "answer": a.format(**fill)})
    return {
        "name": name[:200],
        "item_type": item_type,
        "implementing_unit": unit,
        "level": level,
        "handling_type": rng.choice(["1", "2", "2"]),
        "service_objects": _subject_objects(subject),
        "handling_forms": ["1", "2"],
        "materials": [
            {"name": m, "originals": 1, "copies": rng.choice([0, 1]), "media": ["original"]}
            for m in materials
        ],
        "visits": visits,
        "visits_reason": "核验原件" if visits else None,
        "online_depth": depth,
        "faq": faq,
        "result": {"name": thing if rng.random() < 0.5 else f"{name}决定书"[:200]},
        "community_kind": community_kind,
        "keywords": keywords,
        "themes": themes,
        "demo": True,
    }


#: ~50 queries a citizen or a window clerk would type.
QUERIES = [
    "低保",
    "最低生活保障",
    "高龄津贴",
    "老年人",
    "养老服务补贴",
    "残疾人",
    "护理补贴",
    "丧葬补贴",
    "临时救助",
    "特困人员认定",
    "困境儿童",
    "采暖补贴",
    "营业执照",
    "营业执照 注销",
    "个体工商户",
    "个体户 变更",
    "食品经营许可证",
    "餐饮",
    "药品经营许可",
    "医疗器械备案",
    "特种设备",
    "施工许可证",
    "建设工程规划许可证",
    "商品房预售",
    "公租房",
    "住房保障",
    "燃气经营许可",
    "户外广告",
    "排水许可证",
    "失业保险金",
    "就业创业证",
    "社保卡",
    "养老保险 参保登记",
    "灵活就业",
    "创业担保贷款",
    "出生医学证明",
    "独生子女",
    "计划生育 特别扶助",
    "医师执业",
    "卫生许可证",
    "居住证",
    "无犯罪记录证明",
    "户口 迁移",
    "退役军人 优待",
    "抚恤金",
    "办学许可证",
    "教师资格",
    "不动产登记",
    "身份证 遗失补领",
    "老年人优待证",
]
