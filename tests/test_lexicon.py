"""The engine's scan: longest phrases, numbers in both languages, homophone slips."""

from __future__ import annotations

import pytest

from codriver.understanding.lexicon import lower
from codriver.understanding.lexicon_files import load_lexicon


def scan(text: str) -> list[tuple[str, str]]:
    out = []
    for token in load_lexicon().scan(lower(text)):
        if token.kind == "tags":
            out.append((token.text, ",".join(f"{t.kind}.{t.id}" for t in token.tags)))
        elif token.kind == "number":
            out.append((token.text, f"number={token.number:g}"))
        else:
            out.append((token.text, token.kind))
    return out


NUMBERS = {
    "zh-tens": ("二十三度", 23),
    "zh-liang": ("降两度", 2),
    "zh-percent": ("百分之三十", 30),
    "en-words": ("twenty two degrees", 22),
    "en-hyphen": ("forty-five", 45),
    "digits": ("set 24.5", 24.5),
}


@pytest.mark.parametrize(("text", "value"), NUMBERS.values(), ids=NUMBERS.keys())
def test_numbers_in_words_and_digits(text: str, value: float) -> None:
    numbers = [t.number for t in load_lexicon().scan(lower(text)) if t.kind == "number"]
    assert numbers == [value]


@pytest.mark.parametrize("text", ["再低一点", "调一下", "开一半", "等一会儿"])
def test_a_phrase_with_a_numeral_is_no_number(text: str) -> None:
    assert not any(kind.startswith("number") for _, kind in scan(text))


def test_longest_phrase_wins() -> None:
    assert scan("座椅加热")[0] == ("座椅加热", "device.seat_heat")


def test_clause_breaks_from_punctuation_and_cjk_spaces() -> None:
    kinds = [kind for _, kind in scan("空调24度 风量调大，好的")]
    assert kinds.count("sep") == 2


SLIPS = {
    "seat-heating": ("坐椅加热", "device.seat_heat"),
    "window": ("车床", "device.window"),
    "air-con": ("空条", "device.ac"),
}


@pytest.mark.parametrize(("heard", "tag"), SLIPS.values(), ids=SLIPS.keys())
def test_homophone_slips_land_on_the_known_phrase(heard: str, tag: str) -> None:
    token = load_lexicon().scan(heard)[0]
    assert token.text == heard
    assert tag in {f"{t.kind}.{t.id}" for t in token.tags}


def test_a_known_phrase_is_not_taken_for_a_soundalike() -> None:
    # "开慢速" sounds like "开满" (max), but "慢速" is itself a phrase: no slip there
    tags = {tag for _, tag in scan("雨刮开慢速")}
    assert not any("value.max" in tag for tag in tags)


def test_scan_cost_is_linear_in_the_utterance() -> None:
    lexicon = load_lexicon()
    assert lexicon.longest <= 12
    tokens = lexicon.scan(lower("打开车窗" * 50))
    assert len(tokens) == 100


WORDS = {
    "stop-playback": ("停止播放", "device.media,action.pause"),
    "cancel-playback": ("取消播放", "device.media,action.pause"),
    "hood": ("机盖", "device.hood"),
    "secure": ("secure", "action.lock"),
    "never": ("never", "dialogue.negation"),
    "tyres": ("胎压", "device.tyres"),
    "right-now-is-no-zone": ("right now", "filler.filler"),
}


@pytest.mark.parametrize(("text", "tags"), WORDS.values(), ids=WORDS.keys())
def test_words_people_use_for_the_car(text: str, tags: str) -> None:
    assert scan(text) == [(text, tags)]
