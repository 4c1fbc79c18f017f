"""What the assistant's on-device engine makes of a recogniser's reading, without acting on it:
the voice loop's question when it chooses among readings (:mod:`codriver.voice.rescore`)."""

from __future__ import annotations

from codriver.assistant.inputs import clean_utterance
from codriver.assistant.plan import TurnContext, Utterance
from codriver.assistant.session import Assistant
from codriver.errors import InputError
from codriver.text import Lang
from codriver.understanding import LocalBrain
from codriver.voice.rescore import Understood


class EngineUnderstanding:
    """Asks the on-device engine to plan a text as a turn of its own, as ``codriver parse``
    does: a fresh engine, so the assistant's memory of the dialogue is left as it was, on the
    assistant's car state and tools; nothing is carried out. A plan to act on something that
    is not a question is a command."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    async def __call__(self, text: str, lang: Lang) -> Understood:
        try:
            clean = clean_utterance(text)
        except InputError:  # nothing to read
            return Understood(False)
        state = await self.assistant.executor.state()
        context = TurnContext(state=state, history=(), tools=self.assistant.tools)
        plan = await LocalBrain().plan(Utterance(clean, lang), context)
        command = plan.kind == "act" and bool(plan.calls) and plan.sentence != "question"
        return Understood(command, plan.confidence)
