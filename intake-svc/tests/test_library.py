"""两个免于提交: a material the licence library holds for the applicant is taken from it (the valid
licence of the material's type, or the one they name), never from a licence of another type, in
another state or with another number; what they brought anyway stays what the case has."""

from __future__ import annotations

from datetime import date

from intake.schemas import MaterialSubmit
from intake.services.completeness import ProvidedMaterial, check
from intake.services.library import library_materials, match, shown_number

CARD = {"name": "北京通—养老助残卡", "originals": 1, "media": ["original"], "licence_type_code": "BJTYLZCK"}
ID_CARD = {"name": "申请人居民身份证", "exempt": True, "licence_type_code": "JMSFZ"}
HUKOU_IF = {
    "name": "申请人居民户口簿",
    "requirement": "conditional",
    "condition": "户籍在本区的",
    "licence_type_code": "HKB",
}
FORM = {"name": "申请表", "originals": 1, "media": ["original"]}
MATERIALS = [FORM, ID_CARD, CARD, HUKOU_IF]

LICENCES = [
    {"type_code": "JMSFZ", "number": "110105194501100484", "status": "valid", "valid_until": "2035-06-01"},
    {"type_code": "BJTYLZCK", "number": "BJT-OLD", "status": "valid", "valid_until": "2027-01-01"},
    {"type_code": "BJTYLZCK", "number": "BJT-NEW", "status": "valid", "valid_until": None},
    {"type_code": "HKB", "number": "110105001-0020417", "status": "suspended", "valid_until": None},
]


def test_what_the_library_holds_is_fetched_and_the_longest_valid_licence_stands_for_it() -> None:
    held = match(MATERIALS, [], [MaterialSubmit(name="申请表", originals=1, media=["original"])], LICENCES)
    assert set(held) == {"申请人居民身份证", "北京通—养老助残卡"}
    assert held["北京通—养老助残卡"].number == "BJT-NEW" and held["北京通—养老助残卡"].valid_until is None
    assert held["申请人居民身份证"].valid_until == date(2035, 6, 1)
    assert held["申请人居民身份证"].type_code == "JMSFZ" and held["申请人居民身份证"].status == "valid"


def test_a_conditional_material_is_fetched_only_when_its_condition_applies_and_never_in_another_state() -> (
    None
):
    assert [m["name"] for m in library_materials(MATERIALS, [])] == ["申请人居民身份证", "北京通—养老助残卡"]
    # Declared, but the register is suspended: not taken from the library.
    assert "申请人居民户口簿" not in match(MATERIALS, ["申请人居民户口簿"], [], LICENCES)
    valid = [*LICENCES[:3], {**LICENCES[3], "status": "valid"}]
    assert match(MATERIALS, ["申请人居民户口簿"], [], valid)["申请人居民户口簿"].number == "110105001-0020417"


def test_a_claimed_licence_counts_only_with_its_own_number_and_what_was_brought_stays() -> None:
    claimed = MaterialSubmit(name="北京通—养老助残卡", provided_as="e_licence", licence_no="BJT-OLD")
    assert match(MATERIALS, [], [claimed], LICENCES)["北京通—养老助残卡"].number == "BJT-OLD"
    wrong = MaterialSubmit(name="北京通—养老助残卡", provided_as="e_licence", licence_no="BJT-SOMEONE-ELSES")
    assert "北京通—养老助残卡" not in match(MATERIALS, [], [wrong], LICENCES)
    paper = MaterialSubmit(name="北京通—养老助残卡", originals=1, media=["original"])
    assert "北京通—养老助残卡" not in match(MATERIALS, [], [paper], LICENCES)
    assert match(MATERIALS, [], [], []) == {}


def test_the_completeness_check_counts_a_confirmed_licence_and_asks_for_an_unconfirmed_one() -> None:
    form = ProvidedMaterial("申请表", "paper", ("original",), 1, 0)
    fetched = ProvidedMaterial(
        "北京通—养老助残卡", "e_licence", (), 0, 0, licence_no="BJT-NEW", licence_verified=True
    )
    assert check(MATERIALS, [], [form, fetched]) == []
    claim = ProvidedMaterial("北京通—养老助残卡", "e_licence", (), 0, 0, licence_no="BJT-X")
    [problem] = check(MATERIALS, [], [form, claim])
    assert problem.problem == "licence_unverified" and "电子证照库中未核验到" in problem.message
    [missing] = check(MATERIALS, [], [form])
    assert missing.problem == "missing" and missing.material == "北京通—养老助残卡"


def test_an_id_cards_number_is_shown_masked_other_numbers_as_they_are() -> None:
    assert shown_number("110105194501100484") == "110105********0484"
    assert shown_number("11010519450110048x") == "110105********048X"
    assert shown_number("110105001-0020417") == "110105001-0020417"  # a 户口簿's
    assert shown_number("BJT11010520100118") == "BJT11010520100118" and shown_number(None) is None
