"""What the service refuses, as exceptions under :class:`~codriver.errors.InputError`, each with
the HTTP status it answers with. Every refusal is a 4xx with a one-line message; a 503 says the
store could not be reached (the turn was not stored and is worth retrying)."""

from __future__ import annotations

from codriver.errors import BackendError, CatalogError, CodriverError, InputError


class UnknownCabin(InputError):
    """No cabin has that id (404)."""


class CabinExists(InputError):
    """A cabin with that id is already running (409)."""


class TooManyCabins(InputError):
    """The service holds as many cabins as it may (429)."""


class NotAllowed(InputError):
    """The token is good but may not do this: a cabin token managing cabins, a read token
    driving (403)."""


class NothingPending(InputError):
    """Accept or dismiss when the assistant is asking nothing (409)."""


def status_of(error: CodriverError) -> int:
    """The HTTP status for a refused request."""
    if isinstance(error, UnknownCabin):
        return 404
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, CabinExists | NothingPending):
        return 409
    if isinstance(error, TooManyCabins):
        return 429
    if isinstance(error, CatalogError):
        return 404
    if isinstance(error, BackendError):
        return 503  # the store is away or another worker held the cabin too long: retry
    return 422
