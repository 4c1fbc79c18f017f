"""From tagged tokens to frames: one frame per thing the occupant asked for.

A frame collects a device, an action, zones, a value, a colour or mode, needs and dialogue cues. A
new frame starts at a clause break, or when a slot that is already filled comes again (a second
action after "turn on the A/C", a second number after "driver 23").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codriver.understanding.lexicon import Token

OPEN_SLOT = ("play", "navigate", "call", "add_stop")
_WEAK_ACTIONS = ("set",)


@dataclass
class Frame:
    """What one part of an utterance asks for; unfilled slots are resolved later."""

    device: str | None = None
    actions: tuple[str, ...] = ()
    zones: list[str] = field(default_factory=list)
    number: float | None = None
    unit: str | None = None
    qual: str | None = None
    color: str | None = None
    modes: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    cues: set[str] = field(default_factory=set)
    deictic: bool = False
    question: bool = False
    query: str | None = None
    words: int = 0
    unknown: int = 0

    @property
    def action(self) -> str | None:
        return self.actions[0] if self.actions else None

    @property
    def has_value(self) -> bool:
        return self.number is not None or self.qual is not None or self.color is not None

    def empty(self) -> bool:
        return not (self.device or self.actions or self.zones or self.has_value or self.modes
                    or self.needs or self.cues or self.query or self.question or self.deictic)


def build_frames(tokens: list[Token], text: str) -> list[Frame]:
    """Split the tagged utterance into frames."""
    frames: list[Frame] = []
    frame = Frame()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "sep" or (token.has("sep") and not _only_cue(token, frame)):
            frame = _close(frames, frame)
            if token.has("dialogue", "more") and token.kind != "sep":
                frame.cues.add("more")
            i += 1
            continue
        if token.kind == "number":
            if frame.number is not None:
                frame = _close(frames, frame, inherit=True)
            frame.number = token.number
            frame.words += 1
        elif token.kind == "raw":
            frame.unknown += 1
            frame.words += 1
        else:
            opened = _apply(frame, token)
            if opened is not None:
                frame = _close(frames, frame)
                _apply(frame, token)
            if frame.action in OPEN_SLOT and frame.query is None:
                i = _take_query(tokens, i + 1, text, frame)
                continue
        i += 1
    _close(frames, frame)
    return frames


def _only_cue(token: Token, frame: Frame) -> bool:
    """"再" is a clause break after a full request, and "more" at the start of one."""
    return token.has("dialogue", "more") and frame.empty()


def _close(frames: list[Frame], frame: Frame, inherit: bool = False) -> Frame:
    if not frame.empty():
        frames.append(frame)
    nxt = Frame()
    if inherit:
        nxt.device, nxt.actions = frame.device, frame.actions
    return nxt


def _apply(frame: Frame, token: Token) -> bool | None:
    """Put the token's tags in the frame; returns True when the frame is full and must close."""
    devices, actions = token.ids("device"), token.ids("action")
    zones = token.ids("zone")
    if devices and frame.device and (frame.actions or frame.has_value) and not token.has("stop"):
        return True
    if actions and frame.actions and (frame.device or frame.has_value):
        if frame.action not in _WEAK_ACTIONS or frame.has_value:
            if not (set(actions) & set(frame.actions)):
                return True
    if zones and frame.zones and frame.has_value and not devices and not actions:
        return True
    frame.words += 1
    if devices and not frame.device:
        frame.device = devices[0]
    if actions and (not frame.actions or frame.action in _WEAK_ACTIONS):
        frame.actions = tuple(actions)
    for zone in zones:
        if zone not in frame.zones:
            frame.zones.append(zone)
    _apply_values(frame, token)
    frame.needs.extend(n for n in token.ids("need") if n not in frame.needs)
    frame.cues.update(token.ids("dialogue"))
    if token.has("deictic"):
        frame.deictic = True
    if token.has("question"):
        frame.question = True
    return None


def _apply_values(frame: Frame, token: Token) -> None:
    for qual in token.ids("value"):
        frame.qual = frame.qual or qual
    for unit in token.ids("unit"):
        frame.unit = frame.unit or unit
        if token.text == "度半" and frame.number is not None:
            frame.number += 0.5
    for color in token.ids("color"):
        frame.color = color
    frame.modes.extend(token.ids("mode"))


def _take_query(tokens: list[Token], i: int, text: str, frame: Frame) -> int:
    """The free text after "play", "navigate to", "call": up to the next known request word."""
    start = end = None
    j = i
    while j < len(tokens):
        token = tokens[j]
        if token.kind == "sep" or (token.kind == "tags" and not _query_word(token)):
            break
        if start is None:
            start = token.start
        end = token.end
        j += 1
    if start is not None and end is not None:
        frame.query = text[start:end]
    return j


def _query_word(token: Token) -> bool:
    return all(t.kind in ("stop", "filler", "deictic") for t in token.tags)
