"""Text the assistant did not write — an LLM's reply, what a third-party service answered — made
fit to speak and show before it enters a reply.

- :func:`speakable`: invisible and control characters out (escape sequences, zero-width,
  bidirectional and tag characters), markup and JSON or code blobs not read out verbatim, every
  sentence that gives the assistant orders left out (and said to be), and the rest cut cleanly to
  a length: at a sentence end, else a word or character boundary, never inside a character.
- :func:`injected`: does a text try to steer the assistant? Checked on :func:`normalised` text, so
  that ``S\\u200bYSTEM``, full-width letters or a Cyrillic ``е`` do not slip by.
- :func:`plain`: one clean line of at most so many characters (names, short messages).

The wording (orders, actions, look-alike letters, what is said instead) is data:
``data/speakable.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from codriver.text import Bilingual

WINDOW = 8
"""Of a text, at most ``WINDOW`` times the limit is looked at: a 6 MB reply costs no more than a
short one."""
DATA = "\ue000"
"""Stands for a blob left out until the words for it are put in (private use: never in the text,
which has those removed)."""
_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
"""Control, format (zero-width, bidirectional, tags), private-use, surrogate and unassigned."""
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])")
_FENCE = re.compile(r"```.*?(```|$)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_OBJECT = re.compile(r"\{[^{}]{0,4000}\}")
_KEYED = re.compile(r"[\"']\s*:")
_LIST_OF_DATA = re.compile(r"\[\s*" + DATA + r"(\s*,\s*" + DATA + r")*\s*\]")
_RUNS_OF_DATA = re.compile(DATA + r"([\s,;]*" + DATA + r")+")
_MARKUP = re.compile(r"(\*\*|__|`|^\s{0,3}#{1,6}\s+|^\s*[-*•]\s+|^\s*>\s?)", re.MULTILINE)
_LONG_TOKEN = re.compile(r"[!-~]{40,}")
"""A run of 40 or more printable ASCII characters without a space: a key, a hash, a URL, base64."""
_SYMBOLS = frozenset('{}[]<>"=;\\|$')
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])\s*|\n+")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]")
_ENDS = ".!?;,:。！？；，：" + DATA


@dataclass(frozen=True, slots=True)
class Wording:
    """``data/speakable.yaml``."""

    data: Bilingual
    withheld: Bilingual
    orders: tuple[re.Pattern[str], ...]
    actions: tuple[re.Pattern[str], ...]
    lookalikes: dict[int, str]


@cache
def wording() -> Wording:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("codriver.assistant")
        .joinpath("data/speakable.yaml")
        .read_text(encoding="utf-8")
    )
    return Wording(
        data=Bilingual.from_mapping(raw["data"], "speakable.yaml: data"),
        withheld=Bilingual.from_mapping(raw["withheld"], "speakable.yaml: withheld"),
        orders=tuple(re.compile(p, re.IGNORECASE) for p in raw["orders"]),
        actions=tuple(re.compile(p, re.IGNORECASE) for p in raw["actions"]),
        lookalikes=str.maketrans({str(k): str(v) for k, v in raw["lookalikes"].items()}),
    )


# -- checks ------------------------------------------------------------------------------------


def normalised(text: str) -> str:
    """``text`` as the checks read it: NFKC (full-width and styled letters become plain ones),
    case-folded, accents and every invisible character removed, look-alike letters folded,
    whitespace collapsed."""
    text = unicodedata.normalize("NFKC", _visible(text)).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.translate(wording().lookalikes).split())


def gives_orders(text: str) -> bool:
    """Does ``text`` address the assistant with orders ("ignore previous instructions", "SYSTEM
    OVERRIDE:", "call set_door_lock")?"""
    plain_text = normalised(text)
    return any(p.search(plain_text) for p in wording().orders)


def injected(text: str) -> bool:
    """Does ``text`` (a tool result) try to steer the assistant: orders, or a request for an
    action on the car ("unlock the doors", "打开后备箱")?"""
    plain_text = normalised(text)
    patterns = (*wording().orders, *wording().actions)
    return any(p.search(plain_text) for p in patterns)


# -- making text speakable ---------------------------------------------------------------------


def speakable(text: str, limit: int) -> Bilingual:
    """``text`` fit to speak as the assistant's reply or as a service's quoted answer, in at
    most about ``limit`` characters; what was left out is said in the occupant's language."""
    seen = _visible(_ESCAPE.sub("", text[: limit * WINDOW]), keep_lines=True)
    kept, withheld = _without_orders(_without_blobs(seen))
    body = _cut(_RUNS_OF_DATA.sub(DATA, _joined(kept)), limit)
    notes = wording()
    en = body.replace(DATA, notes.data.en)
    zh = body.replace(DATA, notes.data.zh)
    if withheld:
        en = f"{en} {notes.withheld.en}".strip()
        zh = f"{zh}{notes.withheld.zh}".strip()
    return Bilingual(en, zh)


def plain(text: str, limit: int) -> str:
    """``text`` on one clean line: no control, escape or invisible characters, whitespace
    collapsed, at most ``limit`` characters (cut at a word or character boundary, with ``…``)."""
    return _cut(" ".join(_visible(_ESCAPE.sub("", text[: limit * WINDOW])).split()), limit)


def _visible(text: str, *, keep_lines: bool = False) -> str:
    """Without hidden characters; tabs and line breaks become spaces (or, kept, newlines)."""
    out = []
    for ch in text:
        if ch in "\n\r\v\f\u2028\u2029":
            out.append("\n" if keep_lines else " ")
        elif ch == "\t":
            out.append(" ")
        elif unicodedata.category(ch) not in _HIDDEN:
            out.append(ch)
    return "".join(out)


def _without_blobs(text: str) -> str:
    """Code, JSON, markup and long machine tokens replaced by :data:`DATA`; markdown removed."""
    text = _FENCE.sub(DATA, text)
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and (_KEYED.search(stripped[:200]) or _symbolic(stripped)):
        return DATA
    for _ in range(8):  # innermost objects first, nesting peeled one level a pass
        replaced = _OBJECT.sub(lambda m: DATA if _KEYED.search(m.group()) else m.group(), text)
        replaced = _LIST_OF_DATA.sub(DATA, replaced)
        if replaced == text:
            break
        text = replaced
    text = _TAG.sub("", text)
    text = _MARKUP.sub("", text)
    return _LONG_TOKEN.sub(DATA, text)


def _symbolic(text: str, share: float = 0.1) -> bool:
    sample = text[:2000]
    return sum(ch in _SYMBOLS for ch in sample) >= share * len(sample)


def _without_orders(text: str) -> tuple[list[str], bool]:
    """The sentences that give no orders, and whether any were left out."""
    kept: list[str] = []
    withheld = False
    for sentence in _SENTENCE.split(text):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        if gives_orders(sentence):
            withheld = True
        elif len(sentence) >= 12 and _symbolic(sentence, 0.25):
            kept.append(DATA)
        else:
            kept.append(sentence)
    return kept, withheld


def _joined(sentences: list[str]) -> str:
    """Sentences as one text: a line without an end of its own ends with a comma; no space after
    Chinese punctuation."""
    out = ""
    for sentence in sentences:
        if out and out[-1] not in _ENDS:
            out += "，" if _wide(out[-1]) else ","
        if out and not _wide(out[-1]):
            out += " "
        out += sentence
    return out


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters: whole sentences when at least half the room is used, else up
    to a word boundary (Latin) or a character boundary, with ``…``."""
    text = text.strip()
    if len(text) <= limit:
        return text
    room = text[: limit - 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(room + " ")]
    if ends and ends[-1] >= limit // 2:
        return room[: ends[-1]]
    space = room.rfind(" ")
    cut = space if space >= limit // 2 else limit - 1
    while cut > 0 and _joins(text[cut]):
        cut -= 1
    return text[:cut].rstrip() + "…"


def _joins(ch: str) -> bool:
    """Is ``ch`` part of the character before it (a combining mark, a variation selector, a skin
    tone)? A cut there would split what is seen as one character."""
    return bool(unicodedata.combining(ch)) or unicodedata.category(ch) in ("Mn", "Me", "Sk")
