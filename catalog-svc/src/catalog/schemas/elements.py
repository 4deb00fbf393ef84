"""The elements of an implementation entry (实施清单要素), with the standard codes.

Codes follow GB/T 39046-2020 annex A (see ../shared/docs/domain.md). This is the document a
version holds; the guide (办事指南) is rendered from it, the quality checker reads it, search
indexes it, and `catalog.item.published.v1` carries it whole.

Validation here is about shape (types, enumerations, lengths); whether an entry is *complete and
consistent* is the quality checker's job (catalog.services.quality), so a draft may be incomplete.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
#: A licence type code (证照类型代码) as licence-svc keeps them: capitals and digits, e.g. SPJYXKZ.
LicenceTypeCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,31}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]

ItemType = Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"]
ITEM_TYPES: dict[str, str] = {
    "01": "行政许可",
    "02": "行政处罚",
    "03": "行政强制",
    "04": "行政征收",
    "05": "行政给付",
    "06": "行政检查",
    "07": "行政确认",
    "08": "行政奖励",
    "09": "行政裁决",
    "10": "其他行政权力",
    "20": "公共服务",
}

Level = Literal[1, 2, 3, 4, 5, 6, 7]
LEVELS: dict[int, str] = {
    1: "国家级",
    2: "省级",
    3: "市级",
    4: "县级（区级）",
    5: "镇（乡、街道）级",
    6: "村（社区）级",
    7: "分级管理",
}

PowerSource = Literal["1", "2", "3", "4", "5", "9"]
POWER_SOURCES: dict[str, str] = {
    "1": "法定本级行使",
    "2": "上级下放",
    "3": "上级授权",
    "4": "同级委托",
    "5": "上级委托",
    "9": "其他",
}

HandlingType = Literal["1", "2", "9"]
HANDLING_TYPES: dict[str, str] = {"1": "即办件", "2": "承诺件", "9": "其他"}

LimitUnit = Literal["working_day", "natural_day", "hour"]
LIMIT_UNITS: dict[str, str] = {"working_day": "工作日", "natural_day": "自然日", "hour": "小时"}

ServiceObject = Literal["1", "2", "3", "4", "5", "6"]
SERVICE_OBJECTS: dict[str, str] = {
    "1": "自然人",
    "2": "企业法人",
    "3": "事业法人",
    "4": "社会组织法人",
    "5": "非法人企业",
    "6": "行政机关",
}

HandlingForm = Literal["1", "2", "3", "4"]
HANDLING_FORMS: dict[str, str] = {"1": "窗口办理", "2": "网上办理", "3": "移动端办理", "4": "快递申请"}

OnlineDepth = Literal["I", "II", "III", "IV"]
ONLINE_DEPTHS: dict[str, str] = {
    "I": "一级：网上办事指南",
    "II": "二级：表格下载、网上预约",
    "III": "三级：网上预审或申报，最多跑一次",
    "IV": "四级：全程网办，零跑动",
}

CommunityKind = Literal["accept", "collect_forward", "enquiry_prereview"]
COMMUNITY_KINDS: dict[str, str] = {
    "accept": "受理类",
    "collect_forward": "代收代办类",
    "enquiry_prereview": "咨询预审类",
}

Medium = Literal["original", "copy", "electronic"]
MEDIA: dict[str, str] = {"original": "原件", "copy": "复印件", "electronic": "电子版"}

ProcessStepKind = Literal["accept", "review", "decide", "complete", "deliver"]
PROCESS_STEPS: dict[str, str] = {
    "accept": "受理",
    "review": "审核",
    "decide": "审批",
    "complete": "办结",
    "deliver": "送达",
}

SpecialStepKind = Literal["hearing", "inspection", "expert_review", "assessment", "other"]
SPECIAL_STEPS: dict[str, str] = {
    "hearing": "听证",
    "inspection": "现场勘查",
    "expert_review": "专家评审",
    "assessment": "评估",
    "other": "其他特殊环节",
}


class _Element(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TimeLimit(_Element):
    """A time limit (办结时限) with its unit; 0 means on the spot (当场办结)."""

    value: int = Field(ge=0, le=3650, description="Amount; 0 = on the spot (当场办结).")
    unit: LimitUnit = Field(description="working_day 工作日, natural_day 自然日, hour 小时.")
    note: Text | None = Field(default=None, description="Explanation (说明), e.g. what pauses it.")


class LegalBasis(_Element):
    """A legal basis (设定依据): the law, the article and the quoted text."""

    law: ShortText = Field(description="Name of the law, regulation or document (法律法规名称).")
    article: ShortText | None = Field(default=None, description="Article and clause (条款号).")
    text: Text | None = Field(default=None, description="Quoted text of the article (条款内容).")


class UnitRef(_Element):
    """The implementing unit (实施主体) from identity-svc's organisation tree."""

    code: ShortText = Field(description="Organisation unit code (机构编码).")
    name: ShortText = Field(description="Unit name (实施主体名称).")
    uscc: ShortText | None = Field(default=None, description="Its unified social credit code.")


