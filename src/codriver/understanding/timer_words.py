"""The words said of timers and lengths of time, per language (``data/<lang>/timers.yaml``), read
once; both languages together, since an utterance may mix them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from codriver.errors import ConfigError
from codriver.understanding.lexicon import LANGS
from codriver.understanding.sentence_words import Phrases
from codriver.yamlfile import YAMLError, read_yaml


@dataclass(frozen=True, slots=True)
class TimerWords:
    """Phrase lists by what they say of a timer (the data file explains each)."""

    status: Phrases
    status_alone: Phrases
    pause: Phrases
    resume: Phrases
    add: Phrases
    take: Phrases
    cancel: Phrases
    every: Phrases
    new: Phrases
    named: Phrases
    name_ends: Phrases
    not_names: Phrases
    breaks: Phrases
    one: frozenset[str]
    """Words that are one before a unit ("a minute")."""
    half: frozenset[str]
    """Words that are a half before a unit or after one ("half a minute", "一分半")."""
    more: frozenset[str]
    """Words between a number and its unit ("3 more minutes", "1个半小时")."""
    minutes_lead: frozenset[str]
    """Words after which a number said without a unit is minutes ("remind me in fifteen",
    "tack on another five")."""
    edges: Phrases
    """Words no name starts or ends with: ``not_names`` and every word that says what to do."""


_SETS = ("one", "half", "more", "minutes_lead")
_NAMING = ("named", "name_ends", "breaks")


@cache
def timer_words() -> TimerWords:
    merged: dict[str, list[str]] = {}
    for lang in LANGS:
        try:
            raw = read_yaml("codriver.understanding", f"data/{lang}/timers.yaml")
        except (OSError, YAMLError) as exc:
            raise ConfigError(f"cannot read the {lang} timer words: {exc}") from exc
        for key, items in raw.items():
            merged.setdefault(str(key), []).extend(str(i).lower() for i in items or [])
    fields = set(TimerWords.__dataclass_fields__) - {"edges"}
    if set(merged) != fields:
        raise ConfigError(f"timer words: expected {', '.join(sorted(fields))}")
    lists = {k: Phrases(v) for k, v in merged.items() if k not in _SETS}
    sets = {k: frozenset(merged[k]) for k in _SETS}
    edges = Phrases(w for k, v in merged.items() if k not in (*_SETS, *_NAMING) for w in v)
    return TimerWords(**lists, **sets, edges=edges)  # type: ignore[arg-type]  # keys checked
