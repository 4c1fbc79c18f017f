"""Garbling what occupants say, as a speech recogniser or a hurried speaker would: homophones,
typos, code-mixing, dropped and doubled characters, odd and extreme numbers, stray Unicode, and
inputs at the length cap. Every function takes the session's ``random.Random``: same seed, same
text."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from codriver.assistant.inputs import MAX_UTTERANCE_CHARS
from codriver.testing.fuzz_phrases import phrases
from codriver.text import Lang

Mutation = Callable[[random.Random, str, Lang], str]

_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万亿点负]+")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u0301", "\ufe0f")


def homophone(rng: random.Random, text: str, lang: Lang) -> str:
    table = phrases().mutations.homophones
    if _CJK_CHAR.search(text):
        spots = [i for i, ch in enumerate(text) if ch in table["zh"]]
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
            text = text[:i] + rng.choice(table["zh"][text[i]]) + text[i + 1 :]
        return text
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if w.casefold() in table["en"]]
    for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
        words[i] = rng.choice(table["en"][words[i].casefold()])
    return " ".join(words)


def typo(rng: random.Random, text: str, lang: Lang) -> str:
    if len(text) < 2:
        return text
    i = rng.randrange(len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swap two
    if kind == 1:
        return text[:i] + text[i + 1 :]  # drop one
    if kind == 2:
        return text[:i] + text[i] + text[i:]  # double one
    return text[:i] + _neighbour(rng, text[i]) + text[i + 1 :]


def _neighbour(rng: random.Random, ch: str) -> str:
    for row in phrases().mutations.keyboard:
        at = row.find(ch.lower())
        if at >= 0:
            near = [row[j] for j in (at - 1, at + 1) if 0 <= j < len(row)]
            return rng.choice(near)
    return ch


def code_mix(rng: random.Random, text: str, lang: Lang) -> str:
    pairs = list(phrases().mutations.code_mix)
    rng.shuffle(pairs)
    for en, zh in pairs:
        if zh in text:
            return text.replace(zh, f" {en} ", 1).strip()
        if re.search(rf"\b{re.escape(en)}\b", text, re.IGNORECASE):
            return re.sub(rf"\b{re.escape(en)}\b", zh, text, count=1, flags=re.IGNORECASE)
    return text


def drop_or_double(rng: random.Random, text: str, lang: Lang) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        if rng.random() < 0.5:
            del chars[i]
        else:
            chars.insert(i, chars[i] * rng.randint(1, 3))
    return "".join(chars)


def numbers(rng: random.Random, text: str, lang: Lang) -> str:
    """Numbers become extremes, negatives, odd forms, spoken numbers or long numeral runs."""
    table = phrases().mutations.numbers
    pool = [*table["plain"], *table["en" if lang == "en" else "zh"]]
    if rng.random() < 0.15:
        run = rng.choice(table["runs"]) * rng.randint(10, 60)
        pool = [run[: rng.randint(20, MAX_UTTERANCE_CHARS - 20)]]
    found = list(_NUMBER.finditer(text))
    if not found:
        joiner = "" if lang == "zh" else " "
        return f"{text}{joiner}{rng.choice(pool)}"
    hit = rng.choice(found)
    return text[: hit.start()] + rng.choice(pool) + text[hit.end() :]


def noise(rng: random.Random, text: str, lang: Lang) -> str:
    """Invisible and look-alike characters, case and spacing, punctuation."""
    kind = rng.randrange(5)
    if kind == 0:
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice(_INVISIBLE) + text[i:]
    if kind == 1:
        return text.upper() if rng.random() < 0.5 else text.replace(" ", "")
    if kind == 2:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    if kind == 3:
        return text + rng.choice(("?", "？", "!!!", "。", "...", "吗", " lol", " 哈哈"))
    return "  ".join(text.split(" "))


MUTATIONS: tuple[Mutation, ...] = (homophone, typo, code_mix, drop_or_double, numbers, noise)


def mutate(rng: random.Random, text: str, lang: Lang) -> str:
    """One to three mutations of ``text``."""
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(MUTATIONS)(rng, text, lang)
    return text or "?"


def random_unicode(rng: random.Random, length: int | None = None) -> str:
    """Code points drawn from the listed blocks (controls, private use and lone surrogates
    included: those must be refused as input, never crash)."""
    blocks = phrases().mutations.unicode_blocks
    size = length if length is not None else rng.randint(1, 60)
    return "".join(chr(rng.randint(*rng.choice(blocks))) for _ in range(size))


def near_cap(rng: random.Random, pieces: list[str], lang: Lang) -> str:
    """``pieces`` joined and repeated up to the length cap; now and then a little over it."""
    joiner = rng.choice(("，", "然后", "")) if lang == "zh" else rng.choice((" and ", ", ", " "))
    text = ""
    while len(text) < MAX_UTTERANCE_CHARS:
        text = f"{text}{joiner}{rng.choice(pieces)}" if text else rng.choice(pieces)
    over = rng.random() < 0.1
    end = (
        MAX_UTTERANCE_CHARS + rng.randint(1, 10)
        if over
        else rng.randint(MAX_UTTERANCE_CHARS - 30, MAX_UTTERANCE_CHARS)
    )
    return (text * 2)[:end]
