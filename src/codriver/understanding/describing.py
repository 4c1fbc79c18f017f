"""Words that look like requests but describe or ask politely: a feeling or a colour that is a
thing's ("a hot take", "blue cheese": masked, no need and no light), and a modal right before a
verb ("能打开天窗吗": a request asked as a question). Read by ``sentence.py``."""

from __future__ import annotations

import re
from itertools import pairwise

from codriver.understanding.lexicon import Token
from codriver.understanding.sentence_words import Words

_LATIN_WORD = re.compile(r"[a-z]+")


def describing_words(text: str, tokens: list[Token], words: Words) -> list[tuple[int, int]]:
    """The spans of feeling and colour words that describe a thing, to be masked."""
    return _feelings(text, tokens, words) + _colours(tokens, words)


def _feelings(text: str, tokens: list[Token], words: Words) -> list[tuple[int, int]]:
    """Feeling words between a determiner and the thing's word ("a hot take", "the cold
    shoulder", "some cold water"): no need of anyone in the car."""
    out = []
    for i in range(1, len(tokens) - 1):
        token, after = tokens[i], tokens[i + 1]
        if not token.ids("need") or not _LATIN_WORD.fullmatch(token.text):
            continue
        if after.kind == "sep" or not _LATIN_WORD.match(after.text):
            continue
        if words.determiners.ends(text[: token.start].rstrip()) is not None:
            out.append((token.start, token.end))
    return out


def _colours(tokens: list[Token], words: Words) -> list[tuple[int, int]]:
    """English colours followed by a word nobody knows that may not follow a colour asked for
    ("blue cheese", "red wine"; not "blue please")."""
    out = []
    for token, after in pairwise(tokens):
        if not token.has("color") or not _LATIN_WORD.fullmatch(token.text):
            continue
        unknown = after.kind == "raw" and _LATIN_WORD.fullmatch(after.text)
        if unknown and not words.after_colour.whole(after.text):
            out.append((token.start, token.end))
    return out


def modal_request(text: str, tokens: list[Token], modals: list[tuple[int, int]]) -> bool:
    """Whether one of the ``modals`` found stands right before a verb of the car's or 把 ("能打开
    天窗吗", "可以把空调打开吗"): a request asked as a question."""
    verbs = {t.start for t in tokens if t.ids("action")}
    return any(e in verbs or text.startswith("把", e) for _, e in modals)
