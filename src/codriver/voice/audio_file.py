"""Decoding audio files with libsndfile (``soundfile``): WAV of any layout (plain or
WAVE_FORMAT_EXTENSIBLE, 8/16/24/32-bit integer, 32/64-bit float, any channel count), FLAC, OGG
Vorbis and Opus, MP3, AIFF, CAF and the rest of what libsndfile reads.

Every file that cannot be listened to is an :class:`~codriver.errors.InputError` whose message is
one line naming the file and the problem, raised before anything else happens to it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from codriver.errors import InputError, MissingExtraError
from codriver.voice.riff import WavHeader, read_header

READABLE = "WAV, FLAC, OGG Vorbis or Opus, MP3, AIFF, CAF and other formats libsndfile reads"

CONTAINERS = (
    (4, b"ftyp", "an MP4/M4A container (AAC or ALAC)"),
    (0, b"\x1aE\xdf\xa3", "a Matroska/WebM container"),
    (0, b"#!AMR", "AMR"),
    (0, b"0&\xb2u", "an ASF container (WMA)"),
)
"""Formats people have that libsndfile does not read: named, so the message can say which."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's audio as float rows (one per channel, full scale 1.0) at its own rate."""

    samples: npt.NDArray[np.float32]
    rate: int
    kind: str
    notes: tuple[str, ...] = ()


def check_path(path: Path) -> None:
    """An :class:`InputError` unless ``path`` is a non-empty, readable file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not an audio file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: not readable (permission denied)")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: is empty (0 bytes)")


def check_output(path: Path) -> None:
    """An :class:`InputError` unless a file can be written at ``path``."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name a file to write")
    if not path.parent.is_dir():
        raise InputError(f"{path}: its folder does not exist")


def decode(path: Path) -> Decoded:
    """The audio in ``path``, all of it, as float rows."""
    check_path(path)
    sf = _soundfile()
    try:
        with sf.SoundFile(str(path)) as file:
            kind = f"{file.format} {file.subtype}"
            frames = file.read(dtype="float32", always_2d=True)
            rate = int(file.samplerate)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise InputError(f"{path}: {_why(path, exc)}") from exc
    if frames.shape[0] == 0:
        raise InputError(f"{path}: holds no audio ({kind}, 0 samples)")
    samples: npt.NDArray[np.float32] = np.ascontiguousarray(frames.T)
    return Decoded(samples, rate, kind, _notes(path, kind))


def _why(path: Path, exc: Exception) -> str:
    """The problem with a file libsndfile refused, as precisely as its header tells."""
    header = _header(path)
    if header is not None and header.problem:
        return header.problem
    with path.open("rb") as file:
        head = file.read(16)
    for offset, magic, name in CONTAINERS:
        if head[offset : offset + len(magic)] == magic:
            return f"unsupported format: {name}; convert it to WAV or FLAC"
    detail = str(getattr(exc, "error_string", "") or exc).strip().rstrip(".")
    if header is None and "not recognised" in detail.lower():
        return f"not an audio file ({READABLE})"
    return f"not readable as audio ({detail})"


def _notes(path: Path, kind: str) -> tuple[str, ...]:
    header = _header(path) if kind.startswith(("WAV", "RF64")) else None
    if header is None or header.missing_seconds < 0.001:
        return ()
    return (
        f"the file ends {header.missing_seconds:.2f} s before its header says "
        "(a recording cut short): what is there is used",
    )


def _header(path: Path) -> WavHeader | None:
    try:
        return read_header(path)
    except OSError:
        return None


def _soundfile() -> Any:
    try:
        import soundfile
    except ImportError as exc:
        raise MissingExtraError("reading audio files (soundfile)", "voice") from exc
    except OSError as exc:  # the wheel is there, libsndfile is not
        raise InputError(f"no libsndfile ({exc}): apt install libsndfile1") from exc
    return soundfile
