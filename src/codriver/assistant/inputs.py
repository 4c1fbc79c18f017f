"""Checks on what reaches the assistant from people and programs: refused with a clear message,
changing nothing."""

from __future__ import annotations

import unicodedata

from codriver.errors import InputError

MAX_UTTERANCE_CHARS = 500


def clean_utterance(text: object) -> str:
    """The utterance, trimmed and NFC-normalised; :class:`InputError` if it is not speech."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the utterance is not UTF-8 text") from None
    if not isinstance(text, str):
        raise InputError(f"the utterance must be text, not {type(text).__name__}")
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


def _is_garbage(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs", "Co", "Cn") or ch == "\ufffd"
