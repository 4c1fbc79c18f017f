"""Fuzz sessions from a seed: a starting state (parked, driving, reversing, speed or gear not yet
reported, dark), then steps drawn from a menu — scenario utterances as said and garbled, risky
requests said plainly, negated, put off or last in a list, questions about the car, follow-ups,
looking at things, random Unicode, inputs at the length cap, the world changing, time passing,
and third parties (an LLM brain on a scripted model, an LLM's plans and offers, remote clients
and plugins calling tools)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codriver.assistant.inputs import MAX_UTTERANCE_CHARS
from codriver.safety.grants import GRANTS
from codriver.testing.fuzz_args import tool_call
from codriver.testing.fuzz_mutate import mutate, near_cap, random_unicode
from codriver.testing.fuzz_phrases import phrases
from codriver.testing.fuzz_steps import (
    Call,
    Feed,
    ModelReply,
    PlanSpec,
    Say,
    Session,
    Start,
    Step,
    Wait,
)
from codriver.text import Lang
from codriver.tools.base import ToolBox
from codriver.vehicle.catalog import Value

SPEED = "Vehicle.Speed"
GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
LIGHT = "Vehicle.Exterior.LightIntensity"
LOW_BEAM = "Vehicle.Body.Lights.Beam.Low.IsOn"
P, D, N, R = 126, 127, 0, -1
_SEATS = ("driver", "driver", "driver", "passenger", "rear_left", "rear_right")
_DOORS = ("Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide")
_MOTIONS: tuple[tuple[float, int], ...] = (
    (0, P), (5, D), (30, D), (60, D), (120, D), (0.5, D), (-8, R), (-3, R), (-20, R),
    (0, D), (15, N), (0, N), (0, R),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Utterance:
    """A scenario's ``say`` turn, as material."""

    text: str
    lang: Lang
    gaze: str | None = None


@dataclass(frozen=True, slots=True)
class Corpus:
    """What sessions are built from: scenario utterances and starting states."""

    utterances: tuple[Utterance, ...]
    givens: tuple[tuple[tuple[str, Value], ...], ...]

    @classmethod
    def load(cls, paths: Iterable[Path]) -> Corpus:
        """Every ``say`` turn and ``given`` of the scenario files under ``paths``."""
        from codriver.scenarios.model import load_file, scenario_files
        from codriver.scenarios.runner import CarPaths
        from codriver.vehicle.profile import VehicleProfile

        index = CarPaths(VehicleProfile.load().catalog)
        said: list[Utterance] = []
        givens: list[tuple[tuple[str, Value], ...]] = []
        for file in scenario_files(list(paths)):
            scenarios, _ = load_file(file, index)
            for scenario in scenarios:
                if scenario.given:
                    givens.append(tuple(scenario.given.items()))  # type: ignore[arg-type]
                said.extend(
                    Utterance(t.text, scenario.lang, t.gaze) for t in scenario.turns if t.text
                )
        return cls(tuple(said), tuple(givens))

    @classmethod
    def builtin(cls) -> Corpus:
        """No scenario files: the harness's own phrasings only."""
        words = phrases()
        said = [
            Utterance(text, lang)
            for lang in ("en", "zh")
            for pool in (words.safe, words.questions, words.follow_ups)
            for text in pool[lang]
        ]
        return cls(tuple(said), ())


def session_length(seed: int, index: int) -> int:
    """How many steps session ``index`` has (known without generating it)."""
    return random.Random(f"{seed}/{index}/length").randint(5, 100)


def generate(seed: int, index: int, corpus: Corpus, tools: ToolBox) -> Session:
    """Session ``index`` of the run seeded ``seed``: the same numbers give the same session."""
    rng = random.Random(f"{seed}/{index}")
    lang: Lang = "zh" if rng.random() < 0.5 else "en"
    menu = _menu(rng.choice(_FLAVOURS))
    gen = _Gen(rng, lang, corpus, tools)
    steps: list[Step] = []
    length = session_length(seed, index)
    picks, weights = list(menu), list(menu.values())
    while len(steps) < length:
        steps.extend(rng.choices(picks, weights=weights)[0](gen))
    return Session(seed, index, gen.start(), tuple(steps[:length]))


