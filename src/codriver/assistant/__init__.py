"""The assistant: a session per cabin that plans, executes through the gate, and replies."""

from codriver.assistant.plan import Brain, Plan, ToolCall, TurnContext, Utterance
from codriver.assistant.result import ActionResult, Outcome, TurnResult
from codriver.assistant.session import Assistant

__all__ = [
    "ActionResult",
    "Assistant",
    "Brain",
    "Outcome",
    "Plan",
    "ToolCall",
    "TurnContext",
    "TurnResult",
    "Utterance",
]
