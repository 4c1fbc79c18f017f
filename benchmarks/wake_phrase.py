"""Benchmark of the spoken wake phrase (你好小驰): how often it is heard, how often ordinary
speech calls the car instead, and what spotting costs.

- **Detection:** the packaged Mandarin voices say the phrase alone and with a command in the same
  breath (你好小驰，打开车窗), at three speaking rates, clean and with generated car noise at 10 and
  5 dB SNR; the loop's listening stages (Silero VAD → the phrase spotter on Whisper base) must
  report the phrase, and pass the command on.
- **False accepts per hour:** a stream of ``--minutes`` of speech and noise — Mandarin and English
  sentences (the project's scenario turns and the assistant's own replies: commands, questions,
  chatter) read by the packaged voices, greetings that sound close to the phrase (你好小李),
  stretches of car noise alone and silence, all over continuous car noise at 10 dB below the
  speech — runs through the same stages; every phrase reported is a false accept. The packaged
  English wake word (microWakeWord "hey jarvis") listens to the same stream, for comparison.
- **Cost:** CPU seconds per hour of audio for voice activity plus spotting, the candidates the
  first stage passed to Whisper, the time each took (added to the latency of a command said in
  the same breath), and the peak memory.

The Mandarin voice is the neural FastSpeech 2 voice when ``codriver.voice.engines.fastspeech``
is installed, else eSpeak NG (which Whisper base hardly understands: its detection is no measure
of the spotter). Usage:
  python benchmarks/wake_phrase.py [--minutes 60] [--phrase 你好小驰] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from codriver.testing.voice import car_noise, mix
from codriver.voice.audio import to_rate
from codriver.voice.engines.microwake import MicroWakeWord
from codriver.voice.engines.silero import SileroVAD
from codriver.voice.engines.whisper import WhisperRecognizer
from codriver.voice.frames import AudioIn, Frame, SpeechEnded, WakeHeard
from codriver.voice.listen import VadStage, WakeStage
from codriver.voice.pipeline import VoiceLoop
from codriver.voice.spotter import PhraseStage, brief
from codriver.voice.wake_phrase import WakePhrase

ROOT = Path(__file__).resolve().parent.parent
RATE = 16_000
COMMANDS = ["打开车窗", "把温度调到二十二度", "播放音乐"]
CONFUSERS = ["你好小李", "你好小林", "你好，小明", "小池塘里有鱼", "你好呀", "小迟到了吗"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--phrase", default="你好小驰")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-detection", action="store_true", help="false accepts only")
    args = parser.parse_args()
    phrase = WakePhrase.parse(args.phrase)
    base = WhisperRecognizer.for_lang("zh")
    voices = _mandarin_voices()
    report: dict[str, Any] = {"voices": sorted({name for name, _ in voices})}
    if not args.no_detection:
        report["detection"] = _detection(phrase, base, voices)
    report["false_accepts"] = _false_accepts(phrase, base, voices[0][1], args)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def _mandarin_voices() -> list[tuple[str, Any]]:
    """(name, synthesiser) at three speaking rates."""
    try:
        from codriver.voice.engines.fastspeech import (  # type: ignore[import-not-found]
            FastSpeechSynthesizer,
        )

        return [(f"fastspeech x{s}", FastSpeechSynthesizer(speed=s)) for s in (0.85, 1.0, 1.2)]
    except ImportError:
        from codriver.voice.engines.espeak import EspeakSynthesizer

        return [(f"espeak {w} wpm", EspeakSynthesizer(words_per_minute=w)) for w in (130, 150, 175)]


def _samples(voice: Any, text: str, lang: str) -> np.ndarray:
    return np.frombuffer(to_rate(voice.synthesize(text, lang), RATE).pcm, dtype="<i2")


class Listening:
    """The loop's listening stages, and what they reported."""

    def __init__(self, phrase: WakePhrase, base: WhisperRecognizer, word: bool) -> None:
        self.frames: list[Frame] = []
        self.spotter = PhraseStage(brief(base, [phrase]), [phrase])
        self.wake = WakeStage(MicroWakeWord("hey jarvis") if word else None, gate=False)
        self.loop = VoiceLoop(
            [self.wake, VadStage(SileroVAD()), self.spotter],
            _Nowhere(),
            on_frame=self.frames.append,
        )

    def woken(self, name: str) -> int:
        return sum(isinstance(f, WakeHeard) and f.name == name for f in self.frames)


class _Nowhere:
    def play(self, audio: Any, at: float) -> tuple[float, float]:
        return at, at

    def stop(self, at: float) -> None:
        pass


def _stream(samples: np.ndarray, start: float = 0.0) -> Iterator[AudioIn]:
    step = RATE // 50
    for i in range(0, len(samples) - step + 1, step):
        yield AudioIn(samples[i : i + step].astype("<i2").tobytes(), start + i / RATE, "driver")


