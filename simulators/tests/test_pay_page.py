"""The payer's pages (for `make run` demos): find a 缴款单 by its 缴款码, see it in Chinese, press 支付."""

from __future__ import annotations

import httpx

from .conftest import Signed


async def test_pay_by_payment_code_through_the_pages(http: httpx.AsyncClient, payment: str) -> None:
    order = (
        await Signed(http, payment).post(
            "/v1/orders",
            {
                "merchant_order_no": "F-page",
                "amount_fen": 12050,
                "subject": "不动产登记费<script>",
                "payer_name": "王芳",
                "notify_url": "http://127.0.0.1:9/notify",
            },
        )
    ).json()
    start = await http.get(payment + "/")
    assert "缴款码" in start.text and 'lang="zh-CN"' in start.text
    unknown = await http.get(payment + "/pay", params={"code": "0" * 20})
    assert unknown.status_code == 404 and "未找到该缴款单" in unknown.text
    spaced = " ".join(order["payment_code"][i : i + 4] for i in range(0, 20, 4))
    found = await http.get(payment + "/pay", params={"code": spaced})
    assert found.status_code == 303 and found.headers["location"] == f"/pay/{order['order_id']}"

    page = await http.get(order["pay_url"])
    assert page.status_code == 200
    code = order["payment_code"]
    grouped = " ".join(code[i : i + 4] for i in range(0, 20, 4))
    for text in ("缴款单", "王芳", "¥120.50", grouped, "待缴款", ">支付</button>", "微信支付"):
        assert text in page.text, text
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text, "escaped"

    paid = await http.post(order["pay_url"], data={"channel": "alipay"})
    assert paid.status_code == 303
    after = await http.get(order["pay_url"])
    assert "已缴款" in after.text and "支付宝" in after.text and ">支付</button>" not in after.text
    twice = await http.post(order["pay_url"], data={"channel": "alipay"})
    assert twice.status_code == 409 and "该缴款单已缴款" in twice.text
