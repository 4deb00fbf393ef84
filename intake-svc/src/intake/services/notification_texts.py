"""The Chinese SMS texts (短信模板) for every notification kind."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import get_args

from yiwang_shared.validators import mask_resident_id

from ..schemas.notifications import NotificationKind

#: Sign-off prefixed to every text, as SMS gateways require a signature (短信签名).
SIGNATURE = "【政务服务】"

#: Every kind of message (短信类型); TEMPLATES has one text for each.
KINDS: tuple[str, ...] = get_args(NotificationKind)

#: kind → template. Placeholders name the params a caller must pass.
TEMPLATES: dict[str, str] = {
    "notice_issued": (
        "您申请的“{item_name}”（申请号{application_no}）材料尚需补正，共{missing_count}项，"
        "详见一次性告知书，请于{deadline}前补齐。"
    ),
    "accepted": (
        "您申请的“{item_name}”（申请号{application_no}）已受理，受理编号{acceptance_no}，"
        "承诺办结日期{promised_date}。"
    ),
    "acceptance_revoked": (
        "您申请的“{item_name}”（申请号{application_no}）因容缺材料未在期限内补齐，"
        "受理已撤销。原因：{reason}。"
    ),
    "special_procedure": (
        "您申请的“{item_name}”（申请号{application_no}）进入{procedure}程序，"
        "所需时间不计入办理时限，预计{expected_end}结束。"
    ),
    "refused": (
        "您申请的“{item_name}”（申请号{application_no}）经审查决定不予办理，理由详见{document}"
        "（{document_no}），可登录查看、打印，或到窗口领取。"
    ),
    "not_accepted": (
        "您申请的“{item_name}”（申请号{application_no}）经审查决定不予受理，理由详见{document}"
        "（{document_no}），可登录查看、打印，或到窗口领取。"
    ),
    "correction_expired": (
        "您申请的“{item_name}”（申请号{application_no}）未在{deadline}前补正材料，视为撤回申请，"
        "已终止办理（{document_no}）。如仍需办理，请重新提出申请。"
    ),
    "completed": (
        "您申请的“{item_name}”（申请号{application_no}）已办结，结果：{result_name}。{delivery_hint}"
    ),
    "delivered": ("您申请的“{item_name}”（申请号{application_no}）办理结果已通过{mode}送达，{detail}。"),
    "decision_revoked": (
        "您以告知承诺方式申请的“{item_name}”（申请号{application_no}）经核查承诺内容不实，"
        "原决定已撤销，详见撤销决定书（{document_no}），该情况已记入信用记录。"
    ),
    "payment_due": (
        "您申请的“{item_name}”（申请号{application_no}）需缴纳费用{amount}，缴款码{payment_code}，"
        "可通过微信、支付宝、银行等渠道凭缴款码缴费，缴费后领取办理结果。"
    ),
    "locker_pickup": (
        "您申请的“{item_name}”（申请号{application_no}）办理结果已存入{locker}，"
        "取件码{pickup_code}，请于{expires}前取件。"
    ),
    "appointment_booked": (
        "您已预约{date} {start}-{end}在{place_name}办理“{item_name}”，预约号{booking_no}。"
        "请携带身份证件按时到场。"
    ),
    "appointment_cancelled": (
        "您预约的{date} {start}在{place_name}办理“{item_name}”（预约号{booking_no}）已取消。"
    ),
    "appointment_reminder": (
        "温馨提示：您预约{date} {start}在{place_name}（{address}）办理“{item_name}”，"
        "预约号{booking_no}，请按时到场。"
    ),
    "offer_made": (
        "{reason}，可免申享受“{item_name}”，无需申请、无需提交材料。请于{expires}前登录北京通APP或"
        "网上办事大厅确认，并选择领取方式（服务编号{offer_no}）。"
    ),
}

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def required_params(kind: str) -> frozenset[str]:
    """The params the template of `kind` needs; ValueError for an unknown kind."""
    try:
        template = TEMPLATES[kind]
    except KeyError:
        known = ", ".join(sorted(TEMPLATES))
        # not user-facing: a kind is chosen by our code, never by a client
        raise ValueError(f"unknown notification kind {kind!r}; known kinds: {known}") from None
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


def render(kind: str, params: Mapping[str, str]) -> str:
    """The SMS text for `kind`; ValueError for an unknown kind or a missing/blank param."""
    needed = required_params(kind)
    missing = sorted(name for name in needed if not str(params.get(name, "")).strip())
    if missing:
        # not user-facing: the params come from our code, never from a client
        raise ValueError(f"notification {kind!r} is missing params: {', '.join(missing)}")
    text = TEMPLATES[kind].format(**{name: str(params[name]).strip() for name in needed})
    # A resident ID never leaves in an SMS, whatever a caller put in a param.
    text = _RESIDENT_ID.sub(lambda m: mask_resident_id(m.group(0)), text)
    return SIGNATURE + text
