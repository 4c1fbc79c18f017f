"""Parse-level evaluation of the on-device engine on the NLPCC 2018 task 4 in-car corpus.

Each utterance is parsed alone, on a fresh engine and the default car (as ``codriver parse`` does:
nothing is executed). The plan is read as the corpus's labels through
``benchmarks/data/nlpcc_mapping.yaml`` and scored:

- intent accuracy over all utterances;
- slot exact match over the utterances with gold slots (the plan's value equals the stretch of the
  utterance from the first gold slot to the last, as heard or as corrected, in the right domain);
- intent macro-F1 over the 10 intents other than OTHERS, as the organisers' scorer computes it
  (the harmonic mean of the mean precision and the mean recall);
- joint accuracy: intent right and slots exact (no slot predicted where the gold has none);
- false actions: the share of OTHERS utterances whose plan calls a tool that acts;
- per-intent confusion counts, and ``--show-errors N`` sample misses.

With ``--sessions`` each session is instead a conversation: its utterances are said in order to one
assistant on a simulated car, which carries them out, so a follow-up ("播放dj" after "播放dj歌曲",
a bare title after a music turn, "取消" after a route) is read in its context, as the withheld
sessions of real logs are. The label is read from the calls the turn made.

The corpus has no licence: it is read from ``../shared`` at run time and never copied into the
repository (see its SOURCE.md).

Usage: python benchmarks/nlpcc_eval.py [--corpus PATH] [--json OUT] [--show-errors N] [--limit N]
                                      [--mapping YAML] [--sessions]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "nlpcc2018-task4" / "dev.txt"
MAPPING = Path(__file__).resolve().parent / "data" / "nlpcc_mapping.yaml"
OTHERS = "OTHERS"
INTENTS = (
    "music.play",
    "music.pause",
    "music.next",
    "music.prev",
    "navigation.navigation",
    "navigation.open",
    "navigation.start_navigation",
    "navigation.cancel_navigation",
    "phone_call.make_a_phone_call",
    "phone_call.cancel",
)
"""The 10 intents the macro-F1 averages over (every intent but OTHERS)."""
_TAG = re.compile(r"<(\w+)>(.*?)</\1>")


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    heard: str
    corrected: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Gold:
    session: str
    text: str
    intent: str
    slots: tuple[Slot, ...]

    def span(self, corrected: bool) -> str:
        """The utterance from the first slot to the last (with corrections, if asked)."""
        first, last = self.slots[0].start, self.slots[-1].end
        if not corrected:
            return self.text[first:last]
        out, at = [], first
        for slot in self.slots:
            out += [self.text[at : slot.start], slot.corrected]
            at = slot.end
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Prediction:
    intent: str
    value: str | None
    slot_types: tuple[str, ...]
    acts: bool
    plan: str
    calls: tuple[str, ...]


def read_corpus(path: Path) -> list[Gold]:
    """Every utterance of the corpus file, with its gold intent and slots."""
    golds = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.strip().split("\t")
        if len(fields) != 4:
            continue
        session, text, intent, tagged = (f.strip() for f in fields)
        golds.append(Gold(session, text, intent, _slots(tagged)))
    return golds


def _slots(tagged: str) -> tuple[Slot, ...]:
    slots, plain, at = [], [], 0
    for match in _TAG.finditer(tagged):
        plain.append(tagged[at : match.start()])
        heard, _, corrected = match.group(2).partition("||")
        start = len("".join(plain))
        plain.append(heard)
        slots.append(Slot(match.group(1), heard, corrected or heard, start, start + len(heard)))
        at = match.end()
    return tuple(slots)


class Mapping:
    """``nlpcc_mapping.yaml``: how a plan reads as the corpus's intents and slots."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.intents: dict[str, Any] = raw["intents"]
        self.asked: dict[str, str] = raw["asked"]
        self.slots: dict[str, dict[str, Any]] = raw["slots"]
        self.music_kinds: dict[str, list[str]] = raw["music_kinds"]
        self.custom: dict[str, list[str]] = raw["custom_destinations"]
        self.answer_only: set[str] = set(raw["answer_only"])

    def intent_of(self, tool: str, args: dict[str, Any]) -> str | None:
        target = self.intents.get(tool)
        if isinstance(target, dict):
            ((argument, by_value),) = target.items()
            return by_value.get(str(args.get(argument)))  # type: ignore[no-any-return]
        return target  # type: ignore[no-any-return]

    def slot_types(self, tool: str, args: dict[str, Any]) -> tuple[str, ...]:
        types = list(self.slots[tool]["types"])
        kind = args.get("kind")
        if tool == "play_media" and kind in self.music_kinds:
            types = self.music_kinds[kind]
        return tuple(types)


