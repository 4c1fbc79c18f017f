"""What ``--lang auto`` costs against a fixed language: actuation latency per language and the
memory of the loop.

Each run loads the offline engines for one setting (``en``, ``zh`` or ``auto``) in a process of
its own and plays conversations through the whole loop (``build_loop``, as ``codriver voice``):
the wake phrase of the language (Piper says "Hey Jarvis", the Mandarin voice 你好小驰), a
command, the reply, a follow-up without the wake phrase; and, for ``auto``, commands said with
no wake phrase (push-to-talk: the language must be detected). It reports end of speech →
actuation p50/p95 per language and kind of utterance, how many were heard in the language they
were said in, and the process's peak RSS.

Usage: python benchmarks/voice_lang.py [--repeat 3] [--json OUT]
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
    parser.add_argument("--run", choices=["en", "zh", "auto"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(_run(args.run, args.repeat), ensure_ascii=False))
        return 0
    report = {}
    for setting in ("en", "zh", "auto"):
        done = subprocess.run(
            [sys.executable, __file__, "--run", setting, "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
        )
        report[setting] = json.loads(done.stdout.strip().splitlines()[-1])
        print(setting, json.dumps(report[setting], ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


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


def _run(setting: str, repeat: int) -> dict[str, Any]:
    from codriver.cli.voice import _engines
    from codriver.voice.wake_phrase import parse_calling

    lang = None if setting == "auto" else setting
    langs = ["en", "zh"] if lang is None else [setting]
    calling = parse_calling(CALLING[setting])
    engines = _engines(lang, calling, "offline", "")  # type: ignore[arg-type]
    loaded_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    voices = _voices()
    kinds: dict[str, list[float]] = {}
    right = total = 0
    for _ in range(repeat):
        for said in langs:
            for command, follow_up in CONVERSATIONS[said]:
                parts = [_say(voices, WAKE[said], said), _pad(0.4), _say(voices, command, said)]
                parts += [_pad(4.0), _say(voices, follow_up, said), _pad(2.0)]
                timings = _play(engines, lang, parts, wake=True)
                for kind, timing in zip(("after wake", "follow-up"), timings, strict=False):
                    kinds.setdefault(f"{said} {kind}", []).append(timing.to_actuation_ms)
                    right += timing.lang == said
                    total += 1
                if lang is None:  # push-to-talk: no wake phrase, the language detected
                    for timing in _play(engines, lang, [_pad(0.5), parts[2], _pad(2.0)], False):
                        kinds.setdefault(f"{said} no wake", []).append(timing.to_actuation_ms)
                        right += timing.lang == said
                        total += 1
    return {
        "actuation_ms": {k: _p(v) for k, v in sorted(kinds.items())},
        "heard_in_its_language": f"{right}/{total}",
        "rss_loaded_mb": round(loaded_mb),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _pad(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


def _play(engines: Any, lang: Any, parts: list[np.ndarray], wake: bool) -> list[Any]:
    from dataclasses import replace

    from codriver.testing import offline_assistant
    from codriver.voice.audio import Capture, chunks
    from codriver.voice.pipeline import Timeline
    from codriver.voice.session import build_loop

    chosen = engines if wake else replace(engines, wake=None, phrases=())
    loop = build_loop(offline_assistant(), chosen, Timeline(), lang=lang)
    capture = Capture(np.concatenate(parts)[None, :], RATE)
    asyncio.run(loop.run(chunks(capture, ["driver"])))
    return loop.timings


def _p(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(values), "p50": round(statistics.median(values)), "p95": round(p95)}


if __name__ == "__main__":
    raise SystemExit(main())
