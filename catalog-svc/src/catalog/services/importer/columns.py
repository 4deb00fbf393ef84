"""The import file's format: columns, separators, labels, and the result types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...schemas.elements import (
    ItemElements,
)

LIST_SEP = ";"
FIELD_SEP = "|"
YES = {"是", "y", "yes", "true", "1", "有"}
NO = {"否", "n", "no", "false", "0", "无"}

# element → column, for the scalar elements (dotted paths for nested ones).
SCALAR_COLUMNS: dict[str, str] = {
    "name": "事项名称",
    "item_type": "事项类型",
    "implementing_unit.code": "实施主体编码",
    "implementing_unit.name": "实施主体名称",
    "implementing_unit.uscc": "实施主体统一社会信用代码",
    "level": "行使层级",
    "power_source": "权力来源",
    "handling_type": "办件类型",
    "legal_limit.value": "法定时限",
    "legal_limit.unit": "法定时限单位",
    "legal_limit.note": "法定时限说明",
    "promised_limit.value": "承诺时限",
    "promised_limit.unit": "承诺时限单位",
    "promised_limit.note": "承诺时限说明",
    "place.address": "办理地点",
    "place.street": "办理地点街道",
    "place.number": "办理地点门牌号",
    "place.room": "办理窗口",
    "hours": "办理时间",
    "enquiry_phone": "咨询电话",
    "supervision_phone": "监督电话",
    "acceptance_conditions": "受理条件",
    "quantity_limit": "数量限制",
    "no_special_steps": "无特殊环节",
    "process_chart_url": "流程图",
    "visits": "到现场次数",
    "visits_reason": "到现场原因",
    "fees.charged": "是否收费",
    "online_depth": "网办深度",
    "appointment_supported": "是否支持预约",
    "online_payment_supported": "是否支持网上支付",
    "post_delivery_supported": "是否支持物流快递",
    "result.name": "结果名称",
    "result.sample_url": "结果样本",
    "result.licence_type_code": "结果证照类型代码",
    "fees.pay_before_delivery": "先缴费后出件",
    "commitment.text": "告知承诺书",
    "commitment.post_check_days": "承诺核查期限",
    "auto_approval.version": "秒批规则版本",
    "proactive.min_age": "免申即享年龄",
    "proactive.resident_of": "免申即享户籍区划",
    "community_kind": "社区事项类别",
    "demo": "演示数据",
}
BASIC_CODE_COLUMN = "基本编码"
# list element → (column, [(field, sub-column label)])
LIST_COLUMNS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "service_objects": ("服务对象", []),
    "handling_forms": ("办理形式", []),
    "keywords": ("关键词", []),
    "themes": ("主题", []),
    "legal_basis": ("设定依据", [("law", "法律名称"), ("article", "条款号"), ("text", "条款内容")]),
    "materials": (
        "申请材料",
        [
            ("name", "名称"),
            ("source", "来源"),
            ("originals", "原件份数"),
            ("copies", "复印件份数"),
            ("media", "介质"),
            ("requirement", "必要性"),
            ("condition", "情形条件"),
            ("exempt_source", "免提交来源"),
            ("blank_form_url", "空白表格"),
            ("sample_form_url", "示例样表"),
            ("notes", "材料要求"),
            # Last, so files written before it was added still read the same.
            ("licence_type_code", "电子证照类型代码"),
        ],
    ),
    "process": (
        "办理流程",
        [
            ("step", "环节"),
            ("actor", "办理人员"),
            ("time_limit.value", "时限"),
            ("time_limit.unit", "时限单位"),
            ("description", "说明"),
            ("time_limit.note", "时限说明"),
        ],
    ),
    "special_steps": (
        "特殊环节",
        [
            ("kind", "类型"),
            ("description", "说明"),
            ("time_limit.value", "时限"),
            ("time_limit.unit", "时限单位"),
            ("time_limit.note", "时限说明"),
        ],
    ),
    "fees.items": (
        "收费项目",
        [("name", "名称"), ("standard", "标准"), ("basis", "依据"), ("amount_fen", "金额（分）")],
    ),
    "commitment.replaces": ("承诺替代材料", []),
    "auto_approval.rules": ("秒批规则", [("kind", "类型"), ("value", "值")]),
    "faq": ("常见问题", [("question", "问题"), ("answer", "答案")]),
}
COLUMNS: list[str] = [
    SCALAR_COLUMNS["name"],
    SCALAR_COLUMNS["item_type"],
    BASIC_CODE_COLUMN,
    *[c for k, c in SCALAR_COLUMNS.items() if k not in ("name", "item_type")],
    *[c for c, _ in LIST_COLUMNS.values()],
]
REQUIRED_COLUMNS = ["事项名称", "事项类型", "实施主体编码", "实施主体名称", "行使层级"]
#: What each column holds, for the template's 列说明 sheet and `GET /v1/imports/columns` (中文).
COLUMN_HELP: dict[str, str] = {
    "事项名称": "事项名称，最多 200 字；与实施主体编码一起确定一个事项（同名事项再次导入即为修改）",
    "事项类型": "代码 01–10、20 或名称，如 行政许可、行政给付、公共服务",
    "基本编码": "实施已有基本目录事项时填写；不填则同时新建基本目录事项",
    "实施主体编码": "统一身份认证组织机构中的单位编码，如 110105-MZJ",
    "实施主体名称": "实施单位全称",
    "实施主体统一社会信用代码": "18 位统一社会信用代码（GB 32100 校验）",
    "行使层级": "1–7 或名称，如 县级（区级）",
    "权力来源": "1–5、9 或名称，如 法定本级行使",
    "办件类型": "1 即办件、2 承诺件、9 其他",
    "法定时限": "整数；0 表示当场办结",
    "法定时限单位": "工作日、自然日或小时",
    "法定时限说明": "如 补正材料时间不计入",
    "承诺时限": "整数；0 表示当场办结",
    "承诺时限单位": "工作日、自然日或小时",
    "承诺时限说明": "如 公示期不计入",
    "办理地点": "详细地址",
    "办理地点街道": "街道或路名",
    "办理地点门牌号": "门牌号",
    "办理窗口": "房间号或窗口号",
    "办理时间": "如 周一至周五 上午9:00-12:00",
    "咨询电话": "带区号，如 010-65091101",
    "监督电话": "带区号，且不同于咨询电话",
    "受理条件": "文字",
    "数量限制": "如 无数量限制",
    "无特殊环节": "是 或 否",
    "流程图": "网址（https://…）",
    "到现场次数": "0–20；0 表示零跑动",
    "到现场原因": "需到现场时说明原因",
    "是否收费": "是 或 否",
    "网办深度": "I、II、III、IV（或 一级…四级）",
    "是否支持预约": "是 或 否",
    "是否支持网上支付": "是 或 否",
    "是否支持物流快递": "是 或 否",
    "结果名称": "办理结果（证照、批文）名称",
    "结果样本": "网址（https://…）",
    "结果证照类型代码": "结果为证照时，电子证照库中的证照类型代码，如 SPJYXKZ",
    "社区事项类别": "受理类、代收代办类 或 咨询预审类",
    "演示数据": "是 或 否（虚构的演示数据填 是）",
    "服务对象": "多个用英文分号 ; 分隔，如 自然人;企业法人",
    "办理形式": "多个用 ; 分隔，如 窗口办理;网上办理",
    "关键词": "多个用 ; 分隔",
    "主题": "多个用 ; 分隔",
    "设定依据": "每条：法律名称|条款号|条款内容，多条用 ; 分隔",
    "申请材料": (
        "每条：名称|来源|原件份数|复印件份数|介质(原件,复印件,电子版)|必要性(必要/情形必要)|情形条件|"
        "免提交来源|空白表格|示例样表|材料要求，多条用 ; 分隔，末尾的空字段可省略"
    ),
    "办理流程": "每步：环节(受理/审核/审批/办结/送达)|办理人员|时限|时限单位|说明|时限说明，多步用 ; 分隔",
    "特殊环节": "每条：类型(听证/现场勘查/专家评审/评估/其他特殊环节)|说明|时限|时限单位|时限说明",
    "收费项目": "每项：名称|标准|依据|金额（分，固定金额时填写，如 2000 即 20 元），多项用 ; 分隔",
    "先缴费后出件": "是 或 否：缴清费用后才送达办理结果",
    "告知承诺书": "实行告知承诺制时，申请人签署的承诺书全文",
    "承诺替代材料": "签署承诺书后免交的材料名称，多个用 ; 分隔",
    "承诺核查期限": "作出决定后多少个工作日内核查（1–365）",
    "秒批规则版本": "整数，自动审批决定书载明的规则版本",
    "秒批规则": "每条：类型(min_age 年满周岁/resident_of 户籍区划/holds_licence 持有证照)|值，多条用 ; 分隔",
    "免申即享年龄": "年满该周岁的居民无需申请即被邀请确认",
    "免申即享户籍区划": "只邀请户籍在该区划的居民，如 110105",
    "常见问题": "每条：问题|答案，多条用 ; 分隔",
}
_REQUIREMENTS = {"required": "必要", "conditional": "情形必要"}


@dataclass(frozen=True)
class Problem:
    """One line of the validation report."""

    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    """A valid row: its number, its elements, the basic code it names (if any), and the element
    document as the row gave it (only what its cells hold: an update replaces no more)."""

    row: int
    elements: ItemElements
    basic_code: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would have done)."""

    created: list[str] = field(default_factory=list)
    #: Entries given a changed draft or a new draft version (``--update``).
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False


class _CellError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
