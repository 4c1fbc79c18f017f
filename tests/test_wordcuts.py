"""Cutting Chinese into words before the car's phrases are read: a phrase may not run across a
general word's edge, nor sit inside a name, and the car's own words keep their meaning."""

from __future__ import annotations

from codriver.understanding.lexicon import units
from codriver.understanding.lexicon_files import load_lexicon
from codriver.understanding.wordcuts import Cuts, cut, vocabulary


def tags(text: str) -> list[tuple[str, list[str]]]:
    return [(t.text, [g.id for g in t.tags]) for t in load_lexicon().scan(text) if t.tags]


def test_a_phrase_does_not_run_into_the_word_after_it() -> None:
    # 放大 ("enlarge") would take the first character of 大城; 播放 is the verb
    assert ("播放", ["play"]) in tags("播放大城小爱")
    assert not any(text == "放大" for text, _ in tags("播放大城小爱"))


def test_a_phrase_inside_a_place_name_is_part_of_it() -> None:
    # 门 is a door, but not in 三门峡 (a city)
    assert not any("door" in ids for _, ids in tags("三门峡高速口"))


def test_the_car_words_a_general_word_is_spelled_with_keep_their_meaning() -> None:
    assert ("回", ["navigate"]) in tags("我要回家")
    assert ("打开", ["on", "open"]) in tags("打开车窗")
    assert ("开大", ["up"]) in tags("把空调开大一点")


def test_numbers_and_slips_heard_alike_are_still_read() -> None:
    scanned = load_lexicon().scan("调到二十度")
    assert any(t.kind == "number" and t.number == 20 for t in scanned)
    first = load_lexicon().scan("坐椅加热")[0]
    assert first.text == "坐椅加热" and first.has("device", "seat_heat")


def test_a_phrase_may_cover_what_no_word_cuts() -> None:
    cuts = Cuts(frozenset({2, 4}), frozenset({2, 3}))
    assert cuts.allows(0, 2)
    assert not cuts.allows(1, 2)  # across the cut at 2
    assert not cuts.allows(2, 1)  # inside a sealed name
    assert cuts.allows(4, 2)


def test_the_most_probable_words_win() -> None:
    keys = [u for u, _, _ in units("播放大城小爱")]
    found = cut(keys, [True] * len(keys), lambda chars, i: [2] if i in (0, 1) else [])
    assert 2 in found.cuts  # 播放 | 大城 ...: 放大 would cross


def test_the_vocabulary_knows_names_and_counts() -> None:
    words = vocabulary()
    common, rare = words.score("我"), words.score("大城")
    assert common is not None and rare is not None and common > rare
    assert words.named("三门峡") and not words.named("打开")
    assert words.score("这不是一个词") is None
