"""Calling the car by a spoken phrase (你好小驰) with no model of the phrase: the voice activity
cuts utterances, the first voiced stretch of one that could be the phrase is transcribed, and
its sounds must begin with the phrase's. Fakes stand for the engines: tones for words, a
scripted recogniser that hears a text for a length of speech."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from codriver.errors import InputError
from codriver.voice.wake_phrase import WakePhrase, match_start, parse_calling
from codriver.yamlfile import load_yaml

np = pytest.importorskip("numpy", reason="the [voice] extra is not installed")
pytest.importorskip("pypinyin", reason="the [voice] extra is not installed")

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
from codriver.voice.frames import Frame, Heard, WakeHeard  # noqa: E402
from codriver.voice.listen import VadStage, WakeStage  # noqa: E402
from codriver.voice.pipeline import Timeline, VoiceLoop  # noqa: E402
from codriver.voice.respond import AsrStage, AssistantStage, TtsStage  # noqa: E402
from codriver.voice.spotter import NameStage, PhraseStage  # noqa: E402

CASES = load_yaml((Path(__file__).parent / "data" / "wake_phrases.yaml").read_text("utf-8"))
HEARD = [(c["phrase"], text, rest) for c in CASES for text, rest in c.get("heard", {}).items()]
NOT_HEARD = [(c["phrase"], text) for c in CASES for text in c.get("not_heard", [])]
WINDOW = "Vehicle.Cabin.Door.Row1.DriverSide.Window.Position"


@pytest.mark.parametrize(("phrase", "heard", "rest"), HEARD, ids=[h for _, h, _ in HEARD])
def test_the_phrase_is_heard_by_its_sounds(phrase: str, heard: str, rest: str) -> None:
    match = match_start(WakePhrase.parse(phrase), heard)
    assert match is not None and match.rest == rest


@pytest.mark.parametrize(("phrase", "heard"), NOT_HEARD, ids=[h for _, h in NOT_HEARD])
def test_other_speech_does_not_call_the_car(phrase: str, heard: str) -> None:
    assert match_start(WakePhrase.parse(phrase), heard) is None


@pytest.mark.parametrize("phrase", ["hey codriver", "", "你好 Jarvis"])
def test_a_phrase_must_be_chinese_or_a_packaged_model(phrase: str) -> None:
    with pytest.raises(InputError):
        WakePhrase.parse(phrase)


class Run:
    """The loop with the phrase spotter: the wake phrase is a 0.8 s stretch of speech."""

    def __init__(
        self, script: dict[float, str], *, word: bool = False, same_breath: bool = True
    ) -> None:
        self.assistant = offline_assistant()
        self.recognizer = ScriptedRecognizer(script)
        self.frames: list[Frame] = []
        phrases = [WakePhrase.parse("你好小驰")]
        self.spotter = PhraseStage(self.recognizer, phrases, same_breath=same_breath)
        self.loop = VoiceLoop(
            [
                WakeStage(ToneWake() if word else None, gate=False, lang="en"),
                VadStage(ToneVAD()),
                self.spotter,
                AsrStage(self.recognizer),
                NameStage(self.spotter.phrases),
                AssistantStage(self.assistant),
                TtsStage(lambda lang: ToneSynthesizer()),
            ],
            Timeline(),
            on_frame=self.frames.append,
        )

    def play(self, *parts: Any) -> None:
        rows = np.concatenate(parts)[None, :]
        asyncio.run(self.loop.run(chunks(Capture(rows, 16_000), ["driver"])))

    def window(self) -> Any:
        return asyncio.run(self.assistant.read(WINDOW))

    def heard(self) -> list[str]:
        return [f.transcript.text for f in self.frames if isinstance(f, Heard)]

    def woken(self) -> list[WakeHeard]:
        return [f for f in self.frames if isinstance(f, WakeHeard)]


SCRIPT = {0.8: "你好小池", 1.0: "打开车窗", 0.7: "你好小李"}


def test_without_the_phrase_nothing_is_heard() -> None:
    run = Run(SCRIPT)
    run.play(silence(0.5), tone(1.0), silence(1.5))
    assert (run.heard(), run.woken(), run.window()) == ([], [], 0)


def test_the_phrase_then_a_command_after_it() -> None:
    run = Run(SCRIPT)
    run.play(silence(0.5), tone(0.8), silence(1.0), tone(1.0), silence(1.5))
    [woken] = run.woken()
    assert (woken.name, woken.lang) == ("你好小驰", "zh")
    assert run.heard() == ["打开车窗"] and run.window() == 100


def test_the_command_in_the_same_breath_after_a_short_pause() -> None:
    run = Run(SCRIPT)
    run.play(silence(0.5), tone(0.8), silence(0.15), tone(1.0), silence(1.5))
    assert len(run.woken()) == 1
    assert run.heard() == ["打开车窗"] and run.window() == 100


def test_the_command_in_the_same_breath_without_a_pause() -> None:
    """No pause after the name: the spotter hears the utterance's first seconds, and the
    command is heard whole with the name taken off its transcript."""
    run = Run({1.7: "你好小池打开", 1.8: "你好小池打开车窗"})
    run.play(silence(0.5), tone(1.8), silence(1.5))
    assert len(run.woken()) == 1
    assert run.heard() == ["打开车窗"] and run.window() == 100


def test_a_greeting_to_someone_else_does_not_call_the_car() -> None:
    run = Run(SCRIPT)
    run.play(silence(0.5), tone(0.7), silence(1.0), tone(1.0), silence(1.5))
    assert (run.woken(), run.heard(), run.window()) == ([], [], 0)


@pytest.mark.parametrize("same_breath", [True, False])
def test_what_the_first_stage_passes_on(same_breath: bool) -> None:
    """Too short to be the phrase: never transcribed. Longer, without a pause: only its first
    seconds are, and only if a command may follow the name in the same breath."""
    run = Run({1.8: "今天天气"}, same_breath=same_breath)
    run.play(silence(0.5), tone(0.3), silence(1.0), tone(2.5), silence(1.5))
    heard = [round(s, 1) for s in run.recognizer.heard]
    assert heard == ([1.8] if same_breath else [])


def test_the_wake_word_still_calls_the_car_beside_the_phrase() -> None:
    """With a phrase and a wake-word model, the model's word said in the same breath as the
    command (no pause) opens the microphone: the command after it is heard, in its language."""
    run = Run({1.0: "open the driver window"}, word=True)
    run.play(silence(0.5), tone(0.4, WAKE_HZ), tone(1.0), silence(1.5))
    [woken] = run.woken()
    assert (woken.name, woken.lang) == ("tone", "en")
    assert run.heard() == ["open the driver window"] and run.window() == 100


@pytest.mark.parametrize(
    ("wake", "model", "phrases"),
    [
        ("none", None, []),
        (None, None, []),
        ("Hey Jarvis", "hey jarvis", []),
        ("你好小驰", None, ["你好小驰"]),
        ("hey jarvis, 你好小驰", "hey jarvis", ["你好小驰"]),
        ("default", "hey jarvis", ["你好小驰"]),
    ],
)
def test_wake_names_models_and_phrases(
    wake: str | None, model: str | None, phrases: list[str]
) -> None:
    calling = parse_calling(wake)
    assert (calling.model, [p.text for p in calling.phrases]) == (model, phrases)
    assert calling.model_lang == ("en" if model else None)


@pytest.mark.parametrize("wake", ["hey siri", "alexa,hey jarvis"])
def test_a_wake_name_without_a_model_or_two_models_is_an_input_error(wake: str) -> None:
    with pytest.raises(InputError):
        parse_calling(wake)
