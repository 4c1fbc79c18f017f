"""Home Assistant's intent test sentences, mapped to the car, as a parse-level evaluation.

Home Assistant's intents repository tests its sentence templates with sentences people wrote for
each intent (``tests/<lang>/*.yaml``: sentences, the intent and its slots, in a fixture home).
This command reads those tests for the intents a car has, rewrites each sentence for the car by
substituting the home's words (the living room → the cabin, the kitchen → the back seat, the
bedroom lamp → the ambient light, 客厅 → 车内, 卧室窗帘 → 遮阳帘 …; everything else exactly as
Home Assistant wrote it; ``ha_mapping.py``) and scores codriver's on-device engine on each,
planning only, as ``codriver parse`` does: every sentence alone, on a fresh engine and the
default car. The plan is right when its calls are the car reading of the Home Assistant intent
(``data/ha_car_mapping.yaml``: the tools and their key arguments; for a question, an answer from
state and no call that acts).

The sentences are read at run time from a clone or mirror of github.com/home-assistant/intents
(CC-BY-4.0) and never copied into this repository.

Usage: python benchmarks/ha_sentences.py [--source PATH] [--rev REV] [--mapping YAML]
                                         [--lang en|zh] [--show-errors N] [--json OUT] [--list]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ha_mapping import LANGS, MAPPING, SOURCE, CarMapping, Case, Source, Tally, load_cases

QUESTION_TOOL = "vehicle_status"

# --- judging a plan -----------------------------------------------------------------------------

Call = tuple[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a plan reads against a case: right, or the kind of miss."""

    right: bool
    kind: str
    acts: bool
    question: bool = False


def judge(
    case: Case, kind: str, calls: list[Call], mapping: CarMapping, tools: frozenset[str]
) -> Verdict:
    """The plan against the case's car reading; a miss says what kind of miss it is."""
    reading = mapping.reading(case.intent, case.target)
    assert reading is not None
    acts = any(name not in mapping.answer_only for name, _ in calls)
    if reading.get("dismiss"):
        right = not calls and kind in ("silent", "decline", "answer")
        return Verdict(right, "right" if right else _miss(kind, calls, acts), acts)
    if "question" in reading:
        return _judge_question(case, reading, kind, calls, acts, mapping)
    wanted = reading["calls"]
    matched = [any(_call_matches(c, w, case, mapping) for w in wanted) for c in calls]
    if calls and all(matched):
        return Verdict(True, "right", acts)
    if not any(w["tool"] in tools for w in wanted):
        return Verdict(False, "no tool yet, acted" if acts else "no tool yet", acts)
    if any(matched):
        return Verdict(False, "extra call", acts)
    if any(name in {w["tool"] for w in wanted} for name, _ in calls):
        return Verdict(False, "wrong arguments", acts)
    return Verdict(False, _miss(kind, calls, acts), acts)


def _judge_question(
    case: Case,
    reading: dict[str, Any],
    kind: str,
    calls: list[Call],
    acts: bool,
    mapping: CarMapping,
) -> Verdict:
    if acts:
        return Verdict(False, "acted on a question", acts, question=True)
    topics = set(reading["question"])
    if not case.zones and not _named(case):
        topics |= set(reading.get("unplaced") or [])
    asked = {str(args.get("topic")) for name, args in calls if name == QUESTION_TOOL}
    if asked & topics or (reading.get("reply") and not calls and kind in ("answer", "refuse")):
        return Verdict(True, "right", acts, question=True)
    answers = reading.get("answers") or []  # a look-up of its own ("timer_status")
    if calls and all(any(_call_matches(c, w, case, mapping) for w in answers) for c in calls):
        return Verdict(True, "right", acts, question=True)
    kind = "wrong topic" if asked else _miss(kind, calls, acts)
    return Verdict(False, kind, acts, question=True)


def _named(case: Case) -> bool:
    return isinstance(case.slots.get("name"), str) and case.slots["name"] != "all"


