"""Benchmark of the offline voice engines (extra ``[voice]``) one by one, on audio they make.

For each engine: load time; then per call, on the commands below spoken by the packaged voices,
the time taken and the real-time factor (processing time / audio time). Recognition also gets
word accuracy (English) and the share of pinyin syllables heard (Mandarin), and the transcripts.

Usage: python benchmarks/voice_engines.py [--repeat 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from codriver.testing.voice import ENGLISH_COMMANDS, MANDARIN_COMMANDS

ROOT = Path(__file__).resolve().parent.parent

T = TypeVar("T")

ENGLISH = list(ENGLISH_COMMANDS)
MANDARIN = list(MANDARIN_COMMANDS)


def timed(make: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    made = make()
    return made, time.perf_counter() - started


def per_call(name: str, seconds: list[float], audio: list[float]) -> dict[str, Any]:
    row = {
        "engine": name,
        "calls": len(seconds),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "rtf": round(sum(seconds) / sum(audio), 3),
    }
    print(f"  {name:<28} p50 {row['p50_ms']:>7} ms  max {row['max_ms']:>7} ms  RTF {row['rtf']}")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    from pypinyin import lazy_pinyin

    from codriver.voice.audio import to_rate
    from codriver.voice.engines.espeak import EspeakSynthesizer
    from codriver.voice.engines.microwake import MicroWakeWord
    from codriver.voice.engines.piper import PiperSynthesizer
    from codriver.voice.engines.silero import SileroVAD
    from codriver.voice.engines.whisper import WhisperRecognizer

    print("load (s)")
    loads: dict[str, float] = {}
    piper, loads["piper"] = timed(PiperSynthesizer)
    espeak, loads["espeak-ng"] = timed(EspeakSynthesizer)
    tiny, loads["whisper tiny.en"] = timed(lambda: WhisperRecognizer("tiny.en"))
    base, loads["whisper base (join+check+load)"] = timed(lambda: WhisperRecognizer("base"))
    vad, loads["silero vad"] = timed(SileroVAD)
    wake, loads["microwakeword hey jarvis"] = timed(lambda: MicroWakeWord("hey jarvis"))
    for name, seconds in loads.items():
        print(f"  {name:<32} {seconds:.2f}")

    print("per call")
    rows = []
    en_audio, took = zip(
        *(timed(lambda s=s: piper.synthesize(s, "en")) for s in ENGLISH * args.repeat),
        strict=True,
    )
    rows.append(per_call("piper (en)", list(took), [a.seconds for a in en_audio]))
    zh_audio, took = zip(
        *(timed(lambda s=s: espeak.synthesize(s, "zh")) for s in MANDARIN * args.repeat),
        strict=True,
    )
    rows.append(per_call("espeak-ng (zh)", list(took), [a.seconds for a in zh_audio]))
    zh_audio = zh_audio[: len(MANDARIN)]  # eSpeak says the same each time; Piper does not

    results: dict[str, list[str]] = {}
    for name, model, audio, lang in [
        ("whisper tiny.en (en)", tiny, en_audio, "en"),
        ("whisper base (en given)", base, en_audio, "en"),
        ("whisper base (zh given)", base, zh_audio, "zh"),
        ("whisper base (detect)", base, zh_audio, None),
    ]:
        heard, took = zip(
            *(timed(lambda a=a, m=model, g=lang: m.transcribe(a, g)) for a in audio), strict=True
        )
        rows.append(per_call(name, list(took), [a.seconds for a in audio]))
        results[name] = [h.text for h in heard]

    words = lambda text: "".join(c for c in text.lower() if c.isalnum() or c == " ").split()  # noqa: E731
    syllables = lambda text: [s for s in lazy_pinyin(text) if s.isalpha()]  # noqa: E731
    spoken = ENGLISH * args.repeat
    exact = {
        name: sum(words(h) == words(s) for h, s in zip(results[name], spoken, strict=True))
        for name in ("whisper tiny.en (en)", "whisper base (en given)")
    }
    share = statistics.mean(
        sum(x in set(syllables(h)) for x in syllables(s)) / len(syllables(s))
        for h, s in zip(results["whisper base (zh given)"], MANDARIN, strict=True)
    )
    english, mandarin = results["whisper tiny.en (en)"], results["whisper base (zh given)"]
    for name, count in exact.items():
        print(f"english sentences word for word, {name}: {count}/{len(spoken)}")
    print(f"mandarin pinyin syllables heard (base): {share:.2f}")
    for sentence, heard in zip(spoken + MANDARIN, english + mandarin, strict=True):
        print(f"  {sentence} -> {heard}")

    stream = b"".join(to_rate(a).pcm for a in en_audio)
    chunks = [stream[i : i + 1024] for i in range(0, len(stream) - 1023, 1024)]
    _, took = timed(lambda: [vad.speech_probability(c) for c in chunks])
    rows.append(
        per_call(
            "silero vad (32 ms chunks)", [took / len(chunks)] * len(chunks), [0.032] * len(chunks)
        )
    )
    pieces = [stream[i : i + 320] for i in range(0, len(stream) - 319, 320)]
    _, took = timed(lambda: [wake.process(p) for p in pieces])
    rows.append(
        per_call(
            "microwakeword (10 ms chunks)", [took / len(pieces)] * len(pieces), [0.01] * len(pieces)
        )
    )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (all engines loaded): {peak:.0f} MiB")
    if args.json:
        out = {"load_s": loads, "per_call": rows, "english_exact": exact, "mandarin_share": share}
        out |= {"transcripts": results, "peak_mib": peak}
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
