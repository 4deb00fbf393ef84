"""Problems of escalation rules and the 催办/督办 work lists; Chinese, and English for `en`.

hotline.escalation_rule_not_found   404  no such escalation rule
hotline.escalation_not_found        404  no such reminder or escalation, or not one the caller may see
hotline.not_escalation_recipient    403  only the people it names acknowledge it
hotline.staff_only                  403  work lists are for staff accounts
hotline.unknown_staff               422  a rule names a staff member unknown to identity, or disabled
hotline.escalation_rule_incomplete  422  a rule's target needs the unit or the person it names
"""

from __future__ import annotations

from yiwang_shared.errors import Forbidden, NotFound, UnprocessableEntity


def rule_not_found(rule_id: str) -> NotFound:
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


def not_recipient(escalation_id: str) -> Forbidden:
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


def rule_incomplete(target: str, field: str) -> UnprocessableEntity:
    """The target needs a unit or a person the rule does not give."""
    named = {"unit": "指定单位", "staff": "指定人员"}.get(target, target)
    return UnprocessableEntity(
        f"督办对象为“{named}”时必须填写 {field}。",
        en=f"A rule with target {target!r} needs {field}.",
        code="hotline.escalation_rule_incomplete",
        field=field,
    )
