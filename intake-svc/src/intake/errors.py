"""intake-svc's domain errors: one class per stable code (its docstring is the code's meaning in the
OpenAPI document's `x-problem-codes`), and factories that word each refusal in Chinese, with English
for `en`, from the values at hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from yiwang_shared.auth import RoleRequired
from yiwang_shared.calendar import SHANGHAI
from yiwang_shared.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ProblemError,
    ServiceUnavailable,
    TooManyRequests,
    UnprocessableEntity,
    ValidationFailed,
)
from yiwang_shared.i18n import pick

from .lifecycles import ACTION_NAMES, STATUS_NAMES, SYSTEM_ACTIONS, ApplicationAction, allowed_actions

# --- declared errors: applications (办件) -----------------------------------------------------------


class ApplicationNotFound(NotFound):
    """No such application, or not one the caller may see."""

    code = "intake.application_not_found"


class ItemNotFound(UnprocessableEntity):
    """No published catalogue item with that code (in the read model)."""

    code = "intake.item_not_found"


class CatalogItemNotFound(NotFound):
    """No item in force with that code in intake's catalogue read model."""

    code = "intake.catalog_item_not_found"


class ItemRetired(UnprocessableEntity):
    """The item was retired: no new applications or appointments."""

    code = "intake.item_retired"


class InvalidTransition(Conflict):
    """The action is not allowed in the application's current state."""

    code = "intake.invalid_transition"


class IdempotencyMismatch(UnprocessableEntity):
    """The same Idempotency-Key with a different body."""

    code = "intake.idempotency_mismatch"


class IdempotencyInProgress(Conflict):
    """A concurrent request with the same Idempotency-Key."""

    code = "intake.idempotency_in_progress"


class MaterialsIncomplete(UnprocessableEntity):
    """Required materials are missing for acceptance."""

    code = "intake.materials_incomplete"


class NoticeWindowPassed(Conflict):
    """The one-time notice is too late: the application counts as accepted."""

    code = "intake.notice_window_passed"


class NothingToCorrect(Conflict):
    """A one-time notice with no problem in it."""

    code = "intake.nothing_to_correct"


class NoticeAlreadyIssued(Conflict):
    """A one-time notice was already issued for this application."""

    code = "intake.notice_already_issued"


class NoticeNotFound(NotFound):
    """No such notice or document on the application."""

    code = "intake.notice_not_found"


class NotEntrusted(Forbidden):
    """The caller's unit may not accept this item (no entrustment agreement)."""

    code = "intake.not_entrusted"


class NotHandlingUnit(Forbidden):
    """Only the deciding unit may do this."""

    code = "intake.not_handling_unit"


class StaffRoleRequired(Forbidden):
    """The caller's roles do not allow this action."""

    code = "intake.role_required"


class GrantMissing(Forbidden):
    """The agent holds no valid grant for the enterprise and item."""

    code = "intake.grant_missing"


class IdentityUnavailable(ServiceUnavailable):
    """identity-svc did not answer (account, contact or grant check)."""

    code = "intake.identity_unavailable"


class LicenceLibraryUnavailable(ServiceUnavailable):
    """licence-svc (the electronic licence library) did not answer a fetch for a case."""

    code = "intake.licence_library_unavailable"


class LicenceFetchNotNow(Conflict):
    """Materials are fetched from the library only before acceptance is decided."""

    code = "intake.licence_fetch_not_now"


class ReconciliationTooEarly(UnprocessableEntity):
    """A day is reconciled only once it is over."""

    code = "intake.reconciliation_too_early"


class IdentityThrottled(TooManyRequests):
    """identity-svc limits how often staff read contact details (Retry-After)."""

    code = "intake.identity_throttled"


class ApplicantUnverified(Forbidden):
    """identity-svc did not confirm the applicant's account or contact details."""

    code = "intake.applicant_unverified"


class ApplicantUnknown(UnprocessableEntity):
    """identity-svc has no person with the applicant id given."""

    code = "intake.applicant_unknown"


class ApplicantRequired(UnprocessableEntity):
    """Staff applying for someone must name the applicant."""

    code = "intake.applicant_required"


class ApplicantNotSelf(Forbidden):
    """An online application names someone other than the logged-in person."""

    code = "intake.applicant_not_self"


class ApplicantMismatch(UnprocessableEntity):
    """The applicant's details differ from identity-svc's record."""

    code = "intake.applicant_mismatch"


class ExtensionTooLong(UnprocessableEntity):
    """More than the allowed extension of the time limit."""

    code = "intake.extension_too_long"


class StepTimes(UnprocessableEntity):
    """A review step that ends before it starts."""

    code = "intake.step_times"


class ReasonsRequired(UnprocessableEntity):
    """A refusal without its reasons."""

    code = "intake.reasons_required"


class DeficienciesOutstanding(Conflict):
    """Materials owed under acceptance with deficiencies are still missing."""

    code = "intake.deficiencies_outstanding"


class DeficiencyNotAllowed(UnprocessableEntity):
    """Acceptance with deficiencies asked for an item that does not allow it."""

    code = "intake.deficiency_not_allowed"


class DeficiencyDeadline(UnprocessableEntity):
    """A bad deadline for the materials owed under acceptance with deficiencies."""

    code = "intake.deficiency_deadline"


class NoDeficiencies(Conflict):
    """The application owes no materials."""

    code = "intake.no_deficiencies"


class DeliveryIncomplete(UnprocessableEntity):
    """The delivery mode needs details that are missing."""

    code = "intake.delivery_incomplete"


class FileTooLarge(ProblemError):
    """An upload over the size limit."""

    status = 413
    code = "intake.file_too_large"


class FileType(ProblemError):
    """An upload of a type not accepted."""

    status = 415
    code = "intake.file_type"


class FileEmpty(UnprocessableEntity):
    """An empty upload."""

    code = "intake.file_empty"


class FileNotFound(NotFound):
    """No such file, or not one the caller uploaded."""

    code = "intake.file_not_found"


class FontNotFound(NotFound):
    """No such font file."""

    code = "intake.font_not_found"


class EntrustmentInvalid(UnprocessableEntity):
    """An entrustment agreement with bad dates or parties."""

    code = "intake.entrustment_invalid"


class EntrustmentNotFound(NotFound):
    """No such entrustment agreement, or not one the caller's unit is party to."""

    code = "intake.entrustment_not_found"


class StationMayNotAccept(Forbidden):
    """A community station deciding acceptance of an item it only collects or pre-reviews."""

    code = "intake.station_may_not_accept"


class NotForPrereview(Forbidden):
    """A pre-review not by a community station, or of an item that is not for pre-review."""

    code = "intake.not_for_prereview"


# --- declared errors: appointments (预约) -----------------------------------------------------------


class PlaceNotFound(NotFound):
    """No such service place."""

    code = "intake.place_not_found"


class PlaceCodeTaken(Conflict):
    """Another place already has that code."""

    code = "intake.place_code_taken"