def predict(text: str, mapping: Mapping, context: Any) -> Prediction:
    """The engine's reading of ``text`` alone, as the corpus's labels."""
    from codriver.assistant.inputs import clean_utterance
    from codriver.assistant.plan import Utterance
    from codriver.text import detect_lang
    from codriver.understanding import LocalBrain

    clean = clean_utterance(text)
    brain = LocalBrain()
    result = brain.understand(Utterance(clean, detect_lang(clean)), context)
    plan = result.plan
    calls = [(c.name, dict(c.args)) for c in plan.calls]
    pred = labelled(calls, plan.kind, mapping)
    if pred.intent != OTHERS:
        return pred
    # the device a question is about: what the engine awaits an answer for, else what was named
    awaiting = getattr(getattr(brain, "memory", None), "awaiting", None)
    devices = [awaiting[1]] if awaiting else []
    devices += [f.device for f in result.frames if f.device]
    asked = next((mapping.asked[d] for d in devices if d in mapping.asked), None)
    intent = asked if plan.kind == "ask" and asked else OTHERS
    return Prediction(intent, None, (), pred.acts, plan.kind, pred.calls)


def labelled(calls: list[tuple[str, dict[str, Any]]], kind: str, mapping: Mapping) -> Prediction:
    """A turn's calls as the corpus's labels (OTHERS when none maps to an intent)."""
    shown = tuple(f"{name}({json.dumps(args, ensure_ascii=False)})" for name, args in calls)
    acts = any(name not in mapping.answer_only for name, _ in calls)
    for name, args in calls:
        intent = mapping.intent_of(name, args)
        if intent is None:
            continue
        slot = mapping.slots.get(name)
        value = args.get(slot["argument"]) if slot else None
        types = mapping.slot_types(name, args) if slot else ()
        return Prediction(intent, _text(value), types, acts, kind, shown)
    return Prediction(OTHERS, None, (), acts, kind, shown)


def in_sessions(golds: list[Gold], mapping: Mapping) -> list[Prediction]:
    """Each session said in order to one assistant on a simulated car."""
    import asyncio

    from codriver.assistant.session import Assistant
    from codriver.errors import InputError
    from codriver.understanding import LocalBrain

    async def run() -> list[Prediction]:
        preds: list[Prediction] = []
        assistant, brain, session = None, LocalBrain(), None
        for gold in golds:
            if assistant is None or gold.session != session:
                brain = LocalBrain()
                assistant, session = Assistant(brain=brain), gold.session
            try:
                result = await assistant.say(gold.text)
            except InputError:
                preds.append(Prediction(OTHERS, None, (), False, "invalid", ()))
                continue
            calls = [(a.call.name, dict(a.call.args)) for a in result.actions]
            pred = labelled(calls, result.outcome, mapping)
            awaiting = brain.memory.awaiting  # "打电话" → "打给谁？": the call it asks about
            if pred.intent == OTHERS and result.outcome == "asked" and awaiting:
                asked = mapping.asked.get(awaiting[1], OTHERS)
                pred = Prediction(asked, None, (), False, "asked", pred.calls)
            preds.append(pred)
        return preds

    return asyncio.run(run())


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def slots_match(gold: Gold, pred: Prediction, mapping: Mapping) -> bool:
    """The plan's slot value is the gold slots' stretch of the utterance, in a type it can be."""
    if not gold.slots:
        return pred.value is None
    if pred.value is None or not {s.name for s in gold.slots} <= set(pred.slot_types):
        return False
    said = pred.value.strip().lower()
    if said in (gold.span(corrected=False).lower(), gold.span(corrected=True).lower()):
        return True
    if len(gold.slots) == 1 and gold.slots[0].name == "custom_destination":
        return said in (w.lower() for w in mapping.custom.get(gold.slots[0].corrected, []))
    return False


