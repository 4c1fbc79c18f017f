"""What kind of sentence each part of an utterance is: the one place that decides.

An utterance is cut into sentences (at ``. ? !``) and those into clauses (at clause breaks). Each
clause is a **question** (answered from the state, never acted on), a **command**, a statement of
**need** ("I'm freezing"), talk about something that is not this car (**elsewhere**: the home,
someone else's car, a memory, another person's habits), **chitchat** (small talk, insults) or
**nonsense**. A command said on a condition or for later that no rule or timer takes is marked
``later``: it is declined, never carried out now.

The words are data (``data/<lang>/sentence.yaml``); the structure is here: English fronts its
question words, Chinese leaves them in place and asks with a final particle or an A-not-A verb
("锁没锁"); a request to look ("check whether …", "帮我看看…") is a question; a question in
form that asks for an action ("could you close the sunroof?", "…好不好") is a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from codriver.assistant.plan import SentenceKind
from codriver.errors import ConfigError
from codriver.understanding.chitchat import asks_for_talk, chitchat
from codriver.understanding.lexicon import LANGS, Token

_SENTENCE_END = set(".?!;。？！；")
OPEN_SLOT = ("play", "navigate", "call", "add_stop", "trip", "nearby")
"""Verbs whose object is a name or a place: "导航到我家" goes home, it does not talk about it."""
_ASKING_VERBS = ("trip", "nearby")
_CONTENT = ("device", "action", "value", "mode", "color", "zone", "need")


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: its kind, its character span and whether it asks for later."""

    kind: SentenceKind
    start: int
    end: int
    later: bool = False
    """On a condition or after a delay ("once we're going 120 …", "过30分钟…")."""
    abuse: bool = False
    """It held an insult (masked out before the request was read)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """The clauses of an utterance and the spans (insults) that carry no request."""

    clauses: tuple[Clause, ...] = ()
    masked: tuple[tuple[int, int], ...] = ()

    def at(self, position: int) -> Clause | None:
        """The clause that holds the character at ``position``; None for a clause that says
        nothing of its own kind (a bare "yes", "undo", "too")."""
        for clause in self.clauses:
            if clause.start <= position < clause.end:
                return clause
        return None

    @property
    def kind(self) -> SentenceKind:
        """The utterance's kind: a command or need where any clause is one; else a question;
        else talk about elsewhere, chitchat or nonsense."""
        kinds = [c.kind for c in self.clauses]
        for kind in ("command", "need", "question", "elsewhere", "chitchat"):
            if kind in kinds:
                return kind  # type: ignore[return-value]
        return "nonsense"

    def unmasked(self, tokens: Iterable[Token]) -> list[Token]:
        """The tokens outside the masked spans."""
        return [t for t in tokens if not any(s <= t.start < e for s, e in self.masked)]


class _Phrases:
    """A list of phrases matched in lowered text: whole words for Latin ones, anywhere for
    Chinese ones; the longest first."""

    def __init__(self, phrases: Iterable[str]) -> None:
        parts = []
        for phrase in sorted(set(phrases), key=len, reverse=True):
            body = re.escape(phrase)
            if phrase[:1].isascii() and phrase[:1].isalnum():
                body = r"(?<![a-z0-9'’])" + body
            if phrase[-1:].isascii() and phrase[-1:].isalnum():
                body += r"(?![a-z0-9'’])"
            parts.append(body)
        self._re = re.compile("|".join(parts)) if parts else None
        self._end = re.compile(f"(?:{'|'.join(parts)})$") if parts else None

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        if self._re is None:
            return []
        stop = len(text) if end is None else end
        return [m.span() for m in self._re.finditer(text, start, stop)]

    def at(self, text: str, position: int, end: int) -> bool:
        return self._re is not None and self._re.match(text, position, end) is not None

    def ends(self, text: str) -> bool:
        return self._end is not None and self._end.search(text) is not None


@dataclass(frozen=True, slots=True)
class _Words:
    ends: _Phrases
    opens: _Phrases
    asks: _Phrases
    embeds: _Phrases
    request: _Phrases
    indefinite: _Phrases
    elsewhere: _Phrases
    past: _Phrases
    others: _Phrases
    habit: _Phrases
    abuse: _Phrases
    courtesy: _Phrases
    delay: _Phrases
    a_not_a: re.Pattern[str] | None
    negators: str


@cache
def _words() -> _Words:
    """Both languages' sentence words (an utterance may mix them)."""
    merged: dict[str, list[str]] = {}
    for lang in LANGS:
        for key, items in _flat(_read(lang)):
            merged.setdefault(key, []).extend(items)
    negators = "".join(merged.pop("a_not_a", []))
    pattern = rf"([\u3400-\u9fff])[{re.escape(negators)}]\1"
    fields = set(_Words.__dataclass_fields__) - {"a_not_a", "negators"}
    missing = fields - set(merged)
    if missing:
        raise ConfigError(f"sentence words: missing {', '.join(sorted(missing))}")
    phrases = {f: _Phrases(merged[f]) for f in fields}
    return _Words(**phrases, a_not_a=re.compile(pattern) if negators else None, negators=negators)


