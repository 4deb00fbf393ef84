"""hotline-svc's domain errors, each with a stable code, a Chinese text and its English.

hotline.ticket_not_found       404  no such ticket, or not one the caller may see
hotline.invalid_transition     409  the ticket's status does not allow the action (names it)
hotline.not_your_ticket        403  a unit acting on a ticket it does not lead
hotline.unknown_unit           422  a unit code not in the organisation read model
hotline.unknown_category       422  no such request category
hotline.unknown_area           422  a street/community code not in the organisation tree
hotline.dispute_window_closed  409  退单 after the dispute window
hotline.not_reopenable         409  reopening a ticket the caller was satisfied with
hotline.merge_invalid          409  merging a ticket into itself or into a closed one
hotline.kb_entry_not_found     404
hotline.kb_invalid_transition  409  knowledge-base version step not allowed
hotline.kb_self_review         403  the author may not approve their own version
hotline.kb_not_answerable      409  answering with an entry that is not published
hotline.rule_not_found         404
hotline.rule_exists            409  a dispatch rule for that category × area already exists
hotline.open311_key_not_found  404
hotline.escalation_rule_not_found   404  no such escalation rule (催办/督办规则)
hotline.escalation_not_found        404  no such reminder or escalation, or not one the caller may see
hotline.not_escalation_recipient    403  only the people it names acknowledge it
hotline.staff_only                  403  work lists are for staff accounts
hotline.unknown_staff               422  a rule names a staff member unknown to identity, or disabled
hotline.escalation_rule_incomplete  422  a rule's target needs the unit or the person it names
"""

from __future__ import annotations

from datetime import datetime

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.errors import Conflict, Forbidden, NotFound, UnprocessableEntity

#: Ticket statuses as the hotline's staff and callers say them.
STATUS_ZH = {
    "registered": "已登记",
    "dispatched": "已派单",
    "returned": "已退单",
    "in_progress": "办理中",
    "replied": "已答复",
    "called_back": "已回访",
    "closed": "已办结",
    "merged": "已合并",
}

#: Ticket actions: the Chinese verb and the English past participle ("it cannot be …").
ACTIONS = {
    "dispatch": ("派单", "dispatched"),
    "divert": ("分流", "diverted"),
    "answer": ("当场答复", "answered"),
    "merge": ("合并", "merged"),
    "return": ("退单", "returned (退单)"),
    "respond": ("响应", "responded to"),
    "extend": ("延期", "extended"),
    "reply": ("答复", "replied to"),
    "call_back": ("回访", "called back"),
    "reopen": ("重办", "reopened"),
    "close": ("办结", "closed"),
}

#: Knowledge-base statuses (of an entry or a version).
KB_STATUS_ZH = {
    "draft": "草稿",
    "in_review": "待审核",
    "published": "已发布",
    "superseded": "已被新版本取代",
    "withdrawn": "已撤下",
}

#: Knowledge-base steps: the Chinese verb and the English past participle.
KB_ACTIONS = {
    "edit": ("修改（请先完成审核）", "edited (decide the review first)"),
    "submit": ("提交审核", "submitted for review"),
    "approve": ("审核通过", "approved"),
    "reject": ("退回修改", "rejected"),
    "withdraw": ("撤下", "withdrawn"),
}


def ticket_not_found(ticket_id: str) -> NotFound:
    """No such ticket (or not the caller's to see)."""
    return NotFound(
        f"未找到工单 {ticket_id}，请核对后重试。",
        en=f"No ticket {ticket_id}.",
        code="hotline.ticket_not_found",
    )


def invalid_transition(number: str, status: str, action: str, allowed: list[str]) -> Conflict:
    """The action is not allowed in the ticket's status."""
    verb_zh, verb_en = ACTIONS[action]
    allowed_zh = "、".join(ACTIONS[a][0] for a in allowed)
    return Conflict(
        f"工单 {number} 当前状态为“{STATUS_ZH.get(status, status)}”（{status}），不能{verb_zh}。"
        + (f"当前可以办理：{allowed_zh}。" if allowed else "该工单已结束，不能再办理。"),
        en=f"Ticket {number} is {status}; it cannot be {verb_en}. Allowed now: "
        + (", ".join(allowed) if allowed else "nothing (the ticket is finished)")
        + ".",
        code="hotline.invalid_transition",
        status_now=status,
        allowed_actions=allowed,
    )


def not_your_ticket(number: str, unit: str | None) -> Forbidden:
    """A unit acting on a ticket it does not lead."""
    return Forbidden(
        f"工单 {number} 的主办单位是 {unit}，只有该单位的承办人员可以办理此操作。",
        en=f"Ticket {number} is led by unit {unit}; only that unit's handlers may do this.",
        code="hotline.not_your_ticket",
    )


def unknown_unit(code: str, field: str) -> UnprocessableEntity:
    """A unit code not in the organisation read model."""
    return UnprocessableEntity(
        f"{field} 中的单位编码 {code!r} 不存在，请使用组织机构树中的单位编码"
        "（GET /api/identity/v1/org-units）。",
        en=f"Unit {code!r} is not a known organisation unit; use a code from identity-svc's "
        "organisation tree (GET /api/identity/v1/org-units).",
        code="hotline.unknown_unit",
        field=field,
    )


def unknown_category(code: str) -> UnprocessableEntity:
    """No such request category."""
    return UnprocessableEntity(
        f"诉求分类 {code!r} 不存在，请从 GET /api/hotline/v1/categories 列出的分类中选择。",
        en=f"Request category {code!r} does not exist; list them with GET /api/hotline/v1/categories.",
        code="hotline.unknown_category",
        field="category_code",
    )


