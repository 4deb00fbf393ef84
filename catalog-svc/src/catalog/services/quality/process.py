"""Checks of the process steps, the special steps and the visits."""

from __future__ import annotations

from ...schemas.elements import PROCESS_STEPS, ItemElements
from .limits import limit_text
from .results import Collector
from .rules import blank, valid_http_url


def check_special_steps(c: Collector, el: ItemElements) -> None:
    if not el.special_steps and not el.no_special_steps:
        c.error(
            "special_steps.undeclared",
            "special_steps",
            "未说明是否涉及中介服务或特殊环节",
            "列出评审、评估、现场勘查等特殊环节；没有的标注“无特殊环节”",
        )
    if el.special_steps and el.no_special_steps:
        c.warning(
            "special_steps.contradiction",
            "no_special_steps",
            "已列出特殊环节，却又标注“无特殊环节”",
            "删除“无特殊环节”标注，或删除所列特殊环节",
        )
    for i, step in enumerate(el.special_steps):
        if blank(step.description):
            c.warning(
                "special_steps.description",
                f"special_steps[{i}].description",
                "特殊环节未说明内容",
                "说明特殊环节的内容、实施机构和所需时间",
            )


_STEP_ORDER = list(PROCESS_STEPS)


def check_process(c: Collector, el: ItemElements) -> None:
    if not el.process:
        c.error("process.missing", "process", "未提供办理流程", "写明受理、审核、审批、办结、送达各环节")
    else:
        present = {s.step for s in el.process}
        required = ["accept", "complete", "deliver"] if el.handling_type == "1" else _STEP_ORDER
        missing = [PROCESS_STEPS[s] for s in required if s not in present]
        if missing:
            c.error(
                "process.incomplete",
                "process",
                f"办理流程缺少{'、'.join(missing)}环节",
                "办理流程应涵盖受理、审核、审批、办结、送达等环节",
            )
        indexes = [_STEP_ORDER.index(s.step) for s in el.process]
        for i in range(1, len(indexes)):
            if indexes[i] < indexes[i - 1]:
                c.error(
                    "process.order",
                    f"process[{i}].step",
                    f"办理流程中“{PROCESS_STEPS[el.process[i].step]}”排在"
                    f"“{PROCESS_STEPS[el.process[i - 1].step]}”之后，顺序不对",
                    "按受理、审核、审批、办结、送达的顺序排列",
                )
                break
    for i, step in enumerate(el.process):
        label = PROCESS_STEPS[step.step]
        if blank(step.actor):
            c.error(
                "process.actor",
                f"process[{i}].actor",
                f"“{label}”环节未写明办理人员或岗位",
                "写明办理岗位或窗口",
            )
        if step.time_limit is None:
            c.error(
                "process.time_limit",
                f"process[{i}].time_limit",
                f"“{label}”环节未写明办理时限",
                "写明该环节的办理时长，当场办理填 0",
            )
        if blank(step.description):
            c.warning(
                "process.description",
                f"process[{i}].description",
                f"“{label}”环节未说明办理内容和标准",
                "说明该环节做什么、依据什么标准",
            )
    promised = el.promised_limit
    if promised is not None and promised.value > 0:
        same_unit = [
            s.time_limit.value for s in el.process if s.time_limit and s.time_limit.unit == promised.unit
        ]
        if sum(same_unit) > promised.value:
            c.warning(
                "process.exceeds_promised",
                "process",
                f"各环节时限合计 {sum(same_unit)}，超过承诺时限（{limit_text(promised)}）",
                "核对各环节时限，使其合计不超过承诺时限",
            )
    if blank(el.process_chart_url):
        c.error(
            "process_chart_url.missing", "process_chart_url", "未提供办理流程图", "上传规范完整的办理流程图"
        )
    elif not valid_http_url(el.process_chart_url):
        c.error(
            "process_chart_url.invalid",
            "process_chart_url",
            "办理流程图链接无效",
            "提供以 http:// 或 https:// 开头的有效地址",
        )


def check_visits(c: Collector, el: ItemElements) -> None:
    if el.visits is None:
        c.error("visits.missing", "visits", "未标注到办事现场次数", "标注到现场次数，零跑动填 0")
        return
    if el.visits > 0 and blank(el.visits_reason):
        c.error(
            "visits.reason_missing",
            "visits_reason",
            f"需到现场 {el.visits} 次，但未说明原因",
            "说明需要到现场的原因，如“核验原件”",
        )
    if el.online_depth == "IV" and el.visits != 0:
        c.error(
            "visits.depth_iv",
            "visits",
            "网办深度为四级（全程网办），但到现场次数不是 0",
            "全程网办事项到现场次数应为 0；否则降低网办深度",
        )
    if el.online_depth == "III" and el.visits > 1:
        c.error(
            "visits.depth_iii",
            "visits",
            "网办深度为三级（最多跑一次），但到现场次数超过 1 次",
            "将到现场次数压减到 1 次以内，或核对网办深度",
        )
    remote = {"2", "3", "4"}
    if el.visits == 0 and el.handling_forms and not remote.intersection(el.handling_forms):
        c.error(
            "visits.zero_without_remote",
            "visits",
            "标注零跑动，但只能到窗口办理",
            "开通网上、移动端或快递办理，或改正到现场次数",
        )
