"""hotline-svc's domain errors: a class per stable code (its one-line docstring says what the code
means, and is the code's entry in the OpenAPI document's `x-problem-codes`), and a factory per
error that builds the Chinese text and its English from the values at hand."""

from __future__ import annotations

from datetime import datetime

from yiwang_shared.auth import ROLE_NAMES_ZH, RoleRequired
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


# --- the declared errors ----------------------------------------------------------------------


class TicketNotFound(NotFound):
    """No such ticket, or not one the caller may see."""

    code = "hotline.ticket_not_found"


class InvalidTransition(Conflict):
    """The ticket's status does not allow the action (the problem names what is allowed now)."""

    code = "hotline.invalid_transition"


class NotYourTicket(Forbidden):
    """A unit acting on a ticket it does not lead."""

    code = "hotline.not_your_ticket"


class NotYourUnit(Forbidden):
    """A handling unit asking for another unit's indicators."""

    code = "hotline.not_your_unit"


class UnknownUnit(UnprocessableEntity):
    """A unit code not in the organisation read model."""

    code = "hotline.unknown_unit"


class UnknownCategory(UnprocessableEntity):
    """No such request category."""

    code = "hotline.unknown_category"


class UnknownArea(UnprocessableEntity):
    """A street or community code not in the organisation tree, or a community outside the street."""

    code = "hotline.unknown_area"


class InvalidChannel(UnprocessableEntity):
    """A citizen registering a ticket on a channel other than web or mobile."""

    code = "hotline.invalid_channel"


class InvalidAttributes(UnprocessableEntity):
    """The category's additional attributes are missing or malformed (`errors` lists each)."""

    code = "hotline.invalid_attributes"


class CategoryRequired(Conflict):
    """Dispatching by the dispatch rules a ticket that has no category."""

    code = "hotline.category_required"


class DisputeWindowClosed(Conflict):
    """退单 after the dispute window."""

    code = "hotline.dispute_window_closed"


class NoTimeLimit(Conflict):
    """Extending a ticket that has no time limit."""

    code = "hotline.no_time_limit"


class NotReopenable(Conflict):
    """Reopening a ticket the caller was resolved and satisfied with."""

    code = "hotline.not_reopenable"


class MergeInvalid(Conflict):
    """Merging a ticket into itself or into a finished one."""

    code = "hotline.merge_invalid"


class NotAnEnquiry(Conflict):
    """Answering on the spot a ticket that is not an enquiry."""

    code = "hotline.not_an_enquiry"


class KbNotAnswerable(Conflict):
    """Answering with a knowledge-base entry that is not published."""

    code = "hotline.kb_not_answerable"


class KbEntryNotFound(NotFound):
    """No such knowledge-base entry."""

    code = "hotline.kb_entry_not_found"


class KbInvalidTransition(Conflict):
    """The knowledge-base entry's status does not allow the step."""

    code = "hotline.kb_invalid_transition"


class KbSelfReview(Forbidden):
    """The author may not approve their own version."""

    code = "hotline.kb_self_review"


class KbNotYourUnit(Forbidden):
    """A department's editor writing an entry another unit keeps."""

    code = "hotline.kb_not_your_unit"


class KbFromCatalog(Forbidden):
    """Editing an entry that comes from the catalogue (it changes only with the item)."""

    code = "hotline.kb_from_catalog"


class KbExpired(UnprocessableEntity):
    """Approving a version whose expiry date has passed."""

    code = "hotline.kb_expired"


class OwnerRequired(UnprocessableEntity):
    """A knowledge-base entry without the unit that keeps it."""

    code = "hotline.owner_required"


class UnknownItem(UnprocessableEntity):
    """A linked catalogue item that is not published or does not exist."""

    code = "hotline.unknown_item"


class RuleNotFound(NotFound):
    """No such dispatch rule."""

    code = "hotline.rule_not_found"


class RuleExists(Conflict):
    """A dispatch rule for that category × area already exists."""

    code = "hotline.rule_exists"


class TimeLimitRuleNotFound(NotFound):
    """No such time-limit rule."""

    code = "hotline.time_limit_rule_not_found"


class Open311KeyNotFound(NotFound):
    """No such Open311 api key."""

    code = "hotline.open311_key_not_found"


class EscalationRuleNotFound(NotFound):
    """No such escalation rule (催办/督办规则)."""

    code = "hotline.escalation_rule_not_found"


