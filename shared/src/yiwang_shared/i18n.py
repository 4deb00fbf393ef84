"""Which language a response speaks: Chinese (中文) by default, English when the client asks for it.

Citizens meet our problem details and notices in Chinese; an integrator may send
`Accept-Language: en` to read them in English. Only these two languages exist, so negotiation is
the one question "does the client prefer English to Chinese?", answered from the header's q-values
(RFC 9110 §12.5.4). The request context middleware sets `language_var` once per request; code that
renders text asks `current_language()`.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Literal

__all__ = [
    "DEFAULT_LANGUAGE",
    "Language",
    "TextError",
    "current_language",
    "language_var",
    "negotiate_language",
    "pick",
]

Language = Literal["zh", "en"]
DEFAULT_LANGUAGE: Language = "zh"

language_var: ContextVar[Language] = ContextVar("language", default=DEFAULT_LANGUAGE)


def _q(params: list[str]) -> float:
    for p in params:
        name, _, value = p.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def negotiate_language(header: str | None) -> Language:
    """The language to answer in, from an Accept-Language header (Chinese unless English is preferred)."""
    if not header:
        return DEFAULT_LANGUAGE
    best: dict[Language, float] = {}
    wildcard = 0.0
    for part in header[:512].split(","):
        tag, *params = part.strip().split(";")
        tag = tag.strip().lower()
        q = _q(params)
        primary = tag.split("-", 1)[0]
        if primary in ("zh", "en"):
            lang: Language = "zh" if primary == "zh" else "en"
            best[lang] = max(best.get(lang, 0.0), q)
        elif tag == "*":
            wildcard = q
    zh, en = best.get("zh", wildcard), best.get("en", 0.0)
    return "en" if en > 0 and en > zh else DEFAULT_LANGUAGE


def current_language() -> Language:
    """The language of the request being handled (Chinese outside a request)."""
    return language_var.get()


def pick(zh: str, en: str | None) -> str:
    """`zh`, or `en` when the client asked for English and an English text exists."""
    return en if en is not None and language_var.get() == "en" else zh


class TextError(ValueError):
    """A validation failure with its message in both languages.

    Raise it from a pydantic validator; the validation problem shows `zh` or `en` by the client's
    language (pydantic keeps the exception in the error's context).
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def text(self) -> str:
        """The message in the request's language."""
        return pick(self.zh, self.en)