class Place(_Element):
    """Where to go (办理地点): street, number, room or window."""

    address: ShortText | None = Field(default=None, description="Full address (详细地址).")
    street: ShortText | None = Field(default=None, description="Street/road name (街道/路名).")
    number: ShortText | None = Field(default=None, description="House number (门牌号).")
    room: ShortText | None = Field(default=None, description="Room or window (房间号/窗口号).")


class Material(_Element):
    """One application material (申请材料), at the finest grain."""

    name: ShortText = Field(min_length=1, description="Material name (材料名称).")
    source: ShortText | None = Field(
        default=None, description="Issuer or source (来源/出具单位), e.g. 户口所在地派出所."
    )
    originals: int = Field(default=0, ge=0, le=100, description="Number of originals (原件份数).")
    copies: int = Field(default=0, ge=0, le=100, description="Number of copies (复印件份数).")
    media: list[Medium] = Field(default_factory=list, description="Accepted media (介质要求).")
    requirement: Literal["required", "conditional"] = Field(
        default="required", description="required 必要, conditional 容缺/情形 with a condition."
    )
    condition: Text | None = Field(default=None, description="When a conditional one is needed.")
    blank_form_url: Url | None = Field(default=None, description="Blank form (空白表格) download.")
    sample_form_url: Url | None = Field(default=None, description="Sample form (示例样表) download.")
    exempt: bool = Field(
        default=False, description="免提交: not asked for because it is shared or looked up."
    )
    exempt_source: ShortText | None = Field(
        default=None, description="Where it is fetched instead (电子证照库, 数据共享 …)."
    )
    licence_type_code: LicenceTypeCode | None = Field(
        default=None,
        description="证照类型代码: the electronic licence (电子证照) that stands for this material. When "
        "the licence library holds a valid one for the applicant it is fetched and verified instead "
        "of handed in (两个免于提交), and the case records which licence; otherwise it is handed in.",
    )
    notes: Text | None = Field(default=None, description="Requirements (材料要求), e.g. 加盖公章.")


class ProcessStep(_Element):
    """A step of the handling process (办理流程)."""

    step: ProcessStepKind = Field(description="受理 accept, 审核 review, 审批 decide, 办结, 送达.")
    actor: ShortText | None = Field(default=None, description="Who does it (办理人员/岗位).")
    time_limit: TimeLimit | None = Field(default=None, description="How long the step may take.")
    description: Text | None = Field(default=None, description="Criteria and what happens.")


class SpecialStep(_Element):
    """A special procedure (特殊环节): hearing, inspection, expert review …"""

    kind: SpecialStepKind
    description: Text | None = None
    time_limit: TimeLimit | None = None


class FeeItem(_Element):
    """One fee (收费项目) with its standard and basis."""

    name: ShortText = Field(min_length=1, description="Fee item (收费项目名称).")
    standard: Text | None = Field(default=None, description="Amount or formula (收费标准).")
    basis: Text | None = Field(default=None, description="Legal basis of the fee (收费依据).")
    amount_fen: int | None = Field(
        default=None,
        ge=0,
        le=100_000_000,
        description="A fixed amount in fen (金额，分), e.g. 2000 for 20 元: what a payment notice asks for. "
        "Absent when the standard is a formula the deciding unit applies.",
    )


class Fees(_Element):
    """Fees (收费): charged or not, and the items."""

    charged: bool = Field(default=False, description="Is a fee charged (是否收费)?")
    items: list[FeeItem] = Field(default_factory=list, max_length=50)
    pay_before_delivery: bool = Field(
        default=False, description="The result is delivered only once the fees are paid (先缴费后出件)."
    )


class Commitment(_Element):
    """告知承诺制: the applicant signs the standard commitment instead of handing in some materials;
    the decision is made at once and checked afterwards (事后核查)."""

    text: Text = Field(
        min_length=1, description="The standard commitment text (告知承诺书) the applicant signs."
    )
    replaces: list[ShortText] = Field(
        min_length=1,
        max_length=50,
        description="The materials the commitment stands in for (承诺替代的材料).",
    )
    post_check_days: int = Field(
        ge=1, le=365, description="Working days after the decision within which the unit checks (核查期限)."
    )


DecisionRuleKind = Literal["min_age", "resident_of", "holds_licence"]
DECISION_RULES: dict[str, str] = {
    "min_age": "年龄不低于（周岁，按居民身份证号码计算）",
    "resident_of": "户籍在本行政区（按电子证照库中的居民户口簿）",
    "holds_licence": "持有有效证照（按电子证照库）",
}


class DecisionRule(_Element):
    """A rule over verified data (核验数据) an automatic decision checks."""

    kind: DecisionRuleKind = Field(
        description="min_age 年满（周岁）, resident_of 户籍所在区（区划代码）, "
        "holds_licence 持有有效证照（证照类型代码）."
    )
    value: ShortText = Field(min_length=1, description="The age, the district code or the licence type code.")


