"""Sample-rate conversion with an anti-aliasing filter, on libsoxr (``soxr``).

Speech captured at 44.1 or 48 kHz has energy above 8 kHz (sibilants, cabin hiss, a fan's whine);
taken to 16 kHz without a low-pass filter it folds back into the band the models listen to.
libsoxr's "high quality" setting passes 0-95 % of the new Nyquist frequency flat and removes
what lies above it by well over 100 dB, at any ratio (44.1 → 16 kHz too), in one fast C call.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from codriver.errors import MissingExtraError

QUALITY = "HQ"
"""libsoxr's 20-bit setting: more than int16 can hold, faster than its 28-bit "VHQ"."""


def resample_float(rows: npt.NDArray[Any], rate: int, target: int) -> npt.NDArray[np.float32]:
    """Float rows (one per channel, or a single row) from ``rate`` to ``target`` Hz; the
    length becomes ``round(n * target / rate)``."""
    data = np.asarray(rows, dtype=np.float32)
    if rate == target or data.shape[-1] == 0:
        return data
    try:
        import soxr
    except ImportError as exc:
        raise MissingExtraError("resampling audio (soxr)", "voice") from exc
    out = soxr.resample(np.ascontiguousarray(data.T), rate, target, quality=QUALITY)
    return np.ascontiguousarray(np.asarray(out, dtype=np.float32).T)


def resample_int16(samples: npt.NDArray[Any], rate: int, target: int) -> npt.NDArray[np.int16]:
    """int16 rows (or one row) from ``rate`` to ``target`` Hz, filtered, rounded and kept in
    range (the filter's ripple may overshoot full scale by a little)."""
    if rate == target:
        return np.asarray(samples, dtype=np.int16)
    out = resample_float(np.asarray(samples, dtype=np.float32) / 32768, rate, target)
    return to_int16(out)


def to_int16(samples: npt.NDArray[Any]) -> npt.NDArray[np.int16]:
    """Floats in [-1, 1) as int16 (libsndfile's scaling: 1.0 is 32768), clipped to range."""
    scaled = np.round(np.asarray(samples, dtype=np.float64) * 32768)
    clipped: npt.NDArray[np.float64] = np.clip(scaled, -32768, 32767)
    return clipped.astype(np.int16)
