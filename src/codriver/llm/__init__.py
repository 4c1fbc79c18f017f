"""The LLM brain (extra ``[llm]``): Qwen or any model behind an OpenAI-compatible endpoint, with
function calling over the same tools as the on-device engine, and hybrid arbitration between them.

``make_brain("local" | "llm" | "hybrid", settings)`` builds the brain a command asks for.
"""

from __future__ import annotations

from typing import Literal

from codriver.assistant.plan import Brain
from codriver.errors import ConfigError
from codriver.llm.backend import ChatModel, Completion, ModelCall, ModelUnavailable, OpenAIChat
from codriver.llm.brain import LLMBrain
from codriver.llm.hybrid import HybridBrain
from codriver.llm.settings import PRESETS, LLMSettings, load_settings
from codriver.tools import default_toolbox
from codriver.tools.base import ToolBox

BrainKind = Literal["local", "llm", "hybrid"]

__all__ = [
    "PRESETS",
    "BrainKind",
    "ChatModel",
    "Completion",
    "HybridBrain",
    "LLMBrain",
    "LLMSettings",
    "ModelCall",
    "ModelUnavailable",
    "OpenAIChat",
    "load_settings",
    "make_brain",
]


def make_brain(
    kind: str | None,
    settings: LLMSettings | None,
    *,
    tools: ToolBox | None = None,
    model: ChatModel | None = None,
) -> Brain:
    """The brain by name; ``None`` means ``hybrid`` when an LLM is configured, else ``local``."""
    from codriver.understanding import default_brain

    chosen = kind or ("hybrid" if settings is not None else "local")
    if chosen == "local":
        return default_brain()
    if chosen not in ("llm", "hybrid"):
        raise ConfigError(f"unknown brain {chosen!r}: use local, llm or hybrid")
    if settings is None:
        raise ConfigError(
            f"--brain {chosen} needs an LLM endpoint: --llm-preset, --llm-url and --llm-model, "
            "CODRIVER_LLM_BASE_URL, or an [llm] table in the settings file"
        )
    llm = LLMBrain(model or OpenAIChat(settings), tools or default_toolbox(), settings)
    if chosen == "llm":
        return llm
    return HybridBrain(
        default_brain(), llm, budget_s=settings.budget_s, confident=settings.confident
    )
