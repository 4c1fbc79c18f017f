"""A spoken wake phrase (你好小驰) matched by sound in what a recogniser wrote.

The phrase and the transcript are compared as toneless pinyin with the sounds a small recogniser
confuses merged (``data/wake.yaml``): 小池, 小迟 and 晓驰 all call 小驰. A syllable heard with the
wrong aspiration (小智 for 小驰) counts as a near miss, allowed once in every few syllables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from codriver.errors import InputError
from codriver.text import Lang
from codriver.yamlfile import read_yaml

_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class WakeRules:
    """How phrases are matched and how long they may take to say (``data/wake.yaml``)."""

    models: dict[str, Lang]
    default: tuple[str, ...]
    initials: tuple[str, ...]
    fuzzy: tuple[tuple[str, str], ...]
    fuzzy_finals: tuple[tuple[str, str], ...]
    near_initials: frozenset[frozenset[str]]
    syllable_s: tuple[float, float]
    near_miss_every: int
    extra_syllables: int


@cache
def wake_rules() -> WakeRules:
    data = read_yaml("codriver.voice", "data/wake.yaml")
    pairs = data["fuzzy_initials"]
    return WakeRules(
        models={name: "zh" if lang == "zh" else "en" for name, lang in data["models"].items()},
        default=tuple(data["default"]),
        initials=tuple(sorted(data["initials"], key=len, reverse=True)),
        fuzzy=tuple((a, b) for a, b in pairs),
        fuzzy_finals=tuple((a, b) for a, b in data["fuzzy_finals"]),
        near_initials=frozenset(frozenset(p) for p in data["near_initials"]),
        syllable_s=(data["syllable_seconds"]["min"], data["syllable_seconds"]["max"]),
        near_miss_every=data["near_miss_every"],
        extra_syllables=data["extra_syllables"],
    )


def _fuzzy(syllable: str, rules: WakeRules) -> str:
    for long, short in rules.fuzzy:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in rules.fuzzy_finals:
        if syllable.endswith(long):
            return syllable[: -len(long)] + short
    return syllable


@cache
def readings(char: str) -> frozenset[str]:
    """Every toneless reading of a Chinese character, fuzzy pairs merged (none for others)."""
    from pypinyin import Style, pinyin

    rules = wake_rules()
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(_fuzzy(r, rules) for rs in found for r in rs if r.isalpha())


def _split(syllable: str, rules: WakeRules) -> tuple[str, str]:
    for initial in rules.initials:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial) :]
    return "", syllable


def _near(said: frozenset[str], heard: frozenset[str], rules: WakeRules) -> bool:
    """The same final, and initials that differ only in aspiration (zh/ch, j/q, d/t, …)."""
    for a in said:
        for b in heard:
            (ia, fa), (ib, fb) = _split(a, rules), _split(b, rules)
            if fa == fb and frozenset((ia, ib)) in rules.near_initials:
                return True
    return False


@dataclass(frozen=True, slots=True)
class WakePhrase:
    """A phrase that calls the car, in the language it is said in."""

    text: str
    lang: Lang
    sounds: tuple[frozenset[str], ...]
    """The readings of each syllable (a character may have several)."""

    @classmethod
    def parse(cls, text: str) -> WakePhrase:
        chars = _CJK.findall(text)
        if not chars or len(chars) != len(re.sub(r"[\s，,。!！?？]", "", text)):
            raise InputError(
                f"wake phrase {text!r}: a phrase in Chinese characters, or one of the packaged "
                f"models {sorted(wake_rules().models)}"
            )
        sounds = tuple(readings(c) for c in chars)
        if not all(sounds):
            raise InputError(f"wake phrase {text!r}: no reading for some of its characters")
        return cls("".join(chars), "zh", sounds)

    @property
    def seconds(self) -> tuple[float, float]:
        """How short and how long the phrase may take to say."""
        low, high = wake_rules().syllable_s
        return low * len(self.sounds), high * len(self.sounds)


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    phrase: WakePhrase
    rest: str
    """What the transcript says after the phrase (a command in the same breath)."""
    near_misses: int


def match_start(phrase: WakePhrase, transcript: str) -> PhraseMatch | None:
    """The phrase at the start of the transcript (after at most a filler or two), or None."""
    rules = wake_rules()
    chars = [(i, c) for i, c in enumerate(transcript) if _CJK.match(c)]
    size = len(phrase.sounds)
    allowed = size // rules.near_miss_every
    for skip in range(0, min(rules.extra_syllables, len(chars) - size) + 1):
        misses = _misses(phrase, [c for _, c in chars[skip : skip + size]], rules)
        if misses is not None and misses <= allowed:
            end = chars[skip + size - 1][0] + 1
            rest = transcript[end:].lstrip(" ，,。.!！、")
            return PhraseMatch(phrase, rest, misses)
    return None


def _misses(phrase: WakePhrase, heard: list[str], rules: WakeRules) -> int | None:
    if len(heard) < len(phrase.sounds):
        return None
    misses = 0
    for said, char in zip(phrase.sounds, heard, strict=True):
        got = readings(char)
        if said & got:
            continue
        if not _near(said, got, rules):
            return None
        misses += 1
    return misses


@dataclass(frozen=True, slots=True)
class Calling:
    """How the car is called: a packaged wake-word model, spoken phrases, both, or neither."""

    model: str | None
    phrases: tuple[WakePhrase, ...]

    @property
    def model_lang(self) -> Lang | None:
        return None if self.model is None else wake_rules().models.get(self.model)


def parse_calling(text: str | None) -> Calling:
    """``--wake``: names separated by commas — packaged models ("hey jarvis") and phrases in
    Chinese characters (你好小驰); "none" for none, "default" for the data file's default."""
    rules = wake_rules()
    names = [n.strip() for n in (text or "none").split(",") if n.strip()]
    if names == ["default"]:
        names = list(rules.default)
    if names in ([], ["none"]):
        return Calling(None, ())
    models = [n.lower() for n in names if n.lower() in rules.models]
    if len(models) > 1:
        raise InputError(f"one wake-word model at a time, not {models}")
    phrases = tuple(WakePhrase.parse(n) for n in names if n.lower() not in rules.models)
    return Calling(models[0] if models else None, phrases)
