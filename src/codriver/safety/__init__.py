"""The safety gate that every action passes, whoever proposed it."""

from codriver.safety.action import ALLOW, Decision, ProposedAction, Source, Verdict, Write
from codriver.safety.policy import SafetyPolicy
from codriver.safety.rules import Rule, load_rules

__all__ = [
    "ALLOW",
    "Decision",
    "ProposedAction",
    "Rule",
    "SafetyPolicy",
    "Source",
    "Verdict",
    "Write",
    "load_rules",
]
