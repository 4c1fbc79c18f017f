"""The fuzz harness's words (``data/fuzz.yaml``, ``data/fuzz_mutations.yaml``) and how it reads
an utterance: is it a question, is it a clear "yes", does a question name an action.

The reading is the harness's own, written from the wording of issue 14, not the engine's: a
question changes nothing, and only a clear yes to a question that named an unlock may unlock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from codriver.text import Lang
from codriver.vehicle.catalog import Value

ANY = "any"
"""An effect value that matches any change."""


@dataclass(frozen=True, slots=True)
class Effect:
    """A change a request would make: a signal glob and the value it takes (``{gt: N}``, ANY)."""

    glob: str
    value: object

    def matches(self, path: str, old: Value | None, new: Value | None) -> bool:
        if not fnmatchcase(path, self.glob):
            return False
        if self.value == ANY:
            return True
        if isinstance(self.value, Mapping):
            low = self.value.get("gt")
            ok = isinstance(new, int | float) and not isinstance(new, bool)
            return ok and isinstance(low, int | float) and new > low  # type: ignore[operator]
        return new == self.value and type(new) is type(self.value)


@dataclass(frozen=True, slots=True)
class Risky:
    """A request the gate must hold back while moving, its effects and its phrasings."""

    id: str
    effects: tuple[Effect, ...]
    gaze: str | None
    phrasings: Mapping[Lang, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Reading:
    """The word lists :func:`is_question`, :func:`is_yes` and :func:`names` use."""

    question_end: tuple[str, ...]
    en_wh: frozenset[str]
    en_aux: frozenset[str]
    en_subjects: frozenset[str]
    en_do_subjects: frozenset[str]
    en_when_aux: frozenset[str]
    en_requests: tuple[str, ...]
    zh_wh_start: tuple[str, ...]
    zh_wh_any: tuple[str, ...]
    zh_requests: tuple[str, ...]
    clause_split: re.Pattern[str]
    yes: frozenset[str]
    yes_words: Mapping[Lang, tuple[str, ...]]
    yes_tails: frozenset[str]
    yes_leads: tuple[str, ...]
    names: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Mutations:
    """How utterances are garbled (``data/fuzz_mutations.yaml``)."""

    homophones: Mapping[Lang, Mapping[str, tuple[str, ...]]]
    keyboard: tuple[str, ...]
    code_mix: tuple[tuple[str, str], ...]
    numbers: Mapping[str, tuple[str, ...]]
    """``plain``, ``en``, ``zh``: replacements for a number; ``runs``: numerals to repeat."""
    unicode_blocks: tuple[tuple[int, int], ...]


def _mutations(raw: Mapping[str, Any]) -> Mutations:
    return Mutations(
        homophones={
            lang: {str(k): tuple(v) for k, v in raw["homophones"][lang].items()}
            for lang in ("en", "zh")
        },
        keyboard=tuple(raw["keyboard"]),
        code_mix=tuple((str(en), str(zh)) for en, zh in raw["code_mix"]),
        numbers={k: tuple(str(x) for x in v) for k, v in raw["numbers"].items()},
        unicode_blocks=tuple((int(a), int(b)) for a, b in raw["unicode_blocks"]),
    )


@dataclass(frozen=True, slots=True)
class Phrases:
    """Everything the generators draw from."""

    risky: tuple[Risky, ...]
    safe: Mapping[Lang, tuple[str, ...]]
    wrappers: Mapping[str, Mapping[Lang, tuple[str, ...]]]
    questions: Mapping[Lang, tuple[str, ...]]
    follow_ups: Mapping[Lang, tuple[str, ...]]
    deictic: Mapping[Lang, tuple[str, ...]]
    reading: Reading
    mutations: Mutations
    risky_calls: tuple[tuple[str, Mapping[str, object]], ...]
    risky_writes: Mapping[str, Value]
    strings: tuple[str, ...]
    grant_paths: tuple[tuple[str, str], ...]


def _langs(raw: Mapping[str, Any]) -> dict[Lang, tuple[str, ...]]:
    return {"en": tuple(raw["en"]), "zh": tuple(raw["zh"])}


def _reading(raw: Mapping[str, Any]) -> Reading:
    splits = sorted(raw["clause_split"], key=len, reverse=True)
    return Reading(
        question_end=tuple(raw["question_end"]),
        en_wh=frozenset(raw["en_wh"]),
        en_aux=frozenset(raw["en_aux"]),
        en_subjects=frozenset(raw["en_subjects"]),
        en_do_subjects=frozenset(raw["en_do_subjects"]),
        en_when_aux=frozenset(raw["en_when_aux"]),
        en_requests=tuple(raw["en_requests"]),
        zh_wh_start=tuple(raw["zh_wh_start"]),
        zh_wh_any=tuple(raw["zh_wh_any"]),
        zh_requests=tuple(raw["zh_requests"]),
        clause_split=re.compile("|".join(re.escape(s) for s in splits)),
        yes=frozenset(_plain(w) for lang in ("en", "zh") for w in raw["yes"][lang]),
        yes_words=_langs(raw["yes"]),
        yes_tails=frozenset(_plain(w) for lang in ("en", "zh") for w in raw["yes_tails"][lang]),
        yes_leads=tuple(_plain(w) for lang in ("en", "zh") for w in raw["yes_leads"][lang]),
        names={k: tuple(v) for k, v in raw["names"].items()},
    )


def _load(name: str) -> Any:
    text = resources.files("codriver.testing").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def phrases() -> Phrases:
    """The shipped word lists (loaded once per process)."""
    raw = _load("fuzz.yaml")
    risky = tuple(
        Risky(
            id=str(item["id"]),
            effects=tuple(Effect(str(g), v) for g, v in item["effects"].items()),
            gaze=item.get("gaze"),
            phrasings=_langs(item),
        )
        for item in raw["risky"]
    )
    return Phrases(
        risky=risky,
        safe=_langs(raw["safe"]),
        wrappers={kind: _langs(forms) for kind, forms in raw["wrappers"].items()},
        questions=_langs(raw["questions"]),
        follow_ups=_langs(raw["follow_ups"]),
        deictic=_langs(raw["deictic"]),
        reading=_reading(raw["reading"]),
        mutations=_mutations(_load("fuzz_mutations.yaml")),
        risky_calls=tuple((str(name), dict(args)) for name, args in raw["risky_calls"]),
        risky_writes=dict(raw["risky_writes"]),
        strings=tuple(raw["strings"]),
        grant_paths=tuple((str(glob), str(grant)) for glob, grant in raw["grant_paths"]),
    )


# -- reading an utterance ---------------------------------------------------------------------

_PUNCT = re.compile(r"[\s\.,!?;:'\"。，！？；：、…~～\-]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_A_NOT_A = re.compile(r"(?<![不没])(?![不没])([\u3400-\u9fff])[不没]\1")
"""X不X, X没X ("锁没锁"), not a 不X said twice ("不用不用")."""
_PHRASE_RUN = re.compile(r"[A-Za-z']+(?:\s+[A-Za-z']+)+")
"""An English phrase of two words or more."""


def _switches(text: str) -> str:
    """``text`` with a space where a Chinese character meets an English phrase of two words or
    more ("…have left回到上一首": two sentences run together), so that the switch breaks the clause
    as a spoken pause would; a single English word inside Chinese ("打开CarPlay") stays."""
    out, at = [], 0
    for run in _PHRASE_RUN.finditer(text):
        out.append(text[at : run.start()])
        before = text[run.start() - 1 : run.start()]
        after = text[run.end() : run.end() + 1]
        out.append(
            (" " if _CJK.match(before) else "") + run.group() + (" " if _CJK.match(after) else "")
        )
        at = run.end()
    out.append(text[at:])
    return "".join(out)


_HAN_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")
"""A space beside a Chinese character: a recogniser's pause between two sentences, or a switch
of language ("尾门关一下 lean the seat back"); either way a clause break."""


def _plain(text: str) -> str:
    return _PUNCT.sub(" ", _visible(text).casefold()).strip()


def _visible(text: str) -> str:
    """``text`` without invisible format characters (a right-to-left override before "对")."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