class PlaceInactive(Conflict):
    """The place takes no bookings now."""

    code = "intake.place_inactive"


class SlotNotFound(NotFound):
    """No such appointment slot."""

    code = "intake.slot_not_found"


class SlotFull(Conflict):
    """The slot has no seat left."""

    code = "intake.slot_full"


class SlotPast(Conflict):
    """The slot has started or is over."""

    code = "intake.slot_past"


class CapacityBelowBooked(Conflict):
    """A capacity lower than the seats already booked."""

    code = "intake.capacity_below_booked"


class AppointmentNotFound(NotFound):
    """No such booking, or not one the caller may see."""

    code = "intake.appointment_not_found"


class AppointmentOverlap(Conflict):
    """The person already holds a booking at an overlapping time."""

    code = "intake.appointment_overlap"


class AppointmentNotLive(Conflict):
    """The booking is cancelled or has started."""

    code = "intake.appointment_not_live"


class AppointmentsUnsupported(UnprocessableEntity):
    """The catalogue item takes no appointments."""

    code = "intake.appointments_unsupported"


class NotPlaceManager(Forbidden):
    """The caller may not manage this place."""

    code = "intake.not_place_manager"


class BookingForbidden(Forbidden):
    """The caller may not book (for this person)."""

    code = "intake.booking_forbidden"


# --- declared errors: the hall queue (排队叫号) -------------------------------------------------------


class QueueNotConfigured(Conflict):
    """The place is not run as a queueing hall (no categories yet)."""

    code = "intake.queue_not_configured"


class QueueClosed(Conflict):
    """The hall, or the category, takes no numbers now."""

    code = "intake.queue_closed"


class QueueFull(Conflict):
    """The hall's waiting limit, or the day's numbers of a category, reached."""

    code = "intake.queue_full"


class QueueCategoryUnknown(UnprocessableEntity):
    """No such category in the hall, or no category serves the item."""

    code = "intake.queue_category_unknown"


class QueueConfigInvalid(UnprocessableEntity):
    """A hall configuration that contradicts itself."""

    code = "intake.queue_config_invalid"


class QueueTicketNotFound(NotFound):
    """No such ticket, or not one the caller may see."""

    code = "intake.queue_ticket_not_found"


class QueueNotAtWindow(Forbidden):
    """The caller is no window clerk at a window of a configured hall."""

    code = "intake.queue_not_at_window"


class QueueNotHallClerk(Forbidden):
    """The caller's window is in another hall."""

    code = "intake.queue_not_hall_clerk"


class QueueNotYourTicket(Forbidden):
    """The ticket was called to another window."""

    code = "intake.queue_not_your_ticket"


class QueueEmpty(Conflict):
    """Nothing waits for the window's categories."""

    code = "intake.queue_empty"


class QueueWindowBusy(Conflict):
    """The window still has a called or serving ticket."""

    code = "intake.queue_window_busy"


class QueueTicketState(Conflict):
    """The action does not fit the ticket's status."""

    code = "intake.queue_ticket_state"


class QueueRateLimited(TooManyRequests):
    """More numbers a minute from one client than a kiosk gives (Retry-After)."""

    code = "intake.queue_rate_limited"


class AppointmentNotToday(Conflict):
    """An appointment checked in on another day, or after its time."""

    code = "intake.appointment_not_today"


class AppointmentCheckedIn(Conflict):
    """The appointment already has its ticket."""

    code = "intake.appointment_checked_in"


# --- declared errors: notifications (短信通知) --------------------------------------------------------


class NotificationNotFound(NotFound):
    """No such message."""

    code = "intake.notification_not_found"


class NotificationNotFailed(Conflict):
    """Only a failed message is sent again."""

    code = "intake.notification_not_failed"


# --- declared errors: 催办 and 督办 -------------------------------------------------------------------


class EscalationNotFound(NotFound):
    """No such reminder or escalation, or not one the caller may see."""

    code = "intake.escalation_not_found"


class NotEscalationRecipient(Forbidden):
    """Only the people a reminder or escalation names acknowledge it."""

    code = "intake.not_escalation_recipient"


class StaffOnly(Forbidden):
    """Work lists are for staff accounts."""

    code = "intake.staff_only"


# --- declared errors: 一件事 (bundle applications) --------------------------------------------------


class BundleNotFound(UnprocessableEntity):
    """No "one thing" bundle with that code in intake's read model."""

    code = "intake.bundle_not_found"


class BundleApplicationNotFound(NotFound):
    """No such bundle application, or not one the caller may see."""

    code = "intake.bundle_application_not_found"


class MaterialNotInBundle(UnprocessableEntity):
    """A material handed in is asked for by none of the bundle's items."""

    code = "intake.material_not_in_bundle"


class BundleStepOnly(Conflict):
    """The step is taken on the bundle application, for all of its cases at once."""

    code = "intake.bundle_step_only"


class CommitmentNotOffered(UnprocessableEntity):
    """The item does not offer approval on commitment (告知承诺)."""

    code = "intake.commitment_not_offered"


class CommitmentBarred(UnprocessableEntity):
    """The applicant made a false commitment before and may not apply on commitment."""

    code = "intake.commitment_barred"


class PostCheckNotFound(NotFound):
    """No such post-check, or not one the caller may see."""

    code = "intake.post_check_not_found"


class PostCheckDone(Conflict):
    """The post-check was already recorded."""

    code = "intake.post_check_done"


class FeeOutstanding(Conflict):
    """The item delivers its result only once the fees are paid, and they are not."""

    code = "intake.fee_outstanding"


class FeeNotFound(NotFound):
    """No such fee, or not one the caller may see."""

    code = "intake.fee_not_found"


class ProviderNotConfigured(Conflict):
    """The payment provider or the courier is not configured for this deployment."""

    code = "intake.provider_not_configured"


class CallbackNotConfigured(NotFound):
    """No provider of this kind is configured here, so nothing calls back to this address."""

    code = "intake.callback_not_configured"


class ProviderFailed(ServiceUnavailable):
    """The payment provider or the courier did not answer or refused the call; retry later."""

    code = "intake.provider_failed"


class CallbackRefused(ProblemError):
    """A provider's callback whose signature, time or nonce does not check out."""

    code = "intake.callback_refused"
    status = 401


class RefundNotAllowed(Conflict):
    """The fee cannot be refunded (not paid, or not that much left)."""

    code = "intake.refund_not_allowed"


class RefundNotYetRecorded(Conflict):
    """The provider reports a refund we asked for before our request's record is committed."""

    code = "intake.refund_not_yet_recorded"


class WaybillNotFound(UnprocessableEntity):
    """A posted result names no waybill made for the case."""

    code = "intake.waybill_not_found"


class BundleNotReady(Conflict):
    """The bundle application cannot take the step yet (its cases are not all there)."""

    code = "intake.bundle_not_ready"


