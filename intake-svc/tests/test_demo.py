"""The demo loader: entrustment agreements and service places, idempotent; a street centre
then accepts an item of 区民政局 under one."""

from __future__ import annotations

from intake_support import DISTRICT, Env, elements, material

from intake.demo import AGREEMENTS, PLACES, load_demo


async def test_demo_is_idempotent_and_agreements_work(env: Env, database_url: str) -> None:
    created, places, history = await load_demo(database_url)
    assert (created, places) == (len(AGREEMENTS), len(PLACES))
    assert history > 600  # a year of the demo halls' open days
    assert await load_demo(database_url) == (0, 0, 0)
    listed = await env.client.get("/v1/places")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    names = {p["name"] for p in body["items"]}
    assert names == {p["name"] for p in PLACES}
    await env.publish_item(
        "MZJ-0009", elements("居家养老服务补贴申请", f"{DISTRICT}-MZJ", materials=[material("申请表")])
    )
    street = env.staff("window_clerk", f"{DISTRICT}001-FWZX")
    application = await env.submit(
        street, item_code="MZJ-0009", materials=[{"name": "申请表", "media": ["original"], "originals": 1}]
    )
    application = await env.post(application["id"], "accept", street)
    assert application["entrustment_id"] is not None
    # Not for the market regulator's items: no agreement with it.
    other = await env.submit(street)
    resp = await env.client.post(f"/v1/applications/{other['id']}/accept", headers=street)
    assert resp.status_code == 403


async def test_the_demo_hall_calls_at_the_demo_clerks_window(env: Env, database_url: str) -> None:
    """The demo clerk (identity's `clerk`, unit 综合受理窗口1) calls at window 1 of the district hall."""
    await load_demo(database_url)
    places = (await env.client.get("/v1/places")).json()["items"]
    hall = next(p for p in places if p["code"] == f"{DISTRICT}-ZWFW-HALL")
    config = (await env.client.get(f"/v1/places/{hall['id']}/queue", headers=env.supervisor)).json()
    assert config["configured"] and config["wait_limit_minutes"] == 20
    first = config["windows"][0]
    assert (first["number"], first["unit_code"]) == ("1", f"{DISTRICT}-ZWFW-W01")
    taken = await env.client.post(f"/v1/places/{hall['id']}/queue/tickets", json={"category_code": "A"})
    assert taken.status_code == 201 and taken.json()["ticket_no"] == "A001", taken.text
    called = await env.client.post("/v1/queue/window/call-next", headers=env.clerk)
    assert called.status_code == 200 and called.json()["window_name"] == "综合受理窗口1", called.text
