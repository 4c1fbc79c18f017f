"""Knowledge tools: answers about the car from its owner's manual (``ctx.services.knowledge``)."""

from __future__ import annotations

from codriver.services.knowledge import KnowledgeProvider
from codriver.text import PhraseBook
from codriver.tools.base import Effect, ToolContext, Toolset, tool

KNOWLEDGE_PHRASES = PhraseBook.load("codriver.services.knowledge", "data/phrases.yaml")


@tool("knowledge")
def ask_manual(ctx: ToolContext, question: str) -> Effect:
    """Answer a question about the car from its owner's manual: what a warning light means, how
    to open the charge port, charging times, tyre pressure, child locks, wipers, drive modes.

    Args:
        question: the question as the occupant asked it, in either language.
    """
    manual: KnowledgeProvider | None = getattr(ctx.services, "knowledge", None)
    if manual is None:
        return Effect(answer=KNOWLEDGE_PHRASES.get("manual.none"))
    found = manual.ask(question)
    if found is None:
        return Effect(answer=KNOWLEDGE_PHRASES.get("manual.miss"))
    section = found.section
    return Effect(
        answer=KNOWLEDGE_PHRASES.get("manual.answer", title=section.title, text=section.text)
    )


KNOWLEDGE_TOOLS = Toolset("knowledge", (ask_manual,))