# --- declared errors: the platform's validation code ----------------------------------------------

# A rule the request schema cannot state is a validation problem like any other: the platform's code,
# which the wire keeps. (A refusal by role with the platform's code is `yiwang_shared.auth.RoleRequired`.)


# --- applications (办件) ----------------------------------------------------------------------------


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
    return ApplicationNotFound(
        f"未找到申请 {application_id}，请核对申请编号；如是他人的申请，您无权查看。",
        en=f"No application {application_id}.",
    )


def item_not_found(code: str) -> UnprocessableEntity:
    """No published item with that code."""
    return ItemNotFound(
        f"没有编码为“{code}”的已发布事项，请从事项目录中选择（GET /api/catalog/v1/items）。",
        en=f"No published catalog item with code {code!r}; pick one from the catalog "
        "(GET /api/catalog/v1/items).",
        field="item_code",
    )


def item_retired(code: str) -> UnprocessableEntity:
    """The item was retired."""
    return ItemRetired(
        f"事项“{code}”已停止办理，不再接收新的申请，请选择现行有效的事项。",
        en=f"Catalog item {code} has been retired; no new applications are taken.",
        field="item_code",
    )


def invalid_transition(status: str, action: ApplicationAction) -> Conflict:
    """`action` is not allowed in `status`; names what a person may do instead (never the actions
    only the system takes)."""
    allowed = [a for a in allowed_actions(status) if a not in SYSTEM_ACTIONS]
    state = STATUS_NAMES.get(status, status)
    doing = ACTION_NAMES.get(action, action)
    allowed_zh = "、".join(ACTION_NAMES.get(a, a) for a in allowed)
    return InvalidTransition(
        f"该申请当前状态为“{state}”，不能{doing}。"
        + (f"当前可以办理：{allowed_zh}。" if allowed else "该申请已结束，不能再进行任何操作。"),
        en=f"The application is {status}; {action} is not allowed now. Allowed now: "
        + (", ".join(allowed) if allowed else "nothing (the case is closed)")
        + ".",
        current_status=status,
        allowed_actions=allowed,
    )


def role_required(deed: Deed, roles: list[str]) -> Forbidden:
    """The caller's roles do not allow `deed`."""
    return StaffRoleRequired(
        f"{deed.zh}需要以下角色之一：{'、'.join(ROLE_NAMES.get(r, r) for r in roles)}。"
        "如需办理，请联系有相应权限的工作人员。",
        en=f"To {deed.en} you need one of the roles: {', '.join(roles)}.",
        required_roles=roles,
    )


def not_handling_unit(deed: Deed, unit_code: str) -> Forbidden:
    """Only the deciding unit may do this."""
    return NotHandlingUnit(
        f"只有审批部门（{unit_code}）的工作人员才能{deed.zh}。",
        en=f"Only staff of the deciding unit {unit_code} may {deed.en}.",
    )


