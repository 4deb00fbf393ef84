"""Chinese identifiers: resident ID (居民身份证号码), USCC (统一社会信用代码), mobiles, passports.

Every `validate_*` function returns the normalised value or raises `ValueError` with a message
that says which rule failed and what to fix; the `is_valid_*` functions answer yes or no. The
pydantic `Annotated` types (`ResidentId`, `Uscc`, `MobilePhone`, `PassportNumber`) run the same
validators, so a 422 names the rule that failed. `mask_*` hide personal numbers for display.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field

from .i18n import TextError

__all__ = [
    "USCC_ALPHABET",
    "MobilePhone",
    "PassportNumber",
    "ResidentId",
    "Uscc",
    "birth_date_from_resident_id",
    "is_valid_mobile",
    "is_valid_resident_id",
    "is_valid_uscc",
    "mask_mobile",
    "mask_resident_id",
    "resident_id_check_char",
    "uscc_check_char",
    "validate_mobile",
    "validate_passport_number",
    "validate_resident_id",
    "validate_uscc",
]

_SHANGHAI = ZoneInfo("Asia/Shanghai")

# --- Resident ID (GB 11643-1999) -------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)


def resident_id_check_char(body: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID."""
    if len(body) != 17 or not body.isascii() or not body.isdigit():
        # not user-facing
        raise ValueError("a resident ID body is exactly 17 digits")
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _today() -> date:
    return datetime.now(_SHANGHAI).date()


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """The 18-character resident ID, normalised (upper-case X); ValueError says which rule failed."""
    if not isinstance(value, str):
        raise TypeError("resident ID must be a string of 18 characters")
    s = value.strip().upper()
    if len(s) != 18:
        raise TextError(
            f"身份证号应为 18 位，现为 {len(s)} 位", f"resident ID must be 18 characters long, got {len(s)}"
        )
    body, check = s[:17], s[17]
    if not (body.isascii() and body.isdigit()):
        raise TextError(
            "身份证号前 17 位应全部为数字", "resident ID: the first 17 characters must all be digits 0-9"
        )
    if not (check.isdigit() or check == "X"):
        raise TextError(
            f"身份证号最后一位应为数字或 X，现为 {check!r}",
            f"resident ID: the last character must be a digit or X, got {check!r}",
        )
    if body[0] not in "12345678":
        raise TextError(
            f"身份证号的地区码 {body[:6]} 不是有效的行政区划代码（首位应为 1-8）",
            f"resident ID region code {body[:6]} is not a valid administrative division code "
            "(its first digit must be 1-8)",
        )
    try:
        born = date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise TextError(
            f"身份证号中的出生日期 {body[6:14]}（第 7-14 位，YYYYMMDD）不是真实日期",
            f"resident ID birth date {body[6:14]} (digits 7-14, YYYYMMDD) is not a real date",
        ) from None
    if born < _EARLIEST_BIRTH:
        raise TextError(
            f"身份证号中的出生日期 {born.isoformat()} 早于 1900 年",
            f"resident ID birth date {born.isoformat()} is before 1900",
        )
    if born > (today or _today()):
        raise TextError(
            f"身份证号中的出生日期 {born.isoformat()} 晚于今天",
            f"resident ID birth date {born.isoformat()} is in the future",
        )
    expected = resident_id_check_char(body)
    if check != expected:
        raise TextError(
            f"身份证号校验位不对：应为 {expected}，现为 {check}，请核对号码",
            f"resident ID check digit is wrong: expected {expected}, got {check}",
        )
    return s


def is_valid_resident_id(value: str) -> bool:
    """True if `value` is a valid 18-character resident ID (lower-case x allowed)."""
    try:
        validate_resident_id(value)
    except (ValueError, TypeError):
        return False
    return True


def birth_date_from_resident_id(value: str) -> date:
    """The date of birth encoded in a valid resident ID (validates it first)."""
    s = validate_resident_id(value)
    return date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


# --- Unified social credit code (GB 32100-2015) ----------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_FORBIDDEN = frozenset("IOZSV")


