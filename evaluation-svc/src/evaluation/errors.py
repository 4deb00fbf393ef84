"""evaluation-svc's domain errors, each with a stable code, in Chinese with an English text (`en=`).

Raters are citizens: the texts they meet say what happened and what they can do next.

evaluation.service_event_not_found 404  no such service event (or not yours to see)
evaluation.rating_not_found      404  no such rating (or not yours to see)
evaluation.case_not_found        404  no such bad-review case (or another unit's)
evaluation.indicators_not_found  404  another unit's indicators or report
evaluation.ranking_rule_not_found 404 no such ranking rule
evaluation.not_the_person_served 403  no token and no rating code
evaluation.rating_code_invalid   403  unknown or used rating code
evaluation.rating_code_not_found 404  a rating code looked up that is unknown or used
evaluation.indicators_forbidden  403  listing every key without an overseer role
evaluation.device_not_found      404  no such rating pad
evaluation.no_visit_to_rate      404  the pad's window has no recent visit to rate
evaluation.flag_not_found        404  no such burst flag
evaluation.device_secret_invalid 401  a rating pad's secret that does not match, or a retired pad
evaluation.visit_unit_forbidden  403  a clerk registers a visit for a unit not theirs
evaluation.not_office            403  rating pads and flags are the evaluation office's
evaluation.flag_decided          409  the flag was decided already
evaluation.callback_by_office    403  the unit rated records a call-back (the office calls raters back)
evaluation.not_window_clerk / not_handler / not_reviewer / not_evaluator / staff_only
                                 403  the role the step needs
evaluation.already_rated         409  the event has its one rating
evaluation.rating_window_closed  409  the rating period is over
evaluation.invalid_step          409  the case's state does not allow this step
evaluation.callback_required     409  a real-name bad review must be called back first
evaluation.due_date_past         422  a rectification date in the past
evaluation.guide_views_rate_limited 429 more guide views a minute than a person reads (Retry-After)

Unknown dimensions, indicators, statuses, formats and malformed months are validation problems
(422 `validation_failed`, listing the allowed values): the API document carries each as an enum.
"""

from __future__ import annotations

from datetime import date, datetime

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthorized,
    UnprocessableEntity,
)

#: Case states and steps as people read them.
STATUS_ZH = {
    "open": "待处理",
    "called_back": "已回访",
    "rectifying": "整改中",
    "rectified": "已整改",
    "explained": "已解释说明",
    "appealed": "申诉中",
    "appeal_upheld": "申诉成立",
    "answered": "已反馈",
    "closed": "已办结",
    "superseded": "已被本人评价取代",
    "withdrawn": "评价已撤出",
}
STEP_ZH = {
    "call_back": "回访",
    "call_back_request": "申请回访",
    "rectify": "整改",
    "rectification_done": "整改完成",
    "explain": "解释说明",
    "appeal": "申诉",
    "decide_appeal": "申诉复核",
    "feedback": "反馈",
    "close": "办结",
    "transfer": "转办",
}
DIMENSION_ZH = {"unit": "单位", "window": "窗口", "staff": "工作人员", "item": "事项"}


def _local(at: datetime) -> str:
    """A time as the district reads it: 2026年11月20日 10:00."""
    local = at.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


# --- 404 ---


def service_event_not_found(event_id: str) -> NotFound:
    """No such service event, or not the caller's."""
    return NotFound(
        f"未找到服务记录 {event_id}，或您无权查看。如需评价，请使用办理该事项时的账号登录，"
        "或使用窗口评价器上显示的一次性评价码。",
        en=f"No service event {event_id}, or not one you may see. To rate it, log in with the account "
        "the service was given to, or use the one-time rating code the window's rating pad shows.",
        code="evaluation.service_event_not_found",
    )


def rating_not_found(rating_id: str) -> NotFound:
    """No such rating, or not one the caller may see."""
    return NotFound(
        f"未找到评价记录 {rating_id}，或您无权查看。",
        en=f"No rating {rating_id}, or not one you may see.",
        code="evaluation.rating_not_found",
    )


def case_not_found(case_id: str) -> NotFound:
    """No such case, or another unit's."""
    return NotFound(
        f"未找到差评件 {case_id}，或您无权查看。",
        en=f"No bad-review case {case_id}, or not one you may see.",
        code="evaluation.case_not_found",
    )


def indicators_not_found(dimension: str, key: str) -> NotFound:
    """Indicators of a key the caller may not see."""
    return NotFound(
        f"未找到{DIMENSION_ZH.get(dimension, dimension)} {key} 的指标，或您无权查看。"
        "本单位人员只能查看本单位及其窗口的指标。",
        en=f"No indicators for {dimension} {key}, or not ones you may see.",
        code="evaluation.indicators_not_found",
    )


def ranking_rule_not_found(name: str) -> NotFound:
    """No ranking rule of that name."""
    return NotFound(
        f"未找到排名规则“{name}”。现有规则可通过 GET /v1/ranking-rules 查询。",
        en=f"No ranking rule {name!r}; GET /v1/ranking-rules lists them.",
        code="evaluation.ranking_rule_not_found",
    )


