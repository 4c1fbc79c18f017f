"""The lexicon: every phrase the engine knows, in both languages, and one linear scan that tags an
utterance with them.

Phrases come from ``data/<lang>/lexicon.yaml``. Text is cut into units (an ASCII word, a number, a
single CJK character, a symbol), and a trie over unit sequences finds the longest known phrase at
each position. The cost is linear in the length of the utterance times the longest phrase, whatever
the number of phrases: no template is ever tried one by one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from codriver.numbers import read_number
from codriver.understanding.wordcuts import Cuts, cut

LANGS = ("en", "zh")
KINDS = (
    "device", "action", "zone", "value", "unit", "color", "mode", "need", "dialogue",
    "question", "filler", "sep", "deictic", "stop", "when", "trigger", "time",
)  # fmt: skip
_UNIT = re.compile(
    r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[a-z0-9]+(?:[.'’/&-][a-z0-9]+)*|[\u3400-\u9fff]|[%°#《》+]|[,，.。!！?？;；、:：…]|\s+"
)
_PUNCT = set(",，.。!！?？;；、:：…")
_CONTRACTION = re.compile(r"['’](?:s|ve|ll|re|d)$")
"""An English word's contracted tail ("fan's", "time've", "it'll"): the word is read without it."""
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Tag:
    kind: str
    id: str


@dataclass(frozen=True, slots=True)
class QueryWords:
    """Words trimmed from the edges of a free-text name, and words that are no name alone."""

    starts: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()
    alone: frozenset[str] = frozenset()
    joins: frozenset[str] = frozenset()
    """Connectors a name may hold ("三和大酒店"): no clause break inside a Chinese name."""
    digits: Mapping[str, str] = field(default_factory=dict)
    """Digits as said one by one in a phone number ("幺" → "1")."""
    clause_chars: frozenset[str] = frozenset()
    """Characters of a clause, never of a contact or a place ("不", "吧"): "打电话都不接"."""
    clause_words: tuple[str, ...] = ()
    """Words of a clause, never of a name, whose characters alone may be ("太滑": 太原 is a
    name)."""
    single: frozenset[str] = frozenset()
    """Places said in one character ("家")."""
    title_after: frozenset[str] = frozenset()
    """Words after a title or a singer ("这首歌", "的歌"): a need word before them is part of
    the name ("凉凉这首歌" is a song, not "I'm cold")."""
    not_done: frozenset[str] = frozenset()
    """Words that say a thing was not done ("没有", "didn't"): the verb after them is no
    request."""
    done: frozenset[str] = frozenset()
    """Words that say a thing is done already ("已经", "already"): the verb after them reports,
    it does not ask."""
    not_contact_start: tuple[str, ...] = ()
    """Words a contact's name never starts with ("都", "能"): what follows a call verb with one
    of them is a clause ("打电话能两个小时")."""
    to_whom: tuple[str, ...] = ()
    """Words that put a Chinese contact before the verb ("给妈妈打电话"); without one, the words
    before 打电话 are no contact ("我先走了一会儿打电话")."""


@dataclass(frozen=True, slots=True)
class _Choice:
    kind: str
    size: int
    tags: tuple[Tag, ...] = ()
    number: float | None = None
    soundalike: bool = False


@dataclass(frozen=True, slots=True)
class Token:
    """A span of the utterance: known phrase (``tags``), a number, a clause break, or raw text."""

    kind: str  # "tags" | "number" | "sep" | "raw"
    text: str
    start: int
    end: int
    tags: tuple[Tag, ...] = ()
    number: float | None = None
    heard: bool = False
    """Known only by its sound ("解索" heard as 解锁): a guess at a recognition slip."""

    def has(self, kind: str, ident: str | None = None) -> bool:
        return any(t.kind == kind and (ident is None or t.id == ident) for t in self.tags)

    def ids(self, kind: str) -> list[str]:
        return [t.id for t in self.tags if t.kind == kind]


_NOT_DONE = Tag("dialogue", "negation")
_LONGEST_WHOM = 4
"""Characters of a name between 给 and a call verb that are read as the name whatever they are."""


