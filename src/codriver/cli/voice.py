"""``codriver voice``: the hands-free loop on an audio file (deterministic) or the microphone."""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from pathlib import Path

import typer

from codriver.cli.common import change_lines, open_assistant
from codriver.errors import InputError
from codriver.text import Lang
from codriver.vehicle.seats import Seat, parse_seat
from codriver.voice.audio import Capture
from codriver.voice.frames import Frame, Heard, Interrupted, Replied, Timing, WakeHeard
from codriver.voice.ports import Recognizer
from codriver.voice.session import Engines
from codriver.voice.wake_phrase import Calling, parse_calling


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
    capture = None
    if source is not None:
        capture = _read_input(source, seats, channels is not None, (out, as_json))
    mic = "hey jarvis" if chosen == "en" else "default"  # an English loop needs no base model
    calling = parse_calling(wake or (mic if source is None else "none"))
    ports = _engines(chosen, calling, asr, funasr_url, (sherpa_url, sherpa_mode))

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
            if capture is not None:
                seated = seats if channels else seats * capture.channels.shape[0]
                return await run_file(loop, capture, seated, out)
            typer.echo(f"listening (wake: {_names(calling)}); Ctrl-C to stop")
            await loop.run(microphone(speaker))
            return loop.timings

    timings = asyncio.run(session())
    _summary(timings)
    if as_json is not None:
        as_json.write_text(json.dumps([_timing(t) for t in timings], ensure_ascii=False, indent=1))


def _read_input(
    source: Path, seats: list[Seat], named: bool, outputs: tuple[Path | None, ...]
) -> Capture:
    """The input file read and checked, and the output files' folders checked, before any model
    loads: a bad file is one line and exit code 2 at once, not after seconds of loading."""
    from codriver.voice.audio import read_audio
    from codriver.voice.audio_file import check_output

    for path in outputs:
        if path is not None:
            check_output(path)
    capture = read_audio(source)
    count = capture.channels.shape[0]
    if named and len(seats) != count:
        raise InputError(
            f"{source}: {count} channel{'s' * (count != 1)}, but --channels names "
            f"{len(seats)} seat{'s' * (len(seats) != 1)} ({', '.join(seats)})"
        )
    for note in capture.notes:
        typer.secho(f"warning: {source}: {note}", fg=typer.colors.YELLOW, err=True)
    return capture


def _engines(
    lang: Lang | None,
    calling: Calling,
    asr: str,
    funasr_url: str,
    sherpa: tuple[str, str] = ("ws://127.0.0.1:6006", "streaming"),
) -> Engines:
    """The offline engines for ``lang``, with FunASR or sherpa-onnx doing the recognising when
    asked; a Mandarin wake phrase in an English loop brings Whisper base to hear it."""
    from codriver.voice.engines.offline import offline_engines

    engines = offline_engines(lang, wake_word=calling.model or "hey jarvis")
    recognizer = engines.recognizer
    if asr == "funasr":
        from codriver.voice.engines.funasr import FunASRRecognizer

        recognizer = FunASRRecognizer(funasr_url)
    elif asr == "sherpa":
        recognizer = _sherpa(*sherpa)
    elif asr != "offline":
        raise InputError(f"unknown recogniser {asr!r}: use offline, funasr or sherpa")
    spotter = getattr(recognizer, "multilingual", recognizer)  # auto: base itself, capped
    if calling.phrases and lang == "en" and asr == "offline":
        from codriver.voice.engines.whisper import WhisperRecognizer

        spotter = WhisperRecognizer.for_lang("zh")
    wake = engines.wake if calling.model is not None else None
    return Engines(
        wake,
        engines.vad,
        recognizer,
        engines.synthesizer,
        phrases=calling.phrases,
        spotter=spotter,
        wake_lang=calling.model_lang,
    )


def _names(calling: Calling) -> str:
    names = ([calling.model] if calling.model else []) + [p.text for p in calling.phrases]
    return ", ".join(names) or "none"


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