class EscalationNotFound(NotFound):
    """No such reminder or escalation, or not one the caller may see."""

    code = "hotline.escalation_not_found"


class NotEscalationRecipient(Forbidden):
    """Only the people a reminder or escalation names acknowledge it."""

    code = "hotline.not_escalation_recipient"


class StaffOnly(Forbidden):
    """Reminder and escalation work lists are for staff accounts."""

    code = "hotline.staff_only"


class UnknownStaff(UnprocessableEntity):
    """A rule names a staff member unknown to identity, or disabled."""

    code = "hotline.unknown_staff"


class EscalationRuleIncomplete(UnprocessableEntity):
    """A rule's target needs the unit or the person it names."""

    code = "hotline.escalation_rule_incomplete"


class TopicNotFound(NotFound):
    """No such hot topic."""

    code = "hotline.topic_not_found"


class TopicAlertNotFound(NotFound):
    """No such rising-topic alert."""

    code = "hotline.topic_alert_not_found"


class TopicRangeTooLong(UnprocessableEntity):
    """The date range of a topic count is longer than the period allows."""

    code = "hotline.topic_range_too_long"


# --- the factories ----------------------------------------------------------------------------


def ticket_not_found(ticket_id: str) -> TicketNotFound:
    """No such ticket (or not the caller's to see)."""
    return TicketNotFound(
        f"未找到工单 {ticket_id}，请核对后重试。",
        en=f"No ticket {ticket_id}.",
    )


def invalid_transition(number: str, status: str, action: str, allowed: list[str]) -> InvalidTransition:
    """The action is not allowed in the ticket's status."""
    verb_zh, verb_en = ACTIONS[action]
    allowed_zh = "、".join(ACTIONS[a][0] for a in allowed)
    return InvalidTransition(
        f"工单 {number} 当前状态为“{STATUS_ZH.get(status, status)}”（{status}），不能{verb_zh}。"
        + (f"当前可以办理：{allowed_zh}。" if allowed else "该工单已结束，不能再办理。"),
        en=f"Ticket {number} is {status}; it cannot be {verb_en}. Allowed now: "
        + (", ".join(allowed) if allowed else "nothing (the ticket is finished)")
        + ".",
        status_now=status,
        allowed_actions=allowed,
    )


def not_your_ticket(number: str, unit: str | None) -> NotYourTicket:
    """A unit acting on a ticket it does not lead."""
    return NotYourTicket(
        f"工单 {number} 的主办单位是 {unit}，只有该单位的承办人员可以办理此操作。",
        en=f"Ticket {number} is led by unit {unit}; only that unit's handlers may do this.",
    )


def unknown_unit(code: str, field: str) -> UnknownUnit:
    """A unit code not in the organisation read model."""
    return UnknownUnit(
        f"{field} 中的单位编码 {code!r} 不存在，请使用组织机构树中的单位编码"
        "（GET /api/identity/v1/org-units）。",
        en=f"Unit {code!r} is not a known organisation unit; use a code from identity-svc's "
        "organisation tree (GET /api/identity/v1/org-units).",
        field=field,
    )


def unknown_category(code: str) -> UnknownCategory:
    """No such request category."""
    return UnknownCategory(
        f"诉求分类 {code!r} 不存在，请从 GET /api/hotline/v1/categories 列出的分类中选择。",
        en=f"Request category {code!r} does not exist; list them with GET /api/hotline/v1/categories.",
        field="category_code",
    )


def unknown_area(code: str, field: str) -> UnknownArea:
    """A street or community code not in the organisation tree."""
    return UnknownArea(
        f"{field} 中的 {code!r} 不是本区组织机构树中的街道或社区编码，请核对后重新填写。",
        en=f"{code!r} is not a street or community of the district's organisation tree.",
        field=field,
    )


def community_outside_street(community: str, street: str, actual: str) -> UnknownArea:
    """A community given with a street it does not belong to."""
    return UnknownArea(
        f"社区 {community} 属于街道 {actual}，不属于街道 {street}。请改正街道编码，或只填写社区编码。",
        en=f"Community {community} belongs to street {actual}, not {street}; correct street_code "
        "or give community_code alone.",
        field="community_code",
    )


