"""The 25 real community-level items (社区（村）政务服务事项清单) of ``data/community_items.csv``
(seed 004, 附件1), each complete and publishable (the guide-quality checker finds nothing to fix).

**What is real**: the item names, their order and guiding departments (the CSV), the community
kinds as seed 004 defines them (受理类 / 代收代办类 / 咨询预审类), the station rules the process
follows (seed 004 附件3: 咨询、接件、告知、送达 at the station; 附件4: 错峰延时 hours), and the
laws cited. Legal-basis text is quoted from the law where its wording is well known; a local
document whose wording is not quoted here is named only in the acceptance conditions.

**What is the district's choice** (say so to citizens, and in the data): which kind each item
has at the stations (seed 004 tells the district to decide it: "应明确受理类、代收代办类、咨询预审类
事项"), the promised time limits, the opening hours and the exact material lists. They are
marked 演示 where invented, as every other demo value (phones, addresses, form links, USCCs).

**Modelling decisions**:
* The implementation entry belongs to the *guiding department* (区民政局 / 区人力社保局 /
  区卫生健康委, level 4 县级（区级）): the department holds the power and decides; the station
  receives, forwards or pre-reviews (接件 and 审批 are separated). One entry per item keeps "same
  item, same standard" across every station; its place is the demo station's comprehensive window
  (吉祥里社区服务站), its hours the station's.
* The kind says what the station does at 受理: **accept** — the station accepts under the street
  centre's entrustment agreement (委托受理协议) and issues the acceptance notice; **collect_forward**
  — the station collects the materials and hands them to the street centre, which accepts;
  **enquiry_prereview** — the station advises and pre-reviews, the street centre accepts.
"""

from __future__ import annotations

from typing import Any

from .demo_parts import HUKOU, ID_CARD, complete, law, mat, tl

#: The CSV's item names, in its order (seq 1–25).
COMMUNITY_ORDER: tuple[str, ...] = (
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
)
COMMUNITY_ITEM_NAMES = frozenset(COMMUNITY_ORDER)

# ---------------------------------------------------------------------------------------------
# Laws, quoted

_SOCIAL_ASSISTANCE = "《社会救助暂行办法》（国务院令第649号）"
_ELDERLY_LAW = "《中华人民共和国老年人权益保障法》"
_ELDERLY_BJ = "《北京市老年人养老服务补贴津贴管理实施办法》"
_SOCIAL_INSURANCE = "《中华人民共和国社会保险法》"
#: The 2015 text is quoted (its article 27 on the 独生子女父母光荣证 and the support that follows it).
_POPULATION_2015 = "《中华人民共和国人口与计划生育法》（2015年修正）"
_POPULATION_2021 = "《中华人民共和国人口与计划生育法》（2021年修正）"

