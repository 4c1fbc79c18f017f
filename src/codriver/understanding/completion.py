"""What a clause leaves to context, filled in: the answer to a question the engine asked
("要调到多少度？" → "二十四度"; "which one?" → "the passenger window"), or a place named in the
clause before ("最近的洗手间在哪，带我过去")."""

from __future__ import annotations

from codriver.assistant.plan import ToolCall
from codriver.understanding.bare import is_talk
from codriver.understanding.clauses import borrow_name, fill
from codriver.understanding.frames import Frame
from codriver.understanding.sentence import OPEN_SLOT

_NAME_SLOTS = ("place", "contact")
"""Slots answered by a name, unknown words and all."""
_SLOT_VERBS = {"place": ("navigate", "add_stop", "trip", "nearby"), "contact": ("call",)}
"""The requests whose verb may come with the answer to a slot question ("去外滩" for "where to?").
"""
_ANSWER_UNKNOWN = 1
"""Unknown words an answer for a value or an action may carry ("20 please", not a new topic)."""


def completed(
    frame: Frame, before: Frame | None, awaiting: tuple[Frame, str, str] | None, text: str
) -> Frame:
    """The clause with what it leaves to context filled in: the answer to a question the engine
    asked, or a place named in the clause before ("最近的洗手间在哪，带我过去")."""
    if awaiting is not None and awaiting[2] == "device" and frame.device and not frame.actions:
        frame.actions = awaiting[0].actions  # "which one?" → "the passenger window"
        return frame
    answers = awaiting is not None and not frame.device and not frame.needs
    answers = answers and "no" not in frame.cues  # "what temperature?" → "never mind"
    said_little = frame.unknown + frame.around <= _ANSWER_UNKNOWN  # over the whole clause
    if answers and awaiting[2] not in _NAME_SLOTS and not said_little:  # type: ignore[index]
        answers = False  # "what about the window?" → "can I make it two Hangzhou …": not the value
    own_verb = any(a in OPEN_SLOT for a in frame.actions)  # "我要去外滩" answers with its verb
    if answers and own_verb and not set(frame.actions) & set(_SLOT_VERBS.get(awaiting[2], ())):  # type: ignore[index]
        answers = False  # "who should I call?" → "navigate to Jing'an Temple": a new request
    if answers and awaiting[2] in _NAME_SLOTS and not own_verb and is_talk(text):  # type: ignore[index]
        answers = False  # "where to?" → "can I make it to Hangzhou without charging": a question
    if answers and "negation" not in frame.cues:  # "don't unlock the car" fills no slot
        frame = fill(awaiting[0], frame, text)  # type: ignore[index]
    places = ("navigate", "add_stop", "trip")  # "…在哪，带我过去"; a song borrows no place
    if frame.action in places and not frame.query and before is not None:
        borrow_name(frame, before, text)
    return frame


def named_by(call: ToolCall) -> str | None:
    """The naming tool a call stands for: itself, or playing for "play something" (the music
    resumed, so a title said next is what to hear)."""
    if call.name in NAMING:
        return call.name
    playing = call.name == "control_playback" and call.args.get("action") == "PLAY"
    return "play_media" if playing else None


NAMING = {"play_media": "play", "navigate_to": "navigate"}
"""Tools whose call names something (with the request they stand for)."""
