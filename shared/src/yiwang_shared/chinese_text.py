"""Chinese text for search: normalisation, one jieba tokenizer with the domain dictionary, bigrams.

Every service that searches Chinese text cuts it here, so an index and a query (and two services)
cut the same text the same way:

1. **normalise**: NFKC (full-width letters, digits and punctuation → half-width, the ideographic
   space → a space), latin lower-cased, whitespace collapsed;
2. **segment** with one private `jieba.Tokenizer` plus the domain user dictionary
   `data/chinese_words.txt` (低保, 最低生活保障, 营业执照, 一件事 …) and the words of
   `SYNONYM_GROUPS`: `search_tokens` is jieba's search mode (a word and its dictionary sub-words,
   高龄老年人 → 高龄, 老年, 老年人 …), and a token that contains a domain word also yields it
   (最低生活保障金 → 最低生活保障); `word_spans` is the precise cut with positions;
3. **bigrams**: the character bigrams of each CJK run, so a query that jieba cuts differently, or
   a fragment of a word, still matches ("龄老" in 高龄老年人津贴).

What to keep (stop words, single characters, term widths) is each search's own rule.

jieba loads its 20 MB dictionary once per process (about 0.5 s; it caches the prefix dictionary
under the temp dir, or `YIWANG_JIEBA_CACHE_DIR`). `warm_up()` does it up front (call it in the
service's start-up so the first search does not pay); otherwise the first use does, once, under a
lock.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from importlib import resources

import jieba

__all__ = [
    "SYNONYM_GROUPS",
    "bigrams",
    "domain_words",
    "is_cjk",
    "normalise",
    "search_tokens",
    "synonyms",
    "warm_up",
    "word_spans",
]

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
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width → half-width (NFKC), latin lower-cased, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def is_cjk(text: str) -> bool:
    """Whether `text` is non-empty and all CJK ideographs."""
    return _CJK_RUN.fullmatch(text) is not None


def _read_dictionary() -> list[str]:
    """The words of the domain dictionary (the first field of each non-comment line)."""
    text = resources.files("yiwang_shared").joinpath("data/chinese_words.txt").read_text(encoding="utf-8")
    words = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


def _synonym_map() -> dict[str, tuple[str, ...]]:
    """Each normalised word of SYNONYM_GROUPS → the other words of its group, sorted."""
    found: dict[str, set[str]] = {}
    for group in SYNONYM_GROUPS:
        norm = [normalise(w) for w in group]
        for w in norm:
            found.setdefault(w, set()).update(x for x in norm if x != w)
    return {k: tuple(sorted(v)) for k, v in found.items()}


class _Segmenter:
    """One jieba tokenizer with the domain dictionary, built on first use (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokenizer: jieba.Tokenizer | None = None
        self.domain_words: frozenset[str] = frozenset()
        self._compounds: tuple[str, ...] = ()

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
        cache_dir = os.environ.get("YIWANG_JIEBA_CACHE_DIR")
        if cache_dir:
            os.makedirs(cache_dir, exist_ok=True)
            tok.tmp_dir = cache_dir
        tok.initialize()
        words = [normalise(w) for w in _read_dictionary()]
        for group in SYNONYM_GROUPS:
            words.extend(normalise(w) for w in group)
        for word in words:
            if word and " " not in word:
                tok.add_word(word)
        self.domain_words = frozenset(words)
        self._compounds = tuple(sorted((w for w in self.domain_words if len(w) >= 2), key=len))
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


_segmenter = _Segmenter()
_synonyms = _synonym_map()


def warm_up() -> None:
    """Load jieba and the domain dictionary now (about 0.5 s, once per process)."""
    _segmenter.tokenizer()


def domain_words() -> frozenset[str]:
    """The normalised words of the domain dictionary (and of the synonym groups)."""
    _segmenter.tokenizer()
    return _segmenter.domain_words


def synonyms(word: str) -> tuple[str, ...]:
    """The other words of `word`'s synonym group (`word` normalised), sorted; () if none."""
    return _synonyms.get(word, ())


def search_tokens(text: str) -> Iterator[str]:
    """jieba search-mode tokens of normalised `text`, plus the domain words a long token contains.

    Unfiltered: punctuation, spaces and stop words come through (duplicates too); keeping the
    meaningful ones is the caller's rule.
    """
    norm = normalise(text)
    if norm:
        yield from _segmenter.cut(norm)


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """jieba's precise cut of `text` as (word, start, end); pass normalised text (no spaces)."""
    yield from _segmenter.tokenizer().tokenize(text, mode="default", HMM=True)


def bigrams(text: str) -> Iterator[str]:
    """Character bigrams of each CJK run of normalised `text` (a one-character run yields none)."""
    for run in _CJK_RUN.findall(normalise(text)):
        for i in range(len(run) - 1):
            yield run[i : i + 2]