def uscc_check_char(body: str) -> str:
    """The GB 32100 check character for the first 17 characters of a USCC."""
    if len(body) != 17 or any(c not in _USCC_VALUES for c in body):
        # not user-facing
        raise ValueError("a USCC body is exactly 17 characters from " + USCC_ALPHABET)
    total = sum(_USCC_VALUES[c] * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """The 18-character USCC, upper-cased; ValueError says which rule failed."""
    if not isinstance(value, str):
        raise TypeError("unified social credit code must be a string of 18 characters")
    s = value.strip().upper()
    if len(s) != 18:
        raise TextError(
            f"统一社会信用代码应为 18 位，现为 {len(s)} 位",
            f"unified social credit code must be 18 characters long, got {len(s)}",
        )
    for pos, c in enumerate(s, start=1):
        if c in _USCC_VALUES:
            continue
        if c in _USCC_FORBIDDEN:
            raise TextError(
                f"统一社会信用代码第 {pos} 位的字母 {c} 不允许使用（代码中不使用 I、O、Z、S、V）",
                f"unified social credit code: letter {c} at position {pos} is not allowed "
                "(I, O, Z, S and V are never used)",
            )
        raise TextError(
            f"统一社会信用代码第 {pos} 位的字符 {c!r} 不允许使用，只能使用数字和字母 {USCC_ALPHABET[10:]}",
            f"unified social credit code: character {c!r} at position {pos} is not allowed; "
            "use digits and the letters " + USCC_ALPHABET[10:],
        )
    if not s[2:8].isdigit():
        raise TextError(
            f"统一社会信用代码第 3-8 位是登记管理机关行政区划码，应为数字，现为 {s[2:8]}",
            f"unified social credit code: positions 3-8 are the region code and must be digits, got {s[2:8]}",
        )
    expected = uscc_check_char(s[:17])
    if s[17] != expected:
        raise TextError(
            f"统一社会信用代码校验位不对：应为 {expected}，现为 {s[17]}，请核对代码",
            f"unified social credit code check character is wrong: expected {expected}, got {s[17]}",
        )
    return s


def is_valid_uscc(value: str) -> bool:
    """True if `value` is a valid unified social credit code."""
    try:
        validate_uscc(value)
    except (ValueError, TypeError):
        return False
    return True


# --- Mobile numbers --------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-]")


def validate_mobile(value: str) -> str:
    """The 11-digit mainland mobile number (+86/86 prefix, spaces and hyphens removed)."""
    if not isinstance(value, str):
        raise TypeError("mobile number must be a string")
    s = _MOBILE_SEPARATORS.sub("", value)
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086") and len(s) == 15:
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    elif s.startswith("+"):
        raise TextError(
            "手机号只接受中国大陆号码（+86）", "mobile number: only mainland China numbers (+86) are accepted"
        )
    if not s:
        raise TextError("手机号为空，请填写 11 位手机号", "mobile number is empty: enter the 11-digit number")
    if not (s.isascii() and s.isdigit()):
        raise TextError(
            "手机号只能包含数字、空格、连字符和 +86 前缀",
            "mobile number may contain only digits, spaces, hyphens and a +86 prefix",
        )
    if len(s) != 11:
        raise TextError(
            f"手机号应为 11 位数字，现为 {len(s)} 位", f"mobile number must have 11 digits, got {len(s)}"
        )
    if not _MOBILE.fullmatch(s):
        raise TextError(
            f"手机号应以 13-19 开头，现为 {s[:2]}",
            f"mobile number must start with 13-19 (a mainland mobile prefix), got {s[:2]}",
        )
    return s


def is_valid_mobile(value: str) -> bool:
    """True if `value` is a mainland mobile number."""
    try:
        validate_mobile(value)
    except (ValueError, TypeError):
        return False
    return True


# --- Passports and foreigners' permits -------------------------------------------------------

_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


def validate_passport_number(value: str) -> str:
    """A passport or permit number: 5-20 letters and digits, upper-cased."""
    if not isinstance(value, str):
        raise TypeError("passport number must be a string")
    s = value.strip().upper()
    if not 5 <= len(s) <= 20:
        raise TextError(
            f"护照或证件号码应为 5-20 位，现为 {len(s)} 位",
            f"passport number must be 5-20 characters long, got {len(s)}",
        )
    if not _PASSPORT.fullmatch(s):
        raise TextError(
            "护照或证件号码只能包含字母 A-Z 和数字 0-9",
            "passport number may contain only letters A-Z and digits 0-9",
        )
    return s


# --- Masking ---------------------------------------------------------------------------------


def mask_resident_id(value: str) -> str:
    """Hide the birth date and sequence: 110101********123X (first 6, 8 stars, last 4)."""
    s = value.strip().upper()
    if len(s) == 18:
        return s[:6] + "********" + s[-4:]
    if len(s) > 10:
        return s[:3] + "*" * (len(s) - 6) + s[-3:]
    return "*" * len(s)


def mask_mobile(value: str) -> str:
    """Hide the middle of a mobile number: 138****5678."""
    try:
        s = validate_mobile(value)
    except ValueError:
        s = value.strip()
        if len(s) > 7:
            return s[:3] + "*" * (len(s) - 7) + s[-4:]
        return "*" * len(s)
    return s[:3] + "****" + s[-4:]


# --- Pydantic field types --------------------------------------------------------------------

ResidentId = Annotated[
    str,
    AfterValidator(validate_resident_id),
    Field(
        description="18-character resident ID (居民身份证号码, GB 11643); lower-case x accepted",
        examples=["11010519491231002X"],
    ),
]
Uscc = Annotated[
    str,
    AfterValidator(validate_uscc),
    Field(
        description="Unified social credit code (统一社会信用代码, GB 32100), 18 characters",
        examples=["91350100M000100Y43"],
    ),
]
MobilePhone = Annotated[
    str,
    AfterValidator(validate_mobile),
    Field(description="Mainland mobile number (手机号), 11 digits", examples=["13812345678"]),
]
PassportNumber = Annotated[
    str,
    AfterValidator(validate_passport_number),
    Field(
        description="Passport or foreigner's permit number, 5-20 letters and digits",
        examples=["E12345678"],
    ),
]