class _Gen:
    """Draws steps for one session."""

    def __init__(self, rng: random.Random, lang: Lang, corpus: Corpus, tools: ToolBox) -> None:
        self.rng = rng
        self.home: Lang = lang
        self.corpus = corpus
        self.tools = tools

    def lang(self) -> Lang:
        if self.rng.random() < 0.75:
            return self.home
        return "en" if self.home == "zh" else "zh"

    def start(self) -> Start:
        rng = self.rng
        given: dict[str, Value] = {}
        if self.corpus.givens and rng.random() < 0.2:
            given.update(rng.choice(self.corpus.givens))
        roll = rng.random()
        unknown: tuple[str, ...] = ()
        if roll < 0.15:
            unknown = rng.choice(((SPEED,), (GEAR,), (SPEED, GEAR)))
        elif roll < 0.75:
            speed, gear = rng.choice(_MOTIONS)
            given.update({SPEED: speed, GEAR: gear})
        if rng.random() < 0.3:
            given.update({LIGHT: rng.choice((0, 5, 19)), LOW_BEAM: True})
        return Start(tuple(given.items()), unknown)

    # -- occupants --------------------------------------------------------------------------

    def say(self, text: str, **kw: Any) -> Say:
        return Say(text, seat=self.rng.choice(_SEATS), **kw)

    def scenario(self, garble: bool) -> list[Step]:
        if not self.corpus.utterances:
            return self.risky("plain")
        said = self.rng.choice(self.corpus.utterances)
        text = mutate(self.rng, said.text, said.lang) if garble else said.text
        return [self.say(text, gaze=said.gaze)]

    def risky(self, form: str) -> list[Step]:
        rng, lang, words = self.rng, self.lang(), phrases()
        item = rng.choice(words.risky)
        wrapper = rng.choice(words.wrappers[form][lang])
        said = item.phrasings[lang]
        if form in ("negated", "deferred"):  # one clause: "别我要下车，开门" ends in an order
            said = tuple(p for p in said if not any(c in p for c in ",，")) or said
        text = wrapper.replace("{a}", rng.choice(said))
        while "{s}" in text:
            text = text.replace("{s}", rng.choice(words.safe[lang]), 1)
        if form in ("negated", "deferred"):
            return [self.say(text, forbid=item.effects, forbid_kind=form)]
        return [self.say(text)]

    def pick(self, pool: str) -> list[Step]:
        words = phrases()
        source = {"questions": words.questions, "follow_ups": words.follow_ups}[pool]
        return [self.say(self.rng.choice(source[self.lang()]))]

    def gaze(self) -> list[Step]:
        rng = self.rng
        item = rng.choice([r for r in phrases().risky if r.gaze])
        return [self.say(rng.choice(phrases().deictic[self.lang()]), gaze=item.gaze)]

    def unicode(self) -> list[Step]:
        rng = self.rng
        if self.corpus.utterances and rng.random() < 0.5:
            said = rng.choice(self.corpus.utterances).text
            i = rng.randrange(len(said) + 1)
            return [self.say(said[:i] + random_unicode(rng, rng.randint(1, 5)) + said[i:])]
        return [self.say(random_unicode(rng))]

    def huge(self) -> list[Step]:
        rng, lang, words = self.rng, self.lang(), phrases()
        pieces = list(words.safe[lang])
        if rng.random() < 0.5:
            item = rng.choice(words.risky)
            tail = rng.choice(item.phrasings[lang])
            text = near_cap(rng, pieces, lang)
            return [self.say(text[: max(0, len(text) - len(tail) - 2)] + " " + tail)]
        if rng.random() < 0.3:  # one long run of numerals, maybe after a verb
            run = rng.choice(phrases().mutations.numbers["runs"]) * MAX_UTTERANCE_CHARS
            head = rng.choice(("", "调到", "set it to ", "音量"))
            return [self.say((head + run)[: rng.randint(250, MAX_UTTERANCE_CHARS)])]
        if self.corpus.utterances and rng.random() < 0.5:
            pieces = [u.text for u in rng.sample(self.corpus.utterances, 5)]
        return [self.say(near_cap(rng, pieces, lang))]

    # -- the world ----------------------------------------------------------------------------

    def world(self) -> list[Step]:
        rng = self.rng
        kind = rng.randrange(8)
        if kind < 3:
            speed, gear = rng.choice(_MOTIONS)
            values: dict[str, Value] = {SPEED: speed}
            if rng.random() < 0.8:
                values[GEAR] = gear
        elif kind == 3:
            values = {"Vehicle.Body.Raindetection.Intensity": rng.choice((0, 10, 60, 100))}
        elif kind == 4:
            values = {LIGHT: rng.choice((0, 5, 19, 20, 70))}
            if rng.random() < 0.5:
                values[LOW_BEAM] = True
        elif kind == 5:
            door = f"Vehicle.Cabin.Door.{rng.choice(_DOORS)}.IsOpen"
            values = {door: rng.random() < 0.5}
        elif kind == 6:
            values = {
                rng.choice(
                    (
                        "Vehicle.Exterior.AirTemperature",
                        "Vehicle.Driver.FatigueLevel",
                        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed",
                    )
                ): rng.choice((-10, 3, 15, 35, 80, 95))
            }
        else:
            values = {rng.choice((SPEED, LIGHT, GEAR)): rng.choice(("fast", 1e400, 300, -1e9))}
        return [Feed(tuple(values.items()))]

    def wait(self) -> list[Step]:
        return [Wait(self.rng.choice((1, 30, 60, 300, 600, 1800, 3600)))]

    def flood(self) -> list[Step]:
        """Many timers and reminders, then the time they fall due."""
        rng, lang = self.rng, self.lang()
        form = "set a {n} minute timer" if lang == "en" else "{n}分钟后提醒我喝水"
        steps: list[Step] = [
            self.say(form.format(n=rng.randint(1, 20))) for _ in range(rng.randint(5, 20))
        ]
        return [*steps, Wait(1800)]

    # -- third parties -------------------------------------------------------------------------

    def llm_say(self) -> list[Step]:
        rng = self.rng
        calls = tuple(self.call_args() for _ in range(rng.randint(1, 3)))
        text = rng.choice(phrases().strings) if rng.random() < 0.7 else "x" * 20_000
        replies = (ModelReply("", calls), ModelReply(text))
        said = self.scenario(garble=False)[0]
        assert isinstance(said, Say)
        return [Say(said.text, seat=said.seat, brain="llm", model=replies)]

    def call_args(self) -> tuple[str, str]:
        name, args = tool_call(self.rng, self.tools)
        if self.rng.random() < 0.05:
            args = args[: self.rng.randrange(len(args) + 1)]  # cut-off JSON
        return name, args

    def llm_plan(self) -> list[Step]:
        rng, lang = self.rng, self.lang()
        said = rng.choice(phrases().safe[lang])
        if rng.random() < 0.5:
            plan = PlanSpec("act", tuple(self.call_args() for _ in range(rng.randint(1, 2))))
            return [Say(said, brain="plan", plan=plan)]
        offer = (self.call_args(),)
        question = rng.choice(("Shall I make it cosy?", "要我帮你调整一下吗？", "Anything else?"))
        yes = rng.choice(phrases().reading.yes_words[lang])
        steps: list[Step] = [
            Say(said, brain="plan", plan=PlanSpec("answer", say=question, offer=offer))
        ]
        return [*steps, Say(yes)] if rng.random() < 0.7 else steps

    def remote(self, source: str) -> list[Step]:
        rng = self.rng
        grants = tuple(g for g in GRANTS if rng.random() < 0.5) or ("cabin",)
        if source == "say":
            said = self.scenario(garble=rng.random() < 0.3)[0]
            assert isinstance(said, Say)
            return [Say(said.text, brain="remote", grants=grants)]
        name, args = self.call_args()
        return [Call(name, args, source, grants if source == "remote" else ())]  # type: ignore[arg-type]


