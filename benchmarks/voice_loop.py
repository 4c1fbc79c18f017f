"""Benchmark of the whole voice loop on a test set the project makes itself.

Each command in ``benchmarks/data/voice_commands.yaml`` is spoken by the packaged synthesiser
(Piper for English, espeak-ng for Mandarin), padded with silence and mixed with generated car
noise at 10 dB and 5 dB SNR (and clean). Each clip runs through the loop on a fresh assistant:
voice activity → recognition (+ pinyin correction) → the assistant → synthesis of the reply. It
reports, per language and noise level: word error rate (English) or character error rate
(Mandarin), with numbers written as digits on both sides; command success (the car shows what the
command asks); end of speech → actuation and → first reply audio (p50/p95); the real-time factor
of the loop; and the peak memory of the process.

Usage: python benchmarks/voice_loop.py [--json OUT] [--lang en,zh] [--snr clean,10,5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--lang", default="en,zh")
    parser.add_argument("--snr", default="clean,10,5")
    parser.add_argument("--hangover", type=float, default=0.25, help="end-of-speech silence, s")
    args = parser.parse_args()
    commands = yaml.safe_load((ROOT / "benchmarks/data/voice_commands.yaml").read_text())
    report: dict[str, Any] = {}
    for lang in args.lang.split(","):
        for snr in args.snr.split(","):
            level = None if snr == "clean" else float(snr)
            numbers = asyncio.run(_run(lang, level, commands[lang], args.hangover))
            report[f"{lang} {snr}"] = numbers
            _print(f"{lang} {snr}", numbers)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS {report['peak_rss_mb']} MB")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


_ENGINES: dict[str, Any] = {}
_SPEAKERS: dict[str, Any] = {}


def _speaker(lang: str) -> Any:
    """The voice that speaks the test set: Piper without its random variation (noise_scale 0),
    so that every run hears the same clips; eSpeak NG is deterministic anyway."""
    if lang not in _SPEAKERS:
        from codriver.voice.engines.espeak import EspeakSynthesizer
        from codriver.voice.engines.piper import PiperSynthesizer

        _SPEAKERS[lang] = PiperSynthesizer(noise_scale=0) if lang == "en" else EspeakSynthesizer()
    return _SPEAKERS[lang]


def _engines(lang: str) -> Any:
    from codriver.voice.engines.offline import offline_engines

    if lang not in _ENGINES:
        _ENGINES[lang] = offline_engines(lang)  # type: ignore[arg-type]
    return _ENGINES[lang]


async def _run(
    lang: str, snr: float | None, commands: list[dict[str, Any]], hangover: float
) -> dict[str, Any]:
    import numpy as np

    from codriver.scenarios.matchers import compile_matcher
    from codriver.testing import offline_assistant
    from codriver.testing.voice import mix, silence
    from codriver.voice.audio import Capture, chunks, to_rate
    from codriver.voice.frames import Frame, Heard
    from codriver.voice.pipeline import Timeline
    from codriver.voice.session import Engines, build_loop

    engines = _engines(lang)
    errors = words = succeeded = 0
    timings = []
    audio_s = busy_s = 0.0
    transcripts = []
    for i, command in enumerate(commands):
        spoken = to_rate(_speaker(lang).synthesize(command["say"], lang))
        speech = np.frombuffer(spoken.pcm, dtype="<i2")
        clip = np.concatenate([silence(0.6), speech, silence(1.0)])
        clip = mix(clip, snr, seed=i)
        assistant = offline_assistant(command.get("given"))
        heard: list[str] = []

        def seen(frame: Frame, into: list[str] = heard) -> None:
            if isinstance(frame, Heard):
                into.append(frame.transcript.text)

        ports = Engines(None, engines.vad, engines.recognizer, engines.synthesizer)
        loop = build_loop(
            assistant,
            ports,
            Timeline(),
            lang=lang,
            hangover_s=hangover,
            on_frame=seen,  # type: ignore[arg-type]
        )
        started = time.perf_counter()
        await loop.run(chunks(Capture(clip[None, :], 16_000), ["driver"]))
        busy_s += time.perf_counter() - started
        audio_s += len(clip) / 16_000
        timings += loop.timings
        text = " ".join(heard)
        transcripts.append({"say": command["say"], "heard": text})
        e, n = _errors(command["say"], text, lang)
        errors, words = errors + e, words + n
        ok = True
        for path, expected in command["expect"].items():
            value = await assistant.read(path)
            ok = ok and compile_matcher(expected).holds(value)
        succeeded += ok
    act = [t.to_actuation_ms for t in timings]
    first = [t.to_first_audio_ms for t in timings]
    return {
        "commands": len(commands),
        "succeeded": succeeded,
        "error_rate": round(errors / max(words, 1), 3),
        "actuation_ms": _p(act),
        "first_audio_ms": _p(first),
        "asr_ms": _p([t.asr_ms for t in timings]),
        "rtf": round(busy_s / audio_s, 3),
        "transcripts": transcripts,
    }


def _p(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    cuts = statistics.quantiles(values, n=20) if len(values) > 1 else values * 19
    return {"p50": round(statistics.median(values)), "p95": round(cuts[18])}


def _normal(text: str, lang: str) -> list[str]:
    if lang == "zh":
        import cn2an

        text = cn2an.transform(text, "cn2an")
        return [c for c in re.sub(r"[^\w]", "", text)]
    from text_to_num import alpha2digit

    text = alpha2digit(text.lower(), "en")
    return re.sub(r"[^\w\s']", " ", text).split()


def _errors(reference: str, heard: str, lang: str) -> tuple[int, int]:
    """Edit distance in words (English) or characters (Mandarin), and the reference length."""
    ref, hyp = _normal(reference, lang), _normal(heard, lang)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


def _print(name: str, n: dict[str, Any]) -> None:
    print(
        f"{name:9} success {n['succeeded']}/{n['commands']}, error rate {n['error_rate']:.1%}, "
        f"actuation p50/p95 {n['actuation_ms']}, first audio {n['first_audio_ms']}, "
        f"RTF {n['rtf']}"
    )


if __name__ == "__main__":
    sys.exit(main())