def _detection(phrase: WakePhrase, base: WhisperRecognizer, voices: list[tuple[str, Any]]) -> Any:
    said = [phrase.text] + [f"{phrase.text}，{c}" for c in COMMANDS]
    out: dict[str, Any] = {}
    for snr in (None, 10.0, 5.0):
        heard = commands = trials = 0
        for v, (_, voice) in enumerate(voices):
            for s, text in enumerate(said):
                pad = np.zeros(RATE, dtype=np.int16)
                clip = np.concatenate([pad, _samples(voice, text, "zh"), pad])
                run = Listening(phrase, base, word=False)
                asyncio.run(run.loop.run(_stream(mix(clip, snr, seed=10 * v + s))))
                trials += 1
                heard += run.woken(phrase.text) > 0
                commands += "，" in text and any(isinstance(f, SpeechEnded) for f in run.frames)
        name = "clean" if snr is None else f"{snr:g} dB"
        out[name] = {"said": trials, "heard": heard, "command_passed_on": commands}
        print(name, out[name], file=sys.stderr)
    return out


def _sentences() -> dict[str, list[str]]:
    """What people in the car say (scenario turns) and what the car says (its replies)."""
    said: dict[str, list[str]] = {"en": [], "zh": []}
    for path in sorted((ROOT / "tests/scenarios").glob("*.yaml")):
        for text in re.findall(r"^\s*- say: \"?(.+?)\"?$", path.read_text("utf-8"), re.M):
            said["zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"].append(text)
    replies = yaml.safe_load((ROOT / "src/codriver/understanding/data/replies.yaml").read_text())
    for value in _strings(replies):
        if "{" not in value:
            said["zh" if re.search(r"[\u4e00-\u9fff]", value) else "en"].append(value)
    return said


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _hour(zh: Any, args: argparse.Namespace) -> Iterator[tuple[str, np.ndarray]]:
    """Segments of speech, near-phrases, noise and silence, ``--minutes`` long in all."""
    from codriver.voice.engines.piper import PiperSynthesizer

    rng = random.Random(args.seed)
    en = PiperSynthesizer()
    said = _sentences()
    total = 0.0
    while total < args.minutes * 60:
        roll = rng.random()
        if roll < 0.45:
            kind, clip = "zh", _samples(zh, rng.choice(said["zh"]), "zh")
        elif roll < 0.8:
            kind, clip = "en", _samples(en, rng.choice(said["en"]), "en")
        elif roll < 0.83:
            kind, clip = "near", _samples(zh, rng.choice(CONFUSERS), "zh")
        elif roll < 0.92:
            kind, clip = "noise", np.zeros(int(rng.uniform(3, 15) * RATE), dtype=np.int16)
        else:
            kind, clip = "silence", np.zeros(int(rng.uniform(3, 15) * RATE), dtype=np.int16)
        pause = np.zeros(int(rng.uniform(0.3, 2.5) * RATE), dtype=np.int16)
        segment = np.concatenate([clip, pause])
        total += len(segment) / RATE
        yield kind, segment


def _false_accepts(
    phrase: WakePhrase, base: WhisperRecognizer, zh: Any, args: argparse.Namespace
) -> Any:
    run = Listening(phrase, base, word=True)
    seconds, kinds, speech_power = (
        0.0,
        dict.fromkeys(["zh", "en", "near", "noise", "silence"], 0),
        [],
    )
    cpu = wall = 0.0
    for n, (kind, segment) in enumerate(_hour(zh, args)):
        kinds[kind] += 1
        if kind in ("zh", "en", "near"):
            voiced = segment[np.abs(segment) > 300].astype(np.float64)
            speech_power.append(float(np.mean(voiced**2)) if voiced.size else 0.0)
        level = np.sqrt(statistics.median(speech_power or [1e6]) / 10 ** (10 / 10))
        noise = car_noise(len(segment) / RATE, seed=n)[: len(segment)] * level
        noisy = np.clip(segment + noise, -32768, 32767).astype(np.int16)
        if kind == "silence":
            noisy = segment
        started, clock = time.process_time(), time.perf_counter()
        asyncio.run(run.loop.run(_stream(noisy, seconds)))
        cpu += time.process_time() - started
        wall += time.perf_counter() - clock
        seconds += len(segment) / RATE
        if n % 20 == 0:
            print(
                f"{seconds / 60:.1f} min, {run.spotter.candidates} candidates, "
                f"{run.woken(phrase.text)} false accepts, cpu {cpu:.0f} s",
                file=sys.stderr,
            )
    spotted = run.spotter.spotted
    hours = seconds / 3600
    return {
        "audio_min": round(seconds / 60, 1),
        "segments": kinds,
        "false_accepts": run.woken(phrase.text),
        "false_accepts_per_hour": round(run.woken(phrase.text) / hours, 2),
        "accepted_as": [s.heard for s in spotted if s.match is not None],
        "hey_jarvis_per_hour": round(run.woken("hey jarvis") / hours, 2),
        "candidates": run.spotter.candidates,
        "candidates_per_hour": round(run.spotter.candidates / hours),
        "spot_ms_p50": round(statistics.median([s.ms for s in spotted]), 1) if spotted else None,
        "spot_ms_p95": round(float(np.percentile([s.ms for s in spotted], 95)), 1)
        if spotted
        else None,
        "cpu_s_per_hour": round(cpu / hours, 1),
        "wall_s_per_hour": round(wall / hours, 1),
    }


if __name__ == "__main__":
    raise SystemExit(main())