def _flat(raw: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The lists of one language file, the question's sub-lists by their own names; "inverted"
    becomes every auxiliary before every subject ("did" + "I"), added to ``opens``."""
    out: list[tuple[str, list[str]]] = []
    for key, value in raw.items():
        if key != "question":
            out.append((key, [str(v) for v in value or []]))
            continue
        for sub, items in (value or {}).items():
            if sub == "inverted":
                pairs = [f"{a} {s}" for g in items for a in g["aux"] for s in g["subjects"]]
                out.append(("opens", pairs))
            else:
                out.append((sub, [str(v) for v in items or []]))
    return out


def _read(lang: str) -> Mapping[str, Any]:
    resource = resources.files("codriver.understanding").joinpath(f"data/{lang}/sentence.yaml")
    try:
        raw = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the {lang} sentence words: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"the {lang} sentence words are not a mapping")
    return raw


def read_sentences(text: str, tokens: list[Token]) -> Reading:
    """The clauses of lowered ``text`` (as scanned into ``tokens``) with their kinds."""
    words = _words()
    masked = tuple(words.abuse.spans(text))
    clauses: list[Clause] = []
    for start, end in _sentences(text, tokens):
        inside = [t for t in tokens if start <= t.start < end]
        later = _later(text, inside, words)
        whole = text[start:end].rstrip(" 　.。!！;；,，、…")
        asked = words.ends.ends(whole)
        for c_start, c_end in _clauses(inside, start, end):
            part = [t for t in inside if c_start <= t.start < c_end]
            clause = _clause(text, part, c_start, c_end, masked, asked, words)
            if clause is not None:
                later_here = later and clause.kind in ("command", "need")
                clauses.append(Clause(clause.kind, c_start, c_end, later_here, clause.abuse))
    return Reading(tuple(clauses), masked)


def _sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for token in tokens:
        if token.kind == "sep" and text[token.start : token.end] in _SENTENCE_END:
            spans.append((start, token.end))
            start = token.end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _clauses(tokens: list[Token], start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for token in tokens:
        if token.kind == "sep" or token.has("sep"):
            spans.append((start, token.end))
            start = token.end
    spans.append((start, end))
    return [(s, e) for s, e in spans if s < e]


def _clause(
    text: str,
    tokens: list[Token],
    start: int,
    end: int,
    masked: tuple[tuple[int, int], ...],
    asked: bool,
    words: _Words,
) -> Clause | None:
    abuse = any(start <= s < end for s, _ in masked)
    live = [t for t in tokens if not any(s <= t.start < e for s, e in masked)]
    content = [t for t in live if t.kind in ("raw", "number") or _has_content(t)]
    if not content and not (asked and live):
        return Clause("chitchat", start, end, abuse=True) if abuse else None
    kind = _kind(text, live, start, end, asked, words)
    return Clause(kind, start, end, abuse=abuse)


def _kind(
    text: str, tokens: list[Token], start: int, end: int, asked: bool, words: _Words
) -> SentenceKind:
    verb = next((t.start for t in tokens if t.ids("action")), end)
    places = any(set(t.ids("action")) & set(OPEN_SLOT) for t in tokens)
    if not places and _elsewhere(text, start, end, words):
        return "elsewhere"
    if any(set(t.ids("action")) & set(_ASKING_VERBS) for t in tokens):
        return "question"  # "how far is it to …", "附近有没有停车场": verbs that only ask
    if asks_for_talk(text[start:end]):
        return "chitchat"  # "tell me a story about a dragon who plays music"
    if any(s <= verb for s, _ in words.embeds.spans(text, start, end)):
        return "question"  # "check whether the windows are closed", "帮我看看车门锁好了没有"
    if not words.request.spans(text, start, end) and _asks(text, tokens, start, end, words):
        return "question"
    if asked and not words.request.spans(text, start, end):
        return "question"
    if any(t.ids("need") for t in tokens) and not any(t.ids("action") for t in tokens):
        return "need"
    if any(_has_content(t) for t in tokens):
        return "command"
    return "chitchat" if chitchat(text[start:end]) is not None else "nonsense"


def _asks(text: str, tokens: list[Token], start: int, end: int, words: _Words) -> bool:
    """A question of its own: a fronted question word, an in-place one that is no indefinite
    ("来几首" asks nothing), or an A-not-A verb."""
    lead = next((t.start for t in tokens if not _lead_filler(t)), end)
    if words.opens.at(text, lead, end):
        return True
    loose = words.indefinite.spans(text, start, end)
    for s, e in words.asks.spans(text, start, end):
        if not any(ls <= s and e <= le for ls, le in loose):
            return True
    if words.a_not_a is not None:
        for match in words.a_not_a.finditer(text, start, end):
            if match.group(1) not in words.negators:
                return True
    return False


def _elsewhere(text: str, start: int, end: int, words: _Words) -> bool:
    """Talk about another place, a memory, or someone else's habits."""
    if words.elsewhere.spans(text, start, end) or words.past.spans(text, start, end):
        return True
    return bool(words.others.spans(text, start, end) and words.habit.spans(text, start, end))


def _later(text: str, tokens: list[Token], words: _Words) -> bool:
    """The sentence asks for something on a condition ("once …", "如果…", "…以后") or after a
    delay ("in 20 minutes", "过30分钟")."""
    polite = words.courtesy.spans(text)
    for token in tokens:
        if token.ids("when") and not any(s <= token.start < e for s, e in polite):
            return True
    return any(_delayed(text, tokens, i, words) for i in range(len(tokens)))


def _delayed(text: str, tokens: list[Token], i: int, words: _Words) -> bool:
    """A duration at ``i`` ("20 minutes", "半小时") with a delay word beside it."""
    token = tokens[i]
    if token.has("time", "half_hour"):
        span = (token.start, token.end)
    elif token.kind == "number" and i + 1 < len(tokens) and tokens[i + 1].ids("time"):
        span = (token.start, tokens[i + 1].end)
    else:
        return False
    before = text[max(0, span[0] - 12) : span[0]].rstrip()
    after = text[span[1] : span[1] + 12].lstrip()
    near_before = [e for s, e in words.delay.spans(before) if e == len(before)]
    near_after = [s for s, e in words.delay.spans(after) if s == 0]
    return bool(near_before or near_after)


def _has_content(token: Token) -> bool:
    return any(t.kind in _CONTENT for t in token.tags)


def _lead_filler(token: Token) -> bool:
    """Words before the first that counts: fillers, "ok", "so", "hey"."""
    if token.kind != "tags":
        return False
    return all(t.kind in ("filler", "stop") or t.id in ("yes", "more") for t in token.tags)
