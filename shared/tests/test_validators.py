"""Resident ID, USCC, mobile and passport validation, masking, and the pydantic field types."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from pydantic import BaseModel, ValidationError

from yiwang_shared.validators import (
    USCC_ALPHABET,
    MobilePhone,
    PassportNumber,
    ResidentId,
    Uscc,
    birth_date_from_resident_id,
    is_valid_mobile,
    is_valid_resident_id,
    is_valid_uscc,
    mask_mobile,
    mask_resident_id,
    resident_id_check_char,
    uscc_check_char,
    validate_mobile,
    validate_passport_number,
    validate_resident_id,
    validate_uscc,
)

# The algorithms written out again here, independently of the module, from the standards.
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_check(body: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=False)) % 11]


def uscc_check(body: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_id(region: str, born: date, seq: str) -> str:
    body = region + born.strftime("%Y%m%d") + seq
    return body + id_check(body)


def make_uscc(body: str) -> str:
    return body + uscc_check(body)


# Published examples: GB 11643-1999's own example, and a real enterprise USCC.
GB11643_EXAMPLE = "11010519491231002X"
USCC_EXAMPLE = "91350100M000100Y43"


# --- resident ID --------------------------------------------------------------------------


def test_published_resident_id_example_is_valid() -> None:
    assert id_check(GB11643_EXAMPLE[:17]) == "X"
    assert validate_resident_id(GB11643_EXAMPLE) == GB11643_EXAMPLE
    assert is_valid_resident_id(GB11643_EXAMPLE)
    assert birth_date_from_resident_id(GB11643_EXAMPLE) == date(1949, 12, 31)


def test_lower_case_x_is_normalised() -> None:
    assert validate_resident_id(GB11643_EXAMPLE.lower()) == GB11643_EXAMPLE
    assert validate_resident_id("  " + GB11643_EXAMPLE.lower() + " ") == GB11643_EXAMPLE


@pytest.mark.parametrize(
    ("region", "born", "seq"),
    [
        ("110101", date(1990, 3, 7), "123"),
        ("440305", date(2000, 2, 29), "004"),  # leap day
        ("310115", date(1900, 1, 1), "991"),  # earliest allowed
        ("810000", date(1985, 12, 31), "018"),  # Hong Kong residence permit region
        ("652901", date(2012, 6, 15), "555"),
    ],
)
def test_computed_resident_ids_are_valid(region: str, born: date, seq: str) -> None:
    rid = make_id(region, born, seq)
    assert validate_resident_id(rid) == rid
    assert birth_date_from_resident_id(rid) == born
    assert resident_id_check_char(rid[:17]) == rid[17]


def _error(fn: object, value: str) -> str:
    with pytest.raises(ValueError) as info:
        fn(value)  # type: ignore[operator]
    return str(info.value)


def test_wrong_check_digit_says_expected_and_got() -> None:
    good = make_id("110101", date(1990, 3, 7), "123")
    wrong = "3" if good[17] != "3" else "4"
    msg = _error(validate_resident_id, good[:17] + wrong)
    assert msg == f"resident ID check digit is wrong: expected {good[17]}, got {wrong}"
    assert not is_valid_resident_id(good[:17] + wrong)


def test_february_30_is_not_a_date() -> None:
    rid = make_id("110101", date(1990, 1, 1), "123")
    body = rid[:6] + "19900230" + rid[14:17]
    msg = _error(validate_resident_id, body + id_check(body))
    assert "birth date 19900230" in msg and "not a real date" in msg


def test_month_13_is_not_a_date() -> None:
    body = "110101" + "19901301" + "123"
    assert "not a real date" in _error(validate_resident_id, body + id_check(body))


def test_future_birth_date_is_refused() -> None:
    future = date.today() + timedelta(days=400)
    rid = make_id("110101", future, "123")
    assert "in the future" in _error(validate_resident_id, rid)
    # ...but the same number is accepted by someone living after that date.
    assert validate_resident_id(rid, today=future) == rid


def test_birth_before_1900_is_refused() -> None:
    rid = make_id("110101", date(1899, 12, 31), "123")
    assert "before 1900" in _error(validate_resident_id, rid)


@pytest.mark.parametrize("region", ["000000", "012345", "910101"])
def test_implausible_region_code(region: str) -> None:
    rid = make_id(region, date(1990, 3, 7), "123")
    assert "region code" in _error(validate_resident_id, rid)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("11010519491231002", "18 characters long, got 17"),
        ("11010519491231002XX", "18 characters long, got 19"),
        ("", "got 0"),
        ("110105194912310021234", "got 21"),
        ("11010519491231A02X", "first 17 characters must all be digits"),
        ("110105194912310２2X", "first 17 characters must all be digits"),  # full-width digit
        ("11010519491231002Y", "digit or X"),
    ],
)
def test_malformed_resident_ids(value: str, fragment: str) -> None:
    assert fragment in _error(validate_resident_id, value)
    assert not is_valid_resident_id(value)


def test_non_string_is_a_value_error() -> None:
    assert not is_valid_resident_id(11010519491231002)  # type: ignore[arg-type]
    assert not is_valid_uscc(None)  # type: ignore[arg-type]


def test_resident_id_property_every_single_change_breaks_the_checksum() -> None:
    rng = random.Random(11643)
    start, span = date(1900, 1, 1), (date.today() - date(1900, 1, 1)).days
    for _ in range(300):
        region = str(rng.randint(1, 8)) + "".join(rng.choice("0123456789") for _ in range(5))
        born = start + timedelta(days=rng.randrange(span + 1))
        seq = f"{rng.randrange(1000):03d}"
        rid = make_id(region, born, seq)
        assert validate_resident_id(rid) == rid
        assert resident_id_check_char(rid[:17]) == id_check(rid[:17])
        for pos in range(18):
            for c in "0123456789X":
                if c == rid[pos] or (pos < 17 and c == "X"):
                    continue
                changed = rid[:pos] + c + rid[pos + 1 :]
                assert id_check(changed[:17]) != changed[17], (rid, changed)
                assert not is_valid_resident_id(changed), (rid, changed)


# --- USCC -----------------------------------------------------------------------------------


def test_published_uscc_example_is_valid() -> None:
    assert uscc_check(USCC_EXAMPLE[:17]) == USCC_EXAMPLE[17]
    assert validate_uscc(USCC_EXAMPLE) == USCC_EXAMPLE
    assert validate_uscc(USCC_EXAMPLE.lower()) == USCC_EXAMPLE
    assert is_valid_uscc(USCC_EXAMPLE)


@pytest.mark.parametrize(
    "body",
    [
        "91110108MA01ABCDE",  # enterprise in Haidian
        "12110000400000000",  # public institution
        "51440300MJL000000",  # social organisation
        "11100000000013127",  # central government body
        "92330782MA2DF8KL3",  # individual business
    ],
)
def test_computed_usccs_are_valid(body: str) -> None:
    code = make_uscc(body)
    assert validate_uscc(code) == code
    assert uscc_check_char(body) == code[17]


def test_wrong_uscc_check_character() -> None:
    wrong = "4" if USCC_EXAMPLE[17] != "4" else "5"
    msg = _error(validate_uscc, USCC_EXAMPLE[:17] + wrong)
    assert msg == f"unified social credit code check character is wrong: expected 3, got {wrong}"


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_forbidden_uscc_letters(letter: str) -> None:
    value = USCC_EXAMPLE[:8] + letter + USCC_EXAMPLE[9:]
    msg = _error(validate_uscc, value)
    assert f"letter {letter} at position 9 is not allowed" in msg


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("91350100M000100Y4", "18 characters long, got 17"),
        ("91350100M000100Y433", "got 19"),
        ("9135010-M000100Y43", "'-' at position 8"),
        ("91AB0100M000100Y43", "positions 3-8 are the region code"),
    ],
)
def test_malformed_usccs(value: str, fragment: str) -> None:
    assert fragment in _error(validate_uscc, value)
    assert not is_valid_uscc(value)


def test_uscc_property_every_single_change_breaks_the_checksum() -> None:
    rng = random.Random(32100)
    for _ in range(200):
        body = (
            rng.choice("123456789ABCDEFGY")
            + rng.choice("123459")
            + "".join(rng.choice("0123456789") for _ in range(6))
            + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
        )
        code = make_uscc(body)
        assert validate_uscc(code) == code
        for pos in range(18):
            for c in USCC_ALPHABET:
                if c == code[pos]:
                    continue
                changed = code[:pos] + c + code[pos + 1 :]
                assert uscc_check(changed[:17]) != changed[17], (code, changed)
                assert not is_valid_uscc(changed), (code, changed)


# --- mobiles and passports ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["13812345678", "+8613812345678", "+86 138 1234 5678", "86-138-1234-5678", "008613812345678"],
)
def test_mobiles_are_normalised(value: str) -> None:
    assert validate_mobile(value) == "13812345678"
    assert is_valid_mobile(value)


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mobile_prefix(prefix: str) -> None:
    assert validate_mobile(prefix + "912345678") == prefix + "912345678"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("138123456789", "11 digits, got 12"),
        ("1381234567", "11 digits, got 10"),
        ("12812345678", "start with 13-19"),
        ("10812345678", "start with 13-19"),
        ("23812345678", "start with 13-19"),
        ("1381234567a", "only digits"),
        ("+1 415 555 0100", "only mainland"),
        ("", "is empty"),
        ("  ", "is empty"),
    ],
)
def test_bad_mobiles(value: str, fragment: str) -> None:
    assert fragment in _error(validate_mobile, value)
    assert not is_valid_mobile(value)


def test_passport_numbers() -> None:
    assert validate_passport_number("e12345678") == "E12345678"
    assert validate_passport_number(" G1234567 ") == "G1234567"
    assert "5-20 characters" in _error(validate_passport_number, "E123")
    assert "5-20 characters" in _error(validate_passport_number, "A" * 21)
    assert "letters A-Z and digits" in _error(validate_passport_number, "E1234-567")
    assert "letters A-Z and digits" in _error(validate_passport_number, "护照12345")


# --- masking --------------------------------------------------------------------------------


def test_masking() -> None:
    assert mask_resident_id("11010119900307123X") == "110101********123X"
    assert mask_resident_id("11010119900307123x") == "110101********123X"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("+86 138 1234 5678") == "138****5678"
    # Never reveal more than the fixed parts, whatever the input.
    assert "0307" not in mask_resident_id("110101199003071")
    assert mask_resident_id("1234") == "****"
    assert mask_mobile("12345") == "*****"


# --- pydantic types -------------------------------------------------------------------------


class Applicant(BaseModel):
    resident_id: ResidentId
    company: Uscc
    mobile: MobilePhone
    passport: PassportNumber | None = None


def test_pydantic_types_normalise() -> None:
    a = Applicant(
        resident_id=GB11643_EXAMPLE.lower(),
        company=USCC_EXAMPLE.lower(),
        mobile="+86 138-1234-5678",
        passport="e1234567",
    )
    assert a.resident_id == GB11643_EXAMPLE
    assert a.company == USCC_EXAMPLE
    assert a.mobile == "13812345678"
    assert a.passport == "E1234567"


def test_pydantic_types_report_every_rule_that_failed() -> None:
    with pytest.raises(ValidationError) as info:
        Applicant(
            resident_id=GB11643_EXAMPLE[:17] + "3",
            company=USCC_EXAMPLE[:8] + "O" + USCC_EXAMPLE[9:],
            mobile="12812345678",
            passport="E1",
        )
    errors = {e["loc"][0]: e["msg"] for e in info.value.errors()}
    assert set(errors) == {"resident_id", "company", "mobile", "passport"}
    assert "check digit is wrong: expected X, got 3" in errors["resident_id"]
    assert "letter O at position 9" in errors["company"]
    assert "start with 13-19" in errors["mobile"]
    assert "5-20 characters" in errors["passport"]


def test_pydantic_json_schema_has_descriptions() -> None:
    schema = Applicant.model_json_schema()
    assert "GB 11643" in schema["properties"]["resident_id"]["description"]
    assert schema["properties"]["company"]["examples"] == [USCC_EXAMPLE]
