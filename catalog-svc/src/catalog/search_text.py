"""Chinese text for catalogue search: normalisation, segmentation (jieba) and query terms.

The same pipeline runs at index time (catalog.search.reindex) and at query time, so a query term
matches exactly the strings the index holds:

1. **normalise**: NFKC (full-width letters, digits and punctuation → half-width, the ideographic
   space → a space), latin lower-cased;
2. **segment** with jieba's search mode (`cut_for_search`: a word and its dictionary sub-words,
   高龄老年人 → 高龄, 老年, 老年人 …) using a private `jieba.Tokenizer` plus the domain user
   dictionary `search_dict.txt` (低保, 最低生活保障, 营业执照, 一件事 …); a token that contains a
   domain word also yields it (最低生活保障金 → 最低生活保障);
3. **filter**: punctuation, stop words (的, 和, 对, 给予 …) and single characters outside short
   fields are dropped; terms are cut to 64 characters (the column's width).

Names are also indexed as **character bigrams** of each CJK run, so a query that jieba cuts
differently, or a fragment of a word, still finds the name ("龄老" in 高龄老年人津贴).

jieba loads its 20 MB dictionary once per process (about 0.5 s; it caches the prefix dictionary
under the temp dir, or `CATALOG_JIEBA_CACHE_DIR`). `warm_up()` does it up front (call it in the
service's start-up so the first search does not pay); otherwise the first use does, once, under a
lock.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import jieba

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

#: Words citizens use for the same thing; a query for one also looks up the others.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("低保", "最低生活保障"),
    ("医保", "医疗保险"),
    ("社保", "社会保险"),
    ("社保卡", "社会保障卡"),
    ("残疾证", "残疾人证"),
    ("身份证", "居民身份证"),
    ("户口本", "户口簿"),
    ("个体户", "个体工商户"),
    ("公积金", "住房公积金"),
    ("公租房", "公共租赁住房"),
    ("准生证", "生育服务证"),
    ("老人", "老年人"),
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_MEANINGFUL = re.compile(f"[0-9a-z{_CJK}]")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width → half-width (NFKC), latin lower-cased, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


class _Segmenter:
    """One jieba tokenizer with the domain dictionary, built on first use (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokenizer: jieba.Tokenizer | None = None
        self.domain_words: frozenset[str] = frozenset()
        self._compounds: tuple[str, ...] = ()
        self._synonyms: dict[str, tuple[str, ...]] = {}

    def tokenizer(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = self._build()
        return self._tokenizer

    def _build(self) -> jieba.Tokenizer:
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        cache_dir = os.environ.get("CATALOG_JIEBA_CACHE_DIR")
        if cache_dir:
            os.makedirs(cache_dir, exist_ok=True)
            tok.tmp_dir = cache_dir
        tok.initialize()
        words = [normalise(w) for w in _read_user_dict()]
        for group in SYNONYM_GROUPS:
            words.extend(normalise(w) for w in group)
        for word in words:
            if word and " " not in word:
                tok.add_word(word)
        self.domain_words = frozenset(words)
        self._compounds = tuple(sorted((w for w in self.domain_words if len(w) >= 2), key=len))
        synonyms: dict[str, set[str]] = {}
        for group in SYNONYM_GROUPS:
            norm = [normalise(w) for w in group]
            for w in norm:
                synonyms.setdefault(w, set()).update(x for x in norm if x != w)
        self._synonyms = {k: tuple(sorted(v)) for k, v in synonyms.items()}
        return tok

    def cut(self, text: str) -> Iterator[str]:
        """jieba search-mode tokens of already normalised `text`, plus contained domain words."""
        tok = self.tokenizer()
        for token in tok.cut_for_search(text, HMM=True):
            yield token
            if len(token) >= 4:
                for word in self._compounds:
                    if len(word) >= len(token):
                        break
                    if word in token:
                        yield word

    def synonyms(self, word: str) -> tuple[str, ...]:
        self.tokenizer()
        return self._synonyms.get(word, ())


def _read_user_dict() -> list[str]:
    text = resources.files("catalog").joinpath("search_dict.txt").read_text(encoding="utf-8")
    words = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


_segmenter = _Segmenter()


def warm_up() -> None:
    """Load jieba and the domain dictionary now (about 0.5 s, once per process)."""
    _segmenter.tokenizer()


def domain_words() -> frozenset[str]:
    """The normalised words of the domain dictionary (and the synonym groups)."""
    _segmenter.tokenizer()
    return _segmenter.domain_words


def _keep(token: str, *, single_chars: bool) -> bool:
    if not _MEANINGFUL.search(token) or token in STOP_WORDS:
        return False
    return single_chars or len(token) > 1


def tokens(text: str, *, single_chars: bool = False) -> Iterator[str]:
    """Index/query terms of `text` (normalised, segmented, filtered; duplicates kept for counting)."""
    norm = normalise(text)
    if not norm:
        return
    for token in _segmenter.cut(norm):
        token = token.strip()
        if _keep(token, single_chars=single_chars):
            yield token[:MAX_TERM_CHARS]


def bigrams(text: str) -> Iterator[str]:
    """Character bigrams of each CJK run of `text` (a one-character run yields itself)."""
    for run in _CJK_RUN.findall(normalise(text)):
        if len(run) == 1:
            continue
        for i in range(len(run) - 1):
            yield run[i : i + 2]


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
        words.update(_segmenter.synonyms(token))
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
    tok = _segmenter.tokenizer()
    groups: dict[str, QueryTerms] = {}

    def add(word: str, alternatives: set[str], pairs: set[str]) -> None:
        key = word[:MAX_TERM_CHARS]
        if key not in groups:
            groups[key] = QueryTerms(
                words=frozenset(a[:MAX_TERM_CHARS] for a in alternatives), bigrams=frozenset(pairs)
            )

    for part in normalise(q).split(" "):
        for word, start, end in tok.tokenize(part, mode="default", HMM=True):
            if not _keep(word, single_chars=True):
                continue
            if _whole(word):
                add(word, {word, *_segmenter.synonyms(word)}, set())
            elif len(word) == 1:
                pairs = {part[max(start - 1, 0) : start + 1], part[start : end + 1]}
                add(word, {word}, {p for p in pairs if len(p) == 2 and _CJK_RUN.fullmatch(p)})
            else:
                for sub in _split_compound(word):
                    alternatives = {sub, *_segmenter.synonyms(sub)}
                    for t in tokens(sub):
                        alternatives.add(t)
                        alternatives.update(_segmenter.synonyms(t))
                    add(sub, alternatives, set(bigrams(sub)))
    return tuple(groups.values())


def _whole(word: str) -> bool:
    """A domain word short enough to be one concept (营业执照), or one with synonyms (最低生活保障)."""
    return word in _segmenter.domain_words and (len(word) <= 4 or bool(_segmenter.synonyms(word)))


def _split_compound(word: str) -> list[str]:
    """`word` if shorter than 4 characters, else its longest dictionary parts, left to right."""
    if len(word) < 4 or not _CJK_RUN.fullmatch(word):
        return [word]
    subs = {t for t in _segmenter.cut(word) if 2 <= len(t) < len(word)}
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
