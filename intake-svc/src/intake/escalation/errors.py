"""Problems of the 催办/督办 work lists, each with a stable code; Chinese, and English for `en`.

intake.escalation_not_found      404  no such reminder or escalation, or not one the caller may see
intake.not_escalation_recipient  403  only the people it names acknowledge it
intake.staff_only                403  work lists are for staff accounts
"""

from __future__ import annotations

from yiwang_shared.errors import Forbidden, NotFound


def escalation_not_found(escalation_id: str) -> NotFound:
    """No such reminder or escalation (or not the caller's to see)."""
    return NotFound(
        f"未找到催办督办记录 {escalation_id}，"
        "请从“我的催办督办”（GET /api/intake/v1/escalations/mine）中选择。",
        en=f"No reminder or escalation {escalation_id}; pick one from GET /api/intake/v1/escalations/mine.",
        code="intake.escalation_not_found",
    )


def not_recipient(escalation_id: str) -> Forbidden:
    """The caller is not among the people it names."""
    return Forbidden(
        f"催办督办记录 {escalation_id} 未点名您，只有被点名的承办人或督办人可以签收。",
        en=f"Reminder or escalation {escalation_id} does not name you; "
        "only the people it names acknowledge it.",
        code="intake.not_escalation_recipient",
    )


def staff_only() -> Forbidden:
    """A citizen (or an enterprise agent) asked for a staff work list."""
    return Forbidden(
        "催办督办事项只向工作人员展示，请使用工作人员账号登录。",
        en="Reminders and escalations are shown to staff accounts only.",
        code="intake.staff_only",
    )
