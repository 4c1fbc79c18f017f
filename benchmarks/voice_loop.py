"""Benchmark of the whole voice loop, on synthetic and on recorded human speech.

Two sources per language: *synthetic* (the commands of ``benchmarks/data/voice_commands.yaml`` and
the ordinary speech of ``voice_chatter.yaml``, spoken by the packaged synthesisers) and *human*
(the recorded clips of ``voice_human.yaml``, fetched from packages by ``voice_corpus.py``), each
clean and mixed with generated car noise at 10 dB and 5 dB SNR. Each clip runs through the loop
on a fresh assistant: voice activity → recognition (+ pinyin correction) → the assistant →
synthesis of the reply. Reported per language × source × noise:

- commands: how many the car carried out (it shows what the command asks), WER (English) or CER
  (Mandarin) with numbers as digits on both sides, end of speech → actuation and → first reply
  audio (p50/p95);
- ordinary speech: false actuations, the clips after which the car changed (or carried out an
  action), heard as every utterance is without a wake word, and again spoken in the follow-up
  window after a command (at the noise levels of ``--follow-up-snr``, clean by default: it
  doubles the time); its WER/CER; and how many of the sentences act as text alone;
- the peak memory (RSS) of each language, each run in its own process.

Usage: python benchmarks/voice_loop.py [--json OUT] [--lang en,zh] [--snr clean,10,5]
           [--source synthetic,human] [--limit N] [--follow-up-snr clean] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import voice_corpus  # noqa: E402
import voice_runs  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--lang", default="en,zh")
    parser.add_argument("--snr", default="clean,10,5")
    parser.add_argument("--source", default="synthetic,human")
    parser.add_argument("--limit", type=int, default=0, help="at most N clips of each set")
    parser.add_argument(
        "--follow-up-snr",
        default="clean",
        help="noise levels at which ordinary speech is also heard in the follow-up window "
        "(e.g. clean,10,5; none: never)",
    )
    parser.add_argument("--corpus", type=Path, default=None, help="cache of the human clips")
    parser.add_argument("--hangover", type=float, default=0.25, help="end-of-speech silence, s")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(_language(args))
        return 0
    report = {lang: _in_own_process(lang, sys.argv[1:], args.json) for lang in args.lang.split(",")}
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


def _in_own_process(lang: str, argv: list[str], out: Path | None) -> dict[str, Any]:
    """One language in a process of its own, so that its peak memory is its own. It writes its
    rows as they come, beside ``out`` (``OUT.en.json``), so a stopped run keeps what it did."""
    with tempfile.TemporaryDirectory() as scratch:
        part = out.with_suffix(f".{lang}.json") if out else Path(scratch) / "lang.json"
        rest = [a for i, a in enumerate(argv) if a != "--json" and argv[i - 1 : i] != ["--json"]]
        command = [sys.executable, __file__, *rest, "--lang", lang, "--worker", "--json", str(part)]
        subprocess.run(command, check=True)
        result: dict[str, Any] = json.loads(part.read_text())
        return result


async def _language(args: argparse.Namespace) -> dict[str, Any]:
    lang = args.lang
    from codriver.voice.engines.offline import offline_engines

    engines = offline_engines(lang)
    sets = _sets(lang, args)
    report: dict[str, Any] = {}
    for source, (commands, speech) in sets.items():
        for snr in args.snr.split(","):
            level = None if snr == "clean" else float(snr)
            started = time.perf_counter()
            follow_up = snr in args.follow_up_snr.split(",")
            row = await _measure(engines, lang, commands, speech, level, follow_up, args)
            row["seconds"] = round(time.perf_counter() - started, 1)
            report[f"{source} {snr}"] = row
            print(f"{lang} {source} {snr}: {_line(row)}", flush=True)
            report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return report


def _sets(lang: str, args: argparse.Namespace) -> dict[str, tuple[list[Any], list[Any]]]:
    """Per source, the commands and the ordinary speech: dicts with the audio in ``speech``."""
    sources = args.source.split(",")
    data = ROOT / "benchmarks/data"
    sets: dict[str, tuple[list[Any], list[Any]]] = {}
    if "synthetic" in sources:
        commands = yaml.safe_load((data / "voice_commands.yaml").read_text())[lang]
        chatter = yaml.safe_load((data / "voice_chatter.yaml").read_text())[lang]
        sets["synthetic"] = (
            [{**c, "id": c["say"], "audio": _spoken(c["say"], lang)} for c in commands],
            [{**c, "id": c["say"], "audio": _spoken(c["say"], lang)} for c in chatter],
        )
    if "human" in sources and (human := _human(lang, args.corpus)) is not None:
        sets["human"] = human
    if args.limit:
        sets = {k: (c[: args.limit], s[: args.limit]) for k, (c, s) in sets.items()}
    return sets


def _human(lang: str, cache: Path | None) -> tuple[list[Any], list[Any]] | None:
    corpus = voice_corpus.load()
    where = cache or voice_corpus.default_cache()
    try:
        voice_corpus.fetch(corpus, where, log=lambda line: print(line, file=sys.stderr))
    except voice_corpus.FetchError as exc:
        print(f"no human clips: {exc}", file=sys.stderr)
        return None
    clips = [
        {
            "id": c.id,
            "say": c.text,
            "given": dict(c.given),
            "expect": dict(c.expect),
            "audio": voice_runs.read_clip(corpus.where(where, c)),
        }
        for c in corpus.clips
        if c.lang == lang
    ]
    kinds = {c.id: c.kind for c in corpus.clips}
    return (
        [c for c in clips if kinds[c["id"]] == "command"],
        [c for c in clips if kinds[c["id"]] == "speech"],
    )


_SPEAKERS: dict[str, Any] = {}


def _spoken(text: str, lang: str) -> Any:
    """``text`` said by the packaged voice: Piper without its random variation (noise_scale 0),
    so that every run hears the same clips; eSpeak NG is deterministic anyway."""
    import numpy as np

    from codriver.voice.audio import to_rate

    if lang not in _SPEAKERS:
        from codriver.voice.engines.espeak import EspeakSynthesizer
        from codriver.voice.engines.piper import PiperSynthesizer

        _SPEAKERS[lang] = PiperSynthesizer(noise_scale=0) if lang == "en" else EspeakSynthesizer()
    audio = to_rate(_SPEAKERS[lang].synthesize(text, lang))
    return np.frombuffer(audio.pcm, dtype="<i2")


async def _measure(
    engines: Any,
    lang: str,
    commands: list[Any],
    speech: list[Any],
    snr: float | None,
    follow_up: bool,
    args: argparse.Namespace,
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    busy = audio = 0.0
    if commands:
        row["commands"], b, a = await _commands(engines, lang, commands, snr, args.hangover)
        busy, audio = busy + b, audio + a
    if speech:
        row["speech"], b, a = await _speech(engines, lang, speech, snr, follow_up, args)
        busy, audio = busy + b, audio + a
    row["rtf"] = round(busy / audio, 3) if audio else None
    return row


async def _commands(
    engines: Any, lang: str, commands: list[Any], snr: float | None, hangover: float
) -> tuple[dict[str, Any], float, float]:
    from codriver.scenarios.matchers import compile_matcher

    errors = words = succeeded = 0
    timings: list[Any] = []
    busy = audio = 0.0
    transcripts = []
    for i, command in enumerate(commands):
        clip = voice_runs.padded(command["audio"], snr, seed=i)
        started = time.perf_counter()
        run, assistant = await voice_runs.heard(
            clip, engines, lang, given=command.get("given"), hangover=hangover
        )
        busy, audio = busy + time.perf_counter() - started, audio + run.seconds
        timings += run.timings
        e, n = voice_runs.errors(command["say"], run.text, lang)
        errors, words = errors + e, words + n
        ok = True
        for path, expected in command["expect"].items():
            ok = ok and compile_matcher(expected).holds(await assistant.read(path))
        succeeded += ok
        transcripts.append({"id": command["id"], "heard": run.text, "ok": ok})
    return (
        {
            "clips": len(commands),
            "succeeded": succeeded,
            "error_rate": round(errors / max(words, 1), 3),
            "actuation_ms": voice_runs.percentiles([t.to_actuation_ms for t in timings]),
            "first_audio_ms": voice_runs.percentiles([t.to_first_audio_ms for t in timings]),
            "asr_ms": voice_runs.percentiles([t.asr_ms for t in timings]),
            "transcripts": transcripts,
        },
        busy,
        audio,
    )


async def _speech(
    engines: Any,
    lang: str,
    speech: list[Any],
    snr: float | None,
    follow_up: bool,
    args: argparse.Namespace,
) -> tuple[dict[str, Any], float, float]:
    """Ordinary speech: which clips actuate the car, heard and in the follow-up window."""
    primer_text = yaml.safe_load((ROOT / "benchmarks/data/voice_chatter.yaml").read_text())
    primer = voice_runs.padded(_spoken(primer_text["primer"][lang], lang), snr, seed=99)
    errors = words = 0
    timings: list[Any] = []
    busy = audio = 0.0
    false_heard, false_follow, by_text, closed, transcripts = [], [], [], [], []
    for i, clip_data in enumerate(speech):
        clip = voice_runs.padded(clip_data["audio"], snr, seed=i)
        started = time.perf_counter()
        run, _ = await voice_runs.heard(clip, engines, lang, hangover=args.hangover)
        busy, audio = busy + time.perf_counter() - started, audio + run.seconds
        timings += run.timings
        e, n = voice_runs.errors(clip_data["say"], run.text, lang)
        errors, words = errors + e, words + n
        entry: dict[str, Any] = {"id": clip_data["id"], "heard": run.text}
        if run.actuating:
            false_heard.append(clip_data["id"])
            entry["actuated_on"] = run.actuating
        if follow_up:
            follow = await voice_runs.in_follow_up(clip, primer, engines, lang)
            if not follow.window_open:
                closed.append(clip_data["id"])
            if follow.actuating:
                false_follow.append(clip_data["id"])
                entry["actuated_in_follow_up_on"] = follow.actuating
        if await _text_acts(clip_data["say"]):
            by_text.append(clip_data["id"])
        transcripts.append(entry)
    return (
        {
            "clips": len(speech),
            "false_actuations": len(false_heard),
            "false_in_follow_up": len(false_follow) if follow_up else None,
            "acts_as_text": len(by_text),
            "actuated": false_heard,
            "actuated_in_follow_up": false_follow,
            "acting_text": by_text,
            "follow_up_not_open": closed,
            "error_rate": round(errors / max(words, 1), 3),
            "turn_ms": voice_runs.percentiles([t.to_actuation_ms for t in timings]),
            "first_audio_ms": voice_runs.percentiles([t.to_first_audio_ms for t in timings]),
            "transcripts": transcripts,
        },
        busy,
        audio,
    )


async def _text_acts(text: str) -> bool:
    """Whether the sentence itself, typed rather than heard, makes the car act."""
    from codriver.testing import offline_assistant

    return voice_runs.actuated(await offline_assistant().say(text))


def _line(row: dict[str, Any]) -> str:
    parts = []
    if c := row.get("commands"):
        parts.append(
            f"commands {c['succeeded']}/{c['clips']}, err {c['error_rate']:.1%}, "
            f"act {c['actuation_ms']}, first audio {c['first_audio_ms']}"
        )
    if s := row.get("speech"):
        parts.append(
            f"speech false {s['false_actuations']}/{s['clips']} "
            f"(follow-up {s['false_in_follow_up']}, as text {s['acts_as_text']}), "
            f"err {s['error_rate']:.1%}"
        )
    return "; ".join(parts) + f", RTF {row['rtf']}"


def table(report: dict[str, Any]) -> str:
    """The markdown table of docs/benchmarks.md."""
    head = (
        "| language, source, noise | commands right | WER / CER (commands) | end of speech → "
        "action, p50 / p95 | → first reply audio, p50 / p95 | ordinary speech: false actuations"
        " (heard / in follow-up) | WER / CER (speech) |\n|---|---|---|---|---|---|---|"
    )
    lines = [head]
    names = {"en": "English", "zh": "Mandarin"}
    for lang, rows in report.items():
        for key, row in rows.items():
            if not isinstance(row, dict):
                continue
            lines.append(f"| {names.get(lang, lang)}, {key} | " + _cells(row) + " |")
    memory = ", ".join(f"{names.get(k, k)} {v['peak_rss_mb']} MB" for k, v in report.items())
    return "\n".join(lines) + f"\n\nPeak memory (RSS), each language in its own process: {memory}"


def _cells(row: dict[str, Any]) -> str:
    c, s = row.get("commands"), row.get("speech")

    def ms(p: dict[str, float]) -> str:
        return f"{p['p50']:.0f} / {p['p95']:.0f} ms" if p else "–"

    cells = ["– (none)", "–", "–", "–"]
    if c:
        cells = [f"{c['succeeded']} / {c['clips']}", f"{c['error_rate']:.1%}"]
        cells += [ms(c["actuation_ms"]), ms(c["first_audio_ms"])]
    if s:
        follow = "–" if s["false_in_follow_up"] is None else str(s["false_in_follow_up"])
        cells += [f"{s['false_actuations']} / {follow} of {s['clips']}", f"{s['error_rate']:.1%}"]
    else:
        cells += ["–", "–"]
    return " | ".join(cells)


if __name__ == "__main__":
    sys.exit(main())
