"""Where the words of a Chinese utterance begin and end, by how often words are used.

The lexicon knows the car's phrases, and a phrase found inside a name eats it: "播放大话西游" holds
放大 ("enlarge"), "开封火车站" holds 开 ("open"), "三门峡" holds 三 and 门. People hear words first:
播放 | 大话西游, 开封 | 火车站. So before the car's phrases are matched, the utterance is cut into
the most probable sequence of words (a unigram model over a general Chinese vocabulary with word
frequencies, ``data/zh/vocabulary.tsv``, the car's phrases counted as frequent words), and a car
phrase may then not run across a cut, nor sit inside a word the car's phrases do not spell whole
(开 inside 开封; but 回 and 家 inside 回家 keep their meaning).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from codriver.errors import ConfigError

LONGEST = 6
"""The longest general word looked up, in characters."""
PHRASE_COUNT = 20_000.0
"""How often one of the car's phrases counts as used, at least: a command word is a word."""
_UNKNOWN_COUNT = 0.5
"""A character the vocabulary lacks: rarer than any it has."""


TOTAL = "# log total "
"""The header line with the log of the sum of the dictionary's counts (of every word)."""
STEPS = 2
"""Log counts are kept in steps of 1/2 (small integers, which Python shares): ample for choosing
between readings, and a tenth of the memory of floats."""
NAMED = 100
"""Added to a name's log count in steps (below 256 still, so still shared)."""
CONTENT = 200
"""Added to the log count of a noun or adjective that is not one of the car's verbs and its object
(热情, 关系, 热点; not 回家): a car phrase may be its head, at its end (情歌 is a 歌), not the start
of another meaning."""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    steps: dict[str, int]
    """Each word's log count in steps, plus ``NAMED`` for a name."""
    log_total: float

    def score(self, word: str) -> float | None:
        """The log probability of ``word`` alone, None when the vocabulary lacks it."""
        steps = self.steps.get(word)
        return None if steps is None else (steps % NAMED) / STEPS - self.log_total

    def named(self, word: str) -> bool:
        """Whether ``word`` is a name or a set phrase (a place, a person, an idiom)."""
        return NAMED <= self.steps.get(word, 0) < CONTENT

    def content(self, word: str) -> bool:
        """Whether ``word`` is a noun or adjective the car's phrases do not spell whole."""
        return self.steps.get(word, 0) >= CONTENT


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once, on the first Chinese utterance): lines of ``word TAB
    steps`` under a header of ``#`` lines."""
    resource = resources.files("codriver.understanding").joinpath("data/zh/vocabulary.tsv")
    steps: dict[str, int] = {}
    log_total = None
    try:
        with resource.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith(TOTAL):
                    log_total = float(line[len(TOTAL) :])
                elif not line.startswith("#"):
                    word, _, value = line.partition("\t")
                    steps[word] = int(value)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the Chinese vocabulary: {exc}") from exc
    if log_total is None:
        raise ConfigError("the Chinese vocabulary has no total count")
    return Vocabulary(steps, log_total)


@dataclass(frozen=True, slots=True)
class Cuts:
    """Which pieces of a unit sequence a car phrase may take."""

    cuts: frozenset[int]
    """Unit positions where a general word (no car phrase) begins or ends."""
    sealed: frozenset[int]
    """Units inside a word that the car's phrases do not spell whole."""

    def allows(self, i: int, size: int) -> bool:
        """Whether a car phrase may cover units ``i`` to ``i + size``."""
        if any(u in self.sealed for u in range(i, i + size)):
            return False
        return not any(c in self.cuts for c in range(i + 1, i + size))


PhrasesAt = Callable[[Sequence[str], int], list[int]]
"""The sizes of the car's phrases that start at a position of a character sequence."""


def cut(chars: Sequence[str], is_cjk: Sequence[bool], phrases_at: PhrasesAt) -> Cuts:
    """The most probable words of ``chars`` where they are Chinese; other units stand alone."""
    vocab = vocabulary()
    n = len(chars)
    phrase_score = math.log(PHRASE_COUNT) - vocab.log_total
    unknown = math.log(_UNKNOWN_COUNT) - vocab.log_total
    # best[i]: (log probability of chars[i:], size of the first word, is it a car phrase)
    best: list[tuple[float, int, bool]] = [(0.0, 0, False)] * (n + 1)
    for i in range(n - 1, -1, -1):
        if not is_cjk[i]:
            best[i] = (best[i + 1][0], 1, True)
            continue
        options: list[tuple[float, int, bool]] = []
        phrases = set(phrases_at(chars, i))
        text = ""
        for j in range(i, min(n, i + LONGEST)):
            if not is_cjk[j]:
                break
            text += chars[j]
            size = j - i + 1
            score = vocab.score(text)
            if size in phrases:
                score = max(score if score is not None else phrase_score, phrase_score)
            elif score is None:
                score = unknown if size == 1 else None
            if score is not None:
                options.append((score + best[j + 1][0], size, size in phrases))
        for size in phrases:  # car phrases longer than any general word
            if size > LONGEST and all(is_cjk[i : i + size]):
                options.append((phrase_score + best[i + size][0], size, True))
        best[i] = max(options)
    return _cuts(best, n, chars, phrases_at, vocab)


def _cuts(
    best: list[tuple[float, int, bool]],
    n: int,
    chars: Sequence[str],
    phrases_at: PhrasesAt,
    vocab: Vocabulary,
) -> Cuts:
    """The edges of the general words (two characters or more, no car phrase) the best reading
    holds (a car phrase may not run across one); the units of the names among them that the car's
    phrases do not spell, and of the nouns and adjectives but for their heads. Single characters
    cut nothing: between the car's phrases and loose characters the lexicon's own reading (the
    most characters in phrases) decides."""
    cuts: set[int] = set()
    sealed: set[int] = set()
    i = 0
    while i < n:
        _, size, phrase = best[i]
        if size > 1 and not phrase:
            cuts.update((i, i + size))
            word = "".join(chars[i : i + size])
            if vocab.named(word) and not _spelled(chars, i, size, phrases_at):
                sealed.update(range(i, i + size))
            elif vocab.content(word):
                sealed.update(range(i, i + size - _head(chars, i, size, phrases_at)))
        i += size
    return Cuts(frozenset(cuts), frozenset(sealed))


def _head(chars: Sequence[str], i: int, size: int, phrases_at: PhrasesAt) -> int:
    """The length of the longest car phrase that ends the word at ``i`` (its head: 歌 in 情歌,
    门 in 车门), 0 for none."""
    end = i + size
    return next((k for k in range(size - 1, 0, -1) if k in phrases_at(chars, end - k)), 0)


def _spelled(chars: Sequence[str], i: int, size: int, phrases_at: PhrasesAt) -> bool:
    """Whether the car's phrases spell the word at ``i`` whole ("回家" is 回 + 家)."""
    ends = {i}
    for a in range(i, i + size):
        if a in ends:
            ends.update(a + s for s in phrases_at(chars, a) if a + s <= i + size)
    return i + size in ends