def _verbs_as_modifiers(tokens: list[Token]) -> list[Token]:
    """A Chinese verb right before 的 describes a thing and asks for nothing ("您拨打的电话已
    关机", "把打开的车窗关上"), unless a verb before it asks for that ("改成翘起来的状态"): it is
    read as plain words."""
    out = list(tokens)
    for i, token in enumerate(tokens[:-1]):
        if not token.ids("action"):
            continue
        negated = i > 0 and tokens[i - 1].text in ("没", "不", "没有")  # "没锁的": unlocked
        if _CJK.match(token.text) and tokens[i + 1].text.startswith("的") and not negated:
            out[i] = Token("raw", token.text, token.start, token.end)
        break  # after a verb, "…改成翘起来的状态": the state it asks for
    return out


def lower(text: str) -> str:
    """NFKC and lower case, keeping every character's position."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def units(text: str) -> list[tuple[str, int, int]]:
    """The units of lowered ``text`` with their character spans; clause breaks as ``|``."""
    out: list[tuple[str, int, int]] = []
    for match in _UNIT.finditer(text):
        unit, start, end = match.group(), match.start(), match.end()
        if unit.isspace():
            before, after = text[:start][-1:], text[end : end + 1]
            if _CJK.match(before or " ") and _CJK.match(after or " "):
                out.append(("|", start, end))
            continue
        out.append(("|" if unit in _PUNCT else unit, start, end))
    return out


class Lexicon:
    """All phrases of both languages in one trie over units, and a second trie over the pinyin of
    the Chinese ones that catches speech-recognition homophone slips ("坐椅加热", "车床")."""

    def __init__(
        self,
        entries: Iterable[tuple[str, Tag]],
        number_words: Iterable[str],
        readings: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._trie: dict[str, Any] = {}
        self._sounds: dict[str, Any] = {}
        self._readings = dict(readings or {})
        self.longest = 1
        for phrase, tag in entries:
            keys = [u for u, _, _ in units(lower(phrase)) if u != "|"]
            if not keys:
                continue
            self.longest = max(self.longest, len(keys))
            _insert(self._trie, [(k,) for k in keys], tag)
            heard_alike = tag.kind in _SOUNDALIKE_KINDS  # command words, where slips matter
            if heard_alike and len(keys) >= _MIN_SOUNDALIKE and all(_CJK.match(k) for k in keys):
                sounds = [self._readings.get(k, (k,)) for k in keys]
                for leaf in _insert(self._sounds, sounds, tag):
                    leaf.setdefault("=", set()).add("".join(keys))
        self.number_words = frozenset(number_words)
        self._cuts: Cuts | None = None
        self._in_title: frozenset[int] = frozenset()
        self.query_words = QueryWords()

    def scan(self, text: str) -> list[Token]:
        """Tag lowered ``text``: the segmentation that covers the most units with known phrases
        and numbers (fewest pieces on a tie), found by dynamic programming over positions."""
        seq = units(text)
        n = len(seq)
        keys = [u for u, _, _ in seq]
        self._in_title = _titled_units(keys)
        cjk = [bool(_CJK.match(u)) for u in keys]
        self._cuts = cut(keys, cjk, self._phrases_or_slips_at(seq)) if any(cjk) else None
        # best[i]: (units covered from i on, -units only heard alike, -pieces, choice at i)
        best: list[tuple[int, int, int, _Choice | None]] = [(0, 0, 0, None)] * (n + 1)
        for i in range(n - 1, -1, -1):
            best[i] = max(
                (
                    (
                        (c.size if c.kind != "raw" else 0) + best[i + c.size][0],
                        (-c.size if c.soundalike else 0) + best[i + c.size][1],
                        best[i + c.size][2] - 1,
                        c,
                    )
                    for c in self._choices(seq, i)
                ),
                key=lambda b: (*b[:3], b[3].size),  # on a tie, the longer piece first
            )
        tokens: list[Token] = []
        i = 0
        while i < n:
            choice = best[i][3]
            assert choice is not None
            start, stop = seq[i][1], seq[i + choice.size - 1][2]
            piece = "|" if choice.kind == "sep" else text[start:stop]
            tokens.append(
                Token(
                    choice.kind, piece, start, stop, choice.tags, choice.number, choice.soundalike
                )
            )
            i += choice.size
        return self._names_unrepaired(tokens)

    def _names_unrepaired(self, tokens: list[Token]) -> list[Token]:
        """The tokens, with a sound-alike guess beside an unknown Chinese character read as the
        words it is: a slip is repaired where the words around it are known ("坐椅加热"), not
        inside a name nobody knows ("民生尚都" holds no 升上, "新建小学" no 减小)."""
        out: list[Token] = []
        for i, token in enumerate(tokens):
            near = tokens[max(0, i - 1) : i] + tokens[i + 1 : i + 2]
            if token.heard and any(t.kind == "raw" and _CJK.match(t.text) for t in near):
                out.extend(self._exactly(token))
            else:
                out.append(token)
        return self._whom(self._not_done(_verbs_as_modifiers(self._titled(out))))

    def _whom(self, tokens: list[Token]) -> list[Token]:
        """The name between 给 and a call verb read as a name, whatever words it holds ("给刘开放
        打个电话" holds 放; "给关晓彤打电话" holds 关)."""
        named: set[int] = set()
        for k, token in enumerate(tokens):
            if "call" not in token.ids("action"):
                continue
            m = k - 1
            while (
                m >= 0
                and tokens[m].kind != "sep"
                and tokens[m].text not in self.query_words.to_whom
            ):
                m -= 1
            if m < 0 or tokens[m].kind == "sep" or not _CJK.match(tokens[m].text):
                continue
            if 2 <= token.start - tokens[m].end <= _LONGEST_WHOM:
                named.update(range(m + 1, k))
        out: list[Token] = []
        for i, token in enumerate(tokens):
            if i in named and token.kind == "tags":
                out.extend(Token("raw", c, token.start + n, token.start + n + 1)
                           for n, c in enumerate(token.text))  # fmt: skip
            else:
                out.append(token)
        return out

    def _not_done(self, tokens: list[Token]) -> list[Token]:
        """A verb after "没"/"didn't" says what was not done ("我没有打开空调", "I never opened
        the window"): a statement, so the verb is read as a "no" and asks for nothing."""
        out = list(tokens)
        words = self.query_words
        for i, token in enumerate(tokens[1:], 1):
            before = tokens[i - 1].text.strip().lower()
            said = "".join(t.text for t in tokens[max(0, i - 3) : i]).lower()  # "已经" is no token
            done = before in words.not_done or said.endswith(tuple(words.done))
            if token.ids("action") and done:
                out[i] = replace(token, tags=(*token.tags, _NOT_DONE))
        return out

    def _titled(self, tokens: list[Token]) -> list[Token]:
        """Need words in the name before "这首歌" or "的歌" read as that name ("凉凉这首歌" is a
        song and "冷漠的歌曲" a singer's, not "I'm cold")."""
        out = list(tokens)
        for i, token in enumerate(tokens):
            if token.text not in self.query_words.title_after:
                continue
            j = i - 1
            while j >= 0 and (
                out[j].ids("need") or (out[j].kind == "raw" and _CJK.match(out[j].text))
            ):
                if out[j].ids("need"):
                    out[j] = Token("raw", out[j].text, out[j].start, out[j].end)
                j -= 1
        return out

    def _exactly(self, token: Token) -> list[Token]:
        """The words of ``token``'s span by their letters alone (longest known phrase first)."""
        seq = units(lower(token.text))
        out, i = [], 0
        while i < len(seq):
            size, tags = self._longest(seq, i)
            size = max(size, 1)
            start, stop = token.start + seq[i][1], token.start + seq[i + size - 1][2]
            kind = "tags" if tags else "raw"
            out.append(Token(kind, token.text[seq[i][1] : seq[i + size - 1][2]], start, stop,
                             tuple(tags)))  # fmt: skip
            i += size
        return out

    def _choices(self, seq: list[tuple[str, int, int]], i: int) -> list[_Choice]:
        if seq[i][0] == "|":
            return [_Choice("sep", 1)]
        if i in self._in_title:
            return [_Choice("raw", 1)]  # inside 《》: a title, whatever words it holds
        unit = seq[i][0]
        base = _CONTRACTION.sub("", unit)
        if unit not in self._trie and base != unit and base in self._trie:
            cut = len(unit) - len(base)  # "the fan's too strong", "what time've we got"
            seq[i] = (base, seq[i][1], seq[i][2] - cut)
        choices = [_Choice("raw", 1)]
        node = self._trie
        for j in range(i, min(len(seq), i + self.longest)):
            node = node.get(seq[j][0])  # type: ignore[assignment]
            if node is None:
                break
            if "" in node:
                choices.append(_Choice("tags", j - i + 1, tuple(node[""])))
        heard, heard_tags = self._soundalike(seq, i)
        if heard:
            choices.append(_Choice("tags", heard, tuple(heard_tags), soundalike=True))
        if self._cuts is not None:
            cuts = self._cuts
            choices = [c for c in choices if c.kind != "tags" or cuts.allows(i, c.size)]
        size, number = self._number(seq, i)
        if size:
            choices.append(_Choice("number", size, number=number))
        return choices

    def _phrases_at(self, keys: Sequence[str], i: int) -> list[int]:
        """The sizes of the known phrases that start at ``keys[i]``."""
        node, sizes = self._trie, []
        for j in range(i, min(len(keys), i + self.longest)):
            node = node.get(keys[j])  # type: ignore[assignment]
            if node is None:
                break
            if "" in node:
                sizes.append(j - i + 1)
        return sizes

    def _phrases_or_slips_at(
        self, seq: list[tuple[str, int, int]]
    ) -> Callable[[Sequence[str], int], list[int]]:
        """The sizes of the known phrases at a position, and of one heard alike ("坐椅加热")."""

        def sizes(keys: Sequence[str], i: int) -> list[int]:
            heard = self._soundalike(seq, i)[0]
            return [*self._phrases_at(keys, i), *([heard] if heard else [])]

        return sizes

    def _longest(self, seq: list[tuple[str, int, int]], i: int) -> tuple[int, list[Tag]]:
        node, best, best_tags = self._trie, 0, []
        for j in range(i, min(len(seq), i + self.longest)):
            node = node.get(seq[j][0])  # type: ignore[assignment]
            if node is None:
                break
            if "" in node:
                best, best_tags = j - i + 1, node[""]
        return best, best_tags

    def _soundalike(self, seq: list[tuple[str, int, int]], i: int) -> tuple[int, list[Tag]]:
        """The longest Chinese phrase that sounds like the text at ``i`` (tones ignored)."""
        if not self._sounds or not _CJK.match(seq[i][0]):
            return 0, []
        nodes = [self._sounds]
        best, best_tags = 0, []
        for j in range(i, min(len(seq), i + self.longest)):
            sounds = self._readings.get(seq[j][0])
            if not sounds:
                break
            nodes = [n[s] for n in nodes for s in sounds if s in n]
            if not nodes:
                break
            for node in nodes:
                if "" in node and j - i + 1 > best and self._slips(seq, i, node):
                    best, best_tags = j - i + 1, node[""]
        return (best, best_tags) if best >= _MIN_SOUNDALIKE else (0, [])

    def _slips(self, seq: list[tuple[str, int, int]], start: int, node: dict[str, Any]) -> bool:
        """A plausible recognition slip: each misheard character stands where no known phrase
        starts (so in "开慢速", where "慢速" is a phrase, "开慢" is not taken for "开满"), and it
        cuts no known phrase in two."""
        size = len(next(iter(node["="])))
        heard = [u for u, _, _ in seq[start : start + size]]
        if any(start + k + self._longest(seq, start + k)[0] > start + size for k in range(size)):
            return False  # it would cut a known phrase in two ("轻音|乐" is not "声音")
        for phrase in node["="]:
            wrong = [k for k, (a, b) in enumerate(zip(heard, phrase, strict=False)) if a != b]
            if all(not self._longest(seq, start + k)[0] for k in wrong):
                return True
        return False

    def _number(self, seq: list[tuple[str, int, int]], i: int) -> tuple[int, float | None]:
        return read_number(seq, i, self.number_words)


_MIN_SOUNDALIKE = 2
_SOUNDALIKE_KINDS = ("device", "action", "mode", "zone", "color")


def _titled_units(keys: Sequence[str]) -> frozenset[int]:
    """The units inside 《》 (a title written as one)."""
    inside: set[int] = set()
    opened: int | None = None
    for i, key in enumerate(keys):
        if key == "《":
            opened = i
        elif key == "》" and opened is not None:
            inside.update(range(opened + 1, i))
            opened = None
    return frozenset(inside)


def _insert(
    trie: dict[str, Any], positions: list[tuple[str, ...]], tag: Tag
) -> list[dict[str, Any]]:
    """Add ``tag`` under every path through ``positions`` (the keys each unit may take)."""
    nodes = [trie]
    for options in positions:
        nodes = [node.setdefault(option, {}) for node in nodes for option in options][:64]
    for node in nodes:
        tags = node.setdefault("", [])
        if tag not in tags:
            tags.append(tag)
    return nodes
