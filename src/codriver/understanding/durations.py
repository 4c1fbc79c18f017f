"""Lengths of time as said: "10 minutes", "十分钟", "半小时", "1 hour 15 minutes and 30 seconds",
"5分钟30秒", "an hour and a half", "一个半小时", "half a minute", "3 more minutes". Each length's
parts are added up; an utterance may say several ("add 5 minutes to the 1 hour timer")."""

from __future__ import annotations

from dataclasses import dataclass

from codriver.understanding.lexicon import Token
from codriver.understanding.lexicon_files import load_lexicon
from codriver.understanding.timer_words import TimerWords, timer_words

_MINUTES = {"minute": 1.0, "second": 1 / 60, "hour": 60.0, "quarter": 15.0}
"""Minutes per unit; a quarter is of an hour ("一刻钟", "三刻钟", "a quarter of an hour")."""
_COMMAS = frozenset(",，")


@dataclass(frozen=True, slots=True)
class Span:
    """A length of time said in the utterance: minutes, and where it is (character offsets)."""

    minutes: float
    start: int
    end: int


def spans(tokens: list[Token], text: str = "") -> list[Span]:
    """Every length of time said, in order, each with its parts added up. ``text`` (the lowered
    utterance) lets a comma join parts ("1 hour, 15 minutes, and 30 seconds")."""
    found: list[Span] = []
    current: Span | None = None
    i = 0
    while i < len(tokens):
        part = _part(tokens, i, timer_words())
        if part is None:
            if current is not None and not _joins(tokens[i], text):
                found.append(current)
                current = None
            i += 1
            continue
        minutes, size = part
        start = current.start if current is not None else tokens[i].start
        total = (current.minutes if current is not None else 0.0) + minutes
        current = Span(total, start, tokens[i + size - 1].end)
        i += size
    return [*found, current] if current is not None else found


def _part(tokens: list[Token], i: int, words: TimerWords) -> tuple[float, int] | None:
    """One part of a length at ``i``: (minutes, tokens used)."""
    if tokens[i].has("time", "half_hour"):
        return 30.0, 1
    count, at = _count(tokens, i, words)
    if count is None:
        return None
    if at < len(tokens) and tokens[at].has("unit", "and_half"):
        count, at = count + 0.5, at + 1  # "5 and a half minutes"
    if at < len(tokens) and _text(tokens[at]) in words.more:
        at += 1  # "3 more minutes", "1个"
    if at >= len(tokens):
        return _bare_minutes(tokens, i, at, count, words)
    if tokens[at].has("time", "half_hour") and count.is_integer():
        return count * 60 + 30, at - i + 1  # "一个半小时"
    unit = _unit(tokens[at])
    if unit is None:
        return _bare_minutes(tokens, i, at, count, words)
    used = at - i + 1
    after = tokens[i + used] if i + used < len(tokens) else None
    if after is not None and (after.has("unit", "and_half") or _text(after) in words.half):
        count, used = count + 0.5, used + 1  # "an hour and a half", "一分半"
    return count * unit, used


def _bare_minutes(
    tokens: list[Token], i: int, at: int, count: float, words: TimerWords
) -> tuple[float, int] | None:
    """A number with no unit after "in", "for", "another" ("remind me in fifteen", "tack on
    another five"): minutes, as said to a timer or a reminder."""
    lead = _text(tokens[i - 1]).split()[-1:] if i > 0 else []
    bare = tokens[i].kind == "number" and bool(lead) and lead[0] in words.minutes_lead
    ends = at >= len(tokens) or (_unit(tokens[at]) is None and tokens[at].kind != "number")
    return (count, at - i) if bare and ends else None


def _count(tokens: list[Token], i: int, words: TimerWords) -> tuple[float | None, int]:
    """How many of the unit that follows, and where the unit (or "more") may stand."""
    token, text = tokens[i], _text(tokens[i])
    if token.kind == "number" and token.number is not None:
        return token.number, i + 1
    if text in words.one:
        return 1.0, i + 1  # "a minute"
    if text in words.half:
        skip = i + 2 if i + 1 < len(tokens) and _text(tokens[i + 1]) in words.one else i + 1
        return 0.5, skip  # "half a minute", "半分钟"
    return _counted(text, words), i + 1


def _counted(text: str, words: TimerWords) -> float | None:
    """A number said with its counter in one word ("两个" in "两个半小时")."""
    counter = next((m for m in words.more if m and text.endswith(m) and text != m), None)
    if counter is None:
        return None
    said = load_lexicon().scan(text[: -len(counter)])
    return said[0].number if len(said) == 1 and said[0].kind == "number" else None


def _unit(token: Token) -> float | None:
    units = [_MINUTES[u] for u in token.ids("time") if u in _MINUTES]
    return units[0] if units else None


def _text(token: Token) -> str:
    return token.text.strip().lower()


def _joins(token: Token, text: str) -> bool:
    """A word between two parts of one length ("and" in "an hour and 20 minutes"; a comma)."""
    if token.kind == "sep":
        return text[token.start : token.end] in _COMMAS
    return token.has("sep") or token.text.strip() in ("", "零")
