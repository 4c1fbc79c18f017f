"""Side by side: codriver's on-device engine against Home Assistant's local intent matcher.

Both read the same car commands (hassil_compare.yaml beside this file, about 70 a language):
hassil with the home-assistant-intents sentence templates and slot lists naming the car's devices,
and codriver's LocalBrain, planning without executing. Each answer becomes a codriver tool call
(filled with the tool's defaults) and is scored against the expected call. Per-sentence time is
the median of --repeat timed passes after a warm-up, both systems in the same process; start-up
(import, load, first call) is measured in fresh subprocesses.

Usage: python benchmarks/hassil_compare.py [--repeat 5] [--json OUT]
Needs hassil and home-assistant-intents: the `bench` extra, or
pip install hassil home-assistant-intents.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml

DATA = Path(__file__).with_suffix(".yaml")
HASS_LANG = {"en": "en", "zh": "zh-CN"}  # home_assistant_intents.get_languages() codes
FIRST_SENTENCE = {"en": "set the temperature to 24 degrees", "zh": "把温度调到24度"}
SYSTEMS = ("codriver", "hassil")
PALETTE = {  # colours are compared by nearest named hue: HA's green is #008000, codriver's #00FF00
    "red": (255, 0, 0), "orange": (255, 165, 0), "yellow": (255, 255, 0), "green": (0, 255, 0),
    "cyan": (0, 255, 255), "blue": (0, 0, 255), "purple": (128, 0, 128), "pink": (255, 192, 203),
    "white": (255, 255, 255), "brown": (165, 42, 42), "black": (0, 0, 0),
}  # fmt: skip
HASS_MEDIA = {
    "HassMediaPause": "STOP", "HassMediaUnpause": "PLAY",
    "HassMediaNext": "SKIP_FORWARD", "HassMediaPrevious": "SKIP_BACKWARD",
}  # fmt: skip
HASS_ROLE = {
    "HassTurnOn": "turn_on", "HassTurnOff": "turn_off",
    "HassSetPosition": "position", "HassLightSet": "light",
}  # fmt: skip

Style = Literal["template", "natural"]
Call = tuple[str, dict[str, Any]]
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Case:
    """One command and the first tool call it should produce."""

    lang: str
    text: str
    tool: str
    args: dict[str, Any]
    style: Style


@dataclass(frozen=True, slots=True)
class Answer:
    """A system's reading of a command as a codriver call, and what it recognised, for the log."""

    call: Call | None
    detail: str


class System(Protocol):
    """A recogniser under test: ``recognize`` is timed, ``prepare`` and ``interpret`` are not."""

    def prepare(self) -> None: ...
    def recognize(self, text: str) -> Any: ...
    def interpret(self, raw: Any) -> Answer: ...


# -- the two systems ------------------------------------------------------------------------


class Codriver:
    """codriver's LocalBrain; a fresh brain per sentence so dialogue memory cannot carry over."""

    def __init__(self) -> None:
        from codriver.assistant.plan import TurnContext
        from codriver.assistant.session import Assistant
        from codriver.understanding import LocalBrain

        self._brain_class = LocalBrain
        self.brain = LocalBrain()
        assistant = Assistant(brain=self.brain)
        state = asyncio.run(assistant.executor.state())
        self.tools = assistant.tools
        self.context = TurnContext(state=state, history=(), tools=assistant.tools)

    def prepare(self) -> None:
        self.brain = self._brain_class()

    def recognize(self, text: str) -> Any:
        from codriver.assistant.plan import Utterance
        from codriver.text import detect_lang

        utterance = Utterance(text, detect_lang(text), "driver", None)
        return self.brain.understand(utterance, self.context).plan

    def interpret(self, raw: Any) -> Answer:
        calls = [(c.name, dict(c.args)) for c in raw.calls]
        detail = f"{raw.kind} {calls}" if calls else f"{raw.kind}: {raw.say.en if raw.say else ''}"
        return Answer(calls[0] if calls else None, detail)