_SA_2 = law(
    _SOCIAL_ASSISTANCE,
    "第二条",
    "社会救助制度坚持托底线、救急难、可持续，与其他社会保障制度相衔接，社会救助水平与经济社会发展水平"
    "相适应。社会救助工作应当遵循公开、公平、公正、及时的原则。",
)
_SA_11 = law(
    _SOCIAL_ASSISTANCE,
    "第十一条",
    "申请最低生活保障，按照下列程序办理：（一）由共同生活的家庭成员向户籍所在地的乡镇人民政府、"
    "街道办事处提出书面申请；家庭成员申请有困难的，可以委托村民委员会、居民委员会代为提出申请。"
    "（二）乡镇人民政府、街道办事处应当通过入户调查、邻里访问、信函索证、群众评议、信息核查等方式，"
    "对申请人的家庭收入状况、财产状况进行调查核实，提出初审意见，在申请人所在村、社区公示后报县级"
    "人民政府民政部门审批。（三）县级人民政府民政部门经审查，对符合条件的申请予以批准，并在申请人"
    "所在村、社区公布；对不符合条件的申请不予批准，并书面向申请人说明理由。",
)
_SA_12 = law(
    _SOCIAL_ASSISTANCE,
    "第十二条",
    "对批准获得最低生活保障的家庭，县级人民政府民政部门按照共同生活的家庭成员人均收入低于当地最低生活"
    "保障标准的差额，按月发给最低生活保障金。对获得最低生活保障后生活仍有困难的老年人、未成年人、"
    "重度残疾人和重病患者，县级以上地方人民政府应当采取必要措施给予生活保障。",
)
_SA_13 = law(
    _SOCIAL_ASSISTANCE,
    "第十三条",
    "最低生活保障家庭的人口状况、收入状况、财产状况发生变化的，应当及时告知乡镇人民政府、街道办事处。"
    "县级人民政府民政部门以及乡镇人民政府、街道办事处应当对获得最低生活保障家庭的人口状况、收入状况、"
    "财产状况定期核查。最低生活保障家庭的人口状况、收入状况、财产状况发生变化的，县级人民政府民政部门"
    "应当及时决定增发、减发或者停发最低生活保障金；决定停发最低生活保障金的，应当书面说明理由。",
)
_SA_14 = law(
    _SOCIAL_ASSISTANCE,
    "第十四条",
    "国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定赡养、抚养、扶养义务人"
    "无赡养、抚养、扶养能力的老年人、残疾人以及未满16周岁的未成年人，给予特困人员供养。",
)
_SA_15 = law(
    _SOCIAL_ASSISTANCE,
    "第十五条",
    "特困人员供养的内容包括：（一）提供基本生活条件；（二）对生活不能自理的给予照料；（三）提供疾病"
    "治疗；（四）办理丧葬事宜。特困人员供养标准，由省、自治区、直辖市或者设区的市级人民政府确定、"
    "公布。特困人员供养应当与城乡居民基本养老保险、基本医疗保障、最低生活保障、孤儿基本生活保障等"
    "制度相衔接。",
)
_SA_33 = law(
    _SOCIAL_ASSISTANCE,
    "第三十三条",
    "国家对在义务教育阶段就学的最低生活保障家庭成员、特困供养人员，给予教育救助。对在高中教育（含中等"
    "职业教育）、普通高等教育阶段就学的最低生活保障家庭成员、特困供养人员，以及不能入学接受义务教育的"
    "残疾儿童，根据实际情况给予适当教育救助。",
)
_SA_47 = law(
    _SOCIAL_ASSISTANCE,
    "第四十七条",
    "国家对因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的"
    "家庭，或者因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难的最低生活保障"
    "家庭，以及遭遇其他特殊困难的家庭，给予临时救助。",
)
_ELDERLY_30 = law(
    _ELDERLY_LAW,
    "第三十条",
    "国家逐步开展长期护理保障工作，保障老年人的护理需求。对生活长期不能自理、经济困难的老年人，"
    "地方各级人民政府应当根据其失能程度等情况给予护理补贴。",
)
_ELDERLY_33 = law(
    _ELDERLY_LAW,
    "第三十三条",
    "国家建立和完善老年人福利制度，根据经济社会发展水平和老年人的实际需要，增加老年人的社会福利。"
    "国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。",
)
_ELDERLY_37 = law(
    _ELDERLY_LAW,
    "第三十七条",
    "地方各级人民政府和有关部门应当采取措施，发展城乡社区养老服务，鼓励、扶持专业服务机构及其他组织"
    "和个人，为居家的老年人提供生活照料、紧急救援、医疗护理、精神慰藉、心理咨询等多种形式的服务。"
    "对经济困难的老年人，地方各级人民政府应当逐步给予养老服务补贴。",
)
_SI_14 = law(
    _SOCIAL_INSURANCE,
    "第十四条",
    "个人账户不得提前支取，记账利率不得低于银行定期存款利率，免征利息税。个人死亡的，个人账户余额可以继承。",
)
_SI_17 = law(
    _SOCIAL_INSURANCE,
    "第十七条",
    "参加基本养老保险的个人，因病或者非因工死亡的，其遗属可以领取丧葬补助金和抚恤金；在未达到法定"
    "退休年龄时因病或者非因工致残完全丧失劳动能力的，可以领取病残津贴。所需资金从基本养老保险基金中"
    "支付。",
)
_SI_20 = law(
    _SOCIAL_INSURANCE,
    "第二十条",
    "国家建立和完善新型农村社会养老保险制度。新型农村社会养老保险实行个人缴费、集体补助和政府补贴相结合。",
)
_SI_22 = law(
    _SOCIAL_INSURANCE,
    "第二十二条",
    "国家建立和完善城镇居民社会养老保险制度。省、自治区、直辖市人民政府根据实际情况，可以将城镇居民"
    "社会养老保险和新型农村社会养老保险合并实施。",
)
_POP_27 = law(
    _POPULATION_2015,
    "第二十七条",
    "在国家提倡一对夫妻生育一个子女期间，自愿终身只生育一个子女的夫妻，国家发给《独生子女父母光荣证》。"
    "获得《独生子女父母光荣证》的夫妻，按照国家和省、自治区、直辖市有关规定享受独生子女父母奖励。"
    "法律、法规或者规章规定给予获得《独生子女父母光荣证》的夫妻奖励的措施中由其所在单位落实的，有关"
    "单位应当执行。获得《独生子女父母光荣证》的夫妻，独生子女发生意外伤残、死亡的，按照规定获得扶助。"
    "在国家提倡一对夫妻生育一个子女期间，按照规定应当享受计划生育家庭老年人奖励扶助的，继续享受相关"
    "奖励扶助。",
)
_POP_18 = law(
    _POPULATION_2021,
    "第十八条第一款",
    "国家提倡适龄婚育、优生优育。一对夫妻可以生育三个子女。",
)

