"""Grouping tickets by topic (热点问题): TF-IDF vectors of their words and single-pass clustering.

The text is cut by jieba's precise mode through `yiwang_shared.chinese_text` (whole words; stop
words, numbers and single characters dropped), the title counting twice; words every complaint uses
(反映, 解决 …) are dropped too. Each ticket becomes a TF-IDF vector — term weight
(1 + log tf) · (log((1 + N) / (1 + df)) + 1), N tickets seen and df of them holding the term —
normalised to length 1 and cut to its heaviest `VECTOR_TERMS` terms.

Single-pass clustering (the method of topic detection and tracking): tickets are taken oldest
first; each joins the topic whose centroid is most alike (cosine) if that is at least the
threshold, and the centroid moves to the mean of its tickets; otherwise the ticket founds a new
topic. It is incremental (yesterday's topics keep their ids and tickets; a new ticket costs one
comparison with the topics sharing a term with it, found through an inverted index), needs no
number of topics chosen in advance, and each step can be explained. ADR 0015 says why not a library.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from yiwang_shared.chinese_text import normalise, word_spans
from yiwang_shared.orm import new_id

from .search import STOP
from .search import WORD as CJK_OR_WORD

#: Words any ticket may use whatever it is about: they say nothing of the topic.
TOPIC_STOP = frozenset(
    [
        "反映",
        "来电",
        "市民",
        "诉求",
        "希望",
        "要求",
        "解决",
        "处理",
        "问题",
        "情况",
        "相关",
        "部门",
        "尽快",
        "一直",
        "现在",
        "已经",
        "目前",
        "无人",
        "没人",
        "多次",
        "严重",
        "影响",
        "附近",
        "小区",
        "居民",
        "我们",
        "家里",
        "每天",
        "最近",
        "近期",
        "联系",
        "核实",
        "协调",
    ]
)
#: The heaviest terms kept of a ticket's vector and of a topic's centroid.
VECTOR_TERMS = 30
CENTROID_TERMS = 60
#: Keywords shown for a topic (its label joins the first three).
KEYWORDS = 5

Vector = dict[str, float]


def _words(text: str) -> list[str]:
    """jieba's precise cut of `text` (whole words: 占道 经营, not also the search mode's 道经),
    without stop words, single characters and numbers."""
    out = []
    for chunk in CJK_OR_WORD.findall(normalise(text)):
        for word, _, _ in word_spans(chunk):
            if len(word) > 1 and not word.isdigit() and word not in STOP and word not in TOPIC_STOP:
                out.append(word)
    return out


def ticket_terms(title: str, description: str) -> Counter[str]:
    """The words of a ticket counted (the title's twice), without words every ticket uses."""
    counts: Counter[str] = Counter()
    for w in _words(title):
        counts[w] += 2
    for w in _words(description):
        counts[w] += 1
    return counts


def _normalised(weights: dict[str, float], keep: int) -> Vector:
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
    norm = math.sqrt(sum(w * w for _, w in top))
    return {t: w / norm for t, w in top} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors (their dot product)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def keywords_of(centroid: Vector, n: int = KEYWORDS) -> list[str]:
    """The heaviest terms of a centroid, skipping a term inside one already chosen (施工 in 夜间施工)."""
    chosen: list[str] = []
    for term, _ in sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0])):
        if any(term in c or c in term for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == n:
            break
    return chosen


@dataclass
class Cluster:
    """A topic as the clustering holds it."""

    id: str
    centroid: Vector
    size: int
    example_title: str
    new: bool = False
    changed: bool = False

    @property
    def keywords(self) -> list[str]:
        """Its keywords."""
        return keywords_of(self.centroid)

    @property
    def label(self) -> str:
        """Its label: the first three keywords."""
        return "、".join(self.keywords[:3])[:100] or self.example_title[:100]


@dataclass
class TopicModel:
    """The corpus statistics and the topics; `assign` places one ticket."""

    documents: int
    document_frequencies: dict[str, int]
    clusters: list[Cluster]
    threshold: float
    make_id: Callable[[], str] = new_id
    _index: dict[str, set[int]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for i, c in enumerate(self.clusters):
            self._index_cluster(i, c.centroid)

    def _index_cluster(self, i: int, centroid: Vector) -> None:
        for term in centroid:
            self._index.setdefault(term, set()).add(i)

    def observe(self, terms: Iterable[str]) -> None:
        """Count a ticket in the corpus statistics (before vectorising it)."""
        self.documents += 1
        for t in set(terms):
            self.document_frequencies[t] = self.document_frequencies.get(t, 0) + 1

    def vector(self, counts: Counter[str]) -> Vector:
        """The ticket's TF-IDF vector, normalised, its heaviest terms only."""
        n = self.documents
        weights = {
            t: (1 + math.log(c)) * (math.log((1 + n) / (1 + self.document_frequencies.get(t, 0))) + 1)
            for t, c in counts.items()
        }
        return _normalised(weights, VECTOR_TERMS)

    def nearest(self, v: Vector) -> tuple[int | None, float]:
        """The most alike topic sharing a term with `v`, and how alike (cosine)."""
        candidates: set[int] = set()
        for t in v:
            candidates |= self._index.get(t, set())
        best, best_sim = None, 0.0
        for i in sorted(candidates):
            sim = cosine(v, self.clusters[i].centroid)
            if sim > best_sim:
                best, best_sim = i, sim
        return best, best_sim

    def assign(self, title: str, description: str) -> tuple[Cluster, float]:
        """Place one ticket (oldest first): the topic it joins or founds, and its similarity."""
        counts = ticket_terms(title, description)
        self.observe(counts)
        v = self.vector(counts)
        i, sim = self.nearest(v)
        if i is not None and sim >= self.threshold:
            c = self.clusters[i]
            merged = {t: w * c.size for t, w in c.centroid.items()}
            for t, w in v.items():
                merged[t] = merged.get(t, 0.0) + w
            c.size += 1
            c.centroid = _normalised(merged, CENTROID_TERMS)
            c.changed = True
            self._index_cluster(i, c.centroid)
            return c, round(sim, 4)
        c = Cluster(id=self.make_id(), centroid=v, size=1, example_title=title[:200], new=True, changed=True)
        self.clusters.append(c)
        self._index_cluster(len(self.clusters) - 1, v)
        return c, 1.0


def adjusted_rand_index(truth: list[str], found: list[str]) -> float:
    """How well two groupings of the same items agree, 1 identical, about 0 by chance (Hubert and
    Arabie 1985)."""

    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    cells = Counter(zip(truth, found, strict=True))
    rows, cols = Counter(truth), Counter(found)
    index = sum(pairs(n) for n in cells.values())
    a, b = sum(pairs(n) for n in rows.values()), sum(pairs(n) for n in cols.values())
    expected = a * b / pairs(len(truth)) if len(truth) > 1 else 0.0
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def purity(truth: list[str], found: list[str]) -> float:
    """The share of items whose group's most common true label is their own."""
    by_group: dict[str, Counter[str]] = {}
    for t, f in zip(truth, found, strict=True):
        by_group.setdefault(f, Counter())[t] += 1
    return sum(c.most_common(1)[0][1] for c in by_group.values()) / len(truth) if truth else 1.0