def not_entrusted(unit_code: str, item_code: str, owner: str) -> Forbidden:
    """Acceptance outside the one window and outside any entrustment agreement."""
    return NotEntrusted(
        f"单位 {unit_code} 不能受理 {owner} 的事项 {item_code}：它既不是审批部门，也不是区政务服务中心的"
        "综合窗口，今天也没有覆盖该事项的有效委托受理协议。请转交有权受理的窗口，或先签订委托受理协议。",
        en=f"Unit {unit_code} may not accept item {item_code} of {owner}: it is neither the deciding "
        "unit, nor a comprehensive window of the district centre, nor entrusted under a valid "
        "agreement (委托受理协议) covering this item today.",
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
    return StationMayNotAccept(
        f"社区服务站 {unit_code} 不能受理“{item_name}”：{zh}。",
        en=f"Community station {unit_code} may not decide acceptance of {item_name}: {en}.",
    )


def not_for_prereview(item_name: str, why_zh: str, why_en: str) -> Forbidden:
    """A pre-review that is not a station's, or of an item that is not 咨询预审类."""
    return NotForPrereview(
        f"不能对“{item_name}”作咨询预审：{why_zh}",
        en=f"No pre-review of {item_name}: {why_en}",
    )


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


def catalog_item_not_found(code: str) -> CatalogItemNotFound:
    """No item in force with that code in the read model."""
    return CatalogItemNotFound(
        f"没有编码为“{code}”的现行事项，请核对事项编码，或从事项列表中选择。",
        en=f"No published item {code} in intake's catalog.",
    )


def font_not_found(file_name: str, stylesheet: str) -> FontNotFound:
    """No such font file."""
    return FontNotFound(
        f"没有字体文件 {file_name}。告知书所用字体请从 {stylesheet} 引用。",
        en=f"No font file {file_name}; notices reference {stylesheet}.",
    )


def notice_not_found(notice_id: str) -> NoticeNotFound:
    """The case has no notice with that id."""
    return NoticeNotFound(
        f"该申请下没有编号为 {notice_id} 的告知书或通知书，请核对后重试。",
        en=f"No notice {notice_id} on this application.",
    )


def entrustment_not_found(agreement_id: str) -> EntrustmentNotFound:
    """No such agreement (or not the caller's unit's)."""
    return EntrustmentNotFound(
        f"未找到委托受理协议 {agreement_id}，请核对协议编号。",
        en=f"No entrustment agreement {agreement_id}.",
    )


def file_not_found(file_id: str) -> FileNotFound:
    """No such file, or not the caller's upload."""
    return FileNotFound(
        f"未找到文件 {file_id}，或该文件不是您上传的。",
        en=f"No file {file_id}.",
    )


def extension_too_long(limit: int, extended: int) -> ExtensionTooLong:
    """More than `limit` working days of extension in all; `extended` granted already."""
    return ExtensionTooLong(
        f"延长办理期限累计不得超过 {limit} 个工作日；已延长 {extended} 个工作日，"
        f"最多还能延长 {limit - extended} 个工作日。",
        en=f"Extensions may total at most {limit} working days; {extended} already "
        f"granted, so at most {limit - extended} more.",
        field="working_days",
    )


def system_only(action: str) -> StaffRoleRequired:
    """An action only the supervision scan takes, tried by hand."""
    return StaffRoleRequired(
        f"“{ACTION_NAMES.get(action, action)}”由电子监察在期限届满时自动办理，工作人员不能手工操作。",
        en=f"{action} is taken by the supervision scan when its deadline passes, never by hand.",
    )


def notice_already_issued(first_number: str, issued: date, never: list[str]) -> NoticeAlreadyIssued:
    """A later notice raising materials the first one did not, and the applicant did not change."""
    names = "、".join(f"“{n}”" for n in never)
    return NoticeAlreadyIssued(
        f"本件已于{issued.year}年{issued.month}月{issued.day}日出具一次性告知书（{first_number}），"
        f"需要补正的内容应当一次告知。以下材料在此前的告知书中没有提出，申请人此后也没有补正或更换，"
        f"不能再要求补正：{names}。再次告知只能针对申请人补正或更换的材料；其余材料请按已告知的内容审查，"
        "齐全的予以受理。",
        en=f"The one-time notice {first_number} was issued already: everything to correct is told "
        "once. A later notice may only concern materials the applicant handed in or changed since; "
        f"these were never raised and not changed: {', '.join(never)}.",
        materials=never,
        first_notice_no=first_number,
    )


def notice_window_passed(due_on: date) -> NoticeWindowPassed:
    """The one-time notice is too late: the application counts as accepted."""
    return NoticeWindowPassed(
        f"一次性告知书应在 {due_on.isoformat()} 前出具。"
        "逾期不告知的，自收到申请材料之日起即为受理（《行政许可法》第三十二条），请直接受理该申请。",
        en=f"The one-time notice had to be issued by {due_on.isoformat()}; after that "
        "the application counts as accepted (逾期不告知的，自收到申请材料之日起即为受理). "
        "Accept it instead.",
        notice_due_on=due_on.isoformat(),
    )


def materials_incomplete(problems: list[dict[str, Any]], *, deficiency_allowed: bool) -> MaterialsIncomplete:
    """Acceptance asked while `problems` remain."""
    return MaterialsIncomplete(
        f"申请材料还有 {len(problems)} 处问题，请出具一次性告知书列明需补正的材料"
        + ("，或按容缺受理办理" if deficiency_allowed else "")
        + "。",
        en=f"{len(problems)} material problem(s) remain: issue the one-time notice listing them"
        + (", or accept with deficiencies (容缺受理)" if deficiency_allowed else "")
        + ".",
        problems=problems,
    )


def deficiency_not_allowed(item_code: str) -> DeficiencyNotAllowed:
    """容缺受理 asked for an item that does not allow it."""
    return DeficiencyNotAllowed(
        f"事项 {item_code} 不适用容缺受理，请出具一次性告知书，待材料补齐后再受理。",
        en=f"Item {item_code} does not allow acceptance with deficiencies (容缺受理); issue "
        "the one-time notice instead.",
    )


def applicant_mismatch(wrong: list[tuple[str, str, str]]) -> ApplicantMismatch:
    """The applicant's details differ from identity's record: (field, name in Chinese, in English)."""
    zh = "、".join(w[1] for w in wrong)
    en = " and ".join(w[2] for w in wrong)
    return ApplicantMismatch(
        f"填写的申请人{zh}与统一身份认证登记的不一致。申请人信息以统一身份认证登记为准，无需填写；"
        "如信息有变，请申请人先在统一身份认证中更新。",
        en=f"The applicant's {en} differ from identity-svc's record; leave them out (the record "
        "applies) or have the person update their account first.",
        field=wrong[0][0],
        fields=[w[0] for w in wrong],
    )


def delivery_incomplete(mode: str, mode_zh: str, missing: list[str]) -> DeliveryIncomplete:
    """Delivery by `mode` without the fields it needs."""
    return DeliveryIncomplete(
        f"以{mode_zh}方式送达，还需填写：{'、'.join(missing)}。",
        en=f"Delivery by {mode} needs: {', '.join(missing)}.",
        errors=[
            {
                "field": f"body.{f}",
                "message": pick(f"以{mode_zh}方式送达时必填", "required for this mode"),
                "type": "missing",
            }
            for f in missing
        ],
    )


# --- appointments (预约) ----------------------------------------------------------------------------


def _when(at: datetime) -> str:
    """A slot's start as a person reads it: 2026年11月23日 09:30 (Beijing time)."""
    local = at.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def place_not_found(place_id: str) -> NotFound:
    """No such place."""
    return PlaceNotFound(
        f"未找到办事场所 {place_id}，请核对场所编号。",
        en=f"No service place {place_id}.",
    )


def place_code_taken(code: str) -> Conflict:
    """A place with that code exists."""
    return PlaceCodeTaken(
        f"场所编码“{code}”已被其他办事场所使用，请换一个编码。",
        en=f"A service place with code {code!r} already exists; choose another code.",
        field="code",
    )


def place_inactive(name: str) -> Conflict:
    """The place is closed for bookings."""
    return PlaceInactive(
        f"{name}目前暂停预约，请选择其他办事场所。",
        en=f"{name} does not take appointments at present.",
    )


def slot_not_found(slot_id: str) -> NotFound:
    """No such slot."""
    return SlotNotFound(
        f"未找到预约时段 {slot_id}，请重新查询可预约的时段。",
        en=f"No appointment slot {slot_id}.",
    )


def slot_full(starts_at: datetime) -> Conflict:
    """No seat left."""
    return SlotFull(
        f"{_when(starts_at)} 的号源已满，请选择其他时段。",
        en=f"The slot at {starts_at.isoformat()} is fully booked (号源已满); pick another slot.",
    )


def slot_past(starts_at: datetime) -> Conflict:
    """The slot has begun."""
    return SlotPast(
        f"{_when(starts_at)} 的时段已经开始，请选择更晚的时段。",
        en=f"The slot at {starts_at.isoformat()} has already started; pick a later slot.",
    )


def capacity_below_booked(capacity: int, booked: int) -> Conflict:
    """A capacity below the bookings held."""
    return CapacityBelowBooked(
        f"号源数 {capacity} 少于已预约的 {booked} 个，请先取消部分预约，或将号源数设为不少于 {booked}。",
        en=f"Capacity {capacity} is below the {booked} seat(s) already booked; cancel bookings "
        f"first or set a capacity of at least {booked}.",
        field="capacity",
    )


def appointment_not_found(appointment_id: str) -> NotFound:
    """No such booking (or not the caller's to see)."""
    return AppointmentNotFound(
        f"未找到预约 {appointment_id}，请核对预约编号。",
        en=f"No appointment {appointment_id}.",
    )


def appointment_overlap(booking_no: str | None, starts_at: datetime) -> Conflict:
    """The person holds an overlapping booking."""
    held = f"预约 {booking_no}" if booking_no else "另一个预约"
    return AppointmentOverlap(
        f"此人已有{held}（{_when(starts_at)}），与所选时段重叠。请先取消原预约，或选择其他时间。",
        en=f"This person already holds appointment {booking_no or '(another booking)'} at "
        f"{starts_at.isoformat()}, which overlaps the chosen slot; cancel it first or pick another time.",
        booking_no=booking_no,
    )


def appointment_cancelled(booking_no: str) -> Conflict:
    """The booking is already cancelled."""
    return AppointmentNotLive(
        f"预约 {booking_no} 已经取消，无需再次取消。",
        en=f"Appointment {booking_no} cannot be cancelled: it is already cancelled.",
    )


def appointment_begun(booking_no: str) -> Conflict:
    """The booking's time has begun."""
    return AppointmentNotLive(
        f"预约 {booking_no} 的时间已经开始，不能再取消。",
        en=f"Appointment {booking_no} cannot be cancelled: its time has begun.",
    )


def appointments_unsupported(code: str) -> UnprocessableEntity:
    """The item takes no appointments."""
    return AppointmentsUnsupported(
        f"事项“{code}”不支持预约（是否支持预约：否），请直接到窗口办理或选择其他事项。",
        en=f"Catalog item {code!r} does not take appointments (是否支持预约: 否).",
        field="item_code",
    )


def item_not_bookable(code: str, status: str | None) -> UnprocessableEntity:
    """The item is unknown or retired."""
    if status == "retired":
        return ItemRetired(
            f"事项“{code}”已停止办理，不再接受新的预约，请选择现行有效的事项。",
            en=f"Catalog item {code!r} has been retired; it takes no new appointments.",
            field="item_code",
        )
    return ItemNotFound(
        f"没有编码为“{code}”的已发布事项，请从事项目录中选择（GET /api/catalog/v1/items）。",
        en=f"No published catalog item with code {code!r}; pick one from the catalog "
        "(GET /api/catalog/v1/items).",
        field="item_code",
    )


def not_place_manager(unit_code: str) -> Forbidden:
    """The caller may not manage the place."""
    return NotPlaceManager(
        f"只有管理员，或单位 {unit_code} 的窗口工作人员和监督人员，才能管理该办事场所及其预约时段。",
        en=f"Only administrators, or window clerks and supervisors of unit {unit_code}, may manage "
        "this place and its slots.",
    )


def staff_may_not_book() -> Forbidden:
    """Staff other than window clerks may not book for people."""
    return BookingForbidden(
        "只有窗口工作人员或管理员可以为他人预约。",
        en="Only window clerks (window_clerk) or administrators may book for a person.",
    )


def book_only_for_yourself() -> Forbidden:
    """A citizen named someone else."""
    return BookingForbidden(
        "您只能为自己预约，请不要填写 person_id；如需为他人预约，请到窗口办理。",
        en="You can book only for yourself; leave person_id out (a window clerk can book for someone else).",
    )


def place_field_blank(name: str, name_zh: str) -> ValidationFailed:
    """A place's name or address sent blank."""
    return ValidationFailed(
        f"{name_zh}（{name}）不能为空，请填写。",
        en=f"{name} must not be blank.",
        field=name,
    )


def place_field_null(name: str, name_zh: str) -> ValidationFailed:
    """A place's field that cannot be removed sent as null."""
    return ValidationFailed(
        f"{name_zh}（{name}）不能为 null，不修改请省略该字段。",
        en=f"{name} cannot be null.",
        field=name,
    )


def first_day_past(first_day: date, today: date) -> ValidationFailed:
    """Slots asked for from a day gone by."""
    return ValidationFailed(
        f"起始日期（first_day）{first_day} 已经过去，只能从今天（{today}）起生成预约时段。",
        en=f"first_day {first_day} is in the past; slots can be generated from today ({today}).",
        field="first_day",
    )


# --- the hall queue (排队叫号) ------------------------------------------------------------------------


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
    return QueueNotConfigured(
        f"{place_name}尚未开通排队叫号，请到服务台咨询。",
        en=f"{place_name} does not run a queue (no categories configured yet).",
    )


def queue_closed(place_name: str) -> Conflict:
    """The hall's queue is paused."""
    return QueueClosed(
        f"{place_name}目前暂停取号，请到服务台咨询。",
        en=f"{place_name} gives no numbers at present.",
    )


def queue_category_closed(category_name: str) -> Conflict:
    """No active window calls the category."""
    return QueueClosed(
        f"“{category_name}”目前没有窗口办理，暂停取号，请到服务台咨询。",
        en=f"No window serves {category_name} at present; no numbers are given for it.",
    )


def queue_full(place_name: str, waiting: int) -> Conflict:
    """Too many tickets wait already."""
    return QueueFull(
        f"{place_name}当前已有 {waiting} 人等候，已达到等候上限，请稍后再来取号或选择网上办理、预约办理。",
        en=f"{place_name} already has {waiting} people waiting, its limit; try later, online or "
        "by appointment.",
    )


def queue_numbers_used_up(category_name: str) -> Conflict:
    """A category gave out its 999 numbers today."""
    return QueueFull(
        f"“{category_name}”今日号码已全部发放，请明天再来或选择网上办理、预约办理。",
        en=f"All of today's numbers for {category_name} have been given out; come back tomorrow.",
    )


def queue_category_unknown(code: str) -> UnprocessableEntity:
    """No such category in the hall."""
    return QueueCategoryUnknown(
        f"本大厅没有“{code}”类号码，请从取号机显示的业务类别中选择。",
        en=f"The hall has no category {code!r}; pick one the kiosk shows.",
        field="category_code",
    )


def queue_item_not_served(item_code: str, place_name: str) -> UnprocessableEntity:
    """No category covers the item."""
    return QueueCategoryUnknown(
        f"{place_name}没有办理事项“{item_code}”的窗口，请到服务台咨询或选择其他办事场所。",
        en=f"No window of {place_name} serves item {item_code!r}.",
        field="item_code",
    )


def queue_config_invalid(zh: str, en: str, field: str) -> UnprocessableEntity:
    """A hall configuration that contradicts itself."""
    return QueueConfigInvalid(
        f"排队叫号配置有误：{zh}",
        en=f"Invalid queue configuration: {en}",
        field=field,
    )


def queue_ticket_not_found(ticket_id: str) -> NotFound:
    """No such ticket (or not the caller's to see)."""
    return QueueTicketNotFound(
        f"未找到排队号 {ticket_id}，请核对后重试。",
        en=f"No queue ticket {ticket_id}.",
    )


def queue_not_at_window(unit_code: str | None) -> Forbidden:
    """The clerk's unit is no window of any hall."""
    where = f"您所在的单位（{unit_code}）" if unit_code else "您的账号"
    return QueueNotAtWindow(
        f"{where}未配置为任何大厅的叫号窗口，不能叫号。请联系管理员在大厅排队配置中添加该窗口。",
        en=f"Your unit ({unit_code or 'none'}) is not a window of any queueing hall; ask an administrator "
        "to add it to the hall's queue configuration.",
    )


def queue_not_hall_clerk(place_name: str) -> Forbidden:
    """The clerk works at another hall."""
    return QueueNotHallClerk(
        f"您的窗口不属于{place_name}，只能处理本大厅的排队号。",
        en=f"Your window is not in {place_name}; you may handle only your own hall's tickets.",
    )


def queue_not_your_ticket(ticket_no: str, window_name: str | None) -> Forbidden:
    """The ticket was called to another window."""
    return QueueNotYourTicket(
        f"{ticket_no} 号已由{window_name or '其他窗口'}叫号，只能由该窗口继续办理。",
        en=f"Ticket {ticket_no} was called to {window_name or 'another window'}; only that window may "
        "go on with it.",
    )


def queue_empty(window_name: str) -> Conflict:
    """Nothing waits for the window."""
    return QueueEmpty(
        f"{window_name}当前没有等候的号码。",
        en=f"No ticket is waiting for {window_name}.",
    )


def queue_window_busy(window_name: str, ticket_no: str, status: str) -> Conflict:
    """The window has an open ticket."""
    return QueueWindowBusy(
        f"{window_name}的 {ticket_no} 号仍为“{TICKET_STATUS_NAMES.get(status, status)}”，"
        "请先办结或过号，再叫下一号。",
        en=f"{window_name} still has ticket {ticket_no} ({status}); complete it or mark it a no-show first.",
        ticket_no=ticket_no,
    )


def queue_ticket_state(ticket_no: str, status: str, doing_zh: str, doing_en: str) -> Conflict:
    """The action does not fit the ticket's status."""
    return QueueTicketState(
        f"{ticket_no} 号当前为“{TICKET_STATUS_NAMES.get(status, status)}”，不能{doing_zh}。",
        en=f"Ticket {ticket_no} is {status}; it cannot be {doing_en}.",
        current_status=status,
    )


def queue_rate_limited(retry_after: int) -> TooManyRequests:
    """A client took more numbers than a kiosk gives."""
    return QueueRateLimited(
        f"取号过于频繁，请 {retry_after} 秒后再试。",
        en=f"Too many numbers taken; try again in {retry_after} s.",
        headers={"Retry-After": str(retry_after)},
    )


def appointment_not_today(booking_no: str, day: date) -> Conflict:
    """Checked in on another day or after the booked time."""
    return AppointmentNotToday(
        f"预约 {booking_no} 的办理日期为 {day.year}年{day.month}月{day.day}日，只能在当天预约时段结束前签到；"
        "如已错过时段，请取普通号。",
        en=f"Appointment {booking_no} is for {day.isoformat()}; check in on that day before its slot ends "
        "(after it, take an ordinary number).",
    )


def appointment_checked_in(booking_no: str, ticket_no: str) -> Conflict:
    """The booking already has its ticket."""
    return AppointmentCheckedIn(
        f"预约 {booking_no} 已签到，排队号为 {ticket_no}，请留意叫号。",
        en=f"Appointment {booking_no} is already checked in as ticket {ticket_no}.",
        ticket_no=ticket_no,
    )


def booking_not_found() -> NotFound:
    """No booking with that number and phone at this place."""
    return AppointmentNotFound(
        "未找到与预约号和手机号相符的本场所预约，请核对后重试，或到服务台咨询。",
        en="No booking at this place matches that booking number and mobile number.",
    )


def period_too_long(max_days: int) -> ValidationFailed:
    """A statistics period over `max_days` days."""
    return ValidationFailed(
        f"统计期间最长 {max_days} 天，请缩短 from 与 to 之间的天数。",
        en=f"The period may cover at most {max_days} days; bring from and to closer.",
        field="from",
    )


# --- 催办 and 督办 ------------------------------------------------------------------------------------


def escalation_not_found(escalation_id: str) -> NotFound:
    """No such reminder or escalation (or not the caller's to see)."""
    return EscalationNotFound(
        f"未找到催办督办记录 {escalation_id}，"
        "请从“我的催办督办”（GET /api/intake/v1/escalations/mine）中选择。",
        en=f"No reminder or escalation {escalation_id}; pick one from GET /api/intake/v1/escalations/mine.",
    )


def not_escalation_recipient(escalation_id: str) -> Forbidden:
    """The caller is not among the people it names."""
    return NotEscalationRecipient(
        f"催办督办记录 {escalation_id} 未点名您，只有被点名的承办人或督办人可以签收。",
        en=f"Reminder or escalation {escalation_id} does not name you; "
        "only the people it names acknowledge it.",
    )


def staff_only() -> Forbidden:
    """A citizen (or an enterprise agent) asked for a staff work list."""
    return StaffOnly(
        "催办督办事项只向工作人员展示，请使用工作人员账号登录。",
        en="Reminders and escalations are shown to staff accounts only.",
    )


# --- notifications (短信通知) -------------------------------------------------------------------------


#: Message states in Chinese (发送状态).
MESSAGE_STATUS_NAMES = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "发送失败",
    "skipped": "未发送",
}