class AutoApproval(_Element):
    """秒批 (无人工干预自动审批): when every rule holds on verified data, the case is approved on
    submission with a decision naming the rule version; otherwise a person decides."""

    version: int = Field(ge=1, description="The rules' version (规则版本), named in every decision.")
    rules: list[DecisionRule] = Field(min_length=1, max_length=20)


class Proactive(_Element):
    """免申即享: residents who become eligible are offered the service without applying."""

    min_age: int = Field(ge=0, le=150, description="Offered on the day a resident reaches this age (周岁).")
    resident_of: ShortText | None = Field(
        default=None, description="Only residents registered in this district (区划代码), from the 户口簿."
    )


class Faq(_Element):
    """A frequent question (常见问题)."""

    question: Text = Field(min_length=1)
    answer: Text = Field(min_length=1)


class Result(_Element):
    """What the applicant gets (办理结果)."""

    name: ShortText | None = Field(default=None, description="Result name (结果名称).")
    sample_url: Url | None = Field(default=None, description="Result sample (结果样本).")
    licence_type_code: LicenceTypeCode | None = Field(
        default=None,
        description="When the result is a licence or certificate (证照), its type code (证照类型代码) in "
        "licence-svc's catalogue: an approved, completed case of the item issues it to the applicant "
        "in the electronic licence library (电子证照库).",
    )


class ItemElements(_Element):
    """Every element of an implementation entry (实施清单); rendered into the guide."""

    name: ShortText = Field(min_length=1, description="Item name (事项名称).")
    item_type: ItemType = Field(description="Item type (事项类型) 01–10 or 20.")
    implementing_unit: UnitRef
    level: Level = Field(description="Level (行使层级) 1–7.")
    power_source: PowerSource | None = Field(default=None, description="Power source (权力来源).")
    legal_basis: list[LegalBasis] = Field(default_factory=list, max_length=50)
    handling_type: HandlingType | None = Field(default=None, description="办件类型: 1 即办件, 2 承诺件.")
    legal_limit: TimeLimit | None = Field(default=None, description="Legal time limit (法定办结时限).")
    promised_limit: TimeLimit | None = Field(default=None, description="Promised time limit (承诺办结时限).")
    service_objects: list[ServiceObject] = Field(default_factory=list, description="服务对象.")
    handling_forms: list[HandlingForm] = Field(default_factory=list, description="办理形式.")
    place: Place | None = None
    hours: Text | None = Field(default=None, description="Opening hours (办理时间).")
    enquiry_phone: ShortText | None = Field(default=None, description="Enquiry phone (咨询电话).")
    supervision_phone: ShortText | None = Field(default=None, description="Supervision phone (监督投诉电话).")
    acceptance_conditions: Text | None = Field(default=None, description="受理条件.")
    quantity_limit: ShortText | None = Field(
        default=None, description="Quantity limit (数量限制), or 无数量限制."
    )
    special_steps: list[SpecialStep] = Field(default_factory=list, max_length=20)
    no_special_steps: bool = Field(
        default=False, description="Explicitly: no intermediary or special step (无特殊环节)."
    )
    materials: list[Material] = Field(default_factory=list, max_length=200)
    process: list[ProcessStep] = Field(default_factory=list, max_length=50)
    process_chart_url: Url | None = Field(default=None, description="Flow chart (流程图).")
    visits: int | None = Field(default=None, ge=0, le=20, description="到办事现场次数; 0 = 零跑动.")
    visits_reason: Text | None = Field(default=None, description="Why a visit is needed.")
    fees: Fees = Field(default_factory=Fees)
    online_depth: OnlineDepth | None = Field(default=None, description="网办深度 I–IV.")
    appointment_supported: bool = Field(default=False, description="Online appointment (预约).")
    online_payment_supported: bool = Field(default=False, description="Online payment (网上支付).")
    post_delivery_supported: bool = Field(default=False, description="Result by post (物流快递).")
    faq: list[Faq] = Field(default_factory=list, max_length=100)
    result: Result = Field(default_factory=Result)
    commitment: Commitment | None = Field(default=None, description="告知承诺制, when the item allows it.")
    auto_approval: AutoApproval | None = Field(
        default=None, description="秒批 rules, when the item has them."
    )
    proactive: Proactive | None = Field(
        default=None, description="免申即享, when the item is offered unasked."
    )
    community_kind: CommunityKind | None = Field(
        default=None, description="Community-level kind: 受理类 / 代收代办类 / 咨询预审类."
    )
    keywords: list[ShortText] = Field(default_factory=list, max_length=50, description="检索关键词.")
    themes: list[ShortText] = Field(default_factory=list, max_length=20, description="主题分类.")
    demo: bool = Field(default=False, description="True when values are invented demo data.")
