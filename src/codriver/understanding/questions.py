"""Clarifying questions for slots only the occupant can fill."""

from __future__ import annotations

from codriver.text import Bilingual, PhraseBook
from codriver.understanding.resolve import Need

_REPLIES = PhraseBook.load("codriver.understanding", "data/replies.yaml")

_QUESTIONS = {
    "value": Bilingual("To what setting?", "调到多少呢？"),
    "place": Bilingual("Where would you like to go?", "您想去哪里？"),
    "contact": Bilingual("Who should I call?", "要打给谁呢？"),
    "mode": Bilingual("Which mode?", "要哪个模式？"),
    "gear": Bilingual("Which gear?", "哪个挡位？"),
    "device": Bilingual("Which one do you mean?", "您说的是哪一个？"),
}
_TEMPERATURE = Bilingual("What temperature would you like?", "要调到多少度？")


def ask_for(need: Need) -> Bilingual:
    if need.slot == "value" and need.device == "temperature":
        return _TEMPERATURE
    if need.slot == "action":
        key = f"ask_action.{need.device}"
        return _REPLIES.get(key if key in _REPLIES else "ask_action")
    return _QUESTIONS.get(need.slot, _QUESTIONS["value"])
