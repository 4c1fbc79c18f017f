"""Rate conversion with an anti-aliasing filter: what lies above the new Nyquist frequency is
removed, not folded back into the speech band; what lies below it is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

np = pytest.importorskip("numpy", reason="the [voice] extra is not installed")
pytest.importorskip("soxr", reason="the [voice] extra is not installed")

from codriver.testing.wav_layouts import Layout, wav_bytes  # noqa: E402
from codriver.voice.audio import read_audio, resample, to_rate  # noqa: E402
from codriver.voice.ports import Audio  # noqa: E402


def tone(hz: float, rate: int, seconds: float = 1.0, level: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return level * np.sin(2 * np.pi * hz * t)


def int16(x: np.ndarray) -> np.ndarray:
    return np.round(x * 32767).astype(np.int16)


def gain_db(out: np.ndarray, level: float) -> float:
    """The RMS of ``out`` (int16, edges dropped) relative to a sine of ``level``, in dB."""
    middle = out.astype(np.float64)[..., 500:-500] / 32767
    rms = float(np.sqrt(np.mean(middle**2)))
    return 20 * np.log10(max(rms, 1e-12) / (level / np.sqrt(2)))


@pytest.mark.parametrize(
    ("rate", "hz"),
    [(48_000, 9_000), (48_000, 12_000), (44_100, 9_500), (22_050, 10_000), (32_000, 15_000)],
    ids=["48k-9k", "48k-12k", "44.1k-9.5k", "22.05k-10k", "32k-15k"],
)
def test_a_tone_above_the_new_nyquist_is_removed_not_aliased(rate: int, hz: float) -> None:
    out = resample(int16(tone(hz, rate)), rate, 16_000)
    assert gain_db(out, 0.5) < -60


@pytest.mark.parametrize("hz", [100.0, 1_000.0, 3_400.0, 7_000.0])
@pytest.mark.parametrize("rate", [8_000, 22_050, 44_100, 48_000])
def test_the_speech_band_passes_unchanged(rate: int, hz: float) -> None:
    if hz >= rate / 2 * 0.9:
        pytest.skip("not in the source's band")
    out = resample(int16(tone(hz, rate)), rate, 16_000)
    assert abs(gain_db(out, 0.5)) < 0.5


@pytest.mark.parametrize("rate", [8_000, 11_025, 22_050, 44_100, 48_000, 16_000])
def test_length_and_type_are_kept(rate: int) -> None:
    rows = int16(np.stack([tone(300, rate, 0.77), tone(500, rate, 0.77)]))
    out = resample(rows, rate, 16_000)
    assert out.dtype == np.int16
    assert out.shape == (2, round(rows.shape[1] * 16_000 / rate))
    mono = resample(rows[0], rate, 16_000)
    assert mono.shape == (out.shape[1],)


def test_to_rate_converts_a_voice_at_22050_hz() -> None:
    audio = Audio(int16(tone(9_000, 22_050) + tone(440, 22_050, level=0.3)).tobytes(), 22_050)
    out = to_rate(audio)
    samples = np.frombuffer(out.pcm, dtype="<i2")
    assert out.rate == 16_000 and abs(out.seconds - 1.0) < 1e-3
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(samples.size)))
    freqs = np.fft.rfftfreq(samples.size, 1 / 16_000)
    alias = spectrum[np.abs(freqs - (16_000 - 9_000)) < 50]  # where 9 kHz folds to
    speech = spectrum[np.abs(freqs - 440) < 20]
    assert 20 * np.log10(alias.max() / speech.max()) < -60


def test_a_48_khz_file_is_filtered_as_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "in.wav"
    path.write_bytes(wav_bytes(tone(9_000, 48_000), 48_000, Layout("pcm24", extensible=True)))
    capture = read_audio(path)
    assert gain_db(capture.channels[0], 0.5) < -60
