"""Queue errors, each with a stable code; texts in Chinese, and English for `en`.

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
"""

from __future__ import annotations

from datetime import date

from yiwang_shared.errors import Conflict, Forbidden, NotFound, TooManyRequests, UnprocessableEntity

#: Ticket statuses in Chinese, for the texts.
STATUS_NAMES = {
    "waiting": "等候中",
    "called": "已叫号",
    "serving": "办理中",
    "completed": "已办结",
    "no_show": "已过号",
}


def not_configured(place_name: str) -> Conflict:
    """The place has no queue configuration."""
    return Conflict(
        f"{place_name}尚未开通排队叫号，请到服务台咨询。",
        en=f"{place_name} does not run a queue (no categories configured yet).",
        code="intake.queue_not_configured",
    )


def closed(place_name: str) -> Conflict:
    """The hall's queue is paused."""
    return Conflict(
        f"{place_name}目前暂停取号，请到服务台咨询。",
        en=f"{place_name} gives no numbers at present.",
        code="intake.queue_closed",
    )


def category_closed(category_name: str) -> Conflict:
    """No active window calls the category."""
    return Conflict(
        f"“{category_name}”目前没有窗口办理，暂停取号，请到服务台咨询。",
        en=f"No window serves {category_name} at present; no numbers are given for it.",
        code="intake.queue_closed",
    )


def hall_full(place_name: str, waiting: int) -> Conflict:
    """Too many tickets wait already."""
    return Conflict(
        f"{place_name}当前已有 {waiting} 人等候，已达到等候上限，请稍后再来取号或选择网上办理、预约办理。",
        en=f"{place_name} already has {waiting} people waiting, its limit; try later, online or "
        "by appointment.",
        code="intake.queue_full",
    )


def numbers_used_up(category_name: str) -> Conflict:
    """A category gave out its 999 numbers today."""
    return Conflict(
        f"“{category_name}”今日号码已全部发放，请明天再来或选择网上办理、预约办理。",
        en=f"All of today's numbers for {category_name} have been given out; come back tomorrow.",
        code="intake.queue_full",
    )


def category_unknown(code: str) -> UnprocessableEntity:
    """No such category in the hall."""
    return UnprocessableEntity(
        f"本大厅没有“{code}”类号码，请从取号机显示的业务类别中选择。",
        en=f"The hall has no category {code!r}; pick one the kiosk shows.",
        code="intake.queue_category_unknown",
        field="category_code",
    )


def item_not_served(item_code: str, place_name: str) -> UnprocessableEntity:
    """No category covers the item."""
    return UnprocessableEntity(
        f"{place_name}没有办理事项“{item_code}”的窗口，请到服务台咨询或选择其他办事场所。",
        en=f"No window of {place_name} serves item {item_code!r}.",
        code="intake.queue_category_unknown",
        field="item_code",
    )


def config_invalid(zh: str, en: str, field: str) -> UnprocessableEntity:
    """A hall configuration that contradicts itself."""
    return UnprocessableEntity(
        f"排队叫号配置有误：{zh}",
        en=f"Invalid queue configuration: {en}",
        code="intake.queue_config_invalid",
        field=field,
    )


def ticket_not_found(ticket_id: str) -> NotFound:
    """No such ticket (or not the caller's to see)."""
    return NotFound(
        f"未找到排队号 {ticket_id}，请核对后重试。",
        en=f"No queue ticket {ticket_id}.",
        code="intake.queue_ticket_not_found",
    )


def not_at_window(unit_code: str | None) -> Forbidden:
    """The clerk's unit is no window of any hall."""
    where = f"您所在的单位（{unit_code}）" if unit_code else "您的账号"
    return Forbidden(
        f"{where}未配置为任何大厅的叫号窗口，不能叫号。请联系管理员在大厅排队配置中添加该窗口。",
        en=f"Your unit ({unit_code or 'none'}) is not a window of any queueing hall; ask an administrator "
        "to add it to the hall's queue configuration.",
        code="intake.queue_not_at_window",
    )


def not_hall_clerk(place_name: str) -> Forbidden:
    """The clerk works at another hall."""
    return Forbidden(
        f"您的窗口不属于{place_name}，只能处理本大厅的排队号。",
        en=f"Your window is not in {place_name}; you may handle only your own hall's tickets.",
        code="intake.queue_not_hall_clerk",
    )


def not_your_ticket(ticket_no: str, window_name: str | None) -> Forbidden:
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


def window_busy(window_name: str, ticket_no: str, status: str) -> Conflict:
    """The window has an open ticket."""
    return Conflict(
        f"{window_name}的 {ticket_no} 号仍为“{STATUS_NAMES.get(status, status)}”，"
        "请先办结或过号，再叫下一号。",
        en=f"{window_name} still has ticket {ticket_no} ({status}); complete it or mark it a no-show first.",
        code="intake.queue_window_busy",
        ticket_no=ticket_no,
    )


def ticket_state(ticket_no: str, status: str, doing_zh: str, doing_en: str) -> Conflict:
    """The action does not fit the ticket's status."""
    return Conflict(
        f"{ticket_no} 号当前为“{STATUS_NAMES.get(status, status)}”，不能{doing_zh}。",
        en=f"Ticket {ticket_no} is {status}; it cannot be {doing_en}.",
        code="intake.queue_ticket_state",
        current_status=status,
    )


def too_many(retry_after: int) -> TooManyRequests:
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
