"""Out-of-domain talk: a polite reply, nothing touched."""

from __future__ import annotations

from functools import cache
from importlib import resources

from codriver.text import Bilingual
from codriver.yamlfile import load_yaml

FALLBACK = Bilingual(
    "I'm not sure how to help with that. I can handle the climate, windows, seats, lights, "
    "music, navigation and calls.",
    "这个我还帮不上忙。我可以调空调、车窗、座椅、灯光，放音乐、导航和打电话。",
)


@cache
def _topics() -> list[tuple[tuple[str, ...], Bilingual, bool]]:
    res = resources.files("codriver.understanding").joinpath("data/chitchat.yaml")
    raw = load_yaml(res.read_text("utf-8"))
    return [
        (
            tuple(str(p).lower() for p in item["phrases"]),
            Bilingual.from_mapping(item["reply"], f"chitchat.yaml: {name}"),
            bool(item.get("whole", False)),
        )
        for name, item in raw.items()
    ]


def chitchat(text: str) -> Bilingual | None:
    """The reply to small talk in ``text`` (lowered), or None when it is not small talk."""
    for phrases, reply, _ in _topics():
        if any(p in text for p in phrases):
            return reply
    return None


def asks_for_talk(text: str) -> bool:
    """Whether ``text`` (lowered) asks for talk — a joke, a story — rather than for the car."""
    return any(whole and any(p in text for p in phrases) for phrases, _, whole in _topics())
