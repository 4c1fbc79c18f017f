"""What ``--lang auto`` costs against a fixed language: actuation latency per language and the
memory of the loop.

Latency: one process loads the ``auto`` engines (tiny.en and base) and plays each conversation
three ways, one after the other so that all see the same machine: with the language fixed
(tiny.en alone for English, base alone for Mandarin, as ``--lang en``/``zh``) and with
``--lang auto`` (:class:`~codriver.voice.language.AutoLanguage`). A conversation is the wake
phrase of its language (Piper says "Hey Jarvis", the Mandarin voice 你好小驰), a command, the
reply, a follow-up without the wake phrase; auto also hears each command with no wake phrase
(push-to-talk: the language must be detected). It reports end of speech → actuation p50/p95 per
language, setting and kind of utterance, and how many were heard in their language.

Memory: a process per setting (``en``: tiny.en, Piper, hey jarvis; ``zh``: base, eSpeak,
你好小驰; ``auto``: both) loads the engines as ``codriver voice`` does and reports its RSS.

Usage: python benchmarks/voice_lang.py [--repeat 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from codriver.voice.ports import Audio

CONVERSATIONS = {
    "en": [
        ("Turn on the seat heating.", "A bit more."),
        ("Open the driver window.", "Close it."),
        ("Play some jazz.", "Louder."),
    ],
    "zh": [("打开座椅加热", "再高一点"), ("打开车窗", "关上吧"), ("打开空调", "调到二十四度")],
}
WAKE = {"en": "Hey Jarvis.", "zh": "你好小驰"}
CALLING = {"en": "hey jarvis", "zh": "你好小驰", "auto": "hey jarvis,你好小驰"}
RATE = 16_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--memory", choices=["en", "zh", "auto"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory:
        print(json.dumps(_memory(args.memory)))
        return 0
    report: dict[str, Any] = {"memory_mb": {}}
    for setting in ("en", "zh", "auto"):
        done = subprocess.run(
            [sys.executable, __file__, "--memory", setting],
            capture_output=True,
            text=True,
            check=True,
        )
        report["memory_mb"][setting] = json.loads(done.stdout.strip().splitlines()[-1])
        print(setting, report["memory_mb"][setting], flush=True)
    report.update(_latency(args.repeat))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def _memory(setting: str) -> dict[str, int]:
    from codriver.cli.voice import _engines
    from codriver.voice.wake_phrase import parse_calling

    def rss() -> int:
        status = Path("/proc/self/status").read_text()
        return int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]) // 1024

    lang = None if setting == "auto" else setting
    engines = _engines(lang, parse_calling(CALLING[setting]), "offline", "")  # type: ignore[arg-type]
    loaded = rss()
    engines.recognizer.transcribe(Audio(bytes(RATE * 4)), lang)  # type: ignore[arg-type]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"rss_loaded": loaded, "rss_after_a_turn": rss(), "peak": peak}


def _voices() -> dict[str, Any]:
    from codriver.voice.engines.piper import PiperSynthesizer

    try:
        from codriver.voice.engines.fastspeech import (  # type: ignore[import-not-found]
            FastSpeechSynthesizer,
        )

        zh: Any = FastSpeechSynthesizer()
    except ImportError:
        from codriver.voice.engines.espeak import EspeakSynthesizer

        zh = EspeakSynthesizer()
    return {"en": PiperSynthesizer(noise_scale=0), "zh": zh}


def _say(voices: dict[str, Any], text: str, lang: str) -> np.ndarray:
    from codriver.voice.audio import to_rate

    return np.frombuffer(to_rate(voices[lang].synthesize(text, lang), RATE).pcm, dtype="<i2")


def _latency(repeat: int) -> dict[str, Any]:
    from dataclasses import replace

    from codriver.cli.voice import _engines
    from codriver.voice.wake_phrase import parse_calling

    auto = _engines(None, parse_calling(CALLING["auto"]), "offline", "")
    fixed = {
        "en": replace(auto, recognizer=auto.recognizer.english, phrases=()),  # type: ignore[attr-defined]
        "zh": replace(auto, recognizer=auto.recognizer.multilingual, spotter=None),  # type: ignore[attr-defined]
    }
    voices = _voices()
    kinds: dict[str, list[float]] = {}
    right: dict[str, list[int]] = {}
    for _ in range(repeat):
        for said in ("en", "zh"):
            for command, follow_up in CONVERSATIONS[said]:
                spoken = _say(voices, command, said)
                parts = [_say(voices, WAKE[said], said), _pad(0.4), spoken]
                parts += [_pad(4.0), _say(voices, follow_up, said), _pad(2.0)]
                runs = [(said, fixed[said], said, parts, True), ("auto", auto, None, parts, True)]
                runs.append(("auto", replace(auto, wake=None, phrases=()), None, [spoken], False))
                for setting, engines, lang, clip, woken in runs:
                    timings = _play(engines, lang, [_pad(0.5), *clip, _pad(2.0)])
                    names = ("after wake", "follow-up") if woken else ("no wake",)
                    for kind, timing in zip(names, timings, strict=False):
                        key = f"{said} {setting} {kind}"
                        kinds.setdefault(key, []).append(timing.to_actuation_ms)
                        right.setdefault(key, []).append(timing.lang == said)
    return {
        "actuation_ms": {k: _p(v) for k, v in sorted(kinds.items())},
        "heard_in_its_language": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(right.items())},
        "detections": auto.recognizer.detections,  # type: ignore[attr-defined]
    }


def _pad(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def _play(engines: Any, lang: Any, parts: list[np.ndarray]) -> list[Any]:
    from codriver.testing import offline_assistant
    from codriver.voice.audio import Capture, chunks
    from codriver.voice.pipeline import Timeline
    from codriver.voice.session import build_loop

    loop = build_loop(offline_assistant(), engines, Timeline(), lang=lang)
    capture = Capture(np.concatenate(parts)[None, :], RATE)
    asyncio.run(loop.run(chunks(capture, ["driver"])))
    return loop.timings


def _p(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(values), "p50": round(statistics.median(values)), "p95": round(p95)}


if __name__ == "__main__":
    raise SystemExit(main())