def overseers_only(zh: str, en: str, roles: list[str]) -> RoleRequired:
    """Only supervisors and administrators may do this with other people's messages."""
    return RoleRequired(zh, en=en, required_roles=roles)


def notification_not_found(message_id: str) -> NotFound:
    """No such message."""
    return NotificationNotFound(
        f"未找到短信通知 {message_id}，请核对编号。",
        en=f"No notification {message_id}.",
    )


def notification_not_failed(message_id: str, status: str) -> Conflict:
    """Only a failed message is sent again."""
    return NotificationNotFailed(
        f"短信通知 {message_id} 当前状态为“{MESSAGE_STATUS_NAMES.get(status, status)}”，"
        "只有发送失败的短信才能重新发送。",
        en=f"Notification {message_id} is {status}; only failed messages can be resent.",
    )


# --- identity-svc's answers (统一身份认证) --------------------------------------------------------------


def identity_unavailable(what_zh: str, what_en: str, status: int | None = None) -> IdentityUnavailable:
    """identity-svc did not answer, or failed (`status`), while intake tried to do `what`."""
    code = f"（{status}）" if status else ""
    return IdentityUnavailable(
        f"统一身份认证服务暂时无法{what_zh}{code}，请稍后再试。",
        en=f"identity-svc could not {what_en}" + (f" ({status})" if status else "") + "; try again shortly.",
    )


