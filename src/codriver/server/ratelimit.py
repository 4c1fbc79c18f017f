"""Failed authentication, counted per client address: after ``limit`` failures within ``window``
seconds the address is refused (429) until the oldest of them is ``window`` seconds old.

Kept in memory by each worker. IPv6 addresses count per /64, the block one host usually holds;
at most ``capacity`` addresses are remembered, the oldest forgotten first.
"""

from __future__ import annotations

import ipaddress
import math
from collections import OrderedDict, deque
from collections.abc import Callable


class FailureLimiter:
    """Which client addresses failed to authenticate too often, and for how much longer."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float], capacity: int = 10_000
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._capacity = capacity
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str) -> int | None:
        """Whole seconds until ``address`` may try again; None when it may now."""
        times = self._recent(_key(address))
        if times is None or len(times) < self.limit:
            return None
        return max(1, math.ceil(times[-self.limit] + self.window - self._clock()))

    def failed(self, address: str) -> None:
        key = _key(address)
        times = self._recent(key)
        if times is None:
            times = self._failures[key] = deque(maxlen=self.limit)
            while len(self._failures) > self._capacity:
                self._failures.popitem(last=False)
        times.append(self._clock())

    def _recent(self, key: str) -> deque[float] | None:
        """The failures of ``key`` still inside the window (None when there are none)."""
        times = self._failures.get(key)
        if times is None:
            return None
        horizon = self._clock() - self.window
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times


def _key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an IP (a Unix socket, a test client): itself
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