def device_not_found(device_id: str) -> NotFound:
    """No such rating pad."""
    return NotFound(
        f"未找到评价器 {device_id}。",
        en=f"No rating pad {device_id}.",
        code="evaluation.device_not_found",
    )


def no_visit_to_rate(window_code: str, minutes: int) -> NotFound:
    """The pad's window has no visit to rate just now."""
    return NotFound(
        f"窗口 {window_code} 最近 {minutes} 分钟内没有待评价的窗口服务。请在窗口人员登记本次服务后再评价。",
        en=f"Window {window_code} has no visit to rate from the last {minutes} minutes.",
        code="evaluation.no_visit_to_rate",
    )


def flag_not_found(flag_id: str) -> NotFound:
    """No such burst flag."""
    return NotFound(
        f"未找到疑似刷评记录 {flag_id}。",
        en=f"No rating flag {flag_id}.",
        code="evaluation.flag_not_found",
    )


# --- 401 ---


def device_secret_invalid() -> Unauthorized:
    """A rating pad's secret that does not match (or a retired pad)."""
    return Unauthorized(
        "评价器密钥不正确或该评价器已停用，请联系评价管理部门重新登记评价器。",
        en="The rating pad's secret does not match, or the pad was retired.",
        code="evaluation.device_secret_invalid",
        headers={"WWW-Authenticate": 'Device realm="rating-pad"'},
    )


# --- 403 ---


def not_the_person_served() -> Forbidden:
    """Neither a token nor a rating code."""
    return Forbidden(
        "只有接受该服务的本人才能评价：请使用办理时的账号登录后评价，或输入办理时获得的一次性评价码。",
        en="Only the person served may rate this service: log in as that person, or give the "
        "one-time rating code (评价码) issued with the service.",
        code="evaluation.not_the_person_served",
    )


def rating_code_invalid() -> Forbidden:
    """Unknown, used or foreign rating code."""
    return Forbidden(
        "评价码无效或已使用。每个评价码只能用于对应的那次服务、评价一次；"
        "请核对后重新输入，或在窗口评价器上重新获取。",
        en="The rating code is not valid for this service or has already been used.",
        code="evaluation.rating_code_invalid",
    )


def rating_code_not_found() -> NotFound:
    """A rating code looked up that is unknown or used."""
    return NotFound(
        "评价码无效或已使用。每个评价码只能评价一次；请核对后重新输入，或在窗口评价器上重新获取。",
        en="The rating code is unknown or has already been used; check it, or get a new one at the "
        "window's rating pad.",
        code="evaluation.rating_code_not_found",
    )


def not_window_clerk() -> Forbidden:
    """Only window clerks register window visits."""
    return Forbidden(
        "只有窗口受理人员（window_clerk）可以登记窗口服务，请使用窗口人员账号登录。",
        en="Only window clerks (window_clerk) register window visits.",
        code="evaluation.not_window_clerk",
    )


def callback_by_office() -> Forbidden:
    """Only the evaluation office calls raters back."""
    return Forbidden(
        "回访评价人由评价管理部门（评价办）进行，被评价单位不直接联系评价人，也看不到评价人身份；"
        "如需回访，请提交回访申请（call-back-request），写明需要向评价人了解或说明的内容。",
        en="The evaluation office calls raters back; the unit rated does not see or contact the rater. "
        "Ask the office with a call-back request.",
        code="evaluation.callback_by_office",
    )


def visit_unit_forbidden(unit_code: str, window: str) -> Forbidden:
    """A clerk registers visits for their own window and its unit only."""
    return Forbidden(
        f"只能为本窗口（{window}）或其所属单位登记窗口服务，不能为其他单位（{unit_code}）登记。",
        en=f"A clerk registers visits for their window ({window}) or its unit, not for {unit_code}.",
        code="evaluation.visit_unit_forbidden",
    )


def not_office() -> Forbidden:
    """Rating pads and burst flags are the evaluation office's."""
    return Forbidden(
        "评价器登记和疑似刷评核定由评价管理人员（evaluator）或系统管理员（admin）办理。",
        en="Rating pads and rating flags are handled by evaluators or administrators.",
        code="evaluation.not_office",
    )


def staff_only() -> Forbidden:
    """Cases are for staff."""
    return Forbidden(
        "差评件由工作人员办理，请使用工作人员账号登录。",
        en="Bad-review cases are handled by staff.",
        code="evaluation.staff_only",
    )


def not_handler() -> Forbidden:
    """Handling needs a handler's role."""
    return Forbidden(
        "您没有办理差评的权限（需办件、受理、审批、监督或管理员角色），如需办理请联系管理员开通。",
        en="Handling a bad review needs the handler role.",
        code="evaluation.not_handler",
    )