# ---------------------------------------------------------------------------------------------
# Materials several items ask for

_AGENT_ID = mat("代理人居民身份证", "公安机关", 1, 0, ("original",), condition="委托他人代为申请的")
_PROXY = mat("授权委托书", "申请人出具", 1, 0, ("original",), condition="委托他人代为申请的", form="weituo")
_HEDUI = mat("家庭经济状况核对授权书", "共同生活家庭成员签字", 1, 0, ("original",), form="hedui-auth")
_DECLARATION = mat(
    "家庭收入财产状况声明书",
    "申请人填写",
    1,
    0,
    ("original",),
    form="income-declare",
    notes="逐项填写共同生活家庭成员的收入、存款、房产和车辆",
)
_SOCIAL_CARD = mat(
    "申请人社会保障卡",
    "社会保障卡发卡银行",
    1,
    0,
    ("original",),
    notes="补贴（救助金）发放至本卡，须为申请人本人的卡",
)
_ASSISTANCE_STATUS = mat(
    "社会救助对象证件",
    "区民政局",
    0,
    0,
    ("electronic",),
    exempt_source="数据共享（北京市社会救助信息系统），免提交",
)
_DISABILITY = mat(
    "残疾人证",
    "区残联",
    1,
    1,
    ("original", "copy"),
    condition="家庭成员中有残疾人的",
    exempt_source="电子证照库（残疾人证）",
)
_MARRIAGE = mat(
    "结婚证",
    "婚姻登记机关",
    1,
    0,
    ("original", "electronic"),
    exempt_source="电子证照库（结婚证）",
)
_HONOUR_CERT = mat(
    "独生子女父母光荣证",
    "区卫生健康委（原区计划生育委员会）",
    1,
    1,
    ("original", "copy"),
    notes="现场核验原件，留存复印件1份",
)

# ---------------------------------------------------------------------------------------------
# Who reviews and decides (invented posts, 演示)

_MZ_REVIEW = "街道民生保障办（社会救助岗）"
_MZ_ELDERLY_REVIEW = "街道民生保障办（养老服务岗）"
_MZ_DECIDE = "区民政局社会救助科"
_MZ_AFFAIRS = "区民政局社会事务科"
_MZ_ELDERLY = "区民政局养老服务科"
_MZ_CHILDREN = "区民政局儿童福利科"
_WJ_REVIEW = "街道社区卫生计生岗"
_WJ_DECIDE = "区卫生健康委人口家庭科"
_RS_REVIEW = "街道社会保障所"
_RS_DECIDE = "区社会保险经办机构"

_PUBLIC_NOTICE = {
    "kind": "inspection",
    "description": "入户调查、邻里访问和家庭经济状况信息核对，结果在社区公示7天。",
    "time_limit": tl(7, "natural_day", "公示期不计入承诺时限"),
}
_PROMISE = "本区承诺时限（演示值），自受理之日起计算；公示期、补正材料时间不计入。"
_NO_LEGAL_LIMIT = "法律、行政法规未规定办理时限，按本市规定执行；此处为演示值。"

#: How each kind serves the applicant at the station (the FAQ every community guide carries).
_STATION_ANSWER: dict[str, str] = {
    "accept": "可以。本事项在社区服务站为受理类事项：社区服务站依据街道政务服务中心的委托受理协议直接受理，"
    "当场出具受理通知书，结果可在社区服务站领取。",
    "collect_forward": "可以。本事项在社区服务站为代收代办类事项：社区服务站代收申请材料、出具收件凭证，"
    "1个工作日内转交街道政务服务中心受理，您不必再跑街道。",
    "enquiry_prereview": "可以咨询和预审。本事项在社区服务站为咨询预审类事项：社区服务站解答政策、预审材料，"
    "预审通过的转交街道政务服务中心受理，受理通知书由街道政务服务中心出具。",
}
_KIND_IS_LOCAL = "事项在社区服务站按哪一类办理，由区政务服务局会同业务指导部门确定并公示（本区的安排）。"