def unknown_area(code: str, field: str) -> UnprocessableEntity:
    """A street or community code not in the organisation tree."""
    return UnprocessableEntity(
        f"{field} 中的 {code!r} 不是本区组织机构树中的街道或社区编码，请核对后重新填写。",
        en=f"{code!r} is not a street or community of the district's organisation tree.",
        code="hotline.unknown_area",
        field=field,
    )


def community_outside_street(community: str, street: str, actual: str) -> UnprocessableEntity:
    """A community given with a street it does not belong to."""
    return UnprocessableEntity(
        f"社区 {community} 属于街道 {actual}，不属于街道 {street}。请改正街道编码，或只填写社区编码。",
        en=f"Community {community} belongs to street {actual}, not {street}; correct street_code "
        "or give community_code alone.",
        code="hotline.unknown_area",
        field="community_code",
    )


def dispute_window_closed(number: str, deadline: datetime) -> Conflict:
    """退单 after the window."""
    local = deadline.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return Conflict(
        f"工单 {number} 的退单时限已于 {local}（北京时间）截止。按照首接负责要求，请本单位继续办理，"
        "确有异议的请联系派单员。",
        en=f"The dispute window for ticket {number} closed at {deadline.isoformat()}; the unit must "
        "handle it (首接负责) or ask the dispatcher.",
        code="hotline.dispute_window_closed",
    )


def kb_entry_not_found(entry_id: str) -> NotFound:
    """No such knowledge-base entry."""
    return NotFound(
        f"未找到知识库条目 {entry_id}，请核对条目编号。",
        en=f"No knowledge-base entry {entry_id}.",
        code="hotline.kb_entry_not_found",
    )


def kb_invalid_transition(entry_id: str, status: str, action: str) -> Conflict:
    """Knowledge-base version step not allowed."""
    verb_zh, verb_en = KB_ACTIONS[action]
    return Conflict(
        f"知识库条目 {entry_id} 的最新版本状态为“{KB_STATUS_ZH.get(status, status)}”（{status}），"
        f"不能{verb_zh}。",
        en=f"The latest version of entry {entry_id} is {status}; it cannot be {verb_en}.",
        code="hotline.kb_invalid_transition",
        status_now=status,
    )


def rule_not_found(rule_id: str) -> NotFound:
    """No such dispatch rule."""
    return NotFound(
        f"未找到派单规则 {rule_id}，请刷新派单目录后重试。",
        en=f"No dispatch rule {rule_id}.",
        code="hotline.rule_not_found",
    )


def rule_exists(category: str, area: str, rule_id: str) -> Conflict:
    """A dispatch rule for the category × area already exists."""
    return Conflict(
        f"分类 {category} × 区域 {area} 已有派单规则（{rule_id}），请修改该规则，不要重复添加。",
        en=f"A rule for {category} × {area} exists ({rule_id}); change that one.",
        code="hotline.rule_exists",
        rule_id=rule_id,
    )


def open311_key_not_found(key_id: str) -> NotFound:
    """No such Open311 api key."""
    return NotFound(
        f"未找到 Open311 api_key 记录 {key_id}。",
        en=f"No Open311 api key {key_id}.",
        code="hotline.open311_key_not_found",
    )


def escalation_rule_not_found(rule_id: str) -> NotFound:
    """No such escalation rule."""
    return NotFound(
        f"未找到催办督办规则 {rule_id}，请从 GET /api/hotline/v1/escalation-rules 列出的规则中选择。",
        en=f"No escalation rule {rule_id}; pick one from GET /api/hotline/v1/escalation-rules.",
        code="hotline.escalation_rule_not_found",
    )


def escalation_not_found(escalation_id: str) -> NotFound:
    """No such reminder or escalation (or not the caller's to see)."""
    return NotFound(
        f"未找到催办督办记录 {escalation_id}，"
        "请从“我的催办督办”（GET /api/hotline/v1/escalations/mine）中选择。",
        en=f"No reminder or escalation {escalation_id}; pick one from GET /api/hotline/v1/escalations/mine.",
        code="hotline.escalation_not_found",
    )


def not_escalation_recipient(escalation_id: str) -> Forbidden:
    """The caller is not among the people it names."""
    return Forbidden(
        f"催办督办记录 {escalation_id} 未点名您，只有被点名的承办人或督办人可以签收。",
        en=f"Reminder or escalation {escalation_id} does not name you; "
        "only the people it names acknowledge it.",
        code="hotline.not_escalation_recipient",
    )


def staff_only() -> Forbidden:
    """A citizen asked for a staff work list."""
    return Forbidden(
        "催办督办事项只向工作人员展示，请使用工作人员账号登录。",
        en="Reminders and escalations are shown to staff accounts only.",
        code="hotline.staff_only",
    )


def unknown_staff(staff_id: str) -> UnprocessableEntity:
    """A rule names a person the staff read model does not hold as active."""
    return UnprocessableEntity(
        f"target_staff_id 中的工作人员 {staff_id!r} 不存在或已停用，请选择在岗的工作人员"
        "（GET /api/identity/v1/staff）。",
        en=f"Staff member {staff_id!r} is unknown or disabled; name an active staff member "
        "(GET /api/identity/v1/staff).",
        code="hotline.unknown_staff",
        field="target_staff_id",
    )


def escalation_rule_incomplete(target: str, field: str) -> UnprocessableEntity:
    """The target needs a unit or a person the rule does not give."""
    named = {"unit": "指定单位", "staff": "指定人员"}.get(target, target)
    return UnprocessableEntity(
        f"督办对象为“{named}”时必须填写 {field}。",
        en=f"A rule with target {target!r} needs {field}.",
        code="hotline.escalation_rule_incomplete",
        field=field,
    )
