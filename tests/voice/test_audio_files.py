"""Reading audio files of the layouts people have: every WAV layout a recorder writes (plain or
WAVE_FORMAT_EXTENSIBLE, 8/16/24/32-bit integer, 32/64-bit float, mono to multichannel, data
chunks of odd length), and FLAC, OGG and MP3 through libsndfile. The WAVs are built byte by byte
(:mod:`codriver.testing.wav_layouts`), so the reader is not checked against itself."""

from __future__ import annotations

from pathlib import Path

import pytest

np = pytest.importorskip("numpy", reason="the [voice] extra is not installed")
sf = pytest.importorskip("soundfile", reason="the [voice] extra is not installed")

from codriver.testing.wav_layouts import Encoding, Layout, wav_bytes  # noqa: E402
from codriver.voice.audio import Capture, chunks, read_audio, read_wav  # noqa: E402

TONES = (220.0, 330.0, 440.0, 550.0)
LEVELS = (0.5, 0.1, 0.3, 0.05)
"""Each channel its own tone and level, so a swapped or dropped channel shows."""


def tones(rate: int, channels: int, seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    rows = [lvl * np.sin(2 * np.pi * hz * t) for hz, lvl in zip(TONES, LEVELS, strict=True)]
    return np.stack(rows[:channels], axis=1)


def write(tmp_path: Path, samples: np.ndarray, rate: int, layout: Layout) -> Path:
    path = tmp_path / "in.wav"
    path.write_bytes(wav_bytes(samples, rate, layout))
    return path


def assert_same(capture: Capture, expected: np.ndarray, tolerance: float) -> None:
    """``capture`` (int16 rows at 16 kHz) holds ``expected`` (frames × channels, floats)."""
    assert capture.rate == 16_000
    got = capture.channels.astype(np.float64).T / 32768
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) < tolerance


ENCODINGS: list[Encoding] = ["pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64"]


@pytest.mark.parametrize("extensible", [False, True], ids=["plain", "extensible"])
@pytest.mark.parametrize("channels", [1, 2, 4])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_common_wav_layout_reads_sample_for_sample(
    tmp_path: Path, encoding: Encoding, channels: int, extensible: bool
) -> None:
    samples = tones(16_000, channels)
    path = write(tmp_path, samples, 16_000, Layout(encoding, extensible))
    tolerance = 1 / 100 if encoding == "pcm8" else 1 / 20_000  # 8 bits, else int16's own step
    assert_same(read_audio(path), samples, tolerance)


@pytest.mark.parametrize(
    ("encoding", "frames", "partial"),
    [
        ("pcm24", 8001, False),  # 3 bytes × an odd count: an odd chunk, then its pad byte
        ("pcm8", 8001, False),
        ("pcm16", 8000, True),  # a recorder stopped mid-sample: a 1-byte last frame
        ("pcm24", 8000, True),
    ],
    ids=["24-bit-odd-frames", "8-bit-odd-frames", "16-bit-cut-sample", "24-bit-cut-sample"],
)
def test_an_odd_length_data_chunk_and_its_pad_byte(
    tmp_path: Path, encoding: Encoding, frames: int, partial: bool
) -> None:
    samples = tones(16_000, 1, frames / 16_000)
    path = write(tmp_path, samples, 16_000, Layout(encoding, partial_frame=partial))
    whole = samples[: frames - 1] if partial else samples  # the cut frame is dropped
    tolerance = 1 / 100 if encoding == "pcm8" else 1 / 20_000
    assert_same(read_audio(path), whole, tolerance)


