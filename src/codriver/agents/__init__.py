"""Domain agents coordinated by an orchestrator."""

from codriver.agents.orchestrator import AGENTS, Orchestrator
from codriver.assistant.result import TraceEntry

__all__ = ["AGENTS", "Orchestrator", "TraceEntry"]
