"""The NLPCC parse-level evaluation (benchmarks/nlpcc_eval.py): reading the format, matching slots,
the organisers' macro-F1 and the plan → label mapping. The lines here are written for this test in
the corpus's format; no corpus sentence is copied."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    path = ROOT / "benchmarks" / "nlpcc_eval.py"
    spec = importlib.util.spec_from_file_location("nlpcc_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["nlpcc_eval"] = module
    spec.loader.exec_module(module)
    return module


ev = _load()
MAPPING = ev.Mapping(yaml.safe_load(ev.MAPPING.read_text(encoding="utf-8")))

LINES = """\
7\t放一首小明的晚风吹\tmusic.play\t放一首<singer>小明</singer>的<song>晚风吹</song>
7\t我想听晓名唱的春天\tmusic.play\t我想听<singer>晓名||小明</singer>唱的<song>春天</song>
\r
8\t带我回家\tnavigation.navigation\t带我回<custom_destination>家</custom_destination>
8\t今天好累啊\tOTHERS\t今天好累啊
"""


@pytest.fixture
def golds(tmp_path: Path) -> list[Any]:
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(LINES, encoding="utf-8")
    return ev.read_corpus(corpus)  # type: ignore[no-any-return]


def test_the_corpus_format_is_read_with_slots_at_their_offsets(golds: list[Any]) -> None:
    assert [g.intent for g in golds] == [
        "music.play",
        "music.play",
        "navigation.navigation",
        "OTHERS",
    ]
    first = golds[0]
    assert [(s.name, s.heard) for s in first.slots] == [("singer", "小明"), ("song", "晚风吹")]
    assert all(first.text[s.start : s.end] == s.heard for s in first.slots)
    assert first.span(corrected=False) == "小明的晚风吹"
    corrected = golds[1]
    assert corrected.slots[0].corrected == "小明"
    assert corrected.span(corrected=False) == "晓名唱的春天"
    assert corrected.span(corrected=True) == "小明唱的春天"
    assert golds[3].slots == ()


def prediction(intent: str, value: str | None, tool: str, **args: object) -> Any:
    types = MAPPING.slot_types(tool, args) if tool in MAPPING.slots else ()
    return ev.Prediction(intent, value, types, True, "act", ())


@pytest.mark.parametrize(
    ("index", "value", "tool", "args", "expected"),
    [
        (0, "小明的晚风吹", "play_media", {}, True),
        (0, "小明的晚风", "play_media", {}, False),
        (0, "一首小明的晚风吹", "play_media", {}, False),
        (0, "小明的晚风吹", "play_media", {"kind": "artist"}, False),
        (1, "小明唱的春天", "play_media", {}, True),
        (1, "晓名唱的春天", "play_media", {}, True),
        (2, "家", "navigate_to", {}, True),
        (2, "home", "navigate_to", {}, True),
        (2, "家", "call_contact", {}, False),
        (3, None, "hang_up", {}, True),
        (3, "今天", "call_contact", {}, False),
    ],
    ids=[
        "singer-and-song-span",
        "a-character-lost",
        "a-command-word-kept",
        "kind-disagrees",
        "as-corrected",
        "as-heard",
        "custom-destination",
        "custom-destination-in-english",
        "right-value-wrong-domain",
        "no-slots-none-predicted",
        "a-slot-where-there-is-none",
    ],
)
def test_slots_match_the_gold_stretch_in_a_type_the_call_can_carry(
    golds: list[Any],
    index: int,
    value: str | None,
    tool: str,
    args: dict[str, object],
    expected: bool,
) -> None:
    pred = prediction("any", value, tool, **args)
    assert ev.slots_match(golds[index], pred, MAPPING) is expected


def test_macro_f1_is_the_harmonic_mean_of_mean_precision_and_mean_recall() -> None:
    pairs = [
        ("music.play", "music.play"),
        ("music.play", "OTHERS"),
        ("OTHERS", "music.play"),
        ("music.next", "music.next"),
    ]
    # music.play: P 1/2, R 1/2; music.next: P 1, R 1; the other 8 intents 0 → means 0.15, 0.15
    score = ev.macro_f1(pairs)
    assert score["precision"] == pytest.approx(0.15)
    assert score["recall"] == pytest.approx(0.15)
    assert score["f1"] == pytest.approx(0.15)


@pytest.mark.parametrize(
    ("tool", "args", "intent"),
    [
        ("control_playback", {"action": "SKIP_FORWARD"}, "music.next"),
        ("control_playback", {"action": "STOP"}, "music.pause"),
        ("cancel_navigation", {}, "navigation.cancel_navigation"),
        ("set_air_conditioning", {"on": True}, None),
    ],
    ids=["next", "pause", "cancel-route", "not-a-corpus-intent"],
)
def test_calls_map_to_corpus_intents(tool: str, args: dict[str, object], intent: str) -> None:
    assert MAPPING.intent_of(tool, args) == intent


@pytest.fixture(scope="module")
def context() -> Any:
    return ev._context()


def test_the_engine_reading_is_labelled_and_actions_are_told_apart(context: Any) -> None:
    route = ev.predict("导航到人民广场", MAPPING, context)
    assert route.intent == "navigation.navigation"
    assert route.value == "人民广场"
    assert route.acts
    climate = ev.predict("打开空调", MAPPING, context)
    assert climate.intent == "OTHERS"
    assert climate.acts  # an action on a non-corpus intent is still an action
    asked = ev.predict("导航", MAPPING, context)
    assert asked.intent == "navigation.open"
    assert not asked.acts
