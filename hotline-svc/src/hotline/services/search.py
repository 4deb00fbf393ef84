"""Chinese search over the knowledge base: jieba search-mode words plus character bigrams.

An entry is indexed as weighted terms (`kb_terms`): keywords weigh most, then the question, then
the answer. A query is cut the same way and entries are ranked by the summed weight of the terms
they share with it, so 怎么办低保 finds "最低生活保障怎么申请" through 低保 (a keyword) and the
bigrams of 生活保障. The text is cut by `yiwang_shared.chinese_text` (one jieba tokenizer with the
domain dictionary, shared with catalog's search and with duplicate detection); which words count
(no stop words, no single characters, at most MAX_TERM characters) is this module's rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from yiwang_shared.chinese_text import bigrams, normalise, search_tokens, warm_up

__all__ = ["STOP", "bigrams", "index_terms", "normalise", "query_terms", "warm_up", "words"]

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
WORD = re.compile(r"[0-9a-z]+|[\u4e00-\u9fff]+")
#: Words that carry no meaning for matching (how/what/please ...).
STOP = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "要",
        "想",
        "吗",
        "呢",
        "吧",
        "啊",
        "怎么",
        "怎样",
        "如何",
        "什么",
        "哪里",
        "哪些",
        "多少",
        "可以",
        "能",
        "能否",
        "需要",
        "办理",
        "请问",
        "一下",
        "有",
        "没有",
        "这个",
        "那个",
        "为什么",
        "应该",
        "如果",
        "是否",
        "哪个",
    ]
)
MAX_TERM = 60


def words(text: str) -> Iterator[str]:
    """jieba search-mode words of `text`, without stop words and single CJK characters."""
    norm = normalise(text)
    for chunk in WORD.findall(norm):
        if CJK_RUN.fullmatch(chunk):
            for w in search_tokens(chunk):
                if len(w) > 1 and w not in STOP:
                    yield w[:MAX_TERM]
        elif len(chunk) > 1 or chunk.isdigit():
            yield chunk[:MAX_TERM]


def index_terms(question: str, answer: str, keywords: Iterable[str]) -> dict[str, float]:
    """Weighted terms of an entry: keyword 4, question word 3, question bigram 1, answer word 0.5."""
    weights: dict[str, float] = {}

    def add(term: str, w: float) -> None:
        if term and term not in STOP:
            weights[term] = max(weights.get(term, 0.0), w)

    for kw in keywords:
        norm = normalise(kw).strip()[:MAX_TERM]
        add(norm, 4.0)
        for w in words(kw):
            add(w, 3.0)
    for w in words(question):
        add(w, 3.0)
    for b in bigrams(question):
        add(b, 1.0)
    answer_words = 0
    for w in words(answer):
        if w not in weights:
            add(w, 0.5)
            answer_words += 1
            if answer_words >= 200:  # long answers must not swamp the index
                break
    return weights


def query_terms(q: str) -> list[str]:
    """The terms a query looks for (words, the whole query, and bigrams)."""
    terms = dict.fromkeys([*words(q), *bigrams(q)])
    whole = normalise(q).strip()
    if 1 < len(whole) <= MAX_TERM:
        terms[whole] = None
    return [t for t in terms if t not in STOP][:60]
