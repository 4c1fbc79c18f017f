"""Checks on one clause's frame that decide whether it asks for anything: a bare verb after a need
("太闷了，开一下"), a device and a number amid noise, a lone verb inside a name."""

from __future__ import annotations

from codriver.understanding.frames import Frame
from codriver.understanding.sentence import OPEN_SLOT

_NOISE_AROUND_VALUE = 2
"""Unknown words that make a device and a number said without a verb no request."""


def confirms_need(frame: Frame, reasons: list[Frame], before: Frame | None) -> bool:
    """Whether ``frame`` is a bare verb right after a need said alone ("太闷了，开一下"): it asks
    for that need to be met, not for a device of its own."""
    if not reasons or reasons[-1] is not before or frame.device or frame.has_value:
        return False
    need = reasons[-1]
    bare = bool(frame.actions) and not set(frame.actions) & set(OPEN_SLOT)
    return bare and bool(need.needs) and not need.device and not frame.zones


def verbless_among_noise(frame: Frame, device: str) -> bool:
    """A device and a number without a verb amid words that make no request with them: unknown
    ones, or a colour for a thing that has none ("purple sunroof elephant forty")."""
    stray = frame.unknown + (1 if frame.color and device != "ambient" else 0)
    return (
        not frame.actions and frame.number is not None and not frame.cues
    ) and stray >= _NOISE_AROUND_VALUE


_NAME_AROUND_VERB = 3
"""Unknown words around a lone verb that make it part of a name rather than a request."""


def inside_a_name(frame: Frame) -> bool:
    known = frame.words - frame.unknown
    return not frame.device and frame.unknown >= _NAME_AROUND_VERB and known <= 1
