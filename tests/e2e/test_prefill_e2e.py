"""表单预填 and 材料复用 through the gateway (issue 20 §2), real processes and the demo data: 赵秀兰's
form for 高龄老年人津贴 comes filled in from her identity account and her 户口簿 in the licence
library, with the materials the library holds for her; staff are refused; an upload of bytes she
stored before is that file again."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from helpers import DEMO_PASSWORD, assert_problem, bearer, login

IN = "/api/intake/v1"
ZHAO = "13810000004"  # 赵秀兰: 户口簿 110105001-0020417, 北京通养老助残卡 BJT11010520100118


async def token(gw: httpx.AsyncClient, username: str) -> dict[str, str]:
    """A fresh bearer header (e2e access tokens live a few seconds)."""
    return bearer((await login(gw, username, DEMO_PASSWORD))["access_token"])


async def _item_code(gw: httpx.AsyncClient, name: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        items = (await gw.get(f"{IN}/catalog-items", params={"limit": 200})).json()["items"]
        found = [i["code"] for i in items if i["name"] == name]
        if found:
            return str(found[0])
        assert time.monotonic() < deadline, f"{name} never reached intake-svc"
        await asyncio.sleep(0.5)


async def test_a_resident_s_form_is_prefilled_from_her_account_and_her_licences(
    gw: httpx.AsyncClient,
) -> None:
    code = await _item_code(gw, "高龄老年人津贴")
    resp = await gw.get(f"{IN}/catalog-items/{code}/prefill", headers=await token(gw, ZHAO))
    assert resp.status_code == 200, resp.text
    form: dict[str, Any] = resp.json()
    assert form["licences_checked"] is True
    assert form["values"]["applicant_name"] == "赵秀兰" and form["values"]["applicant_phone"] == ZHAO
    assert form["values"]["applicant_id_number"].startswith("11010519450110")
    assert form["values"]["applicant_address"] == "北京市朝阳区朝外街道吉祥里3号楼1单元102"
    assert form["sources"]["applicant_address"]["licence_no"] == "110105001-0020417"
    assert form["sources"]["applicant_name"] == {
        "kind": "profile",
        "licence_type_code": None,
        "licence_no": None,
        "licence_name": None,
    }
    held = {(h["material"], h["licence_type_code"], h["licence_no"]) for h in form["held_materials"]}
    assert ("北京通—养老助残卡", "BJTYLZCK", "BJT11010520100118") in held, held

    staff = await gw.get(f"{IN}/catalog-items/{code}/prefill", headers=await token(gw, "approver"))
    assert_problem(staff, 403, "intake.applicant_not_self")
    assert_problem(await gw.get(f"{IN}/catalog-items/{code}/prefill"), 401)


async def test_the_same_upload_twice_is_one_file(gw: httpx.AsyncClient) -> None:
    pdf = b"%PDF-1.4\n% e2e reuse " + str(time.time_ns()).encode() + b"\n%%EOF\n"
    files = {"file": ("申请表.pdf", pdf, "application/pdf")}
    first = await gw.post(f"{IN}/files", files=files, headers=await token(gw, ZHAO))
    assert first.status_code == 201 and first.json()["reused"] is False, first.text
    again = await gw.post(f"{IN}/files", files=files, headers=await token(gw, ZHAO))
    assert again.status_code == 200 and again.json()["reused"] is True, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["content-location"] == f"{IN}/files/{first.json()['id']}"
    theirs = await gw.post(f"{IN}/files", files=files, headers=await token(gw, "13810000003"))
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
