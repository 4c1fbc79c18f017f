"""``--lang auto`` without paying for detection on every utterance: the wake phrase says the
language of a conversation, a follow-up is heard in the turn before's, and only the first
utterance of a conversation nothing decides is detected — once. A transcript that fits the
expected language badly is heard again, detected."""

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
from codriver.text import Lang  # noqa: E402
from codriver.voice.address import addressed  # noqa: E402
from codriver.voice.audio import Capture, chunks  # noqa: E402
from codriver.voice.language import AutoLanguage  # noqa: E402
from codriver.voice.listen import VadStage, WakeStage  # noqa: E402
from codriver.voice.pipeline import Timeline, VoiceLoop  # noqa: E402
from codriver.voice.ports import Audio, Transcript  # noqa: E402
from codriver.voice.respond import AsrStage, AssistantStage, TtsStage  # noqa: E402


class Model:
    """A recogniser that hears a fixed text per language, with a confidence, and detects one
    language; it counts what it was asked."""

    def __init__(self, name: str, heard: dict[str, tuple[str, float]], says: Lang = "en") -> None:
        self.name = name
        self.heard = heard
        self.says = says
        self.asked: list[Lang | None] = []

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        self.asked.append(lang)
        text, confidence = self.heard[lang or self.says]
        return Transcript(text, lang or self.says, True, confidence)

    def detect(self, samples: Any) -> Lang:
        return self.says


AUDIO = Audio(bytes(3200))


def models(says: Lang, en: float = 0.9, zh: float = 0.8) -> tuple[Model, Model]:
    tiny = Model("tiny", {"en": ("open the window", en)})
    base = Model("base", {"en": ("open the window", 0.6), "zh": ("打开车窗", zh)}, says)
    return tiny, base


@pytest.mark.parametrize(
    ("says", "text", "by"), [("en", "open the window", "tiny"), ("zh", "打开车窗", "base")]
)
def test_unknown_language_is_detected_and_english_heard_by_tiny(
    says: Lang, text: str, by: str
) -> None:
    tiny, base = models(says)
    auto = AutoLanguage(tiny, base)
    heard = auto.transcribe(AUDIO)
    assert (heard.text, heard.lang, auto.detections) == (text, says, 1)
    assert (tiny.asked if by == "tiny" else base.asked) == [says]


def test_a_known_language_that_fits_is_not_detected() -> None:
    tiny, base = models("zh")
    auto = AutoLanguage(tiny, base)
    assert auto.transcribe(AUDIO, "en").text == "open the window"
    assert auto.detections == 0 and base.asked == []


def test_a_language_that_fits_badly_is_heard_again_in_the_detected_one() -> None:
    tiny, base = models("zh", en=0.3)  # Mandarin heard as English: low confidence
    auto = AutoLanguage(tiny, base)
    heard = auto.transcribe(AUDIO, "en")
    assert (heard.text, heard.lang, auto.detections) == ("打开车窗", "zh", 1)


class Recording:
    """The scripted recogniser, noting the language the loop asked for."""

    def __init__(self, script: dict[float, str]) -> None:
        self.inner = ScriptedRecognizer(script)
        self.name = "recording"
        self.asked: list[Lang | None] = []

    def transcribe(self, audio: Audio, lang: Lang | None = None) -> Transcript:
        self.asked.append(lang)
        return self.inner.transcribe(audio, lang)


def loop(recognizer: Recording, wake_lang: Lang | None) -> VoiceLoop:
    return VoiceLoop(
        [
            WakeStage(ToneWake() if wake_lang else None, lang=wake_lang),
            VadStage(ToneVAD()),
            AsrStage(recognizer),
            AssistantStage(offline_assistant(), accept=addressed if wake_lang else None),
            TtsStage(lambda lang: ToneSynthesizer()),
        ],
        Timeline(),
    )


def play(voice_loop: VoiceLoop, *parts: Any) -> None:
    rows = np.concatenate(parts)[None, :]
    asyncio.run(voice_loop.run(chunks(Capture(rows, 16_000), ["driver"])))


def test_the_wake_phrase_says_the_language_and_the_follow_up_keeps_it() -> None:
    recognizer = Recording({1.0: "打开座椅加热", 0.6: "再高一点"})
    play(
        loop(recognizer, "zh"),
        tone(0.4, WAKE_HZ),
        silence(0.3),
        tone(1.0),
        silence(3.0),
        tone(0.6),
        silence(1.5),
    )
    assert recognizer.asked == ["zh", "zh"]


def test_without_a_wake_phrase_the_first_utterance_is_detected_then_the_turn_decides() -> None:
    recognizer = Recording({1.0: "打开座椅加热", 0.6: "再高一点", 1.4: "open the window"})
    play(
        loop(recognizer, None),
        silence(0.3),
        tone(1.0),
        silence(3.0),  # a new conversation: detected
        tone(0.6),
        silence(12.0),  # a follow-up: the turn before's language
        tone(1.4),
        silence(1.5),  # after the window: a new conversation, detected again
    )
    assert recognizer.asked == [None, "zh", None]