def test_a_four_channel_24_bit_extensible_recording_speaks_from_its_seats(tmp_path: Path) -> None:
    """An array recorder's file: 48 kHz, 24-bit, extensible; one seat's channel loud at a time."""
    rate, second = 48_000, 48_000
    samples = np.full((4 * second, 4), 0.0)
    for channel in range(4):
        t = np.arange(second) / rate
        samples[channel * second : (channel + 1) * second, channel] = 0.4 * np.sin(
            2 * np.pi * 300 * t
        )
    samples += 0.01 * np.sin(2 * np.pi * 50 * np.arange(4 * second) / rate)[:, None]  # hum
    path = write(tmp_path, samples, rate, Layout("pcm24", extensible=True))
    capture = read_audio(path)
    assert capture.channels.shape == (4, 4 * 16_000)
    seats = ["driver", "passenger", "rear_left", "rear_right"]
    heard = [c.seat for c in chunks(capture, seats)]  # type: ignore[arg-type]
    per_second = [heard[i * 50 + 25] for i in range(4)]  # 50 chunks of 20 ms a second
    assert per_second == seats


@pytest.mark.parametrize(
    ("suffix", "fmt", "subtype", "tolerance"),
    [
        (".flac", "FLAC", "PCM_24", 1 / 20_000),
        (".ogg", "OGG", "VORBIS", 0.05),
        (".ogg", "OGG", "OPUS", 0.05),
        (".mp3", "MP3", "MPEG_LAYER_III", 0.1),
        (".aiff", "AIFF", "PCM_16", 1 / 20_000),
    ],
    ids=["flac", "ogg-vorbis", "ogg-opus", "mp3", "aiff"],
)
def test_other_formats_through_libsndfile(
    tmp_path: Path, suffix: str, fmt: str, subtype: str, tolerance: float
) -> None:
    samples = tones(48_000 if subtype == "OPUS" else 16_000, 2, 1.0)
    rate = 48_000 if subtype == "OPUS" else 16_000
    path = tmp_path / f"in{suffix}"
    sf.write(path, samples, rate, format=fmt, subtype=subtype)
    capture = read_audio(path)
    assert capture.channels.shape[0] == 2
    assert abs(capture.seconds - 1.0) < 0.1  # lossy codecs add a little padding
    levels = np.sqrt(np.mean((capture.channels.astype(np.float64) / 32768) ** 2, axis=1))
    expected = np.array(LEVELS[:2]) / np.sqrt(2)
    assert np.max(np.abs(levels - expected)) < max(tolerance, 0.01)


def test_read_wav_is_the_same_reader(tmp_path: Path) -> None:
    samples = tones(16_000, 2)
    path = write(tmp_path, samples, 16_000, Layout("pcm24", extensible=True))
    assert np.array_equal(read_wav(path).channels, read_audio(path).channels)


def test_a_float_file_louder_than_full_scale_is_scaled_not_clipped(tmp_path: Path) -> None:
    """Float WAVs may hold samples beyond ±1 (a mix bus before its limiter): nothing is lost if
    the whole file is scaled down instead of being clipped into int16."""
    samples = 4.0 * tones(16_000, 1)  # peak 2.0
    path = write(tmp_path, samples, 16_000, Layout("float32"))
    capture = read_audio(path)
    got = capture.channels[0].astype(np.float64)
    assert np.max(np.abs(got)) < 32768 * 0.999  # nothing at the rail
    correlation = np.corrcoef(got, samples[:, 0])[0, 1]
    assert correlation > 0.9999  # the same waveform, only quieter
    assert any("louder than full scale" in note for note in capture.notes)


def test_a_recording_cut_short_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    """A recorder that died before it could fix its header: the data chunk says 1 s, 0.5 s is
    there."""
    samples = tones(16_000, 1, 1.0)
    whole = wav_bytes(samples, 16_000, Layout(trailing_chunk=False))
    path = tmp_path / "cut.wav"
    path.write_bytes(whole[: len(whole) - 16_000])  # the last 8000 samples of 2 bytes
    capture = read_audio(path)
    assert_same(capture, samples[:8_000], 1 / 20_000)
    assert len(capture.notes) == 1
    assert capture.notes[0].startswith("the file ends 0.50 s before its header says")
