"""What the checks test text against: blanks, URLs, USCC check digits, phone numbers, material
names (catch-all and vague terms, forms), and the patterns for laws, hours, places and fees."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit


def blank(value: str | None) -> bool:
    return value is None or not value.strip()


def valid_http_url(url: str | None) -> bool:
    """True for an absolute http(s) URL with a host and no whitespace (syntax only)."""
    if blank(url):
        return False
    assert url is not None
    if any(ch.isspace() for ch in url.strip()):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")


def uscc_check_digit(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters of a USCC."""
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def valid_uscc(value: str) -> bool:
    """True when `value` is an 18-character 统一社会信用代码 with a correct check digit."""
    value = value.strip().upper()
    if not USCC_RE.fullmatch(value):
        return False
    return uscc_check_digit(value[:17]) == value[17]


# Phones ---------------------------------------------------------------------------------------

PhoneKind = Literal["landline", "hotline", "hotline_local", "mobile", "service", "local", "invalid"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９（）－—–＋　", "0123456789()---+ ")
_PHONE_SPLIT_RE = re.compile(r"[、,，;；/]|或")
_EXTENSION_RE = re.compile(r"(转|分机|ext\.?|EXT\.?|#).*$")


def classify_phone(raw: str) -> tuple[PhoneKind, str]:
    """Classify one phone number; returns its kind and its normalised digits.

    landline: area code + 7–8 digits; hotline: area code + 123xx; hotline_local: bare 123xx;
    mobile: 1[3-9]xxxxxxxxx; service: 400/800; local: 7–8 digits without area code.
    """
    text = raw.translate(_FULLWIDTH).strip()
    text = _EXTENSION_RE.sub("", text)
    if not re.fullmatch(r"[\d\s()+\-]+", text):
        return "invalid", re.sub(r"\D", "", text)
    digits = re.sub(r"[\s()\-]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
        if not digits.startswith("0") and not re.fullmatch(r"1[3-9]\d{9}", digits):
            digits = "0" + digits
    elif digits.startswith("+"):
        return "invalid", digits[1:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return "mobile", digits
    if re.fullmatch(r"123\d{2}", digits):
        return "hotline_local", digits
    if re.fullmatch(r"0\d{2,3}123\d{2}", digits):
        return "hotline", digits
    if re.fullmatch(r"[48]00\d{7}", digits):
        return "service", digits
    if re.fullmatch(r"0[1-9]\d{1,2}[2-9]\d{6,7}", digits) and 10 <= len(digits) <= 12:
        return "landline", digits
    if re.fullmatch(r"[2-9]\d{6,7}", digits):
        return "local", digits
    return "invalid", digits


def split_phones(value: str) -> list[str]:
    return [p.strip() for p in _PHONE_SPLIT_RE.split(value) if p.strip()]


def same_number(a: str, b: str) -> bool:
    if a == b:
        return True
    # one side without area code: compare the subscriber part
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return not short.startswith("0") and long_.startswith("0") and long_.endswith(short)


# Materials ------------------------------------------------------------------------------------

CATCH_ALL_TERMS: tuple[str, ...] = (
    "其他材料",
    "其它材料",
    "相关材料",
    "其他相关材料",
    "有关材料",
    "等材料",
    "其他资料",
    "相关资料",
    "有关资料",
    "其他证明",
    "相关证明",
    "有关证明",
    "其他文件",
    "相关文件",
    "有关文件",
    "其他证件",
    "相关证件",
    "需要的其他",
    "要求的其他",
    "规定的其他",
    "认为需要",
    "补充材料",
)
_CATCH_ALL_TAIL_RE = re.compile(r"等(相关|有关)?$")
VAGUE_TERMS: tuple[str, ...] = (
    "相关要求",
    "有关要求",
    "按规定",
    "按照规定",
    "有关规定",
    "相关规定",
    "视情况",
    "必要时",
    "根据需要",
    "如需",
    "酌情",
)
_COMPOUND_RE = re.compile(r"、|以及|及|或|和")
_COMPOUND_SAFE = ("共和国", "涉及", "或者", "和平", "及时")
FORM_NAME_RE = re.compile(r"(表|表格|申请书|申报书|承诺书|委托书|声明书|登记书)\s*([（(][^）)]*[）)])?\s*$")


def is_form(name: str) -> bool:
    """A material the applicant fills in (…表, 申请书, 承诺书 …): needs blank and sample forms."""
    return bool(FORM_NAME_RE.search(name.strip()))


def catch_all(name: str) -> str | None:
    for term in CATCH_ALL_TERMS:
        if term in name:
            return term
    if _CATCH_ALL_TAIL_RE.search(name.strip()):
        return "等"
    return None


def compound(name: str) -> bool:
    stripped = name
    for safe in _COMPOUND_SAFE:
        stripped = stripped.replace(safe, "")
    # a parenthesised note may legitimately say "原件及复印件"
    stripped = re.sub(r"[（(][^）)]*[）)]", "", stripped)
    return bool(_COMPOUND_RE.search(stripped))


VAGUE_LAW_RE = re.compile(r"^(国家|本市|省|市|区)?(相关|有关)(法律|法规|规定|文件|政策)")
ARTICLE_RE = re.compile(r"第\s*[0-9一二三四五六七八九十百千零〇两]+\s*[条款项章]")
TIME_RANGE_RE = re.compile(
    r"\d{1,2}\s*[:：.点时]\s*\d{0,2}\s*分?\s*[-—–~～至到]\s*\d{1,2}\s*[:：.点时]?\s*\d{0,2}"
)
DAYS_RE = re.compile(r"周|星期|礼拜|工作日|每天|每日|节假日|全天")
STREET_RE = re.compile(r"[路街道巷弄里胡同]|大道|公路")
NUMBER_RE = re.compile(r"\d+\s*号|[一二三四五六七八九十百]+号")
ROOM_RE = re.compile(r"室|房间|窗口|号窗|[A-Za-z]?\d+\s*[区厅]")
FEE_BASIS_RE = re.compile(r"《[^》]+》|〔\d{4}〕|\[\d{4}\]|\d{4}\s*[号〕]|第.+[条号]")
