"""Okapi BM25 over short documents in either language: English by word stems, Chinese by
character bigrams (no segmenter needed), with a measure of how much of a question a document
covers, so that a question about something the documents never mention is recognised as a miss.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


class Tokenizer:
    """English word stems and Chinese character bigrams of a text, without ``stopwords``.

    A Chinese stopword also splits the text around it, so "充电口怎么打开" gives 充电 电口 打开
    and no bigram across "怎么"; a single character left alone counts as itself.
    """

    def __init__(self, stopwords: Iterable[str] = ()) -> None:
        self.stopwords = frozenset(str(w).lower() for w in stopwords)
        chinese = sorted(filter(_CJK_RUN.fullmatch, self.stopwords), key=len, reverse=True)
        self._split = re.compile("|".join(map(re.escape, chinese))) if chinese else None

    def __call__(self, text: str) -> list[str]:
        low = text.lower()
        tokens = [_stem(w) for w in _WORD.findall(low) if w not in self.stopwords]
        for run in _CJK_RUN.findall(low):
            pieces = self._split.split(run) if self._split else [run]
            for piece in filter(None, pieces):
                if len(piece) == 1:
                    tokens.append(piece)
                tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        return tokens


def _stem(word: str) -> str:
    """A light English stemmer: enough that "lights", "charging" and "tyres" meet their roots."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("e", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


@dataclass(frozen=True, slots=True)
class Ranked:
    """A document's place for one query: its BM25 score and the share of the query's weight
    (IDF of its distinct terms) that it contains, 0 to 1."""

    doc: int
    score: float
    coverage: float


class BM25:
    """The index: term frequencies per document and inverse document frequencies."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self._tf = [Counter(d) for d in docs]
        self._len = [len(d) for d in docs]
        self._avg = sum(self._len) / len(docs) if docs else 0.0
        df = Counter(t for tf in self._tf for t in tf)
        n = len(docs)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self._unseen = math.log(1 + (n + 0.5) / 0.5)

    def rank(self, query: Sequence[str]) -> list[Ranked]:
        """Every document that shares a term with ``query``, best first."""
        terms = set(query) - self._seams(query)
        total = sum(self._idf.get(t, self._unseen) for t in terms)
        ranked = []
        for doc, tf in enumerate(self._tf):
            shared = terms & tf.keys()
            if not shared:
                continue
            norm = self.k1 * (1 - self.b + self.b * self._len[doc] / self._avg)
            score = sum(
                self._idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm) for t in query if t in tf
            )
            coverage = sum(self._idf[t] for t in shared) / total
            ranked.append(Ranked(doc, score, coverage))
        return sorted(ranked, key=lambda r: (-r.score, r.doc))

    def _seams(self, query: Sequence[str]) -> set[str]:
        """Unknown Chinese bigrams between two known ones: the seam of two words ("刹车|灯亮"
        gives 车灯), which says nothing about the question and must not lower its coverage."""
        seams = set()
        for left, mid, right in zip(query, query[1:], query[2:], strict=False):
            if (
                mid not in self._idf
                and left in self._idf
                and right in self._idf
                and all(len(t) == 2 and _CJK_RUN.fullmatch(t) for t in (left, mid, right))
                and left[1] == mid[0]
                and mid[1] == right[0]
            ):
                seams.add(mid)
        # a lone Chinese character nobody wrote about ("在哪加" leaves 加) is grammar, not topic
        seams.update(t for t in query if len(t) == 1 and t not in self._idf and _CJK_RUN.match(t))
        return seams