def _miss(kind: str, calls: list[Call], acts: bool) -> str:
    if acts:
        return "wrong action"
    if calls:
        return "answered instead"
    return {"not_understood": "not understood", "ask": "asked back"}.get(kind, f"no call ({kind})")


def _call_matches(call: Call, want: Mapping[str, Any], case: Case, mapping: CarMapping) -> bool:
    name, args = call
    if name != want["tool"]:
        return False
    for arg, spec in (want.get("args") or {}).items():
        expected = _resolve(spec, case)
        if expected is _UNSAID:
            continue
        if not _value_matches(spec, expected, args.get(arg), mapping):
            return False
    zone_arg = want.get("zone")
    return zone_arg is None or _zone_matches(case.zones, args.get(zone_arg))


_UNSAID = object()


def _resolve(spec: Any, case: Case) -> Any:
    """A "$slot" value from the case (or _UNSAID when it has none); anything else as written."""
    if not (isinstance(spec, str) and spec.startswith("$")):
        return spec
    key = spec[1:]
    if key == "duration":
        return duration(case.slots)
    sign = -1 if key.startswith("-") else 1
    value = case.slots.get(key.lstrip("-"))
    if value is None:
        return _UNSAID
    if isinstance(value, list):  # Home Assistant lists a name with and without trailing spaces
        value = value[0]
    if sign < 0:
        return -float(value)
    return value.strip() if isinstance(value, str) else value


def duration(slots: dict[str, Any]) -> float | object:
    """The timer's length in minutes, from Home Assistant's hours, minutes and seconds slots."""
    parts = [float(slots.get(k, 0)) for k in ("hours", "minutes", "seconds")]
    if not any(k in slots for k in ("hours", "minutes", "seconds")):
        return _UNSAID
    return parts[0] * 60 + parts[1] + parts[2] / 60


def _value_matches(spec: Any, want: Any, got: Any, mapping: CarMapping) -> bool:
    """``got`` against ``want``: by the slot it came from (``spec``), else as written."""
    number = _number(got)
    if isinstance(want, list):
        return got in want
    if want == ">0":
        return number is not None and number > 0
    if spec == "$color":
        return isinstance(got, str) and _hue(got, mapping.colors) == str(want)
    if spec == "$temperature":  # as said, or said in Fahrenheit (the English fixture home's unit)
        said = float(want)
        return number is not None and min(abs(number - t) for t in (said, (said - 32) / 1.8)) <= 0.5
    if spec == "$brightness":  # "the lowest" is 1 % in Home Assistant; a dim level will do
        return number is not None and (abs(number - want) <= 1 or (want <= 1 and number <= 10))
    if spec == "$name":
        return isinstance(got, str) and _norm(str(want)) in _norm(got)
    if isinstance(want, str) and spec.startswith("$"):
        return isinstance(got, str) and _norm(got) == _norm(want)
    if isinstance(want, bool | str):
        return got == want
    return number is not None and abs(number - float(want)) <= 0.01


def _zone_matches(zones: tuple[str, ...], got: Any) -> bool:
    if len(zones) != 1:
        return True  # no row named (or several): the call may act where it sees fit
    if zones[0] == "all":
        return got in (None, "all")
    return bool(got == zones[0])


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _norm(text: str) -> str:
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return " ".join(w for w in text.split() if w != "the")


def _hue(value: str, colors: dict[str, str]) -> str | None:
    rgb = _rgb(value)
    if rgb is None:
        return None
    return min(colors, key=lambda name: math.dist(_rgb(colors[name]) or (0, 0, 0), rgb))


def _rgb(value: str) -> tuple[int, int, int] | None:
    match = re.fullmatch(r"#?([0-9a-fA-F]{6})", value.strip())
    if not match:
        return None
    digits = match.group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


# --- running the engine -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """A case, the engine's plan for it, and the verdict."""

    case: Case
    kind: str
    calls: tuple[Call, ...]
    verdict: Verdict


