"""Building a voice loop from engines, and running it over a WAV file or a microphone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codriver.assistant.session import Assistant
from codriver.errors import InputError, MissingExtraError
from codriver.text import Lang
from codriver.vehicle.seats import Seat
from codriver.voice.address import addressed
from codriver.voice.audio import Capture, chunks, read_wav, write_wav
from codriver.voice.frames import AudioIn, Frame, Timing
from codriver.voice.level import ClipGuard
from codriver.voice.listen import HANGOVER_S, VadStage, WakeStage
from codriver.voice.pipeline import Playback, Stage, Timeline, VoiceLoop
from codriver.voice.ports import RATE, Audio, Recognizer, Synthesizer, VoiceActivity, WakeWord
from codriver.voice.respond import AsrStage, AssistantStage, TtsStage
from codriver.voice.spotter import NameStage, PhraseStage, brief
from codriver.voice.understood import EngineUnderstanding
from codriver.voice.wake_phrase import WakePhrase


@dataclass(frozen=True, slots=True)
class Engines:
    wake: WakeWord | None
    vad: VoiceActivity
    recognizer: Recognizer
    voice: Callable[[Lang], Synthesizer]
    phrases: tuple[WakePhrase, ...] = ()
    """Spoken wake phrases (你好小驰), spotted by ``spotter`` in the utterances."""
    spotter: Recognizer | None = None
    """The recogniser that hears the phrases (default ``recognizer``)."""
    wake_lang: Lang | None = None
    """The language of the wake word's phrase ("hey jarvis": English)."""

    @property
    def called_by_name(self) -> bool:
        return self.wake is not None or bool(self.phrases)


def build_loop(
    assistant: Assistant,
    engines: Engines,
    playback: Playback,
    *,
    lang: Lang | None = None,
    seat: Seat = "driver",
    follow_up_s: float = 8.0,
    hangover_s: float = HANGOVER_S,
    on_frame: Callable[[Frame], None] | None = None,
) -> VoiceLoop:
    """The stages for ``engines``. ``lang`` None: each conversation's language is that of the
    wake phrase that opened it, else that of its last turn, else detected."""
    listen: list[Stage] = [
        WakeStage(engines.wake, gate=not engines.phrases, lang=engines.wake_lang),
        VadStage(engines.vad, hangover_s=hangover_s),
    ]
    if engines.phrases:
        spotter = brief(engines.spotter or engines.recognizer, engines.phrases)
        listen.append(PhraseStage(spotter, engines.phrases))
    accept = addressed if engines.called_by_name else None
    return VoiceLoop(
        [
            *listen,
            AsrStage(
                engines.recognizer, lang=lambda: lang, understand=EngineUnderstanding(assistant)
            ),
            NameStage(engines.phrases),
            AssistantStage(assistant, seat=seat, accept=accept),
            TtsStage(engines.voice),
        ],
        playback,
        follow_up_s=follow_up_s,
        on_frame=on_frame,
    )


async def run_file(
    loop: VoiceLoop,
    source: Path | Capture,
    seats: Sequence[Seat | None],
    out: Path | None = None,
) -> list[Timing]:
    """Run an audio file (or one already read) through the loop; write what the car said, on the
    same clock, to ``out``."""
    capture = source if isinstance(source, Capture) else read_wav(source)
    await loop.run(chunks(capture, seats))
    if out is not None and isinstance(loop.playback, Timeline):
        audio = loop.playback.audio(capture.seconds)
        write_wav(out, audio.pcm, audio.rate)
    return loop.timings


class Speaker:
    """Plays replies on the default output device (``sounddevice``); stops on barge-in."""

    def __init__(self) -> None:
        self._sd = _sounddevice()
        self._started = asyncio.get_event_loop().time()

    def play(self, audio: Audio, at: float) -> tuple[float, float]:
        import numpy as np

        now = asyncio.get_event_loop().time() - self._started
        self._sd.play(np.frombuffer(audio.pcm, dtype="<i2"), audio.rate, blocking=False)
        return now, now + audio.seconds

    def stop(self, at: float) -> None:
        self._sd.stop()


async def microphone(seat: Seat, chunk_s: float = 0.02) -> AsyncIterator[AudioIn]:
    """Chunks from the default input device, as they are captured (lowered while they clip)."""
    sd = _sounddevice()
    try:
        sd.check_input_settings(samplerate=RATE, channels=1, dtype="int16")
    except Exception as exc:  # sounddevice raises PortAudioError or ValueError
        raise InputError(f"no usable microphone: {exc}") from exc
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def captured(data: object, frames: int, time: object, status: object) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, bytes(data))  # type: ignore[call-overload]

    at, guard = 0.0, ClipGuard()
    with sd.RawInputStream(
        samplerate=RATE,
        channels=1,
        dtype="int16",
        blocksize=int(RATE * chunk_s),
        callback=captured,
    ):
        while True:
            pcm = await queue.get()
            yield AudioIn(guard.process(pcm), at, seat)
            at += len(pcm) / 2 / RATE


def _sounddevice() -> Any:
    try:
        import sounddevice
    except ImportError as exc:
        raise MissingExtraError("the microphone and speaker (sounddevice)", "voice") from exc
    except OSError as exc:  # the wheel is there, the PortAudio library is not
        raise InputError(f"no audio device library ({exc}): apt install libportaudio2") from exc
    return sounddevice
