"""Automations, reminders and timers."""

from codriver.automation.store import Automations, Firing, Rule, make_trigger, trigger_ids

__all__ = ["Automations", "Firing", "Rule", "make_trigger", "trigger_ids"]
