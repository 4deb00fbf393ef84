"""表单预填 (issue 20 §2): an item's form filled in for the signed-in applicant from their identity
account and licences, with each value's source; the materials the licence library holds for them;
the files they may hand in again. Only the caller's own data: staff are refused, anonymous 401."""

from __future__ import annotations

from typing import Any

from intake_support import Env, elements, material

from intake.services.prefill import held_materials, prefill
from yiwang_shared.auth import ActingFor, Principal

PDF = b"%PDF-1.7\n" + b"p" * 500

HKB = {
    "type_code": "HKB",
    "type_name": "居民户口簿",
    "number": "110105001-0012031",
    "status": "valid",
    "valid_until": None,
    "data": {"住址": "北京市朝阳区朝外街道吉祥里1号楼2单元301"},
}
ID_CARD = {
    "type_code": "JMSFZ",
    "number": "110105198503120311",
    "status": "valid",
    "valid_until": "2041-03-15",
    "data": {"住址": "北京市朝阳区某处（身份证）"},
}
YYZZ = {
    "type_code": "YYZZ",
    "type_name": "营业执照",
    "number": "91110105MA01C7Q8X1",
    "holder_name": "北京朝阳示例科技有限公司",
    "status": "valid",
    "valid_until": None,
    "data": {
        "名称": "北京朝阳示例科技有限公司",
        "法定代表人": "张伟",
        "住所": "北京市朝阳区建国路88号9层901",
    },
}
ACCOUNT = {"name": "张伟", "resident_id": "110105198503120311", "phone": "13810000001"}


def _with_licence(name: str, type_code: str) -> dict[str, Any]:
    return material(name) | {"licence_type_code": type_code}


def test_a_person_s_form_takes_the_account_and_the_household_register_s_address() -> None:
    person = Principal(subject="p1", kind="person")
    form = prefill(person, ACCOUNT, [ID_CARD, HKB], [material("申请书")])
    assert [k for k, _ in form.fields] == [
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_address",
    ]
    assert form.values == {
        "applicant_name": "张伟",
        "applicant_id_number": "110105198503120311",
        "applicant_phone": "13810000001",
        "applicant_address": "北京市朝阳区朝外街道吉祥里1号楼2单元301",
    }
    assert form.sources["applicant_name"].kind == "profile"
    address = form.sources["applicant_address"]
    assert (address.kind, address.licence_type_code, address.licence_no) == ("licence", "HKB", HKB["number"])
    # Without the 户口簿 the ID card's address; without the library, none (not a guess).
    assert prefill(person, ACCOUNT, [ID_CARD], []).values["applicant_address"] == "北京市朝阳区某处（身份证）"
    assert "applicant_address" not in prefill(person, ACCOUNT, None, []).values


def test_an_agent_s_form_is_the_enterprise_s_from_its_business_licence() -> None:
    agent = Principal(subject="p1", kind="person", acting_for=ActingFor("e1", YYZZ["number"], "g1", ("*",)))
    form = prefill(agent, ACCOUNT, [YYZZ], [])
    assert form.values == {
        "org_uscc": YYZZ["number"],
        "contact_name": "张伟",
        "contact_phone": "13810000001",
        "org_name": "北京朝阳示例科技有限公司",
        "legal_representative": "张伟",
        "org_address": "北京市朝阳区建国路88号9层901",
    }
    assert (
        form.sources["org_uscc"].kind == "profile" and form.sources["org_name"].licence_no == YYZZ["number"]
    )


def test_held_materials_are_the_item_s_materials_a_valid_licence_stands_for() -> None:
    materials = [_with_licence("居民户口簿", "HKB"), _with_licence("营业执照", "YYZZ"), material("申请书")]
    revoked = HKB | {"number": "old", "status": "revoked"}
    held = held_materials(materials, [revoked, HKB])
    assert [(h.material, h.licence_type_code, h.licence_no) for h in held] == [
        ("居民户口簿", "HKB", HKB["number"])
    ]
    assert held_materials(materials, [revoked]) == []
    # Several of a type: the one valid longest (长期 outlasts any date).
    dated = HKB | {"number": "dated", "valid_until": "2030-01-01"}
    assert held_materials(materials, [dated, HKB])[0].licence_no == HKB["number"]


async def test_the_signed_in_citizen_s_form_comes_prefilled_with_their_reusable_files(env: Env) -> None:
    env.app.state.settings.licence_url = ""  # no licence library here: said, not guessed
    await env.publish_item(
        "SCJ-0009", elements("网上申请事项", materials=[material("申请书", media=("electronic",))])
    )
    up = await env.client.post(
        "/v1/files", files={"file": ("申请书.pdf", PDF, "application/pdf")}, headers=env.citizen
    )
    await env.submit(
        env.citizen,
        item_code="SCJ-0009",
        applicant={"name": "张伟"},
        materials=[{"name": "申请书", "provided_as": "upload", "file_id": up.json()["id"]}],
    )
    me = env.directory.http.get("/v1/me", params={"unmask": "true"}, headers=env.citizen).json()["account"]

    resp = await env.client.get("/v1/catalog-items/SCJ-0009/prefill", headers=env.citizen)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["values"] == {
        "applicant_name": "张伟",
        "applicant_id_number": me["resident_id"],
        "applicant_phone": "13810000001",
    }
    assert {s["kind"] for s in body["sources"].values()} == {"profile"}
    assert body["licences_checked"] is False and body["held_materials"] == []
    assert [(f["material"], f["file_id"]) for f in body["reusable_files"]] == [("申请书", up.json()["id"])]
    assert body["fields"][0] == {"key": "applicant_name", "label": "申请人姓名"}

    # Another person's form is theirs: their name, none of the first person's files.
    _, other = env.person("李娜")
    theirs = (await env.client.get("/v1/catalog-items/SCJ-0009/prefill", headers=other)).json()
    assert theirs["values"]["applicant_name"] == "李娜" and theirs["reusable_files"] == []


async def test_only_the_applicant_prefills_their_own_form(env: Env) -> None:
    staff = await env.client.get("/v1/catalog-items/SCJ-0001/prefill", headers=env.clerk)
    assert staff.status_code == 403 and staff.json()["code"] == "intake.applicant_not_self", staff.text
    admin = await env.client.get("/v1/catalog-items/SCJ-0001/prefill", headers=env.admin)
    assert admin.status_code == 403
    assert (await env.client.get("/v1/catalog-items/SCJ-0001/prefill")).status_code == 401
    missing = await env.client.get("/v1/catalog-items/NOPE-1/prefill", headers=env.citizen)
    assert missing.status_code == 404 and missing.json()["code"] == "intake.catalog_item_not_found"