class Hassil:
    """hassil's recognize_best over one language's home-assistant-intents, as HA calls it."""

    def __init__(self, lang: str, data: Mapping[str, Any]) -> None:
        from hassil import Intents, SlotList, TextSlotList, filter_intents
        from home_assistant_intents import get_intents

        raw = get_intents(HASS_LANG[lang])
        if raw is None:
            raise SystemExit(f"home-assistant-intents has no {HASS_LANG[lang]!r}")
        self.lang = HASS_LANG[lang]
        self.entities: dict[str, Any] = data["entities"]
        # As an HA instance scopes the templates to the entity domains it has (all intents kept).
        domains = {spec["domain"] for spec in self.entities.values() if "domain" in spec}
        self.intents = filter_intents(Intents.from_dict(raw), domains=domains)
        self.colors: dict[str, str] = data["ha_colors"]
        names = [
            (name, entity_id, {"domain": spec["domain"]})
            for entity_id, spec in self.entities.items()
            for name in spec.get("names", {}).get(lang, [])
        ]
        areas = [(name, "car") for name in data["areas"][lang]]
        self.slot_lists: dict[str, SlotList] = {
            "name": TextSlotList.from_tuples(names),
            "area": TextSlotList.from_tuples(areas),
            "floor": TextSlotList.from_strings([]),
        }
        # The assistant speaks from inside the car, as an HA voice satellite assigned to an area.
        self.context = {"area": {"value": "car", "text": "car"}}

    def prepare(self) -> None:
        pass

    def recognize(self, text: str) -> Any:
        from hassil import recognize_best

        return recognize_best(
            text,
            self.intents,
            slot_lists=self.slot_lists,
            intent_context=self.context,
            language=self.lang,
            best_slot_name="name",
        )

    def interpret(self, raw: Any) -> Answer:
        if raw is None:
            return Answer(None, "no match")
        slots = {key: entity.value for key, entity in raw.entities.items()}
        detail = f"{raw.intent.name} {slots}"
        call = self._call(raw.intent.name, slots)
        return Answer(call, detail if call else f"unmapped {detail}")

    def _call(self, intent: str, slots: dict[str, Any]) -> Call | None:
        if intent in HASS_MEDIA:
            return "control_playback", {"action": HASS_MEDIA[intent]}
        if intent == "HassSetVolume":
            return "set_volume", {"level": slots["volume_level"]}
        if intent == "HassClimateSetTemperature":
            return "set_temperature", {"celsius": slots["temperature"]}
        if "name" in slots:
            target = slots["name"]
        elif "device_class" in slots:
            target = f"class:{slots['device_class']}"
        else:
            target = f"domain:{slots.get('domain')}"
        spec = self.entities.get(target, {}).get(HASS_ROLE.get(intent, ""))
        if spec is None:
            return None
        tool, fixed = spec
        args = dict(fixed)
        if intent == "HassSetPosition":
            args["position"] = slots["position"]
        if "brightness" in slots:
            args["brightness"] = slots["brightness"]
        if "color" in slots:
            args["color"] = self.colors[slots["color"]]
        return tool, args


# -- scoring -------------------------------------------------------------------------------


def hue(hex_colour: str) -> str:
    rgb = tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return min(PALETTE, key=lambda name: math.dist(PALETTE[name], rgb))


def value_matches(key: str, want: Any, got: Any) -> bool:
    if got is None:
        return want is None
    if key == "color":
        return isinstance(got, str) and hue(got) == want
    if want == ">0":
        return isinstance(got, int | float) and got > 0
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got
    if isinstance(want, int | float):
        tolerance = 10 if key == "position" else 0.5
        return isinstance(got, int | float) and abs(got - want) <= tolerance
    return bool(want == got)


def correct(case: Case, call: Call | None) -> bool:
    if call is None or call[0] != case.tool:
        return False
    return all(value_matches(k, want, call[1].get(k)) for k, want in case.args.items())


def with_defaults(tools: Any, answer: Answer) -> Answer:
    """The call as it would run: validated against the tool's schema, defaults filled in."""
    if answer.call is None:
        return answer
    tool = tools.get(answer.call[0])
    if tool is None:
        return Answer(None, f"unknown tool: {answer.detail}")
    args = tool.validate(answer.call[1])
    if not isinstance(args, dict):
        return Answer(None, f"invalid args ({args.message}): {answer.detail}")
    return Answer((answer.call[0], args), answer.detail)