Pick = Callable[[_Gen], list[Step]]

_BASE: dict[str, float] = {
    "scenario": 14, "garbled": 22, "plain": 7, "multi": 5, "negated": 5, "deferred": 5,
    "questions": 7, "follow_ups": 7, "gaze": 3, "unicode": 2, "huge": 2, "world": 9, "wait": 4,
    "flood": 0.2, "llm_say": 0.4, "llm_plan": 2, "remote_call": 2, "llm_call": 1, "plugin_call": 1,
    "remote_say": 1,
}  # fmt: skip
_FLAVOURS: tuple[dict[str, float], ...] = (
    {},
    {"world": 20, "plain": 12, "multi": 10, "gaze": 6},
    {"llm_say": 2, "llm_plan": 10, "remote_call": 10, "llm_call": 6, "remote_say": 6},
    {"follow_ups": 20, "questions": 15},
)
_PICKS: dict[str, Pick] = {
    "scenario": lambda g: g.scenario(garble=False),
    "garbled": lambda g: g.scenario(garble=True),
    "plain": lambda g: g.risky("plain"),
    "multi": lambda g: g.risky("multi"),
    "negated": lambda g: g.risky("negated"),
    "deferred": lambda g: g.risky("deferred"),
    "questions": lambda g: g.pick("questions"),
    "follow_ups": lambda g: g.pick("follow_ups"),
    "gaze": _Gen.gaze,
    "unicode": _Gen.unicode,
    "huge": _Gen.huge,
    "world": _Gen.world,
    "wait": _Gen.wait,
    "flood": _Gen.flood,
    "llm_say": _Gen.llm_say,
    "llm_plan": _Gen.llm_plan,
    "remote_call": lambda g: g.remote("remote"),
    "llm_call": lambda g: g.remote("llm"),
    "plugin_call": lambda g: g.remote("plugin"),
    "remote_say": lambda g: g.remote("say"),
}


def _menu(flavour: dict[str, float]) -> dict[Pick, float]:
    return {_PICKS[name]: flavour.get(name, weight) for name, weight in _BASE.items()}
