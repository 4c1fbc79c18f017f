"""Replies spoken: how intelligible the assistant's own replies are, per voice, with and without
normalisation for speech (codriver.voice.speech_text).

The replies are those the drive-scenario suites produce (tests/scenarios), a fixed sample per
language (ordered by a hash of the text, so the same each run). Each reply goes through the
loop's synthesis stage (TtsStage: sentence by sentence, first sentence first), the audio is
transcribed by the packaged Whisper (base for Mandarin, tiny.en for English; up to 200 tokens,
not the loop's 48, so a long reply is heard whole), and the transcript
is compared with the reply. Both sides are put in spoken form first (speech_text, then
punctuation and spaces out), so "23度" and "二十三度" count as the same: the error is what was
misheard, not how it was written. Mandarin: character error rate (CER); English: word error
rate (WER) and CER. Time to first audio is the stage's time for its first piece (including
normalisation): the first sentence's first clause, as the loop does, and for comparison the whole
first sentence; per-piece synthesis time and the real-time factor are over all pieces.

Usage: python benchmarks/voice_replies.py [--n 40] [--lang zh] [--json OUT] [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from codriver.assistant import Assistant
from codriver.assistant.result import TurnResult
from codriver.scenarios import run_paths
from codriver.text import Lang, detect_lang
from codriver.voice.frames import Heard, Replied, SpeechOut
from codriver.voice.listen import LoopState
from codriver.voice.ports import Audio, Recognizer, Synthesizer, Transcript
from codriver.voice.respond import TtsStage
from codriver.voice.speech_text import leftovers, speech_text

ROOT = Path(__file__).resolve().parent.parent
GAP = b"\0\0" * 4410  # 0.2 s at 22 050 Hz between sentences (rate differences do not matter)


@dataclass(frozen=True, slots=True)
class Row:
    lang: str
    voice: str
    text: str
    replies: int
    errors: int
    length: int
    word_errors: int
    words: int
    first_audio_p50_ms: float
    first_audio_p95_ms: float
    whole_sentence_p50_ms: float
    whole_sentence_p95_ms: float
    sentence_p50_ms: float
    rtf: float


def replies(n: int) -> dict[Lang, list[str]]:
    suite = asyncio.run(run_paths([ROOT / "tests" / "scenarios"], Assistant))
    seen = {t.reply for r in suite.results for t in r.turns if t.reply}
    by_lang: dict[Lang, list[str]] = {"en": [], "zh": []}
    for reply in sorted(seen, key=lambda r: hashlib.sha1(r.encode()).hexdigest()):
        lang = detect_lang(reply)
        if len(by_lang[lang]) < n and len(reply) <= (60 if lang == "zh" else 140):
            by_lang[lang].append(reply)
    return by_lang


def spoken_form(text: str, lang: Lang) -> str:
    said = speech_text(text, lang).lower().replace("-", " ")
    return re.sub(r"[^\w ]", "", said) if lang == "en" else re.sub(r"[^\w]", "", said)


async def speak(stage: TtsStage, reply: str, lang: Lang) -> list[SpeechOut]:
    heard = Heard(Transcript("", lang), "", 0.0, "driver", 0.0)
    frame = Replied(TurnResult("answered", reply, lang), heard, 0.0)
    return [f async for f in stage.process(frame, LoopState()) if isinstance(f, SpeechOut)]


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def measure(
    lang: Lang, voice: Synthesizer, normalise: bool, ear: Recognizer, texts: list[str], show: bool
) -> Row:
    keep: Callable[[str, Lang], str] = lambda text, _lang: text  # noqa: E731
    speak_as = speech_text if normalise else keep
    stage = TtsStage(lambda _lang: voice, speak=speak_as)
    whole_stage = TtsStage(lambda _lang: voice, speak=speak_as, first_clause=False)
    firsts, wholes, sentences, audio_s = [], [], [], 0.0
    errors = length = word_errors = words = 0
    for reply in texts:
        outs = asyncio.run(speak(stage, reply, lang))
        firsts.append(outs[0].ms)
        wholes.append(asyncio.run(speak(whole_stage, reply, lang))[0].ms)
        sentences += [o.ms for o in outs]
        audio = Audio(GAP.join(o.audio.pcm for o in outs), outs[0].audio.rate)
        audio_s += audio.seconds
        heard = ear.transcribe(audio, lang).text
        ref, hyp = spoken_form(reply, lang), spoken_form(heard, lang)
        errors += Levenshtein.distance(ref.replace(" ", ""), hyp.replace(" ", ""))
        length += len(ref.replace(" ", ""))
        word_errors += Levenshtein.distance(ref.split(), hyp.split())
        words += len(ref.split())
        if show:
            print(f"    {reply!r} → {heard!r}")
    return Row(
        lang, voice.name, "normalised" if normalise else "as written", len(texts), errors,
        length, word_errors, words, round(statistics.median(firsts), 1), round(p95(firsts), 1),
        round(statistics.median(wholes), 1), round(p95(wholes), 1),
        round(statistics.median(sentences), 1), round(sum(sentences) / 1000 / audio_s, 3),
    )  # fmt: skip


def voices(lang: Lang) -> list[Synthesizer]:
    if lang == "en":
        from codriver.voice.engines.piper import PiperSynthesizer

        return [PiperSynthesizer()]
    from codriver.voice.engines.espeak import EspeakSynthesizer
    from codriver.voice.engines.offline import VoiceUnavailable

    found: list[Synthesizer] = [EspeakSynthesizer()]
    try:
        from codriver.voice.engines.fastspeech import FastSpeechSynthesizer

        found.append(FastSpeechSynthesizer())
    except VoiceUnavailable as missing:
        print(f"  (no neural Mandarin voice: {missing})")
    return found


def table(rows: list[Row]) -> str:
    lines = [
        "| Language | Voice | Text | Replies | CER | WER | First audio p50 / p95: first clause | "
        "whole first sentence | Per piece p50 | RTF |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        wer = f"{r.word_errors / r.words:.1%}" if r.lang == "en" else "—"
        lines.append(
            f"| {r.lang} | {r.voice} | {r.text} | {r.replies} | {r.errors / r.length:.1%} | "
            f"{wer} | {r.first_audio_p50_ms} / {r.first_audio_p95_ms} ms | "
            f"{r.whole_sentence_p50_ms} / {r.whole_sentence_p95_ms} ms | "
            f"{r.sentence_p50_ms} ms | {r.rtf} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="replies per language")
    parser.add_argument("--lang", choices=["en", "zh"], action="append")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show", action="store_true", help="print each reply and what came back")
    args = parser.parse_args()
    from codriver.voice.engines.whisper import WhisperRecognizer

    sample, rows = replies(args.n), []
    for lang in args.lang or ["zh", "en"]:
        texts: list[str] = sample[lang]
        marked = sum(bool(leftovers(t, lang)) for t in texts)
        print(f"{lang}: {len(texts)} replies, {marked} with units, numbers or abbreviations")
        # room for a long reply: the loop's cap (48 tokens) is for commands
        ear = WhisperRecognizer("tiny.en" if lang == "en" else "base", max_new_tokens=200)
        for voice in voices(lang):
            for normalise in (False, True):
                rows.append(measure(lang, voice, normalise, ear, texts, args.show))
                print(f"  {rows[-1]}")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
