"""``codriver voice``: the hands-free loop on a WAV file (deterministic) or the microphone."""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from pathlib import Path

import typer

from codriver.cli.common import change_lines, open_assistant
from codriver.errors import InputError
from codriver.text import Lang
from codriver.vehicle.seats import parse_seat
from codriver.voice.frames import Frame, Heard, Interrupted, Replied, Timing, WakeHeard
from codriver.voice.ports import Recognizer
from codriver.voice.session import Engines


def run_voice(
    source: Path | None,
    out: Path | None,
    *,
    lang: str,
    seat: str,
    channels: str | None,
    wake: str | None,
    asr: str,
    funasr_url: str,
    brain: str,
    follow_up: float,
    as_json: Path | None,
    hangover: float = 0.25,
    apps: Path | None = None,
    sherpa_url: str = "ws://127.0.0.1:6006",
    sherpa_mode: str = "streaming",
) -> None:
    from codriver.voice.pipeline import Timeline
    from codriver.voice.session import Speaker, build_loop, microphone, run_file

    chosen: Lang | None = None if lang == "auto" else _lang(lang)
    speaker = parse_seat(seat)
    seats = [parse_seat(s.strip()) for s in channels.split(",")] if channels else [speaker]
    wake_word = (wake or ("hey jarvis" if source is None else "none")).lower()
    ports = _engines(chosen, wake_word, asr, funasr_url, (sherpa_url, sherpa_mode))

    async def session() -> list[Timing]:
        async with AsyncExitStack() as stack:
            assistant = await open_assistant(brain, apps, stack)
            playback = Timeline() if source is not None else Speaker()
            loop = build_loop(
                assistant,
                ports,
                playback,
                lang=chosen,
                seat=speaker,
                follow_up_s=follow_up,
                hangover_s=hangover,
                on_frame=_show,
            )
            if source is not None:
                return await run_file(loop, source, seats, out)
            typer.echo(f"listening (wake word: {wake_word}); Ctrl-C to stop")
            await loop.run(microphone(speaker))
            return loop.timings

    timings = asyncio.run(session())
    _summary(timings)
    if as_json is not None:
        as_json.write_text(json.dumps([_timing(t) for t in timings], ensure_ascii=False, indent=1))


def _engines(
    lang: Lang | None,
    wake_word: str,
    asr: str,
    funasr_url: str,
    sherpa: tuple[str, str] = ("ws://127.0.0.1:6006", "streaming"),
) -> Engines:
    """The offline engines for ``lang``, with FunASR or sherpa-onnx doing the recognising when
    asked."""
    from codriver.voice.engines.offline import offline_engines

    engines = offline_engines(lang, wake_word=wake_word if wake_word != "none" else "hey jarvis")
    recognizer = engines.recognizer
    if asr == "funasr":
        from codriver.voice.engines.funasr import FunASRRecognizer

        recognizer = FunASRRecognizer(funasr_url)
    elif asr == "sherpa":
        recognizer = _sherpa(*sherpa)
    elif asr != "offline":
        raise InputError(f"unknown recogniser {asr!r}: use offline, funasr or sherpa")
    wake = None if wake_word == "none" else engines.wake
    return Engines(wake, engines.vad, recognizer, engines.synthesizer)


def _sherpa(url: str, mode: str) -> Recognizer:
    from codriver.voice.engines.sherpa import SherpaRecognizer

    if mode not in ("streaming", "offline"):
        raise InputError(f"unknown sherpa-onnx server mode {mode!r}: use streaming or offline")
    return SherpaRecognizer(url, mode="offline" if mode == "offline" else "streaming")


def _lang(text: str) -> Lang:
    if text not in ("en", "zh"):
        raise InputError(f"unknown language {text!r}: use en, zh or auto")
    return "zh" if text == "zh" else "en"


def _show(frame: Frame) -> None:
    if isinstance(frame, WakeHeard):
        typer.secho(f"[{frame.at:6.2f} s] wake word: {frame.name}", fg=typer.colors.BRIGHT_BLACK)
    elif isinstance(frame, Interrupted):
        typer.secho(f"[{frame.at:6.2f} s] barge-in: reply stopped", fg=typer.colors.YELLOW)
    elif isinstance(frame, Heard):
        fixed = f"  (heard as {frame.raw!r})" if frame.raw != frame.transcript.text else ""
        who = frame.seat or "?"
        typer.echo(f"[{frame.at:6.2f} s] {who}: {frame.transcript.text!r}{fixed}")
    elif isinstance(frame, Replied):
        result = frame.result
        typer.echo(f"  codriver [{result.outcome}]: {result.reply}")
        for line in change_lines(result.changes):
            typer.secho(line, fg=typer.colors.CYAN)


def _summary(timings: list[Timing]) -> None:
    for t in timings:
        typer.secho(
            f"  timing {t.text[:40]!r}: end-pointing {t.endpoint_ms:.0f} ms · recognition "
            f"{t.asr_ms:.0f} ms ({t.asr_overlap_ms:.0f} during end-pointing) · "
            f"turn {t.assistant_ms:.1f} ms · "
            f"first audio {t.tts_first_ms:.0f} ms"
            f" | end of speech → action {t.to_actuation_ms:.0f} ms, → first audio "
            f"{t.to_first_audio_ms:.0f} ms",
            fg=typer.colors.BRIGHT_BLACK,
        )


def _timing(t: Timing) -> dict[str, object]:
    return {
        "text": t.text,
        "lang": t.lang,
        "speech_s": round(t.speech_s, 3),
        "endpoint_ms": round(t.endpoint_ms, 1),
        "asr_ms": round(t.asr_ms, 1),
        "asr_overlap_ms": round(t.asr_overlap_ms, 1),
        "assistant_ms": round(t.assistant_ms, 2),
        "tts_first_ms": round(t.tts_first_ms, 1),
        "to_actuation_ms": round(t.to_actuation_ms, 1),
        "to_first_audio_ms": round(t.to_first_audio_ms, 1),
    }
