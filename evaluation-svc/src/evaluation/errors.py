"""evaluation-svc's domain errors: one class per stable code, in Chinese with an English text (`en=`).

Raters are citizens: the texts they meet say what happened and what they can do next. Each class's
docstring is the meaning the OpenAPI document lists beside its code (`x-problem-codes`); the
functions below build the texts from the values at hand.

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


# --- the declared errors ---


class ServiceEventNotFound(NotFound):
    """No such service event, or not one the caller may see."""

    code = "evaluation.service_event_not_found"


class RatingNotFound(NotFound):
    """No such rating, or not one the caller may see."""

    code = "evaluation.rating_not_found"


class CaseNotFound(NotFound):
    """No such bad-review case, or another unit's."""

    code = "evaluation.case_not_found"


class IndicatorsNotFound(NotFound):
    """Indicators or a report of a unit, window or person the caller may not see."""

    code = "evaluation.indicators_not_found"


class RankingRuleNotFound(NotFound):
    """No ranking rule of that name."""

    code = "evaluation.ranking_rule_not_found"


class DeviceNotFound(NotFound):
    """No such rating pad."""

    code = "evaluation.device_not_found"


class NoVisitToRate(NotFound):
    """The rating pad's window has no recent visit to rate."""

    code = "evaluation.no_visit_to_rate"


class FlagNotFound(NotFound):
    """No such burst flag."""

    code = "evaluation.flag_not_found"


class RatingCodeNotFound(NotFound):
    """A rating code looked up that is unknown or used."""

    code = "evaluation.rating_code_not_found"


class DeviceSecretInvalid(Unauthorized):
    """A rating pad's secret that does not match, or a retired pad."""

    code = "evaluation.device_secret_invalid"


class NotThePersonServed(Forbidden):
    """Neither the served person's token nor a rating code."""

    code = "evaluation.not_the_person_served"


class RatingCodeInvalid(Forbidden):
    """A rating code that is unknown, used or for another service."""

    code = "evaluation.rating_code_invalid"


class NotWindowClerk(Forbidden):
    """Only window clerks register window visits."""

    code = "evaluation.not_window_clerk"


class CallbackByOffice(Forbidden):
    """The unit rated records a call-back; the evaluation office calls raters back."""

    code = "evaluation.callback_by_office"


class VisitUnitForbidden(Forbidden):
    """A clerk registers a visit for a unit not theirs."""

    code = "evaluation.visit_unit_forbidden"


class NotOffice(Forbidden):
    """Rating pads and burst flags are the evaluation office's."""

    code = "evaluation.not_office"


class StaffOnly(Forbidden):
    """Bad-review cases are for staff."""

    code = "evaluation.staff_only"


class NotHandler(Forbidden):
    """Handling a bad review needs a handler's role."""

    code = "evaluation.not_handler"


class NotReviewer(Forbidden):
    """Appeals are decided by supervisors or evaluators, outside the unit."""

    code = "evaluation.not_reviewer"


class NotEvaluator(Forbidden):
    """Ranking rules are set by evaluators or administrators."""

    code = "evaluation.not_evaluator"


class IndicatorsForbidden(Forbidden):
    """Every key of a dimension, or the district's report, is for overseers."""

    code = "evaluation.indicators_forbidden"


class AlreadyRated(Conflict):
    """The service event has its one rating."""

    code = "evaluation.already_rated"


class FlagDecided(Conflict):
    """The burst flag was decided already."""

    code = "evaluation.flag_decided"


class RatingWindowClosed(Conflict):
    """The rating period is over."""

    code = "evaluation.rating_window_closed"


class InvalidStep(Conflict):
    """The bad-review case's state does not allow this step."""

    code = "evaluation.invalid_step"


class CallbackRequired(Conflict):
    """A real-name bad review must be called back first."""

    code = "evaluation.callback_required"


class DueDatePast(UnprocessableEntity):
    """A rectification date in the past."""

    code = "evaluation.due_date_past"


class GuideViewsRateLimited(TooManyRequests):
    """More guide views a minute than a person reads (Retry-After)."""

    code = "evaluation.guide_views_rate_limited"


def _local(at: datetime) -> str:
    """A time as the district reads it: 2026年11月20日 10:00."""
    local = at.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


# --- 404 ---


def service_event_not_found(event_id: str) -> ServiceEventNotFound:
    """No such service event, or not the caller's."""
    return ServiceEventNotFound(
        f"未找到服务记录 {event_id}，或您无权查看。如需评价，请使用办理该事项时的账号登录，"
        "或使用窗口评价器上显示的一次性评价码。",
        en=f"No service event {event_id}, or not one you may see. To rate it, log in with the account "
        "the service was given to, or use the one-time rating code the window's rating pad shows.",
    )


def rating_not_found(rating_id: str) -> RatingNotFound:
    """No such rating, or not one the caller may see."""
    return RatingNotFound(
        f"未找到评价记录 {rating_id}，或您无权查看。",
        en=f"No rating {rating_id}, or not one you may see.",
    )


