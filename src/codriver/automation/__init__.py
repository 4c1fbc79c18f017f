"""Automations, reminders and timers, and how a rule's actions are judged when it is made."""

from codriver.automation.store import (
    Automations,
    Caps,
    Firing,
    Rule,
    Scheduled,
    TimerView,
    make_trigger,
    names,
    trigger_ids,
)
from codriver.automation.vetting import PHRASES, Vetting, describe, vet

__all__ = [
    "PHRASES",
    "Automations",
    "Caps",
    "Firing",
    "Rule",
    "Scheduled",
    "TimerView",
    "Vetting",
    "describe",
    "make_trigger",
    "names",
    "trigger_ids",
    "vet",
]