def account_unconfirmed(status: int, detail: str) -> ApplicantUnverified:
    """identity-svc did not confirm the caller's own account."""
    return ApplicantUnverified(
        f"统一身份认证服务未能确认您的账号（{status}）：{detail}请重新登录后再申请。",
        en=f"identity-svc did not confirm the caller's account ({status}): {detail}",
    )


def applicant_unknown(person_id: str) -> ApplicantUnknown:
    """identity-svc has no person `person_id`."""
    return ApplicantUnknown(
        f"统一身份认证中没有账号 {person_id}。请先用居民身份证号或手机号查找申请人"
        "（POST /api/identity/v1/persons/lookup）；没有账号的，请在窗口为其登记"
        "（POST /api/identity/v1/persons/walk-ins）后再申请。",
        en=f"identity-svc has no person {person_id}: find the applicant by resident ID or mobile "
        "(POST /api/identity/v1/persons/lookup), or register a walk-in "
        "(POST /api/identity/v1/persons/walk-ins) first.",
        field="applicant.id",
    )


def identity_throttled(wait: str) -> IdentityThrottled:
    """identity-svc throttles the staff member's contact reads for `wait` seconds."""
    return IdentityThrottled(
        f"您查询申请人联系方式过于频繁，统一身份认证服务暂停受理，请于 {wait} 秒后再试。",
        en=f"identity-svc limits how often a staff member reads contact details; retry in {wait} s.",
        headers={"Retry-After": wait},
    )


