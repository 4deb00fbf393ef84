"""The applicant's delivery wish (领取方式) travels in the form; the case shows it to whoever delivers,
so a clerk need not ask again for the address a citizen typed online."""

from __future__ import annotations

from intake_support import Env


async def test_the_wish_to_receive_by_post_is_shown_with_the_case(env: Env) -> None:
    wish = {
        "mode": "post",
        "address": " 北京市朝阳区吉祥里3号楼 ",
        "recipient": "张伟",
        "phone": "13810000001",
    }
    application = await env.submit(env.citizen, applicant=None, form={"delivery": wish})
    assert application["delivery_wish"] == {
        "mode": "post",
        "address": "北京市朝阳区吉祥里3号楼",
        "recipient": "张伟",
        "phone": "13810000001",
    }
    # The unit that delivers sees it whole; oversight sees the phone masked, like the applicant's.
    for_clerk = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.approver)).json()
    assert for_clerk["delivery_wish"]["phone"] == "13810000001"
    watched = (await env.client.get(f"/v1/applications/{application['id']}", headers=env.supervisor)).json()
    assert watched["delivery_wish"]["phone"] == "138****0001"
    assert watched["delivery_wish"]["address"] == "北京市朝阳区吉祥里3号楼"


async def test_no_wish_or_one_that_is_not_a_wish_is_null(env: Env) -> None:
    plain = await env.submit()
    assert plain["delivery_wish"] is None
    window = await env.submit(form={"delivery": {"mode": "window"}})
    assert window["delivery_wish"] == {"mode": "window", "address": None, "recipient": None, "phone": None}
    for form in ({"delivery": "邮寄"}, {"delivery": {"mode": "drone"}}, {"delivery": {"address": "x"}}):
        application = await env.submit(form=form)
        assert application["delivery_wish"] is None, form