def dispute_window_closed(number: str, deadline: datetime) -> DisputeWindowClosed:
    """退单 after the window."""
    local = deadline.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return DisputeWindowClosed(
        f"工单 {number} 的退单时限已于 {local}（北京时间）截止。按照首接负责要求，请本单位继续办理，"
        "确有异议的请联系派单员。",
        en=f"The dispute window for ticket {number} closed at {deadline.isoformat()}; the unit must "
        "handle it (首接负责) or ask the dispatcher.",
    )


def kb_entry_not_found(entry_id: str) -> KbEntryNotFound:
    """No such knowledge-base entry."""
    return KbEntryNotFound(
        f"未找到知识库条目 {entry_id}，请核对条目编号。",
        en=f"No knowledge-base entry {entry_id}.",
    )


def kb_invalid_transition(entry_id: str, status: str, action: str) -> KbInvalidTransition:
    """Knowledge-base version step not allowed."""
    verb_zh, verb_en = KB_ACTIONS[action]
    return KbInvalidTransition(
        f"知识库条目 {entry_id} 的最新版本状态为“{KB_STATUS_ZH.get(status, status)}”（{status}），"
        f"不能{verb_zh}。",
        en=f"The latest version of entry {entry_id} is {status}; it cannot be {verb_en}.",
        status_now=status,
    )


def rule_not_found(rule_id: str) -> RuleNotFound:
    """No such dispatch rule."""
    return RuleNotFound(
        f"未找到派单规则 {rule_id}，请刷新派单目录后重试。",
        en=f"No dispatch rule {rule_id}.",
    )


def rule_exists(category: str, area: str, rule_id: str) -> RuleExists:
    """A dispatch rule for the category × area already exists."""
    return RuleExists(
        f"分类 {category} × 区域 {area} 已有派单规则（{rule_id}），请修改该规则，不要重复添加。",
        en=f"A rule for {category} × {area} exists ({rule_id}); change that one.",
        rule_id=rule_id,
    )


def open311_key_not_found(key_id: str) -> Open311KeyNotFound:
    """No such Open311 api key."""
    return Open311KeyNotFound(
        f"未找到 Open311 api_key 记录 {key_id}。",
        en=f"No Open311 api key {key_id}.",
    )


def escalation_rule_not_found(rule_id: str) -> EscalationRuleNotFound:
    """No such escalation rule."""
    return EscalationRuleNotFound(
        f"未找到催办督办规则 {rule_id}，请从 GET /api/hotline/v1/escalation-rules 列出的规则中选择。",
        en=f"No escalation rule {rule_id}; pick one from GET /api/hotline/v1/escalation-rules.",
    )


def escalation_not_found(escalation_id: str) -> EscalationNotFound:
    """No such reminder or escalation (or not the caller's to see)."""
    return EscalationNotFound(
        f"未找到催办督办记录 {escalation_id}，"
        "请从“我的催办督办”（GET /api/hotline/v1/escalations/mine）中选择。",
        en=f"No reminder or escalation {escalation_id}; pick one from GET /api/hotline/v1/escalations/mine.",
    )


def not_escalation_recipient(escalation_id: str) -> NotEscalationRecipient:
    """The caller is not among the people it names."""
    return NotEscalationRecipient(
        f"催办督办记录 {escalation_id} 未点名您，只有被点名的承办人或督办人可以签收。",
        en=f"Reminder or escalation {escalation_id} does not name you; "
        "only the people it names acknowledge it.",
    )


def staff_only() -> StaffOnly:
    """A citizen asked for a staff work list."""
    return StaffOnly(
        "催办督办事项只向工作人员展示，请使用工作人员账号登录。",
        en="Reminders and escalations are shown to staff accounts only.",
    )


def unknown_staff(staff_id: str) -> UnknownStaff:
    """A rule names a person the staff read model does not hold as active."""
    return UnknownStaff(
        f"target_staff_id 中的工作人员 {staff_id!r} 不存在或已停用，请选择在岗的工作人员"
        "（GET /api/identity/v1/staff）。",
        en=f"Staff member {staff_id!r} is unknown or disabled; name an active staff member "
        "(GET /api/identity/v1/staff).",
        field="target_staff_id",
    )


def escalation_rule_incomplete(target: str, field: str) -> EscalationRuleIncomplete:
    """The target needs a unit or a person the rule does not give."""
    named = {"unit": "指定单位", "staff": "指定人员"}.get(target, target)
    return EscalationRuleIncomplete(
        f"督办对象为“{named}”时必须填写 {field}。",
        en=f"A rule with target {target!r} needs {field}.",
        field=field,
    )