# -- running -------------------------------------------------------------------------------


def load_cases(data: Mapping[str, Any]) -> list[Case]:
    return [
        Case(lang, text, tool, dict(args), style)
        for lang, rows in data["sentences"].items()
        for text, tool, args, style in rows
    ]


def run(cases: list[Case], systems: dict[tuple[str, str], System], repeat: int) -> list[Row]:
    """Answer every case with every system: a warm-up pass, then ``repeat`` timed passes."""
    times: dict[tuple[int, str], list[float]] = {}
    answers: dict[tuple[int, str], Answer] = {}
    unstable: set[tuple[int, str]] = set()
    for rep in range(repeat + 1):
        order = SYSTEMS if rep % 2 else SYSTEMS[::-1]
        gc.collect()
        for i, case in enumerate(cases):
            for name in order:
                system = systems[(name, case.lang)]
                system.prepare()
                started = time.perf_counter()
                raw = system.recognize(case.text)
                elapsed = time.perf_counter() - started
                answer = system.interpret(raw)
                if rep == 0:
                    answers[(i, name)] = answer
                    continue
                times.setdefault((i, name), []).append(elapsed * 1000)
                if answer != answers[(i, name)]:
                    unstable.add((i, name))
    tools = systems[("codriver", "en")].tools  # type: ignore[attr-defined]
    return [_row(i, case, tools, answers, times, unstable) for i, case in enumerate(cases)]


def _row(
    i: int,
    case: Case,
    tools: Any,
    answers: dict[tuple[int, str], Answer],
    times: dict[tuple[int, str], list[float]],
    unstable: set[tuple[int, str]],
) -> Row:
    row: Row = {**asdict(case)}
    for name in SYSTEMS:
        answer = with_defaults(tools, answers[(i, name)])
        row[name] = {
            "call": list(answer.call) if answer.call else None,
            "recognised": answer.detail,
            "correct": correct(case, answer.call),
            "ms": statistics.median(times[(i, name)]),
            "samples_ms": times[(i, name)],
            "deterministic": (i, name) not in unstable,
        }
    return row


def startup(which: str) -> dict[str, float]:
    """Import, load and first-call times of one system in this (fresh) process, in ms."""
    name, lang = which.split(":")
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    started = time.perf_counter()
    if name == "hassil":
        import hassil  # noqa: F401
        import home_assistant_intents  # noqa: F401

        imported = time.perf_counter()
        system: System = Hassil(lang, data)
        loaded = time.perf_counter()
    else:
        import codriver.assistant.session
        import codriver.understanding  # noqa: F401

        imported = time.perf_counter()
        from codriver.understanding import LocalBrain

        LocalBrain()  # what a brain costs to build; the assistant's tools and car are not counted
        loaded = time.perf_counter()
        system = Codriver()
    before = time.perf_counter()
    system.recognize(FIRST_SENTENCE[lang])
    done = time.perf_counter()
    return {
        "import_ms": (imported - started) * 1000,
        "load_ms": (loaded - imported) * 1000,
        "first_call_ms": (done - before) * 1000,
    }


