"""What a third-party service says becomes data: plain text, no control or direction-changing
characters, cut to a size. Nothing in it is ever read as an instruction."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
_DROPPED = ("Cc", "Cf", "Co", "Cs")
"""Control, format (zero-width, bidirectional overrides, tags), private-use and surrogate code
points: invisible to the occupant, and a way to hide text from a reviewer."""


def clean(text: str, limit: int) -> str:
    """``text`` on one line: control characters, zero-width and bidirectional marks and tag
    characters dropped, whitespace collapsed, at most ``limit`` characters (``…`` when cut)."""
    text = "".join(
        " " if ch in "\t\n\r\v\f" else ch
        for ch in text[: limit * 4]
        if ch in "\t\n\r\v\f" or unicodedata.category(ch) not in _DROPPED
    )
    text = _SPACE.sub(" ", text).strip()
    if len(text) > limit:
        return text[: limit - 1].rstrip() + "…"
    return text


def as_text(parts: Iterable[str], structured: object, limit: int) -> str:
    """A tool result's text blocks (else its structured content as compact JSON), cleaned."""
    texts = [p for p in parts if p.strip()]
    if not texts and structured is not None:
        texts = [json.dumps(structured, ensure_ascii=False, separators=(",", ":"))[: limit * 4]]
    return clean(" ".join(texts), limit)
