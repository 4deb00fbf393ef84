"""intake-svc's domain errors, each with a stable code; texts in Chinese, and English for `en`.

intake.application_not_found   404  no such application, or not one the caller may see
intake.item_not_found          422  no published catalogue item with that code (in the read model)
intake.item_retired            422  the item was retired: no new applications
intake.invalid_transition      409  the action is not allowed in the application's current state
intake.idempotency_mismatch    422  the same Idempotency-Key with a different body
intake.idempotency_in_progress 409  a concurrent request with the same Idempotency-Key
intake.materials_invalid       422  a material named that the item does not list, or a bad file
intake.notice_window_passed    409  the one-time notice is too late: the application counts as accepted
intake.nothing_to_correct      409  a one-time notice with no problem in it
intake.not_entrusted           403  the caller's unit may not accept this item (no agreement)
intake.not_handling_unit       403  only the deciding unit may do this
intake.role_required           403  the caller's roles do not allow this action
intake.grant_missing           403  the agent holds no valid grant for the enterprise and item
intake.identity_unavailable    503  identity-svc did not answer the grant check
intake.extension_too_long      422  more than the allowed extension
intake.deficiency_not_allowed  422  容缺受理 asked for an item that does not allow it
intake.file_too_large          413  an upload over the size limit
intake.file_type               415  an upload of a type not accepted
intake.entrustment_invalid     422  an agreement with bad dates or items
intake.station_may_not_accept  403  a community station deciding acceptance of an item its kind says it
                                    only collects (代收代办类) or pre-reviews (咨询预审类)
intake.not_for_prereview       403  a pre-review by someone other than a community station, or of an item
                                    that is not 咨询预审类

Appointments (预约):
intake.place_not_found         404  no such service place
intake.place_code_taken        409  another place already has that code
intake.place_inactive          409  the place takes no bookings now
intake.slot_not_found          404  no such slot
intake.slot_full               409  the slot has no seat left (号源已满)
intake.slot_past               409  the slot has started or is over
intake.capacity_below_booked   409  a capacity lower than the seats already booked
intake.appointment_not_found   404  no such booking, or not one the caller may see
intake.appointment_overlap     409  the person already holds a booking at an overlapping time
intake.appointment_not_live    409  the booking is cancelled or has started
intake.appointments_unsupported 422 the catalogue item takes no appointments
intake.not_place_manager       403  the caller may not manage this place
intake.booking_forbidden       403  the caller may not book (for this person)

The hall queue (排队叫号):
intake.queue_not_configured     409  the place is not run as a queueing hall (no categories yet)
intake.queue_closed             409  the hall takes no numbers now (paused by its administrator)
intake.queue_full               409  the hall's waiting limit, or the day's 999 numbers of a category, reached
intake.queue_category_unknown   422  no such category in the hall, or no category serves the item
intake.queue_config_invalid     422  a hall configuration that contradicts itself (names what)
intake.queue_ticket_not_found   404  no such ticket, or not one the caller may see
intake.queue_not_at_window      403  the caller is no window clerk at a window of a configured hall
intake.queue_not_hall_clerk     403  the caller's window is in another hall
intake.queue_not_your_ticket    403  the ticket was called to another window
intake.queue_empty              409  nothing waits for the window's categories
intake.queue_window_busy        409  the window still has a called or serving ticket
intake.queue_ticket_state       409  the action does not fit the ticket's status
intake.queue_rate_limited       429  more numbers a minute from one client than a kiosk gives (Retry-After)
intake.appointment_not_today    409  an appointment checked in on another day, or after its time
intake.appointment_checked_in   409  the appointment already has its ticket

Notifications (短信通知):
intake.notification_not_found   404  no such message
intake.notification_not_failed  409  only a failed message is sent again

催办 and 督办:
intake.escalation_not_found      404  no such reminder or escalation, or not one the caller may see
intake.not_escalation_recipient  403  only the people it names acknowledge it
intake.staff_only                403  work lists are for staff accounts
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ProblemError,
    TooManyRequests,
    UnprocessableEntity,
)

from .lifecycles import ACTION_NAMES, STATUS_NAMES, ApplicationAction, allowed_actions

#: Staff roles in Chinese (角色), for the texts that name who may act.
ROLE_NAMES = {
    "window_clerk": "窗口工作人员",
    "approver": "审批人员",
    "handler": "承办人员",
    "supervisor": "监督人员",
    "admin": "管理员",
}


@dataclass(frozen=True)
class Deed:
    """What a caller tried to do, in Chinese and English, for the texts that refuse it."""

    zh: str
    en: str


def application_not_found(application_id: str) -> NotFound:
    """No such application (or not the caller's to see)."""
    return NotFound(
        f"未找到申请 {application_id}，请核对申请编号；如是他人的申请，您无权查看。",
        en=f"No application {application_id}.",
        code="intake.application_not_found",
    )


def item_not_found(code: str) -> UnprocessableEntity:
    """No published item with that code."""
    return UnprocessableEntity(
        f"没有编码为“{code}”的已发布事项，请从事项目录中选择（GET /api/catalog/v1/items）。",
        en=f"No published catalog item with code {code!r}; pick one from the catalog "
        "(GET /api/catalog/v1/items).",
        code="intake.item_not_found",
        field="item_code",
    )


def item_retired(code: str) -> UnprocessableEntity:
    """The item was retired."""
    return UnprocessableEntity(
        f"事项“{code}”已停止办理，不再接收新的申请，请选择现行有效的事项。",
        en=f"Catalog item {code} has been retired; no new applications are taken.",
        code="intake.item_retired",
        field="item_code",
    )


def invalid_transition(status: str, action: ApplicationAction) -> Conflict:
    """`action` is not allowed in `status`; names what is."""
    allowed = allowed_actions(status)
    state = STATUS_NAMES.get(status, status)
    doing = ACTION_NAMES.get(action, action)
    allowed_zh = "、".join(ACTION_NAMES.get(a, a) for a in allowed)
    return Conflict(
        f"该申请当前状态为“{state}”，不能{doing}。"
        + (f"当前可以办理：{allowed_zh}。" if allowed else "该申请已结束，不能再进行任何操作。"),
        en=f"The application is {status}; {action} is not allowed now. Allowed now: "
        + (", ".join(allowed) if allowed else "nothing (the case is closed)")
        + ".",
        code="intake.invalid_transition",
        current_status=status,
        allowed_actions=allowed,
    )


def role_required(deed: Deed, roles: list[str]) -> Forbidden:
    """The caller's roles do not allow `deed`."""
    return Forbidden(
        f"{deed.zh}需要以下角色之一：{'、'.join(ROLE_NAMES.get(r, r) for r in roles)}。"
        "如需办理，请联系有相应权限的工作人员。",
        en=f"To {deed.en} you need one of the roles: {', '.join(roles)}.",
        code="intake.role_required",
        required_roles=roles,
    )


def not_handling_unit(deed: Deed, unit_code: str) -> Forbidden:
    """Only the deciding unit may do this."""
    return Forbidden(
        f"只有审批部门（{unit_code}）的工作人员才能{deed.zh}。",
        en=f"Only staff of the deciding unit {unit_code} may {deed.en}.",
        code="intake.not_handling_unit",
    )


def not_entrusted(unit_code: str, item_code: str, owner: str) -> Forbidden:
    """Acceptance outside the one window and outside any entrustment agreement."""
    return Forbidden(
        f"单位 {unit_code} 不能受理 {owner} 的事项 {item_code}：它既不是审批部门，也不是区政务服务中心的"
        "综合窗口，今天也没有覆盖该事项的有效委托受理协议。请转交有权受理的窗口，或先签订委托受理协议。",
        en=f"Unit {unit_code} may not accept item {item_code} of {owner}: it is neither the deciding "
        "unit, nor a comprehensive window of the district centre, nor entrusted under a valid "
        "agreement (委托受理协议) covering this item today.",
        code="intake.not_entrusted",
    )


#: What a community station does with each kind of community item (社区事项类别), for the texts.
STATION_KIND_TEXTS: dict[str, tuple[str, str]] = {
    "collect_forward": (
        "代收代办类事项由社区服务站代收材料、以帮办代办方式提交，转交街道政务服务中心受理",
        "a 代收代办类 item is collected at the station, filed as an assisted application and "
        "accepted by the street centre",
    ),
    "enquiry_prereview": (
        "咨询预审类事项由社区服务站咨询预审后（POST /v1/applications/{id}/prereview）"
        "转交街道政务服务中心受理",
        "a 咨询预审类 item is pre-reviewed at the station (POST /v1/applications/{id}/prereview) "
        "and accepted by the street centre",
    ),
}


def station_may_not_accept(unit_code: str, item_name: str, kind: str | None) -> Forbidden:
    """A community station deciding acceptance of an item it only collects or pre-reviews."""
    zh, en = STATION_KIND_TEXTS.get(
        kind or "",
        (
            "该事项不是社区受理类事项，社区服务站不能受理，请引导申请人到街道或区政务服务中心办理",
            "the item is not a community 受理类 item, which is all a station may accept",
        ),
    )
    return Forbidden(
        f"社区服务站 {unit_code} 不能受理“{item_name}”：{zh}。",
        en=f"Community station {unit_code} may not decide acceptance of {item_name}: {en}.",
        code="intake.station_may_not_accept",
    )


def not_for_prereview(item_name: str, why_zh: str, why_en: str) -> Forbidden:
    """A pre-review that is not a station's, or of an item that is not 咨询预审类."""
    return Forbidden(
        f"不能对“{item_name}”作咨询预审：{why_zh}",
        en=f"No pre-review of {item_name}: {why_en}",
        code="intake.not_for_prereview",
    )


class FileTooLarge(ProblemError):
    """An upload over the size limit."""

    status = 413
    code = "intake.file_too_large"


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + " " + unit
    return f"{n} 字节"


def too_large(max_bytes: int) -> FileTooLarge:
    """An upload over `max_bytes`."""
    return FileTooLarge(
        f"文件超过了 {_size(max_bytes)} 的上限，请压缩或分成几份后重新上传。",
        en=f"The file is larger than the limit of {max_bytes} bytes.",
    )


class FileType(ProblemError):
    """An upload of a type not accepted."""

    status = 415
    code = "intake.file_type"


# --- appointments (预约) ------------------------------------------------------------------------


def _when(at: datetime) -> str:
    """A slot's start as a person reads it: 2026年11月23日 09:30 (Beijing time)."""
    local = at.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def place_not_found(place_id: str) -> NotFound:
    """No such place."""
    return NotFound(
        f"未找到办事场所 {place_id}，请核对场所编号。",
        en=f"No service place {place_id}.",
        code="intake.place_not_found",
    )


def place_code_taken(code: str) -> Conflict:
    """A place with that code exists."""
    return Conflict(
        f"场所编码“{code}”已被其他办事场所使用，请换一个编码。",
        en=f"A service place with code {code!r} already exists; choose another code.",
        code="intake.place_code_taken",
        field="code",
    )


def place_inactive(name: str) -> Conflict:
    """The place is closed for bookings."""
    return Conflict(
        f"{name}目前暂停预约，请选择其他办事场所。",
        en=f"{name} does not take appointments at present.",
        code="intake.place_inactive",
    )


def slot_not_found(slot_id: str) -> NotFound:
    """No such slot."""
    return NotFound(
        f"未找到预约时段 {slot_id}，请重新查询可预约的时段。",
        en=f"No appointment slot {slot_id}.",
        code="intake.slot_not_found",
    )


def slot_full(starts_at: datetime) -> Conflict:
    """No seat left."""
    return Conflict(
        f"{_when(starts_at)} 的号源已满，请选择其他时段。",
        en=f"The slot at {starts_at.isoformat()} is fully booked (号源已满); pick another slot.",
        code="intake.slot_full",
    )


def slot_past(starts_at: datetime) -> Conflict:
    """The slot has begun."""
    return Conflict(
        f"{_when(starts_at)} 的时段已经开始，请选择更晚的时段。",
        en=f"The slot at {starts_at.isoformat()} has already started; pick a later slot.",
        code="intake.slot_past",
    )


def capacity_below_booked(capacity: int, booked: int) -> Conflict:
    """A capacity below the bookings held."""
    return Conflict(
        f"号源数 {capacity} 少于已预约的 {booked} 个，请先取消部分预约，或将号源数设为不少于 {booked}。",
        en=f"Capacity {capacity} is below the {booked} seat(s) already booked; cancel bookings "
        f"first or set a capacity of at least {booked}.",
        code="intake.capacity_below_booked",
        field="capacity",
    )


def appointment_not_found(appointment_id: str) -> NotFound:
    """No such booking (or not the caller's to see)."""
    return NotFound(
        f"未找到预约 {appointment_id}，请核对预约编号。",
        en=f"No appointment {appointment_id}.",
        code="intake.appointment_not_found",
    )


def appointment_overlap(booking_no: str | None, starts_at: datetime) -> Conflict:
    """The person holds an overlapping booking."""
    held = f"预约 {booking_no}" if booking_no else "另一个预约"
    return Conflict(
        f"此人已有{held}（{_when(starts_at)}），与所选时段重叠。请先取消原预约，或选择其他时间。",
        en=f"This person already holds appointment {booking_no or '(another booking)'} at "
        f"{starts_at.isoformat()}, which overlaps the chosen slot; cancel it first or pick another time.",
        code="intake.appointment_overlap",
        booking_no=booking_no,
    )


def appointment_cancelled(booking_no: str) -> Conflict:
    """The booking is already cancelled."""
    return Conflict(
        f"预约 {booking_no} 已经取消，无需再次取消。",
        en=f"Appointment {booking_no} cannot be cancelled: it is already cancelled.",
        code="intake.appointment_not_live",
    )


def appointment_begun(booking_no: str) -> Conflict:
    """The booking's time has begun."""
    return Conflict(
        f"预约 {booking_no} 的时间已经开始，不能再取消。",
        en=f"Appointment {booking_no} cannot be cancelled: its time has begun.",
        code="intake.appointment_not_live",
    )


def appointments_unsupported(code: str) -> UnprocessableEntity:
    """The item takes no appointments."""
    return UnprocessableEntity(
        f"事项“{code}”不支持预约（是否支持预约：否），请直接到窗口办理或选择其他事项。",
        en=f"Catalog item {code!r} does not take appointments (是否支持预约: 否).",
        code="intake.appointments_unsupported",
        field="item_code",
    )


def item_not_bookable(code: str, status: str | None) -> UnprocessableEntity:
    """The item is unknown or retired."""
    if status == "retired":
        return UnprocessableEntity(
            f"事项“{code}”已停止办理，不再接受新的预约，请选择现行有效的事项。",
            en=f"Catalog item {code!r} has been retired; it takes no new appointments.",
            code="intake.item_retired",
            field="item_code",
        )
    return UnprocessableEntity(
        f"没有编码为“{code}”的已发布事项，请从事项目录中选择（GET /api/catalog/v1/items）。",
        en=f"No published catalog item with code {code!r}; pick one from the catalog "
        "(GET /api/catalog/v1/items).",
        code="intake.item_not_found",
        field="item_code",
    )


def not_place_manager(unit_code: str) -> Forbidden:
    """The caller may not manage the place."""
    return Forbidden(
        f"只有管理员，或单位 {unit_code} 的窗口工作人员和监督人员，才能管理该办事场所及其预约时段。",
        en=f"Only administrators, or window clerks and supervisors of unit {unit_code}, may manage "
        "this place and its slots.",
        code="intake.not_place_manager",
    )


def staff_may_not_book() -> Forbidden:
    """Staff other than window clerks may not book for people."""
    return Forbidden(
        "只有窗口工作人员或管理员可以为他人预约。",
        en="Only window clerks (window_clerk) or administrators may book for a person.",
        code="intake.booking_forbidden",
    )


def book_only_for_yourself() -> Forbidden:
    """A citizen named someone else."""
    return Forbidden(
        "您只能为自己预约，请不要填写 person_id；如需为他人预约，请到窗口办理。",
        en="You can book only for yourself; leave person_id out (a window clerk can book for someone else).",
        code="intake.booking_forbidden",
    )


# --- the hall queue (排队叫号) --------------------------------------------------------------------


#: Ticket statuses in Chinese, for the texts.
TICKET_STATUS_NAMES = {
    "waiting": "等候中",
    "called": "已叫号",
    "serving": "办理中",
    "completed": "已办结",
    "no_show": "已过号",
}


def queue_not_configured(place_name: str) -> Conflict:
    """The place has no queue configuration."""
    return Conflict(
        f"{place_name}尚未开通排队叫号，请到服务台咨询。",
        en=f"{place_name} does not run a queue (no categories configured yet).",
        code="intake.queue_not_configured",
    )


def queue_closed(place_name: str) -> Conflict:
    """The hall's queue is paused."""
    return Conflict(
        f"{place_name}目前暂停取号，请到服务台咨询。",
        en=f"{place_name} gives no numbers at present.",
        code="intake.queue_closed",
    )


def queue_category_closed(category_name: str) -> Conflict:
    """No active window calls the category."""
    return Conflict(
        f"“{category_name}”目前没有窗口办理，暂停取号，请到服务台咨询。",
        en=f"No window serves {category_name} at present; no numbers are given for it.",
        code="intake.queue_closed",
    )


def queue_full(place_name: str, waiting: int) -> Conflict:
    """Too many tickets wait already."""
    return Conflict(
        f"{place_name}当前已有 {waiting} 人等候，已达到等候上限，请稍后再来取号或选择网上办理、预约办理。",
        en=f"{place_name} already has {waiting} people waiting, its limit; try later, online or "
        "by appointment.",
        code="intake.queue_full",
    )


def queue_numbers_used_up(category_name: str) -> Conflict:
    """A category gave out its 999 numbers today."""
    return Conflict(
        f"“{category_name}”今日号码已全部发放，请明天再来或选择网上办理、预约办理。",
        en=f"All of today's numbers for {category_name} have been given out; come back tomorrow.",
        code="intake.queue_full",
    )


def queue_category_unknown(code: str) -> UnprocessableEntity:
    """No such category in the hall."""
    return UnprocessableEntity(
        f"本大厅没有“{code}”类号码，请从取号机显示的业务类别中选择。",
        en=f"The hall has no category {code!r}; pick one the kiosk shows.",
        code="intake.queue_category_unknown",
        field="category_code",
    )


def queue_item_not_served(item_code: str, place_name: str) -> UnprocessableEntity:
    """No category covers the item."""
    return UnprocessableEntity(
        f"{place_name}没有办理事项“{item_code}”的窗口，请到服务台咨询或选择其他办事场所。",
        en=f"No window of {place_name} serves item {item_code!r}.",
        code="intake.queue_category_unknown",
        field="item_code",
    )


def queue_config_invalid(zh: str, en: str, field: str) -> UnprocessableEntity:
    """A hall configuration that contradicts itself."""
    return UnprocessableEntity(
        f"排队叫号配置有误：{zh}",
        en=f"Invalid queue configuration: {en}",
        code="intake.queue_config_invalid",
        field=field,
    )


def queue_ticket_not_found(ticket_id: str) -> NotFound:
    """No such ticket (or not the caller's to see)."""
    return NotFound(
        f"未找到排队号 {ticket_id}，请核对后重试。",
        en=f"No queue ticket {ticket_id}.",
        code="intake.queue_ticket_not_found",
    )


def queue_not_at_window(unit_code: str | None) -> Forbidden:
    """The clerk's unit is no window of any hall."""
    where = f"您所在的单位（{unit_code}）" if unit_code else "您的账号"
    return Forbidden(
        f"{where}未配置为任何大厅的叫号窗口，不能叫号。请联系管理员在大厅排队配置中添加该窗口。",
        en=f"Your unit ({unit_code or 'none'}) is not a window of any queueing hall; ask an administrator "
        "to add it to the hall's queue configuration.",
        code="intake.queue_not_at_window",
    )


def queue_not_hall_clerk(place_name: str) -> Forbidden:
    """The clerk works at another hall."""
    return Forbidden(
        f"您的窗口不属于{place_name}，只能处理本大厅的排队号。",
        en=f"Your window is not in {place_name}; you may handle only your own hall's tickets.",
        code="intake.queue_not_hall_clerk",
    )


def queue_not_your_ticket(ticket_no: str, window_name: str | None) -> Forbidden:
    """The ticket was called to another window."""
    return Forbidden(
        f"{ticket_no} 号已由{window_name or '其他窗口'}叫号，只能由该窗口继续办理。",
        en=f"Ticket {ticket_no} was called to {window_name or 'another window'}; only that window may "
        "go on with it.",
        code="intake.queue_not_your_ticket",
    )


def queue_empty(window_name: str) -> Conflict:
    """Nothing waits for the window."""
    return Conflict(
        f"{window_name}当前没有等候的号码。",
        en=f"No ticket is waiting for {window_name}.",
        code="intake.queue_empty",
    )


def queue_window_busy(window_name: str, ticket_no: str, status: str) -> Conflict:
    """The window has an open ticket."""
    return Conflict(
        f"{window_name}的 {ticket_no} 号仍为“{TICKET_STATUS_NAMES.get(status, status)}”，"
        "请先办结或过号，再叫下一号。",
        en=f"{window_name} still has ticket {ticket_no} ({status}); complete it or mark it a no-show first.",
        code="intake.queue_window_busy",
        ticket_no=ticket_no,
    )


def queue_ticket_state(ticket_no: str, status: str, doing_zh: str, doing_en: str) -> Conflict:
    """The action does not fit the ticket's status."""
    return Conflict(
        f"{ticket_no} 号当前为“{TICKET_STATUS_NAMES.get(status, status)}”，不能{doing_zh}。",
        en=f"Ticket {ticket_no} is {status}; it cannot be {doing_en}.",
        code="intake.queue_ticket_state",
        current_status=status,
    )


def queue_rate_limited(retry_after: int) -> TooManyRequests:
    """A client took more numbers than a kiosk gives."""
    return TooManyRequests(
        f"取号过于频繁，请 {retry_after} 秒后再试。",
        en=f"Too many numbers taken; try again in {retry_after} s.",
        code="intake.queue_rate_limited",
        headers={"Retry-After": str(retry_after)},
    )


def appointment_not_today(booking_no: str, day: date) -> Conflict:
    """Checked in on another day or after the booked time."""
    return Conflict(
        f"预约 {booking_no} 的办理日期为 {day.year}年{day.month}月{day.day}日，只能在当天预约时段结束前签到；"
        "如已错过时段，请取普通号。",
        en=f"Appointment {booking_no} is for {day.isoformat()}; check in on that day before its slot ends "
        "(after it, take an ordinary number).",
        code="intake.appointment_not_today",
    )


def appointment_checked_in(booking_no: str, ticket_no: str) -> Conflict:
    """The booking already has its ticket."""
    return Conflict(
        f"预约 {booking_no} 已签到，排队号为 {ticket_no}，请留意叫号。",
        en=f"Appointment {booking_no} is already checked in as ticket {ticket_no}.",
        code="intake.appointment_checked_in",
        ticket_no=ticket_no,
    )


def booking_not_found() -> NotFound:
    """No booking with that number and phone at this place."""
    return NotFound(
        "未找到与预约号和手机号相符的本场所预约，请核对后重试，或到服务台咨询。",
        en="No booking at this place matches that booking number and mobile number.",
        code="intake.appointment_not_found",
    )


# --- 催办 and 督办 --------------------------------------------------------------------------------


def escalation_not_found(escalation_id: str) -> NotFound:
    """No such reminder or escalation (or not the caller's to see)."""
    return NotFound(
        f"未找到催办督办记录 {escalation_id}，"
        "请从“我的催办督办”（GET /api/intake/v1/escalations/mine）中选择。",
        en=f"No reminder or escalation {escalation_id}; pick one from GET /api/intake/v1/escalations/mine.",
        code="intake.escalation_not_found",
    )


def not_escalation_recipient(escalation_id: str) -> Forbidden:
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


# --- notifications (短信通知) ---------------------------------------------------------------------


#: Message states in Chinese (发送状态).
MESSAGE_STATUS_NAMES = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "发送失败",
    "skipped": "未发送",
}


def overseers_only(zh: str, en: str, roles: list[str]) -> Forbidden:
    """Only supervisors and administrators may do this with other people's messages."""
    return Forbidden(zh, en=en, code="auth.role_required", required_roles=roles)


def notification_not_found(message_id: str) -> NotFound:
    """No such message."""
    return NotFound(
        f"未找到短信通知 {message_id}，请核对编号。",
        en=f"No notification {message_id}.",
        code="intake.notification_not_found",
    )


def notification_not_failed(message_id: str, status: str) -> Conflict:
    """Only a failed message is sent again."""
    return Conflict(
        f"短信通知 {message_id} 当前状态为“{MESSAGE_STATUS_NAMES.get(status, status)}”，"
        "只有发送失败的短信才能重新发送。",
        en=f"Notification {message_id} is {status}; only failed messages can be resent.",
        code="intake.notification_not_failed",
    )
