"""A WAV file's header, walked chunk by chunk without reading its audio: to say exactly what is
wrong with a WAV that libsndfile refuses (truncated, no data chunk, a codec it does not decode),
and whether the data chunk ends before its header says it does."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

DECODED = frozenset({0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031, 0x0040, 0x0055})
"""Format tags libsndfile decodes in WAV: PCM, MS ADPCM, float, A-law, µ-law, IMA ADPCM,
GSM 6.10, G.721 ADPCM and MPEG Layer III."""

EXTENSIBLE = 0xFFFE

CODEC_NAMES = {
    0x0050: "MPEG-1 Layer I/II",
    0x00FF: "AAC",
    0x1610: "AAC (ADTS)",
    0x0161: "Windows Media Audio",
    0x0162: "Windows Media Audio Pro",
    0x2000: "AC-3",
    0x2001: "DTS",
    0x674F: "Ogg Vorbis",
    0xF1AC: "FLAC",
}
"""Names for the codecs one meets inside WAV files that libsndfile does not decode."""


@dataclass(frozen=True, slots=True)
class WavHeader:
    """What the chunks of a RIFF/WAVE file say; ``problem`` is why it cannot be read, if known."""

    format_tag: int | None = None
    data_claimed: int | None = None
    data_present: int | None = None
    block_align: int = 0
    byte_rate: int = 0
    problem: str | None = None

    @property
    def missing_seconds(self) -> float:
        """How much shorter the data chunk is than its header says (a recording cut short)."""
        if self.data_claimed is None or self.data_present is None or not self.byte_rate:
            return 0.0
        return max(0, self.data_claimed - self.data_present) / self.byte_rate


def is_wav(head: bytes) -> bool:
    """A little-endian RIFF/WAVE or RF64 file (RIFX, the rare big-endian kind, is left to
    libsndfile alone)."""
    return len(head) >= 12 and head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE"


def read_header(path: Path) -> WavHeader | None:
    """The header of the WAV at ``path``; None when it is not a RIFF/WAVE file at all."""
    with path.open("rb") as file:
        if not is_wav(file.read(12)):
            return None
        size = path.stat().st_size
        return _walk(file, size)


def _walk(file: BinaryIO, size: int) -> WavHeader:
    fmt: WavHeader | None = None
    while True:
        at = file.tell()
        head = file.read(8)
        if len(head) < 8:
            return _ended(fmt, at, size)
        tag, length = head[:4], struct.unpack("<I", head[4:])[0]
        if tag == b"data":
            if fmt is None:
                return WavHeader(problem="its 'data' chunk comes before any 'fmt ' chunk")
            if length in (0, 0xFFFFFFFF):  # a stream's placeholder, or RF64's: size unknown
                return fmt
            present = size - at - 8
            return _with(fmt, data_claimed=length, data_present=min(length, present))
        if at + 8 + length > size:
            return WavHeader(problem=f"truncated: the file ends inside its {_name(tag)} chunk")
        if tag == b"fmt ":
            fmt = _fmt(file.read(length))
            if fmt.problem:
                return fmt
        else:
            file.seek(length, 1)
        file.seek(length % 2, 1)  # the pad byte after an odd-length chunk


def _ended(fmt: WavHeader | None, at: int, size: int) -> WavHeader:
    if fmt is None:
        return WavHeader(problem="truncated: the header ends before its 'fmt ' chunk")
    if at < size:
        return WavHeader(problem="truncated: the file ends inside a chunk header")
    return WavHeader(problem="no 'data' chunk: the header is there but no audio follows it")


def _fmt(body: bytes) -> WavHeader:
    if len(body) < 16:
        return WavHeader(problem="its 'fmt ' chunk is too short to be one")
    tag, channels, rate, byte_rate, align = struct.unpack("<HHIIH", body[:14])
    if not channels:
        return WavHeader(problem="its 'fmt ' chunk declares no channels")
    if not rate:
        return WavHeader(problem="its 'fmt ' chunk declares a sample rate of 0 Hz")
    if tag == EXTENSIBLE and len(body) >= 26:
        tag = struct.unpack("<H", body[24:26])[0]
    if tag not in DECODED:
        name = CODEC_NAMES.get(tag)
        codec = f"{name} (format tag 0x{tag:04X})" if name else f"format tag 0x{tag:04X}"
        return WavHeader(tag, problem=f"unsupported codec in WAV: {codec}")
    return WavHeader(tag, block_align=align, byte_rate=byte_rate)


def _with(fmt: WavHeader, *, data_claimed: int, data_present: int) -> WavHeader:
    return WavHeader(fmt.format_tag, data_claimed, data_present, fmt.block_align, fmt.byte_rate)


def _name(tag: bytes) -> str:
    return repr(tag.decode("latin-1"))
