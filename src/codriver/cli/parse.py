"""``codriver parse``: the engine's interpretation of an utterance, executing nothing."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from codriver.assistant.inputs import clean_utterance
from codriver.assistant.plan import TurnContext, Utterance
from codriver.assistant.session import Assistant
from codriver.text import detect_lang
from codriver.understanding import LocalBrain
from codriver.vehicle.seats import parse_seat


def interpret(text: str, speaker: str, gaze: str | None) -> dict[str, Any]:
    clean = clean_utterance(text)
    brain = LocalBrain()
    assistant = Assistant(brain=brain)
    state = asyncio.run(assistant.executor.state())
    utterance = Utterance(clean, detect_lang(clean), parse_seat(speaker), gaze)
    context = TurnContext(state=state, history=(), tools=assistant.tools)
    result = brain.understand(utterance, context)
    lang = utterance.lang
    return {
        "lang": lang,
        "plan": result.plan.kind,
        "confidence": round(result.plan.confidence, 2),
        "frames": [_frame(asdict(f)) for f in result.frames],
        "calls": [{"tool": c.name, "args": dict(c.args)} for c in result.plan.calls],
        "say": result.plan.say.in_(lang) if result.plan.say else None,
        "ambiguous": result.ambiguous,
    }


def _frame(raw: dict[str, Any]) -> dict[str, Any]:
    raw["cues"] = sorted(raw["cues"])
    return {k: v for k, v in raw.items() if v not in (None, [], (), False, 0) or k == "number"}
