"""Frames: a value belongs to the device it was said for, and a time is no value."""

from __future__ import annotations

import pytest

from codriver.understanding.frames import Frame, build_frames
from codriver.understanding.lexicon import lower
from codriver.understanding.lexicon_files import load_lexicon


def frames(text: str) -> list[Frame]:
    lexicon = load_lexicon()
    return build_frames(lexicon.scan(lower(text)), text, None, lexicon.query_words)


UNITS = {
    "en-recline": ("recline my seat to 25 degrees", "backrest"),
    "en-lean": ("lean my seat back to 30 degrees please", "backrest"),
    "zh-backrest": ("座椅靠背调到25度", "backrest"),
}


@pytest.mark.parametrize(("text", "device"), UNITS.values(), ids=UNITS.keys())
def test_a_unit_after_a_number_is_its_unit_not_another_device(text: str, device: str) -> None:
    found = [f for f in frames(text) if f.device or f.number is not None or f.unit]
    assert len(found) == 1  # no second frame for "degrees" as the temperature
    assert found[0].device in (device, None) and found[0].number is not None


DURATIONS = {
    "zh-before": "过30分钟开机盖",
    "zh-after": "二十分钟以后把车窗关上",
    "en": "in 20 minutes open the trunk",
}


@pytest.mark.parametrize("text", DURATIONS.values(), ids=DURATIONS.keys())
def test_a_duration_is_a_time_not_a_value(text: str) -> None:
    found = frames(text)
    assert all(f.number is None for f in found)
    assert any(f.duration for f in found)


@pytest.mark.parametrize("text", ["小红", "红颜", "阿青"])
def test_one_colour_character_alone_is_part_of_a_name(text: str) -> None:
    assert all(f.color is None for f in frames(text))


def test_a_colour_with_a_verb_is_a_colour() -> None:
    assert [f.color for f in frames("氛围灯换成红")] == ["#FF0000"]