def measure_startup(runs: int) -> dict[str, dict[str, float]]:
    result = {}
    for lang in HASS_LANG:
        for name in SYSTEMS:
            samples = [
                json.loads(
                    subprocess.run(
                        [sys.executable, __file__, "--startup", f"{name}:{lang}"],
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                )
                for _ in range(runs)
            ]
            result[f"{name}:{lang}"] = {
                key: statistics.median(s[key] for s in samples) for key in samples[0]
            }
    return result


# -- reporting -----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarise(rows: list[Row], start: dict[str, dict[str, float]]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for lang in HASS_LANG:
        mine = [r for r in rows if r["lang"] == lang]
        per: dict[str, Any] = {"sentences": len(mine)}
        for name in SYSTEMS:
            ms = [r[name]["ms"] for r in mine]
            per[name] = {
                "accuracy": _rate(mine, name),
                "template": _rate([r for r in mine if r["style"] == "template"], name),
                "natural": _rate([r for r in mine if r["style"] == "natural"], name),
                "mean_ms": statistics.fmean(ms),
                "p50_ms": percentile(ms, 0.5),
                "p99_ms": percentile(ms, 0.99),
                **start.get(f"{name}:{lang}", {}),
            }
        per["speed_ratio"] = per["hassil"]["mean_ms"] / per["codriver"]["mean_ms"]
        per["speed_ratio_p50"] = per["hassil"]["p50_ms"] / per["codriver"]["p50_ms"]
        per["accuracy_diff"] = per["codriver"]["accuracy"] - per["hassil"]["accuracy"]
        summary[lang] = per
    return summary


def _rate(rows: list[Row], name: str) -> float:
    return sum(r[name]["correct"] for r in rows) / len(rows) if rows else 0.0


def markdown(summary: dict[str, Any]) -> str:
    lines = [
        "| lang | system | accuracy | template | natural | mean ms | p50 ms | p99 ms "
        "| import ms | load ms | first call ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lang, per in summary.items():
        for name in SYSTEMS:
            s = per[name]
            lines.append(
                f"| {lang} ({per['sentences']}) | {name} | {s['accuracy']:.1%} "
                f"| {s['template']:.1%} | {s['natural']:.1%} | {s['mean_ms']:.3f} "
                f"| {s['p50_ms']:.3f} | {s['p99_ms']:.3f} | {s.get('import_ms', 0):.0f} "
                f"| {s.get('load_ms', 0):.1f} | {s.get('first_call_ms', 0):.1f} |"
            )
    lines.append("")
    for lang, per in summary.items():
        lines.append(
            f"- {lang}: hassil/codriver time {per['speed_ratio']:.1f}x (mean), "
            f"{per['speed_ratio_p50']:.1f}x (p50); accuracy codriver − hassil "
            f"{per['accuracy_diff'] * 100:+.1f} points"
        )
    return "\n".join(lines)


def failures(rows: list[Row]) -> str:
    lines = []
    for name in SYSTEMS:
        missed = [r for r in rows if not r[name]["correct"]]
        lines.append(f"\n{name} missed {len(missed)}:")
        lines += [
            f"  [{r['lang']}/{r['style']}] {r['text']!r} → {r[name]['recognised']}" for r in missed
        ]
    unstable = [r["text"] for r in rows for n in SYSTEMS if not r[n]["deterministic"]]
    if unstable:
        lines.append(f"\nNOT deterministic: {unstable}")
    return "\n".join(lines)


def versions() -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for package in ("codriver", "hassil", "home-assistant-intents"):
        found[package] = metadata.version(package)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes after the warm-up")
    parser.add_argument("--startup-runs", type=int, default=3, help="fresh processes per system")
    parser.add_argument("--json", type=Path, help="write the per-sentence results as JSON")
    parser.add_argument("--startup", help=argparse.SUPPRESS)  # internal: SYSTEM:LANG
    args = parser.parse_args()
    if args.repeat < 1 or args.startup_runs < 1:
        parser.error("--repeat and --startup-runs must be at least 1")
    if args.startup:
        print(json.dumps(startup(args.startup)))
        return 0
    try:
        import hassil  # noqa: F401
        import home_assistant_intents  # noqa: F401
    except ImportError:
        sys.exit(
            "needs hassil and home-assistant-intents: pip install hassil home-assistant-intents"
        )

    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    cases = load_cases(data)
    codriver = Codriver()
    systems: dict[tuple[str, str], System] = {("codriver", lang): codriver for lang in HASS_LANG}
    systems |= {("hassil", lang): Hassil(lang, data) for lang in HASS_LANG}
    rows = run(cases, systems, args.repeat)
    summary = summarise(rows, measure_startup(args.startup_runs))
    print(markdown(summary))
    print(failures(rows))
    if args.json:
        report = {
            "versions": versions(),
            "repeat": args.repeat,
            "summary": summary,
            "results": rows,
        }
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
