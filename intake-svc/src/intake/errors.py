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
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang_shared.errors import Conflict, Forbidden, NotFound, ProblemError, UnprocessableEntity

from .states import ACTION_NAMES, STATUS_NAMES, ApplicationAction, allowed_actions

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