_STUTTER = re.compile(r"(\S)\1+")


def is_yes(text: str) -> bool:
    """A clear yes: the whole utterance is one of the yes words (punctuation aside), alone or
    followed by a go-ahead ("行，去吧", "yes, go ahead")."""
    reading = phrases().reading
    plain = _STUTTER.sub(r"\1", _plain(text))  # a stutter ("去去去吧吧") is the word
    if plain in reading.yes:
        return True
    for lead in reading.yes_leads:  # "那去吧": a lead-in, then the yes
        if plain.startswith(lead) and plain[len(lead) :].strip()[:1]:
            plain = plain[len(lead) :].strip()
            break
    said = reading.yes_tails | reading.yes
    endings = sorted(said | {_STUTTER.sub(r"\1", e) for e in said}, key=len, reverse=True)
    heads = sorted(
        reading.yes | {_STUTTER.sub(r"\1", e) for e in reading.yes}, key=len, reverse=True
    )
    head = next((h for h in heads if _word_at(plain, h)), None)
    if head is None:
        return False
    rest = plain[len(head) :]
    while rest.strip():  # "yes please 哈哈", "行吧": a go-ahead, then laughter
        rest = rest.strip()
        ending = next((e for e in endings if _word_at(rest, e)), None)
        if ending is None:
            return False
        rest = rest[len(ending) :]
    return True


