"""The 开办餐饮店 一件事 of the tests: its three items at two departments, its submission at the window
and steps on it."""

from __future__ import annotations

from typing import Any

from intake_support import DISTRICT, Env, elements, material

from intake.services.bundles import record_bundle_published

SCJ, MZJ = f"{DISTRICT}-SCJGJ", f"{DISTRICT}-MZJ"
BUNDLE = "YJS000001"


def licence_item() -> dict[str, Any]:
    """个体工商户设立登记 at 市场监管 (its result: 营业执照)."""
    return elements(
        "个体工商户设立登记",
        SCJ,
        materials=[material("申请书"), material("居民身份证"), material("经营场所证明")],
        result={"name": "营业执照"},
    )


def food_item() -> dict[str, Any]:
    """食品经营许可 at 市场监管."""
    return elements(
        "食品经营许可",
        SCJ,
        materials=[material("申请书"), material("居民身份证"), material("食品安全管理制度")],
    )


def insurance_item() -> dict[str, Any]:
    """职工参保登记 at 民政 (its result: 参保登记凭证)."""
    return elements(
        "职工参保登记",
        MZJ,
        materials=[material("参保登记表"), material("居民身份证")],
        result={"name": "参保登记凭证"},
    )


async def publish_bundle(env: Env, stages: tuple[int, int, int] = (1, 2, 2)) -> None:
    """The three items and the 开办餐饮店 bundle in intake's read model (stages as given)."""
    await env.publish_item("SCJ-0101", licence_item())
    await env.publish_item("SCJ-0102", food_item())
    await env.publish_item("MZJ-0103", insurance_item())
    payload = {
        "bundle_code": BUNDLE,
        "name": "开办餐饮店 一件事",
        "description": None,
        "items": [
            {
                "item_code": "SCJ-0101",
                "item_name": "个体工商户设立登记",
                "owner_unit_code": SCJ,
                "stage": stages[0],
            },
            {
                "item_code": "SCJ-0102",
                "item_name": "食品经营许可",
                "owner_unit_code": SCJ,
                "stage": stages[1],
            },
            {
                "item_code": "MZJ-0103",
                "item_name": "职工参保登记",
                "owner_unit_code": MZJ,
                "stage": stages[2],
            },
        ],
        "published_at": "2026-09-01T00:00:00+00:00",
    }
    async with env.db.transaction() as session:
        await record_bundle_published(session, payload)
    async with env.db.transaction() as session:  # a redelivery changes nothing
        await record_bundle_published(session, payload)


def materials_of(*names: str) -> list[dict[str, Any]]:
    """Originals of the named materials, one each."""
    return [{"name": n, "media": ["original"], "originals": 1} for n in names]


ALL = ("申请书", "居民身份证", "经营场所证明", "食品安全管理制度", "参保登记表")


async def submit_bundle(env: Env, materials: tuple[str, ...] = ALL, expect: int = 201) -> dict[str, Any]:
    """The clerk submits the bundle for the test citizen at the window."""
    resp = await env.client.post(
        "/v1/bundle-applications",
        json={
            "bundle_code": BUNDLE,
            "applicant": {"id": env.citizen_id, "name": "张伟", "phone": "13810000001"},
            "form": {"applicant_name": "张伟", "shop_name": "张记小馆"},
            "materials": materials_of(*materials),
        },
        headers=env.clerk,
    )
    assert resp.status_code == expect, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def bundle_post(
    env: Env, bundle_id: str, action: str, headers: dict[str, str], body: Any = None, expect: int = 200
) -> dict[str, Any]:
    """A step on the bundle application, answered with `expect`."""
    resp = await env.client.post(
        f"/v1/bundle-applications/{bundle_id}/{action}", json=body or {}, headers=headers
    )
    assert resp.status_code == expect, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def ready_bundle(env: Env) -> dict[str, Any]:
    """A bundle application accepted, approved and completed by both departments: ready to deliver."""
    await publish_bundle(env, stages=(1, 1, 1))
    bundle = await submit_bundle(env)
    await bundle_post(env, bundle["id"], "accept", env.clerk)
    mz_approver = env.staff("approver", MZJ)
    for case, approver, result in zip(
        bundle["cases"],
        (env.approver, env.approver, mz_approver),
        ("营业执照", "食品经营许可证", "参保登记凭证"),
        strict=True,
    ):
        await env.post(case["application_id"], "approve", approver, {"reasons": "符合条件"})
        await env.post(case["application_id"], "complete", approver, {"result_name": result})
    ready = (await env.client.get(f"/v1/bundle-applications/{bundle['id']}", headers=env.clerk)).json()
    assert ready["status"] == "ready", ready
    return ready  # type: ignore[no-any-return]
