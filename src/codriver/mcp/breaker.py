"""A circuit breaker per server: after enough failures in a row the server is switched off for a
while, so a hanging service costs the occupant one timeout, not one per request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

BreakerState = Literal["closed", "open", "half_open"]


class Breaker:
    """Closed (calls go through) → open after ``failures_to_open`` failures in a row (calls are
    refused at once) → half open once ``cooldown_s`` has passed (one trial call: a success
    closes it, a failure opens it again)."""

    def __init__(
        self,
        failures_to_open: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures_to_open = failures_to_open
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.failures = 0
        self._opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self.clock() - self._opened_at >= self.cooldown_s:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """May a call go through now? In the half-open state only one trial at a time."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._trial:
            self._trial = True
            return True
        return False

    def succeeded(self) -> None:
        self.failures = 0
        self._opened_at = None
        self._trial = False

    def failed(self) -> None:
        self.failures += 1
        if self._trial or self.failures >= self.failures_to_open:
            self._opened_at = self.clock()
        self._trial = False
