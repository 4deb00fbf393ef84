"""The community items of 区民政局: social assistance (社会救助), heating (采暖) and children."""

from __future__ import annotations

from typing import Any

from .community_parts import (
    _AGENT_ID,
    _ASSISTANCE_STATUS,
    _DECLARATION,
    _DISABILITY,
    _HEDUI,
    _MZ_AFFAIRS,
    _MZ_CHILDREN,
    _MZ_DECIDE,
    _MZ_REVIEW,
    _NO_LEGAL_LIMIT,
    _PROXY,
    _PUBLIC_NOTICE,
    _SA_2,
    _SA_11,
    _SA_12,
    _SA_13,
    _SA_14,
    _SA_15,
    _SA_33,
    _SA_47,
    _SI_17,
    _SOCIAL_CARD,
    community_item,
)
from .parts import HUKOU, ID_CARD, mat, tl


def _minimum_living_guarantee() -> dict[str, Any]:
    """城乡最低生活保障对象认定."""
    return community_item(
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
    )


def _extreme_poverty() -> dict[str, Any]:
    """特困人员认定."""
    return community_item(
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
    )


def _temporary_assistance() -> dict[str, Any]:
    """临时救助对象认定."""
    return community_item(
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
    )


def _low_income_family() -> dict[str, Any]:
    """城乡低收入家庭认定."""
    return community_item(
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
    )


def _hardship_allowance_confirmation() -> dict[str, Any]:
    """对享受城市居民生活困难补助人员进行确认."""
    return community_item(
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
    )


def _assistance_periodic_review() -> dict[str, Any]:
    """对社会救助对象进行定期核查."""
    return community_item(
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
    )


def _guarantee_payment_change() -> dict[str, Any]:
    """增发、减发、停发最低生活保障金，停止社会救助."""
    return community_item(
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
    )


def _university_entrance_assistance() -> dict[str, Any]:
    """对社会救助对象给予高等教育新生入学救助进行给付."""
    return community_item(
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
    )


def _clean_heating_subsidy() -> dict[str, Any]:
    """对符合条件的社会救助对象给予清洁能源自采暖补贴."""
    return community_item(
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
    )


def _central_heating_subsidy() -> dict[str, Any]:
    """为低保和分散供养特困人员发放集中供热采暖补助."""
    return community_item(
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
    )


def _coal_heating_assistance() -> dict[str, Any]:
    """对符合条件的社会救助对象给予燃煤自采暖救助."""
    return community_item(
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
    )


def _children_in_difficulty() -> dict[str, Any]:
    """为困境儿童发放生活费."""
    return community_item(
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
            mat("儿童本人社会保障卡", "社会保障卡发卡银行", 1, 0, ("original",), notes="生活费发放至本卡"),
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
    )


def _funeral_allowance() -> dict[str, Any]:
    """为北京市城乡无丧葬补助居民发放丧葬补贴."""
    return community_item(
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
    )


def entries() -> list[dict[str, Any]]:
    """This family's community items."""
    return [
        _minimum_living_guarantee(),
        _extreme_poverty(),
        _temporary_assistance(),
        _low_income_family(),
        _hardship_allowance_confirmation(),
        _assistance_periodic_review(),
        _guarantee_payment_change(),
        _university_entrance_assistance(),
        _clean_heating_subsidy(),
        _central_heating_subsidy(),
        _coal_heating_assistance(),
        _children_in_difficulty(),
        _funeral_allowance(),
    ]
