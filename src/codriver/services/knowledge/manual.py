"""The owner's manual as sections: one Markdown file per language, a ``## Title {#id}`` heading
per section with the same ids in every language, and an optional ``<!-- also: … -->`` comment of
other words for the topic that search uses and nobody reads out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from codriver.text import Bilingual

_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*\{#(?P<id>[a-z0-9-]+)\}\s*$")
_ALSO = re.compile(r"<!--\s*also:(?P<words>.*?)-->", re.DOTALL)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"


@dataclass(frozen=True, slots=True)
class Section:
    """One topic of the manual in both languages."""

    id: str
    title: Bilingual
    text: Bilingual
    also: Bilingual
    """Other words for the topic, searched but not spoken."""


def parse(markdown: str, where: str = "manual") -> dict[str, tuple[str, str, str]]:
    """``{id: (title, text, also)}`` of one language's manual, in order."""
    sections: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            if heading["id"] in sections:
                raise ValueError(f"{where}: section {heading['id']!r} appears twice")
            current = []
            sections[heading["id"]] = (heading["title"], current)
        elif line.startswith("## "):
            raise ValueError(f"{where}: heading without an id: {line!r}")
        elif current is not None:
            current.append(line)
    out = {}
    for key, (title, lines) in sections.items():
        body = "\n".join(lines)
        also = " ".join(m["words"].strip() for m in _ALSO.finditer(body))
        text = _plain(_ALSO.sub("", body))
        if not text:
            raise ValueError(f"{where}: section {key!r} is empty")
        out[key] = (title, text, also)
    return out


def join(languages: Mapping[str, Mapping[str, tuple[str, str, str]]]) -> list[Section]:
    """The sections of the English and Chinese manuals, paired by id."""
    en, zh = languages["en"], languages["zh"]
    if en.keys() != zh.keys():
        missing = sorted(en.keys() ^ zh.keys())
        raise ValueError(f"manual: sections not in both languages: {', '.join(missing)}")
    return [
        Section(
            key,
            Bilingual(en[key][0], zh[key][0]),
            Bilingual(en[key][1], zh[key][1]),
            Bilingual(en[key][2], zh[key][2]),
        )
        for key in en
    ]


def _plain(markdown: str) -> str:
    """Speakable text: no emphasis marks, lines joined, no spaces between Chinese characters."""
    text = re.sub(r"[*_`]+", "", markdown)
    text = re.sub(r"^\s*[-+]\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(rf"(?<=[{_CJK}]) (?=[{_CJK}])", "", text)