def macro_f1(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """The organisers' intent score: mean precision and mean recall over the 10 intents, and
    their harmonic mean."""
    precisions, recalls = [], []
    for intent in INTENTS:
        tp = sum(1 for g, p in pairs if g == p == intent)
        fp = sum(1 for g, p in pairs if p == intent and g != intent)
        fn = sum(1 for g, p in pairs if g == intent and p != intent)
        precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        recalls.append(tp / (tp + fn) if tp + fn else 0.0)
    p, r = sum(precisions) / len(INTENTS), sum(recalls) / len(INTENTS)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(golds: list[Gold], preds: list[Prediction], mapping: Mapping) -> dict[str, Any]:
    pairs = [(g.intent, p.intent) for g, p in zip(golds, preds, strict=True)]
    slot_ok = [slots_match(g, p, mapping) for g, p in zip(golds, preds, strict=True)]
    with_slots = [ok for g, ok in zip(golds, slot_ok, strict=True) if g.slots]
    others = [p for g, p in zip(golds, preds, strict=True) if g.intent == OTHERS]
    joint = [g == p and ok for (g, p), ok in zip(pairs, slot_ok, strict=True)]
    confusion: dict[str, Counter[str]] = {}
    for gold, pred in pairs:
        confusion.setdefault(gold, Counter())[pred] += 1
    return {
        "utterances": len(golds),
        "intent_accuracy": _pct(sum(g == p for g, p in pairs), len(pairs)),
        "slot_exact_match": _pct(sum(with_slots), len(with_slots)),
        "utterances_with_slots": len(with_slots),
        "intent_macro": {k: round(100 * v, 1) for k, v in macro_f1(pairs).items()},
        "joint_accuracy": _pct(sum(joint), len(joint)),
        "others": len(others),
        "false_action_rate": _pct(sum(p.acts for p in others), len(others)),
        "confusion": {g: dict(c.most_common()) for g, c in sorted(confusion.items())},
        "by_intent": {
            intent: _pct(c[intent], sum(c.values())) for intent, c in sorted(confusion.items())
        },
    }


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def errors(
    golds: list[Gold], preds: list[Prediction], mapping: Mapping, n: int
) -> list[dict[str, Any]]:
    """A reproducible sample of ``n`` utterances whose intent or slots were missed."""
    missed = [
        (g, p)
        for g, p in zip(golds, preds, strict=True)
        if g.intent != p.intent or not slots_match(g, p, mapping)
    ]
    sample = random.Random(2018).sample(missed, min(n, len(missed)))
    return [
        {
            "text": g.text,
            "gold": g.intent,
            "gold_slots": {s.name: s.corrected for s in g.slots},
            "predicted": p.intent,
            "value": p.value,
            "plan": p.plan,
            "calls": list(p.calls),
            "false_action": g.intent == OTHERS and p.acts,
        }
        for g, p in sample
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="NLPCC 2018 task 4 file")
    parser.add_argument("--json", type=Path, help="write the numbers (and errors) as JSON")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N", help="sample misses")
    parser.add_argument("--limit", type=int, help="only the first N utterances")
    parser.add_argument("--mapping", type=Path, default=MAPPING, help="plan → label mapping")
    parser.add_argument(
        "--sessions", action="store_true", help="say each session in order to one assistant"
    )
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus} (see its SOURCE.md)", file=sys.stderr)
        return 2
    mapping = Mapping(yaml.safe_load(args.mapping.read_text(encoding="utf-8")))
    golds = read_corpus(args.corpus)[: args.limit]
    started = time.perf_counter()
    if args.sessions:
        preds = in_sessions(golds, mapping)
    else:
        context = _context()
        preds = [predict(g.text, mapping, context) for g in golds]
    elapsed = time.perf_counter() - started
    report = score(golds, preds, mapping)
    report["corpus"] = str(args.corpus)
    report["ms_per_utterance"] = round(1000 * elapsed / max(1, len(golds)), 2)
    sample = errors(golds, preds, mapping, args.show_errors)
    _print(report, sample)
    if args.json:
        out = {**report, "errors": sample, "mapping": str(args.mapping)}
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


def _context() -> Any:
    """What ``codriver parse`` gives the engine: the default car's state and the tools."""
    import asyncio

    from codriver.assistant.plan import TurnContext
    from codriver.assistant.session import Assistant
    from codriver.understanding import LocalBrain

    assistant = Assistant(brain=LocalBrain())
    state = asyncio.run(assistant.executor.state())
    return TurnContext(state=state, history=(), tools=assistant.tools)


def _print(report: dict[str, Any], sample: list[dict[str, Any]]) -> None:
    macro = report["intent_macro"]
    print(f"NLPCC 2018 task 4, {report['utterances']} utterances ({report['corpus']})")
    print(f"  intent accuracy:        {report['intent_accuracy']} %")
    print(
        f"  slot exact match:       {report['slot_exact_match']} % "
        f"(of {report['utterances_with_slots']} utterances with slots)"
    )
    print(
        f"  intent macro-F1:        {macro['f1']} % "
        f"(P {macro['precision']} %, R {macro['recall']} %, 10 intents without OTHERS)"
    )
    print(f"  joint accuracy:         {report['joint_accuracy']} %")
    print(f"  false actions (OTHERS): {report['false_action_rate']} % of {report['others']}")
    print(f"  speed:                  {report['ms_per_utterance']} ms per utterance")
    print("confusion (gold → predicted: count), and the share right:")
    for gold, row in report["confusion"].items():
        cells = ", ".join(f"{p} {n}" for p, n in row.items())
        print(f"  {gold} ({report['by_intent'][gold]} %): {cells}")
    for item in sample:
        print(
            f"- {item['text']}  gold {item['gold']} {item['gold_slots']}  →  "
            f"{item['predicted']} {item['value']!r} {item['plan']} {' '.join(item['calls'])}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
