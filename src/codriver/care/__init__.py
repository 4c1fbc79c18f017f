"""Proactive care: the assistant noticing, saying and offering, never acting unasked."""

from codriver.care.monitor import CareItem, CareMonitor, Notice, load_care

__all__ = ["CareItem", "CareMonitor", "Notice", "load_care"]
