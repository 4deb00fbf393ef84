"""Catalogue search terms: what an item's text indexes and what a query looks up.

The same pipeline runs at index time (services/search.py `reindex`) and at query time, so a query
term matches exactly the strings the index holds. Normalisation, segmentation (jieba with the
domain dictionary) and bigrams are `yiwang_shared.chinese_text`; this module keeps the catalogue's
rules:

- **filter**: punctuation, stop words (的, 和, 对, 给予 …) and single characters outside short
  fields are dropped; terms are cut to 64 characters (the column's width);
- names are also indexed as **character bigrams** of each CJK run, so a query that jieba cuts
  differently, or a fragment of a word, still finds the name ("龄老" in 高龄老年人津贴);
- a query is cut into **groups** (`query_groups`), one per word, each matched by the word, its
  synonyms, its search-mode sub-words or bigrams; an item must match every group.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from yiwang_shared.chinese_text import (
    bigrams,
    domain_words,
    is_cjk,
    normalise,
    search_tokens,
    synonyms,
    warm_up,
    word_spans,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_TERM_CHARS",
    "QueryTerms",
    "bigrams",
    "domain_words",
    "normalise",
    "query_groups",
    "query_terms",
    "tokens",
    "warm_up",
]

MAX_TERM_CHARS = 64
MAX_QUERY_CHARS = 100

#: Words that carry no meaning in an item name or a query.
_STOP_WORDS_TEXT = """
的 了 和 与 及 或 等 之 对 为 在 是 有 由 其 向 将 并 于 以 把 被 从 按 及其 以及 或者 进行 给予
有关 相关 关于 如何 怎么 怎样 什么 哪些 哪里 是否 可以 能否 需要 吗 呢 啊 我 我们 你 您 他 她 它
the a an of and or to for in on
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MEANINGFUL = re.compile(f"[0-9a-z{_CJK}]")


def _keep(token: str, *, single_chars: bool) -> bool:
    if not _MEANINGFUL.search(token) or token in STOP_WORDS:
        return False
    return single_chars or len(token) > 1


def tokens(text: str, *, single_chars: bool = False) -> Iterator[str]:
    """Index/query terms of `text` (normalised, segmented, filtered; duplicates kept for counting)."""
    for token in search_tokens(text):
        token = token.strip()
        if _keep(token, single_chars=single_chars):
            yield token[:MAX_TERM_CHARS]


@dataclass(frozen=True)
class QueryTerms:
    """What a query (or one word of it) looks up: words (every field but bigrams), name bigrams."""

    words: frozenset[str]
    bigrams: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.words or self.bigrams)

    @property
    def all(self) -> frozenset[str]:
        """Every distinct term string."""
        return self.words | self.bigrams


def query_terms(q: str) -> QueryTerms:
    """The terms of a (validated) query string: its words, their synonyms and its bigrams."""
    words: set[str] = set()
    for token in tokens(q, single_chars=True):
        words.add(token)
        words.update(synonyms(token))
    return QueryTerms(words=frozenset(words), bigrams=frozenset(bigrams(q)))


def query_groups(q: str) -> list[QueryTerms]:
    """One group per word of the query; an item must match every group (AND).

    Cached per query text (the last 2,048): segmentation is a pure function of the text and the
    fixed dictionaries, and popular queries repeat (≈ 0.5 ms of jieba each).

    Words come from jieba's precise cut. A domain word (最低生活保障, 营业执照) is one group,
    matched by itself or a synonym (低保). Another long compound (卫生许可证, ≥ 4 characters) is
    split into its longest dictionary parts (卫生 · 许可证), each a group matched by itself, a
    search-mode sub-word (许可证 → 许可), a synonym or one of its bigrams in a name. A single
    character jieba could not attach (收入家 → 收入 · 家) is matched by itself or, in names, by
    the bigrams it forms with its neighbours in the query (入家).
    """
    return list(_query_groups(q))


@functools.lru_cache(maxsize=2048)
def _query_groups(q: str) -> tuple[QueryTerms, ...]:
    groups: dict[str, QueryTerms] = {}

    def add(word: str, alternatives: set[str], pairs: set[str]) -> None:
        key = word[:MAX_TERM_CHARS]
        if key not in groups:
            groups[key] = QueryTerms(
                words=frozenset(a[:MAX_TERM_CHARS] for a in alternatives), bigrams=frozenset(pairs)
            )

    for part in normalise(q).split(" "):
        for word, start, end in word_spans(part):
            if not _keep(word, single_chars=True):
                continue
            if _whole(word):
                add(word, {word, *synonyms(word)}, set())
            elif len(word) == 1:
                pairs = {part[max(start - 1, 0) : start + 1], part[start : end + 1]}
                add(word, {word}, {p for p in pairs if len(p) == 2 and is_cjk(p)})
            else:
                for sub in _split_compound(word):
                    alternatives = {sub, *synonyms(sub)}
                    for t in tokens(sub):
                        alternatives.add(t)
                        alternatives.update(synonyms(t))
                    add(sub, alternatives, set(bigrams(sub)))
    return tuple(groups.values())


def _whole(word: str) -> bool:
    """A domain word short enough to be one concept (营业执照), or one with synonyms (最低生活保障)."""
    return word in domain_words() and (len(word) <= 4 or bool(synonyms(word)))


def _split_compound(word: str) -> list[str]:
    """`word` if shorter than 4 characters, else its longest dictionary parts, left to right."""
    if len(word) < 4 or not is_cjk(word):
        return [word]
    subs = {t for t in search_tokens(word) if 2 <= len(t) < len(word)}
    parts: list[str] = []
    i = 0
    while i < len(word):
        best = max((t for t in subs if word.startswith(t, i)), key=len, default="")
        if best:
            parts.extend([best] if _whole(best) else _split_compound(best))
            i += len(best)
        elif parts and len(parts[-1]) == 1:
            parts[-1] += word[i]  # characters no part covers stay together
            i += 1
        else:
            parts.append(word[i])
            i += 1
    return [p for p in parts if p not in STOP_WORDS]
