"""Choosing what was said among a recogniser's readings, by what the assistant can understand.

When the recogniser is unsure of a Mandarin utterance it may give several readings (n-best).
Each reading, and each one's sound-alike correction where :func:`~codriver.voice.correct.gate`
allows it, is a candidate; the assistant's understanding is asked whether it reads each as a
command (planned without acting), and the candidate with the best score wins:

    score = log(confidence) + UNDERSTOOD × (share of words understood, for a command)
            − REWRITTEN × (share of characters the correction rewrote)

so a command the engine understands wholly may win over a likelier reading that is no command,
but only by ``UNDERSTOOD`` nats per token at most: a reading only reachable by heavy change (one
the recogniser found much less likely, or rewritten a lot) does not. A reading the engine would
act on while understanding less than ``MIN_SHARE`` of it is out of the running, and when no
reading is left the utterance is dropped (empty text: no turn). English, and a confident or
unscored transcript, are taken as heard.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from codriver.text import Lang
from codriver.voice.correct import UNSURE_BELOW, gate
from codriver.voice.ports import Transcript

UNDERSTOOD = 0.3
"""The most a command reading gains over its recogniser score (nats per token), when the
engine understands every word of it."""
REWRITTEN = 0.5
"""The cost of a correction (nats per token) when it rewrites the whole utterance."""
MIN_SHARE = 0.45
"""An unsure reading the engine would act on while understanding less than this share of its
words (a garbled sentence with one command-like word in it) is not acted on: a command heard
this badly is more likely conversation misheard than a command."""

Origin = Literal["heard", "alternative", "corrected", "dropped"]


@dataclass(frozen=True, slots=True)
class Understood:
    """What the assistant made of a text: a command or not, and what share of it it understood
    (0–1)."""

    command: bool
    share: float = 0.0


Understand = Callable[[str, Lang], Awaitable[Understood]]
"""Asks the assistant what it makes of a text, changing nothing."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading considered, and how it scored."""

    text: str
    origin: Origin
    logprob: float
    rewritten: float = 0.0
    understood: Understood | None = None

    @property
    def score(self) -> float:
        gain = self.understood.share if self.understood and self.understood.command else 0.0
        return self.logprob + UNDERSTOOD * gain - REWRITTEN * self.rewritten


@dataclass(frozen=True, slots=True)
class Choice:
    """The text the assistant is given, where it came from, and what else was considered."""

    text: str
    origin: Origin
    considered: tuple[Candidate, ...] = ()


async def choose(heard: Transcript, understand: Understand | None) -> Choice:
    """The reading of ``heard`` to act on (see the module's docstring)."""
    sure = heard.confidence is None or heard.confidence >= UNSURE_BELOW
    if heard.lang != "zh" or sure or not heard.text:
        return Choice(heard.text, "heard")
    candidates = _candidates(heard)
    if understand is None:  # nothing to ask: the gated correction of the reading heard
        fixed = gate(heard.text, heard.lang, heard.confidence)
        return Choice(fixed.text, "corrected" if fixed.applied else "heard", candidates)
    judged = []
    for candidate in candidates:
        verdict = await understand(candidate.text, heard.lang)
        judged.append(
            Candidate(
                candidate.text, candidate.origin, candidate.logprob, candidate.rewritten, verdict
            )
        )
    eligible = [c for c in judged if not _half_understood(c)]
    if not eligible:  # every reading a command the engine barely understands
        return Choice("", "dropped", tuple(judged))
    best = max(eligible, key=lambda c: c.score)  # the first (the reading heard) on a tie
    return Choice(best.text, best.origin, tuple(judged))


def _half_understood(candidate: Candidate) -> bool:
    """A command of which the engine understood less than :data:`MIN_SHARE`."""
    heard = candidate.understood
    return heard is not None and heard.command and heard.share < MIN_SHARE


def _candidates(heard: Transcript) -> tuple[Candidate, ...]:
    """The reading heard, the recogniser's alternatives, and their gated corrections."""
    readings: list[tuple[str, Origin, float]] = [(heard.text, "heard", heard.confidence or 0.0)]
    readings += [(a.text, "alternative", a.confidence) for a in heard.alternatives]
    out: list[Candidate] = []
    seen: set[str] = set()
    for text, origin, confidence in readings:
        logprob = math.log(max(confidence, 1e-6))
        fixed = gate(text, heard.lang, confidence)
        options = [Candidate(text, origin, logprob)]
        if fixed.applied:
            share = fixed.rewritten / max(len(text), 1)
            options.append(Candidate(fixed.text, "corrected", logprob, share))
        for option in options:
            if option.text not in seen:
                seen.add(option.text)
                out.append(option)
    return tuple(out)