def roles_required(roles: list[str], deed_zh: str, deed_en: str) -> RoleRequired:
    """Only staff holding one of `roles` may do the deed ("派单" / "Dispatching a ticket")."""
    return RoleRequired(
        f"只有{'、'.join(ROLE_NAMES_ZH.get(r, r) for r in roles)}可以{deed_zh}，"
        "请由具备相应角色的工作人员办理。",
        en=f"{deed_en} needs one of the roles: {', '.join(roles)}.",
        required_roles=roles,
    )


def ticket_list_forbidden() -> RoleRequired:
    """A staff member who is neither hotline staff nor a handling unit listing tickets."""
    return RoleRequired(
        "工单列表只向热线工作人员、承办单位和市民本人开放。",
        en="Only hotline staff, handling units and citizens list tickets.",
    )


def indicators_forbidden() -> RoleRequired:
    """The hotline's indicators asked for by someone who is not entitled to them."""
    return RoleRequired(
        "热线考核指标只向热线工作人员、好差评管理人员和承办单位开放。",
        en="Indicators are for hotline staff, evaluators and handling units.",
    )


def rankings_forbidden() -> RoleRequired:
    """Rankings asked for by a citizen."""
    return RoleRequired("排名只向工作人员开放。", en="Rankings are for staff.")


def kb_staff_only() -> RoleRequired:
    """The knowledge base asked for by a citizen."""
    return RoleRequired("热线知识库只向工作人员开放。", en="The knowledge base is for staff.")


def not_your_unit() -> NotYourUnit:
    """A handling unit asking for another unit's indicators."""
    return NotYourUnit("承办单位只能查看本单位的指标。", en="A handling unit sees its own indicators only.")


def invalid_channel(channel: str) -> InvalidChannel:
    """A citizen registering on an agent's channel."""
    return InvalidChannel(
        f"市民本人提交诉求请选择网站（web）或移动端（mobile）渠道，不能选择 {channel}。",
        en="Citizens submit tickets on the web or mobile channel.",
        field="channel",
    )


def invalid_attributes(problems: list[dict[str, str]]) -> InvalidAttributes:
    """The category's attributes to fix, each message already in the request's language."""
    # Only one of the two texts is shown, and each message is in the request's language already.
    listed_zh = "；".join(f"{p['field']}（{p['message']}）" for p in problems)
    listed_en = "; ".join(f"{p['field']} ({p['message']})" for p in problems)
    return InvalidAttributes(
        f"有 {len(problems)} 项附加信息需要修改：{listed_zh}。",
        en=f"{len(problems)} attribute(s) are invalid: {listed_en}.",
        errors=problems,
    )


def category_required(number: str) -> CategoryRequired:
    """Dispatching by the rules a ticket without a category."""
    return CategoryRequired(
        f"工单 {number} 尚未分类，无法按派单目录派单。请填写诉求分类 category_code，"
        "或直接指定主办单位 unit_code。",
        en=f"Ticket {number} has no category; give category_code or unit_code to dispatch it.",
    )


def no_time_limit(number: str) -> NoTimeLimit:
    """Extending a ticket without a time limit."""
    return NoTimeLimit(
        f"工单 {number} 没有办理时限，无需延期。",
        en=f"Ticket {number} has no time limit to extend.",
    )


def not_reopenable(number: str, satisfaction: str | None, satisfaction_zh: str | None) -> NotReopenable:
    """Reopening a ticket the caller was resolved and satisfied with."""
    return NotReopenable(
        f"工单 {number} 回访结果为已解决、{satisfaction_zh}，只有未解决或不满意的工单才能重办。",
        en=f"Ticket {number} was resolved and the caller was {satisfaction}; "
        "only unresolved or unsatisfied tickets are reopened.",
    )


def merge_into_itself() -> MergeInvalid:
    """Merging a ticket into itself."""
    return MergeInvalid(
        "工单不能合并到其自身，请选择另一张相同诉求的工单。",
        en="A ticket cannot be merged into itself.",
    )


def merge_into_finished(number: str, status: str) -> MergeInvalid:
    """Merging into a ticket that is closed or merged itself."""
    return MergeInvalid(
        f"工单 {number} 当前状态为“{STATUS_ZH.get(status, status)}”（{status}），请合并到尚未办结的工单。",
        en=f"Ticket {number} is {status}; merge into an open ticket.",
    )