def _item(
    *,
    name: str,
    unit: str,
    item_type: str,
    kind: str,
    faq: list[tuple[str, str]],
    promised_note: str = _PROMISE,
    **rest: Any,
) -> dict[str, Any]:
    """A community item: `complete` plus the station FAQ and the district's promise note."""
    station_faq = ("可以在社区服务站办理吗？", f"{_STATION_ANSWER[kind]}{_KIND_IS_LOCAL}")
    return complete(
        name=name,
        unit=unit,
        item_type=item_type,
        community_kind=kind,
        faq=[station_faq, *faq],
        promised_note=promised_note,
        **rest,
    )


# ---------------------------------------------------------------------------------------------
# 区民政局: social assistance (社会救助)


def _social_assistance() -> list[dict[str, Any]]:
    return [
        _item(
            name="城乡最低生活保障对象认定",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_11],
            conditions="具有本市户籍，共同生活的家庭成员人均月收入低于本市城乡最低生活保障标准，且家庭"
            "财产状况符合本市规定的申请人家庭。",
            materials=[
                mat("最低生活保障申请书", "申请人填写", 1, 0, ("original",), form="dibao-apply"),
                _HEDUI,
                _DECLARATION,
                ID_CARD,
                HUKOU,
                _DISABILITY,
                mat(
                    "医疗机构出具的诊断证明",
                    "二级以上医疗机构",
                    1,
                    1,
                    ("original", "copy"),
                    condition="家庭成员患重病需核减支出的",
                ),
                _SOCIAL_CARD,
            ],
            legal_limit=30,
            promised_limit=15,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="最低生活保障金领取证",
            special=[_PUBLIC_NOTICE],
            faq=[
                (
                    "外地户籍可以在朝阳申请低保吗？",
                    "不可以。最低生活保障向户籍所在地的街道（乡镇）申请，社区服务站可代收材料。",
                ),
                (
                    "申请后多久能领到低保金？",
                    "审批通过的，自批准次月起按月发放至申请人社会保障卡。",
                ),
            ],
            keywords=["低保", "最低生活保障", "社会救助", "低保金", "困难家庭"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="特困人员认定",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_14],
            conditions="具有本市户籍，无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人或者其法定义务人"
            "无履行义务能力的老年人、残疾人和未满16周岁的未成年人。",
            materials=[
                mat(
                    "特困人员救助供养申请书",
                    "申请人或其代理人填写",
                    1,
                    0,
                    ("original",),
                    form="tekun-apply",
                ),
                mat("家庭经济状况核对授权书", "申请人签字", 1, 0, ("original",), form="hedui-auth"),
                ID_CARD,
                HUKOU,
                {**_DISABILITY, "condition": "以残疾人身份申请的"},
                mat(
                    "法定义务人无履行义务能力的证明材料",
                    "法定义务人所在单位或户籍地街道（乡镇）",
                    1,
                    0,
                    ("original",),
                    condition="有法定赡养、抚养、扶养义务人的",
                ),
                _SOCIAL_CARD,
            ],
            legal_limit=30,
            promised_limit=15,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="特困人员救助供养证",
            special=[
                {
                    "kind": "inspection",
                    "description": "入户调查和生活自理能力评估，结果在社区公示7天。",
                    "time_limit": tl(7, "natural_day", "公示期不计入承诺时限"),
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
        _item(
            name="临时救助对象认定",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_47],
            conditions="因意外事件、突发重大疾病或生活必需支出突然增加，导致基本生活暂时出现严重困难的家庭"
            "或个人。",
            materials=[
                mat("临时救助申请书", "申请人填写", 1, 0, ("original",), form="linshi-apply"),
                _HEDUI,
                ID_CARD,
                mat("医疗费用票据", "就诊医疗机构", 1, 1, ("original", "copy"), condition="因病申请的"),
                mat(
                    "火灾事故认定书",
                    "消防救援机构",
                    1,
                    1,
                    ("original", "copy"),
                    condition="因火灾申请的",
                ),
                mat(
                    "道路交通事故认定书",
                    "公安机关交通管理部门",
                    1,
                    1,
                    ("original", "copy"),
                    condition="因交通事故申请的",
                ),
                _SOCIAL_CARD,
            ],
            legal_limit=15,
            promised_limit=7,
            step_limits=(1, 4, 1),
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="临时救助审批表",
            faq=[("情况紧急可以先救助吗？", "可以。情况紧急的，街道可先行救助，事后补齐材料和手续。")],
            keywords=["临时救助", "急难救助", "社会救助", "困难"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="城乡低收入家庭认定",
            unit="MZJ",
            item_type="07",
            kind="collect_forward",
            legal=[_SA_2],
            conditions="具有本市户籍，共同生活的家庭成员人均月收入低于本市城乡低收入家庭认定标准、家庭财产"
            "状况符合本市规定，且不符合最低生活保障条件的家庭（认定标准由本市确定并公布）。",
            materials=[
                mat("城乡低收入家庭认定申请书", "申请人填写", 1, 0, ("original",), form="dishouru-apply"),
                _HEDUI,
                _DECLARATION,
                ID_CARD,
                HUKOU,
                _DISABILITY,
            ],
            legal_limit=30,
            promised_limit=15,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="城乡低收入家庭认定决定",
            special=[_PUBLIC_NOTICE],
            legal_note=_NO_LEGAL_LIMIT,
            faq=[
                (
                    "低收入家庭和低保家庭有什么区别？",
                    "低收入家庭收入略高于低保标准，不领取低保金，但可按规定享受医疗、教育、住房等专项救助。",
                )
            ],
            keywords=["低收入", "困难家庭", "低收入家庭"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="对享受城市居民生活困难补助人员进行确认",
            unit="MZJ",
            item_type="07",
            kind="enquiry_prereview",
            legal=[_SA_12],
            conditions="按本市规定享受城市居民生活困难补助的人员，每年确认一次享受资格（享受范围以区民政局"
            "公布为准）。",
            materials=[
                mat(
                    "城市居民生活困难补助资格确认表",
                    "申请人填写",
                    1,
                    0,
                    ("original",),
                    form="kunnan-confirm",
                ),
                ID_CARD,
                HUKOU,
                _DECLARATION,
                _AGENT_ID,
                _PROXY,
            ],
            legal_limit=20,
            promised_limit=10,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="生活困难补助资格确认结果",
            legal_note=_NO_LEGAL_LIMIT,
            faq=[
                (
                    "确认期间补助会停发吗？",
                    "不会。在规定期限内完成确认的，补助照常发放；逾期未确认的暂停发放，确认后补发。",
                )
            ],
            keywords=["生活困难补助", "困难补助"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="对社会救助对象进行定期核查",
            unit="MZJ",
            item_type="06",
            kind="enquiry_prereview",
            legal=[_SA_13],
            conditions="正在享受最低生活保障、特困人员救助供养等社会救助的家庭，定期接受家庭人口、收入和财产"
            "状况核查；家庭情况发生变化的应主动报告。",
            materials=[
                mat(
                    "社会救助家庭情况定期核查表",
                    "救助对象填写",
                    1,
                    0,
                    ("original",),
                    form="hecha-form",
                ),
                _HEDUI,
                ID_CARD,
                mat(
                    "家庭成员收入证明",
                    "家庭成员就业单位",
                    1,
                    0,
                    ("original",),
                    condition="家庭成员就业或收入发生变化的",
                ),
            ],
            legal_limit=30,
            promised_limit=15,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="定期核查结果告知书",
            special=[
                {
                    "kind": "inspection",
                    "description": "入户核查家庭人口、收入和财产状况，并进行家庭经济状况信息核对。",
                    "time_limit": tl(5, "working_day", "入户核查时间不计入承诺时限"),
                }
            ],
            legal_note=_NO_LEGAL_LIMIT,
            faq=[
                (
                    "多久核查一次？",
                    "按本市规定定期核查；家庭情况发生变化的，应及时告知社区服务站或街道。",
                )
            ],
            keywords=["定期核查", "低保复核", "社会救助"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="增发、减发、停发最低生活保障金，停止社会救助",
            unit="MZJ",
            item_type="05",
            kind="enquiry_prereview",
            legal=[_SA_13],
            conditions="最低生活保障家庭的人口、收入或财产状况发生变化的，经本人申报或定期核查发现，按规定"
            "增发、减发或停发最低生活保障金；不再符合社会救助条件的停止救助。",
            materials=[
                mat("家庭情况变化申报表", "救助对象填写", 1, 0, ("original",), form="biangeng-report"),
                _HEDUI,
                ID_CARD,
                mat(
                    "家庭成员收入证明",
                    "家庭成员就业单位",
                    1,
                    0,
                    ("original",),
                    condition="家庭成员就业或收入发生变化的",
                ),
                mat(
                    "居民死亡医学证明（推断）书",
                    "医疗卫生机构",
                    1,
                    1,
                    ("original", "copy"),
                    condition="家庭成员死亡的",
                ),
            ],
            legal_limit=30,
            promised_limit=15,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="最低生活保障金调整决定书",
            special=[_PUBLIC_NOTICE],
            legal_note=_NO_LEGAL_LIMIT,
            faq=[
                (
                    "停发低保金会告诉我理由吗？",
                    "会。决定停发最低生活保障金的，区民政局书面说明理由，并告知申请复议或提起诉讼的途径。",
                )
            ],
            keywords=["低保金", "停发", "减发", "增发"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="对社会救助对象给予高等教育新生入学救助进行给付",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_33],
            conditions="本市最低生活保障家庭成员、特困供养人员中当年被全日制普通高等学校录取的新生（救助标准"
            "按本市规定执行）。",
            materials=[
                mat(
                    "高等教育新生入学救助申请表",
                    "申请人填写",
                    1,
                    0,
                    ("original",),
                    form="ruxue-apply",
                ),
                ID_CARD,
                mat("高等学校录取通知书", "录取学校", 1, 1, ("original", "copy")),
                _ASSISTANCE_STATUS,
                _SOCIAL_CARD,
            ],
            legal_limit=20,
            promised_limit=10,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="高等教育新生入学救助金发放通知",
            legal_note=_NO_LEGAL_LIMIT,
            faq=[("什么时候申请？", "收到录取通知书后、入学报到前申请，社区服务站代收材料。")],
            keywords=["入学救助", "大学新生", "教育救助"],
            themes=["社会救助", "教育"],
        ),
    ]


def _heating_and_children() -> list[dict[str, Any]]:
    return [
        _item(
            name="对符合条件的社会救助对象给予清洁能源自采暖补贴",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_12, _SA_15],
            conditions="享受本市最低生活保障、特困人员救助供养或低收入家庭救助，住房采用电、燃气等清洁能源"
            "自行采暖（非集中供热）的家庭（补贴标准和采暖季按本市规定执行）。",
            materials=[
                mat("清洁能源自采暖补贴申请表", "申请人填写", 1, 0, ("original",), form="qingjie-apply"),
                ID_CARD,
                _ASSISTANCE_STATUS,
                mat(
                    "采暖季电费缴费凭证",
                    "供电企业",
                    1,
                    1,
                    ("original", "copy"),
                    condition="使用电采暖的",
                ),
                mat(
                    "采暖季燃气费缴费凭证",
                    "燃气企业",
                    1,
                    1,
                    ("original", "copy"),
                    condition="使用燃气采暖的",
                ),
                _SOCIAL_CARD,
            ],
            legal_limit=20,
            promised_limit=10,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="清洁能源自采暖补贴发放通知",
            legal_note=_NO_LEGAL_LIMIT,
            faq=[("每年都要申请吗？", "每个采暖季申请一次；救助身份不变的，社区服务站可协助续报。")],
            keywords=["采暖补贴", "清洁能源", "取暖"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="为低保和分散供养特困人员发放集中供热采暖补助",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_12, _SA_15],
            conditions="享受本市最低生活保障或分散供养特困人员救助供养，住房由集中供热单位供暖的家庭（补助"
            "标准和采暖季按本市规定执行）。",
            materials=[
                mat("集中供热采暖补助申请表", "申请人填写", 1, 0, ("original",), form="gongre-apply"),
                ID_CARD,
                _ASSISTANCE_STATUS,
                mat("采暖季集中供热缴费凭证", "供热单位", 1, 1, ("original", "copy")),
                mat(
                    "不动产权证书",
                    "不动产登记机构",
                    1,
                    0,
                    ("original", "electronic"),
                    condition="住房为自有产权的",
                    exempt_source="电子证照库（不动产权证书）",
                ),
                mat(
                    "房屋租赁合同",
                    "出租人与承租人签订",
                    1,
                    1,
                    ("original", "copy"),
                    condition="租住房屋的",
                ),
                _SOCIAL_CARD,
            ],
            legal_limit=20,
            promised_limit=10,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="集中供热采暖补助发放通知",
            legal_note=_NO_LEGAL_LIMIT,
            faq=[("补助发给谁？", "发放至申请人本人社会保障卡，由申请人向供热单位缴纳采暖费。")],
            keywords=["集中供热", "采暖补助", "低保", "特困"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="对符合条件的社会救助对象给予燃煤自采暖救助",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_12, _SA_15],
            conditions="享受本市社会救助、住房尚未完成“煤改清洁能源”改造仍需燃煤自行采暖的家庭（救助标准"
            "按本市规定执行）。",
            materials=[
                mat("燃煤自采暖救助申请表", "申请人填写", 1, 0, ("original",), form="ranmei-apply"),
                ID_CARD,
                _ASSISTANCE_STATUS,
                _SOCIAL_CARD,
            ],
            legal_limit=20,
            promised_limit=10,
            review=_MZ_REVIEW,
            decide=_MZ_DECIDE,
            objects=["1"],
            result="燃煤自采暖救助发放通知",
            legal_note=_NO_LEGAL_LIMIT,
            faq=[
                (
                    "完成煤改电后还能领吗？",
                    "不能。完成改造后可改为申请清洁能源自采暖补贴，社区服务站可一并代收。",
                )
            ],
            keywords=["燃煤", "采暖", "取暖救助"],
            themes=["社会救助", "民政"],
        ),
        _item(
            name="为困境儿童发放生活费",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SA_12],
            conditions="具有本市户籍、未满18周岁，因家庭经济困难、自身残疾或监护缺失等原因陷入困境的儿童"
            "（困境儿童的认定范围和生活费标准按本市规定执行）。",
            materials=[
                mat("困境儿童生活费申请表", "监护人填写", 1, 0, ("original",), form="kunjing-apply"),
                mat(
                    "监护人居民身份证",
                    "公安机关",
                    1,
                    0,
                    ("original", "electronic"),
                    exempt_source="电子证照库（居民身份证）",
                ),
                mat(
                    "儿童居民户口簿",
                    "户籍所在地公安派出所",
                    1,
                    0,
                    ("original", "electronic"),
                    exempt_source="电子证照库（居民户口簿）",
                ),
                {**_DISABILITY, "name": "儿童残疾人证", "condition": "儿童因残疾申请的"},
                mat(
                    "医疗机构出具的诊断证明",
                    "二级以上医疗机构",
                    1,
                    1,
                    ("original", "copy"),
                    condition="儿童因重病申请的",
                ),
                mat(
                    "父母服刑在押证明",
                    "监狱或看守所",
                    1,
                    0,
                    ("original",),
                    condition="因父母服刑在押无人抚养申请的",
                ),
                mat(
                    "儿童本人社会保障卡", "社会保障卡发卡银行", 1, 0, ("original",), notes="生活费发放至本卡"
                ),
            ],
            legal_limit=20,
            promised_limit=10,
            review=_MZ_REVIEW,
            decide=_MZ_CHILDREN,
            objects=["1"],
            result="困境儿童生活费发放通知",
            legal_note=_NO_LEGAL_LIMIT,
            faq=[("谁来申请？", "由儿童的监护人申请；无监护人的，由居（村）民委员会协助申请。")],
            keywords=["困境儿童", "儿童福利", "生活费"],
            themes=["儿童福利", "民政"],
        ),
        _item(
            name="为北京市城乡无丧葬补助居民发放丧葬补贴",
            unit="MZJ",
            item_type="05",
            kind="collect_forward",
            legal=[_SI_17],
            conditions="死者生前具有本市户籍，去世时不享受基本养老保险丧葬补助金、机关事业单位丧葬费等任何"
            "丧葬补助的城乡居民；由丧事承办人向死者户籍所在地街道申请（补贴标准按本市规定执行）。",
            materials=[
                mat("丧葬补贴申请表", "丧事承办人填写", 1, 0, ("original",), form="sangzang-apply"),
                ID_CARD,
                mat("居民死亡医学证明（推断）书", "医疗卫生机构", 1, 1, ("original", "copy")),
                mat("遗体火化证明", "殡仪馆", 1, 1, ("original", "copy")),
                mat(
                    "死者户籍注销证明",
                    "户籍所在地公安派出所",
                    0,
                    0,
                    ("electronic",),
                    exempt_source="数据共享（人口库），免提交",
                ),
                _SOCIAL_CARD,
            ],
            legal_limit=20,
            promised_limit=10,
            review=_MZ_REVIEW,
            decide=_MZ_AFFAIRS,
            objects=["1"],
            result="丧葬补贴发放通知",
            legal_note=_NO_LEGAL_LIMIT,
            faq=[
                (
                    "哪些人不能领取？",
                    "去世时已享受基本养老保险丧葬补助金或机关事业单位丧葬费等任何丧葬补助的，不再发放本补贴。",
                )
            ],
            keywords=["丧葬补贴", "殡葬"],
            themes=["殡葬服务", "民政"],
        ),
    ]


# ---------------------------------------------------------------------------------------------
# 区民政局: older people (养老服务)


def _elderly() -> list[dict[str, Any]]:
    return [
        _item(
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
                mat("北京通—养老助残卡", "北京市民政局", 1, 0, ("original",), notes="津贴发放至本卡"),
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
        ),
        _item(
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
                mat("北京通—养老助残卡", "北京市民政局", 1, 0, ("original",), notes="补贴发放至本卡"),
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
        ),
        _item(
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
                mat("北京通—养老助残卡", "北京市民政局", 1, 0, ("original",), notes="补贴发放至本卡"),
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
        ),
    ]


# ---------------------------------------------------------------------------------------------
# 区人力社保局: residents' pension insurance (城乡居民养老保险)


def _pension() -> list[dict[str, Any]]:
    return [
        _item(
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
        ),
        _item(
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
        ),
    ]


# ---------------------------------------------------------------------------------------------
# 区卫生健康委: family planning (计划生育) and birth registration (生育登记)


def _family_planning() -> list[dict[str, Any]]:
    apply_form = "申请人填写"
    return [
        _item(
            name="对计划生育家庭特别扶助对象的资格确认",
            unit="WJW",
            item_type="07",
            kind="collect_forward",
            legal=[_POP_27],
            conditions="1933年1月1日以后出生、女方年满49周岁，只生育或合法收养一个子女，现无存活子女且未再"
            "生育或收养子女的夫妻（按国家和本市计划生育家庭特别扶助制度执行）。",
            materials=[
                mat("计划生育家庭特别扶助申请表", apply_form, 1, 0, ("original",), form="tefu-apply"),
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
        ),
        _item(
            name="对计划生育伤残家庭特别扶助对象的资格确认",
            unit="WJW",
            item_type="07",
            kind="collect_forward",
            legal=[_POP_27],
            conditions="1933年1月1日以后出生、女方年满49周岁，只生育或合法收养一个子女，独生子女被依法鉴定"
            "为残疾（伤病残达到三级以上）且未再生育或收养子女的夫妻（按国家和本市计划生育家庭特别扶助制度"
            "执行）。",
            materials=[
                mat("计划生育伤残家庭特别扶助申请表", apply_form, 1, 0, ("original",), form="shangcan-apply"),
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
        ),
        _item(
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
                    apply_form,
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
        ),
        _item(
            name="对领取独生子女父母奖励费对象的资格确认",
            unit="WJW",
            item_type="07",
            kind="accept",
            legal=[_POP_27],
            conditions="在国家提倡一对夫妻生育一个子女期间生育一个子女、已领取《独生子女父母光荣证》且子女"
            "未满18周岁的本市户籍夫妻（奖励费标准和发放期限按本市规定执行）。",
            materials=[
                mat("独生子女父母奖励费申请表", apply_form, 1, 0, ("original",), form="jianglifei-apply"),
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
        ),
        _item(
            name="对领取独生子女父母一次性奖励对象的资格确认",
            unit="WJW",
            item_type="07",
            kind="accept",
            legal=[_POP_27],
            conditions="持有《独生子女父母光荣证》、退休时未享受独生子女父母一次性奖励的本市户籍退休人员"
            "（奖励标准按本市规定执行）。",
            materials=[
                mat("独生子女父母一次性奖励申请表", apply_form, 1, 0, ("original",), form="yicixing-apply"),
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
        ),
        _item(
            name="独生子女父母光荣证受理",
            unit="WJW",
            item_type="07",
            kind="accept",
            legal=[_POP_27],
            conditions="在国家提倡一对夫妻生育一个子女期间生育一个子女、自愿终身只生育一个子女的本市户籍"
            "夫妻，申请办理、补办或换发《独生子女父母光荣证》（办理期限按本市规定执行）。",
            materials=[
                mat("独生子女父母光荣证申请表", apply_form, 1, 0, ("original",), form="guangrong-apply"),
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
        ),
        _item(
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
        ),
    ]


def community_entries() -> list[dict[str, Any]]:
    """The 25 community items as element dicts, in the CSV's order."""
    by_name = {
        e["name"]: e
        for e in (
            *_social_assistance(),
            *_heating_and_children(),
            *_elderly(),
            *_pension(),
            *_family_planning(),
        )
    }
    missing = [n for n in COMMUNITY_ORDER if n not in by_name]
    assert not missing, missing  # a programming error: every CSV item has an entry
    return [by_name[n] for n in COMMUNITY_ORDER]
