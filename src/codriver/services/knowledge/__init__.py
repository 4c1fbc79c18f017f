"""Vehicle knowledge: the port (:class:`KnowledgeProvider`) and an offline provider that answers
from the owner's manual shipped with codriver, by BM25 retrieval over its sections in both
languages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

from codriver.services.knowledge.bm25 import BM25, Tokenizer
from codriver.services.knowledge.manual import Section, join, parse
from codriver.yamlfile import load_yaml

MIN_COVERAGE = 0.45
"""Below this share of a question's weight found in the best section, the manual has no answer."""

_TITLE_WEIGHT = 2


@dataclass(frozen=True, slots=True)
class ManualAnswer:
    """The section that answers a question, with its BM25 score and how much of the question it
    covers (0 to 1)."""

    section: Section
    score: float
    coverage: float


class KnowledgeProvider(Protocol):
    """Answers questions about the car from its documentation."""

    def ask(self, question: str) -> ManualAnswer | None:
        """The best answer to ``question`` in either language, or None when there is none."""
        ...


class OwnersManual:
    """The manual's sections, indexed: both languages of a section form one document, so a
    question in either language (or a mix) finds it."""

    def __init__(self, sections: Iterable[Section], stopwords: Iterable[str] = ()) -> None:
        self.sections = tuple(sections)
        self.tokenize = Tokenizer(stopwords)
        self._index = BM25([self._tokens(s) for s in self.sections])

    @classmethod
    def load(cls, manuals: Mapping[str, str], stopwords: Iterable[str] = ()) -> OwnersManual:
        """From the Markdown text of each language's manual (``{"en": …, "zh": …}``)."""
        parsed = {lang: parse(text, f"manual.{lang}.md") for lang, text in manuals.items()}
        return cls(join(parsed), stopwords)

    def ask(self, question: str) -> ManualAnswer | None:
        ranked = self._index.rank(self.tokenize(question))
        if not ranked or ranked[0].coverage < MIN_COVERAGE:
            return None
        best = ranked[0]
        return ManualAnswer(self.sections[best.doc], best.score, best.coverage)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.id == key), None)

    def _tokens(self, section: Section) -> list[str]:
        parts = [section.title.en, section.title.zh] * _TITLE_WEIGHT
        parts += [section.text.en, section.text.zh, section.also.en, section.also.zh]
        return [t for part in parts for t in self.tokenize(part)]


@cache
def offline_knowledge() -> OwnersManual:
    """The provider over the owner's manual shipped with codriver (read and indexed once)."""
    data = resources.files(__package__).joinpath("data")
    manuals = {lang: data.joinpath(f"manual.{lang}.md").read_text("utf-8") for lang in ("en", "zh")}
    stop = load_yaml(data.joinpath("stopwords.yaml").read_text("utf-8"))
    return OwnersManual.load(manuals, [*stop["en"], *stop["zh"]])


__all__ = [
    "MIN_COVERAGE",
    "KnowledgeProvider",
    "ManualAnswer",
    "OwnersManual",
    "Section",
    "offline_knowledge",
]
