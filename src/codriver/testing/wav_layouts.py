"""WAV files as recorders write them, built byte by byte: for tests of audio input that must not
depend on the library under test to make their inputs.

:func:`wav_bytes` lays out a RIFF/WAVE file from float samples in [-1, 1]: plain PCM or
WAVE_FORMAT_EXTENSIBLE (an array recorder's usual header, with its channel mask), 8/16/24/32-bit
integer or 32/64-bit float, chunks before and after the data, and the pad byte that follows an
odd-length chunk.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Encoding = Literal["pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64"]

PCM_TAG = 0x0001
FLOAT_TAG = 0x0003
EXTENSIBLE_TAG = 0xFFFE
_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
"""The KSDATAFORMAT_SUBTYPE GUID after its first two bytes (the format tag)."""


@dataclass(frozen=True, slots=True)
class Layout:
    """How the samples are laid out in the file."""

    encoding: Encoding = "pcm16"
    extensible: bool = False
    partial_frame: bool = False
    """Cut the last frame short (a recorder stopped mid-sample): the data chunk has a length that
    is no whole number of frames, and may be odd."""
    trailing_chunk: bool = True
    """A LIST chunk after the data (most recorders and editors write one)."""


def bits(encoding: Encoding) -> int:
    return int(encoding.removeprefix("pcm").removeprefix("float"))


def chunk(tag: bytes, body: bytes) -> bytes:
    """A RIFF chunk: tag, length, body, and a pad byte when the length is odd."""
    return tag + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def fmt_body(encoding: Encoding, channels: int, rate: int, extensible: bool) -> bytes:
    width = bits(encoding) // 8
    tag = FLOAT_TAG if encoding.startswith("float") else PCM_TAG
    align = width * channels
    code = EXTENSIBLE_TAG if extensible else tag
    head = struct.pack("<HHIIHH", code, channels, rate, rate * align, align, 8 * width)
    if not extensible:
        return head + (struct.pack("<H", 0) if tag == FLOAT_TAG else b"")
    mask = (1 << channels) - 1
    return head + struct.pack("<HHI", 22, 8 * width, mask) + struct.pack("<H", tag) + _GUID_TAIL


def encode(samples: npt.NDArray[Any], encoding: Encoding) -> bytes:
    """Interleaved little-endian sample bytes of ``samples`` (frames × channels, floats)."""
    flat = np.asarray(samples, dtype=np.float64).reshape(-1)
    if encoding.startswith("float"):
        return bytes(flat.astype("<f4" if encoding == "float32" else "<f8").tobytes())
    if encoding == "pcm8":  # unsigned, centred on 128
        return bytes(np.clip(np.round(flat * 128 + 128), 0, 255).astype(np.uint8).tobytes())
    full = 2 ** (bits(encoding) - 1)
    ints: npt.NDArray[np.int32] = np.clip(np.round(flat * full), -full, full - 1).astype("<i4")
    if encoding == "pcm32":
        return ints.tobytes()
    width = bits(encoding) // 8
    return ints.view(np.uint8).reshape(-1, 4)[:, :width].tobytes()


def wav_bytes(samples: npt.NDArray[Any], rate: int, layout: Layout = Layout()) -> bytes:
    """A whole WAV file of ``samples`` (frames × channels, or one row for mono) at ``rate``."""
    frames = np.asarray(samples, dtype=np.float64)
    frames = frames[:, None] if frames.ndim == 1 else frames
    data = encode(frames, layout.encoding)
    if layout.partial_frame:
        data = data[: len(data) - frames.shape[1] * bits(layout.encoding) // 8 + 1]
    body = b"WAVE" + chunk(
        b"fmt ", fmt_body(layout.encoding, frames.shape[1], rate, layout.extensible)
    )
    body += chunk(b"data", data)
    if layout.trailing_chunk:
        body += chunk(b"LIST", b"INFO" + chunk(b"ISFT", b"array recorder\x00"))
    return b"RIFF" + struct.pack("<I", len(body)) + body