def not_reviewer() -> Forbidden:
    """Appeals are decided outside the unit."""
    return Forbidden(
        "申诉由监督人员（supervisor）或评价管理人员（evaluator）复核，被评价单位不能自行决定。",
        en="Appeals are decided by a supervisor or evaluator.",
        code="evaluation.not_reviewer",
    )


def not_evaluator() -> Forbidden:
    """Ranking rules are set centrally."""
    return Forbidden(
        "排名规则由评价管理人员（evaluator）或系统管理员（admin）设置。",
        en="Ranking rules are set by evaluators or administrators.",
        code="evaluation.not_evaluator",
    )


def indicators_forbidden() -> Forbidden:
    """Every key of a dimension is for overseers."""
    return Forbidden(
        "只有监督人员、评价管理人员和系统管理员可以查看全部对象的指标；"
        "请用 ?key= 指定本单位、本窗口或您本人。",
        en="Only supervisors, evaluators and administrators see every key; name your own with ?key=.",
        code="evaluation.indicators_forbidden",
    )


def district_report_forbidden() -> Forbidden:
    """The district's report is for overseers."""
    return Forbidden(
        "全区报表仅供监督人员和评价管理人员查看；请用 ?unit= 指定本单位。",
        en="The district report is for supervisors and evaluators; give ?unit=.",
        code="evaluation.indicators_forbidden",
    )


# --- 409 ---


def already_rated(event_id: str) -> Conflict:
    """A second rating of one service event."""
    return Conflict(
        "该服务已经评价过了。每次服务只能评价一次（一事一评），感谢您的参与。",
        en=f"Service event {event_id} has already been rated; each service is rated once (一事一评).",
        code="evaluation.already_rated",
    )


_FLAG_ZH = {"cleared": "已确认为真实评价", "rejected": "已核定为刷评"}


def flag_decided(flag_id: str, status: str) -> Conflict:
    """A flag the office has decided already."""
    return Conflict(
        f"疑似刷评记录 {flag_id} 已核定（{_FLAG_ZH.get(status, status)}），不能再次核定。",
        en=f"Rating flag {flag_id} has been decided already ({status}).",
        code="evaluation.flag_decided",
    )


def rating_window_closed(event_id: str, until: datetime) -> Conflict:
    """The rating period is over."""
    return Conflict(
        f"该服务的评价期限已于 {_local(until)} 截止，不能再评价。"
        "如对服务仍有意见，可拨打 12345 政务服务便民热线反映。",
        en=f"The rating period for service event {event_id} ended at {until.isoformat()}.",
        code="evaluation.rating_window_closed",
        rateable_until=until.isoformat(),
    )


def invalid_step(case_id: str, status: str, step: str) -> Conflict:
    """A case step not allowed from the current status."""
    return Conflict(
        f"差评件 {case_id} 当前为“{STATUS_ZH.get(status, status)}”，不能进行“{STEP_ZH.get(step, step)}”。"
        "请按 回访 → 整改、解释说明或申诉 → 反馈 → 办结 的顺序办理。",
        en=f"Bad-review case {case_id} is {status}; '{step}' is not possible now.",
        code="evaluation.invalid_step",
        status_now=status,
    )


def response_not_yet(case_id: str, status: str) -> Conflict:
    """The rater rates the handling only after the unit's feedback."""
    return Conflict(
        "单位尚未向您反馈差评的处理情况，收到反馈后即可评价。",
        en=f"Bad-review case {case_id} is {status}; its handling can be rated after the feedback.",
        code="evaluation.invalid_step",
        status_now=status,
    )


def response_already_rated(case_id: str, status: str) -> Conflict:
    """The rater rates the handling once."""
    return Conflict(
        "您已评价过该差评的处理情况，每件只能评价一次，感谢您的监督。",
        en=f"The handling of bad-review case {case_id} has already been rated.",
        code="evaluation.invalid_step",
        status_now=status,
    )


def callback_required(case_id: str) -> Conflict:
    """Real-name bad reviews must all be called back (100% 回访)."""
    return Conflict(
        f"差评件 {case_id} 为实名差评，须先回访评价人（call-back）并联系上，才能整改、解释、申诉或办结。",
        en=f"Case {case_id} is a real-name bad review: call the rater back (call-back) first.",
        code="evaluation.callback_required",
    )


# --- 422 ---


def due_date_past(due_on: date) -> UnprocessableEntity:
    """A promised rectification date before today."""
    return UnprocessableEntity(
        f"整改期限 {due_on} 早于今天，请填写今天或以后的日期。",
        en=f"The rectification date {due_on} is in the past; give today or a later date.",
        code="evaluation.due_date_past",
        field="due_on",
    )


# --- 429 ---


def guide_views_too_many(retry_after: int) -> TooManyRequests:
    """A client reported more guide views than a person reads."""
    return TooManyRequests(
        f"浏览记录提交过于频繁，请 {retry_after} 秒后再试。",
        en=f"Too many guide views reported; try again in {retry_after} s.",
        code="evaluation.guide_views_rate_limited",
        headers={"Retry-After": str(retry_after)},
    )
