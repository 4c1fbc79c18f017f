"""codriver's exceptions: one root, raised only for faults, never for expected outcomes.

Expected outcomes ("not understood", "refused while driving", "out of range") are values that the
assistant speaks. Exceptions are for a broken input file, a misused API or a failing backend::

    CodriverError
    ├── CatalogError        a signal path the catalog does not know, or a malformed catalog file
    ├── ConfigError         a malformed settings or profile file
    ├── ScenarioError       a malformed scenario file (names the file and the problem)
    ├── InputError          bad input from a person or a program (empty utterance, unknown seat)
    ├── MissingExtraError   an optional capability whose extra is not installed
    └── BackendError        a vehicle bus or vendor service failed (``retryable``: worth a retry?)
        └── VehicleUnavailable  the vehicle bus cannot be reached or refused codriver (exit code 3)
"""

from __future__ import annotations


class CodriverError(Exception):
    """Root of every exception codriver raises on purpose."""


class CatalogError(CodriverError):
    """A signal path the catalog does not know, or a malformed catalog file."""


class ConfigError(CodriverError):
    """A malformed settings or vehicle profile file."""


class ScenarioError(CodriverError):
    """A malformed scenario file; the message names the file and the problem."""


class InputError(CodriverError):
    """Bad input from a person or a program: it is refused and changes nothing."""


class MissingExtraError(CodriverError):
    """An optional capability whose extra is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        super().__init__(f"{feature} needs the [{extra}] extra: pip install 'codriver[{extra}]'")
        self.extra = extra


class BackendError(CodriverError):
    """A vehicle bus or vendor service failed."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class VehicleUnavailable(BackendError):
    """The vehicle bus (a KUKSA broker) cannot be reached, or refused codriver's credentials."""