def case_not_found(case_id: str) -> CaseNotFound:
    """No such case, or another unit's."""
    return CaseNotFound(
        f"未找到差评件 {case_id}，或您无权查看。",
        en=f"No bad-review case {case_id}, or not one you may see.",
    )


def indicators_not_found(dimension: str, key: str) -> IndicatorsNotFound:
    """Indicators of a key the caller may not see."""
    return IndicatorsNotFound(
        f"未找到{DIMENSION_ZH.get(dimension, dimension)} {key} 的指标，或您无权查看。"
        "本单位人员只能查看本单位及其窗口的指标。",
        en=f"No indicators for {dimension} {key}, or not ones you may see.",
    )


def ranking_rule_not_found(name: str) -> RankingRuleNotFound:
    """No ranking rule of that name."""
    return RankingRuleNotFound(
        f"未找到排名规则“{name}”。现有规则可通过 GET /v1/ranking-rules 查询。",
        en=f"No ranking rule {name!r}; GET /v1/ranking-rules lists them.",
    )


def device_not_found(device_id: str) -> DeviceNotFound:
    """No such rating pad."""
    return DeviceNotFound(
        f"未找到评价器 {device_id}。",
        en=f"No rating pad {device_id}.",
    )


def no_visit_to_rate(window_code: str, minutes: int) -> NoVisitToRate:
    """The pad's window has no visit to rate just now."""
    return NoVisitToRate(
        f"窗口 {window_code} 最近 {minutes} 分钟内没有待评价的窗口服务。请在窗口人员登记本次服务后再评价。",
        en=f"Window {window_code} has no visit to rate from the last {minutes} minutes.",
    )


def flag_not_found(flag_id: str) -> FlagNotFound:
    """No such burst flag."""
    return FlagNotFound(
        f"未找到疑似刷评记录 {flag_id}。",
        en=f"No rating flag {flag_id}.",
    )


# --- 401 ---


def device_secret_invalid() -> DeviceSecretInvalid:
    """A rating pad's secret that does not match (or a retired pad)."""
    return DeviceSecretInvalid(
        "评价器密钥不正确或该评价器已停用，请联系评价管理部门重新登记评价器。",
        en="The rating pad's secret does not match, or the pad was retired.",
        headers={"WWW-Authenticate": 'Device realm="rating-pad"'},
    )


# --- 403 ---


def not_the_person_served() -> NotThePersonServed:
    """Neither a token nor a rating code."""
    return NotThePersonServed(
        "只有接受该服务的本人才能评价：请使用办理时的账号登录后评价，或输入办理时获得的一次性评价码。",
        en="Only the person served may rate this service: log in as that person, or give the "
        "one-time rating code (评价码) issued with the service.",
    )


def rating_code_invalid() -> RatingCodeInvalid:
    """Unknown, used or foreign rating code."""
    return RatingCodeInvalid(
        "评价码无效或已使用。每个评价码只能用于对应的那次服务、评价一次；"
        "请核对后重新输入，或在窗口评价器上重新获取。",
        en="The rating code is not valid for this service or has already been used.",
    )


def rating_code_not_found() -> RatingCodeNotFound:
    """A rating code looked up that is unknown or used."""
    return RatingCodeNotFound(
        "评价码无效或已使用。每个评价码只能评价一次；请核对后重新输入，或在窗口评价器上重新获取。",
        en="The rating code is unknown or has already been used; check it, or get a new one at the "
        "window's rating pad.",
    )


def not_window_clerk() -> NotWindowClerk:
    """Only window clerks register window visits."""
    return NotWindowClerk(
        "只有窗口受理人员（window_clerk）可以登记窗口服务，请使用窗口人员账号登录。",
        en="Only window clerks (window_clerk) register window visits.",
    )


def callback_by_office() -> CallbackByOffice:
    """Only the evaluation office calls raters back."""
    return CallbackByOffice(
        "回访评价人由评价管理部门（评价办）进行，被评价单位不直接联系评价人，也看不到评价人身份；"
        "如需回访，请提交回访申请（call-back-request），写明需要向评价人了解或说明的内容。",
        en="The evaluation office calls raters back; the unit rated does not see or contact the rater. "
        "Ask the office with a call-back request.",
    )


def visit_unit_forbidden(unit_code: str, window: str) -> VisitUnitForbidden:
    """A clerk registers visits for their own window and its unit only."""
    return VisitUnitForbidden(
        f"只能为本窗口（{window}）或其所属单位登记窗口服务，不能为其他单位（{unit_code}）登记。",
        en=f"A clerk registers visits for their window ({window}) or its unit, not for {unit_code}.",
    )


def not_office() -> NotOffice:
    """Rating pads and burst flags are the evaluation office's."""
    return NotOffice(
        "评价器登记和疑似刷评核定由评价管理人员（evaluator）或系统管理员（admin）办理。",
        en="Rating pads and rating flags are handled by evaluators or administrators.",
    )


def staff_only() -> StaffOnly:
    """Cases are for staff."""
    return StaffOnly(
        "差评件由工作人员办理，请使用工作人员账号登录。",
        en="Bad-review cases are handled by staff.",
    )


