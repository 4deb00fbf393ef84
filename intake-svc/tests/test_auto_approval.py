"""秒批 rules over verified data: age in full years from the resident ID, household registration
from the 户口簿's number, a valid licence by type; every rule checked and said in Chinese."""

from __future__ import annotations

from datetime import date

from intake.services.auto_approval import VerifiedFacts, age_on, birth_date, check, evaluate
from intake.services.catalogue import CatalogueEntry

RULES = [
    {"kind": "min_age", "value": "80"},
    {"kind": "resident_of", "value": "110105"},
    {"kind": "holds_licence", "value": "BJTYLZCK"},
]


def _entry(rules: list[dict[str, str]] | None = RULES) -> CatalogueEntry:
    elements = {"auto_approval": {"version": 2, "rules": rules}} if rules else {}
    return CatalogueEntry("MZJ-0001", "高龄老年人津贴", "110105-MZJ", "区民政局", 1, elements)


LIBRARY = [
    {"type_code": "HKB", "number": "110105001-0020417"},
    {"type_code": "BJTYLZCK", "number": "BJT11010520100118"},
]


def test_age_is_counted_in_full_years_from_the_resident_id() -> None:
    born = birth_date("110105194501100484")
    assert born == date(1945, 1, 10)
    assert age_on(born, date(2025, 1, 9)) == 79 and age_on(born, date(2025, 1, 10)) == 80
    assert birth_date("110105********0484") is None and birth_date(None) is None
    assert birth_date("110105194513400484") is None  # no 13th month


def test_every_rule_holds_for_an_eligible_resident() -> None:
    version, results = evaluate(
        _entry(), VerifiedFacts("110105194501100484", LIBRARY), date(2026, 12, 5)
    ) or (0, [])
    assert version == 2 and [r["held"] for r in results] == [True, True, True]
    assert results[0]["text"] == "年满80周岁（核验年龄81周岁）"


def test_a_rule_that_does_not_hold_is_said_which() -> None:
    young = VerifiedFacts("110105197809250261", [{"type_code": "HKB", "number": "110105002-0004417"}])
    _, results = evaluate(_entry(), young, date(2026, 12, 5)) or (0, [])
    assert [r["held"] for r in results] == [False, True, False]
    assert "未核验到" in results[2]["text"]
    elsewhere = check(
        {"kind": "resident_of", "value": "110105"},
        VerifiedFacts(None, [{"type_code": "HKB", "number": "110101001-1"}]),
        date(2026, 12, 5),
    )
    assert elsewhere["held"] is False
    unknown_age = check({"kind": "min_age", "value": "80"}, VerifiedFacts(None, LIBRARY), date(2026, 12, 5))
    assert unknown_age["held"] is False and "无法" in unknown_age["text"]


def test_an_item_without_rules_is_not_decided_by_them() -> None:
    assert evaluate(_entry(None), VerifiedFacts("110105194501100484", LIBRARY), date(2026, 12, 5)) is None


def test_at_a_window_the_rules_name_what_to_fetch_and_the_id_card_gives_the_age() -> None:
    from intake.services.auto_approval import facts_from_library, licence_types_of

    assert licence_types_of(RULES) == {"JMSFZ", "HKB", "BJTYLZCK"}
    fetched = [
        {"type_code": "JMSFZ", "number": "110105194501100484", "status": "valid"},
        {**LIBRARY[0], "status": "valid"},
        {**LIBRARY[1], "status": "suspended"},
    ]
    facts = facts_from_library(fetched)
    assert facts.resident_id == "110105194501100484"
    _, results = evaluate(_entry(), facts, date(2026, 12, 5)) or (0, [])
    assert [r["held"] for r in results] == [True, True, False]  # a suspended card does not count
    assert facts_from_library([]).resident_id is None
