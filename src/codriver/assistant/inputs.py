"""Checks on what reaches the assistant from people and programs: refused with a clear message,
changing nothing."""

from __future__ import annotations

import math
import unicodedata

from codriver.errors import InputError

MAX_UTTERANCE_CHARS = 500


def clean_utterance(text: object) -> str:
    """The utterance, trimmed and NFC-normalised, without invisible format characters (a
    zero-width space inside "没有", a right-to-left override: they change no word but hide one
    from matching); :class:`InputError` if it is not speech."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the utterance is not UTF-8 text") from None
    if not isinstance(text, str):
        raise InputError(f"the utterance must be text, not {type(text).__name__}")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise InputError("the utterance is empty: say something")
    if len(text) > MAX_UTTERANCE_CHARS:
        raise InputError(
            f"the utterance is {len(text)} characters long; at most {MAX_UTTERANCE_CHARS} are "
            "accepted in one turn"
        )
    bad = [ch for ch in text if _is_garbage(ch)]
    if bad:
        raise InputError(f"the utterance holds {len(bad)} control or invalid characters")
    return " ".join(text.split())


def clean_seconds(value: object) -> float:
    """A span of time to let pass, in seconds; :class:`InputError` unless it is a finite
    number ≥ 0 (``nan`` or ``inf`` would stop the simulated clock for good)."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InputError(f"expected seconds (a number), not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"expected seconds (a number), not {value!r}")
    seconds = float(value)
    if not math.isfinite(seconds):
        raise InputError(f"time passes by a finite number of seconds, not {value!r}")
    if seconds < 0:
        raise InputError("time cannot go backwards")
    return seconds


def _is_garbage(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs", "Co", "Cn") or ch == "\ufffd"
