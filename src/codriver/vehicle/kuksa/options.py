"""How to reach a KUKSA databroker and how long to trust what it says: ``kuksa://HOST:PORT``, a
bearer token, a CA for TLS, the deadlines, and each signal's maximum age."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlsplit

from codriver.errors import InputError

DEFAULT_PORT = 55555
"""The databroker's own default port."""


@dataclass(frozen=True, slots=True)
class KuksaOptions:
    """Where the broker is and how codriver talks to it."""

    host: str
    port: int = DEFAULT_PORT
    token: str | None = None
    """Sent as ``authorization: Bearer TOKEN`` with every call."""
    tls_ca: Path | None = None
    """A PEM file of the CA that signed the broker's certificate: TLS when given."""
    tls_name: str | None = None
    """The name the broker's certificate is for, when it is not ``host``."""
    timeout_s: float = 1.0
    """Every call's deadline: a broker slower than this is treated as not answering."""
    confirm_s: float = 2.0
    """How long a write waits for the car to report the new value before it counts as failed."""
    max_age: tuple[tuple[str, float], ...] = ()
    """``(glob, seconds)``: a value older than this (by its own timestamp) is unknown. The first
    glob that matches a signal wins; a signal matched by none never goes stale by age."""
    backoff_s: tuple[float, float] = (0.2, 5.0)
    """The first and the longest wait between attempts to get the subscription back."""

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def age_limit(self, path: str) -> float | None:
        for glob, seconds in self.max_age:
            if fnmatchcase(path, glob):
                return seconds
        return None


def parse_url(url: str) -> tuple[str, int]:
    """``kuksa://HOST:PORT`` (the port defaults to 55555) as host and port."""
    parts = urlsplit(url)
    if parts.scheme != "kuksa" or not parts.hostname:
        raise InputError(f"a vehicle bus is kuksa://HOST:PORT, not {url!r}")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError as exc:
        raise InputError(f"{url!r}: {exc}") from exc
    if parts.path not in ("", "/") or parts.query:
        raise InputError(f"a vehicle bus is kuksa://HOST:PORT, not {url!r}")
    return parts.hostname, port


def parse_max_age(items: list[str]) -> tuple[tuple[str, float], ...]:
    """``GLOB=SECONDS`` items, e.g. ``Vehicle.Speed=0.5``."""
    out = []
    for item in items:
        glob, sep, raw = item.partition("=")
        try:
            seconds = float(raw)
        except ValueError:
            seconds = -1.0
        if not sep or not glob.strip() or not seconds > 0:
            raise InputError(f"--max-age is SIGNAL=SECONDS (a glob, a positive number): {item!r}")
        out.append((glob.strip(), seconds))
    return tuple(out)