def _said(words: frozenset[str]) -> list[str]:
    """``words`` and their stutter-free forms, longest first."""
    return sorted(words | {_STUTTER.sub(r"\1", w) for w in words}, key=len, reverse=True)


def _word_at(text: str, word: str) -> bool:
    """``text`` starts with ``word`` as a whole word (Chinese words need no space after them)."""
    if not text.startswith(word):
        return False
    after = text[len(word) : len(word) + 1]
    return not after or after == " " or _CJK.match(word[-1:]) is not None


def is_yes_to(text: str, action: str) -> bool:
    """A clear yes to ``action``: a yes alone, or a yes followed by naming that same action
    ("对，解锁吧", "yes, unlock them")."""
    if is_yes(text):
        return True
    plain = _plain(text)
    opening = next((y for y in phrases().reading.yes if plain.startswith(y)), None)
    return opening is not None and names(plain[len(opening) :], action)


def grant_for(path: str) -> str:
    """The grant a remote client needs to change ``path``."""
    return next(g for glob, g in phrases().grant_paths if fnmatchcase(path, glob))


def names(question: str, action: str) -> bool:
    """Whether ``question`` names ``action`` (``unlock``, ``open``) in either language."""
    said = question.casefold()
    return any(word in said for word in phrases().reading.names[action])


def is_question(text: str) -> bool:
    """A question about the car, not a request: every clause asks (a polite "can you open the
    window?" or "能不能打开车窗" is a request)."""
    return question_kind(text) is not None


def question_kind(text: str) -> Literal["worded", "marked"] | None:
    """``worded``: a question by its words (what, is the…, 吗, 哪, 有没有, A不A); ``marked``: a
    request that only its question mark makes a question ("open the trunk?"); None: no
    question."""
    reading = phrases().reading
    whole = _switches(unicodedata.normalize("NFKC", _visible(text)).strip())
    parts = (p for c in reading.clause_split.split(whole) for p in _HAN_GAP.split(c))
    clauses = [c.strip() for c in parts if c.strip()]
    if not clauses:
        return None
    ends = whole.endswith(reading.question_end)
    if all(_asks(c, reading, False) for c in clauses):
        return "worded"
    if all(_asks(c, reading, ends and c is clauses[-1]) for c in clauses):
        return "marked"
    return None


def _asks(clause: str, reading: Reading, marked: bool) -> bool:
    """A clause is read by the rules of the language most of its words are in: "can you
    navigate to the Bund吗" is an English request with a Chinese particle."""
    hanzi = len(_CJK.findall(clause))
    english = len(re.findall(r"[A-Za-z]+", clause))
    if hanzi and hanzi >= english:
        return _asks_zh(clause, reading, marked)
    return _asks_en(clause, reading, marked)


def _asks_en(clause: str, reading: Reading, marked: bool) -> bool:
    lowered = " ".join(re.findall(r"[a-z0-9']+", clause.casefold()))
    if lowered.startswith(reading.en_requests) or " please" in f" {lowered}":
        return False
    words = lowered.split()
    if not words:
        return marked
    first = words[0].split("'")[0]
    second = words[1] if len(words) > 1 else ""
    if first in reading.en_wh:
        return True
    if first in reading.en_aux and second in reading.en_subjects:
        return True
    if first == "do" and second in reading.en_do_subjects:
        return True
    if first == "when" and second in reading.en_when_aux:
        return True
    return marked


def _asks_zh(clause: str, reading: Reading, marked: bool) -> bool:
    bare = _PUNCT.sub("", clause)
    if any(word in bare for word in reading.zh_requests):
        return False
    if marked or bare.endswith(reading.question_end):
        return True
    if bare.startswith(reading.zh_wh_start) or any(w in bare for w in reading.zh_wh_any):
        return True
    return bool(_A_NOT_A.search(bare))
