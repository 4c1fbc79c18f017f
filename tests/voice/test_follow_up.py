"""The follow-up window hears only what is said to the car. After a reply the loop listens
without the wake word; an utterance then reaches the car only if the assistant, asked without
effects, reads it as more of the conversation (tests/voice/data/follow_ups.yaml). Anything else
is ignored and closes the window. Said after the wake word, the same words are carried out."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from codriver.yamlfile import load_yaml

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
from codriver.voice.address import addressed  # noqa: E402
from codriver.voice.audio import Capture, chunks  # noqa: E402
from codriver.voice.frames import AudioIn, Frame, Heard, Replied  # noqa: E402
from codriver.voice.listen import VadStage, WakeStage  # noqa: E402
from codriver.voice.pipeline import Timeline, VoiceLoop  # noqa: E402
from codriver.voice.respond import AsrStage, AssistantStage, TtsStage  # noqa: E402

CASES = load_yaml((Path(__file__).parent / "data" / "follow_ups.yaml").read_text("utf-8"))
LATER = "打开车窗"
"""Said after the window, without the wake word: heard only if the window is still open."""


class Run:
    def __init__(self, command: str, then: str) -> None:
        self.assistant = offline_assistant()
        self.frames: list[Frame] = []
        self.synth = ToneSynthesizer()
        self.clock = 0.0
        self.loop = VoiceLoop(
            [
                WakeStage(ToneWake()),
                VadStage(ToneVAD()),
                AsrStage(ScriptedRecognizer({1.0: command, 0.6: then, 1.4: LATER})),
                AssistantStage(self.assistant, accept=addressed),
                TtsStage(lambda lang: self.synth),
            ],
            Timeline(),
            on_frame=self.frames.append,
        )

    def play(self, *parts: Any) -> None:
        """More of one stream: its clock goes on from where the last part ended."""
        rows = np.concatenate(parts)[None, :]
        at = self.clock
        self.clock += rows.shape[1] / 16_000
        stream = chunks(Capture(rows, 16_000), ["driver"])
        asyncio.run(self.loop.run(AudioIn(c.pcm, c.at + at, c.seat) for c in stream))

    def snapshot(self) -> dict[str, Any]:
        return asyncio.run(self.assistant.snapshot(["Vehicle"]))

    def replies(self) -> list[str]:
        return [f.result.reply for f in self.frames if isinstance(f, Replied) and f.result.reply]


def conversation(run: Run) -> None:
    run.play(tone(0.4, WAKE_HZ), silence(0.3), tone(1.0), silence(3.0))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_in_the_window_only_what_is_said_to_the_car_reaches_it(case: dict[str, Any]) -> None:
    run = Run(case["command"], case["then"])
    conversation(run)
    before, replies = run.snapshot(), len(run.replies())
    run.play(tone(0.6), silence(1.0))
    after = run.snapshot()
    if case["addressed"]:
        assert after[case["watch"]] != before[case["watch"]], run.replies()
        assert len(run.replies()) == replies + 1
    else:
        assert after == before, run.replies()
        assert len(run.replies()) == replies  # nothing said to the chatter either
        run.play(tone(1.4), silence(1.0))  # the window closed with the chatter
        assert run.snapshot() == before


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c["addressed"]][:2], ids=lambda c: c["id"]
)
def test_called_by_the_wake_word_anything_is_heard(case: dict[str, Any]) -> None:
    run = Run(case["command"], case["then"])
    conversation(run)
    replies = len(run.replies())
    run.play(silence(10.0), tone(0.4, WAKE_HZ), silence(0.3), tone(0.6), silence(1.5))
    assert len(run.replies()) == replies + 1


def test_ignored_chatter_leaves_the_conversation_as_it_was() -> None:
    """The assistant's understanding was asked without effects: after the chatter, a follow-up
    said with the wake word still refers to the first command."""
    run = Run("打开座椅加热", "小明的车窗坏了")
    conversation(run)
    run.play(tone(0.6), silence(1.0))  # chatter: ignored
    seat = "Vehicle.Cabin.Seat.Row1.DriverSide.HeatingCooling"
    before = run.snapshot()[seat]
    run.loop.stages[2] = AsrStage(ScriptedRecognizer({0.8: "再高一点"}))
    run.play(silence(10.0), tone(0.4, WAKE_HZ), silence(0.3), tone(0.8), silence(1.5))
    assert run.snapshot()[seat] > before
    heard = [f.transcript.text for f in run.frames if isinstance(f, Heard)]
    assert heard[-1] == "再高一点"
