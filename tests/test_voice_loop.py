"""The voice loop with fake engines (tones for words): wake word, utterances, follow-ups without
the wake word, barge-in, the speaking seat from a multi-channel capture, transcript correction."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

np = pytest.importorskip("numpy", reason="the [voice] extra is not installed")

from codriver.testing import offline_assistant  # noqa: E402
from codriver.testing.voice import (  # noqa: E402
    WAKE_HZ,
    ScriptedRecognizer,
    ToneSynthesizer,
    ToneVAD,
    ToneWake,
    silence,
    tone,
)
from codriver.voice.audio import Capture, chunks  # noqa: E402
from codriver.voice.frames import Frame, Heard, Interrupted, WakeHeard  # noqa: E402
from codriver.voice.listen import VadStage, WakeStage  # noqa: E402
from codriver.voice.pipeline import Timeline, VoiceLoop  # noqa: E402
from codriver.voice.respond import AsrStage, AssistantStage, TtsStage  # noqa: E402

WINDOW = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"
SEAT_HEAT = "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling"


class Run:
    def __init__(
        self,
        script: dict[float, str],
        *,
        wake: bool = True,
        seats: Any = ("driver",),
        confidence: float | None = None,
    ):
        self.assistant = offline_assistant()
        self.recognizer = ScriptedRecognizer(script, confidence)
        self.synth = ToneSynthesizer()
        self.timeline = Timeline()
        self.frames: list[Frame] = []
        self.seats = seats
        self.loop = VoiceLoop(
            [
                WakeStage(ToneWake() if wake else None),
                VadStage(ToneVAD()),
                AsrStage(self.recognizer),
                AssistantStage(self.assistant),
                TtsStage(lambda lang: self.synth),
            ],
            self.timeline,
            on_frame=self.frames.append,
        )

    def play(self, *parts: Any) -> None:
        if len(self.seats) == 1:
            rows = np.concatenate(parts)[None, :]
        else:
            rows = np.concatenate(parts, axis=1)
        asyncio.run(self.loop.run(chunks(Capture(rows, 16_000), list(self.seats))))

    def read(self, path: str) -> Any:
        return asyncio.run(self.assistant.read(path))

    def heard(self) -> list[str]:
        return [f.transcript.text for f in self.frames if isinstance(f, Heard)]


def test_the_wake_word_opens_the_microphone_and_the_command_is_carried_out() -> None:
    run = Run({1.0: "open the driver window"})
    run.play(tone(0.4, WAKE_HZ), silence(0.3), tone(1.0), silence(1.5))
    assert run.read(WINDOW) == 100
    assert any(isinstance(f, WakeHeard) for f in run.frames)
    assert run.synth.spoken and len(run.timeline.pcm) > 0
    [timing] = run.loop.timings
    assert timing.text == "open the driver window"
    assert 250 <= timing.endpoint_ms <= 400  # the hangover that confirms the end of speech


def test_without_the_wake_word_nothing_is_heard() -> None:
    run = Run({1.0: "open the driver window"})
    run.play(silence(0.5), tone(1.0), silence(1.5))
    assert run.read(WINDOW) == 0
    assert run.heard() == []


def test_a_follow_up_within_the_window_needs_no_wake_word_and_after_it_does() -> None:
    run = Run({1.0: "open the driver window", 0.6: "close it", 1.4: "open the driver window"})
    run.play(
        tone(0.4, WAKE_HZ),
        silence(0.3),
        tone(1.0),
        silence(3.0),  # reply plays, window opens
        tone(0.6),
        silence(14.0),  # follow-up heard; then the window closes
        tone(1.4),
        silence(1.0),  # no wake word: ignored
    )
    assert run.heard() == ["open the driver window", "close it"]
    assert run.read(WINDOW) == 0


def test_speaking_over_the_reply_stops_it_and_is_heard() -> None:
    run = Run({1.0: "open the driver window", 0.6: "turn on my seat heating"})
    run.play(tone(0.4, WAKE_HZ), silence(0.3), tone(1.0), silence(0.45), tone(0.6), silence(1.2))
    interrupted = [f for f in run.frames if isinstance(f, Interrupted)]
    assert len(interrupted) == 1
    assert run.timeline.cut_at == [interrupted[0].at]
    assert run.heard() == ["open the driver window", "turn on my seat heating"]
    assert run.read(SEAT_HEAT) > 0


def test_the_loudest_channel_is_the_speaking_seat() -> None:
    seats = ("driver", "passenger", "rear_left", "rear_right")
    quiet, loud = tone(1.0, level=0.02), tone(1.0)
    speech = np.stack([quiet, quiet, quiet, loud])
    pad = np.zeros((4, 16_000), dtype=np.int16)
    run = Run({1.0: "I'm cold"}, wake=False, seats=seats)
    run.play(pad, speech, pad, pad)
    [heard] = [f for f in run.frames if isinstance(f, Heard)]
    assert heard.seat == "rear_right"
    assert run.read("Vehicle.Cabin.HVAC.Station.Row2.Passenger.Temperature") > 22
    assert run.read("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature") == 22


def test_a_near_miss_chinese_transcript_is_put_right_before_the_assistant_hears_it() -> None:
    """Only a reading the recogniser is unsure of is corrected (tests/voice/test_correction.py)."""
    run = Run({1.0: "打开做已加热"}, wake=False, confidence=0.3)
    run.play(silence(0.3), tone(1.0), silence(1.0))
    [heard] = [f for f in run.frames if isinstance(f, Heard)]
    assert (heard.raw, heard.transcript.text) == ("打开做已加热", "打开座椅加热")
    assert run.read(SEAT_HEAT) > 0


def test_recognition_starts_on_the_first_silence_and_a_resumed_utterance_is_heard_whole() -> None:
    run = Run({0.5: "open the driver window", 1.2: "turn on my seat heating"}, wake=False)
    run.play(silence(0.3), tone(0.5), silence(0.12), tone(0.58), silence(1.0))
    assert len(run.recognizer.heard) == 2  # a guess at the short pause, then the whole
    assert run.heard() == ["turn on my seat heating"]
    [heard] = [f for f in run.frames if isinstance(f, Heard)]
    assert heard.overlap_ms > 0  # recognition ran while the hangover decided
    assert run.read(WINDOW) == 0 and run.read(SEAT_HEAT) > 0
