"""A title after an English play verb: "play Take Me Home, Country Roads", "play Don't Stop Me Now",
"play Shut Up and Dance". The words after the verb are the title's up to the end of the sentence,
whatever command words they hold — unless they name something of the car's to play (the radio,
music, the next song, "it") or a new request begins after a break (", and open the window": a verb
and the thing it acts on). Chinese titles are kept by the words around them (``names.py``, 《》)."""

from __future__ import annotations

import re

from codriver.understanding.lexicon import Token
from codriver.understanding.sentence import OPEN_SLOT

_MEDIA_DEVICES = frozenset(
    {
        *("media", "volume", "topic_media", "apps", "screen", "projection"),
        *("source_fm", "source_bluetooth", "source_usb", "source_aux"),
    }
)
"""What a play verb plays of the car's own: no title follows."""
_MEDIA_ACTIONS = frozenset(("pause", "resume", "next", "previous"))
"""Verbs of the music itself ("play the next song", "play the previous one")."""
_PASSED = ("filler", "stop")
"""Words before a title that are none of it ("play the …", "play some …", "can you play …")."""
_SENTENCE_END = re.compile(r"[.?!;。？！；]")
_LATIN = re.compile(r"[a-z]")


def played_titles(tokens: list[Token], text: str) -> list[Token]:
    """``tokens`` with the words of a title after an English play verb read as plain words."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if "play" not in token.ids("action") or not _LATIN.match(token.text):
            continue
        first = next((k for k in range(i + 1, len(tokens)) if not _passed(tokens[k])), None)
        if first is None or _break(tokens[first]) or _plays_the_car(tokens[first]):
            continue
        stop = _title_end(tokens, first, text)
        for k in range(first, stop):
            if tokens[k].kind != "raw" and not _kind_of_media(tokens[k]):
                raw = text[tokens[k].start : tokens[k].end]
                out[k] = Token("raw", raw, tokens[k].start, tokens[k].end)
        break
    return out


def _passed(token: Token) -> bool:
    return (
        token.kind == "tags"
        and all(t.kind in _PASSED for t in token.tags)
        and not token.has("deictic")
    )


def _kind_of_media(token: Token) -> bool:
    """A word that says what kind of thing is played ("the movie", "tv show", "track"), or one the
    query's edges already drop ("my"): kept."""
    return token.has("action", "video") or token.has("device", "media") or token.has("stop")


def _plays_the_car(token: Token) -> bool:
    """Whether the first word after the verb is something of the car's to play, or a number
    (a station), a mode or a colour: no title."""
    if token.kind == "number" or token.has("deictic"):
        return True
    if set(token.ids("device")) & _MEDIA_DEVICES or set(token.ids("action")) & _MEDIA_ACTIONS:
        return True
    return any(t.kind in ("value", "mode", "color") for t in token.tags)


def _title_end(tokens: list[Token], first: int, text: str) -> int:
    """Where the title ends: the end of the sentence, or a break before a new request."""
    for k in range(first, len(tokens)):
        if not _break(tokens[k]):
            continue
        if _SENTENCE_END.search(text[tokens[k].start : tokens[k].end]):
            return k
        if _requests(tokens, k + 1):
            return k
    return len(tokens)


def _requests(tokens: list[Token], start: int) -> bool:
    """Whether the clause from ``start`` asks for something: a verb and what it acts on."""
    clause = []
    for token in tokens[start:]:
        if _break(token):
            break
        clause.append(token)
    if any(t.ids("need") for t in clause):
        return True  # "play jazz, it's cold in here"
    if any(set(t.ids("action")) & set(OPEN_SLOT) for t in clause):
        return True  # "… and get directions to Yu Garden": a verb that takes a name
    said = any(t.ids("action") or t.kind == "number" for t in clause)
    what = any(t.ids("device") or t.has("deictic") or t.ids("zone") for t in clause)
    return said and what  # "…, open the window", "…, passenger side to 24"


def _break(token: Token) -> bool:
    return token.kind == "sep" or token.has("sep")
