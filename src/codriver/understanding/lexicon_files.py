"""Reading the shipped lexicon: the phrase files of both languages (``data/<lang>/lexicon.yaml``)
and the pinyin table for slips heard alike (``data/zh/homophones.json``), built into one
:class:`~codriver.understanding.lexicon.Lexicon`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from codriver.errors import ConfigError
from codriver.understanding.lexicon import KINDS, LANGS, Lexicon, QueryWords, Tag
from codriver.yamlfile import YAMLError, load_yaml


def readings_table() -> dict[str, tuple[str, ...]]:
    """Character → toneless pinyin readings, from ``data/zh/homophones.json``."""
    res = resources.files("codriver.understanding").joinpath("data/zh/homophones.json")
    table: dict[str, list[str]] = {}
    for reading, chars in json.loads(res.read_text(encoding="utf-8")).items():
        for char in chars:
            table.setdefault(char, []).append(reading)
    return {char: tuple(r) for char, r in table.items()}


@cache
def load_lexicon() -> Lexicon:
    """The shipped lexicon of both languages (read once)."""
    entries: list[tuple[str, Tag]] = []
    number_words: list[str] = []
    query: dict[str, list[str]] = {}
    digits: dict[str, str] = {}
    for lang in LANGS:
        raw = read_phrases(lang)
        number_words.extend(raw.get("number_words", []))
        entries.extend(phrase_entries(raw, lang))
        for key, items in raw.get("query_words", {}).items():
            if key == "digits":
                digits.update({str(k): str(v) for k, v in items.items()})
            else:
                query.setdefault(key, []).extend(str(w) for w in items)
    lexicon = Lexicon(entries, number_words, readings_table())
    lexicon.query_words = QueryWords(
        starts=tuple(query.get("start", [])),
        ends=tuple(query.get("end", [])),
        alone=frozenset(query.get("alone", [])),
        joins=frozenset(query.get("joins", [])),
        digits=digits,
        clause_chars=frozenset("".join(query.get("clause_chars", []))),
        clause_words=tuple(query.get("clause_words", [])),
        single=frozenset(query.get("single", [])),
        title_after=frozenset(query.get("title_after", [])),
        not_done=frozenset(w.lower() for w in query.get("not_done", [])),
        done=frozenset(w.lower() for w in query.get("done", [])),
        not_contact_start=tuple(query.get("not_contact_start", [])),
        to_whom=tuple(query.get("to_whom", [])),
    )
    return lexicon


def chinese_phrases() -> frozenset[str]:
    """The lexicon's phrases written in Chinese characters only (scripts/gen_vocabulary.py)."""
    return frozenset(
        w for w, _ in phrase_entries(read_phrases("zh"), "zh") if _CJK_WORD.fullmatch(w)
    )


_CJK_WORD = re.compile(r"[\u3400-\u9fff]+")


def read_phrases(lang: str) -> Mapping[str, Any]:
    """One language's phrase file, as read."""
    resource = resources.files("codriver.understanding").joinpath(f"data/{lang}/lexicon.yaml")
    try:
        raw = load_yaml(resource.read_text(encoding="utf-8"), plain=True)
    except (OSError, YAMLError) as exc:
        raise ConfigError(f"cannot read the {lang} lexicon: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"the {lang} lexicon is not a mapping")
    return raw


def phrase_entries(raw: Mapping[str, Any], lang: str) -> list[tuple[str, Tag]]:
    """Every (phrase, tag) of one language's phrase file."""
    entries: list[tuple[str, Tag]] = []
    for kind, section in raw.items():
        if kind in ("number_words", "query_words"):
            continue
        if kind == "compound":
            for phrase, tags in section.items():
                for tag in tags:
                    tag_kind, _, ident = str(tag).partition(".")
                    if tag_kind not in KINDS:
                        raise ConfigError(f"{lang} lexicon: compound {phrase!r}: bad tag {tag!r}")
                    entries.append((str(phrase), Tag(tag_kind, ident)))
            continue
        if kind not in KINDS:
            raise ConfigError(f"{lang} lexicon: unknown section {kind!r}")
        if isinstance(section, list):
            entries.extend((str(phrase), Tag(kind, kind)) for phrase in section)
            continue
        for ident, phrases in section.items():
            entries.extend((str(phrase), Tag(kind, str(ident))) for phrase in phrases)
    return entries
