"""Home Assistant's test sentences mapped to the car (benchmarks/ha_sentences.py): the home → car
word substitution, the choice of the car reading, and how a plan is judged against it. The
engine's accuracy is the benchmark's business, not this test's. The sentences below are written
for this test in Home Assistant's style; the tests that read Home Assistant's own files are
skipped when no copy of github.com/home-assistant/intents is at hand."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


hm = _load("ha_mapping")  # ha_sentences imports it by this name
hs = _load("ha_sentences")
MAPPING = hm.CarMapping.load(hm.MAPPING)
TOOLS = frozenset(  # the tools a car has, for these tests (no timer pausing among them)
    {
        "set_ambient_light", "set_reading_light", "set_window", "set_temperature", "set_timer",
        "vehicle_status", "cancel_automation", "control_playback",
    }
)  # fmt: skip


def words(lang: str, *rules: tuple[str, ...]) -> Any:
    return hm.Words([hm.Rule(*r) for r in rules], lang)


ENGLISH = words(  # shorter words first: the longest must win wherever it is listed
    "en",
    ("living room", "cabin", "all"),
    ("kitchen", "back row", "rear"),
    ("bedroom", "front row", "front"),
    ("bedroom lamp", "ambient light"),
    ("tv", "stereo"),
    ("tv show", "tv show"),
)


@pytest.mark.parametrize(
    ("said", "car", "zones"),
    [
        ("turn on the living room lights", "turn on the cabin lights", ("all",)),
        ("Kitchen lights off", "back row lights off", ("rear",)),
        ("set the bedroom lamp to red", "set the ambient light to red", ()),
        ("set the bedroom to red", "set the front row to red", ("front",)),
        ("pause the TV show on the TV", "pause the TV show on the stereo", ()),
        ("turn on the lights", "turn on the lights", ()),
        ("is the kitchenette open?", "is the kitchenette open?", ()),
    ],
    ids=["area", "capital", "longest-first", "shorter-word", "protected", "none", "word-bounds"],
)
def test_home_words_become_car_words_and_the_rest_stays(
    said: str, car: str, zones: tuple[str, ...]
) -> None:
    rewrite = ENGLISH.rewrite(said)
    assert rewrite.text == car
    assert rewrite.zones == zones


def test_chinese_words_are_found_inside_the_sentence() -> None:
    chinese = words("zh", ("卧室灯", "氛围灯"), ("卧室", "前排", "front"), ("TV", "音响"))
    assert chinese.rewrite("把卧室灯调成红色").text == "把氛围灯调成红色"
    assert chinese.rewrite("打开卧室的灯").text == "打开前排的灯"
    assert chinese.rewrite("tv下一首").text == "音响下一首"
    assert chinese.rewrite("打开卧室的灯").zones == ("front",)


def test_a_home_word_left_unmapped_is_reported_not_hidden() -> None:
    rewrite = ENGLISH.rewrite("open the garage door in the kitchen", ["Garage", "Kitchen"])
    assert rewrite.leftover == ("Garage",)
    assert rewrite.text == "open the garage door in the back row"
    protected = ENGLISH.rewrite("play the tv show", ["TV"])
    assert protected.leftover == ()  # a kept phrase is no leftover


def case(
    intent: str, target: str | None, slots: dict[str, Any], zones: tuple[str, ...] = ()
) -> Any:
    return hm.Case("en", "test", intent, "said", "text", target, slots, zones)


def judged(item: Any, kind: str, *calls: tuple[str, dict[str, Any]]) -> Any:
    return hs.judge(item, kind, list(calls), MAPPING, TOOLS)


def test_cabin_lights_are_right_and_headlights_are_a_wrong_action() -> None:
    lights = case("HassTurnOn", "lights", {"domain": "light"}, ("rear",))
    ambient = ("set_ambient_light", {"on": True, "zone": "rear"})
    assert judged(lights, "act", ambient, ("set_reading_light", {"on": True})).right
    assert judged(lights, "act", ("set_ambient_light", {"on": True, "zone": "all"})).kind == (
        "wrong arguments"  # the back row was named, the whole cabin lit
    )
    head = judged(lights, "act", ("set_headlights", {"on": True}))
    assert (head.right, head.kind) == (False, "wrong action")
    extra = judged(lights, "act", ambient, ("set_headlights", {"on": True}))
    assert extra.kind == "extra call"


def test_a_question_is_answered_from_state_and_never_acts() -> None:
    asked = case("HassGetState", "sunroof", {"domain": "cover", "name": "Curtain Left"})
    assert judged(asked, "act", ("vehicle_status", {"topic": "sunroof"})).right
    wrong = judged(asked, "act", ("vehicle_status", {"topic": "windows"}))
    assert (wrong.right, wrong.kind, wrong.question) == (False, "wrong topic", True)
    acted = judged(asked, "act", ("set_sunroof", {"action": "CLOSE"}))
    assert (acted.kind, acted.acts) == ("acted on a question", True)


def test_unplaced_temperature_questions_may_mean_outside() -> None:
    here = case("HassClimateGetTemperature", None, {})
    cabin = case("HassClimateGetTemperature", None, {"area": "Living Room"}, ("all",))
    outside = ("vehicle_status", {"topic": "outside_temperature"})
    assert judged(here, "act", outside).right
    assert not judged(cabin, "act", outside).right


@pytest.mark.parametrize(
    ("said", "celsius", "right"),
    [(30, 30.0, True), (50, 10.0, True), (50, 50.0, True), (30, 24.0, False)],
    ids=["celsius", "fahrenheit", "as-said", "other"],
)
def test_temperatures_count_as_said_or_read_as_fahrenheit(
    said: float, celsius: float, right: bool
) -> None:
    item = case("HassClimateSetTemperature", None, {"temperature": said})
    assert judged(item, "act", ("set_temperature", {"celsius": celsius})).right is right


def test_timer_lengths_and_names_come_from_the_slots() -> None:
    named = case("HassStartTimer", None, {"hours": 1, "minutes": 15, "name": ["pizza ", "pizza"]})
    assert judged(named, "act", ("set_timer", {"minutes": 75.0, "label": "pizza"})).right
    assert not judged(named, "act", ("set_timer", {"minutes": 75.0, "label": None})).right
    half = case("HassStartTimer", None, {"seconds": 30})
    assert judged(half, "act", ("set_timer", {"minutes": 0.5, "label": None})).right


def test_a_timer_question_is_answered_by_the_timers_own_look_up_with_its_name() -> None:
    named = case("HassTimerStatus", None, {"name": "pizza"})
    assert judged(named, "act", ("timer_status", {"label": "pizza"})).right
    assert not judged(named, "act", ("timer_status", {"label": None})).right
    assert judged(named, "act", ("vehicle_status", {"topic": "automations"})).right
    acted = judged(named, "act", ("timer_status", {}), ("pause_timer", {}))
    assert (acted.right, acted.kind) == (False, "acted on a question")


def test_cancelling_all_timers_must_say_all() -> None:
    every = case("HassCancelAllTimers", None, {})
    assert judged(every, "act", ("cancel_automation", {"kind": "timer", "every": True})).right
    assert not judged(every, "act", ("cancel_automation", {"kind": "timer"})).right


def test_a_capability_without_a_tool_is_told_apart() -> None:
    paused = case("HassPauseTimer", None, {})
    assert judged(paused, "not_understood").kind == "no tool yet"
    cancelled = judged(paused, "act", ("cancel_automation", {"kind": "timer"}))
    assert (cancelled.right, cancelled.kind) == (False, "no tool yet, acted")


def test_never_mind_does_nothing() -> None:
    item = case("HassNevermind", None, {})
    assert judged(item, "decline").right
    assert not judged(item, "act", ("control_playback", {"action": "STOP"})).right


@pytest.fixture(scope="module")
def source() -> Any:
    found = hm.Source(hm.SOURCE)
    if not found.exists():
        pytest.skip(f"no home-assistant/intents at {hm.SOURCE}")
    return found


KEPT = {  # phrases that contain a fixture's name but are no home thing in the car
    "en": ["outside temperature", "outside", "tv show", "the office"],
    "zh": ["室外温度", "空调", "tv show"],
}


def test_every_mapped_sentence_is_free_of_home_words_and_has_a_car_reading(source: Any) -> None:
    cases, tally = hm.load_cases(source, MAPPING, ["en", "zh"])
    assert {c.lang for c in cases} == {"en", "zh"}
    for lang, folder in hm.LANGS.items():
        fixtures = source.read(folder, "_fixtures.yaml")
        names = [a["name"] for a in fixtures["areas"]] + [
            f["name"] for f in fixtures.get("floors", [])
        ]
        names += [e["name"] for e in fixtures["entities"] if e["id"].split(".")[0] in DEVICES]
        for item in (c for c in cases if c.lang == lang):
            assert MAPPING.reading(item.intent, item.target) is not None, item
            text = item.text.casefold()
            for kept in KEPT[lang]:
                text = text.replace(kept, " ")
            for name in names:
                edge = r"\b" if lang == "en" else ""
                assert not re.search(f"{edge}{re.escape(name.casefold())}{edge}", text), item
    assert len({c.key for c in cases}) == len(cases)
    assert sum(tally.read.values()) > len(cases) + len(tally.dropped)


DEVICES = {"light", "fan", "cover", "lock", "climate", "media_player", "switch"}


def test_the_cases_a_car_has_no_device_for_are_left_out_with_a_reason(source: Any) -> None:
    cases, tally = hm.load_cases(source, MAPPING, ["en", "zh"])
    assert not any(c.file.startswith(("vacuum_", "scene_", "todo_")) for c in cases)
    assert "generic home wall switches" in tally.left_out
    assert not any(why.startswith("not mapped") for why in tally.left_out), tally.left_out
