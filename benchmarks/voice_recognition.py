"""Benchmark of the recognition stage alone: what Whisper hears, and what the loop then makes of
it, per way of choosing the text, on the project's synthetic sets.

Clips: the commands of ``benchmarks/data/voice_commands.yaml`` and the ordinary sentences (news,
conversation, idioms) of ``tests/voice/data/ordinary_speech.yaml``, spoken by the packaged voices
(Piper for English, eSpeak NG for Mandarin) with 0.3 s of silence each side, clean and mixed
with generated car noise at 10 and 5 dB. Ways of choosing, all on the same clips in one run:

- ``old``: the greedy reading, every sound-alike stretch rewritten (the correction before issue 19;
  in English, timed as faster-whisper's own ``transcribe`` decoded it before);
- ``gated``: the greedy reading, corrected only where :func:`codriver.voice.correct.gate` allows;
- ``nbest``: as the loop does now: when unsure, the beam's readings too, chosen among by what
  the engine understands (:mod:`codriver.voice.rescore`);
- ``nbest+hot``: the same with the lexicon's command words in the beam's prompt (hotwords).

Reported per language, noise and way: command success (the car shows what the command asks),
character/word error rate on commands, false actuations on ordinary speech (the car changed),
and recognition + choice time (p50/p95) on commands.

Usage: python benchmarks/voice_recognition.py [--lang zh,en] [--snr clean,10,5] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from voice_loop import _errors, _speaker  # noqa: E402

WAYS = ("old", "gated", "nbest", "nbest+hot")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="zh,en")
    parser.add_argument("--snr", default="clean,10,5")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--ordinary", type=int, default=100, help="ordinary sentences per lang")
    parser.add_argument("--hot", action="store_true", help="also the nbest+hot way (slower)")
    args = parser.parse_args()
    commands = yaml.safe_load((ROOT / "benchmarks/data/voice_commands.yaml").read_text())
    ordinary = yaml.safe_load((ROOT / "tests/voice/data/ordinary_speech.yaml").read_text())
    report: dict[str, Any] = {}
    for lang in args.lang.split(","):
        chat = [s for kind in ordinary[lang].values() for s in kind][: args.ordinary]
        for snr in args.snr.split(","):
            level = None if snr == "clean" else float(snr)
            numbers = asyncio.run(_run(lang, level, commands[lang], chat, args.hot))
            report[f"{lang} {snr}"] = numbers
            for way, n in numbers.items():
                _print(f"{lang} {snr:5} {way:9}", n)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


_RECOGNIZERS: dict[str, Any] = {}


def _recognizer(lang: str) -> Any:
    from codriver.voice.engines.whisper import WhisperRecognizer

    if lang not in _RECOGNIZERS:
        _RECOGNIZERS[lang] = WhisperRecognizer.for_lang(lang)  # type: ignore[arg-type]
    return _RECOGNIZERS[lang]


def _clip(text: str, lang: str, snr: float | None, seed: int) -> Any:
    import numpy as np

    from codriver.testing.voice import mix, silence
    from codriver.voice.audio import to_rate
    from codriver.voice.ports import Audio

    spoken = to_rate(_speaker(lang).synthesize(text, lang))
    speech = np.frombuffer(spoken.pcm, dtype="<i2")
    clip = mix(np.concatenate([silence(0.3), speech, silence(0.3)]), snr, seed=seed)
    return Audio(clip.astype("<i2").tobytes())


async def _heard(audio: Any, lang: str, hot: bool) -> dict[str, tuple[str, float]]:
    """The text each way hands the assistant, and the time recognition and choice took (ms)."""
    from codriver.testing import offline_assistant
    from codriver.voice.correct import command_corrector
    from codriver.voice.hotwords import command_hotwords
    from codriver.voice.rescore import choose
    from codriver.voice.understood import EngineUnderstanding

    recognizer = _recognizer(lang)
    understand = EngineUnderstanding(offline_assistant())
    out: dict[str, tuple[str, float]] = {}
    for way, nbest, hints in (("gated", 1, False), ("nbest", 5, False), ("nbest+hot", 5, True)):
        if (lang == "en" and way != "gated") or (hints and not hot):
            continue
        recognizer.nbest = nbest
        recognizer.zh_hotwords = command_hotwords() if hints else None
        started = time.perf_counter()
        heard = recognizer.transcribe(audio, lang)
        chosen = await choose(heard, understand)
        ms = (time.perf_counter() - started) * 1000
        out[way] = (chosen.text, ms)
        if way == "gated":
            old = command_corrector().correct(heard.text) if lang == "zh" else heard.text
            out["old"] = (old, _old_decode_ms(recognizer, audio, lang) if lang == "en" else ms)
    return out


def _old_decode_ms(recognizer: Any, audio: Any, lang: str) -> float:
    """English as the recogniser decoded it before issue 19 (faster-whisper's ``transcribe``
    with the same options), timed on the same clip for comparison."""
    import numpy as np

    samples = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float32) / 32768
    started = time.perf_counter()
    segments, _ = recognizer._model.transcribe(
        samples,
        language=lang,
        beam_size=1,
        temperature=0.0,
        max_new_tokens=recognizer.max_new_tokens,
        without_timestamps=True,
        condition_on_previous_text=False,
        vad_filter=False,
    )
    list(segments)
    return (time.perf_counter() - started) * 1000


async def _acts(text: str, given: dict[str, Any] | None) -> Any:
    from codriver.errors import InputError
    from codriver.testing import offline_assistant

    assistant = offline_assistant(given)
    try:
        result = await assistant.say(text) if text.strip() else None
    except InputError:
        result = None
    return assistant, result


async def _run(
    lang: str, snr: float | None, commands: list[dict[str, Any]], chat: list[str], hot: bool
) -> dict[str, Any]:
    from codriver.scenarios.matchers import compile_matcher

    ways = [w for w in WAYS if (lang == "zh" or w in ("old", "gated")) and (hot or "hot" not in w)]
    tally: dict[str, dict[str, Any]] = {
        w: {"succeeded": 0, "errors": 0, "words": 0, "false": 0, "ms": [], "heard": []}
        for w in ways
    }
    for i, command in enumerate(commands):
        heard = await _heard(_clip(command["say"], lang, snr, i), lang, hot)
        for way in ways:
            text, ms = heard[way]
            assistant, _ = await _acts(text, command.get("given"))
            ok = True
            for path, expected in command["expect"].items():
                ok = ok and compile_matcher(expected).holds(await assistant.read(path))
            e, n = _errors(command["say"], text, lang)
            t = tally[way]
            t["succeeded"] += ok
            t["errors"], t["words"] = t["errors"] + e, t["words"] + n
            t["ms"].append(ms)
            t["heard"].append(text)
    for i, sentence in enumerate(chat):
        heard = await _heard(_clip(sentence, lang, snr, 100 + i), lang, hot)
        for way in ways:
            _, result = await _acts(heard[way][0], None)
            if result is not None and result.changes:
                tally[way]["false"] += 1
                tally[way].setdefault("false_heard", []).append(heard[way][0])
    return {w: _summary(t, len(commands), len(chat)) for w, t in tally.items()}


def _summary(t: dict[str, Any], commands: int, chat: int) -> dict[str, Any]:
    ms = t["ms"]
    cuts = statistics.quantiles(ms, n=20) if len(ms) > 1 else ms * 19
    return {
        "commands": commands,
        "succeeded": t["succeeded"],
        "error_rate": round(t["errors"] / max(t["words"], 1), 3),
        "ordinary": chat,
        "false_actuations": t["false"],
        "false_heard": t.get("false_heard", []),
        "asr_ms": {"p50": round(statistics.median(ms)), "p95": round(cuts[18])},
        "heard": t["heard"],
    }


def _print(name: str, n: dict[str, Any]) -> None:
    print(
        f"{name} success {n['succeeded']:2}/{n['commands']}, error rate {n['error_rate']:.1%}, "
        f"false actuations {n['false_actuations']}/{n['ordinary']}, "
        f"recognition+choice p50/p95 {n['asr_ms']['p50']}/{n['asr_ms']['p95']} ms",
        flush=True,
    )
    for heard in n["false_heard"]:
        print(f"    acted on: {heard!r}")


if __name__ == "__main__":
    sys.exit(main())
