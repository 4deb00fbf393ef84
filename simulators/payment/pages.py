"""The payer's pages, in Chinese: find a 缴款单 by its 缴款码, see it, pay it (for `make run` demos)."""

from __future__ import annotations

from html import escape
from typing import Any

from ..common.store import parse_iso
from .orders import CHINA

STATUS_WORDS = {
    "unpaid": "待缴款",
    "paid": "已缴款",
    "refunded": "已退款",
    "closed": "已关闭",
    "expired": "已过期",
}
CHANNELS = {"wechat": "微信支付", "alipay": "支付宝", "unionpay": "银联云闪付", "bank": "网上银行"}

_STYLE = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f8;color:#222}
main{max-width:28rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.5rem;
box-shadow:0 1px 4px #0002}
h1{font-size:1.25rem;margin:0 0 1rem}dl{display:grid;grid-template-columns:6rem 1fr;gap:.5rem;margin:0 0 1rem}
dt{color:#666}dd{margin:0}.amount{font-size:1.5rem;color:#c00}.note{color:#666;font-size:.875rem}
button{font-size:1.1rem;padding:.6rem 2rem;background:#1677ff;color:#fff;border:0;border-radius:6px}
select,input{font-size:1rem;padding:.4rem}.done{color:#090;font-weight:bold}.error{color:#c00}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}<p class='note'>本页由支付平台模拟器提供，仅用于演示和测试，不发生真实扣款。</p>"
        "</main></body></html>"
    )


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals (¥12.50)."""
    return f"¥{fen // 100}.{fen % 100:02d}"


def _local(value: str | None) -> str:
    return parse_iso(value).astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if value else "—"


def lookup_page(error: str = "") -> str:
    """The start page: enter a 缴款码."""
    message = f"<p class='error'>{escape(error)}</p>" if error else ""
    return _page(
        "统一公共支付平台（模拟）",
        "<h1>统一公共支付平台（模拟）</h1>"
        f"{message}<form method='get' action='/pay'>"
        "<p><label>缴款码 <input name='code' inputmode='numeric' maxlength='20' required></label></p>"
        "<p><button type='submit'>查询</button></p></form>",
    )


def order_page(order: dict[str, Any], error: str = "") -> str:
    """One 缴款单, with the 支付 button while it is unpaid."""
    status = order["status"]
    rows = [
        ("缴款项目", escape(order["subject"])),
        ("缴款人", escape(order["payer_name"])),
        ("应缴金额", f"<span class='amount'>{yuan(order['amount_fen'])}</span>"),
        # Grouped in fours, as printed on a 缴款通知书, so a payer can read it out and type it.
        (
            "缴款码",
            " ".join(order["payment_code"][i : i + 4] for i in range(0, len(order["payment_code"]), 4)),
        ),
        (
            "状态",
            f"<span class='{'done' if status == 'paid' else ''}'>{STATUS_WORDS.get(status, status)}</span>",
        ),
        ("缴款期限", _local(order["expire_at"])),
    ]
    if order["paid_at"]:
        rows.append(("缴款时间", _local(order["paid_at"])))
        rows.append(("支付方式", CHANNELS.get(order["channel"] or "", "—")))
    if order["refunded_fen"]:
        rows.append(("已退款", yuan(order["refunded_fen"])))
    details = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    message = f"<p class='error'>{escape(error)}</p>" if error else ""
    action = ""
    if status == "unpaid":
        options = "".join(f"<option value='{k}'>{v}</option>" for k, v in CHANNELS.items())
        action = (
            f"<form method='post' action='/pay/{escape(order['order_id'])}'>"
            f"<p><label>支付方式 <select name='channel'>{options}</select></label></p>"
            "<p><button type='submit'>支付</button></p></form>"
        )
    elif status == "paid":
        action = "<p class='done'>缴款成功，缴款结果将通知收款单位。</p>"
    return _page("缴款单", f"<h1>缴款单</h1>{message}<dl>{details}</dl>{action}")