def not_handler() -> NotHandler:
    """Handling needs a handler's role."""
    return NotHandler(
        "您没有办理差评的权限（需办件、受理、审批、监督或管理员角色），如需办理请联系管理员开通。",
        en="Handling a bad review needs the handler role.",
    )


def not_reviewer() -> NotReviewer:
    """Appeals are decided outside the unit."""
    return NotReviewer(
        "申诉由监督人员（supervisor）或评价管理人员（evaluator）复核，被评价单位不能自行决定。",
        en="Appeals are decided by a supervisor or evaluator.",
    )


def not_evaluator() -> NotEvaluator:
    """Ranking rules are set centrally."""
    return NotEvaluator(
        "排名规则由评价管理人员（evaluator）或系统管理员（admin）设置。",
        en="Ranking rules are set by evaluators or administrators.",
    )


def indicators_forbidden() -> IndicatorsForbidden:
    """Every key of a dimension is for overseers."""
    return IndicatorsForbidden(
        "只有监督人员、评价管理人员和系统管理员可以查看全部对象的指标；"
        "请用 ?key= 指定本单位、本窗口或您本人。",
        en="Only supervisors, evaluators and administrators see every key; name your own with ?key=.",
    )


def district_report_forbidden() -> IndicatorsForbidden:
    """The district's report is for overseers."""
    return IndicatorsForbidden(
        "全区报表仅供监督人员和评价管理人员查看；请用 ?unit= 指定本单位。",
        en="The district report is for supervisors and evaluators; give ?unit=.",
    )


# --- 409 ---


def already_rated(event_id: str) -> AlreadyRated:
    """A second rating of one service event."""
    return AlreadyRated(
        "该服务已经评价过了。每次服务只能评价一次（一事一评），感谢您的参与。",
        en=f"Service event {event_id} has already been rated; each service is rated once (一事一评).",
    )


_FLAG_ZH = {"cleared": "已确认为真实评价", "rejected": "已核定为刷评"}


def flag_decided(flag_id: str, status: str) -> FlagDecided:
    """A flag the office has decided already."""
    return FlagDecided(
        f"疑似刷评记录 {flag_id} 已核定（{_FLAG_ZH.get(status, status)}），不能再次核定。",
        en=f"Rating flag {flag_id} has been decided already ({status}).",
    )


def rating_window_closed(event_id: str, until: datetime) -> RatingWindowClosed:
    """The rating period is over."""
    return RatingWindowClosed(
        f"该服务的评价期限已于 {_local(until)} 截止，不能再评价。"
        "如对服务仍有意见，可拨打 12345 政务服务便民热线反映。",
        en=f"The rating period for service event {event_id} ended at {until.isoformat()}.",
        rateable_until=until.isoformat(),
    )


def invalid_step(case_id: str, status: str, step: str) -> InvalidStep:
    """A case step not allowed from the current status."""
    return InvalidStep(
        f"差评件 {case_id} 当前为“{STATUS_ZH.get(status, status)}”，不能进行“{STEP_ZH.get(step, step)}”。"
        "请按 回访 → 整改、解释说明或申诉 → 反馈 → 办结 的顺序办理。",
        en=f"Bad-review case {case_id} is {status}; '{step}' is not possible now.",
        status_now=status,
    )


def response_not_yet(case_id: str, status: str) -> InvalidStep:
    """The rater rates the handling only after the unit's feedback."""
    return InvalidStep(
        "单位尚未向您反馈差评的处理情况，收到反馈后即可评价。",
        en=f"Bad-review case {case_id} is {status}; its handling can be rated after the feedback.",
        status_now=status,
    )


def response_already_rated(case_id: str, status: str) -> InvalidStep:
    """The rater rates the handling once."""
    return InvalidStep(
        "您已评价过该差评的处理情况，每件只能评价一次，感谢您的监督。",
        en=f"The handling of bad-review case {case_id} has already been rated.",
        status_now=status,
    )


def callback_required(case_id: str) -> CallbackRequired:
    """Real-name bad reviews must all be called back (100% 回访)."""
    return CallbackRequired(
        f"差评件 {case_id} 为实名差评，须先回访评价人（call-back）并联系上，才能整改、解释、申诉或办结。",
        en=f"Case {case_id} is a real-name bad review: call the rater back (call-back) first.",
    )


# --- 422 ---


def due_date_past(due_on: date) -> DueDatePast:
    """A promised rectification date before today."""
    return DueDatePast(
        f"整改期限 {due_on} 早于今天，请填写今天或以后的日期。",
        en=f"The rectification date {due_on} is in the past; give today or a later date.",
        field="due_on",
    )


# --- 429 ---


def guide_views_too_many(retry_after: int) -> GuideViewsRateLimited:
    """A client reported more guide views than a person reads."""
    return GuideViewsRateLimited(
        f"浏览记录提交过于频繁，请 {retry_after} 秒后再试。",
        en=f"Too many guide views reported; try again in {retry_after} s.",
        headers={"Retry-After": str(retry_after)},
    )
