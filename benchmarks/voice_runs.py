"""Running one clip through the voice loop, as ``benchmarks/voice_loop.py`` and the human-speech
test do: a command on a fresh assistant (did the car do what it asks?), and ordinary speech on a
fresh assistant, heard as every utterance is without a wake word, or in the follow-up window after
a command (did the car change at all?).

A turn *actuates* when it changed the car or the cockpit (a signal, the media, a call, the route)
or carried out an action, even one that found the car already as asked."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

RATE = 16_000
CHUNK = 320  # 20 ms, as a microphone delivers
LEAD_S, TAIL_S = 0.6, 1.0


@dataclass
class Run:
    """What one clip did in the loop."""

    heard: list[str] = field(default_factory=list)
    turns: int = 0
    actuating: list[str] = field(default_factory=list)
    """What was heard in each turn that actuated."""
    timings: list[Any] = field(default_factory=list)
    seconds: float = 0.0
    window_open: bool = True
    """In the follow-up runs: whether the command before the clip got its reply, so that the
    window was open when the clip came."""

    @property
    def text(self) -> str:
        return " ".join(self.heard)


def read_clip(path: Path) -> npt.NDArray[np.int16]:
    """A recorded clip of any layout soundfile reads, as mono 16 kHz int16."""
    import soundfile
    import soxr

    samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono = samples.mean(axis=1)
    if rate != RATE:
        mono = soxr.resample(mono, rate, RATE)
    peak = float(np.max(np.abs(mono))) if mono.size else 0.0
    if peak > 1.0:
        mono = mono / peak
    return (mono * 32767).astype(np.int16)


def padded(speech: npt.NDArray[Any], snr: float | None, seed: int) -> npt.NDArray[np.int16]:
    """``speech`` between silences, with car noise at ``snr`` dB (None: clean)."""
    from codriver.testing.voice import mix, silence

    clip = np.concatenate([silence(LEAD_S), speech.astype(np.int16), silence(TAIL_S)])
    return mix(clip, snr, seed=seed)  # type: ignore[no-any-return]


def actuated(result: Any) -> bool:
    return bool(result.changes) or any(a.status == "done" for a in result.actions)


class _Watch:
    """Collects what the loop heard and which turns actuated."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def __call__(self, frame: Any) -> None:
        from codriver.voice.frames import Heard, Replied

        if isinstance(frame, Heard):
            self.run.heard.append(frame.transcript.text)
        elif isinstance(frame, Replied):
            self.run.turns += 1
            if actuated(frame.result):
                self.run.actuating.append(frame.heard.transcript.text)


def _loop(assistant: Any, engines: Any, lang: str, wake: Any, run: Run, hangover: float) -> Any:
    from codriver.voice.pipeline import Timeline
    from codriver.voice.session import Engines, build_loop

    ports = Engines(wake, engines.vad, engines.recognizer, engines.synthesizer)
    return build_loop(
        assistant,
        ports,
        Timeline(),
        lang=lang,  # type: ignore[arg-type]
        hangover_s=hangover,
        on_frame=_Watch(run),
    )


async def _feed(loop: Any, samples: npt.NDArray[np.int16], at: float) -> float:
    """Feeds ``samples`` from stream time ``at`` in 20 ms chunks; returns the time after them."""
    from codriver.voice.frames import AudioIn

    for start in range(0, len(samples) - CHUNK + 1, CHUNK):
        pcm = samples[start : start + CHUNK].astype("<i2").tobytes()
        await loop.feed(AudioIn(pcm, at + start / RATE, "driver"))
    return at + len(samples) // CHUNK * CHUNK / RATE


async def heard(
    clip: npt.NDArray[np.int16],
    engines: Any,
    lang: str,
    *,
    given: Mapping[str, Any] | None = None,
    hangover: float = 0.25,
) -> tuple[Run, Any]:
    """``clip`` (already padded) on a fresh assistant, every utterance heard (no wake word).
    Returns the run and the assistant, to read the car afterwards."""
    from codriver.testing import offline_assistant

    assistant = offline_assistant(given)
    run = Run(seconds=len(clip) / RATE)
    loop = _loop(assistant, engines, lang, None, run, hangover)
    await _feed(loop, clip, 0.0)
    run.timings = list(loop.timings)
    return run, assistant


async def in_follow_up(
    clip: npt.NDArray[np.int16],
    primer: npt.NDArray[np.int16],
    engines: Any,
    lang: str,
    *,
    hangover: float = 0.25,
) -> Run:
    """``clip`` spoken half a second after the reply to a command has played, inside the
    follow-up window in which no wake word is needed. The loop has a wake word (a tone fake, so
    that what is measured is the window, not a wake-word model); only turns after the command
    count."""
    from codriver.testing import offline_assistant
    from codriver.testing.voice import WAKE_HZ, ToneWake, silence, tone

    assistant = offline_assistant()
    primed = Run()
    loop = _loop(assistant, engines, lang, ToneWake(), primed, hangover)
    opening = np.concatenate([silence(0.3), tone(0.4, WAKE_HZ), silence(0.2), primer])
    at = await _feed(loop, opening, 0.0)
    reply_ends = max(loop.state.playing_until, at)
    at = await _feed(loop, silence(reply_ends + 0.5 - at), at)
    run = Run(seconds=len(clip) / RATE, window_open=primed.turns > 0 and loop.state.listening(at))
    loop.on_frame = _Watch(run)
    await _feed(loop, clip, at)
    return run


def errors(reference: str, said: str, lang: str) -> tuple[int, int]:
    """Edit distance in words (English) or characters (Mandarin), and the reference length;
    numbers written as digits on both sides."""
    ref, hyp = normal(reference, lang), normal(said, lang)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


def normal(text: str, lang: str) -> list[str]:
    if lang == "zh":
        import cn2an

        text = cn2an.transform(text, "cn2an")
        return list(re.sub(r"[^\w]", "", text))
    from text_to_num import alpha2digit

    text = alpha2digit(text.lower(), "en")
    return re.sub(r"[^\w\s']", " ", text).split()


def percentiles(values: Sequence[float]) -> dict[str, float]:
    import statistics

    if not values:
        return {}
    cuts = statistics.quantiles(values, n=20) if len(values) > 1 else list(values) * 19
    return {"p50": round(statistics.median(values)), "p95": round(cuts[18])}