def contact_refused(status: int, detail: str) -> ApplicantUnverified:
    """identity-svc refused the applicant's contact details."""
    return ApplicantUnverified(
        f"统一身份认证服务拒绝提供申请人的联系方式（{status}）：{detail}",
        en=f"identity-svc refused the applicant's contact details ({status}): {detail}",
    )


def grant_check_unanswered() -> IdentityUnavailable:
    """identity-svc did not answer the grant check."""
    return IdentityUnavailable(
        "统一身份认证服务暂时没有响应，无法核验法人授权，请稍后再试。",
        en="identity-svc did not answer the grant check (法人授权核验); try again shortly.",
    )


def grant_check_failed(status: int) -> IdentityUnavailable:
    """identity-svc failed the grant check."""
    return IdentityUnavailable(
        f"统一身份认证服务核验法人授权时出错（{status}），请稍后再试。",
        en=f"identity-svc failed the grant check ({status}); try again shortly.",
    )


def grant_check_refused(status: int, detail: str) -> GrantMissing:
    """identity-svc refused to run the grant check."""
    return GrantMissing(
        f"统一身份认证服务拒绝了法人授权核验（{status}）：{detail}",
        en=f"The grant check was refused by identity-svc ({status}): {detail}",
    )


#: identity-svc's refusal reasons in Chinese with what to do about them — read by the agent online
#: and by a window clerk alike, so they name the 经办人 rather than say 您.
REFUSALS_ZH = {
    "out_of_scope": "现有授权不包括该事项，请法定代表人扩大授权范围后再申请。",
    "grant_pending": "授权尚待经办人确认，请经办人在统一身份认证中确认授权后再申请。",
    "grant_not_yet_valid": "授权尚未到生效日期，请在生效后再申请。",
    "grant_expired": "授权已过期，请法定代表人重新授权后再申请。",
    "grant_revoked": "授权已被撤销，请法定代表人重新授权后再申请。",
    "no_grant": "尚未获得授权，请先由法定代表人授权、经办人确认后再申请。",
}


def grant_missing(person_id: str, enterprise_id: str, item_code: str, reason: Any) -> GrantMissing:
    """The agent holds no valid grant for the enterprise and item; `reason` is identity-svc's."""
    return GrantMissing(
        # Ids mean nothing to the person reading this: the case form names them already.
        "经办人没有代表该企业办理本事项的有效授权："
        + REFUSALS_ZH.get(str(reason), "请先由法定代表人授权，并由经办人确认后再申请。"),
        en=f"Person {person_id} holds no valid grant to act for enterprise {enterprise_id} on "
        f"item {item_code} ({reason}); the legal representative must grant it "
        "first (法人授权).",
        reason=reason,
    )


# --- 一件事 (bundle applications) -------------------------------------------------------------------


def bundle_not_found(code: str) -> UnprocessableEntity:
    """No published bundle with that code."""
    return BundleNotFound(
        f"没有编码为“{code}”的“一件事”，请从“一件事”目录中选择（GET /api/catalog/v1/bundles）。",
        en=f"No published bundle with code {code!r}; pick one from GET /api/catalog/v1/bundles.",
        field="bundle_code",
    )


def bundle_application_not_found(bundle_application_id: str) -> NotFound:
    """No such bundle application (or not the caller's to see)."""
    return BundleApplicationNotFound(
        f"未找到“一件事”申请 {bundle_application_id}，请核对编号；如是他人的申请，您无权查看。",
        en=f"No bundle application {bundle_application_id}.",
    )


def material_not_in_bundle(name: str, bundle_name: str) -> UnprocessableEntity:
    """A material no item of the bundle asks for."""
    return MaterialNotInBundle(
        f"“{bundle_name}”的各事项都不需要材料“{name}”，请核对材料名称"
        "（以 GET /api/catalog/v1/bundles/{{code}} 合并后的材料清单为准）。",
        en=f"No item of bundle {bundle_name} asks for material {name!r}.",
        field="materials",
    )


def bundle_step_only(action: str, bundle_application_id: str) -> Conflict:
    """The step belongs to the bundle application."""
    doing = ACTION_NAMES.get(action, action)
    return BundleStepOnly(
        f"该申请是“一件事”的一部分，{doing}须对整件“一件事”统一办理"
        f"（/v1/bundle-applications/{bundle_application_id}）。",
        en=f"This case is part of a bundle application: {action} is taken on the bundle "
        f"(/v1/bundle-applications/{bundle_application_id}).",
        bundle_application_id=bundle_application_id,
    )


def bundle_not_ready(zh: str, en: str) -> Conflict:
    """The bundle application cannot take the step yet."""
    return BundleNotReady(zh, en=en)


# --- 告知承诺 (approval on commitment) --------------------------------------------------------------


def commitment_not_offered(item_name: str) -> UnprocessableEntity:
    """The item has no commitment to sign."""
    return CommitmentNotOffered(
        f"事项“{item_name}”未实行告知承诺制，请按办事指南提交全部申请材料（不要填写 commitment）。",
        en=f"Item {item_name} does not offer approval on commitment; hand in every material instead.",
        field="commitment",
    )


def commitment_barred(application_no: str, item_name: str) -> UnprocessableEntity:
    """A false commitment on record bars the applicant from applying on commitment."""
    return CommitmentBarred(
        f"申请人曾在“{item_name}”（申请号{application_no}）中作出不实承诺，已记入信用记录，"
        "不再适用告知承诺制；请按办事指南提交全部申请材料。",
        en=f"The applicant made a false commitment before (application {application_no}); hand in "
        "every material instead.",
        field="commitment",
    )


def post_check_not_found(check_id: str) -> NotFound:
    """No such post-check (or not the caller's to see)."""
    return PostCheckNotFound(
        f"未找到核查任务 {check_id}，或该任务不属于您所在单位。", en=f"No post-check {check_id}."
    )


def post_check_done(status: str) -> Conflict:
    """The post-check was recorded already."""
    done = {"passed": "核查属实", "failed": "承诺不实，决定已撤销"}.get(status, status)
    return PostCheckDone(
        f"该核查任务已办结（{done}），不能重复核查。", en=f"The post-check is {status} already."
    )


# --- fees and posted results ------------------------------------------------------------------------


def fee_outstanding(amount_fen: int, payment_code: str | None) -> Conflict:
    """The result waits for payment."""
    code = f"，缴款码 {payment_code}" if payment_code else "（缴款码生成后将短信告知申请人）"
    return FeeOutstanding(
        f"该事项须先缴费后出件：尚有费用 {amount_fen // 100}.{amount_fen % 100:02d} 元未缴纳{code}。"
        "请申请人缴费后再送达办理结果。",
        en=f"The result is delivered once the fee ({amount_fen} fen) is paid; it is not yet.",
    )


