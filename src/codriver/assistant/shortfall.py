"""What the occupant hears when an allowed action did not fully reach the car: which part went
through, and why the rest did not. A write the vehicle bus refused, could not send or could not
confirm is never reported as done."""

from __future__ import annotations

from dataclasses import dataclass

from codriver.assistant.reply import phrase
from codriver.text import Bilingual
from codriver.vehicle.catalog import BUS_FAILURES, Rejection


@dataclass(frozen=True, slots=True)
class Shortfall:
    """The first write that failed, and how many of the action's writes were applied."""

    problem: Rejection
    applied: int = 0
    total: int = 1

    def message(self) -> Bilingual:
        """The reply: the reason, after how much was done when part of it was."""
        reason = _reason(self.problem)
        if self.applied == 0:
            return reason
        return phrase("bus.partly", applied=self.applied, total=self.total, reason=reason)


def _reason(problem: Rejection) -> Bilingual:
    if problem.code in BUS_FAILURES:
        return phrase(f"bus.{problem.code}")
    return Bilingual(problem.message, problem.message)