def not_an_enquiry(number: str, request_type: str, request_type_zh: str | None) -> NotAnEnquiry:
    """Answering on the spot a ticket that is not an enquiry."""
    return NotAnEnquiry(
        f"工单 {number} 的诉求类型是“{request_type_zh}”（{request_type}），"
        "不是咨询，不能当场答复，请派单办理。",
        en=f"Ticket {number} is a {request_type}, not an enquiry; dispatch it instead.",
    )


def kb_not_answerable(entry_id: str, status: str) -> KbNotAnswerable:
    """Answering with an entry that is not published."""
    return KbNotAnswerable(
        f"知识库条目 {entry_id} 当前为“{KB_STATUS_ZH.get(status, status)}”（{status}），"
        "请使用已发布的条目答复。",
        en=f"Knowledge-base entry {entry_id} is {status}; answer with a published entry.",
    )


def kb_self_review() -> KbSelfReview:
    """The author approving their own version."""
    return KbSelfReview(
        "作者不能审核自己编写的版本，请由其他审核人员审核。",
        en="The author may not approve their own version; ask another reviewer.",
    )


def kb_not_your_unit(owner: str, unit: str | None) -> KbNotYourUnit:
    """A department's editor writing an entry kept by another unit."""
    return KbNotYourUnit(
        f"该知识库条目由 {owner} 负责维护，您所在单位（{unit or '未知'}）不能编写或提交它；"
        "如内容有误，请联系该单位或热线知识库管理人员。",
        en=f"The entry is kept by unit {owner}; staff of {unit or 'no unit'} may not edit or submit it.",
    )


def kb_from_catalog() -> KbFromCatalog:
    """Editing an entry that comes from the catalogue."""
    return KbFromCatalog(
        "该条目来自事项目录，只随目录中的事项更新，不能在知识库中修改。",
        en="Entries from the catalog change only with the catalog item.",
    )


def kb_expired() -> KbExpired:
    """Approving a version already past its expiry date."""
    return KbExpired(
        "该版本的失效日期已过，请修改为更晚的失效日期 expires_on 后重新提交。",
        en="This version has already expired; set a later expires_on.",
        field="expires_on",
    )


def owner_required() -> OwnerRequired:
    """A new entry without the unit that keeps it."""
    return OwnerRequired(
        "请填写 owner_unit_code：负责维护该条目内容的单位。",
        en="Give owner_unit_code: the unit that keeps the entry current.",
        field="owner_unit_code",
    )


def unknown_items(missing: list[str]) -> UnknownItem:
    """Linked catalogue items that are not published or do not exist."""
    return UnknownItem(
        "关联的事项必须是已发布的事项，以下事项未发布或不存在：" + "、".join(missing) + "。请核对事项编码。",
        en="Linked catalog items must be published items: " + ", ".join(missing) + " are not.",
        field="item_codes",
    )


def time_limit_rule_not_found(code: str) -> TimeLimitRuleNotFound:
    """No such time-limit rule."""
    return TimeLimitRuleNotFound(
        f"未找到办理时限规则 {code!r}，请从 GET /api/hotline/v1/time-limit-rules 列出的规则中选择。",
        en=f"No time-limit rule {code!r}.",
    )


def topic_not_found(topic_id: str) -> TopicNotFound:
    """No such hot topic."""
    return TopicNotFound(
        f"未找到热点话题 {topic_id}，请从 GET /api/hotline/v1/topics 列出的话题中选择。",
        en=f"No topic {topic_id}; pick one from GET /api/hotline/v1/topics.",
    )


def topic_alert_not_found(alert_id: str) -> TopicAlertNotFound:
    """No such rising-topic alert."""
    return TopicAlertNotFound(
        f"未找到热点预警 {alert_id}，请从 GET /api/hotline/v1/topic-alerts 列出的预警中选择。",
        en=f"No topic alert {alert_id}; pick one from GET /api/hotline/v1/topic-alerts.",
    )


def topic_range_too_long(period: str, days: int, most: int) -> TopicRangeTooLong:
    """A range longer than the period allows."""
    unit_zh = "按日统计最多" if period == "day" else "按周统计最多"
    return TopicRangeTooLong(
        f"统计区间共 {days} 天，{unit_zh} {most} 天，请缩短 from 与 to 之间的区间。",
        en=f"The range spans {days} days; by {period} at most {most} days are counted. Narrow from/to.",
        field="from",
    )