def run(cases: list[Case], mapping: CarMapping) -> list[Outcome]:
    """Each case alone, on a fresh engine and the default car; nothing is executed."""
    from codriver.assistant.inputs import clean_utterance
    from codriver.assistant.plan import Utterance
    from codriver.text import detect_lang
    from codriver.understanding import LocalBrain

    context = _context()
    tools = frozenset(context.tools.names())
    outcomes = []
    for case in cases:
        text = clean_utterance(case.text)
        plan = LocalBrain().understand(Utterance(text, detect_lang(text)), context).plan
        calls = [(c.name, _with_defaults(context.tools, c.name, dict(c.args))) for c in plan.calls]
        verdict = judge(case, plan.kind, calls, mapping, tools)
        outcomes.append(Outcome(case, plan.kind, tuple(calls), verdict))
    return outcomes


def _context() -> Any:
    """What ``codriver parse`` gives the engine: the default car's state and the tools."""
    import asyncio

    from codriver.assistant.plan import TurnContext
    from codriver.assistant.session import Assistant
    from codriver.understanding import LocalBrain

    assistant = Assistant(brain=LocalBrain())
    state = asyncio.run(assistant.executor.state())
    return TurnContext(state=state, history=(), tools=assistant.tools)


def _with_defaults(tools: Any, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments with the tool's defaults for those left unsaid."""
    import inspect

    tool = tools.get(name)
    if tool is None or tool.remote is not None:
        return args
    params = list(inspect.signature(tool.fn).parameters.values())[1:]
    defaults = {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}
    return {**defaults, **args}


# --- the report ---------------------------------------------------------------------------------


def score(outcomes: list[Outcome], tally: Tally) -> dict[str, Any]:
    report: dict[str, Any] = {"languages": {}}
    for lang in sorted({o.case.lang for o in outcomes}):
        mine = [o for o in outcomes if o.case.lang == lang]
        by_intent: dict[str, list[Outcome]] = {}
        by_target: dict[str, list[Outcome]] = {}
        for o in mine:
            by_intent.setdefault(o.case.intent, []).append(o)
            by_target.setdefault(f"{o.case.intent} {o.case.target or '*'}", []).append(o)
        questions = [o for o in mine if o.verdict.question]
        toolless = [o for o in mine if o.verdict.kind.startswith("no tool yet")]
        report["languages"][lang] = {
            "sentences": len(mine),
            "right": sum(o.verdict.right for o in mine),
            "accuracy": _pct(sum(o.verdict.right for o in mine), len(mine)),
            "no_tool_yet": len(toolless),
            "accuracy_with_tools": _pct(
                sum(o.verdict.right for o in mine), len(mine) - len(toolless)
            ),
            "questions": len(questions),
            "acted_on_questions": sum(o.verdict.acts for o in questions),
            "misses": dict(Counter(o.verdict.kind for o in mine if not o.verdict.right)),
            "by_intent": _shares(by_intent),
            "by_target": _shares(by_target),
            "read": tally.read[lang],
            "dropped": sum(1 for d in tally.dropped if d["lang"] == lang),
            "duplicates": tally.duplicates[lang],
        }
    report["left_out"] = dict(tally.left_out.most_common())
    report["dropped"] = tally.dropped
    return report


def _shares(groups: dict[str, list[Outcome]]) -> dict[str, dict[str, Any]]:
    return {
        key: {
            "sentences": len(group),
            "right": sum(o.verdict.right for o in group),
            "accuracy": _pct(sum(o.verdict.right for o in group), len(group)),
        }
        for key, group in sorted(groups.items())
    }


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def misses(outcomes: list[Outcome], n: int) -> list[dict[str, Any]]:
    """A reproducible sample of ``n`` misses."""
    missed = [o for o in outcomes if not o.verdict.right]
    sample = random.Random(15).sample(missed, min(n, len(missed)))
    return [_miss_row(o) for o in sorted(sample, key=lambda o: (o.case.lang, o.case.intent))]


def _miss_row(o: Outcome) -> dict[str, Any]:
    return {
        "lang": o.case.lang,
        "intent": o.case.intent,
        "target": o.case.target,
        "said": o.case.said,
        "text": o.case.text,
        "zones": list(o.case.zones),
        "kind": o.verdict.kind,
        "plan": o.kind,
        "calls": [f"{n}({json.dumps(a, ensure_ascii=False, sort_keys=True)})" for n, a in o.calls],
    }


def weakest(report: dict[str, Any], lang: str, n: int = 5) -> list[tuple[str, dict[str, Any]]]:
    rows = report["languages"][lang]["by_intent"].items()
    return sorted(rows, key=lambda item: (item[1]["accuracy"], -item[1]["sentences"]))[:n]


def _print(report: dict[str, Any], sample: list[dict[str, Any]]) -> None:
    print(
        f"Home Assistant's intent tests mapped to the car ({report['source']} @ {report['commit']})"
    )
    for lang, row in report["languages"].items():
        print(
            f"{lang}: {row['right']} / {row['sentences']} right ({row['accuracy']} %); "
            f"questions acted on: {row['acted_on_questions']} of {row['questions']}; "
            f"read {row['read']}, dropped {row['dropped']}, duplicates {row['duplicates']}"
        )
        print(
            f"  without the {row['no_tool_yet']} sentences codriver has no tool for yet: "
            f"{row['accuracy_with_tools']} %"
        )
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(row["misses"].items(), key=lambda x: -x[1]))
        print(f"  misses: {kinds or 'none'}")
        weak = ", ".join(f"{i} {c['accuracy']} %" for i, c in weakest(report, lang))
        print(f"  weakest: {weak}")
        for intent, cell in row["by_intent"].items():
            print(
                f"  {intent:28} {cell['right']:4} / {cell['sentences']:<4} {cell['accuracy']:5} %"
            )
    left = ", ".join(f"{why} ({n})" for why, n in report["left_out"].items())
    print(f"left out (sentences): {left}")
    for item in report["dropped"]:
        print(f"dropped ({item['lang']}): {item['text']!r}: home words {item['home']}")
    for item in sample:
        print(
            f"- [{item['lang']} {item['intent']} {item['target'] or '*'}] {item['text']!r}"
            f"  →  {item['kind']}: {item['plan']} {' '.join(item['calls'])}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="home-assistant/intents")
    parser.add_argument("--rev", default="HEAD", help="the commit to read (a git directory)")
    parser.add_argument("--mapping", type=Path, default=MAPPING, help="home → car mapping")
    parser.add_argument("--lang", choices=sorted(LANGS), action="append", help="one language")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N", help="sample misses")
    parser.add_argument("--json", type=Path, help="write the numbers and every miss as JSON")
    parser.add_argument("--list", action="store_true", help="print the mapped sentences only")
    args = parser.parse_args()
    source = Source(args.source, args.rev)
    if not source.exists():
        print(
            f"skipped: no home-assistant/intents at {args.source} "
            "(clone github.com/home-assistant/intents and pass --source PATH)",
            file=sys.stderr,
        )
        return 2
    mapping = CarMapping.load(args.mapping)
    cases, tally = load_cases(source, mapping, args.lang or sorted(LANGS))
    if args.list:
        for case in cases:
            print(f"{case.lang}\t{case.intent}\t{case.target or '*'}\t{case.said}\t{case.text}")
        for item in tally.dropped:
            print(f"{item['lang']}\tdropped\t{','.join(item['home'])}\t{item['text']}\t")
        return 0
    started = time.perf_counter()
    outcomes = run(cases, mapping)
    elapsed = time.perf_counter() - started
    report = score(outcomes, tally)
    report.update(source=str(args.source), commit=source.commit(), mapping=str(args.mapping))
    report["ms_per_sentence"] = round(1000 * elapsed / max(1, len(cases)), 2)
    _print(report, misses(outcomes, args.show_errors))
    if args.json:
        every = [_miss_row(o) for o in outcomes if not o.verdict.right]
        out = {**report, "misses": every}
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
