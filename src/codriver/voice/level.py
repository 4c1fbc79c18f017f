"""Input level: clipped recordings and float files louder than full scale.

Silero VAD is not level-invariant: speech that saturated the recorder (flat tops at the rails,
close to a square wave at full scale) scores as no speech, so a shouted command used to be
dropped without a word. The same waveform at -20 dBFS scores as speech again, and Whisper hears
it. A clipped channel piles its samples up at one value, the rail, with few just under it; a
clipped recording is lowered until its peak is at :data:`CLIPPED_PEAK` before anything
listens to it; clean audio, however loud, is left as it is.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

CLIPPED_PEAK = 0.1
"""Where a clipped recording's peak is brought (-20 dBFS): on the project's synthetic commands,
clipped 30-300 times over full scale, Silero then cuts out as much speech as from the clean ones."""

CLIPPED_SHARE = 0.01
"""A channel is clipped when more of its loud samples than this sit on a rail (below)."""

CLIPPED_RATIO = 4.0
BAND = 0.02


def clipped_share(rows: npt.NDArray[Any]) -> float:
    """The largest share, over the channels, of loud samples (over a quarter of the channel's
    peak) that sit on a rail: its highest (or lowest) value, held for two samples or more, with
    :data:`CLIPPED_RATIO` times more samples there than in the band just under it. A clean
    waveform touches its peak at single samples, or (coarsely quantised) spreads over the codes
    under it as much; a clipped one piles up at the rail with next to nothing below."""
    data = np.atleast_2d(np.asarray(rows))
    return max((_channel_share(row) for row in data), default=0.0)


def _channel_share(row: npt.NDArray[Any]) -> float:
    high, low = float(np.max(row, initial=0.0)), float(np.min(row, initial=0.0))
    on_rails = _on_rail(row, high) + _on_rail(-row, -low) if _piles(row, high, low) else 0
    if not on_rails:
        return 0.0
    loud = np.count_nonzero(np.abs(row) > max(high, -low) / 4)
    return on_rails / loud


def _piles(row: npt.NDArray[Any], high: float, low: float) -> bool:
    """Whether three samples or more sit at the highest or the lowest value (a quick test that
    clean audio, with its peaks at single samples, fails)."""
    top = np.count_nonzero(row >= high * (1 - 1e-7)) if high > 0 else 0
    bottom = np.count_nonzero(row <= low * (1 - 1e-7)) if low < 0 else 0
    return bool(max(top, bottom) >= 3)


def _on_rail(row: npt.NDArray[Any], rail: float) -> int:
    """How many samples sit on ``rail``, the upper rail of ``row`` (0 if it is none)."""
    if rail <= 0.0:
        return 0
    at = row >= rail * (1 - 1e-7)
    held = at.copy()
    held[1:] &= at[:-1]
    held[:-1] |= held[1:]  # both samples of each equal pair
    under = row[~at]
    gap = rail - float(np.max(under[under > 0], initial=0.0))
    band = np.count_nonzero(row >= rail - max(BAND * rail, 2 * gap)) - np.count_nonzero(at)
    top = int(np.count_nonzero(held))
    return top if top >= 3 and top >= CLIPPED_RATIO * band else 0


def level(rows: npt.NDArray[Any]) -> tuple[npt.NDArray[Any], tuple[str, ...]]:
    """``rows`` (floats, full scale 1.0) at a level the models hear, and a note on each change:
    a clipped recording lowered to :data:`CLIPPED_PEAK`, a float file louder than full scale
    scaled into range instead of being clipped. All channels by the same gain, so the loudest
    channel stays the loudest."""
    peak = float(np.max(np.abs(rows))) if rows.size else 0.0
    if peak == 0.0:
        return rows, ()
    share = clipped_share(rows)
    if share >= CLIPPED_SHARE and peak > CLIPPED_PEAK:
        gain = CLIPPED_PEAK / peak
        note = (
            f"clipped: {share:.0%} of the loud samples sit flat at the rails; the level is "
            f"lowered by {-20 * np.log10(gain):.0f} dB so that speech in it is still heard"
        )
        return rows * gain, (note,)
    if peak > 1.0:
        gain = 0.999 / peak
        note = (
            f"louder than full scale (peak {peak:.2f}): scaled down by "
            f"{-20 * np.log10(gain):.1f} dB rather than clipped"
        )
        return rows * gain, (note,)
    return rows, ()


class ClipGuard:
    """The same remedy for a live stream of int16 chunks, which cannot be measured whole: from
    the first chunk that clips at the int16 rails, the level is lowered by ``CLIPPED_PEAK``
    (-20 dB), and stays lowered until ``hold_s`` of audio has passed without clipping."""

    def __init__(self, *, rate: int = 16_000, hold_s: float = 2.0) -> None:
        self.hold_samples = round(hold_s * rate)
        self.clipped_chunks = 0
        self._since = self.hold_samples

    def process(self, pcm: bytes) -> bytes:
        samples = np.frombuffer(pcm, dtype="<i2")
        if _held_at_rails(samples) >= 3:
            self.clipped_chunks += 1
            self._since = 0
        else:
            self._since += samples.size
        if self._since >= self.hold_samples:
            return pcm
        lowered = np.round(samples.astype(np.float64) * CLIPPED_PEAK).astype("<i2")
        return bytes(lowered.tobytes())


def _held_at_rails(samples: npt.NDArray[np.int16]) -> int:
    """Samples at the int16 rails whose neighbour is there too."""
    at = (samples >= 32766) | (samples <= -32767)
    held = at[1:] & at[:-1]
    return int(np.count_nonzero(held))