def fee_not_found(fee_id: str) -> NotFound:
    """No such fee."""
    return FeeNotFound(f"未找到缴费记录 {fee_id}，请核对编号。", en=f"No fee {fee_id}.")


def provider_not_configured(what_zh: str, what_en: str) -> Conflict:
    """The provider is not configured."""
    return ProviderNotConfigured(
        f"本系统尚未接入{what_zh}，暂不能办理，请联系系统管理员配置后重试。",
        en=f"No {what_en} is configured for this deployment.",
    )


def provider_failed(what_zh: str, what_en: str, error: str) -> ServiceUnavailable:
    """The provider did not take the call."""
    return ProviderFailed(
        f"{what_zh}暂时无法办理（{error}），请稍后重试。", en=f"The {what_en} did not take the call: {error}."
    )


def callback_not_configured(what_zh: str, what_en: str) -> NotFound:
    """No provider of this kind calls back here."""
    return CallbackNotConfigured(
        f"本系统未接入{what_zh}，此地址不接收回调。",
        en=f"No {what_en} is configured here; nothing calls back to this address.",
    )


def callback_refused(reason: str) -> ProblemError:
    """A callback that must not be believed."""
    return CallbackRefused("回调签名、时间或随机串校验未通过，已拒绝。", en=f"Callback refused: {reason}.")


def refund_not_allowed(zh: str, en: str) -> Conflict:
    """The refund cannot be made."""
    return RefundNotAllowed(zh, en=en)


def refund_not_yet_recorded(refund_no: str) -> Conflict:
    """A report of our refund that came before its request was recorded: the provider retries."""
    return RefundNotYetRecorded(
        f"退款 {refund_no} 的申请尚未记录完成，请稍后重试通知。",
        en=f"Refund {refund_no} is not recorded yet; retry the notification.",
    )


def waybill_not_found(waybill_no: str) -> UnprocessableEntity:
    """No such waybill for the case."""
    return WaybillNotFound(
        f"该申请没有运单号为 {waybill_no} 的邮寄记录，请先为该申请生成运单。",
        en=f"No waybill {waybill_no} for this case; create one first.",
        field="tracking_no",
    )


# --- the electronic licence library (电子证照库) ------------------------------------------------------


def licence_library_unavailable(status: int | None = None) -> LicenceLibraryUnavailable:
    """licence-svc did not answer (or failed with `status`) while fetching a case's licences."""
    code = f"（{status}）" if status else ""
    return LicenceLibraryUnavailable(
        f"电子证照库暂时无法调取证照{code}，请稍后再试，或请申请人出示证照原件。",
        en="The licence library could not be reached"
        + (f" ({status})" if status else "")
        + "; try again shortly.",
    )


def licence_fetch_not_now(status: str) -> LicenceFetchNotNow:
    """Fetching materials for a case whose acceptance is already decided."""
    return LicenceFetchNotNow(
        f"办件当前状态为“{STATUS_NAMES.get(status, status)}”，"
        "只有受理前（待受理、待补正）才能从电子证照库调取材料。",
        en=f"The case is {status}: materials are fetched from the library only before acceptance.",
    )


def reconciliation_too_early(day: date) -> ReconciliationTooEarly:
    """A day is reconciled once it is over."""
    return ReconciliationTooEarly(
        f"{day.isoformat()} 尚未结束，只能对已结束的日期对账（今天之前）。",
        en=f"{day.isoformat()} is not over: only days before today are reconciled.",
        field="day",
    )


# --- 免申即享 (proactive service) offers ------------------------------------------------------------


class OfferNotFound(NotFound):
    """No such offer, or not one the caller may see."""

    code = "intake.offer_not_found"


class OfferNotOffered(Conflict):
    """The offer was confirmed, declined or lapsed already: nothing more can be done with it."""

    code = "intake.offer_not_offered"


class OfferPersonOnly(Forbidden):
    """Only the person an offer is made to confirms or declines it."""

    code = "intake.offer_person_only"


class OfferDeliveryInvalid(UnprocessableEntity):
    """The delivery chosen is not one the item offers, or a posted result lacks where it goes."""

    code = "intake.offer_delivery_invalid"


def offer_not_found(offer_id: str) -> NotFound:
    """No such offer (or not the caller's to see)."""
    return OfferNotFound(
        f"未找到免申即享服务 {offer_id}；如是他人的服务，您无权查看。", en=f"No offer {offer_id}."
    )


def offer_not_offered(status: str, status_zh: str) -> Conflict:
    """The offer is no longer waiting for the person."""
    return OfferNotOffered(
        f"该免申即享服务当前状态为“{status_zh}”，不能再确认或放弃。如仍需办理，请通过网上办事大厅提出申请。",
        en=f"The offer is {status}: it can no longer be confirmed or declined. Apply online instead.",
        current_status=status,
        allowed_actions=[],
    )


def offer_person_only() -> Forbidden:
    """Staff (or someone acting for an enterprise) tried to answer a person's offer."""
    return OfferPersonOnly(
        "免申即享服务须由本人登录北京通或网上办事大厅确认或放弃，工作人员和企业经办人不能代为确认。",
        en="Only the person the offer is made to confirms or declines it, from their own login.",
    )


def offer_delivery_invalid(zh: str, en: str, field: str) -> UnprocessableEntity:
    """The delivery wish cannot be taken as it is."""
    return OfferDeliveryInvalid(zh, en=en, field=field)


def form_key_reserved(key: str) -> ValidationFailed:
    """A client's form may not carry a key only the system writes."""
    return ValidationFailed(
        f"申请表字段“{key}”由系统填写（免申即享），请删除该字段后重新提交。",
        en=f"The form field {key!r} is written by the system (免申即享 offers); remove it.",
        field=f"form.{key}",
    )


# --- declared errors: demand forecasts (需求预判) ---------------------------------------------------


class ForecastNoHistory(NotFound):
    """No demand recorded for that hall and item: nothing to forecast."""

    code = "intake.forecast_no_history"


class ForecastNotReady(Conflict):
    """The day's forecast of that hall and item is still being fitted."""

    code = "intake.forecast_not_ready"


def forecast_no_history(unit_code: str, item_code: str | None) -> NotFound:
    """Nothing recorded to forecast from."""
    what = f"事项 {item_code} 在" if item_code else ""
    return ForecastNoHistory(
        f"{what}{unit_code} 近期没有收件或取号记录，无法预测办件量，请核对单位编码和事项编码。",
        en=f"No demand recorded at {unit_code}" + (f" for item {item_code}" if item_code else "") + ".",
    )


def forecast_not_ready(unit_code: str) -> Conflict:
    """The pass has not fitted today's forecast yet."""
    return ForecastNotReady(
        f"{unit_code} 今日的办件量预测正在计算，请稍后再试（通常一两分钟）。",
        en=f"Today's demand forecast of {unit_code} is being fitted; try again in a minute or two.",
    )
