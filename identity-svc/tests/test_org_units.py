"""Organisation units: create, list, tree, get by id or code, update; admin only for changes."""

from __future__ import annotations

import httpx
from support import Actor, create_staff, district_id, new_uscc, problem


async def _create(client: httpx.AsyncClient, admin: Actor, **body: object) -> dict[str, object]:
    resp = await client.post("/v1/org-units", headers=admin.headers, json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def test_tree_levels_and_lookups(client: httpx.AsyncClient, admin: Actor) -> None:
    district = await district_id(client)
    street = await _create(
        client, admin, code="110105001", name="朝外街道", kind="street", parent_id=district
    )
    assert street["level"] == 5
    community = await _create(
        client, admin, code="110105001001", name="吉祥里社区", kind="community", parent_id=street["id"]
    )
    assert community["level"] == 6
    station = await _create(
        client,
        admin,
        code="110105001001-FWZ",
        name="吉祥里社区服务站",
        kind="station",
        parent_id=community["id"],
    )
    assert station["level"] == 6
    uscc = new_uscc()
    dept = await _create(
        client, admin, code="110105-MZJ", name="区民政局", kind="department", parent_id=district, uscc=uscc
    )
    assert dept["level"] == 4 and dept["uscc"] == uscc

    by_code = (await client.get("/v1/org-units/110105001")).json()
    by_id = (await client.get(f"/v1/org-units/{street['id']}")).json()
    assert by_code == by_id
    problem(await client.get("/v1/org-units/nope"), 404, "identity.org_unit_not_found")

    flat = (await client.get("/v1/org-units")).json()
    assert flat["total"] == 5 and flat["limit"] == 50 and flat["offset"] == 0
    assert [u["code"] for u in flat["items"]] == [
        "110105",
        "110105-MZJ",
        "110105001",
        "110105001001",
        "110105001001-FWZ",
    ]
    streets = (await client.get("/v1/org-units?kind=street")).json()["items"]
    assert [u["code"] for u in streets] == ["110105001"]
    children = (await client.get(f"/v1/org-units?parent_id={district}")).json()["items"]
    assert {u["code"] for u in children} == {"110105-MZJ", "110105001"}

    tree = (await client.get("/v1/org-units/tree")).json()["roots"]
    assert len(tree) == 1 and tree[0]["code"] == "110105"
    street_node = next(c for c in tree[0]["children"] if c["code"] == "110105001")
    assert street_node["children"][0]["children"][0]["code"] == "110105001001-FWZ"
    sub = (await client.get(f"/v1/org-units/tree?root_id={street['id']}")).json()["roots"]
    assert [n["code"] for n in sub] == ["110105001"]
    problem(await client.get("/v1/org-units/tree?root_id=nope"), 404, "identity.org_unit_not_found")


async def test_structure_rules(client: httpx.AsyncClient, admin: Actor) -> None:
    district = await district_id(client)
    problem(
        await client.post(
            "/v1/org-units",
            headers=admin.headers,
            json={"code": "C1", "name": "社区", "kind": "community", "parent_id": district},
        ),
        422,
        "identity.org_unit_parent_kind",
    )
    problem(
        await client.post(
            "/v1/org-units",
            headers=admin.headers,
            json={"code": "S1", "name": "街道", "kind": "street", "parent_id": district, "level": 6},
        ),
        422,
        "identity.org_unit_level",
    )
    problem(
        await client.post(
            "/v1/org-units",
            headers=admin.headers,
            json={"code": "110105", "name": "重复", "kind": "district"},
        ),
        409,
        "identity.org_unit_code_taken",
    )
    bad_uscc = await client.post(
        "/v1/org-units",
        headers=admin.headers,
        json={
            "code": "D9",
            "name": "局",
            "kind": "department",
            "parent_id": district,
            "uscc": "91110105MA01C7Q830",
        },
    )
    assert problem(bad_uscc, 422)["errors"][0]["field"] == "body.uscc"


async def test_update_and_move(client: httpx.AsyncClient, admin: Actor) -> None:
    district = await district_id(client)
    s1 = await _create(client, admin, code="S-1", name="街道一", kind="street", parent_id=district)
    s2 = await _create(client, admin, code="S-2", name="街道二", kind="street", parent_id=district)
    centre = await _create(
        client, admin, code="S-1-FWZX", name="中心", kind="service_centre", parent_id=s1["id"]
    )
    renamed = await client.patch(
        f"/v1/org-units/{s1['id']}", headers=admin.headers, json={"name": "朝外街道"}
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "朝外街道"
    moved = await client.patch(
        f"/v1/org-units/{centre['id']}", headers=admin.headers, json={"parent_id": s2["id"]}
    )
    assert moved.json()["parent_id"] == s2["id"] and moved.json()["level"] == 5
    # A street cannot move under its own service centre (wrong kind, and a cycle).
    problem(
        await client.patch(
            f"/v1/org-units/{s2['id']}", headers=admin.headers, json={"parent_id": centre["id"]}
        ),
        422,
    )
    # A centre moved from a street (level 5) to the district (level 4) would relevel its children.
    await _create(client, admin, code="S-2-W1", name="窗口", kind="window", parent_id=centre["id"])
    problem(
        await client.patch(
            f"/v1/org-units/{centre['id']}", headers=admin.headers, json={"parent_id": district}
        ),
        422,
        "identity.org_unit_level",
    )


async def test_department_cycle_refused(client: httpx.AsyncClient, admin: Actor) -> None:
    district = await district_id(client)
    a = await _create(client, admin, code="D-A", name="局A", kind="department", parent_id=district)
    b = await _create(client, admin, code="D-B", name="科B", kind="department", parent_id=a["id"])
    problem(
        await client.patch(f"/v1/org-units/{a['id']}", headers=admin.headers, json={"parent_id": b["id"]}),
        422,
        "identity.org_unit_cycle",
    )


async def test_a_unit_is_changed_by_code_as_it_is_read_by_code(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    district = await district_id(client)
    await _create(client, admin, code="D-C", name="局C", kind="department", parent_id=district)
    changed = await client.patch("/v1/org-units/D-C", headers=admin.headers, json={"name": "局C（更名）"})
    assert changed.status_code == 200, changed.text
    assert (await client.get("/v1/org-units/D-C")).json()["name"] == "局C（更名）"
    problem(await client.patch("/v1/org-units/NO-SUCH", headers=admin.headers, json={"name": "x"}), 404)


async def test_only_admins_change_units(client: httpx.AsyncClient, admin: Actor) -> None:
    editor = await create_staff(client, admin, "editor1", ["catalog_editor"])
    body = {"code": "X1", "name": "x", "kind": "department", "parent_id": await district_id(client)}
    problem(await client.post("/v1/org-units", headers=editor.headers, json=body), 403, "auth.role_required")
    problem(await client.post("/v1/org-units", json=body), 401)
    problem(
        await client.patch(
            f"/v1/org-units/{await district_id(client)}", headers=editor.headers, json={"name": "y"}
        ),
        403,
    )
